//! Signature headers, timestamps, nonces, request ids, paths and methods of the RongCloud half.

mod rongcloud_support;

use std::time::Duration;

use imbridge_emulator::{EmulatorConfig, RongCloudApp};
use reqwest::Method;
use rongcloud_support::{FORM, Rc, form, nonce, now_ms, now_secs, sign, timeless};
use serde_json::Value;

const TOKEN: &str = "/user/getToken.json";

fn body() -> String {
    form(&[("userId", "u1"), ("name", "User One")])
}

async fn with_headers(rc: &Rc, headers: Vec<(String, String)>) -> rongcloud_support::Answer {
    let mut headers = headers;
    headers.push(("Content-Type".into(), FORM.into()));
    rc.raw(&rc.emu.url(), Method::POST, TOKEN, &headers, body())
        .await
}

fn vectors() -> Vec<Value> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/vectors/rongcloud_signature.json"
    );
    let text = std::fs::read_to_string(path).unwrap();
    let file: Value = serde_json::from_str(&text).unwrap();
    file["cases"].as_array().unwrap().clone()
}

#[test]
fn our_signing_helper_matches_every_vector() {
    let cases = vectors();
    assert!(cases.len() >= 7);
    for case in cases {
        let s = |k: &str| case[k].as_str().unwrap().to_owned();
        assert_eq!(
            sign(&s("app_secret"), &s("nonce"), &s("timestamp")),
            s("signature"),
            "{case}"
        );
        // The emulator's public helper agrees.
        assert_eq!(
            imbridge_emulator::rongcloud::signature(&s("app_secret"), &s("nonce"), &s("timestamp")),
            s("signature")
        );
    }
}

#[tokio::test]
async fn the_emulator_accepts_every_vector_as_sent() {
    // A window wide enough for the vectors' old timestamps: this checks the signature alone.
    for case in vectors() {
        let s = |k: &str| case[k].as_str().unwrap().to_owned();
        let rc = Rc::start_with(timeless(RongCloudApp::new("vectorkey", s("app_secret")))).await;
        let headers = vec![
            ("App-Key".into(), "vectorkey".into()),
            ("Nonce".into(), s("nonce")),
            ("Timestamp".into(), s("timestamp")),
            ("Signature".into(), s("signature")),
        ];
        with_headers(&rc, headers).await.ok();
        // And with the vector's secret and nonce, a fresh timestamp of the same unit is
        // accepted by an emulator with the default window.
        let rc = Rc::start_with(EmulatorConfig {
            rongcloud: RongCloudApp::new("vectorkey", s("app_secret")),
            ..EmulatorConfig::default()
        })
        .await;
        let ts = if s("timestamp").len() >= 12 {
            now_ms().to_string()
        } else {
            now_secs().to_string()
        };
        let headers = vec![
            ("App-Key".into(), "vectorkey".into()),
            ("Nonce".into(), s("nonce")),
            ("Timestamp".into(), ts.clone()),
            ("Signature".into(), sign(&s("app_secret"), &s("nonce"), &ts)),
        ];
        with_headers(&rc, headers).await.ok();
    }
}

#[tokio::test]
async fn seconds_and_milliseconds_are_both_accepted() {
    let rc = Rc::start().await;
    with_headers(&rc, rc.auth_at(&now_secs().to_string()))
        .await
        .ok();
    with_headers(&rc, rc.auth_at(&now_ms().to_string()))
        .await
        .ok();
    // A little skew either way is fine.
    with_headers(&rc, rc.auth_at(&(now_secs() - 120).to_string()))
        .await
        .ok();
    with_headers(&rc, rc.auth_at(&(now_ms() + 120_000).to_string()))
        .await
        .ok();
}

#[tokio::test]
async fn stale_timestamps_are_refused() {
    let rc = Rc::start().await;
    for ts in [
        now_secs() - 400,
        now_secs() + 400,
        now_ms() - 400_000,
        now_ms() + 400_000,
        0,
        1,
    ] {
        let a = with_headers(&rc, rc.auth_at(&ts.to_string())).await;
        a.fails(401, 1004);
    }
    assert!(rc.emu.rongcloud_state().users().is_empty());
}

