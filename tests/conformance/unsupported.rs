//! Every operation a backend's capabilities leave out is refused with `Unsupported`, and
//! nothing is sent; every operation they list is implemented (never refused as unsupported).

use std::time::Duration;

use imbridge::{
    AddGroupMembers, BanUsers, CheckUsers, CreateGroup, DeleteUsers, DismissGroup, ErrorKind,
    ForceLogout, GetGroups, GetProfiles, ImportMessages, ImportedMessage, IssueToken,
    ListBannedUsers, ListGroupMembers, ListGroups, ListJoinedGroups, ListMutedMembers,
    MessageContent, MessageHistory, MuteGroupMembers, Operation, QueryOnline, RecallMessage,
    Recipient, RegisterUser, RegisterUsers, RemoveGroupMembers, Result, SendBatch, SendMessage,
    SendSystemMessage, SetGroupMuteAll, SetProfile, TransferGroup, UnbanUsers, UpdateGroup,
};

use crate::backend::Backend;
use crate::harness::refused;

/// The group the probes use.
const GROUP: &str = "probegroup";

/// Calls `op` with a small valid request and keeps only whether it worked and how it failed.
/// A new operation in the registry that is not handled here fails the test.
async fn call(b: &Backend, op: Operation) -> Result<()> {
    let users = b.im.users();
    let user = "probe";
    match op {
        Operation::RegisterUser => users
            .register_user(&RegisterUser::new(user))
            .await
            .map(drop),
        Operation::RegisterUsers => users
            .register_users(&RegisterUsers::new([user]))
            .await
            .map(drop),
        Operation::IssueToken => users.issue_token(&IssueToken::new(user)).await.map(drop),
        Operation::DeleteUsers => users
            .delete_users(&DeleteUsers::new([user]))
            .await
            .map(drop),
        Operation::CheckUsers => users.check_users(&CheckUsers::new([user])).await.map(drop),
        Operation::QueryOnline => users
            .query_online(&QueryOnline::new([user]))
            .await
            .map(drop),
        Operation::ForceLogout => users.force_logout(&ForceLogout::new(user)).await,
        Operation::BanUsers => users
            .ban_users(&BanUsers::new([user], Duration::from_secs(60)))
            .await
            .map(drop),
        Operation::UnbanUsers => users.unban_users(&UnbanUsers::new([user])).await.map(drop),
        Operation::ListBannedUsers => users
            .list_banned_users(&ListBannedUsers::new())
            .await
            .map(drop),
        Operation::SetProfile => {
            b.im.profiles()
                .set_profile(&SetProfile::new(user).nickname("P"))
                .await
        }
        Operation::GetProfiles => {
            b.im.profiles()
                .get_profiles(&GetProfiles::new([user]))
                .await
                .map(drop)
        }
        Operation::CreateGroup => {
            b.im.groups()
                .create_group(&CreateGroup::new("probe").owner(user).group_id(GROUP))
                .await
                .map(drop)
        }
        Operation::GetGroups => {
            b.im.groups()
                .get_groups(&GetGroups::new([GROUP]))
                .await
                .map(drop)
        }
        Operation::ListGroups => {
            b.im.groups()
                .list_groups(&ListGroups::new())
                .await
                .map(drop)
        }
        Operation::UpdateGroup => {
            let req = UpdateGroup::new(GROUP).name("probe2");
            b.im.groups().update_group(&req).await
        }
        Operation::DismissGroup => {
            let req = DismissGroup::new("probegone").operator(user);
            b.im.groups().dismiss_group(&req).await
        }
        Operation::TransferGroup => {
            let req = TransferGroup::new(GROUP, user);
            b.im.groups().transfer_group(&req).await
        }
        Operation::AddGroupMembers => {
            let req = AddGroupMembers::new(GROUP, [user]);
            b.im.groups().add_group_members(&req).await.map(drop)
        }
        Operation::RemoveGroupMembers => {
            let req = RemoveGroupMembers::new(GROUP, ["nobody"]);
            b.im.groups().remove_group_members(&req).await.map(drop)
        }
        Operation::ListGroupMembers => {
            let req = ListGroupMembers::new(GROUP);
            b.im.groups().list_group_members(&req).await.map(drop)
        }
        Operation::ListJoinedGroups => {
            let req = ListJoinedGroups::new(user);
            b.im.groups().list_joined_groups(&req).await.map(drop)
        }
        Operation::MuteGroupMembers => {
            let req = MuteGroupMembers::new(GROUP, [user], Duration::from_secs(60));
            b.im.groups().mute_group_members(&req).await.map(drop)
        }
        Operation::ListMutedMembers => {
            let req = ListMutedMembers::new(GROUP);
            b.im.groups().list_muted_members(&req).await.map(drop)
        }
        Operation::SetGroupMuteAll => {
            let req = SetGroupMuteAll::new(GROUP, false);
            b.im.groups().set_group_mute_all(&req).await
        }
        Operation::SendBatch => {
            let req = SendBatch::new(user, [user], MessageContent::text("hi"));
            b.im.messages().send_batch(&req).await.map(drop)
        }
        Operation::SendSystemMessage => {
            let req = SendSystemMessage::new([user], MessageContent::text("hi"));
            b.im.messages().send_system_message(&req).await.map(drop)
        }
        Operation::RecallMessage => {
            // A reference of this vendor's to a message that does not exist.
            let reference = imbridge::MessageRef::new(b.vendor, &["c2c", user, user, "0"]);
            b.im.messages()
                .recall_message(&RecallMessage::new(reference))
                .await
        }
        Operation::MessageHistory => {
            let req = MessageHistory::direct(user, user);
            b.im.messages().message_history(&req).await.map(drop)
        }
        Operation::ImportMessages => {
            let one = ImportedMessage::new(
                user,
                Recipient::User(user.to_owned()),
                MessageContent::text("old"),
                std::time::SystemTime::now() - Duration::from_secs(3600),
            );
            let req = ImportMessages::new(vec![one]);
            b.im.messages().import_messages(&req).await.map(drop)
        }
        Operation::SendMessage => {
            b.im.messages()
                .send_message(&SendMessage::to_user(
                    user,
                    user,
                    MessageContent::text("hi"),
                ))
                .await
                .map(drop)
        }
        other => panic!("operation `{other}` is not exercised by unsupported.rs: add it"),
    }
}

/// The one loop over what the backend lacks: `Unsupported`, nothing sent.
pub async fn unsupported_operations(b: Backend) {
    let caps = b.im.capabilities().clone();
    for op in caps.operations.missing() {
        let e = refused(&b, call(&b, op), ErrorKind::Unsupported, op.as_str()).await;
        assert_eq!(e.operation(), Some(op), "{e:?}");
        assert!(e.is_unsent(), "{op}: {e:?}");
    }
    // And what it offers is implemented: it may fail for the probe's reasons, never as
    // unsupported.
    let _ =
        b.im.users()
            .register_user(&RegisterUser::new("probe"))
            .await;
    for op in caps.operations.iter() {
        if let Err(e) = call(&b, op).await {
            assert_ne!(
                e.kind(),
                ErrorKind::Unsupported,
                "{op} is listed but refused: {e}"
            );
        }
    }
}
