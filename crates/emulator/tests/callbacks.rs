//! Callbacks (webhooks): the emulator POSTs signed callbacks to a receiver inside the test, as the
//! vendors do. No sleeps: `CallbackLog::wait_for` waits for the deliveries.

mod common;
mod rongcloud_support;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::IntoResponse;
use common::{Harness, assert_ok, now, text};
use imbridge_emulator::callbacks::tencent_sign;
use imbridge_emulator::{CallbackConfig, Delivery, Emulator};
use rongcloud_support::{Rc, now_ms, sign};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use tokio::sync::{Notify, Semaphore};

const TOKEN: &str = "my-callback-token";
const OK_REPLY: &str = r#"{"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0}"#;

// ---------------------------------------------------------------------------------------------
// A tiny receiver on 127.0.0.1:0.

#[derive(Clone, Debug)]
struct Received {
    method: String,
    path: String,
    raw_query: String,
    query: Vec<(String, String)>,
    content_type: Option<String>,
    body: String,
}

impl Received {
    fn param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    fn form(&self, name: &str) -> Option<String> {
        url::form_urlencoded::parse(self.body.as_bytes())
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
    }
}

#[derive(Clone)]
struct ReceiverState {
    got: Arc<Mutex<Vec<Received>>>,
    status: StatusCode,
    reply: &'static str,
    /// When set, each request waits for a permit before being answered.
    gate: Option<Arc<Semaphore>>,
    arrived: Arc<Notify>,
}

struct Receiver {
    addr: SocketAddr,
    state: ReceiverState,
}

impl Receiver {
    async fn start(status: u16, reply: &'static str) -> Receiver {
        Receiver::start_gated(status, reply, None).await
    }

    async fn start_gated(
        status: u16,
        reply: &'static str,
        gate: Option<Arc<Semaphore>>,
    ) -> Receiver {
        let state = ReceiverState {
            got: Arc::default(),
            status: StatusCode::from_u16(status).unwrap(),
            reply,
            gate,
            arrived: Arc::default(),
        };
        let app = axum::Router::new()
            .fallback(receive)
            .with_state(state.clone());
        let tcp = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = tcp.local_addr().unwrap();
        tokio::spawn(async move {
            axum::serve(tcp, app).await.unwrap();
        });
        Receiver { addr, state }
    }

    /// The callback URL, with a query parameter of the app's own.
    fn url(&self) -> String {
        format!("http://{}/im/callback?app=demo", self.addr)
    }

    fn got(&self) -> Vec<Received> {
        self.state.got.lock().unwrap().clone()
    }
}

