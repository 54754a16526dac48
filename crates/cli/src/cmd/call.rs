//! `imbridge call OPERATION --json '{…}'`: any operation of the registry
//! ([`imbridge::Operation`]), its request given as JSON (the core request type's serde form,
//! unknown fields refused), its result printed through serde; `imbridge call --list` prints the
//! registry with the vendors that support each operation.
//!
//! The dispatch is one table ([`dispatch!`]) from operation to family method and request type.
//! An operation of the registry missing from it is refused as "not handled by this build" and
//! fails the tests that walk [`Operation::ALL`].

use std::io::Read;

use clap::Args;
use imbridge::compare::capability_matrix;
use imbridge::prelude::*;
use imbridge::{
    AddGroupMembers, BanUsers, CheckUsers, CreateGroup, DeleteUsers, DismissGroup, ForceLogout,
    GetGroups, GetProfiles, ImportMessages, IssueToken, ListBannedUsers, ListGroupMembers,
    ListGroups, ListJoinedGroups, ListMutedMembers, MessageHistory, MuteGroupMembers, Operation,
    QueryOnline, RecallMessage, RegisterUser, RegisterUsers, RemoveGroupMembers, SendBatch,
    SendMessage, SendSystemMessage, SetGroupMuteAll, SetProfile, TransferGroup, UnbanUsers,
    UpdateGroup,
};
use serde::Serialize;

use crate::args::Connection;
use crate::cmd::emit;
use crate::connect;
use crate::failure::Failure;

/// `imbridge call`.
#[derive(Debug, Args)]
pub struct CallArgs {
    /// The operation's snake_case name, e.g. `register_users` (`imbridge call --list` prints
    /// them all).
    #[arg(
        value_name = "OPERATION",
        required_unless_present = "list",
        conflicts_with = "list"
    )]
    operation: Option<String>,
    /// The request as a JSON object: the fields of the operation's request type in imbridge
    /// (e.g. register_users: {"users":[{"user_id":"a","nickname":"A"}]}); `-` reads it from
    /// stdin. Default: {}.
    #[arg(long, value_name = "JSON", conflicts_with = "list")]
    json: Option<String>,
    /// Print the operations as JSON: [{"name","family","access","vendors"}].
    #[arg(long)]
    list: bool,
}

/// Declares [`Request`] (one variant per operation, holding its request) from one table of
/// `Operation variant => family accessor . method (request type)`.
macro_rules! dispatch {
    ($( $op:ident => $family:ident . $method:ident ( $req:ident ) ),* $(,)?) => {
        /// The request of one operation, parsed from `--json`.
        #[derive(Debug)]
        enum Request {
            $( $op($req), )*
        }

        impl Request {
            /// The request of `op` in `json`; `None` when this build does not handle `op`.
            fn parse(op: Operation, json: &str) -> Option<Result<Request, Failure>> {
                match op {
                    $( Operation::$op => Some(
                        serde_json::from_str::<$req>(json)
                            .map(Request::$op)
                            .map_err(|e| body_error(op, stringify!($req), e)),
                    ), )*
                    _ => None,
                }
            }

            /// Calls the operation and prints its result.
            async fn run(&self, im: &dyn ImProvider) -> Result<(), Failure> {
                match self {
                    $( Request::$op(req) => emit(&im.$family().$method(req).await?), )*
                }
            }
        }
    };
}

dispatch! {
    RegisterUser => users.register_user(RegisterUser),
    RegisterUsers => users.register_users(RegisterUsers),
    IssueToken => users.issue_token(IssueToken),
    DeleteUsers => users.delete_users(DeleteUsers),
    CheckUsers => users.check_users(CheckUsers),
    QueryOnline => users.query_online(QueryOnline),
    ForceLogout => users.force_logout(ForceLogout),
    BanUsers => users.ban_users(BanUsers),
    UnbanUsers => users.unban_users(UnbanUsers),
    ListBannedUsers => users.list_banned_users(ListBannedUsers),
    SetProfile => profiles.set_profile(SetProfile),
    GetProfiles => profiles.get_profiles(GetProfiles),
    CreateGroup => groups.create_group(CreateGroup),
    GetGroups => groups.get_groups(GetGroups),
    ListGroups => groups.list_groups(ListGroups),
    UpdateGroup => groups.update_group(UpdateGroup),
    DismissGroup => groups.dismiss_group(DismissGroup),
    TransferGroup => groups.transfer_group(TransferGroup),
    AddGroupMembers => groups.add_group_members(AddGroupMembers),
    RemoveGroupMembers => groups.remove_group_members(RemoveGroupMembers),
    ListGroupMembers => groups.list_group_members(ListGroupMembers),
    ListJoinedGroups => groups.list_joined_groups(ListJoinedGroups),
    MuteGroupMembers => groups.mute_group_members(MuteGroupMembers),
    ListMutedMembers => groups.list_muted_members(ListMutedMembers),
    SetGroupMuteAll => groups.set_group_mute_all(SetGroupMuteAll),
    SendMessage => messages.send_message(SendMessage),
    SendBatch => messages.send_batch(SendBatch),
    SendSystemMessage => messages.send_system_message(SendSystemMessage),
    RecallMessage => messages.recall_message(RecallMessage),
    MessageHistory => messages.message_history(MessageHistory),
    ImportMessages => messages.import_messages(ImportMessages),
}

fn body_error(op: Operation, ty: &str, e: serde_json::Error) -> Failure {
    Failure::Usage(format!(
        "--json is not a `{op}` request (imbridge's `{ty}` as JSON): {e}"
    ))
}

fn unknown_operation(name: &str) -> Failure {
    Failure::Usage(format!(
        "unknown operation `{name}`; `imbridge call --list` prints the operations"
    ))
}

