//! `imbridge group …`: the groups family (`im.groups()`).
//!
//! | command | operation |
//! |---|---|
//! | `group create --owner ID --name N [--id G] [--member ID]... [--kind K]` | `create_group` |
//! | `group info GID...` | `get_groups` |
//! | `group list [--limit N] [--cursor C] [--all]` | `list_groups` |
//! | `group update GID [--name N] [--introduction T] [--notification T] [--avatar URL] [--max-members N] [--join-option O]` | `update_group` |
//! | `group dismiss GID [--operator ID]` | `dismiss_group` |
//! | `group transfer GID --to ID` | `transfer_group` |
//! | `group add-members GID --member ID...` | `add_group_members` |
//! | `group remove-members GID --member ID...` | `remove_group_members` |
//! | `group members GID [--limit N] [--cursor C] [--all]` | `list_group_members` |
//! | `group joined USER [--limit N] [--cursor C] [--all]` | `list_joined_groups` |
//! | `group mute GID --member ID... --seconds S` | `mute_group_members` (`--seconds 0` unmutes) |
//! | `group muted GID` | `list_muted_members` |
//! | `group mute-all GID (--on \| --off)` | `set_group_mute_all` |
//!
//! `--member` may be repeated and takes several ids at once (`--member a b --member c`).

use std::time::Duration;

use clap::{ArgGroup, Args, Subcommand, ValueEnum};
use imbridge::prelude::*;
use imbridge::{
    AddGroupMembers, CreateGroup, Cursor, DismissGroup, GetGroups, GroupKind, JoinOption,
    ListGroupMembers, ListGroups, ListJoinedGroups, ListMutedMembers, MuteGroupMembers,
    RemoveGroupMembers, SetGroupMuteAll, TransferGroup, UpdateGroup,
};

use crate::cmd::{emit, listing};
use crate::failure::Failure;

#[derive(Debug, Subcommand)]
pub enum GroupCommand {
    /// Create a group (`create_group`); prints {"group_id"}.
    Create(CreateArgs),
    /// Read groups (`get_groups`; not RongCloud basic groups); prints the batch of group
    /// profiles: {"group_id","name","kind","owner","member_count","created_at","mute_all",…},
    /// null where the vendor does not say. An unknown group is a failed item (exit 3).
    Info(GroupIds),
    /// List the ids of the app's groups (`list_groups`; not RongCloud basic groups); prints a
    /// page: {"items":[ids],"next":cursor-or-null,"total":n-or-null}.
    List(ListArgs),
    /// Change some of a group's profile fields (`update_group`); prints {"ok":true}.
    Update(UpdateArgs),
    /// Dismiss (delete) a group (`dismiss_group`); prints {"ok":true}.
    Dismiss(DismissArgs),
    /// Make another member the owner (`transfer_group`; not RongCloud basic groups); prints
    /// {"ok":true}.
    Transfer(TransferArgs),
    /// Add members (`add_group_members`); prints the batch of {"user_id","outcome"} (added,
    /// already_member or pending).
    AddMembers(MemberArgs),
    /// Remove members (`remove_group_members`); prints the batch of removed ids.
    RemoveMembers(MemberArgs),
    /// List a group's members (`list_group_members`); prints a page of
    /// {"user_id","role","joined_at","muted_until"} (null where the vendor does not say).
    Members(MembersArgs),
    /// List the ids of the groups a user belongs to (`list_joined_groups`); prints a page.
    Joined(JoinedArgs),
    /// Mute members for S seconds, or unmute them with `--seconds 0` (`mute_group_members`);
    /// prints the batch of ids.
    Mute(MuteArgs),
    /// List the members muted now (`list_muted_members`); prints a page of
    /// {"user_id","until"}.
    Muted(GroupId),
    /// Mute (`--on`) or unmute (`--off`) the whole group (`set_group_mute_all`); prints
    /// {"ok":true}.
    MuteAll(MuteAllArgs),
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
    /// An initial member; repeat for more, or give several at once.
    #[arg(long = "member", value_name = "ID", num_args = 1..)]
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

/// The groups a command is about.
#[derive(Debug, Args)]
pub struct GroupIds {
    /// The groups' ids.
    #[arg(required = true, value_name = "GID")]
    ids: Vec<String>,
}

impl From<GroupIds> for GetGroups {
    fn from(a: GroupIds) -> Self {
        GetGroups::new(a.ids)
    }
}

/// The group a command is about.
#[derive(Debug, Args)]
pub struct GroupId {
    /// The group's id.
    #[arg(value_name = "GID")]
    id: String,
}

impl From<GroupId> for ListMutedMembers {
    fn from(a: GroupId) -> Self {
        ListMutedMembers::new(a.id)
    }
}

/// The paging flags of a listing.
#[derive(Debug, Args)]
pub struct PageFlags {
    /// The most items per page (the vendor's default otherwise).
    #[arg(long, value_name = "N")]
    limit: Option<u32>,
    /// Start at this cursor (a previous page's "next").
    #[arg(long, value_name = "C")]
    cursor: Option<String>,
    /// Follow "next" to the last page and print every item as one page (stops, with a warning,
    /// if the vendor repeats a cursor).
    #[arg(long)]
    all: bool,
}

impl PageFlags {
    fn cursor(&self) -> Option<Cursor> {
        self.cursor.clone().map(Cursor::new)
    }
}

/// `group list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    #[command(flatten)]
    page: PageFlags,
}

