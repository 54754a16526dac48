//! The users and profiles family on RongCloud against the emulator: the paths called, typed
//! form bodies with repeated keys, fan-out of one-user calls, chunking, and what the vendor
//! cannot do refused before sending.

mod support;

use std::time::{Duration, SystemTime};

use imbridge_core::prelude::*;
use imbridge_core::{
    BanUsers, CheckUsers, Cursor, DeleteUsers, DeletionStatus, ErrorKind, ForceLogout, Gender,
    GetProfiles, ListBannedUsers, NewUser, OnlineStatus, QueryOnline, RegisterUsers, SetProfile,
    UnbanUsers,
};
use imbridge_emulator::{Emulator, Presence, Vendor};
use support::*;

async fn setup() -> (Emulator, imbridge_rongcloud::RongCloudClient) {
    let emu = emulator().await;
    let im = client(&[&emu.url()]);
    (emu, im)
}

#[tokio::test]
async fn register_users_fans_out_get_token_and_keeps_names() {
    let (emu, im) = setup().await;
    let req = RegisterUsers::new((0..40).map(|i| format!("u{i}")))
        .user(NewUser::new("lilei").nickname("李雷"));
    let out = im.users().register_users(&req).await.unwrap();
    assert_eq!(out.succeeded.len(), 41);
    assert_eq!(out.succeeded[40], "lilei", "in the request's order");
    assert_eq!(count(&emu, "/user/getToken.json"), 41);
    assert_eq!(emu.rongcloud_state().user("lilei").unwrap().name, "李雷");
    // New users without a nickname get their id as the required name.
    assert_eq!(emu.rongcloud_state().user("u0").unwrap().name, "u0");
}

#[tokio::test]
async fn check_users_and_get_profiles_read_user_info() {
    let (emu, im) = setup().await;
    im.users()
        .register_users(&RegisterUsers::new([NewUser::new("lilei")
            .nickname("李雷")
            .avatar_url("https://example.com/l.png")]))
        .await
        .unwrap();
    let checked = im
        .users()
        .check_users(&CheckUsers::new(["lilei", "ghost"]))
        .await
        .unwrap();
    let exists: Vec<bool> = checked.succeeded.iter().map(|u| u.exists).collect();
    assert_eq!(exists, [true, false]);

    let profiles = im
        .profiles()
        .get_profiles(&GetProfiles::new(["lilei", "ghost"]))
        .await
        .unwrap();
    let p = &profiles.succeeded[0];
    assert_eq!(p.nickname.as_deref(), Some("李雷"));
    assert_eq!(p.avatar_url.as_deref(), Some("https://example.com/l.png"));
    assert_eq!(p.gender, None, "the legacy API keeps no gender");
    assert_eq!(profiles.failed[0].item, "ghost");
    assert_eq!(profiles.failed[0].error.kind(), ErrorKind::NotFound);

    emu.rongcloud_state().clear_requests();
    let custom = GetProfiles::new(["lilei"]).custom_field("Hobby");
    let err = im.profiles().get_profiles(&custom).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unsupported);
    let extended = SetProfile::new("lilei").gender(Gender::Male);
    let err = im.profiles().set_profile(&extended).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unsupported);
    assert!(paths(&emu).is_empty(), "refused before sending");
}

#[tokio::test]
async fn query_online_asks_check_online_per_user() {
    let (emu, im) = setup().await;
    im.users()
        .register_users(&RegisterUsers::new(["a", "b"]))
        .await
        .unwrap();
    emu.set_online(Vendor::RongCloud, "a", Presence::Online);
    emu.rongcloud_state().clear_requests();
    let out = im
        .users()
        .query_online(&QueryOnline::new(["a", "b"]))
        .await
        .unwrap();
    let got: Vec<OnlineStatus> = out.succeeded.iter().map(|p| p.status).collect();
    assert_eq!(got, [OnlineStatus::Online, OnlineStatus::Offline]);
    assert_eq!(paths(&emu), vec!["/user/checkOnline.json"; 2]);
}