/// The operation named `name` and its request, checked before anything is sent.
fn request(name: &str, json: &str) -> Result<Request, Failure> {
    let op = Operation::from_name(name).ok_or_else(|| unknown_operation(name))?;
    Request::parse(op, json).unwrap_or_else(|| {
        Err(Failure::Other(format!(
            "operation `{op}` is in imbridge's registry but this build of the CLI does not handle it"
        )))
    })
}

/// The registry as JSON: every operation with its family, access and the compiled vendors
/// whose capabilities support it (a vendor configuration that changes them has its own key,
/// e.g. `rongcloud_hosted`).
fn registry() -> Vec<OperationRow> {
    let matrix = capability_matrix();
    Operation::ALL
        .iter()
        .map(|op| {
            let vendors: Vec<&str> = matrix
                .iter()
                .filter(|c| c.capabilities.supports(*op))
                .map(|c| c.key)
                .collect();
            OperationRow {
                name: op.as_str(),
                family: op.family().map(|f| f.as_str()),
                access: op.access().as_str(),
                vendors,
            }
        })
        .collect()
}

/// One operation of `imbridge call --list`.
#[derive(Serialize)]
struct OperationRow {
    name: &'static str,
    family: Option<&'static str>,
    access: &'static str,
    vendors: Vec<&'static str>,
}

pub(crate) async fn run(conn: &Connection, args: CallArgs) -> Result<(), Failure> {
    let Some(name) = args.operation else {
        let list = serde_json::to_string(&registry())
            .map_err(|e| Failure::Other(format!("cannot print the registry: {e}")))?;
        println!("{list}");
        return Ok(());
    };
    let json = match args.json.as_deref() {
        None => "{}".to_owned(),
        Some("-") => {
            let mut text = String::new();
            std::io::stdin()
                .read_to_string(&mut text)
                .map_err(|e| Failure::Usage(format!("cannot read --json from stdin: {e}")))?;
            text
        }
        Some(text) => text.to_owned(),
    };
    let request = request(&name, &json)?;
    let im = connect::provider(conn)?;
    request.run(im.as_ref()).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_operation_of_the_registry_is_handled() {
        for op in Operation::ALL {
            assert!(
                Request::parse(*op, "{}").is_some(),
                "`imbridge call` does not handle `{op}`: add it to the dispatch! table"
            );
        }
    }

    #[test]
    fn bodies_are_the_request_types_with_unknown_fields_refused() {
        let req = request("register_users", r#"{"users":[{"user_id":"a"}]}"#).unwrap();
        assert!(matches!(req, Request::RegisterUsers(r) if r.users[0].user_id == "a"));
        let req = request("ban_users", r#"{"user_ids":["a"],"seconds":120}"#).unwrap();
        assert!(matches!(req, Request::BanUsers(r) if r.duration.as_secs() == 120));
        for (name, body) in [
            ("register_users", r#"{"users":[],"extra":1}"#),
            ("list_banned_users", r#"{"page":2}"#),
            ("check_users", "not json"),
            ("check_users", "{}"),
        ] {
            match request(name, body) {
                Err(Failure::Usage(msg)) => assert!(msg.starts_with("--json is not a"), "{msg}"),
                other => panic!("{name} {body}: {other:?}"),
            }
        }
        match request("no_such_operation", "{}") {
            Err(Failure::Usage(msg)) => assert!(msg.contains("imbridge call --list"), "{msg}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn group_bodies_are_the_group_request_types() {
        let req = request(
            "mute_group_members",
            r#"{"group_id":"g1","user_ids":["a"],"seconds":0}"#,
        )
        .unwrap();
        assert!(matches!(req, Request::MuteGroupMembers(r) if r.is_unmute()));
        let req = request("set_group_mute_all", r#"{"group_id":"g1","on":true}"#).unwrap();
        assert!(matches!(req, Request::SetGroupMuteAll(r) if r.on));
        let req = request(
            "update_group",
            r#"{"group_id":"g1","join_option":"need_permission"}"#,
        )
        .unwrap();
        assert!(
            matches!(req, Request::UpdateGroup(r) if r.join_option == Some(imbridge::JoinOption::NeedPermission))
        );
        let req = request(
            "list_group_members",
            r#"{"group_id":"g1","limit":2,"cursor":"c"}"#,
        )
        .unwrap();
        assert!(matches!(req, Request::ListGroupMembers(r) if r.limit == Some(2)));
        for (name, body) in [
            ("transfer_group", r#"{"group_id":"g1"}"#),
            ("set_group_mute_all", r#"{"group_id":"g1","on":"yes"}"#),
            ("get_groups", r#"{"group_ids":["g1"],"fields":[]}"#),
        ] {
            match request(name, body) {
                Err(Failure::Usage(msg)) => assert!(msg.starts_with("--json is not a"), "{msg}"),
                other => panic!("{name} {body}: {other:?}"),
            }
        }
    }

    #[test]
    fn the_registry_lists_every_operation_with_its_vendors() {
        let list = serde_json::to_value(registry()).unwrap();
        let list = list.as_array().unwrap();
        assert_eq!(list.len(), Operation::ALL.len());
        let ban = list.iter().find(|o| o["name"] == "ban_users").unwrap();
        assert_eq!(ban["family"], "users");
        assert_eq!(ban["access"], "write");
        assert_eq!(ban["vendors"], json!(["rongcloud", "rongcloud_hosted"]));
        let send = list.iter().find(|o| o["name"] == "send_message").unwrap();
        assert_eq!(
            send["vendors"],
            json!(["tencent", "rongcloud", "rongcloud_hosted"])
        );
        let info = list.iter().find(|o| o["name"] == "get_groups").unwrap();
        assert_eq!(info["vendors"], json!(["tencent", "rongcloud_hosted"]));
    }
}
