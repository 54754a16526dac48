//! The users and profiles family on both vendors: presence, kicks, deletion, blocks, token
//! expiry, deactivation (with its callback), and the "not emulated" answers.

mod common;
mod rongcloud_support;

use std::time::Duration;

use axum::Router;
use axum::routing::post;
use common::{Harness, assert_ok, code};
use imbridge_emulator::callbacks::USER_DEACTIVATION;
use imbridge_emulator::{CallbackConfig, Presence, Vendor};
use rongcloud_support::{Rc, now_ms};
use serde_json::{Value, json};

// ---- Tencent ----

#[tokio::test]
async fn query_online_status_reads_presence_and_lists_unknown_accounts() {
    let h = Harness::start().await;
    h.import(&["a", "b", "c"]).await;
    h.emu.set_online(Vendor::Tencent, "a", Presence::Online);
    h.emu
        .state()
        .set_presence_on("b", Presence::PushOnline, "iPhone");
    let r = h
        .call(
            "openim/query_online_status",
            json!({"To_Account": ["a", "b", "c", "ghost"]}),
        )
        .await;
    assert_ok(&r);
    let results = r["QueryResult"].as_array().unwrap();
    let status = |i: usize| {
        (
            results[i]["To_Account"].clone(),
            results[i]["Status"].clone(),
        )
    };
    assert_eq!(results.len(), 3);
    assert_eq!(status(0), (json!("a"), json!("Online")));
    assert_eq!(status(1), (json!("b"), json!("PushOnline")));
    assert_eq!(status(2), (json!("c"), json!("Offline")));
    // The English documentation's examples name the field `State`: both are sent.
    assert_eq!(results[1]["State"], "PushOnline");
    assert!(results[0].get("Detail").is_none());
    assert_eq!(
        r["ErrorList"],
        json!([{"To_Account": "ghost", "ErrorCode": 70107}])
    );

    let r = h
        .call(
            "openim/query_online_status",
            json!({"To_Account": ["a", "b", "c"], "IsNeedDetail": 1}),
        )
        .await;
    let results = r["QueryResult"].as_array().unwrap();
    assert_eq!(
        results[0]["Detail"],
        json!([{"Platform": "Web", "Status": "Online"}])
    );
    assert_eq!(
        results[1]["Detail"],
        json!([{"Platform": "iPhone", "Status": "PushOnline"}])
    );
    assert_eq!(results[2]["Detail"], json!([]));
    assert_eq!(r["ErrorList"], json!([]));

    // The earlier name of the same API.
    let r = h
        .call("openim/querystate", json!({"To_Account": ["a"]}))
        .await;
    assert_eq!(r["QueryResult"][0]["State"], "Online");
}

#[tokio::test]
async fn query_online_status_limits() {
    let h = Harness::start().await;
    let many: Vec<String> = (0..501).map(|i| format!("u{i}")).collect();
    let r = h
        .call("openim/query_online_status", json!({"To_Account": many}))
        .await;
    assert_eq!(code(&r), 70402, "{r}");
    for body in [
        json!({}),
        json!({"To_Account": []}),
        json!({"To_Account": "a"}),
    ] {
        let r = h.call("openim/query_online_status", body).await;
        assert_eq!(code(&r), 90003, "{r}");
    }
    let r = h
        .call("openim/query_online_status", json!({"To_Account": [5]}))
        .await;
    assert_eq!(code(&r), 60015, "{r}");
    let r = h
        .call(
            "openim/query_online_status",
            json!({"To_Account": ["a"], "IsNeedDetail": 2}),
        )
        .await;
    assert_eq!(code(&r), 70402, "{r}");
    // 500 is fine.
    let many: Vec<String> = (0..500).map(|i| format!("u{i}")).collect();
    let r = h
        .call("openim/query_online_status", json!({"To_Account": many}))
        .await;
    assert_ok(&r);
    assert_eq!(r["ErrorList"].as_array().unwrap().len(), 500);
}

