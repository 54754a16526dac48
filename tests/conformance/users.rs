//! The users and profiles families, read back through the SDK's own read operations
//! (`check_users`, `get_profiles`, `query_online`, `list_banned_users`), chosen by capability.

use std::time::Duration;

use futures_util::TryStreamExt;
use imbridge::{
    BanUsers, CheckUsers, DeleteUsers, DeletionStatus, ErrorKind, ForceLogout, GetProfiles,
    ListBannedUsers, NewUser, OnlineStatus, Operation, QueryOnline, RegisterUsers, SetProfile,
    UnbanUsers, Vendor,
};
use imbridge_emulator::Presence;

use crate::backend::Backend;
use crate::harness::{invalid, ok};

fn set_online(b: &Backend, user: &str) {
    let vendor = match b.vendor {
        Vendor::Tencent => imbridge_emulator::Vendor::Tencent,
        _ => imbridge_emulator::Vendor::RongCloud,
    };
    b.emulator.set_online(vendor, user, Presence::Online);
}

fn ids(n: usize, prefix: &str) -> Vec<String> {
    (0..n).map(|i| format!("{prefix}{i:03}")).collect()
}

/// Register many, read them back: existence, profiles, presence; unknown users are never a
/// silent success.
pub async fn users_register_and_read_back(b: Backend) {
    let req = RegisterUsers::new(["ann", "bob"]).user(NewUser::new("cat").nickname("Cat"));
    let out = ok(b.im.users().register_users(&req).await, "register_users");
    assert_eq!(out.succeeded, ["ann", "bob", "cat"]);
    assert!(out.is_complete());

    let checked = ok(
        b.im.users()
            .check_users(&CheckUsers::new(["ann", "cat", "ghost"]))
            .await,
        "check_users",
    );
    let exists: Vec<(&str, bool)> = checked
        .succeeded
        .iter()
        .map(|u| (u.user_id.as_str(), u.exists))
        .collect();
    assert_eq!(exists, [("ann", true), ("cat", true), ("ghost", false)]);

    let profiles = ok(
        b.im.profiles()
            .get_profiles(&GetProfiles::new(["cat", "ghost"]))
            .await,
        "get_profiles",
    );
    assert_eq!(profiles.succeeded.len(), 1);
    assert_eq!(profiles.succeeded[0].nickname.as_deref(), Some("Cat"));
    assert_eq!(profiles.failed.len(), 1, "an unknown user is a failed item");
    assert_eq!(profiles.failed[0].item, "ghost");
    assert_eq!(profiles.failed[0].error.kind(), ErrorKind::NotFound);

    // A profile change reads back through get_profiles.
    ok(
        b.im.profiles()
            .set_profile(&SetProfile::new("ann").nickname("Ann"))
            .await,
        "set_profile",
    );
    let ann = ok(
        b.im.profiles()
            .get_profiles(&GetProfiles::new(["ann"]))
            .await,
        "get_profiles ann",
    );
    assert_eq!(ann.succeeded[0].nickname.as_deref(), Some("Ann"));

    set_online(&b, "ann");
    let online = ok(
        b.im.users()
            .query_online(&QueryOnline::new(["ann", "bob", "ghost"]))
            .await,
        "query_online",
    );
    let status = |id: &str| {
        online
            .succeeded
            .iter()
            .find(|p| p.user_id == id)
            .map(|p| p.status)
    };
    assert_eq!(status("ann"), Some(OnlineStatus::Online));
    assert_eq!(status("bob"), Some(OnlineStatus::Offline));
    if b.im.capabilities().rejects_unknown_ids {
        assert_eq!(online.failed[0].item, "ghost");
        assert_eq!(online.failed[0].error.kind(), ErrorKind::NotFound);
    } else {
        assert_eq!(status("ghost"), Some(OnlineStatus::Offline));
    }
}

