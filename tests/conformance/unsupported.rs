//! Every operation a backend's capabilities leave out is refused with `Unsupported`, and
//! nothing is sent; every operation they list is implemented (never refused as unsupported).

use std::time::Duration;

use imbridge::{
    BanUsers, CheckUsers, CreateGroup, DeleteUsers, ErrorKind, ForceLogout, GetProfiles,
    IssueToken, ListBannedUsers, MessageContent, Operation, QueryOnline, RegisterUser,
    RegisterUsers, Result, SendMessage, SetProfile, UnbanUsers,
};

use crate::backend::Backend;
use crate::harness::refused;

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
                .create_group(&CreateGroup::new("probe").owner(user).group_id("probegroup"))
                .await
                .map(drop)
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