impl From<&ListArgs> for ListGroups {
    fn from(a: &ListArgs) -> Self {
        let mut req = ListGroups::new();
        req.limit = a.page.limit;
        req.cursor = a.page.cursor();
        req
    }
}

/// `group members`.
#[derive(Debug, Args)]
pub struct MembersArgs {
    /// The group's id.
    #[arg(value_name = "GID")]
    id: String,
    #[command(flatten)]
    page: PageFlags,
}

impl From<&MembersArgs> for ListGroupMembers {
    fn from(a: &MembersArgs) -> Self {
        let mut req = ListGroupMembers::new(a.id.clone());
        req.limit = a.page.limit;
        req.cursor = a.page.cursor();
        req
    }
}

/// `group joined`.
#[derive(Debug, Args)]
pub struct JoinedArgs {
    /// The user's id.
    #[arg(value_name = "USER")]
    user: String,
    #[command(flatten)]
    page: PageFlags,
}

impl From<&JoinedArgs> for ListJoinedGroups {
    fn from(a: &JoinedArgs) -> Self {
        let mut req = ListJoinedGroups::new(a.user.clone());
        req.limit = a.page.limit;
        req.cursor = a.page.cursor();
        req
    }
}

/// Who may join a group, as `--join-option` spells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
#[value(rename_all = "snake_case")]
pub enum JoinOptionArg {
    /// Anyone may join.
    FreeAccess,
    /// A request to join needs an admin's approval.
    NeedPermission,
    /// No one may ask to join.
    DisableApply,
}

impl From<JoinOptionArg> for JoinOption {
    fn from(o: JoinOptionArg) -> Self {
        match o {
            JoinOptionArg::FreeAccess => JoinOption::FreeAccess,
            JoinOptionArg::NeedPermission => JoinOption::NeedPermission,
            JoinOptionArg::DisableApply => JoinOption::DisableApply,
        }
    }
}

/// `group update`: at least one field.
#[derive(Debug, Args)]
#[command(group(
    ArgGroup::new("fields")
        .required(true)
        .multiple(true)
        .args(["name", "introduction", "notification", "avatar", "max_members", "join_option"])
))]
pub struct UpdateArgs {
    /// The group's id.
    #[arg(value_name = "GID")]
    id: String,
    /// A new name.
    #[arg(long, value_name = "N")]
    name: Option<String>,
    /// A new introduction.
    #[arg(long, value_name = "T")]
    introduction: Option<String>,
    /// A new notice shown to members.
    #[arg(long, value_name = "T")]
    notification: Option<String>,
    /// A new avatar URL.
    #[arg(long, value_name = "URL")]
    avatar: Option<String>,
    /// A new member limit.
    #[arg(long, value_name = "N")]
    max_members: Option<u32>,
    /// Who may join.
    #[arg(long, value_enum, value_name = "OPTION")]
    join_option: Option<JoinOptionArg>,
}

