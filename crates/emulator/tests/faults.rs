//! Scripted faults ([`FaultRule`] with `Emulator::inject` / `Listener::inject`) for both vendors,
//! as a client's retry tests use them: what the client sees at the HTTP level, what the state
//! and the request logs show.

mod rongcloud_support;

use std::time::{Duration, Instant};

use imbridge_emulator::{Emulator, EmulatorConfig, Fault, FaultRule, Listener};
use reqwest::RequestBuilder;
use rongcloud_support::{enc, form, nonce, now_ms, now_secs, sign};
use serde_json::{Value, json};

const SENDMSG: &str = "/v4/openim/sendmsg";
const IMPORT: &str = "/v4/im_open_login_svc/account_import";
const PUBLISH: &str = "/message/private/publish.json";
const GET_TOKEN: &str = "/user/getToken.json";
const TXT: &str = r#"{"content":"hello"}"#;

/// A client timeout for the requests that hang.
const GIVE_UP: Duration = Duration::from_millis(300);

struct T {
    emu: Emulator,
    http: reqwest::Client,
}

impl T {
    async fn start() -> T {
        let emu = Emulator::start(EmulatorConfig::default()).await.unwrap();
        let http = reqwest::Client::builder().no_proxy().build().unwrap();
        T { emu, http }
    }

    /// A signed Tencent admin call of `path` on `base`.
    fn tencent(&self, base: &str, path: &str, body: &Value) -> RequestBuilder {
        let app = self.emu.tencent();
        let sig = app.usersig_key().sign(&app.admin, now_secs(), 86_400, None);
        let url = format!(
            "{base}{path}?sdkappid={}&identifier={}&usersig={}&random=7&contenttype=json",
            app.sdkappid,
            app.admin,
            enc(&sig)
        );
        self.http.post(url).body(body.to_string())
    }

    /// A signed RongCloud form call of `path` on `base`.
    fn rongcloud(&self, base: &str, path: &str, pairs: &[(&str, &str)]) -> RequestBuilder {
        let app = self.emu.rongcloud();
        let nonce = nonce();
        let timestamp = now_secs().to_string();
        self.http
            .post(format!("{base}{path}"))
            .header("App-Key", &app.app_key)
            .header("Nonce", &nonce)
            .header("Timestamp", &timestamp)
            .header("Signature", sign(&app.app_secret, &nonce, &timestamp))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(form(pairs))
    }

    /// `alice` → `bob` one-to-one message with `random` on `base`.
    fn sendmsg(&self, base: &str, random: u32) -> RequestBuilder {
        self.tencent(
            base,
            SENDMSG,
            &json!({
                "From_Account": "alice", "To_Account": "bob", "MsgRandom": random,
                "MsgBody": [{"MsgType": "TIMTextElem", "MsgContent": {"Text": "hi"}}],
            }),
        )
    }

    /// `alice` → `bob` private message on `base`.
    fn publish(&self, base: &str) -> RequestBuilder {
        self.rongcloud(
            base,
            PUBLISH,
            &[
                ("fromUserId", "alice"),
                ("toUserId", "bob"),
                ("objectName", "RC:TxtMsg"),
                ("content", TXT),
            ],
        )
    }

    /// Imports `alice` and `bob` on the Tencent side.
    fn seed(&self) {
        let state = self.emu.state();
        state.import_account("alice");
        state.import_account("bob");
    }
}

/// What the client got.
#[derive(Debug)]
enum Got {
    /// A whole answer.
    Answer {
        status: u16,
        text: String,
        json: Value,
    },
    /// No answer: `send` failed.
    SendError(reqwest::Error),
    /// A status and headers, then reading the body failed.
    BodyError {
        status: u16,
        content_length: Option<u64>,
        first_chunk: Option<Vec<u8>>,
        error: reqwest::Error,
    },
}

impl Got {
    #[track_caller]
    fn answer(&self) -> (u16, &Value, &str) {
        match self {
            Got::Answer { status, json, text } => (*status, json, text),
            other => panic!("expected an answer, got {other:?}"),
        }
    }

    #[track_caller]
    fn send_error(&self) -> &reqwest::Error {
        match self {
            Got::SendError(e) => e,
            other => panic!("expected a send error, got {other:?}"),
        }
    }
}

async fn attempt(request: RequestBuilder) -> Got {
    let mut response = match request.send().await {
        Ok(response) => response,
        Err(e) => return Got::SendError(e),
    };
    let status = response.status().as_u16();
    let content_length = response
        .headers()
        .get("content-length")
        .map(|v| v.to_str().unwrap().parse().unwrap());
    let mut body = Vec::new();
    let mut first_chunk = None;
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                if first_chunk.is_none() {
                    first_chunk = Some(chunk.to_vec());
                }
                body.extend_from_slice(&chunk);
            }
            Ok(None) => break,
            Err(error) => {
                return Got::BodyError {
                    status,
                    content_length,
                    first_chunk,
                    error,
                };
            }
        }
    }
    let text = String::from_utf8(body).unwrap();
    let json = serde_json::from_str(&text).unwrap_or_else(|_| Value::String(text.clone()));
    Got::Answer { status, text, json }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Vendor {
    Tencent,
    RongCloud,
}

