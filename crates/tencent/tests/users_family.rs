//! The users and profiles family on Tencent against the emulator: the v4 endpoints called, the
//! chunking to the vendor's per-call sizes, and per-item results read as items, never as a
//! silent success.

mod support;

use std::time::Duration;

use imbridge_core::prelude::*;
use imbridge_core::{
    BanUsers, CheckUsers, DeleteUsers, DeletionStatus, ErrorKind, ForceLogout, Gender, GetProfiles,
    ListBannedUsers, NewUser, OnlineStatus, QueryOnline, RegisterUsers, SetProfile, UnbanUsers,
};
use imbridge_emulator::Presence;
use support::*;

fn paths(emu: &imbridge_emulator::Emulator) -> Vec<String> {
    emu.state().requests().into_iter().map(|r| r.path).collect()
}

#[tokio::test]
async fn register_users_splits_into_hundreds_and_keeps_profiles() {
    let emu = emulator().await;
    let im = client(&emu);
    let mut req = RegisterUsers::new((0..250).map(|i| format!("u{i}")));
    req.users[0] = NewUser::new("u0").nickname("Zero");
    let out = im.users().register_users(&req).await.unwrap();
    assert_eq!(out.succeeded.len(), 250);
    assert!(out.is_complete());
    let calls = paths(&emu);
    assert_eq!(calls, vec!["/v4/im_open_login_svc/multiaccount_import"; 3]);
    assert_eq!(emu.state().users().len(), 250);
    let profiles = im
        .profiles()
        .get_profiles(&GetProfiles::new(["u0"]))
        .await
        .unwrap();
    assert_eq!(profiles.succeeded[0].nickname.as_deref(), Some("Zero"));
}

#[tokio::test]
async fn bad_input_is_refused_before_sending() {
    let emu = emulator().await;
    let im = client(&emu);
    let twice = RegisterUsers::new(["a", "a"]);
    let err = im.users().register_users(&twice).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert_eq!(err.field(), Some("users"));
    let empty = CheckUsers::new(Vec::<String>::new());
    assert_eq!(
        im.users().check_users(&empty).await.unwrap_err().kind(),
        ErrorKind::InvalidInput
    );
    let long = QueryOnline::new(["x".repeat(33)]);
    assert_eq!(
        im.users().query_online(&long).await.unwrap_err().field(),
        Some("user_ids")
    );
    assert!(emu.state().requests().is_empty(), "nothing was sent");
}

#[tokio::test]
async fn check_and_delete_report_each_user() {
    let emu = emulator().await;
    let im = client(&emu);
    im.users()
        .register_users(&RegisterUsers::new(["lilei", "hanmeimei"]))
        .await
        .unwrap();
    let checked = im
        .users()
        .check_users(&CheckUsers::new(["lilei", "ghost"]))
        .await
        .unwrap();
    let exists: Vec<(&str, bool)> = checked
        .succeeded
        .iter()
        .map(|u| (u.user_id.as_str(), u.exists))
        .collect();
    assert_eq!(exists, [("lilei", true), ("ghost", false)]);

    let deleted = im
        .users()
        .delete_users(&DeleteUsers::new(["lilei", "ghost"]))
        .await
        .unwrap();
    assert_eq!(deleted.succeeded.len(), 1);
    assert_eq!(deleted.succeeded[0].user_id, "lilei");
    assert_eq!(deleted.succeeded[0].status, DeletionStatus::Deleted);
    assert_eq!(deleted.failed.len(), 1, "an unknown user is a failed item");
    let failed = &deleted.failed[0];
    assert_eq!(failed.item, "ghost");
    assert_eq!(failed.error.kind(), ErrorKind::NotFound);
    assert_eq!(failed.error.vendor_code(), Some(70107));
    assert!(emu.state().user("lilei").is_none());
}

#[tokio::test]
async fn query_online_reads_presence_and_error_list() {
    let emu = emulator().await;
    let im = client(&emu);
    im.users()
        .register_users(&RegisterUsers::new(["a", "b", "c"]))
        .await
        .unwrap();
    emu.set_online(imbridge_emulator::Vendor::Tencent, "a", Presence::Online);
    emu.set_online(
        imbridge_emulator::Vendor::Tencent,
        "b",
        Presence::PushOnline,
    );
    let out = im
        .users()
        .query_online(&QueryOnline::new(["a", "b", "c", "ghost"]))
        .await
        .unwrap();
    let got: Vec<(&str, OnlineStatus)> = out
        .succeeded
        .iter()
        .map(|p| (p.user_id.as_str(), p.status))
        .collect();
    assert_eq!(
        got,
        [
            ("a", OnlineStatus::Online),
            ("b", OnlineStatus::PushOnline),
            ("c", OnlineStatus::Offline)
        ]
    );
    assert_eq!(out.failed[0].item, "ghost");
    assert_eq!(out.failed[0].error.kind(), ErrorKind::NotFound);
    // 600 users: two calls of at most 500.
    emu.state().clear_requests();
    let many = QueryOnline::new((0..600).map(|i| format!("u{i}")));
    let out = im.users().query_online(&many).await.unwrap();
    assert_eq!(out.failed.len(), 600, "none of them exists");
    assert_eq!(paths(&emu).len(), 2);
}

