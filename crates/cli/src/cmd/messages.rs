//! `imbridge message …`: the messages family (`im.messages()`).
//!
//! | command | operation |
//! |---|---|
//! | `message send --from ID (--to ID \| --group G) (--text T \| --custom DATA) [--push-title T] [--push-body T]` | `send_message` |
//! | `message batch --from ID --to ID... (--text T \| --custom DATA) [--push-title T] [--push-body T]` | `send_batch` |
//! | `message system --to ID... (--text T \| --custom DATA) [--from ID] [--push-title T] [--push-body T]` | `send_system_message` |
//! | `message recall REF` | `recall_message` |
//! | `message history (--from ID --to ID [--since UNIX] [--until UNIX] \| --group G [--as ID]) [--limit N] [--cursor C] [--all]` | `message_history` |
//! | `message import --from ID --to ID (--text T \| --custom DATA) --time UNIX` | `import_messages` |
//!
//! `--to` of `batch` and `system` may be repeated and takes several ids at once
//! (`--to a b --to c`). `REF` is the `"ref"` a send printed.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use clap::{ArgGroup, Args, Subcommand};
use imbridge::prelude::*;
use imbridge::{
    Cursor, ImportMessages, ImportedMessage, MessageContent, MessageHistory, MessageRef, PushInfo,
    RecallMessage, Recipient, SendBatch, SendMessage, SendSystemMessage,
};

use crate::cmd::{emit, listing};
use crate::failure::Failure;

#[derive(Debug, Subcommand)]
pub enum MessageCommand {
    /// Send a message to a user or a group (`send_message`); prints the receipt:
    /// {"ref","message_id","sent_at","sequence","dedup_key"}; "ref" is the message's reference
    /// for recall and history.
    Send(SendArgs),
    /// Send one message to many users, each in their one-to-one conversation with the sender
    /// (`send_batch`); prints the batch of {"user_id","ref"}. A recipient the vendor refuses
    /// is a failed item (exit 3).
    Batch(BatchArgs),
    /// Send a system message to users (`send_system_message`; RongCloud: their system
    /// conversation, from --from or the configured system account, one of which it needs;
    /// Tencent: a one-to-one message from --from, else the configured system account, else the
    /// app admin); prints the batch of {"user_id","ref"}.
    System(SystemArgs),
    /// Recall a sent message by the "ref" its send printed (`recall_message`); prints
    /// {"ok":true}.
    Recall(RecallArgs),
    /// Read a conversation's history a page at a time (`message_history`); prints a page of
    /// {"ref","from","to","content","sent_at","recalled","dedup_key"}; a recalled message is
    /// marked "recalled" or left out, as the vendor keeps it.
    History(HistoryArgs),
    /// Import a message into a one-to-one history with its original time, notifying no one
    /// (`import_messages`; not RongCloud, which has no import API); prints the batch of refs.
    Import(ImportArgs),
}

/// What a message says: exactly one of `--text` and `--custom`.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("content").required(true).args(["text", "custom"])))]
pub struct ContentArgs {
    /// Text content.
    #[arg(long, value_name = "T")]
    text: Option<String>,
    /// Custom payload (e.g. JSON) instead of text.
    #[arg(long, value_name = "DATA")]
    custom: Option<String>,
}

impl TryFrom<ContentArgs> for MessageContent {
    type Error = Failure;

    fn try_from(a: ContentArgs) -> Result<Self, Failure> {
        match (a.text, a.custom) {
            (Some(text), None) => Ok(MessageContent::text(text)),
            (None, Some(data)) => Ok(MessageContent::custom(data)),
            _ => Err(Failure::Usage(
                "give exactly one of --text and --custom".into(),
            )),
        }
    }
}

/// The offline-push notification of a send.
#[derive(Debug, Args)]
pub struct PushArgs {
    /// The offline-push notification's title.
    #[arg(long, value_name = "T")]
    push_title: Option<String>,
    /// The offline-push notification's text.
    #[arg(long, value_name = "T")]
    push_body: Option<String>,
}

impl From<PushArgs> for Option<PushInfo> {
    fn from(a: PushArgs) -> Self {
        if a.push_title.is_none() && a.push_body.is_none() {
            return None;
        }
        let mut push = PushInfo::default();
        push.title = a.push_title;
        push.body = a.push_body;
        Some(push)
    }
}