#[tokio::test]
async fn the_window_is_configurable() {
    let rc = Rc::start_with(EmulatorConfig {
        rongcloud_timestamp_window: Duration::from_secs(10),
        ..EmulatorConfig::default()
    })
    .await;
    with_headers(&rc, rc.auth_at(&(now_secs() - 60).to_string()))
        .await
        .fails(401, 1004);
    with_headers(&rc, rc.auth_at(&now_secs().to_string()))
        .await
        .ok();
}

#[tokio::test]
async fn malformed_timestamps_are_refused() {
    let rc = Rc::start().await;
    for ts in [
        "",
        "abc",
        "-1",
        "1.5",
        " 1408710653",
        "99999999999999999999999",
    ] {
        let mut h = rc.auth_at(ts);
        if ts.is_empty() {
            h.retain(|(k, _)| k != "Timestamp");
        }
        with_headers(&rc, h).await.fails(401, 1004);
    }
}

#[tokio::test]
async fn rc_prefixed_headers_are_accepted() {
    let rc = Rc::start().await;
    let h: Vec<(String, String)> = rc
        .auth()
        .into_iter()
        .map(|(k, v)| (format!("RC-{k}"), v))
        .collect();
    with_headers(&rc, h).await.ok();
    // Header names are case-insensitive.
    let h: Vec<(String, String)> = rc
        .auth()
        .into_iter()
        .map(|(k, v)| (format!("rc-{}", k.to_lowercase()), v))
        .collect();
    with_headers(&rc, h).await.ok();
    let requests = rc.emu.rongcloud_state().requests();
    assert!(requests.iter().all(|r| r.rc_prefixed));
    assert_eq!(
        requests[0].app_key.as_deref(),
        Some(rc.app().app_key.as_str())
    );
}

#[tokio::test]
async fn bad_signatures_are_refused_with_401_and_1004() {
    let rc = Rc::start().await;
    let secret = rc.app().app_secret.clone();
    let ts = now_secs().to_string();
    let n = nonce();
    let cases = [
        sign("another secret", &n, &ts),
        sign(&secret, "other", &ts),
        "0".repeat(40),
        "not hex".to_owned(),
        String::new(),
    ];
    for sig in cases {
        let mut h = vec![
            ("App-Key".into(), rc.app().app_key.clone()),
            ("Nonce".into(), n.clone()),
            ("Timestamp".into(), ts.clone()),
        ];
        if !sig.is_empty() {
            h.push(("Signature".into(), sig.clone()));
        }
        let a = with_headers(&rc, h).await;
        a.fails(401, 1004);
        let message = a.json["errorMessage"].as_str().unwrap();
        assert!(!message.contains(&secret), "{message}");
    }
    // Upper-case hex is the same signature.
    let good = sign(&secret, &n, &ts).to_uppercase();
    let h = vec![
        ("App-Key".into(), rc.app().app_key.clone()),
        ("Nonce".into(), n.clone()),
        ("Timestamp".into(), ts.clone()),
        ("Signature".into(), good),
    ];
    with_headers(&rc, h).await.ok();
    assert_eq!(rc.emu.rongcloud_state().users().len(), 1);
}

#[tokio::test]
async fn unknown_or_missing_app_keys_are_refused() {
    let rc = Rc::start().await;
    let mut h = rc.auth();
    h[0].1 = "nosuchappkey00".into();
    with_headers(&rc, h).await.fails(401, 1004);
    let mut h = rc.auth();
    h.remove(0);
    with_headers(&rc, h).await.fails(401, 1004);
    let mut h = rc.auth();
    h.retain(|(k, _)| k != "Nonce");
    with_headers(&rc, h).await.fails(401, 1004);
}

