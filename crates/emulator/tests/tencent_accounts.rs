//! `im_open_login_svc` and `profile` operations.

mod common;

use common::{Harness, assert_ok, code};
use serde_json::json;

#[tokio::test]
async fn account_import_and_legacy_identifier() {
    let h = Harness::start().await;
    let state = h.emu.state();
    let r = h
        .call(
            "im_open_login_svc/account_import",
            json!({"UserID": "alice", "Nick": "Alice", "FaceUrl": "http://a/x.png"}),
        )
        .await;
    assert_ok(&r);
    let alice = state.user("alice").unwrap();
    assert_eq!(
        (alice.nick.as_str(), alice.face_url.as_str()),
        ("Alice", "http://a/x.png")
    );
    assert_eq!(alice.profile["Tag_Profile_IM_Nick"], "Alice");

    // Older clients send `Identifier`.
    assert_ok(
        &h.call(
            "im_open_login_svc/account_import",
            json!({"Identifier": "bob"}),
        )
        .await,
    );
    assert!(state.user("bob").is_some());

    // Re-import is idempotent and updates the nick only when given.
    assert_ok(
        &h.call(
            "im_open_login_svc/account_import",
            json!({"UserID": "alice"}),
        )
        .await,
    );
    assert_eq!(state.user("alice").unwrap().nick, "Alice");
    assert_ok(
        &h.call(
            "im_open_login_svc/account_import",
            json!({"UserID": "alice", "Nick": "Al"}),
        )
        .await,
    );
    assert_eq!(state.user("alice").unwrap().nick, "Al");
    assert_eq!(state.users().len(), 2);
}

#[tokio::test]
async fn account_import_refusals() {
    let h = Harness::start().await;
    let imp = |b| h.call("im_open_login_svc/account_import", b);
    assert_eq!(code(&imp(json!({})).await), 70402);
    assert_eq!(code(&imp(json!({"UserID": ""})).await), 70402);
    assert_eq!(code(&imp(json!({"UserID": "x".repeat(33)})).await), 70402);
    assert_eq!(code(&imp(json!({"UserID": 42})).await), 60015);
    assert_eq!(code(&imp(json!({"UserID": "a", "Nick": 5})).await), 70402);
    assert_eq!(
        code(&imp(json!({"UserID": "a", "Nick": "n".repeat(501)})).await),
        40601
    );
    assert_ok(&imp(json!({"UserID": "x".repeat(32)})).await);
    assert_eq!(h.emu.state().users().len(), 1);
}

#[tokio::test]
async fn multiaccount_import_both_forms() {
    let h = Harness::start().await;
    let state = h.emu.state();
    let r = h
        .call(
            "im_open_login_svc/multiaccount_import",
            json!({"AccountList": [{"UserID": "u1", "Nick": "One"}, {"UserID": "u2"}, {"UserID": ""}, {"UserID": "y".repeat(40)}]}),
        )
        .await;
    assert_ok(&r);
    assert_eq!(r["FailAccounts"], json!(["", "y".repeat(40)]));
    assert_eq!(state.user("u1").unwrap().nick, "One");

    let r = h
        .call(
            "im_open_login_svc/multiaccount_import",
            json!({"Accounts": ["u3", "u4"]}),
        )
        .await;
    assert_ok(&r);
    assert_eq!(r["FailAccounts"], json!([]));
    let ids: Vec<String> = state.users().into_iter().map(|u| u.id).collect();
    assert_eq!(ids, ["u1", "u2", "u3", "u4"]);

    assert_eq!(
        code(
            &h.call("im_open_login_svc/multiaccount_import", json!({}))
                .await
        ),
        70402
    );
    assert_eq!(
        code(
            &h.call(
                "im_open_login_svc/multiaccount_import",
                json!({"Accounts": [1]})
            )
            .await
        ),
        60015
    );
    let many: Vec<String> = (0..101).map(|i| format!("m{i}")).collect();
    assert_eq!(
        code(
            &h.call(
                "im_open_login_svc/multiaccount_import",
                json!({"Accounts": many})
            )
            .await
        ),
        70206
    );
}