/// `message send`.
#[derive(Debug, Args)]
pub struct SendArgs {
    /// The sender's user id.
    #[arg(long, value_name = "ID")]
    from: String,
    /// The recipient user id.
    #[arg(
        long,
        value_name = "ID",
        conflicts_with = "group",
        required_unless_present = "group"
    )]
    to: Option<String>,
    /// The recipient group id.
    #[arg(long, value_name = "G")]
    group: Option<String>,
    #[command(flatten)]
    content: ContentArgs,
    #[command(flatten)]
    push: PushArgs,
}

impl TryFrom<SendArgs> for SendMessage {
    type Error = Failure;

    fn try_from(a: SendArgs) -> Result<Self, Failure> {
        let content = a.content.try_into()?;
        let mut req = match (a.to, a.group) {
            (Some(to), None) => SendMessage::to_user(a.from, to, content),
            (None, Some(group)) => SendMessage::to_group(a.from, group, content),
            _ => {
                return Err(Failure::Usage(
                    "give exactly one of --to and --group".into(),
                ));
            }
        };
        req.push = a.push.into();
        Ok(req)
    }
}

/// `message batch`.
#[derive(Debug, Args)]
pub struct BatchArgs {
    /// The sender's user id.
    #[arg(long, value_name = "ID")]
    from: String,
    /// A recipient; repeat for more, or give several at once.
    #[arg(long, value_name = "ID", required = true, num_args = 1..)]
    to: Vec<String>,
    #[command(flatten)]
    content: ContentArgs,
    #[command(flatten)]
    push: PushArgs,
}

impl TryFrom<BatchArgs> for SendBatch {
    type Error = Failure;

    fn try_from(a: BatchArgs) -> Result<Self, Failure> {
        let mut req = SendBatch::new(a.from, a.to, a.content.try_into()?);
        req.push = a.push.into();
        Ok(req)
    }
}

/// `message system`.
#[derive(Debug, Args)]
pub struct SystemArgs {
    /// A recipient; repeat for more, or give several at once.
    #[arg(long, value_name = "ID", required = true, num_args = 1..)]
    to: Vec<String>,
    /// The sending account (default: the backend's system sender).
    #[arg(long, value_name = "ID")]
    from: Option<String>,
    #[command(flatten)]
    content: ContentArgs,
    #[command(flatten)]
    push: PushArgs,
}

impl TryFrom<SystemArgs> for SendSystemMessage {
    type Error = Failure;

    fn try_from(a: SystemArgs) -> Result<Self, Failure> {
        let mut req = SendSystemMessage::new(a.to, a.content.try_into()?);
        req.from = a.from;
        req.push = a.push.into();
        Ok(req)
    }
}

/// `message recall`.
#[derive(Debug, Args)]
pub struct RecallArgs {
    /// The message's reference: the "ref" its send printed.
    #[arg(value_name = "REF", value_parser = parse_ref)]
    message_ref: MessageRef,
}

/// A `REF` argument; one imbridge did not make is a usage error (exit 2).
fn parse_ref(text: &str) -> Result<MessageRef, String> {
    text.parse()
        .map_err(|_| "not a message reference imbridge made (the \"ref\" a send printed)".into())
}

impl From<RecallArgs> for RecallMessage {
    fn from(a: RecallArgs) -> Self {
        RecallMessage::new(a.message_ref)
    }
}

/// `message history`: `--from` and `--to` (a one-to-one conversation), or `--group`.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("conversation").required(true).args(["from", "group"])))]
pub struct HistoryArgs {
    /// The user whose side of a one-to-one conversation to read (needs --to).
    #[arg(long, value_name = "ID", requires = "to")]
    from: Option<String>,
    /// The other user of the one-to-one conversation (needs --from).
    #[arg(long, value_name = "ID", requires = "from")]
    to: Option<String>,
    /// A group whose history to read.
    #[arg(long, value_name = "G", conflicts_with_all = ["from", "to", "since", "until"])]
    group: Option<String>,
    /// With --group: the member whose side is read, where the vendor reads a group's history
    /// as one of its users (RongCloud needs one: this, else the configured group_operator or
    /// system_account). Tencent ignores it.
    #[arg(long = "as", value_name = "ID", conflicts_with_all = ["from", "to"])]
    viewer: Option<String>,
    /// Only messages sent at or after this time (Unix seconds).
    #[arg(long, value_name = "UNIX")]
    since: Option<u64>,
    /// Only messages sent before this time (Unix seconds).
    #[arg(long, value_name = "UNIX")]
    until: Option<u64>,
    /// The most messages per page (the vendor's default otherwise).
    #[arg(long, value_name = "N")]
    limit: Option<u32>,
    /// Start at this cursor (a previous page's "next").
    #[arg(long, value_name = "C")]
    cursor: Option<String>,
    /// Follow "next" to the last page and print every message as one page (stops, with a
    /// warning, if the vendor repeats a cursor).
    #[arg(long)]
    all: bool,
}