impl Vendor {
    /// The path of the call [`Vendor::register`] makes.
    fn path(self) -> &'static str {
        match self {
            Vendor::Tencent => IMPORT,
            Vendor::RongCloud => GET_TOKEN,
        }
    }

    /// A call that registers the user `id` (and changes nothing else).
    fn register(self, t: &T, base: &str, id: &str) -> RequestBuilder {
        match self {
            Vendor::Tencent => t.tencent(base, IMPORT, &json!({ "UserID": id })),
            Vendor::RongCloud => t.rongcloud(base, GET_TOKEN, &[("userId", id), ("name", id)]),
        }
    }

    fn registered(self, t: &T, id: &str) -> bool {
        match self {
            Vendor::Tencent => t.emu.state().user(id).is_some(),
            Vendor::RongCloud => t.emu.rongcloud_state().user(id).is_some(),
        }
    }

    /// The log as (path, fault, received_at_ms).
    fn log(self, t: &T) -> Vec<(String, Option<String>, u64)> {
        match self {
            Vendor::Tencent => t
                .emu
                .state()
                .requests()
                .into_iter()
                .map(|r| (r.path, r.fault, r.received_at_ms))
                .collect(),
            Vendor::RongCloud => t
                .emu
                .rongcloud_state()
                .requests()
                .into_iter()
                .map(|r| (r.path, r.fault, r.received_at_ms))
                .collect(),
        }
    }

    /// The vendor's error code in an answer.
    fn code(self, json: &Value) -> i64 {
        match self {
            Vendor::Tencent => json["ErrorCode"].as_i64(),
            Vendor::RongCloud => json["code"].as_i64(),
        }
        .unwrap_or_else(|| panic!("no code: {json}"))
    }

    fn success(self) -> i64 {
        match self {
            Vendor::Tencent => 0,
            Vendor::RongCloud => 200,
        }
    }
}

/// Every variant, with what the client must see.
fn variants() -> Vec<Fault> {
    vec![
        Fault::Status(503),
        Fault::Status(429),
        Fault::GatewayPage(502),
        Fault::VendorCode { code: 1008 },
        Fault::Delay(Duration::from_millis(50)),
        Fault::Hang,
        Fault::TruncatedBody,
        Fault::DropConnection,
        Fault::AfterProcessing(Box::new(Fault::Status(503))),
        Fault::AfterProcessing(Box::new(Fault::GatewayPage(504))),
        Fault::AfterProcessing(Box::new(Fault::VendorCode { code: 1050 })),
        Fault::AfterProcessing(Box::new(Fault::TruncatedBody)),
        Fault::AfterProcessing(Box::new(Fault::DropConnection)),
        Fault::AfterProcessing(Box::new(Fault::Hang)),
        Fault::AfterProcessing(Box::new(Fault::Delay(Duration::from_millis(50)))),
    ]
}

/// Checks what the client got for `fault` (after `elapsed`); returns whether the request must
/// have been processed.
#[track_caller]
fn check(vendor: Vendor, fault: &Fault, got: &Got, elapsed: Duration) -> bool {
    let ctx = format!("{vendor:?} {fault:?}: {got:?}");
    match fault {
        Fault::Status(status) => {
            let (s, json, _) = got.answer();
            assert_eq!(s, *status, "{ctx}");
            let expected = match (vendor, status) {
                (Vendor::Tencent, 429) => 60007,
                (Vendor::Tencent, _) => 60008,
                (Vendor::RongCloud, 429) => 1008,
                (Vendor::RongCloud, 504) => 1050,
                (Vendor::RongCloud, _) => 1000,
            };
            assert_eq!(vendor.code(json), expected, "{ctx}");
            false
        }
        Fault::GatewayPage(status) => {
            let (s, _, text) = got.answer();
            assert_eq!(s, *status, "{ctx}");
            assert!(text.contains("<html>"), "{ctx}");
            assert!(text.contains(&status.to_string()), "{ctx}");
            false
        }
        Fault::VendorCode { code } => {
            let (s, json, _) = got.answer();
            match vendor {
                Vendor::Tencent => {
                    assert_eq!(s, 200, "{ctx}");
                    assert_eq!(json["ActionStatus"], "FAIL", "{ctx}");
                    assert_eq!(json["ErrorInfo"], "emulated fault", "{ctx}");
                }
                Vendor::RongCloud => {
                    let status = match code {
                        1000 => 500,
                        1008 => 429,
                        1050 => 504,
                        1004 => 401,
                        1002 => 400,
                        _ => 200,
                    };
                    assert_eq!(s, status, "{ctx}");
                    assert_eq!(json["errorMessage"], "emulated fault", "{ctx}");
                }
            }
            assert_eq!(vendor.code(json), *code, "{ctx}");
            false
        }
        Fault::Delay(delay) => {
            let (s, json, _) = got.answer();
            assert_eq!((s, vendor.code(json)), (200, vendor.success()), "{ctx}");
            assert!(elapsed >= *delay, "{ctx}");
            true
        }
        Fault::Hang => {
            let e = got.send_error();
            assert!(e.is_timeout(), "{ctx}");
            assert!(elapsed >= GIVE_UP, "{ctx}");
            false
        }
        Fault::TruncatedBody => {
            let Got::BodyError {
                status,
                content_length,
                first_chunk,
                error,
            } = got
            else {
                panic!("expected a body error, {ctx}");
            };
            assert_eq!(*status, 200, "{ctx}");
            assert!(!error.is_timeout(), "{ctx}");
            let sent = first_chunk.as_ref().map_or(0, Vec::len);
            assert!(content_length.unwrap() > sent as u64, "{ctx}");
            if let Some(chunk) = first_chunk {
                assert!(chunk.starts_with(b"{"), "{ctx}");
            }
            false
        }
        Fault::DropConnection => {
            let e = got.send_error();
            assert!(!e.is_timeout(), "{ctx}");
            assert!(e.status().is_none(), "{ctx}");
            false
        }
        Fault::AfterProcessing(inner) => {
            let processed = check(vendor, inner, got, elapsed);
            assert!(!processed || matches!(**inner, Fault::Delay(_)), "{ctx}");
            true
        }
        other => panic!("no check for {other:?}"),
    }
}