#[tokio::test]
async fn kick_and_delete_take_users_offline() {
    let h = Harness::start().await;
    h.import(&["a", "b"]).await;
    h.emu.set_online(Vendor::Tencent, "a", Presence::Online);
    h.emu.set_online(Vendor::Tencent, "b", Presence::Online);
    let r = h
        .call("im_open_login_svc/kick", json!({"UserID": "a"}))
        .await;
    assert_ok(&r);
    assert_eq!(h.emu.state().presence("a"), Presence::Offline);
    assert!(h.emu.state().kicked_at("a").is_some());
    let r = h
        .call("im_open_login_svc/kick", json!({"Identifier": "ghost"}))
        .await;
    assert_eq!(code(&r), 70107);

    let r = h
        .call(
            "im_open_login_svc/account_delete",
            json!({"DeleteItem": [{"UserID": "b"}, {"UserID": "ghost"}]}),
        )
        .await;
    assert_ok(&r);
    assert_eq!(
        r["ResultItem"],
        json!([
            {"ResultCode": 0, "ResultInfo": "", "UserID": "b"},
            {"ResultCode": 70107, "ResultInfo": "Err_TLS_PT_Open_Login_Account_Not_Exist", "UserID": "ghost"}
        ])
    );
    assert_eq!(h.emu.state().presence("b"), Presence::Offline);
    let r = h
        .call(
            "im_open_login_svc/account_check",
            json!({"CheckItem": [{"UserID": "a"}, {"UserID": "b"}]}),
        )
        .await;
    assert_eq!(r["ResultItem"][0]["AccountStatus"], "Imported");
    assert_eq!(r["ResultItem"][1]["AccountStatus"], "NotImported");
}

#[tokio::test]
async fn both_forms_of_multiaccount_import() {
    let h = Harness::start().await;
    let r = h
        .call(
            "im_open_login_svc/multiaccount_import",
            json!({"AccountList": [{"UserID": "n1", "Nick": "N1", "FaceUrl": "http://x/1.png"}, {"UserID": ""}]}),
        )
        .await;
    assert_ok(&r);
    assert_eq!(r["FailAccounts"], json!([""]));
    let r = h
        .call(
            "im_open_login_svc/multiaccount_import",
            json!({"Accounts": ["o1", "o2", "x".repeat(33)]}),
        )
        .await;
    assert_eq!(r["FailAccounts"], json!(["x".repeat(33)]));
    let users: Vec<String> = h.emu.state().users().into_iter().map(|u| u.id).collect();
    assert_eq!(users, ["n1", "o1", "o2"]);
    assert_eq!(h.emu.state().user("n1").unwrap().nick, "N1");
    let r = h
        .call(
            "profile/portrait_get",
            json!({"To_Account": ["n1", "ghost"], "TagList": ["Tag_Profile_IM_Nick", "Tag_Profile_IM_Image"]}),
        )
        .await;
    assert_ok(&r);
    assert_eq!(
        r["UserProfileItem"][0]["ProfileItem"],
        json!([{"Tag": "Tag_Profile_IM_Nick", "Value": "N1"}, {"Tag": "Tag_Profile_IM_Image", "Value": "http://x/1.png"}])
    );
    assert_eq!(r["UserProfileItem"][1]["ResultCode"], 40003);
    assert_eq!(r["Fail_Account"], json!(["ghost"]));
}

#[tokio::test]
async fn tencent_endpoints_that_are_not_emulated_say_so() {
    let h = Harness::start().await;
    for path in imbridge_emulator::tencent::NOT_EMULATED {
        let url = h.url(&format!("/v4/{path}"), &h.good_query());
        let resp = h.http.post(&url).body("{}").send().await.unwrap();
        assert_eq!(resp.status().as_u16(), 501, "{path}");
        assert_eq!(
            resp.headers()
                .get("x-imbridge-emulator")
                .map(|v| v.to_str().unwrap()),
            Some("not-emulated")
        );
        let body: Value = resp.json().await.unwrap();
        assert_eq!(code(&body), 501, "{body}");
        let info = body["ErrorInfo"].as_str().unwrap();
        assert!(info.contains("docs/emulator.md"), "{info}");
        assert!(info.contains(path), "{info}");
    }
    // An unknown command is still the vendor's 60009, with HTTP 200 and no marker header.
    let url = h.url("/v4/openim/no_such_command", &h.good_query());
    let resp = h.http.post(&url).body("{}").send().await.unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    assert!(resp.headers().get("x-imbridge-emulator").is_none());
    let body: Value = resp.json().await.unwrap();
    assert_eq!(code(&body), 60009);
    // Every emulated endpoint answers something else than 60009 and 501.
    for path in imbridge_emulator::tencent::EMULATED {
        let r = h.call(path, json!({})).await;
        assert!(![60009, 501].contains(&code(&r)), "{path}: {r}");
    }
}