#[tokio::test]
async fn force_logout_kicks_and_unknown_users_are_not_found() {
    let emu = emulator().await;
    let im = client(&emu);
    im.users()
        .register_users(&RegisterUsers::new(["lilei"]))
        .await
        .unwrap();
    emu.set_online(
        imbridge_emulator::Vendor::Tencent,
        "lilei",
        Presence::Online,
    );
    im.users()
        .force_logout(&ForceLogout::new("lilei"))
        .await
        .unwrap();
    assert_eq!(paths(&emu).last().unwrap(), "/v4/im_open_login_svc/kick");
    assert!(emu.state().kicked_at("lilei").is_some());
    assert_eq!(emu.state().presence("lilei"), Presence::Offline);
    let err = im
        .users()
        .force_logout(&ForceLogout::new("ghost"))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
    assert_eq!(err.vendor_code(), Some(70107));
}

#[tokio::test]
async fn login_bans_are_unsupported_and_nothing_is_sent() {
    let emu = emulator().await;
    let im = client(&emu);
    let caps = im.capabilities();
    for op in [
        imbridge_core::Operation::BanUsers,
        imbridge_core::Operation::UnbanUsers,
        imbridge_core::Operation::ListBannedUsers,
    ] {
        assert!(!caps.supports(op));
    }
    let ban = BanUsers::new(["x"], Duration::from_secs(60));
    let errs = [
        im.users().ban_users(&ban).await.unwrap_err(),
        im.users()
            .unban_users(&UnbanUsers::new(["x"]))
            .await
            .unwrap_err(),
        im.users()
            .list_banned_users(&ListBannedUsers::new())
            .await
            .unwrap_err(),
    ];
    for err in errs {
        assert_eq!(err.kind(), ErrorKind::Unsupported);
        assert!(err.is_unsent());
        assert!(err.to_string().contains("force_logout"), "{err}");
    }
    assert!(emu.state().requests().is_empty());
}

#[tokio::test]
async fn get_profiles_reads_typed_fields_custom_fields_and_unknown_users() {
    let emu = emulator().await;
    let im = client(&emu);
    im.users()
        .register_users(&RegisterUsers::new(["lilei"]))
        .await
        .unwrap();
    im.profiles()
        .set_profile(
            &SetProfile::new("lilei")
                .nickname("李雷")
                .avatar_url("https://example.com/l.png")
                .gender(Gender::Male)
                .birthday(19900101)
                .location("BJ")
                .signature("hi")
                .level(3)
                .custom("Hobby", "chess"),
        )
        .await
        .unwrap();
    let out = im
        .profiles()
        .get_profiles(&GetProfiles::new(["lilei", "ghost"]).custom_field("Hobby"))
        .await
        .unwrap();
    let p = &out.succeeded[0];
    assert_eq!(p.user_id, "lilei");
    assert_eq!(p.nickname.as_deref(), Some("李雷"));
    assert_eq!(p.avatar_url.as_deref(), Some("https://example.com/l.png"));
    assert_eq!(p.gender, Some(Gender::Male));
    assert_eq!(p.birthday, Some(19900101));
    assert_eq!(p.location.as_deref(), Some("BJ"));
    assert_eq!(p.signature.as_deref(), Some("hi"));
    assert_eq!(p.level, Some(3));
    assert_eq!(p.custom, [("Hobby".to_owned(), "chess".into())]);
    assert_eq!(out.failed.len(), 1);
    assert_eq!(out.failed[0].item, "ghost");
    assert_eq!(out.failed[0].error.kind(), ErrorKind::NotFound);
    let request = emu.state().requests().pop().unwrap();
    assert_eq!(request.path, "/v4/profile/portrait_get");
    assert!(request.body.contains("Tag_Profile_Custom_Hobby"));
}

#[tokio::test]
async fn a_failed_chunk_fails_its_items_and_stops_the_rest() {
    use imbridge_emulator::{Fault, FaultRule};
    let emu = emulator().await;
    let im = client(&emu);
    // The second of three calls answers a business error for the whole call (the first rule
    // lets the first call through untouched).
    let path = "/v4/im_open_login_svc/multiaccount_import";
    emu.inject(FaultRule::path(path, Fault::Delay(Duration::ZERO)).times(1));
    emu.inject(FaultRule::path(path, Fault::VendorCode { code: 70402 }).times(1));
    let req = RegisterUsers::new((0..250).map(|i| format!("u{i}")));
    let out = im.users().register_users(&req).await.unwrap();
    assert_eq!(out.succeeded.len(), 100, "the first chunk went through");
    assert_eq!(
        out.failed.len(),
        150,
        "the failed chunk and the one after it"
    );
    assert!(
        out.failed
            .iter()
            .all(|f| f.error.vendor_code() == Some(70402))
    );
    assert_eq!(paths(&emu).len(), 2, "the third chunk was not sent");
}