/// Injects each variant (emulator-wide when `listener` is `None`, else on that listener) for one
/// request of `vendor`, and checks the answer, the state and the log.
async fn every_variant(t: &T, vendor: Vendor, listener: Option<&Listener>) {
    let base = listener.map_or_else(|| t.emu.url(), Listener::url);
    for (i, fault) in variants().into_iter().enumerate() {
        let id = format!("user{i}");
        let rule = FaultRule::path(vendor.path(), fault.clone()).times(1);
        match listener {
            Some(listener) => listener.inject(rule),
            None => t.emu.inject(rule),
        }
        let fired = t.emu.faults_fired();
        let logged = vendor.log(t).len();
        let before = now_ms();
        let started = Instant::now();
        let mut request = vendor.register(t, &base, &id);
        if matches!(fault, Fault::Hang) || fault == Fault::AfterProcessing(Box::new(Fault::Hang)) {
            request = request.timeout(GIVE_UP);
        }
        let got = attempt(request).await;
        let processed = check(vendor, &fault, &got, started.elapsed());
        let after = now_ms();
        assert_eq!(vendor.registered(t, &id), processed, "{vendor:?} {fault:?}");
        assert_eq!(t.emu.faults_fired(), fired + 1, "{vendor:?} {fault:?}");

        // The faulted attempt is in the log, named, once.
        let log = vendor.log(t);
        assert_eq!(log.len(), logged + 1, "{vendor:?} {fault:?}: {log:?}");
        let (path, name, at) = log.last().unwrap();
        assert_eq!(path, vendor.path());
        assert_eq!(name.as_deref(), Some(format!("{fault:?}").as_str()));
        assert!(before <= *at && *at <= after, "{before} <= {at} <= {after}");

        // `times(1)`: the next request is served normally.
        let again = attempt(vendor.register(t, &base, &id)).await;
        let (status, json, _) = again.answer();
        assert_eq!((status, vendor.code(json)), (200, vendor.success()));
        assert!(vendor.registered(t, &id));
        assert_eq!(vendor.log(t).last().unwrap().1, None);
        assert_eq!(t.emu.faults_fired(), fired + 1);
    }
}

#[tokio::test]
async fn every_fault_via_the_emulator_tencent() {
    let t = T::start().await;
    every_variant(&t, Vendor::Tencent, None).await;
    assert_eq!(t.emu.faults_fired(), variants().len() as u64);
}

#[tokio::test]
async fn every_fault_via_the_emulator_rongcloud() {
    let t = T::start().await;
    every_variant(&t, Vendor::RongCloud, None).await;
    assert_eq!(t.emu.faults_fired(), variants().len() as u64);
}

#[tokio::test]
async fn every_fault_via_a_listener_tencent() {
    let t = T::start().await;
    let second = t.emu.add_listener().await.unwrap();
    every_variant(&t, Vendor::Tencent, Some(&second)).await;
    assert_eq!(second.faults_fired(), variants().len() as u64);
    assert_eq!(t.emu.main_listener().faults_fired(), 0);
}

#[tokio::test]
async fn every_fault_via_a_listener_rongcloud() {
    let t = T::start().await;
    let main = t.emu.main_listener();
    every_variant(&t, Vendor::RongCloud, Some(&main)).await;
    assert_eq!(main.faults_fired(), variants().len() as u64);
}