#[tokio::test]
async fn delete_users_is_pending_with_the_operate_id() {
    let (emu, im) = setup().await;
    let ids: Vec<String> = (0..150).map(|i| format!("u{i}")).collect();
    im.users()
        .register_users(&RegisterUsers::new(ids.clone()))
        .await
        .unwrap();
    emu.rongcloud_state().clear_requests();
    let out = im
        .users()
        .delete_users(&DeleteUsers::new(ids))
        .await
        .unwrap();
    assert_eq!(out.succeeded.len(), 150);
    assert_eq!(
        count(&emu, "/user/deactivate.json"),
        2,
        "100 users per call"
    );
    let ops = emu.rongcloud_state().user_operations();
    let DeletionStatus::Pending { operation_id } = &out.succeeded[0].status else {
        panic!("RongCloud deactivates asynchronously");
    };
    assert_eq!(operation_id, &ops[0].operate_id);
    assert!(!im.capabilities().users.synchronous_deletion);
    assert!(emu.rongcloud_state().is_deactivated("u149"));
}

#[tokio::test]
async fn force_logout_expires_tokens_and_drops_connections() {
    let (emu, im) = setup().await;
    let token = im
        .users()
        .register_user(&imbridge_core::RegisterUser::new("lilei"))
        .await
        .unwrap();
    emu.set_online(Vendor::RongCloud, "lilei", Presence::Online);
    emu.rongcloud_state().clear_requests();
    im.users()
        .force_logout(&ForceLogout::new("lilei"))
        .await
        .unwrap();
    assert_eq!(paths(&emu), ["/user/token/expire.json", "/user/block.json"]);
    let state = emu.rongcloud_state();
    use imbridge_core::ExposeSecret;
    assert!(!state.token_valid(token.token().expose_secret()));
    assert!(!state.is_online("lilei"));
    let block = &state.requests()[1];
    assert_eq!(block.form_param("minute").as_deref(), Some("1"));
}

#[tokio::test]
async fn bans_go_by_the_minute_in_twenties_and_list_by_page() {
    let (emu, im) = setup().await;
    let ids: Vec<String> = (0..45).map(|i| format!("u{i:02}")).collect();
    im.users()
        .register_users(&RegisterUsers::new(ids.clone()))
        .await
        .unwrap();
    emu.rongcloud_state().clear_requests();

    // What the vendor cannot express is refused before sending.
    for bad in [
        Duration::from_secs(90),
        Duration::ZERO,
        Duration::from_secs(43_201 * 60),
    ] {
        let err = im
            .users()
            .ban_users(&BanUsers::new(["u00"], bad))
            .await
            .unwrap_err();
        assert_eq!(err.field(), Some("duration"), "{bad:?}");
    }
    assert!(paths(&emu).is_empty());

    let banned = im
        .users()
        .ban_users(&BanUsers::new(ids.clone(), Duration::from_secs(3600)))
        .await
        .unwrap();
    assert_eq!(banned.succeeded.len(), 45);
    assert_eq!(count(&emu, "/user/block.json"), 3, "20 users per call");
    let first = &emu.rongcloud_state().requests()[0];
    assert!(
        first.body.contains("userId=u00&userId=u01"),
        "{}",
        first.body
    );
    assert_eq!(first.form_param("minute").as_deref(), Some("60"));

    let page1 = im
        .users()
        .list_banned_users(&ListBannedUsers::new().limit(20))
        .await
        .unwrap();
    assert_eq!(page1.items.len(), 20);
    let until = page1.items[0].until.expect("the vendor says when it ends");
    let left = until.duration_since(SystemTime::now()).unwrap();
    assert!(
        left > Duration::from_secs(3500) && left <= Duration::from_secs(3601),
        "{left:?}"
    );
    let mut all: Vec<String> = page1.items.iter().map(|b| b.user_id.clone()).collect();
    let mut next = page1.next.clone();
    while let Some(cursor) = next {
        let page = im
            .users()
            .list_banned_users(&ListBannedUsers::new().limit(20).cursor(cursor))
            .await
            .unwrap();
        all.extend(page.items.iter().map(|b| b.user_id.clone()));
        next = page.next;
    }
    all.sort();
    assert_eq!(all, ids);
    let bad_cursor = ListBannedUsers::new().cursor(Cursor::new("x"));
    let err = im.users().list_banned_users(&bad_cursor).await.unwrap_err();
    assert_eq!(err.field(), Some("cursor"));

    let unbanned = im
        .users()
        .unban_users(&UnbanUsers::new(ids.clone()))
        .await
        .unwrap();
    assert_eq!(unbanned.succeeded.len(), 45);
    let after = im
        .users()
        .list_banned_users(&ListBannedUsers::new())
        .await
        .unwrap();
    assert!(after.items.is_empty() && after.next.is_none());
}