#[tokio::test]
async fn account_check_and_delete() {
    let h = Harness::start().await;
    h.import(&["alice", "bob"]).await;
    let r = h
        .call(
            "im_open_login_svc/account_check",
            json!({"CheckItem": [{"UserID": "alice"}, {"UserID": "zed"}]}),
        )
        .await;
    assert_ok(&r);
    assert_eq!(
        r["ResultItem"][0],
        json!({"UserID": "alice", "ResultCode": 0, "ResultInfo": "", "AccountStatus": "Imported"})
    );
    assert_eq!(r["ResultItem"][1]["AccountStatus"], "NotImported");

    let r = h
        .call(
            "im_open_login_svc/account_delete",
            json!({"DeleteItem": [{"UserID": "alice"}, {"UserID": "zed"}]}),
        )
        .await;
    assert_ok(&r);
    assert_eq!(
        r["ResultItem"][0],
        json!({"ResultCode": 0, "ResultInfo": "", "UserID": "alice"})
    );
    assert_eq!(r["ResultItem"][1]["ResultCode"], 70107);
    assert_eq!(
        r["ResultItem"][1]["ResultInfo"],
        "Err_TLS_PT_Open_Login_Account_Not_Exist"
    );
    assert!(h.emu.state().user("alice").is_none());
    assert!(h.emu.state().user("bob").is_some());

    assert_eq!(
        code(&h.call("im_open_login_svc/account_check", json!({})).await),
        70402
    );
    assert_eq!(
        code(
            &h.call("im_open_login_svc/account_check", json!({"CheckItem": []}))
                .await
        ),
        70402
    );
    assert_eq!(
        code(
            &h.call(
                "im_open_login_svc/account_delete",
                json!({"DeleteItem": [{"UserID": 3}]})
            )
            .await
        ),
        60015
    );
}

#[tokio::test]
async fn kick() {
    let h = Harness::start().await;
    h.import(&["alice"]).await;
    assert_ok(
        &h.call("im_open_login_svc/kick", json!({"UserID": "alice"}))
            .await,
    );
    assert_eq!(
        code(
            &h.call("im_open_login_svc/kick", json!({"UserID": "zed"}))
                .await
        ),
        70107
    );
}

#[tokio::test]
async fn portrait_set_and_get() {
    let h = Harness::start().await;
    h.import(&["alice"]).await;
    let r = h
        .call(
            "profile/portrait_set",
            json!({"From_Account": "alice", "ProfileItem": [
                {"Tag": "Tag_Profile_IM_Nick", "Value": "Alice"},
                {"Tag": "Tag_Profile_IM_Image", "Value": "http://a/b.png"},
                {"Tag": "Tag_Profile_IM_Gender", "Value": "Gender_Type_Female"},
                {"Tag": "Tag_Profile_IM_BirthDay", "Value": 20000101},
                {"Tag": "Tag_Profile_IM_AllowType", "Value": "AllowType_Type_AllowAny"},
                {"Tag": "Tag_Profile_IM_Level", "Value": 3},
                {"Tag": "Tag_Profile_Custom_Hobby", "Value": "chess"}
            ]}),
        )
        .await;
    assert_ok(&r);
    assert_eq!(r["ErrorDisplay"], "");
    let alice = h.emu.state().user("alice").unwrap();
    assert_eq!(
        (alice.nick.as_str(), alice.face_url.as_str()),
        ("Alice", "http://a/b.png")
    );
    assert_eq!(alice.profile["Tag_Profile_IM_BirthDay"], 20000101);
    assert_eq!(alice.profile["Tag_Profile_Custom_Hobby"], "chess");

    let r = h
        .call(
            "profile/portrait_get",
            json!({"To_Account": ["alice"], "TagList": ["Tag_Profile_IM_Nick", "Tag_Profile_IM_Gender", "Tag_Profile_IM_Language", "Tag_Profile_Custom_Hobby"]}),
        )
        .await;
    assert_ok(&r);
    let item = &r["UserProfileItem"][0];
    assert_eq!(item["To_Account"], "alice");
    assert_eq!(item["ResultCode"], 0);
    assert_eq!(
        item["ProfileItem"],
        json!([
            {"Tag": "Tag_Profile_IM_Nick", "Value": "Alice"},
            {"Tag": "Tag_Profile_IM_Gender", "Value": "Gender_Type_Female"},
            {"Tag": "Tag_Profile_IM_Language", "Value": 0},
            {"Tag": "Tag_Profile_Custom_Hobby", "Value": "chess"}
        ])
    );
    assert!(r.get("Fail_Account").is_none());
}

