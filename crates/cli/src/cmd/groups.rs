//! `imbridge group …`: the groups family (`im.groups()`).
//!
//! | command | operation |
//! |---|---|
//! | `group create --owner ID --name N [--id G] [--member ID]... [--kind K]` | `create_group` |

use clap::{Args, Subcommand};
use imbridge::prelude::*;
use imbridge::{CreateGroup, GroupKind};

use crate::cmd::emit;
use crate::failure::Failure;

#[derive(Debug, Subcommand)]
pub enum GroupCommand {
    /// Create a group (`create_group`); prints {"group_id"}.
    Create(CreateArgs),
}

/// `group create`.
#[derive(Debug, Args)]
pub struct CreateArgs {
    /// The owner's user id.
    #[arg(long)]
    owner: String,
    /// The group's name.
    #[arg(long)]
    name: String,
    /// A caller-chosen group id.
    #[arg(long)]
    id: Option<String>,
    /// An initial member; repeat for more.
    #[arg(long = "member", value_name = "ID")]
    members: Vec<String>,
    /// Group kind: public, work, meeting, av_chat_room, community.
    #[arg(long, default_value = "public")]
    kind: String,
}

impl TryFrom<CreateArgs> for CreateGroup {
    type Error = Failure;

    fn try_from(a: CreateArgs) -> Result<Self, Failure> {
        let kind = GroupKind::parse(&a.kind).ok_or_else(|| {
            Failure::Usage(format!(
                "--kind `{}` must be public, work, meeting, av_chat_room or community",
                a.kind
            ))
        })?;
        let mut req = CreateGroup::new(a.name)
            .owner(a.owner)
            .kind(kind)
            .members(a.members);
        req.group_id = a.id;
        Ok(req)
    }
}

pub(crate) async fn run(im: &dyn ImProvider, cmd: GroupCommand) -> Result<(), Failure> {
    match cmd {
        GroupCommand::Create(a) => emit(&im.groups().create_group(&a.try_into()?).await?),
    }
}