/// Lists longer than any vendor's per-call size go through whole.
pub async fn users_large_batches(b: Backend) {
    let users = ids(250, "m");
    let out = ok(
        b.im.users()
            .register_users(&RegisterUsers::new(users.clone()))
            .await,
        "register 250",
    );
    assert_eq!(out.succeeded, users);
    let checked = ok(
        b.im.users().check_users(&CheckUsers::new(users)).await,
        "check 250",
    );
    assert_eq!(checked.succeeded.len(), 250);
    assert!(checked.succeeded.iter().all(|u| u.exists));
}

/// Logging out drops the user's connection; deleting reads back as deleted or pending, as the
/// capabilities say.
pub async fn users_logout_and_delete(b: Backend) {
    ok(
        b.im.users()
            .register_users(&RegisterUsers::new(["dan", "eve"]))
            .await,
        "register",
    );
    set_online(&b, "dan");
    ok(
        b.im.users().force_logout(&ForceLogout::new("dan")).await,
        "force_logout",
    );
    let online = ok(
        b.im.users().query_online(&QueryOnline::new(["dan"])).await,
        "query_online",
    );
    assert_eq!(online.succeeded[0].status, OnlineStatus::Offline);

    let deleted = ok(
        b.im.users().delete_users(&DeleteUsers::new(["eve"])).await,
        "delete_users",
    );
    assert_eq!(deleted.succeeded.len(), 1);
    let status = &deleted.succeeded[0].status;
    if b.im.capabilities().users.synchronous_deletion {
        assert_eq!(status, &DeletionStatus::Deleted);
        let checked = ok(
            b.im.users().check_users(&CheckUsers::new(["eve"])).await,
            "check after delete",
        );
        assert!(!checked.succeeded[0].exists, "eve is gone");
    } else {
        assert!(
            matches!(status, DeletionStatus::Pending { operation_id } if !operation_id.is_empty()),
            "{status:?}"
        );
    }
}

/// Login bans, where the vendor has them: ban, list by page, unban.
pub async fn users_login_bans(b: Backend) {
    if !b.im.capabilities().supports(Operation::BanUsers) {
        return; // unsupported.rs checks the refusal
    }
    let users = ids(25, "x");
    ok(
        b.im.users()
            .register_users(&RegisterUsers::new(users.clone()))
            .await,
        "register",
    );
    let ban = BanUsers::new(users.clone(), Duration::from_secs(600));
    assert_eq!(
        ok(b.im.users().ban_users(&ban).await, "ban").succeeded,
        users
    );
    let im = b.im.clone();
    let all: Vec<_> = imbridge::pages(ListBannedUsers::new().limit(10), |req| {
        let im = im.clone();
        async move { im.users().list_banned_users(&req).await }
    })
    .try_collect()
    .await
    .unwrap_or_else(|e| panic!("list every page: {e}"));
    assert_eq!(all.len(), 3, "three pages of at most ten");
    let mut listed: Vec<String> = all
        .into_iter()
        .flat_map(|p| p.items)
        .map(|u| u.user_id)
        .collect();
    listed.sort();
    assert_eq!(listed, users);
    ok(
        b.im.users()
            .unban_users(&UnbanUsers::new(users.clone()))
            .await,
        "unban",
    );
    let after = ok(
        b.im.users()
            .list_banned_users(&ListBannedUsers::new())
            .await,
        "list after unban",
    );
    assert!(after.items.is_empty());
}

/// The vendor-neutral rules of id lists are checked before anything is sent.
pub async fn users_bad_input(b: Backend) {
    invalid(
        &b,
        b.im.users().check_users(&CheckUsers::new(["a", "a"])),
        "user_ids",
        "a repeated id",
    )
    .await;
    invalid(
        &b,
        b.im.users()
            .query_online(&QueryOnline::new(Vec::<String>::new())),
        "user_ids",
        "no id",
    )
    .await;
    invalid(
        &b,
        b.im.users().register_users(&RegisterUsers::new([""])),
        "users",
        "an empty id",
    )
    .await;
    invalid(
        &b,
        b.im.users().force_logout(&ForceLogout::new("")),
        "user_id",
        "an empty id",
    )
    .await;
}