async fn receive(
    State(state): State<ReceiverState>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> impl IntoResponse {
    let raw_query = uri.query().unwrap_or("").to_owned();
    state.got.lock().unwrap().push(Received {
        method: method.to_string(),
        path: uri.path().to_owned(),
        query: url::form_urlencoded::parse(raw_query.as_bytes())
            .into_owned()
            .collect(),
        raw_query,
        content_type: headers
            .get("content-type")
            .map(|v| v.to_str().unwrap().to_owned()),
        body: String::from_utf8(body.to_vec()).unwrap(),
    });
    state.arrived.notify_one();
    if let Some(gate) = &state.gate {
        gate.acquire().await.unwrap().forget();
    }
    (state.status, state.reply)
}

// ---------------------------------------------------------------------------------------------
// Helpers.

/// Lowercase hex SHA-256 of token + RequestTime, computed here (not by the emulator).
fn sha256_sign(token: &str, request_time: &str) -> String {
    Sha256::digest(format!("{token}{request_time}").as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Checks a delivery against what the receiver got, and the receiver's answer.
fn matches(delivery: &Delivery, received: &Received, status: u16, reply: &str) {
    assert_eq!(delivery.status, Some(status), "{delivery:?}");
    assert_eq!(delivery.reply.as_deref(), Some(reply), "{delivery:?}");
    assert_eq!(delivery.error, None);
    assert_eq!(delivery.body, received.body);
    assert_eq!(
        Some(delivery.content_type.as_str()),
        received.content_type.as_deref()
    );
    let url = url::Url::parse(&delivery.url).unwrap();
    assert_eq!(url.path(), received.path);
    assert_eq!(url.query().unwrap_or(""), received.raw_query);
}

/// The Tencent query, checked: method, path, content type, the vendor's fixed parameters, the
/// app's own parameter kept; with a token, `Sign` over `RequestTime` (close to now).
fn check_tencent_request(h: &Harness, r: &Received, command: &str, token: Option<&str>) {
    assert_eq!(r.method, "POST");
    assert_eq!(r.path, "/im/callback");
    assert_eq!(r.content_type.as_deref(), Some("application/json"));
    assert_eq!(r.param("app"), Some("demo"));
    assert_eq!(r.param("SdkAppid"), Some(h.sdkappid().as_str()));
    assert_eq!(r.param("CallbackCommand"), Some(command));
    assert_eq!(r.param("contenttype"), Some("json"));
    assert_eq!(r.param("ClientIP"), Some("127.0.0.1"));
    assert_eq!(r.param("OptPlatform"), Some("RESTAPI"));
    match token {
        Some(token) => {
            let time = r.param("RequestTime").expect("RequestTime");
            let secs: u64 = time.parse().unwrap();
            assert!(secs.abs_diff(now()) <= 5, "RequestTime {secs} is not now");
            assert_eq!(r.param("Sign"), Some(sha256_sign(token, time).as_str()));
        }
        None => {
            assert_eq!(r.param("Sign"), None);
            assert_eq!(r.param("RequestTime"), None);
        }
    }
    let body = r.json();
    assert_eq!(body["CallbackCommand"], command);
    let event_ms = body["EventTime"].as_u64().expect("EventTime");
    assert!(event_ms.abs_diff(now_ms()) <= 5_000, "EventTime {event_ms}");
}

async fn callbacks_to(emu: &Emulator, receiver: &Receiver, token: Option<&str>) {
    let mut config = CallbackConfig::new(receiver.url());
    if let Some(token) = token {
        config = config.tencent_token(token);
    }
    emu.set_callbacks(Some(config));
}

// ---------------------------------------------------------------------------------------------
// Tencent.

#[test]
fn sign_vectors_verify() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/vectors/tencent_callback_sign.json"
    );
    let vectors: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let cases = vectors["cases"].as_array().unwrap();
    assert!(!cases.is_empty());
    // The vendor's documented example comes first.
    assert_eq!(cases[0]["token"], "xxxxyyyy");
    for case in cases {
        let token = case["token"].as_str().unwrap();
        let time = case["request_time"].as_str().unwrap();
        let expected = case["sign"].as_str().unwrap();
        assert_eq!(sha256_sign(token, time), expected, "{case}");
        assert_eq!(tencent_sign(token, time), expected, "{case}");
    }
}

#[tokio::test]
async fn c2c_after_send_msg_is_signed_and_complete() {
    let h = Harness::start().await;
    let rx = Receiver::start(200, OK_REPLY).await;
    h.import(&["alice", "bob"]).await;
    callbacks_to(&h.emu, &rx, Some(TOKEN)).await;

    let answer = h
        .call(
            "openim/sendmsg",
            json!({
                "From_Account": "alice",
                "To_Account": "bob",
                "MsgRandom": 4242,
                "MsgBody": text("hello"),
                "CloudCustomData": "cloud-data",
            }),
        )
        .await;
    assert_ok(&answer);

    let deliveries = h.emu.callbacks().wait_for(1).await;
    assert_eq!(deliveries.len(), 1);
    let got = rx.got();
    assert_eq!(got.len(), 1);
    let (d, r) = (&deliveries[0], &got[0]);
    assert_eq!(d.vendor, "tencent");
    assert_eq!(d.command, "C2C.CallbackAfterSendMsg");
    matches(d, r, 200, OK_REPLY);
    check_tencent_request(&h, r, "C2C.CallbackAfterSendMsg", Some(TOKEN));

    let stored = &h.emu.state().c2c_messages()[0];
    let body = r.json();
    assert_eq!(body["From_Account"], "alice");
    assert_eq!(body["To_Account"], "bob");
    assert_eq!(body["MsgSeq"], stored.seq);
    assert_eq!(body["MsgRandom"], 4242);
    assert_eq!(body["MsgTime"], answer["MsgTime"]);
    assert_eq!(body["MsgKey"], answer["MsgKey"]);
    assert_eq!(body["OnlineOnlyFlag"], 0);
    assert_eq!(body["MsgBody"], text("hello"));
    assert_eq!(body["CloudCustomData"], "cloud-data");
    assert_eq!(body["SendMsgResult"], 0);
    assert_eq!(body["ErrorInfo"], "send msg succeed");
    assert_eq!(body["UnreadMsgNum"], 0);
    assert_eq!(d.json().unwrap(), body);
    assert_eq!(
        d.query_param("CallbackCommand").as_deref(),
        Some("C2C.CallbackAfterSendMsg")
    );
}

#[tokio::test]
async fn group_callbacks_without_a_token_are_unsigned() {
    let h = Harness::start().await;
    let rx = Receiver::start(200, OK_REPLY).await;
    h.import(&["owner", "m1", "m2", "m3"]).await;
    callbacks_to(&h.emu, &rx, None).await;

    let created = h
        .call(
            "group_open_http_svc/create_group",
            json!({
                "Type": "Public",
                "Name": "Team",
                "GroupId": "team1",
                "Owner_Account": "owner",
                "MemberList": [{"Member_Account": "m1"}, {"Member_Account": "m2"}],
            }),
        )
        .await;
    assert_ok(&created);
    let sent = h
        .call(
            "group_open_http_svc/send_group_msg",
            json!({
                "GroupId": "team1",
                "From_Account": "m1",
                "Random": 77,
                "MsgBody": text("hi all"),
                "OnlineOnlyFlag": 1,
            }),
        )
        .await;
    assert_ok(&sent);
    assert_ok(
        &h.call(
            "group_open_http_svc/add_group_member",
            json!({"GroupId": "team1", "MemberList": [{"Member_Account": "m3"}, {"Member_Account": "m1"}]}),
        )
        .await,
    );
    assert_ok(
        &h.call(
            "group_open_http_svc/delete_group_member",
            json!({"GroupId": "team1", "MemberToDel_Account": ["m2"]}),
        )
        .await,
    );
    assert_ok(
        &h.call(
            "group_open_http_svc/destroy_group",
            json!({"GroupId": "team1"}),
        )
        .await,
    );

    let deliveries = h.emu.callbacks().wait_for(5).await;
    let commands: Vec<&str> = deliveries.iter().map(|d| d.command.as_str()).collect();
    assert_eq!(
        commands,
        [
            "Group.CallbackAfterCreateGroup",
            "Group.CallbackAfterSendMsg",
            "Group.CallbackAfterNewMemberJoin",
            "Group.CallbackAfterMemberExit",
            "Group.CallbackAfterGroupDestroyed",
        ]
    );
    let got = rx.got();
    assert_eq!(got.len(), 5);
    for (d, r) in deliveries.iter().zip(&got) {
        matches(d, r, 200, OK_REPLY);
        check_tencent_request(&h, r, &d.command, None);
    }
    let admin = h.admin();

    let create = got[0].json();
    assert_eq!(create["GroupId"], "team1");
    assert_eq!(create["Type"], "Public");
    assert_eq!(create["Owner_Account"], "owner");
    assert_eq!(create["Operator_Account"], admin.as_str());
    assert_eq!(create["Name"], "Team");
    assert_eq!(
        create["MemberList"],
        json!([{"Member_Account": "m1"}, {"Member_Account": "m2"}])
    );

    let msg = got[1].json();
    assert_eq!(msg["GroupId"], "team1");
    assert_eq!(msg["Type"], "Public");
    assert_eq!(msg["From_Account"], "m1");
    assert_eq!(msg["Operator_Account"], admin.as_str());
    assert_eq!(msg["Random"], 77);
    assert_eq!(msg["MsgSeq"], sent["MsgSeq"]);
    assert_eq!(msg["MsgTime"], sent["MsgTime"]);
    assert_eq!(msg["OnlineOnlyFlag"], 1);
    assert_eq!(msg["MsgBody"], text("hi all"));

    let join = got[2].json();
    assert_eq!(join["GroupId"], "team1");
    assert_eq!(join["JoinType"], "Invited");
    assert_eq!(join["NewMemberList"], json!([{"Member_Account": "m3"}]));

    let exit = got[3].json();
    assert_eq!(exit["ExitType"], "Kicked");
    assert_eq!(exit["ExitMemberList"], json!([{"Member_Account": "m2"}]));

    let destroyed = got[4].json();
    assert_eq!(destroyed["GroupId"], "team1");
    assert_eq!(destroyed["Owner_Account"], "owner");
    assert_eq!(destroyed["Name"], "Team");
    assert_eq!(
        destroyed["MemberList"],
        json!([{"Member_Account": "owner"}, {"Member_Account": "m1"}, {"Member_Account": "m3"}])
    );
}

#[tokio::test]
async fn portrait_set_calls_back() {
    let h = Harness::start().await;
    let rx = Receiver::start(200, OK_REPLY).await;
    h.import(&["carol"]).await;
    callbacks_to(&h.emu, &rx, Some(TOKEN)).await;

    let items = json!([
        {"Tag": "Tag_Profile_IM_Nick", "Value": "Carol"},
        {"Tag": "Tag_Profile_Custom_Score", "Value": 12},
    ]);
    assert_ok(
        &h.call(
            "profile/portrait_set",
            json!({"From_Account": "carol", "ProfileItem": items}),
        )
        .await,
    );
    let deliveries = h.emu.callbacks().wait_for(1).await;
    let got = rx.got();
    matches(&deliveries[0], &got[0], 200, OK_REPLY);
    check_tencent_request(&h, &got[0], "Profile.CallbackPortraitSet", Some(TOKEN));
    let body = got[0].json();
    assert_eq!(body["From_Account"], "carol");
    assert_eq!(body["Operator_Account"], h.admin().as_str());
    assert_eq!(body["ProfileItem"], items);
}

#[tokio::test]
async fn group_info_changes_call_back_with_the_changed_fields() {
    let h = Harness::start().await;
    let rx = Receiver::start(200, OK_REPLY).await;
    h.import(&["owner"]).await;
    assert_ok(
        &h.call(
            "group_open_http_svc/create_group",
            json!({"Type": "Public", "Name": "g", "GroupId": "g1", "Owner_Account": "owner"}),
        )
        .await,
    );
    callbacks_to(&h.emu, &rx, Some(TOKEN)).await;
    // Only the mute-all switch: no info callback.
    assert_ok(
        &h.call(
            "group_open_http_svc/modify_group_base_info",
            json!({"GroupId": "g1", "MuteAllMember": "On"}),
        )
        .await,
    );
    assert_ok(
        &h.call(
            "group_open_http_svc/modify_group_base_info",
            json!({"GroupId": "g1", "Name": "g", "Notification": "new"}),
        )
        .await,
    );
    let deliveries = h.emu.callbacks().wait_for(1).await;
    let got = rx.got();
    matches(&deliveries[0], &got[0], 200, OK_REPLY);
    check_tencent_request(
        &h,
        &got[0],
        "Group.CallbackAfterGroupInfoChanged",
        Some(TOKEN),
    );
    let body = got[0].json();
    assert_eq!(body["GroupId"], "g1");
    assert_eq!(body["Type"], "Public");
    assert_eq!(body["Operator_Account"], h.admin().as_str());
    assert_eq!(body["Notification"], "new");
    assert!(
        body.get("Name").is_none(),
        "the name did not change: {body}"
    );
}

#[tokio::test]
async fn failed_and_duplicate_operations_do_not_call_back() {
    let h = Harness::start().await;
    let rx = Receiver::start(200, OK_REPLY).await;
    h.import(&["alice", "bob"]).await;
    callbacks_to(&h.emu, &rx, None).await;
    // The duplicate below must land in the original's second.
    h.emu.clock().freeze();

    let msg =
        json!({"From_Account": "alice", "To_Account": "bob", "MsgRandom": 1, "MsgBody": text("x")});
    assert_ok(&h.call("openim/sendmsg", msg.clone()).await);
    // A duplicate (same random, same second) is not stored again, a refused message is not stored at all.
    assert_ok(&h.call("openim/sendmsg", msg).await);
    let refused = h
        .call(
            "openim/sendmsg",
            json!({"From_Account": "alice", "To_Account": "nobody", "MsgRandom": 2, "MsgBody": text("x")}),
        )
        .await;
    assert_ne!(common::code(&refused), 0);
    // A marker, delivered after whatever the calls above raised (deliveries keep their order).
    assert_ok(
        &h.call(
            "profile/portrait_set",
            json!({"From_Account": "bob", "ProfileItem": [{"Tag": "Tag_Profile_IM_Nick", "Value": "B"}]}),
        )
        .await,
    );
    let deliveries = h.emu.callbacks().wait_for(2).await;
    let commands: Vec<&str> = deliveries.iter().map(|d| d.command.as_str()).collect();
    assert_eq!(
        commands,
        ["C2C.CallbackAfterSendMsg", "Profile.CallbackPortraitSet"]
    );
    assert_eq!(rx.got().len(), 2);
}

// ---------------------------------------------------------------------------------------------
// RongCloud.

#[tokio::test]
async fn rongcloud_message_routing_is_signed() {
    let rc = Rc::start().await;
    let rx = Receiver::start(200, "").await;
    callbacks_to(&rc.emu, &rx, Some(TOKEN)).await;

    let content = r#"{"content":"héllo & = + 你好"}"#;
    let private = rc
        .form(
            "/message/private/publish.json",
            &[
                ("fromUserId", "u1"),
                ("toUserId", "u2"),
                ("toUserId", "u3"),
                ("objectName", "RC:TxtMsg"),
                ("content", content),
            ],
        )
        .await;
    let private = private.ok().clone();
    let group = rc
        .form(
            "/message/group/publish.json",
            &[
                ("fromUserId", "u1"),
                ("toGroupId", "g1"),
                ("objectName", "RC:TxtMsg"),
                ("content", content),
            ],
        )
        .await;
    let group = group.ok().clone();

    let deliveries = rc.emu.callbacks().wait_for(3).await;
    assert_eq!(deliveries.len(), 3);
    let got = rx.got();
    assert_eq!(got.len(), 3);
    let app = rc.app();
    let expected = [
        (
            "u2",
            "PERSON",
            private["messageUIDs"][0]["messageUID"].clone(),
        ),
        (
            "u3",
            "PERSON",
            private["messageUIDs"][1]["messageUID"].clone(),
        ),
        ("g1", "GROUP", group["messageUIDs"][0]["messageUID"].clone()),
    ];
    let mut nonces = Vec::new();
    for ((d, r), (to, channel, uid)) in deliveries.iter().zip(&got).zip(expected) {
        assert_eq!(d.vendor, "rongcloud");
        assert_eq!(d.command, "message-routing");
        matches(d, r, 200, "");
        assert_eq!(r.method, "POST");
        assert_eq!(r.path, "/im/callback");
        assert_eq!(
            r.content_type.as_deref(),
            Some("application/x-www-form-urlencoded")
        );
        assert_eq!(r.param("app"), Some("demo"));
        assert_eq!(r.param("appKey"), Some(app.app_key.as_str()));
        let nonce = r.param("nonce").expect("nonce");
        let timestamp = r.param("signTimestamp").expect("signTimestamp");
        let ts: u64 = timestamp.parse().unwrap();
        assert!(
            ts.abs_diff(now_ms()) <= 5_000,
            "signTimestamp {ts} is not now (ms)"
        );
        assert_eq!(
            r.param("signature"),
            Some(sign(&app.app_secret, nonce, timestamp).as_str())
        );
        nonces.push(nonce.to_owned());

        assert_eq!(r.form("fromUserId").as_deref(), Some("u1"));
        assert_eq!(r.form("toUserId").as_deref(), Some(to));
        assert_eq!(r.form("objectName").as_deref(), Some("RC:TxtMsg"));
        assert_eq!(r.form("content").as_deref(), Some(content));
        assert_eq!(r.form("channelType").as_deref(), Some(channel));
        assert_eq!(r.form("msgUID").as_deref(), uid.as_str());
        assert_eq!(r.form("source").as_deref(), Some("Server"));
        let msg_ms: u64 = r.form("msgTimestamp").unwrap().parse().unwrap();
        assert!(msg_ms.abs_diff(now_ms()) <= 5_000, "msgTimestamp {msg_ms}");
        assert_eq!(d.form_param("msgUID"), r.form("msgUID"));
    }
    nonces.sort();
    nonces.dedup();
    assert_eq!(nonces.len(), 3, "a fresh nonce per callback");
    let stored = rc.emu.rongcloud_state().private_messages();
    assert_eq!(
        got[0].form("msgTimestamp").unwrap(),
        stored[0].sent_at_ms.to_string()
    );
}

// ---------------------------------------------------------------------------------------------
// Logging, switching, refusing, failing.

#[tokio::test]
async fn the_receivers_status_and_reply_are_logged() {
    let h = Harness::start().await;
    let rx = Receiver::start(500, "boom").await;
    h.import(&["alice"]).await;
    callbacks_to(&h.emu, &rx, None).await;
    assert_ok(
        &h.call(
            "profile/portrait_set",
            json!({"From_Account": "alice", "ProfileItem": [{"Tag": "Tag_Profile_IM_Nick", "Value": "A"}]}),
        )
        .await,
    );
    let deliveries = h.emu.callbacks().wait_for(1).await;
    matches(&deliveries[0], &rx.got()[0], 500, "boom");
    assert_eq!(h.emu.callbacks().deliveries().len(), 1);
}

#[tokio::test]
async fn callbacks_can_be_turned_on_and_off() {
    let h = Harness::start().await;
    let rx = Receiver::start(200, OK_REPLY).await;
    h.import(&["alice", "bob"]).await;
    let send = |random: u32| json!({"From_Account": "alice", "To_Account": "bob", "MsgRandom": random, "MsgBody": text("x")});

    // Off by default.
    assert_ok(&h.call("openim/sendmsg", send(1)).await);
    callbacks_to(&h.emu, &rx, None).await;
    assert_ok(&h.call("openim/sendmsg", send(2)).await);
    h.emu.set_callbacks(None);
    assert_ok(&h.call("openim/sendmsg", send(3)).await);
    callbacks_to(&h.emu, &rx, None).await;
    assert_ok(&h.call("openim/sendmsg", send(4)).await);

    let deliveries = h.emu.callbacks().wait_for(2).await;
    let randoms: Vec<Value> = rx
        .got()
        .iter()
        .map(|r| r.json()["MsgRandom"].clone())
        .collect();
    assert_eq!(randoms, [json!(2), json!(4)]);
    assert_eq!(deliveries.len(), 2);
    assert_eq!(h.emu.state().c2c_messages().len(), 4);
}

/// A private RongCloud message from `u1` to `to`.
async fn publish(rc: &Rc, to: &str) {
    rc.form(
        "/message/private/publish.json",
        &[
            ("fromUserId", "u1"),
            ("toUserId", to),
            ("objectName", "RC:TxtMsg"),
            ("content", r#"{"content":"x"}"#),
        ],
    )
    .await
    .ok();
}

#[tokio::test]
async fn callbacks_off_deliver_nothing() {
    let h = Harness::start().await;
    let rc = Rc::start().await;
    h.import(&["alice", "bob"]).await;
    assert_ok(
        &h.call(
            "openim/sendmsg",
            json!({"From_Account": "alice", "To_Account": "bob", "MsgRandom": 1, "MsgBody": text("x")}),
        )
        .await,
    );
    publish(&rc, "u2").await;
    assert!(h.emu.callbacks().deliveries().is_empty());
    assert!(rc.emu.callbacks().is_empty());

    // Turned on afterwards, only what follows is delivered (in order, so nothing was pending).
    let rx = Receiver::start(200, "").await;
    callbacks_to(&rc.emu, &rx, None).await;
    publish(&rc, "marker").await;
    let deliveries = rc.emu.callbacks().wait_for(1).await;
    assert_eq!(deliveries.len(), 1);
    assert_eq!(
        deliveries[0].form_param("toUserId").as_deref(),
        Some("marker")
    );
    assert_eq!(rx.got().len(), 1);
    assert!(h.emu.callbacks().is_empty());
}

#[tokio::test]
async fn non_loopback_urls_are_refused() {
    let h = Harness::start().await;
    let rx = Receiver::start(200, OK_REPLY).await;
    callbacks_to(&h.emu, &rx, None).await;
    for url in [
        "http://example.com/cb",
        "https://10.1.2.3:8443/cb",
        "http://0.0.0.0:9000/cb",
        "http://localhost.example.com/cb",
        "ftp://127.0.0.1/cb",
        "not a url",
    ] {
        let err = h
            .emu
            .try_set_callbacks(Some(CallbackConfig::new(url)))
            .expect_err(url);
        assert!(err.to_string().contains("loopback"), "{err}");
        let panic = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            h.emu.set_callbacks(Some(CallbackConfig::new(url)));
        }))
        .expect_err(url);
        let message = panic.downcast_ref::<String>().cloned().unwrap_or_default();
        assert!(message.contains("refusing the callback URL"), "{message}");
    }
    // The previous configuration stays.
    h.import(&["alice"]).await;
    assert_ok(
        &h.call(
            "profile/portrait_set",
            json!({"From_Account": "alice", "ProfileItem": [{"Tag": "Tag_Profile_IM_Nick", "Value": "A"}]}),
        )
        .await,
    );
    let deliveries = h.emu.callbacks().wait_for(1).await;
    assert!(
        deliveries[0]
            .url
            .starts_with(&format!("http://{}/", rx.addr))
    );
    // Loopback forms are accepted.
    for url in [
        "http://localhost:1/cb",
        "http://[::1]:1/cb",
        "http://127.0.0.2:1/",
    ] {
        h.emu.set_callbacks(Some(CallbackConfig::new(url)));
    }
}

