//! The control API under `/_emulator/`: state, request log (secrets masked), callbacks, faults,
//! reset and presence, driven with plain HTTP as a test in another language would.

mod common;
mod rongcloud_support;

use common::{Harness, assert_ok, code};
use imbridge_emulator::Fault;
use reqwest::Method;
use rongcloud_support::Rc;
use serde_json::{Value, json};

async fn control(
    http: &reqwest::Client,
    base: &str,
    method: Method,
    path: &str,
    body: Option<&str>,
) -> (u16, Value) {
    let mut req = http.request(method, format!("{base}{path}"));
    if let Some(body) = body {
        req = req
            .header("content-type", "application/json")
            .body(body.to_owned());
    }
    let resp = req.send().await.unwrap();
    let status = resp.status().as_u16();
    let text = resp.text().await.unwrap();
    let json = serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"));
    (status, json)
}

#[tokio::test]
async fn state_shows_both_vendors() {
    let h = Harness::start().await;
    h.import(&["alice", "bob"]).await;
    let r = h
        .call(
            "profile/portrait_set",
            json!({"From_Account": "alice", "ProfileItem": [{"Tag": "Tag_Profile_IM_Nick", "Value": "Alice"}]}),
        )
        .await;
    assert_ok(&r);
    let r = h
        .call(
            "group_open_http_svc/create_group",
            json!({"Type": "Public", "Name": "g", "GroupId": "g1", "Owner_Account": "alice", "MemberList": [{"Member_Account": "bob"}]}),
        )
        .await;
    assert_ok(&r);
    let base = h.emu.url();
    let (status, v) = control(
        &h.http,
        &base,
        Method::POST,
        "/_emulator/presence",
        Some(r#"{"vendor":"tencent","user":"alice","status":"online","platform":"Android"}"#),
    )
    .await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(
        v,
        json!({"vendor": "tencent", "user": "alice", "status": "online"})
    );
    let (_, v) = control(
        &h.http,
        &base,
        Method::POST,
        "/_emulator/presence",
        Some(r#"{"vendor":"rongcloud","user":"r1","status":"online"}"#),
    )
    .await;
    assert_eq!(v["status"], "online");

    let (status, state) = control(&h.http, &base, Method::GET, "/_emulator/state", None).await;
    assert_eq!(status, 200);
    let t = &state["tencent"];
    let ids: Vec<&str> = t["users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["alice", "bob"]);
    assert_eq!(t["profiles"]["alice"]["Tag_Profile_IM_Nick"], "Alice");
    assert_eq!(t["groups"][0]["id"], "g1");
    assert_eq!(t["members"]["g1"].as_array().unwrap().len(), 2);
    assert_eq!(t["messages"]["c2c"], json!([]));
    assert_eq!(
        t["presence"]["alice"],
        json!({"status": "online", "platform": "Android"})
    );
    let r = &state["rongcloud"];
    assert_eq!(r["presence"]["r1"], "online");
    assert_eq!(r["online"], json!(["r1"]));
    for key in [
        "users",
        "groups",
        "members",
        "messages",
        "blocked",
        "deactivated",
        "token_expiry_ms",
        "operations",
    ] {
        assert!(r.get(key).is_some(), "rongcloud.{key} missing: {r}");
    }
    // The query answer reads the presence set through the control API.
    let q = h
        .call(
            "openim/query_online_status",
            json!({"To_Account": ["alice"], "IsNeedDetail": 1}),
        )
        .await;
    assert_eq!(
        q["QueryResult"][0]["Detail"],
        json!([{"Platform": "Android", "Status": "Online"}])
    );
}

#[tokio::test]
async fn the_request_log_masks_usersigs_and_signatures() {
    let rc = Rc::start().await;
    let tokens = rc.register(&["u1"]).await;
    let base = rc.emu.url();
    // A Tencent call on the same emulator.
    let key = rc.emu.tencent().usersig_key();
    let admin = rc.emu.tencent().admin.clone();
    let sig = key.sign(&admin, common::now(), 3600, None);
    let url = format!(
        "{base}/v4/im_open_login_svc/account_check?sdkappid={}&identifier={admin}&usersig={sig}&random=7&contenttype=json",
        rc.emu.tencent().sdkappid
    );
    let resp = rc
        .http
        .post(url)
        .body(r#"{"CheckItem":[{"UserID":"x"}]}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200);

    let (status, log) = control(&rc.http, &base, Method::GET, "/_emulator/requests", None).await;
    assert_eq!(status, 200);
    let text = log.to_string();
    assert!(!text.contains(&sig), "the UserSig leaked: {text}");
    assert!(!text.contains(&tokens[0]), "a token leaked: {text}");
    let t = &log["tencent"][0];
    assert_eq!(t["path"], "/v4/im_open_login_svc/account_check");
    assert_eq!(t["error_code"], 0);
    let query = t["query"].as_array().unwrap();
    assert!(query.contains(&json!(["usersig", "[REDACTED]"])), "{t}");
    assert!(query.contains(&json!(["random", "7"])), "{t}");
    assert_eq!(t["fault"], Value::Null);
    let r = &log["rongcloud"][0];
    assert_eq!(r["path"], "/user/getToken.json");
    assert_eq!(r["code"], 200);
    assert_eq!(r["signature"], "[REDACTED]");
    assert!(r["body"].as_str().unwrap().contains("userId=u1"));
    // The control calls themselves are not logged.
    assert_eq!(log["tencent"].as_array().unwrap().len(), 1);
    assert_eq!(log["rongcloud"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn faults_are_added_applied_and_cleared() {
    let h = Harness::start().await;
    let base = h.emu.url();
    let (status, v) = control(
        &h.http,
        &base,
        Method::POST,
        "/_emulator/faults",
        Some(r#"{"path":"/v4/im_open_login_svc/account_import","fault":"vendor_code:70169","times":2}"#),
    )
    .await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["path"], "/v4/im_open_login_svc/account_import");
    assert_eq!(v["fault"], "vendor_code:70169");
    assert_eq!(v["times"], 2);
    assert_eq!(v["rule"], "VendorCode { code: 70169 }");
    for _ in 0..2 {
        let r = h
            .call("im_open_login_svc/account_import", json!({"UserID": "a"}))
            .await;
        assert_eq!(code(&r), 70169);
    }
    let r = h
        .call("im_open_login_svc/account_import", json!({"UserID": "a"}))
        .await;
    assert_ok(&r);
    assert_eq!(h.emu.faults_fired(), 2);

    // Default: once. `drop` closes the connection without an answer.
    let (_, v) = control(
        &h.http,
        &base,
        Method::POST,
        "/_emulator/faults",
        Some(r#"{"path":"/v4/openim/sendmsg","fault":"drop"}"#),
    )
    .await;
    assert_eq!(v["times"], 1);
    let url = h.url("/v4/openim/sendmsg", &h.good_query());
    assert!(h.http.post(&url).body("{}").send().await.is_err());

    // A forever rule on every path, then DELETE clears it; the control API is never faulted.
    let (_, v) = control(
        &h.http,
        &base,
        Method::POST,
        "/_emulator/faults",
        Some(r#"{"fault":"status:503","times":"forever"}"#),
    )
    .await;
    assert_eq!(
        (v["path"].clone(), v["times"].clone()),
        (json!("*"), json!("forever"))
    );
    let resp = h.http.post(&url).body("{}").send().await.unwrap();
    assert_eq!(resp.status().as_u16(), 503);
    h.emu.main_listener().set_fault(Fault::Status(502));
    let (status, v) = control(&h.http, &base, Method::DELETE, "/_emulator/faults", None).await;
    assert_eq!((status, v), (200, json!({"cleared": true})));
    h.emu.main_listener().clear_fault();
    let r = h
        .call(
            "im_open_login_svc/account_check",
            json!({"CheckItem": [{"UserID": "a"}]}),
        )
        .await;
    assert_ok(&r);

    // `hang_after_processing`: processed, never answered.
    let (_, _) = control(
        &h.http,
        &base,
        Method::POST,
        "/_emulator/faults",
        Some(r#"{"path":"/v4/im_open_login_svc/account_import","fault":"drop_after_processing"}"#),
    )
    .await;
    let url = h.url("/v4/im_open_login_svc/account_import", &h.good_query());
    assert!(
        h.http
            .post(&url)
            .body(r#"{"UserID":"late"}"#)
            .send()
            .await
            .is_err()
    );
    assert!(h.emu.state().user("late").is_some());
}

#[tokio::test]
async fn malformed_control_requests_get_400_with_a_json_error() {
    let h = Harness::start().await;
    let base = h.emu.url();
    for body in [
        "not json",
        "[1]",
        r#"{"path":"/v4/openim/sendmsg"}"#,
        r#"{"path":"/v4/openim/sendmsg","fault":"explode"}"#,
        r#"{"path":"/v4/openim/sendmsg","fault":"status:1000"}"#,
        r#"{"path":"/v4/openim/sendmsg","fault":"drop","times":0}"#,
        r#"{"path":"/v4/openim/sendmsg","fault":"drop","times":-1}"#,
        r#"{"path":"v4/openim/sendmsg","fault":"drop"}"#,
        r#"{"path":"/_emulator/state","fault":"drop"}"#,
        r#"{"path":"/v4/openim/sendmsg","fault":"drop","tims":2}"#,
    ] {
        let (status, v) = control(
            &h.http,
            &base,
            Method::POST,
            "/_emulator/faults",
            Some(body),
        )
        .await;
        assert_eq!(status, 400, "{body}: {v}");
        assert!(
            v["error"].as_str().is_some_and(|e| !e.is_empty()),
            "{body}: {v}"
        );
    }
    for body in [
        r#"{"vendor":"wechat","user":"a","status":"online"}"#,
        r#"{"vendor":"tencent","user":"","status":"online"}"#,
        r#"{"vendor":"tencent","user":"a","status":"away"}"#,
        r#"{"vendor":"rongcloud","user":"a","status":"online","platform":"iPhone"}"#,
        "{",
    ] {
        let (status, v) = control(
            &h.http,
            &base,
            Method::POST,
            "/_emulator/presence",
            Some(body),
        )
        .await;
        assert_eq!(status, 400, "{body}: {v}");
        assert!(v["error"].is_string(), "{v}");
    }
    let (status, v) = control(&h.http, &base, Method::GET, "/_emulator/nope", None).await;
    assert_eq!(status, 404);
    assert!(v["error"].as_str().unwrap().contains("docs/emulator.md"));
    assert_eq!(h.emu.faults_fired(), 0);
}

#[tokio::test]
async fn reset_clears_state_logs_and_faults_but_keeps_credentials() {
    let rc = Rc::start().await;
    rc.register(&["u1"]).await;
    rc.form("/user/block.json", &[("userId", "u1"), ("minute", "5")])
        .await
        .ok();
    let base = rc.emu.url();
    let (_, _) = control(
        &rc.http,
        &base,
        Method::POST,
        "/_emulator/faults",
        Some(r#"{"path":"/user/info.json","fault":"status:500","times":"forever"}"#),
    )
    .await;
    rc.emu.set_online(
        imbridge_emulator::Vendor::Tencent,
        "t",
        imbridge_emulator::Presence::Online,
    );
    let (status, v) = control(&rc.http, &base, Method::POST, "/_emulator/reset", None).await;
    assert_eq!((status, v), (200, json!({"reset": true})));
    let state = rc.emu.rongcloud_state();
    assert!(state.users().is_empty());
    assert!(state.requests().is_empty());
    assert_eq!(state.blocked_until_ms("u1"), None);
    assert_eq!(
        rc.emu.state().presence("t"),
        imbridge_emulator::Presence::Offline
    );
    // The same credentials still work and the fault is gone.
    rc.register(&["u2"]).await;
    rc.form("/user/info.json", &[("userId", "u2")]).await.ok();
    let (_, log) = control(&rc.http, &base, Method::GET, "/_emulator/requests", None).await;
    assert_eq!(log["rongcloud"].as_array().unwrap().len(), 2);
    let (_, cbs) = control(&rc.http, &base, Method::GET, "/_emulator/callbacks", None).await;
    assert_eq!(cbs, json!({"deliveries": []}));
    // The Rust API does the same.
    rc.emu.reset();
    assert!(state.users().is_empty());
}

#[tokio::test]
async fn state_shows_tencent_group_owners_roles_and_mutes() {
    let h = Harness::start().await;
    h.import(&["alice", "bob", "carol"]).await;
    assert_ok(
        &h.call(
            "group_open_http_svc/create_group",
            json!({"Type": "Public", "Name": "g", "GroupId": "g1", "Owner_Account": "alice",
                   "MemberList": [{"Member_Account": "bob", "Role": "Admin"}, {"Member_Account": "carol"}]}),
        )
        .await,
    );
    assert_ok(
        &h.call(
            "group_open_http_svc/forbid_send_msg",
            json!({"GroupId": "g1", "Members_Account": ["carol"], "MuteTime": 3600}),
        )
        .await,
    );
    assert_ok(
        &h.call(
            "group_open_http_svc/modify_group_base_info",
            json!({"GroupId": "g1", "MuteAllMember": "On", "Introduction": "intro"}),
        )
        .await,
    );
    let (status, v) = control(&h.http, &h.emu.url(), Method::GET, "/_emulator/state", None).await;
    assert_eq!(status, 200);
    let t = &v["tencent"];
    let g = &t["groups"][0];
    assert_eq!(g["owner"], "alice");
    assert_eq!(g["introduction"], "intro");
    assert_eq!(g["mute_all"], true);
    assert_eq!(g["info_seq"], 2);
    assert_eq!(t["members"]["g1"][1]["role"], "Admin");
    assert_eq!(t["mute_all"], json!(["g1"]));
    let until = t["mutes"]["g1"]["carol"].as_u64().unwrap();
    assert!(until > common::now());
    assert_eq!(g["muted"]["carol"], until);
}

#[tokio::test]
async fn the_clock_is_read_frozen_and_moved_over_http() {
    let h = Harness::start().await;
    h.import(&["alice", "bob"]).await;
    let base = h.emu.url();
    let clock = |method: Method, body: Option<&'static str>| {
        let (http, base) = (h.http.clone(), base.clone());
        async move { control(&http, &base, method, "/_emulator/clock", body).await }
    };

    let (status, v) = clock(Method::GET, None).await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(
        (v["frozen"].as_bool(), v["offset_ms"].as_i64()),
        (Some(false), Some(0))
    );
    assert!(v["now_ms"].as_u64().unwrap() >= common::now() * 1000);

    let (status, v) = clock(Method::POST, Some(r#"{"freeze_at_ms":1700000000900}"#)).await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(
        v,
        json!({"now_ms": 1_700_000_000_900u64, "now_secs": 1_700_000_000u64, "frozen": true, "offset_ms": 0})
    );
    assert!(h.emu.clock().is_frozen());

    // Two sends with one MsgRandom in one second are one message; a second later, two.
    let msg = json!({"From_Account": "alice", "To_Account": "bob", "MsgRandom": 5, "MsgBody": common::text("x")});
    assert_ok(&h.call("openim/sendmsg", msg.clone()).await);
    assert_ok(&h.call("openim/sendmsg", msg.clone()).await);
    assert_eq!(h.emu.state().c2c_messages().len(), 1);
    let (_, v) = clock(Method::POST, Some(r#"{"advance_ms":100}"#)).await;
    assert_eq!(v["now_secs"], 1_700_000_001u64);
    let r = h.call("openim/sendmsg", msg).await;
    assert_ok(&r);
    assert_eq!(r["MsgTime"], 1_700_000_001u64);
    assert_eq!(h.emu.state().c2c_messages().len(), 2);
    // The state view reads the same clock.
    let (_, state) = control(&h.http, &base, Method::GET, "/_emulator/state", None).await;
    assert_eq!(
        state["tencent"]["messages"]["c2c"][1]["time"],
        1_700_000_001u64
    );

    // Resuming keeps the time where it stood (now running), an offset shifts real time, and
    // real_time goes back to it.
    let (_, v) = clock(Method::POST, Some(r#"{"resume":true}"#)).await;
    assert_eq!(v["frozen"], false);
    assert!(v["offset_ms"].as_i64().unwrap() < 0);
    assert!(v["now_ms"].as_u64().unwrap() >= 1_700_000_001_000);
    let (_, v) = clock(Method::POST, Some(r#"{"offset_ms":3600000}"#)).await;
    assert!(v["now_ms"].as_u64().unwrap() >= (common::now() + 3_599) * 1000);
    let (_, v) = clock(Method::POST, Some(r#"{"freeze":true}"#)).await;
    assert_eq!(v["frozen"], true);
    let (_, v) = clock(Method::POST, Some(r#"{"real_time":true}"#)).await;
    assert_eq!(
        (v["frozen"].as_bool(), v["offset_ms"].as_i64()),
        (Some(false), Some(0))
    );

    // A reset leaves the clock alone.
    h.emu.clock().freeze_at_ms(5_000);
    h.emu.reset();
    assert_eq!(h.emu.clock().now_ms(), 5_000);

    for bad in [
        r#"{}"#,
        r#"{"advance_ms":1,"freeze":true}"#,
        r#"{"advance_ms":-1}"#,
        r#"{"freeze_at_ms":"soon"}"#,
        r#"{"freeze":false}"#,
        r#"{"rewind_ms":5}"#,
        r#"[]"#,
    ] {
        let (status, v) = clock(Method::POST, Some(bad)).await;
        assert_eq!(status, 400, "{bad}: {v}");
        assert!(v["error"].is_string(), "{bad}: {v}");
    }
    assert_eq!(h.emu.clock().now_ms(), 5_000);
}
