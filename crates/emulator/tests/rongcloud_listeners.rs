//! Several listeners over one state, taking them down and up, faults, and the startup line.

mod rongcloud_support;

use std::io::ErrorKind;
use std::time::{Duration, Instant};

use imbridge_emulator::{Emulator, Fault, Listener};
use reqwest::Method;
use rongcloud_support::{Answer, FORM, Rc, form, now_secs};
use serde_json::{Value, json};

fn token_body(id: &str) -> String {
    form(&[("userId", id), ("name", id)])
}

/// A signed getToken on `base` with `http`.
async fn get_token(
    rc: &Rc,
    http: &reqwest::Client,
    base: &str,
    id: &str,
) -> reqwest::Result<Answer> {
    let mut h = rc.auth();
    h.push(("Content-Type".into(), FORM.into()));
    rc.try_raw(
        http,
        base,
        Method::POST,
        "/user/getToken.json",
        &h,
        token_body(id),
    )
    .await
}

/// A Tencent admin call on `base`.
async fn tencent(emu: &Emulator, base: &str, service_command: &str, body: Value) -> (u16, Value) {
    let app = emu.tencent();
    let sig = app.usersig_key().sign(&app.admin, now_secs(), 86_400, None);
    let url = format!(
        "{base}/v4/{service_command}?sdkappid={}&identifier={}&usersig={}&random=42&contenttype=json",
        app.sdkappid,
        app.admin,
        rongcloud_support::enc(&sig)
    );
    let resp = reqwest::Client::builder()
        .no_proxy()
        .build()
        .unwrap()
        .post(url)
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    let status = resp.status().as_u16();
    let text = resp.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

fn client() -> reqwest::Client {
    reqwest::Client::builder().no_proxy().build().unwrap()
}

async fn refused(listener: &Listener) -> bool {
    matches!(
        tokio::net::TcpStream::connect(listener.addr()).await,
        Err(e) if e.kind() == ErrorKind::ConnectionRefused
    )
}

#[tokio::test]
async fn startup_line_has_both_vendors() {
    let rc = Rc::start().await;
    let line = rc.emu.startup_line();
    assert!(!line.contains('\n'));
    let t = rc.emu.tencent();
    let r = rc.emu.rongcloud();
    let expected = format!(
        r#"{{"url":"{}","tencent":{{"sdkappid":{},"secret_key":"{}","admin":"{}"}},"rongcloud":{{"app_key":"{}","app_secret":"{}"}}}}"#,
        rc.emu.url(),
        t.sdkappid,
        t.secret_key,
        t.admin,
        r.app_key,
        r.app_secret
    );
    assert_eq!(line, expected);
    let v: Value = serde_json::from_str(&line).unwrap();
    assert_eq!(v["rongcloud"]["app_key"], r.app_key.as_str());
    assert_eq!(rc.emu.main_listener().url(), rc.emu.url());
    assert_eq!(rc.emu.main_listener().addr(), rc.emu.addr());
    assert!(rc.emu.url().starts_with("http://127.0.0.1:"));
}

#[tokio::test]
async fn listeners_share_the_state_of_both_vendors() {
    let rc = Rc::start().await;
    let second = rc.emu.add_listener().await.unwrap();
    assert_ne!(second.addr(), rc.emu.addr());
    assert!(second.addr().ip().is_loopback());
    assert_eq!(rc.emu.listeners().len(), 2);

    get_token(&rc, &rc.http, &rc.emu.url(), "u1")
        .await
        .unwrap()
        .ok();
    let mut h = rc.auth();
    h.push(("Content-Type".into(), FORM.into()));
    let a = rc
        .raw(
            &second.url(),
            Method::POST,
            "/user/info.json",
            &h,
            form(&[("userId", "u1")]),
        )
        .await;
    assert_eq!(a.ok()["userName"], "u1");

    let (status, r) = tencent(
        &rc.emu,
        &second.url(),
        "im_open_login_svc/account_import",
        json!({"UserID": "t1"}),
    )
    .await;
    assert_eq!((status, r["ErrorCode"].as_i64()), (200, Some(0)), "{r}");
    assert!(rc.emu.state().user("t1").is_some());
    let (_, r) = tencent(
        &rc.emu,
        &rc.emu.url(),
        "im_open_login_svc/account_check",
        json!({"CheckItem": [{"UserID": "t1"}]}),
    )
    .await;
    assert_eq!(r["ResultItem"][0]["AccountStatus"], "Imported");

    assert_eq!(rc.emu.main_listener().requests_served(), 2);
    assert_eq!(second.requests_served(), 2);
}

#[tokio::test]
async fn take_down_refuses_connections_and_bring_up_serves_again_on_the_same_port() {
    let rc = Rc::start().await;
    let second = rc.emu.add_listener().await.unwrap();
    let addr = second.addr();
    let pooled = client();
    get_token(&rc, &pooled, &second.url(), "before")
        .await
        .unwrap()
        .ok();
    assert!(second.is_up());

    second.take_down().await;
    assert!(!second.is_up());
    assert!(refused(&second).await);
    let err = get_token(&rc, &client(), &second.url(), "x")
        .await
        .unwrap_err();
    assert!(err.is_connect(), "{err:?}");
    // The client that kept a connection alive fails too.
    assert!(get_token(&rc, &pooled, &second.url(), "x").await.is_err());
    // Taking it down twice is harmless; the main listener still serves.
    second.take_down().await;
    get_token(&rc, &pooled, &rc.emu.url(), "main")
        .await
        .unwrap()
        .ok();

    second.bring_up().await.unwrap();
    second.bring_up().await.unwrap();
    assert_eq!(second.addr(), addr);
    assert!(second.is_up());
    get_token(&rc, &pooled, &second.url(), "after")
        .await
        .unwrap()
        .ok();
    let ids: Vec<String> = rc
        .emu
        .rongcloud_state()
        .users()
        .into_iter()
        .map(|u| u.id)
        .collect();
    assert_eq!(ids, vec!["after", "before", "main"]);
    assert_eq!(second.requests_served(), 2);
}

#[tokio::test]
async fn the_main_listener_can_go_down_too() {
    let rc = Rc::start().await;
    let second = rc.emu.add_listener().await.unwrap();
    let main = rc.emu.main_listener();
    main.take_down().await;
    assert!(refused(&main).await);
    get_token(&rc, &client(), &second.url(), "u")
        .await
        .unwrap()
        .ok();
    main.bring_up().await.unwrap();
    get_token(&rc, &client(), &rc.emu.url(), "v")
        .await
        .unwrap()
        .ok();
}

#[tokio::test]
async fn status_faults_answer_vendor_errors_without_touching_state() {
    let rc = Rc::start().await;
    let main = rc.emu.main_listener();
    let second = rc.emu.add_listener().await.unwrap();
    let state = rc.emu.rongcloud_state();
    for (status, code) in [
        (503, 1000),
        (500, 1000),
        (502, 1000),
        (429, 1008),
        (504, 1050),
    ] {
        main.set_fault(Fault::Status(status));
        let a = get_token(&rc, &rc.http, &rc.emu.url(), "u1").await.unwrap();
        a.fails(status, code);
        assert!(a.content_type.unwrap().starts_with("application/json"));
        assert!(a.request_id.is_some());
        let (s, r) = tencent(
            &rc.emu,
            &rc.emu.url(),
            "im_open_login_svc/account_import",
            json!({"UserID": "t1"}),
        )
        .await;
        assert_eq!(s, status);
        assert_eq!(r["ActionStatus"], "FAIL");
        assert_eq!(r["ErrorCode"], if status == 429 { 60007 } else { 60008 });
    }
    assert!(state.users().is_empty());
    assert!(state.requests().is_empty());
    assert!(rc.emu.state().users().is_empty());
    assert!(rc.emu.state().requests().is_empty());
    assert_eq!(main.requests_served(), 10);

    // The other listener is not faulted.
    get_token(&rc, &rc.http, &second.url(), "u2")
        .await
        .unwrap()
        .ok();
    main.clear_fault();
    get_token(&rc, &rc.http, &rc.emu.url(), "u1")
        .await
        .unwrap()
        .ok();
    assert_eq!(state.users().len(), 2);
    assert_eq!(state.requests().len(), 2);
}

#[tokio::test]
async fn gateway_pages_are_html_and_do_not_touch_state() {
    let rc = Rc::start().await;
    let second = rc.emu.add_listener().await.unwrap();
    second.set_fault(Fault::GatewayPage(502));
    let a = get_token(&rc, &rc.http, &second.url(), "u1").await.unwrap();
    assert_eq!(a.status, 502);
    assert!(a.content_type.unwrap().starts_with("text/html"));
    let page = a.json.as_str().expect("not JSON");
    assert!(page.contains("502 Bad Gateway"), "{page}");
    second.set_fault(Fault::GatewayPage(503));
    let (status, body) = tencent(
        &rc.emu,
        &second.url(),
        "im_open_login_svc/account_import",
        json!({"UserID": "t1"}),
    )
    .await;
    assert_eq!(status, 503);
    assert!(body.as_str().unwrap().contains("503 Service Unavailable"));
    assert!(rc.emu.rongcloud_state().users().is_empty());
    assert!(rc.emu.rongcloud_state().requests().is_empty());
    assert!(rc.emu.state().users().is_empty());
    assert_eq!(second.requests_served(), 2);
    second.clear_fault();
    get_token(&rc, &rc.http, &second.url(), "u1")
        .await
        .unwrap()
        .ok();
}

#[tokio::test]
async fn delays_delay_then_serve() {
    let rc = Rc::start().await;
    let second = rc.emu.add_listener().await.unwrap();
    let delay = Duration::from_millis(300);
    second.set_fault(Fault::Delay(delay));
    let started = Instant::now();
    get_token(&rc, &rc.http, &second.url(), "slow")
        .await
        .unwrap()
        .ok();
    assert!(started.elapsed() >= delay);
    assert!(rc.emu.rongcloud_state().user("slow").is_some());
    // The main listener is not delayed, and the fault is visible in Debug.
    get_token(&rc, &rc.http, &rc.emu.url(), "fast")
        .await
        .unwrap()
        .ok();
    assert!(format!("{second:?}").contains("Delay"));
}

#[tokio::test]
async fn shutdown_stops_every_listener() {
    let rc = Rc::start().await;
    let second = rc.emu.add_listener().await.unwrap();
    let main = rc.emu.main_listener();
    let Rc { emu, .. } = rc;
    emu.shutdown().await;
    assert!(refused(&main).await);
    assert!(refused(&second).await);
}