#[tokio::test]
async fn a_receiver_that_is_down_gives_a_logged_failure() {
    let h = Harness::start().await;
    // A port that was just free: nothing listens there.
    let tcp = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = tcp.local_addr().unwrap();
    drop(tcp);
    h.import(&["alice", "bob"]).await;
    h.emu.set_callbacks(Some(
        CallbackConfig::new(format!("http://{addr}/cb")).tencent_token(TOKEN),
    ));

    let answer = h
        .call(
            "openim/sendmsg",
            json!({"From_Account": "alice", "To_Account": "bob", "MsgRandom": 9, "MsgBody": text("x")}),
        )
        .await;
    assert_ok(&answer);
    assert_eq!(h.emu.state().c2c_messages().len(), 1);

    let deliveries = h.emu.callbacks().wait_for(1).await;
    let d = &deliveries[0];
    assert_eq!(d.command, "C2C.CallbackAfterSendMsg");
    assert_eq!(d.status, None);
    assert_eq!(d.reply, None);
    assert!(d.error.as_deref().is_some_and(|e| !e.is_empty()), "{d:?}");
    assert!(
        d.url.starts_with(&format!("http://{addr}/cb?")),
        "{}",
        d.url
    );
    assert_eq!(d.json().unwrap()["MsgRandom"], 9);
    assert!(d.query_param("Sign").is_some());
}

#[tokio::test]
async fn delivery_does_not_delay_the_answer() {
    let h = Harness::start().await;
    let gate = Arc::new(Semaphore::new(0));
    let rx = Receiver::start_gated(200, OK_REPLY, Some(Arc::clone(&gate))).await;
    h.import(&["alice", "bob"]).await;
    callbacks_to(&h.emu, &rx, None).await;

    // The receiver holds the callback until released; the answer comes anyway.
    assert_ok(
        &h.call(
            "openim/sendmsg",
            json!({"From_Account": "alice", "To_Account": "bob", "MsgRandom": 5, "MsgBody": text("x")}),
        )
        .await,
    );
    rx.state.arrived.notified().await;
    assert!(
        h.emu.callbacks().is_empty(),
        "logged before the app answered"
    );
    gate.add_permits(1);
    let deliveries = h.emu.callbacks().wait_for(1).await;
    assert_eq!(deliveries[0].status, Some(200));
}

#[tokio::test]
#[should_panic(expected = "callback deliveries")]
async fn waiting_panics_clearly() {
    let h = Harness::start().await;
    h.emu
        .callbacks()
        .wait_for_within(1, std::time::Duration::from_millis(20))
        .await;
}