impl From<UpdateArgs> for UpdateGroup {
    fn from(a: UpdateArgs) -> Self {
        let mut req = UpdateGroup::new(a.id);
        req.name = a.name;
        req.introduction = a.introduction;
        req.notification = a.notification;
        req.avatar_url = a.avatar;
        req.max_members = a.max_members;
        req.join_option = a.join_option.map(Into::into);
        req
    }
}

/// `group dismiss`.
#[derive(Debug, Args)]
pub struct DismissArgs {
    /// The group's id.
    #[arg(value_name = "GID")]
    id: String,
    /// The user who dismisses it, where the vendor needs one (RongCloud basic groups; the
    /// configured default otherwise).
    #[arg(long, value_name = "ID")]
    operator: Option<String>,
}

impl From<DismissArgs> for DismissGroup {
    fn from(a: DismissArgs) -> Self {
        let mut req = DismissGroup::new(a.id);
        req.operator = a.operator;
        req
    }
}

/// `group transfer`.
#[derive(Debug, Args)]
pub struct TransferArgs {
    /// The group's id.
    #[arg(value_name = "GID")]
    id: String,
    /// The new owner (a member).
    #[arg(long, value_name = "ID")]
    to: String,
}

impl From<TransferArgs> for TransferGroup {
    fn from(a: TransferArgs) -> Self {
        TransferGroup::new(a.id, a.to)
    }
}

/// `group add-members` and `group remove-members`.
#[derive(Debug, Args)]
pub struct MemberArgs {
    /// The group's id.
    #[arg(value_name = "GID")]
    id: String,
    /// A user; repeat for more, or give several at once.
    #[arg(long = "member", value_name = "ID", required = true, num_args = 1..)]
    members: Vec<String>,
}

impl From<MemberArgs> for AddGroupMembers {
    fn from(a: MemberArgs) -> Self {
        AddGroupMembers::new(a.id, a.members)
    }
}

impl From<MemberArgs> for RemoveGroupMembers {
    fn from(a: MemberArgs) -> Self {
        RemoveGroupMembers::new(a.id, a.members)
    }
}

/// `group mute`.
#[derive(Debug, Args)]
pub struct MuteArgs {
    /// The group's id.
    #[arg(value_name = "GID")]
    id: String,
    /// A member; repeat for more, or give several at once.
    #[arg(long = "member", value_name = "ID", required = true, num_args = 1..)]
    members: Vec<String>,
    /// How long they stay muted, in seconds; 0 unmutes (RongCloud: whole minutes, up to 30
    /// days).
    #[arg(long, value_name = "S")]
    seconds: u64,
}

impl From<MuteArgs> for MuteGroupMembers {
    fn from(a: MuteArgs) -> Self {
        MuteGroupMembers::new(a.id, a.members, Duration::from_secs(a.seconds))
    }
}

/// `group mute-all`: exactly one of `--on` and `--off`.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("state").required(true).args(["on", "off"])))]
pub struct MuteAllArgs {
    /// The group's id.
    #[arg(value_name = "GID")]
    id: String,
    /// Mute everyone.
    #[arg(long)]
    on: bool,
    /// Lift the group-wide mute.
    #[arg(long)]
    off: bool,
}

impl From<MuteAllArgs> for SetGroupMuteAll {
    fn from(a: MuteAllArgs) -> Self {
        SetGroupMuteAll::new(a.id, a.on)
    }
}