#[tokio::test]
async fn listener_rules_apply_only_there_and_come_first() {
    let t = T::start().await;
    let main = t.emu.main_listener();
    let second = t.emu.add_listener().await.unwrap();
    second.inject(FaultRule::any(Fault::VendorCode { code: 1002 }));
    // Only the second listener is faulted.
    let got = attempt(Vendor::RongCloud.register(&t, &main.url(), "a")).await;
    assert_eq!(got.answer().0, 200);
    let got = attempt(Vendor::RongCloud.register(&t, &second.url(), "b")).await;
    let (status, json, _) = got.answer();
    assert_eq!((status, json["code"].as_i64()), (400, Some(1002)));
    let (status, json, _) = attempt(t.tencent(&second.url(), IMPORT, &json!({"UserID": "c"})))
        .await
        .answer()
        .clone_parts();
    assert_eq!((status, json["ErrorCode"].as_i64()), (200, Some(1002)));

    // The listener's rules are checked before the emulator's.
    t.emu
        .inject(FaultRule::any(Fault::VendorCode { code: 1004 }));
    let (status, json, _) = attempt(Vendor::RongCloud.register(&t, &second.url(), "d"))
        .await
        .answer()
        .clone_parts();
    assert_eq!((status, json["code"].as_i64()), (400, Some(1002)));
    let (status, json, _) = attempt(Vendor::RongCloud.register(&t, &main.url(), "e"))
        .await
        .answer()
        .clone_parts();
    assert_eq!((status, json["code"].as_i64()), (401, Some(1004)));
    assert_eq!(second.faults_fired(), 3);
    assert_eq!(main.faults_fired(), 1);
    assert_eq!(t.emu.faults_fired(), 4);

    // Clearing the listener's rules leaves the emulator's.
    second.clear_faults();
    let (status, _, _) = attempt(Vendor::RongCloud.register(&t, &second.url(), "f"))
        .await
        .answer()
        .clone_parts();
    assert_eq!(status, 401);
    // Clearing the emulator's faults clears every rule.
    second.inject(FaultRule::any(Fault::Status(500)));
    t.emu.clear_faults();
    for base in [main.url(), second.url()] {
        let (status, _, _) = attempt(Vendor::RongCloud.register(&t, &base, "g"))
            .await
            .answer()
            .clone_parts();
        assert_eq!(status, 200);
    }
    assert_eq!(t.emu.faults_fired(), 5);
    assert!(t.emu.rongcloud_state().user("g").is_some());
    assert!(t.emu.rongcloud_state().user("f").is_none());
}

trait CloneParts {
    fn clone_parts(&self) -> (u16, Value, String);
}

impl CloneParts for (u16, &Value, &str) {
    fn clone_parts(&self) -> (u16, Value, String) {
        (self.0, self.1.clone(), self.2.to_owned())
    }
}

#[tokio::test]
async fn times_then_normal_service_and_path_matching() {
    let t = T::start().await;
    t.seed();
    let url = t.emu.url();
    t.emu
        .inject(FaultRule::path(SENDMSG, Fault::Status(503)).times(2));
    t.emu
        .inject(FaultRule::path(PUBLISH, Fault::VendorCode { code: 1000 }).times(3));

    // Other paths are not affected.
    let (status, json, _) = attempt(t.tencent(&url, IMPORT, &json!({"UserID": "x"})))
        .await
        .answer()
        .clone_parts();
    assert_eq!((status, json["ErrorCode"].as_i64()), (200, Some(0)));
    let (status, _, _) = attempt(Vendor::RongCloud.register(&t, &url, "x"))
        .await
        .answer()
        .clone_parts();
    assert_eq!(status, 200);
    assert_eq!(t.emu.faults_fired(), 0);

    for _ in 0..2 {
        let (status, json, _) = attempt(t.sendmsg(&url, 1)).await.answer().clone_parts();
        assert_eq!((status, json["ErrorCode"].as_i64()), (503, Some(60008)));
    }
    assert!(t.emu.state().c2c_messages().is_empty());
    let (status, json, _) = attempt(t.sendmsg(&url, 1)).await.answer().clone_parts();
    assert_eq!(
        (status, json["ErrorCode"].as_i64()),
        (200, Some(0)),
        "{json}"
    );
    assert_eq!(t.emu.state().c2c_messages().len(), 1);

    for _ in 0..3 {
        let (status, json, _) = attempt(t.publish(&url)).await.answer().clone_parts();
        assert_eq!((status, json["code"].as_i64()), (500, Some(1000)));
    }
    assert!(t.emu.rongcloud_state().private_messages().is_empty());
    let (status, _, _) = attempt(t.publish(&url)).await.answer().clone_parts();
    assert_eq!(status, 200);
    assert_eq!(t.emu.rongcloud_state().private_messages().len(), 1);
    assert_eq!(t.emu.faults_fired(), 5);

    // The logs hold every attempt, faulted ones named.
    let faults: Vec<Option<String>> = t
        .emu
        .state()
        .requests()
        .into_iter()
        .filter(|r| r.path == SENDMSG)
        .map(|r| r.fault)
        .collect();
    assert_eq!(
        faults,
        vec![
            Some("Status(503)".to_owned()),
            Some("Status(503)".to_owned()),
            None
        ]
    );
    let rc: Vec<(u16, i64, Option<String>)> = t
        .emu
        .rongcloud_state()
        .requests()
        .into_iter()
        .filter(|r| r.path == PUBLISH)
        .map(|r| (r.http_status, r.code, r.fault))
        .collect();
    let faulted = (500, 1000, Some("VendorCode { code: 1000 }".to_owned()));
    assert_eq!(
        rc,
        vec![faulted.clone(), faulted.clone(), faulted, (200, 200, None)]
    );
}