// ---- RongCloud ----

#[tokio::test]
async fn check_online_reads_presence_blocks_and_deactivation() {
    let rc = Rc::start().await;
    rc.register(&["u1", "u2"]).await;
    let online = |id: &'static str| {
        let rc = &rc;
        async move {
            let a = rc.form("/user/checkOnline.json", &[("userId", id)]).await;
            a.ok()["status"].as_str().unwrap().to_owned()
        }
    };
    assert_eq!(online("u1").await, "0");
    rc.emu.set_online(Vendor::RongCloud, "u1", Presence::Online);
    rc.emu
        .set_online(Vendor::RongCloud, "u2", Presence::PushOnline);
    assert_eq!(online("u1").await, "1");
    assert_eq!(online("u2").await, "0");
    assert_eq!(online("never-registered").await, "0");
    let a = rc.form("/user/checkOnline.json", &[("other", "1")]).await;
    a.fails(400, 1002);

    // A block disconnects at once.
    rc.form("/user/block.json", &[("userId", "u1"), ("minute", "10")])
        .await
        .ok();
    assert_eq!(online("u1").await, "0");
    assert!(!rc.emu.rongcloud_state().is_online("u1"));
    rc.form("/user/unblock.json", &[("userId", "u1")])
        .await
        .ok();
    assert_eq!(online("u1").await, "0", "the connection is not restored");
    rc.emu.set_online(Vendor::RongCloud, "u1", Presence::Online);
    assert_eq!(online("u1").await, "1");
}