pub(crate) async fn run(im: &dyn ImProvider, cmd: GroupCommand) -> Result<(), Failure> {
    let groups = im.groups();
    match cmd {
        GroupCommand::Create(a) => emit(&groups.create_group(&a.try_into()?).await?),
        GroupCommand::Info(a) => emit(&groups.get_groups(&a.into()).await?),
        GroupCommand::List(a) => {
            listing(ListGroups::from(&a), a.page.all, |req| async move {
                groups.list_groups(&req).await
            })
            .await
        }
        GroupCommand::Update(a) => emit(&groups.update_group(&a.into()).await?),
        GroupCommand::Dismiss(a) => emit(&groups.dismiss_group(&a.into()).await?),
        GroupCommand::Transfer(a) => emit(&groups.transfer_group(&a.into()).await?),
        GroupCommand::AddMembers(a) => emit(&groups.add_group_members(&a.into()).await?),
        GroupCommand::RemoveMembers(a) => emit(&groups.remove_group_members(&a.into()).await?),
        GroupCommand::Members(a) => {
            listing(ListGroupMembers::from(&a), a.page.all, |req| async move {
                groups.list_group_members(&req).await
            })
            .await
        }
        GroupCommand::Joined(a) => {
            listing(ListJoinedGroups::from(&a), a.page.all, |req| async move {
                groups.list_joined_groups(&req).await
            })
            .await
        }
        GroupCommand::Mute(a) => emit(&groups.mute_group_members(&a.into()).await?),
        GroupCommand::Muted(a) => emit(&groups.list_muted_members(&a.into()).await?),
        GroupCommand::MuteAll(a) => emit(&groups.set_group_mute_all(&a.into()).await?),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Debug, Parser)]
    struct Cli {
        #[command(subcommand)]
        group: GroupCommand,
    }

    fn parse(args: &[&str]) -> Result<GroupCommand, clap::Error> {
        Cli::try_parse_from(std::iter::once("group").chain(args.iter().copied())).map(|c| c.group)
    }

    #[test]
    fn members_repeat_or_come_several_at_once() {
        let GroupCommand::AddMembers(a) =
            parse(&["add-members", "g1", "--member", "a", "b", "--member", "c"]).unwrap()
        else {
            panic!()
        };
        let req = AddGroupMembers::from(a);
        assert_eq!(
            (req.group_id.as_str(), req.user_ids),
            ("g1", vec!["a".into(), "b".into(), "c".into()])
        );
        assert!(parse(&["remove-members", "g1"]).is_err());
    }

    #[test]
    fn mute_seconds_zero_unmutes() {
        let GroupCommand::Mute(a) =
            parse(&["mute", "g1", "--member", "a", "--seconds", "0"]).unwrap()
        else {
            panic!()
        };
        assert!(MuteGroupMembers::from(a).is_unmute());
        assert!(parse(&["mute", "g1", "--member", "a"]).is_err());
    }

    #[test]
    fn mute_all_takes_exactly_one_of_on_and_off() {
        for (flag, on) in [("--on", true), ("--off", false)] {
            let GroupCommand::MuteAll(a) = parse(&["mute-all", "g1", flag]).unwrap() else {
                panic!()
            };
            assert_eq!(SetGroupMuteAll::from(a).on, on);
        }
        assert!(parse(&["mute-all", "g1"]).is_err());
        assert!(parse(&["mute-all", "g1", "--on", "--off"]).is_err());
    }

    #[test]
    fn update_needs_a_field_and_spells_join_options_in_snake_case() {
        assert!(parse(&["update", "g1"]).is_err());
        let GroupCommand::Update(a) = parse(&[
            "update",
            "g1",
            "--introduction",
            "hi",
            "--max-members",
            "50",
            "--join-option",
            "need_permission",
        ])
        .unwrap() else {
            panic!()
        };
        let req = UpdateGroup::from(a);
        assert_eq!(req.introduction.as_deref(), Some("hi"));
        assert_eq!(req.max_members, Some(50));
        assert_eq!(req.join_option, Some(JoinOption::NeedPermission));
        assert!(req.name.is_none());
        assert!(parse(&["update", "g1", "--join-option", "anyone"]).is_err());
    }

    #[test]
    fn listings_take_limit_and_cursor() {
        let GroupCommand::Members(a) =
            parse(&["members", "g1", "--limit", "2", "--cursor", "c1", "--all"]).unwrap()
        else {
            panic!()
        };
        assert!(a.page.all);
        let req = ListGroupMembers::from(&a);
        assert_eq!(req.limit, Some(2));
        assert_eq!(req.cursor, Some(Cursor::new("c1")));
        let GroupCommand::Joined(a) = parse(&["joined", "alice"]).unwrap() else {
            panic!()
        };
        let req = ListJoinedGroups::from(&a);
        assert_eq!(
            (req.user_id.as_str(), req.limit, req.cursor),
            ("alice", None, None)
        );
    }
}