#[tokio::test]
async fn an_unlimited_rule_applies_until_cleared() {
    let t = T::start().await;
    let url = t.emu.url();
    t.emu.inject(FaultRule::any(Fault::GatewayPage(502)));
    for i in 0..3 {
        let id = format!("u{i}");
        assert_eq!(
            attempt(Vendor::Tencent.register(&t, &url, &id))
                .await
                .answer()
                .0,
            502
        );
        assert_eq!(
            attempt(Vendor::RongCloud.register(&t, &url, &id))
                .await
                .answer()
                .0,
            502
        );
    }
    assert_eq!(t.emu.faults_fired(), 6);
    t.emu.clear_faults();
    assert_eq!(
        attempt(Vendor::Tencent.register(&t, &url, "ok"))
            .await
            .answer()
            .0,
        200
    );
    assert_eq!(
        attempt(Vendor::RongCloud.register(&t, &url, "ok"))
            .await
            .answer()
            .0,
        200
    );
    assert!(t.emu.state().user("ok").is_some());
    assert!(t.emu.state().user("u0").is_none());
    assert_eq!(t.emu.faults_fired(), 6);
    // A rule with no uses never applies.
    t.emu.inject(FaultRule::any(Fault::DropConnection).times(0));
    assert_eq!(
        attempt(Vendor::RongCloud.register(&t, &url, "ok2"))
            .await
            .answer()
            .0,
        200
    );
    assert_eq!(t.emu.faults_fired(), 6);
}

#[tokio::test]
async fn the_first_matching_rule_with_uses_left_wins() {
    let t = T::start().await;
    let url = t.emu.url();
    t.emu
        .inject(FaultRule::path(GET_TOKEN, Fault::VendorCode { code: 1008 }).times(1));
    t.emu
        .inject(FaultRule::any(Fault::VendorCode { code: 1050 }).times(2));
    let codes: Vec<i64> = {
        let mut codes = Vec::new();
        for i in 0..4 {
            let got = attempt(Vendor::RongCloud.register(&t, &url, &format!("u{i}"))).await;
            codes.push(got.answer().1["code"].as_i64().unwrap());
        }
        codes
    };
    assert_eq!(codes, vec![1008, 1050, 1050, 200]);
}