fn unix(secs: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(secs)
}

impl TryFrom<&HistoryArgs> for MessageHistory {
    type Error = Failure;

    fn try_from(a: &HistoryArgs) -> Result<Self, Failure> {
        let mut req = match (&a.from, &a.to, &a.group) {
            (Some(user), Some(peer), None) => MessageHistory::direct(user, peer),
            (None, None, Some(group)) => MessageHistory::group(group),
            _ => {
                return Err(Failure::Usage(
                    "give --from and --to (a one-to-one conversation) or --group".into(),
                ));
            }
        };
        if let (Some(since), Some(until)) = (a.since, a.until)
            && since >= until
        {
            return Err(Failure::Usage(format!(
                "--until ({until}) must be after --since ({since})"
            )));
        }
        req.since = a.since.map(unix);
        req.until = a.until.map(unix);
        req.viewer = a.viewer.clone();
        req.limit = a.limit;
        req.cursor = a.cursor.clone().map(Cursor::new);
        Ok(req)
    }
}

/// `message import`: one message into a one-to-one history.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The sender's user id.
    #[arg(long, value_name = "ID")]
    from: String,
    /// The recipient user id.
    #[arg(long, value_name = "ID")]
    to: String,
    #[command(flatten)]
    content: ContentArgs,
    /// When it was originally sent (Unix seconds).
    #[arg(long, value_name = "UNIX")]
    time: u64,
}

impl TryFrom<ImportArgs> for ImportMessages {
    type Error = Failure;

    fn try_from(a: ImportArgs) -> Result<Self, Failure> {
        let message = ImportedMessage::new(
            a.from,
            Recipient::User(a.to),
            a.content.try_into()?,
            unix(a.time),
        );
        Ok(ImportMessages::new(vec![message]))
    }
}

