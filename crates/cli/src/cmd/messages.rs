//! `imbridge message …`: the messages family (`im.messages()`).
//!
//! | command | operation |
//! |---|---|
//! | `message send --from ID (--to ID \| --group G) (--text T \| --custom DATA)` | `send_message` |

use clap::{Args, Subcommand};
use imbridge::prelude::*;
use imbridge::{MessageContent, SendMessage};

use crate::cmd::emit;
use crate::failure::Failure;

#[derive(Debug, Subcommand)]
pub enum MessageCommand {
    /// Send a message to a user or a group (`send_message`); prints the receipt:
    /// {"message_id","sent_at","sequence","dedup_key"}.
    Send(SendArgs),
}

/// `message send`.
#[derive(Debug, Args)]
pub struct SendArgs {
    /// The sender's user id.
    #[arg(long)]
    from: String,
    /// The recipient user id.
    #[arg(long, conflicts_with = "group", required_unless_present = "group")]
    to: Option<String>,
    /// The recipient group id.
    #[arg(long)]
    group: Option<String>,
    /// Text content.
    #[arg(long, conflicts_with = "custom", required_unless_present = "custom")]
    text: Option<String>,
    /// Custom payload (e.g. JSON) instead of text.
    #[arg(long)]
    custom: Option<String>,
}

impl TryFrom<SendArgs> for SendMessage {
    type Error = Failure;

    fn try_from(a: SendArgs) -> Result<Self, Failure> {
        let content = match (a.text, a.custom) {
            (Some(text), None) => MessageContent::text(text),
            (None, Some(data)) => MessageContent::custom(data),
            _ => {
                return Err(Failure::Usage(
                    "give exactly one of --text and --custom".into(),
                ));
            }
        };
        match (a.to, a.group) {
            (Some(to), None) => Ok(SendMessage::to_user(a.from, to, content)),
            (None, Some(group)) => Ok(SendMessage::to_group(a.from, group, content)),
            _ => Err(Failure::Usage(
                "give exactly one of --to and --group".into(),
            )),
        }
    }
}

pub(crate) async fn run(im: &dyn ImProvider, cmd: MessageCommand) -> Result<(), Failure> {
    match cmd {
        MessageCommand::Send(a) => emit(&im.messages().send_message(&a.try_into()?).await?),
    }
}