#[tokio::test]
async fn after_processing_stores_once_and_a_resend_is_deduplicated() {
    let t = T::start().await;
    t.seed();
    // Tencent de-duplicates a one-to-one MsgRandom within the same second only: stop the clock
    // so that the resend lands in the original's second however long the fault took.
    t.emu.clock().freeze();
    let url = t.emu.url();
    let inner = [
        Fault::Status(503),
        Fault::GatewayPage(502),
        Fault::VendorCode { code: 70_001 },
        Fault::TruncatedBody,
        Fault::DropConnection,
        Fault::Hang,
    ];
    for (i, inner) in inner.into_iter().enumerate() {
        let fault = Fault::AfterProcessing(Box::new(inner.clone()));
        let random = 1000 + u32::try_from(i).unwrap();
        let stored = t.emu.state().c2c_messages().len();
        t.emu
            .inject(FaultRule::path(SENDMSG, fault.clone()).times(1));
        let started = Instant::now();
        let got = attempt(t.sendmsg(&url, random).timeout(GIVE_UP)).await;
        check(Vendor::Tencent, &fault, &got, started.elapsed());
        if let (Fault::TruncatedBody, Got::BodyError { first_chunk, .. }) = (&inner, &got) {
            // Part of the real answer.
            let chunk = first_chunk.as_deref().expect("no part of the answer");
            assert!(
                chunk.starts_with(br#"{"ActionStatus":"OK","ErrorCode":0,"#),
                "{chunk:?}"
            );
        }

        // The message was stored despite the lost answer.
        let messages = t.emu.state().c2c_messages();
        assert_eq!(messages.len(), stored + 1, "{fault:?}");
        let original = messages.last().unwrap().clone();
        assert_eq!(original.msg_random, random);

        // The retry with the same MsgRandom answers the original MsgKey and stores nothing.
        let (status, json, _) = attempt(t.sendmsg(&url, random))
            .await
            .answer()
            .clone_parts();
        assert_eq!(
            (status, json["ErrorCode"].as_i64()),
            (200, Some(0)),
            "{json}"
        );
        assert_eq!(json["MsgKey"], original.msg_key.as_str());
        assert_eq!(json["MsgTime"], original.time);
        assert_eq!(t.emu.state().c2c_messages().len(), stored + 1);

        // Both attempts are logged: the first as processed (code 0) and faulted.
        let log = t.emu.state().requests();
        let [.., first, second] = log.as_slice() else {
            panic!("{log:?}")
        };
        assert_eq!(first.fault.as_deref(), Some(format!("{fault:?}").as_str()));
        assert_eq!(first.error_code, 0);
        assert_eq!(second.fault, None);
        assert!(first.received_at_ms <= second.received_at_ms);
    }
    assert_eq!(t.emu.faults_fired(), 6);
}

#[tokio::test]
async fn after_processing_on_rongcloud_stores_the_message() {
    let t = T::start().await;
    let url = t.emu.url();
    for (i, inner) in [
        Fault::Status(504),
        Fault::GatewayPage(502),
        Fault::VendorCode { code: 1000 },
        Fault::TruncatedBody,
        Fault::DropConnection,
        Fault::Hang,
    ]
    .into_iter()
    .enumerate()
    {
        let fault = Fault::AfterProcessing(Box::new(inner));
        t.emu
            .main_listener()
            .inject(FaultRule::path(PUBLISH, fault.clone()).times(1));
        let started = Instant::now();
        let got = attempt(t.publish(&url).timeout(GIVE_UP)).await;
        check(Vendor::RongCloud, &fault, &got, started.elapsed());
        assert_eq!(t.emu.rongcloud_state().private_messages().len(), i + 1);
        let log = t.emu.rongcloud_state().requests();
        let last = log.last().unwrap();
        assert_eq!(last.fault.as_deref(), Some(format!("{fault:?}").as_str()));
        assert_eq!((last.http_status, last.code), (200, 200));
    }
}

#[tokio::test]
async fn a_hang_times_out_while_other_requests_are_served() {
    let t = T::start().await;
    t.seed();
    let url = t.emu.url();
    t.emu.inject(FaultRule::path(SENDMSG, Fault::Hang));
    t.emu.inject(FaultRule::path(PUBLISH, Fault::Hang));
    let started = Instant::now();
    let hung_tencent = tokio::spawn(attempt(t.sendmsg(&url, 5).timeout(GIVE_UP)));
    let hung_rc = tokio::spawn(attempt(t.publish(&url).timeout(GIVE_UP)));
    // Meanwhile, other requests are served, for both vendors.
    for i in 0..3 {
        let id = format!("u{i}");
        let (status, _, _) = attempt(Vendor::Tencent.register(&t, &url, &id))
            .await
            .answer()
            .clone_parts();
        assert_eq!(status, 200);
        let (status, _, _) = attempt(Vendor::RongCloud.register(&t, &url, &id))
            .await
            .answer()
            .clone_parts();
        assert_eq!(status, 200);
    }
    for hung in [hung_tencent, hung_rc] {
        let got = hung.await.unwrap();
        assert!(got.send_error().is_timeout(), "{got:?}");
    }
    assert!(started.elapsed() >= GIVE_UP);
    assert!(t.emu.state().c2c_messages().is_empty());
    assert!(t.emu.rongcloud_state().private_messages().is_empty());
    // The hung attempts are logged.
    let hung = |f: &Option<String>| f.as_deref() == Some("Hang");
    assert_eq!(
        t.emu
            .state()
            .requests()
            .iter()
            .filter(|r| hung(&r.fault))
            .count(),
        1
    );
    assert_eq!(
        t.emu
            .rongcloud_state()
            .requests()
            .iter()
            .filter(|r| hung(&r.fault))
            .count(),
        1
    );
}

/// Waits (yielding, without sleeping) until `listener` has seen `n` requests.
async fn until_served(listener: &Listener, n: u64) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while listener.requests_served() < n {
        assert!(Instant::now() < deadline, "the request never arrived");
        tokio::task::yield_now().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hang_does_not_block_taking_down_or_shutdown() {
    let t = T::start().await;
    let second = t.emu.add_listener().await.unwrap();
    second.inject(FaultRule::any(Fault::Hang));
    t.emu.inject(FaultRule::any(Fault::AfterProcessing(Box::new(
        Fault::Hang,
    ))));

    // Taking the listener down cuts the hanging request off: the client gets no answer.
    let hung = tokio::spawn(attempt(Vendor::RongCloud.register(&t, &second.url(), "a")));
    until_served(&second, 1).await;
    tokio::time::timeout(Duration::from_secs(10), second.take_down())
        .await
        .expect("take_down waited for the hanging request");
    let got = hung.await.unwrap();
    assert!(!got.send_error().is_timeout(), "{got:?}");
    assert!(t.emu.rongcloud_state().user("a").is_none());

    // Shutting down the emulator ends a hang after processing too.
    let main = t.emu.main_listener();
    let hung = tokio::spawn(attempt(Vendor::Tencent.register(&t, &main.url(), "b")));
    until_served(&main, 1).await;
    let state = t.emu.state();
    let T { emu, .. } = t;
    tokio::time::timeout(Duration::from_secs(10), emu.shutdown())
        .await
        .expect("shutdown waited for the hanging request");
    let got = hung.await.unwrap();
    assert!(!got.send_error().is_timeout(), "{got:?}");
    assert!(state.user("b").is_some());
}

#[tokio::test]
async fn drop_connection_is_a_client_error_and_truncated_body_a_body_error() {
    let t = T::start().await;
    let url = t.emu.url();
    for vendor in [Vendor::Tencent, Vendor::RongCloud] {
        t.emu
            .inject(FaultRule::path(vendor.path(), Fault::DropConnection).times(1));
        let e = match vendor.register(&t, &url, "a").send().await {
            Ok(response) => panic!("got a response: {response:?}"),
            Err(e) => e,
        };
        assert!(e.is_request() || e.is_connect(), "{e:?}");
        assert!(e.status().is_none());
        assert!(
            chain(&e).contains("connection closed before message completed"),
            "{}",
            chain(&e)
        );

        t.emu
            .inject(FaultRule::path(vendor.path(), Fault::TruncatedBody).times(1));
        let response = vendor.register(&t, &url, "a").send().await.unwrap();
        assert_eq!(response.status().as_u16(), 200);
        assert!(
            response
                .headers()
                .get("content-type")
                .unwrap()
                .to_str()
                .unwrap()
                .starts_with("application/json")
        );
        let e = response.bytes().await.unwrap_err();
        assert!(e.is_body() || e.is_decode() || e.is_request(), "{e:?}");
        assert!(
            chain(&e).contains("end of file before message length reached"),
            "{}",
            chain(&e)
        );
        assert!(!vendor.registered(&t, "a"));
        // One logged attempt each: the client did not retry on its own.
        let faults: Vec<Option<String>> = vendor.log(&t).into_iter().map(|(_, f, _)| f).collect();
        assert_eq!(
            faults,
            vec![
                Some("DropConnection".to_owned()),
                Some("TruncatedBody".to_owned())
            ]
        );
    }
    let rc = t.emu.rongcloud_state().requests();
    assert_eq!((rc[0].http_status, rc[0].code), (0, -1));
    assert_eq!((rc[1].http_status, rc[1].code), (200, -1));
    let tc = t.emu.state().requests();
    assert_eq!((tc[0].error_code, tc[1].error_code), (-1, -1));
}

/// An error and its sources, joined.
fn chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(inner) = source {
        out.push_str(": ");
        out.push_str(&inner.to_string());
        source = inner.source();
    }
    out
}

#[tokio::test]
async fn on_the_wire_drop_sends_nothing_and_truncated_body_sends_a_part() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let t = T::start().await;
    let raw = |path: &str| {
        format!("POST {path} HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2\r\n\r\n{{}}")
    };
    for path in [SENDMSG, PUBLISH] {
        for fault in [
            Fault::DropConnection,
            Fault::TruncatedBody,
            Fault::AfterProcessing(Box::new(Fault::DropConnection)),
        ] {
            t.emu.inject(FaultRule::any(fault.clone()).times(1));
            let mut tcp = tokio::net::TcpStream::connect(t.emu.addr()).await.unwrap();
            tcp.write_all(raw(path).as_bytes()).await.unwrap();
            let mut received = Vec::new();
            let _ = tcp.read_to_end(&mut received).await;
            let received = String::from_utf8_lossy(&received);
            if fault == Fault::TruncatedBody {
                let (head, body) = received.split_once("\r\n\r\n").unwrap();
                assert!(head.starts_with("HTTP/1.1 200 OK\r\n"), "{received}");
                let length: usize = head
                    .lines()
                    .find_map(|l| l.strip_prefix("content-length: "))
                    .unwrap()
                    .parse()
                    .unwrap();
                assert!(!body.is_empty() && body.len() < length, "{received}");
                assert!(body.starts_with('{'), "{received}");
            } else {
                assert_eq!(received, "", "{fault:?}");
            }
        }
    }
}