#[tokio::test]
async fn blocks_are_bounded_listed_and_lifted() {
    let rc = Rc::start().await;
    let before = now_ms();
    let a = rc
        .form(
            "/user/block.json",
            &[("userId", "b1"), ("userId", "b2,b3"), ("minute", "60")],
        )
        .await;
    a.ok();
    let state = rc.emu.rongcloud_state();
    let end = state.blocked_until_ms("b1").unwrap();
    assert!(end >= before + 3_600_000 && end <= now_ms() + 3_600_000);
    assert!(state.blocked_until_ms("b3").is_some());

    for (minute, what) in [("0", "zero"), ("43201", "too long"), ("x", "not a number")] {
        let a = rc
            .form("/user/block.json", &[("userId", "b1"), ("minute", minute)])
            .await;
        assert_eq!(a.code(), 1002, "{what}: {}", a.json);
    }
    rc.form("/user/block.json", &[("userId", "b1")])
        .await
        .fails(400, 1002);
    rc.form("/user/block.json", &[("userId", "b4"), ("minute", "43200")])
        .await
        .ok();
    let many: Vec<(&str, String)> = (0..21).map(|i| ("userId", format!("m{i}"))).collect();
    let mut pairs: Vec<(&str, &str)> = many.iter().map(|(k, v)| (*k, v.as_str())).collect();
    pairs.push(("minute", "1"));
    rc.form("/user/block.json", &pairs).await.fails(400, 1002);

    // No page: the first 1000, in user id order, with the vendor's time format. The official
    // SDKs send an empty body here.
    let a = rc
        .post("/user/block/query.json", rongcloud_support::FORM, "")
        .await;
    let users = a.ok()["users"].as_array().unwrap().clone();
    let ids: Vec<&str> = users
        .iter()
        .map(|u| u["userId"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["b1", "b2", "b3", "b4"]);
    let time = users[0]["blockEndTime"].as_str().unwrap();
    assert_eq!(time.len(), 19, "{time}");
    assert_eq!(&time[4..5], "-");
    assert_eq!(&time[10..11], " ");

    let a = rc
        .form("/user/block/query.json", &[("page", "2"), ("size", "3")])
        .await;
    assert_eq!(a.ok()["users"], json!([users[3].clone()]));
    rc.form("/user/block/query.json", &[("page", "0")])
        .await
        .fails(400, 1002);
    rc.form("/user/block/query.json", &[("page", "1"), ("size", "1001")])
        .await
        .fails(400, 1002);

    rc.form(
        "/user/unblock.json",
        &[("userId", "b1,b2"), ("userId", "nobody")],
    )
    .await
    .ok();
    let a = rc.form("/user/block/query.json", &[("page", "1")]).await;
    let ids: Vec<Value> = a.ok()["users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["userId"].clone())
        .collect();
    assert_eq!(ids, [json!("b3"), json!("b4")]);
    rc.form("/user/unblock.json", &[("other", "1")])
        .await
        .fails(400, 1002);
}

#[tokio::test]
async fn token_expire_invalidates_older_tokens_only() {
    let rc = Rc::start().await;
    let old = rc.register(&["t1"]).await.remove(0);
    let state = rc.emu.rongcloud_state();
    assert!(state.token_valid(&old));
    let cut = now_ms() + 1;
    rc.form(
        "/user/token/expire.json",
        &[("userId", "t1"), ("time", &cut.to_string())],
    )
    .await
    .ok();
    assert_eq!(state.token_expiry_ms("t1"), Some(cut));
    assert!(!state.token_valid(&old));
    // A token issued at or after the cut works.
    tokio::time::sleep(Duration::from_millis(2)).await;
    let new = rc.register(&["t1"]).await.remove(0);
    assert!(state.token_valid(&new));
    assert!(!state.token_valid("not-a-token"));

    rc.form("/user/token/expire.json", &[("userId", "t1")])
        .await
        .fails(400, 1002);
    rc.form("/user/token/expire.json", &[("time", "1")])
        .await
        .fails(400, 1002);
    let many: Vec<(&str, String)> = (0..21).map(|i| ("userId", format!("m{i}"))).collect();
    let mut pairs: Vec<(&str, &str)> = many.iter().map(|(k, v)| (*k, v.as_str())).collect();
    pairs.push(("time", "1"));
    rc.form("/user/token/expire.json", &pairs)
        .await
        .fails(400, 1002);
}

async fn callback_sink() -> String {
    let app = Router::new().route("/cb", post(|| async { "ok" }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    format!("http://{addr}/cb")
}

#[tokio::test]
async fn deactivation_is_asynchronous_and_called_back_per_user() {
    let rc = Rc::start().await;
    rc.register(&["d1", "d2", "keep"]).await;
    rc.emu.set_online(Vendor::RongCloud, "d1", Presence::Online);
    rc.emu
        .set_callbacks(Some(CallbackConfig::new(callback_sink().await)));

    let a = rc
        .form("/user/deactivate.json", &[("userId", "d1,d2")])
        .await;
    let operate_id = a.ok()["operateId"].as_str().unwrap().to_owned();
    assert_eq!(operate_id.len(), 19, "{operate_id}");
    let state = rc.emu.rongcloud_state();
    assert!(state.is_deactivated("d1") && state.is_deactivated("d2"));
    assert!(!state.is_online("d1"));
    assert_eq!(state.deactivated_users(), ["d1", "d2"]);

    let deliveries = rc.emu.callbacks().wait_for(2).await;
    for (delivery, user) in deliveries.iter().zip(["d1", "d2"]) {
        assert_eq!(delivery.vendor, "rongcloud");
        assert_eq!(delivery.command, USER_DEACTIVATION);
        assert_eq!(delivery.content_type, "application/x-www-form-urlencoded");
        assert_eq!(delivery.form_param("userId").as_deref(), Some(user));
        assert_eq!(
            delivery.form_param("operateId").as_deref(),
            Some(operate_id.as_str())
        );
        assert_eq!(delivery.form_param("type").as_deref(), Some("0"));
        assert_eq!(delivery.form_param("code").as_deref(), Some("0"));
        assert!(delivery.form_param("time").unwrap().parse::<u64>().is_ok());
        assert!(delivery.query_param("signature").is_some());
        assert_eq!(delivery.status, Some(200));
    }

    // Deactivated users get no token and are not found; others are untouched.
    rc.form("/user/getToken.json", &[("userId", "d1"), ("name", "D")])
        .await
        .fails(400, 1002);
    rc.form("/user/info.json", &[("userId", "d1")])
        .await
        .fails(400, 1002);
    rc.form("/user/info.json", &[("userId", "keep")]).await.ok();
    let a = rc.form("/user/checkOnline.json", &[("userId", "d1")]).await;
    assert_eq!(a.ok()["status"], "0");

    let a = rc
        .form(
            "/user/deactivate/query.json",
            &[("pageNo", "1"), ("pageSize", "1")],
        )
        .await;
    assert_eq!(a.ok()["users"], json!(["d1"]));
    let a = rc
        .form(
            "/user/deactivate/query.json",
            &[("pageNo", "2"), ("pageSize", "1")],
        )
        .await;
    assert_eq!(a.ok()["users"], json!(["d2"]));
    let a = rc
        .post("/user/deactivate/query.json", rongcloud_support::FORM, "")
        .await;
    assert_eq!(a.ok()["users"], json!(["d1", "d2"]));
    rc.form("/user/deactivate/query.json", &[("pageSize", "51")])
        .await
        .fails(400, 1002);
    rc.form("/user/deactivate/query.json", &[("pageNo", "0")])
        .await
        .fails(400, 1002);

    let a = rc.form("/user/reactivate.json", &[("userId", "d1")]).await;
    let reactivation = a.ok()["operateId"].as_str().unwrap().to_owned();
    assert_ne!(reactivation, operate_id);
    assert!(!state.is_deactivated("d1"));
    let deliveries = rc.emu.callbacks().wait_for(3).await;
    assert_eq!(deliveries[2].form_param("type").as_deref(), Some("1"));
    assert_eq!(
        deliveries[2].form_param("operateId").as_deref(),
        Some(reactivation.as_str())
    );
    // The personal data is gone for good; a new token can be had.
    rc.form(
        "/user/getToken.json",
        &[("userId", "d1"), ("name", "D again")],
    )
    .await
    .ok();
    assert_eq!(state.user_operations().len(), 2);

    let many: Vec<(&str, String)> = (0..101).map(|i| ("userId", format!("m{i}"))).collect();
    let pairs: Vec<(&str, &str)> = many.iter().map(|(k, v)| (*k, v.as_str())).collect();
    rc.form("/user/deactivate.json", &pairs)
        .await
        .fails(400, 1002);
    rc.form("/user/deactivate.json", &[("other", "1")])
        .await
        .fails(400, 1002);
}

#[tokio::test]
async fn rongcloud_paths_that_are_not_emulated_say_so() {
    let rc = Rc::start().await;
    for path in imbridge_emulator::rongcloud::NOT_EMULATED {
        let a = rc.form(path, &[("userId", "x")]).await;
        a.fails(501, 501);
        let message = a.json["errorMessage"].as_str().unwrap();
        assert!(message.contains("docs/emulator.md"), "{message}");
        assert!(message.contains(path), "{message}");
        let resp = rc
            .http
            .post(format!("{}{path}", rc.emu.url()))
            .body("x=1")
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status().as_u16(), 501);
        assert_eq!(
            resp.headers()
                .get("x-imbridge-emulator")
                .map(|v| v.to_str().unwrap()),
            Some("not-emulated")
        );
    }
    rc.form("/no/such/api.json", &[]).await.fails(404, 404);
    for path in imbridge_emulator::rongcloud::EMULATED {
        let a = rc.form(path, &[("other", "1")]).await;
        assert!(![404, 501].contains(&a.code()), "{path}: {}", a.json);
    }
}