#[tokio::test]
async fn portrait_set_refusals() {
    let h = Harness::start().await;
    h.import(&["alice"]).await;
    let set = |tag: &str, value: serde_json::Value| {
        h.call(
            "profile/portrait_set",
            json!({"From_Account": "alice", "ProfileItem": [{"Tag": tag, "Value": value}]}),
        )
    };
    assert_eq!(code(&set("Tag_Profile_IM_Bogus", json!("x")).await), 40009);
    assert_eq!(code(&set("Tag_Profile_IM_Nick", json!(12)).await), 40610);
    assert_eq!(
        code(&set("Tag_Profile_IM_BirthDay", json!("19990101")).await),
        40610
    );
    assert_eq!(
        code(&set("Tag_Profile_IM_Gender", json!("Gender_Type_Robot")).await),
        40605
    );
    assert_eq!(
        code(&set("Tag_Profile_IM_SelfSignature", json!("s".repeat(501))).await),
        40601
    );
    assert_eq!(
        code(&set("Tag_Profile_Custom_WayTooLong", json!("x")).await),
        40009
    );

    let p = |b| h.call("profile/portrait_set", b);
    assert_eq!(
        code(&p(json!({"ProfileItem": [{"Tag": "Tag_Profile_IM_Nick", "Value": "x"}]})).await),
        40001
    );
    assert_eq!(
        code(&p(json!({"From_Account": 7, "ProfileItem": []})).await),
        60015
    );
    assert_eq!(code(&p(json!({"From_Account": "alice"})).await), 40001);
    assert_eq!(
        code(&p(json!({"From_Account": "alice", "ProfileItem": []})).await),
        40001
    );
    assert_eq!(
        code(&p(json!({"From_Account": "zed", "ProfileItem": [{"Tag": "Tag_Profile_IM_Nick", "Value": "x"}]})).await),
        40003
    );
    // Nothing was applied by the refused calls.
    assert!(h.emu.state().user("alice").unwrap().profile.is_empty());
}

#[tokio::test]
async fn portrait_get_unknown_accounts() {
    let h = Harness::start().await;
    h.import(&["alice"]).await;
    let get = |b| h.call("profile/portrait_get", b);
    let r = get(json!({"To_Account": ["alice", "zed"], "TagList": ["Tag_Profile_IM_Nick"]})).await;
    assert_ok(&r);
    assert_eq!(r["Fail_Account"], json!(["zed"]));
    assert_eq!(r["UserProfileItem"][1]["ResultCode"], 40003);
    assert_eq!(
        code(&get(json!({"To_Account": ["zed"], "TagList": ["Tag_Profile_IM_Nick"]})).await),
        40003
    );
    assert_eq!(
        code(&get(json!({"To_Account": [], "TagList": ["Tag_Profile_IM_Nick"]})).await),
        40002
    );
    assert_eq!(
        code(&get(json!({"To_Account": [1], "TagList": ["Tag_Profile_IM_Nick"]})).await),
        60015
    );
    assert_eq!(code(&get(json!({"To_Account": ["alice"]})).await), 40001);
    assert_eq!(
        code(&get(json!({"To_Account": ["alice"], "TagList": ["Nope"]})).await),
        40009
    );
}