#[tokio::test]
async fn rongcloud_vendor_codes_get_the_documented_http_status() {
    let t = T::start().await;
    let url = t.emu.url();
    for (code, status) in [
        (1000, 500),
        (1008, 429),
        (1050, 504),
        (1004, 401),
        (1002, 400),
        (20_005, 200),
    ] {
        t.emu
            .inject(FaultRule::path(PUBLISH, Fault::VendorCode { code }).times(1));
        let request = t.publish(&url).header("X-Request-ID", "req-1");
        let response = request.send().await.unwrap();
        assert_eq!(response.status().as_u16(), status);
        assert_eq!(response.headers()["x-request-id"], "req-1");
        let text = response.text().await.unwrap();
        assert_eq!(
            text,
            format!(r#"{{"code":{code},"errorMessage":"emulated fault"}}"#)
        );
        let last = t.emu.rongcloud_state().requests().pop().unwrap();
        assert_eq!((last.http_status, last.code), (status, code));
        assert_eq!(last.response_request_id, "req-1");
    }
    // Tencent: HTTP 200 and the envelope.
    t.emu
        .inject(FaultRule::path(SENDMSG, Fault::VendorCode { code: 90_001 }).times(1));
    let response = t.sendmsg(&url, 1).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(
        response.text().await.unwrap(),
        r#"{"ActionStatus":"FAIL","ErrorCode":90001,"ErrorInfo":"emulated fault"}"#
    );
    assert_eq!(t.emu.state().requests().pop().unwrap().error_code, 90_001);
    assert!(t.emu.rongcloud_state().private_messages().is_empty());
}

#[tokio::test]
async fn rules_come_after_the_listeners_own_fault() {
    let t = T::start().await;
    let main = t.emu.main_listener();
    t.emu
        .inject(FaultRule::any(Fault::VendorCode { code: 1008 }));
    // A listener fault that answers: the rules are not consulted (nor used up).
    main.set_fault(Fault::Status(503));
    let got = attempt(Vendor::RongCloud.register(&t, &t.emu.url(), "a")).await;
    assert_eq!(got.answer().1["code"], 1000);
    assert_eq!(t.emu.faults_fired(), 0);
    // Not logged, as before.
    assert!(t.emu.rongcloud_state().requests().is_empty());
    // A delay, then the rules.
    main.set_fault(Fault::Delay(Duration::from_millis(10)));
    let got = attempt(Vendor::RongCloud.register(&t, &t.emu.url(), "a")).await;
    assert_eq!(got.answer().1["code"], 1008);
    assert_eq!(t.emu.faults_fired(), 1);
    let log = t.emu.rongcloud_state().requests();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].fault.as_deref(), Some("VendorCode { code: 1008 }"));
    t.emu.clear_faults();
    let got = attempt(Vendor::RongCloud.register(&t, &t.emu.url(), "slow")).await;
    assert_eq!(got.answer().0, 200);
    let log = t.emu.rongcloud_state().requests();
    assert_eq!(log.len(), 2);
    assert_eq!(log[1].fault.as_deref(), Some("Delay(10ms)"));
    // The new variants work as a listener fault too (not logged when not processed).
    main.set_fault(Fault::DropConnection);
    let got = attempt(Vendor::Tencent.register(&t, &t.emu.url(), "a")).await;
    got.send_error();
    main.set_fault(Fault::AfterProcessing(Box::new(Fault::Status(502))));
    let got = attempt(Vendor::Tencent.register(&t, &t.emu.url(), "b")).await;
    assert_eq!(got.answer().0, 502);
    assert!(t.emu.state().user("b").is_some());
    let log = t.emu.state().requests();
    assert_eq!(log.len(), 1);
    assert_eq!(
        log[0].fault.as_deref(),
        Some("AfterProcessing(Status(502))")
    );
    main.clear_fault();
    t.emu.clear_faults();
    assert_eq!(
        attempt(Vendor::RongCloud.register(&t, &t.emu.url(), "c"))
            .await
            .answer()
            .0,
        200
    );
    assert_eq!(t.emu.faults_fired(), 1);
}