pub(crate) async fn run(im: &dyn ImProvider, cmd: MessageCommand) -> Result<(), Failure> {
    let messages = im.messages();
    match cmd {
        MessageCommand::Send(a) => emit(&messages.send_message(&a.try_into()?).await?),
        MessageCommand::Batch(a) => emit(&messages.send_batch(&a.try_into()?).await?),
        MessageCommand::System(a) => emit(&messages.send_system_message(&a.try_into()?).await?),
        MessageCommand::Recall(a) => emit(&messages.recall_message(&a.into()).await?),
        MessageCommand::History(a) => {
            let fetch = |req| async move { messages.message_history(&req).await };
            listing(MessageHistory::try_from(&a)?, a.all, fetch).await
        }
        MessageCommand::Import(a) => emit(&messages.import_messages(&a.try_into()?).await?),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Debug, Parser)]
    struct Cli {
        #[command(subcommand)]
        message: MessageCommand,
    }

    fn parse(args: &[&str]) -> Result<MessageCommand, clap::Error> {
        Cli::try_parse_from(std::iter::once("message").chain(args.iter().copied()))
            .map(|c| c.message)
    }

    #[test]
    fn send_takes_a_user_or_a_group_text_or_custom_and_a_push() {
        let MessageCommand::Send(a) = parse(&[
            "send",
            "--from",
            "a",
            "--to",
            "b",
            "--text",
            "hi",
            "--push-title",
            "New",
        ])
        .unwrap() else {
            panic!()
        };
        let req = SendMessage::try_from(a).unwrap();
        assert_eq!(req.to, Recipient::User("b".into()));
        assert_eq!(req.content, MessageContent::text("hi"));
        let push = req.push.unwrap();
        assert_eq!(
            (push.title.as_deref(), push.body.as_deref()),
            (Some("New"), None)
        );
        let MessageCommand::Send(a) =
            parse(&["send", "--from", "a", "--group", "g", "--custom", "{}"]).unwrap()
        else {
            panic!()
        };
        let req = SendMessage::try_from(a).unwrap();
        assert_eq!(req.to, Recipient::Group("g".into()));
        assert_eq!(req.content, MessageContent::custom("{}"));
        assert_eq!(req.push, None);
        for bad in [
            &["send", "--from", "a", "--text", "t"][..],
            &[
                "send", "--from", "a", "--to", "b", "--group", "g", "--text", "t",
            ],
            &["send", "--from", "a", "--to", "b"],
            &[
                "send", "--from", "a", "--to", "b", "--text", "t", "--custom", "c",
            ],
            &["send", "--to", "b", "--text", "t"],
        ] {
            assert!(parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn batch_and_system_take_several_recipients() {
        let MessageCommand::Batch(a) = parse(&[
            "batch", "--from", "a", "--to", "b", "c", "--to", "d", "--text", "t",
        ])
        .unwrap() else {
            panic!()
        };
        let req = SendBatch::try_from(a).unwrap();
        assert_eq!((req.from.as_str(), req.to.len()), ("a", 3));
        assert!(parse(&["batch", "--from", "a", "--text", "t"]).is_err());
        assert!(parse(&["batch", "--to", "b", "--text", "t"]).is_err());

        let MessageCommand::System(a) =
            parse(&["system", "--to", "b", "c", "--text", "t"]).unwrap()
        else {
            panic!()
        };
        let req = SendSystemMessage::try_from(a).unwrap();
        assert_eq!((req.from, req.to.len()), (None, 2));
        let MessageCommand::System(a) =
            parse(&["system", "--to", "b", "--from", "ops", "--text", "t"]).unwrap()
        else {
            panic!()
        };
        assert_eq!(
            SendSystemMessage::try_from(a).unwrap().from.as_deref(),
            Some("ops")
        );
        assert!(parse(&["system", "--text", "t"]).is_err());
    }

    #[test]
    fn recall_takes_a_reference_imbridge_made() {
        let r = MessageRef::new(imbridge::Vendor::Tencent, &["c2c", "a", "b", "1_2"]);
        let MessageCommand::Recall(a) = parse(&["recall", r.as_str()]).unwrap() else {
            panic!()
        };
        assert_eq!(RecallMessage::from(a).message_ref, r);
        assert!(parse(&["recall", "nonsense"]).is_err());
        assert!(parse(&["recall"]).is_err());
    }

    #[test]
    fn history_reads_a_direct_conversation_or_a_group() {
        let MessageCommand::History(a) = parse(&[
            "history", "--from", "a", "--to", "b", "--since", "100", "--until", "200", "--limit",
            "5", "--cursor", "c1", "--all",
        ])
        .unwrap() else {
            panic!()
        };
        assert!(a.all);
        let req = MessageHistory::try_from(&a).unwrap();
        assert_eq!(req, {
            MessageHistory::direct("a", "b")
                .since(unix(100))
                .until(unix(200))
                .limit(5)
                .cursor(Cursor::new("c1"))
        });
        let MessageCommand::History(a) = parse(&["history", "--group", "g"]).unwrap() else {
            panic!()
        };
        assert_eq!(
            MessageHistory::try_from(&a).unwrap(),
            MessageHistory::group("g")
        );
        let MessageCommand::History(a) = parse(&["history", "--group", "g", "--as", "a"]).unwrap()
        else {
            panic!()
        };
        assert_eq!(
            MessageHistory::try_from(&a).unwrap(),
            MessageHistory::group("g").as_user("a")
        );
        for bad in [
            &["history"][..],
            &["history", "--from", "a"],
            &["history", "--to", "b"],
            &["history", "--group", "g", "--from", "a", "--to", "b"],
            &["history", "--group", "g", "--since", "1"],
            &["history", "--from", "a", "--to", "b", "--as", "a"],
        ] {
            assert!(parse(bad).is_err(), "{bad:?}");
        }
        let MessageCommand::History(a) = parse(&[
            "history", "--from", "a", "--to", "b", "--since", "200", "--until", "100",
        ])
        .unwrap() else {
            panic!()
        };
        assert!(matches!(
            MessageHistory::try_from(&a),
            Err(Failure::Usage(_))
        ));
    }

    #[test]
    fn import_is_one_message_with_its_time() {
        let MessageCommand::Import(a) = parse(&[
            "import",
            "--from",
            "a",
            "--to",
            "b",
            "--text",
            "old",
            "--time",
            "1600000000",
        ])
        .unwrap() else {
            panic!()
        };
        let req = ImportMessages::try_from(a).unwrap();
        assert_eq!(
            req.messages,
            [ImportedMessage::new(
                "a",
                Recipient::User("b".into()),
                MessageContent::text("old"),
                unix(1_600_000_000)
            )]
        );
        assert!(parse(&["import", "--from", "a", "--to", "b", "--text", "old"]).is_err());
    }
}