#[tokio::test]
async fn nonces_longer_than_18_characters_are_refused() {
    let rc = Rc::start().await;
    let ts = now_secs().to_string();
    let secret = rc.app().app_secret.clone();
    for (n, ok) in [
        ("x".repeat(18), true),
        ("x".repeat(19), false),
        ("随".repeat(18), true),
        ("随".repeat(19), false),
    ] {
        let h = vec![
            ("App-Key".into(), rc.app().app_key.clone()),
            ("Nonce".into(), n.clone()),
            ("Timestamp".into(), ts.clone()),
            ("Signature".into(), sign(&secret, &n, &ts)),
        ];
        let a = with_headers(&rc, h).await;
        if ok {
            a.ok();
        } else {
            a.fails(401, 1004);
        }
    }
}

#[tokio::test]
async fn request_ids_are_echoed_or_generated_and_recorded() {
    let rc = Rc::start().await;
    let state = rc.emu.rongcloud_state();
    let mut h = rc.auth();
    h.push((
        "X-Request-ID".into(),
        "4f1c0e2a9b8d4c7e8f6a5b4c3d2e1f00".into(),
    ));
    h.push(("User-Agent".into(), "rc-test/1.0".into()));
    let a = with_headers(&rc, h).await;
    a.ok();
    assert_eq!(
        a.request_id.as_deref(),
        Some("4f1c0e2a9b8d4c7e8f6a5b4c3d2e1f00")
    );
    assert!(a.content_type.unwrap().starts_with("application/json"));

    let a = with_headers(&rc, rc.auth()).await;
    let generated = a.request_id.clone().unwrap();
    assert_eq!(generated.len(), 32);

    // Failures carry one too.
    let a = rc
        .raw(&rc.emu.url(), Method::POST, TOKEN, &[], body())
        .await;
    a.fails(401, 1004);
    assert!(a.request_id.is_some());

    let requests = state.requests();
    assert_eq!(requests.len(), 3);
    assert_eq!(
        requests[0].request_id.as_deref(),
        Some("4f1c0e2a9b8d4c7e8f6a5b4c3d2e1f00")
    );
    assert_eq!(requests[0].user_agent.as_deref(), Some("rc-test/1.0"));
    assert_eq!(
        requests[0].content_type.as_deref(),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(requests[0].path, TOKEN);
    assert_eq!(requests[0].method, "POST");
    assert_eq!((requests[0].http_status, requests[0].code), (200, 200));
    assert_eq!(requests[0].form_param("name").as_deref(), Some("User One"));
    assert_eq!(requests[1].request_id, None);
    assert_eq!(requests[1].response_request_id, generated);
    assert_eq!((requests[2].http_status, requests[2].code), (401, 1004));
    state.clear_requests();
    assert!(state.requests().is_empty());
    assert_eq!(state.users().len(), 1);
}

#[tokio::test]
async fn unknown_paths_and_methods() {
    let rc = Rc::start().await;
    let mut h = rc.auth();
    h.push(("Content-Type".into(), FORM.into()));
    let a = rc
        .raw(&rc.emu.url(), Method::POST, "/user/nope.json", &h, body())
        .await;
    a.fails(404, 404);
    // Even without signature headers.
    let a = rc
        .raw(&rc.emu.url(), Method::POST, "/", &[], String::new())
        .await;
    a.fails(404, 404);
    let a = rc
        .raw(&rc.emu.url(), Method::GET, TOKEN, &h, String::new())
        .await;
    a.fails(400, 1002);
    // Tencent paths still belong to the Tencent half.
    let a = rc
        .raw(&rc.emu.url(), Method::POST, "/v4/openim/sendmsg", &[], "{}")
        .await;
    assert_eq!(a.status, 200);
    assert_eq!(a.json["ActionStatus"], "FAIL");
}

#[tokio::test]
async fn errors_never_show_the_secret() {
    let rc = Rc::start().await;
    let secret = rc.app().app_secret.clone();
    for ts in [now_secs() - 1000, now_secs()] {
        let mut h = rc.auth_at(&ts.to_string());
        h[3].1 = sign("x", "y", "z");
        let a = with_headers(&rc, h).await;
        assert!(!a.json.to_string().contains(&secret));
    }
    assert!(!format!("{:?}", rc.emu).contains(&secret));
    assert!(!format!("{:?}", rc.app()).contains(&secret));
}