#[tokio::test]
async fn arrival_times_are_recorded_in_order() {
    let t = T::start().await;
    t.seed();
    let url = t.emu.url();
    let start = now_ms();
    t.emu
        .inject(FaultRule::any(Fault::VendorCode { code: 1000 }).times(2));
    for i in 0..4 {
        let _ = attempt(t.sendmsg(&url, i)).await;
        let _ = attempt(t.publish(&url)).await;
    }
    let end = now_ms();
    let tencent: Vec<u64> = t
        .emu
        .state()
        .requests()
        .iter()
        .map(|r| r.received_at_ms)
        .collect();
    let rc: Vec<u64> = t
        .emu
        .rongcloud_state()
        .requests()
        .iter()
        .map(|r| r.received_at_ms)
        .collect();
    for times in [&tencent, &rc] {
        assert_eq!(times.len(), 4);
        assert!(times.windows(2).all(|w| w[0] <= w[1]), "{times:?}");
        assert!(
            times.iter().all(|&at| start <= at && at <= end),
            "{times:?}"
        );
    }
    assert_eq!(
        t.emu.state().requests()[0].fault.as_deref(),
        Some("VendorCode { code: 1000 }")
    );
    assert_eq!(
        t.emu.rongcloud_state().requests()[0].fault.as_deref(),
        Some("VendorCode { code: 1000 }")
    );
    assert_eq!(t.emu.state().requests()[1].fault, None);
}

#[test]
fn fault_rules_are_debug_and_clone() {
    let rule = FaultRule::path(SENDMSG, Fault::Hang).times(3);
    let text = format!("{:?}", rule.clone());
    assert!(
        text.contains("sendmsg") && text.contains("Hang") && text.contains('3'),
        "{text}"
    );
    assert!(format!("{:?}", FaultRule::any(Fault::TruncatedBody)).contains("TruncatedBody"));
}
