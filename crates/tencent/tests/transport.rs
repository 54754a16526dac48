//! How the client reads answers and failures: FAIL envelopes, gateway pages, backups,
//! configuration errors, and that no secret ever shows in an error or a `Debug`.

mod support;

use imbridge_core::prelude::*;
use support::canned;

use imbridge_core::{ErrorKind, RegisterUser};
use imbridge_tencent::{Region, TencentClient};

use support::SECRET;

fn client_for(urls: &[&str]) -> TencentClient {
    TencentClient::builder(1400000000, SECRET, "administrator")
        .base_urls(urls.iter().copied())
        .build()
        .unwrap()
}

use support::dead_url;

#[track_caller]
fn assert_no_secret(text: &str, sig: Option<&str>) {
    assert!(!text.contains(SECRET), "secret key leaked: {text}");
    assert!(!text.contains("usersig="), "UserSig query leaked: {text}");
    if let Some(sig) = sig {
        assert!(!text.contains(sig), "UserSig leaked: {text}");
    }
}

#[tokio::test]
async fn action_status_fail_is_an_err_with_the_vendor_code_message_and_request_id() {
    let body = r#"{"ActionStatus":"FAIL","ErrorCode":70001,"ErrorInfo":"usersig expired","RequestId":"req-42"}"#;
    let server = canned::serve("200 OK", "application/json", body.into()).await;
    let err = client_for(&[&server.url])
        .register_user(&RegisterUser::new("a"))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Auth);
    assert_eq!(err.vendor_code(), Some(70001));
    assert_eq!(err.vendor_message(), Some("usersig expired"));
    assert_eq!(err.request_id(), Some("req-42"));
    assert_eq!(err.http_status(), Some(200));
    assert!(!err.is_retryable());
    assert!(err.to_string().contains("70001") && err.to_string().contains("usersig expired"));
}

#[tokio::test]
async fn a_nonzero_error_code_fails_even_when_action_status_says_ok() {
    let body = r#"{"ActionStatus":"OK","ErrorCode":10002,"ErrorInfo":"internal"}"#;
    let server = canned::serve("200 OK", "application/json", body.into()).await;
    let err = client_for(&[&server.url])
        .register_user(&RegisterUser::new("a"))
        .await
        .unwrap_err();
    assert_eq!(
        (err.kind(), err.vendor_code(), err.is_retryable()),
        (ErrorKind::Unavailable, Some(10002), true)
    );
    assert!(err.request_id().unwrap().starts_with("random="));
}

#[tokio::test]
async fn rate_limit_codes_are_retryable() {
    let body = r#"{"ActionStatus":"FAIL","ErrorCode":60007,"ErrorInfo":"too frequent"}"#;
    let server = canned::serve("200 OK", "application/json", body.into()).await;
    let err = client_for(&[&server.url])
        .register_user(&RegisterUser::new("a"))
        .await
        .unwrap_err();
    assert_eq!(
        (err.kind(), err.is_retryable()),
        (ErrorKind::RateLimited, true)
    );
}

#[tokio::test]
async fn a_gateway_page_is_unavailable_with_status_and_excerpt() {
    let page =
        "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>".to_owned();
    let server = canned::serve("502 Bad Gateway", "text/html", page).await;
    let err = client_for(&[&server.url])
        .register_user(&RegisterUser::new("a"))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unavailable);
    assert_eq!(err.http_status(), Some(502));
    assert!(err.is_retryable());
    assert!(err.message().contains("502 Bad Gateway</title>"), "{err}");
}

#[tokio::test]
async fn a_proxy_echoing_the_url_does_not_leak_the_sig() {
    // Some proxies quote the request line, sig and all, in their error page.
    let server = echo_server().await;
    let client = client_for(&[&server]);
    let err = client
        .register_user(&RegisterUser::new("a"))
        .await
        .unwrap_err();
    for text in [err.to_string(), format!("{err:?}")] {
        assert!(text.contains("usersig=[REDACTED]&random="), "{text}");
        assert_eq!(
            text.matches("usersig=").count(),
            text.matches("usersig=[REDACTED]").count(),
            "{text}"
        );
        assert!(!text.contains(SECRET), "{text}");
    }
}

#[tokio::test]
async fn a_200_that_is_not_json_is_a_decode_error() {
    let server = canned::serve("200 OK", "text/plain", "hello".into()).await;
    let err = client_for(&[&server.url])
        .register_user(&RegisterUser::new("a"))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode);
    assert!(err.message().contains("hello"));
}

#[tokio::test]
async fn a_dead_primary_falls_through_to_the_backup() {
    let ok = r#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}"#;
    let backup = canned::serve("200 OK", "application/json", ok.into()).await;
    let dead = dead_url();
    let token = client_for(&[&dead, &backup.url])
        .register_user(&RegisterUser::new("a"))
        .await
        .unwrap();
    assert_eq!(token.user_id(), "a");
    let seen = backup.requests.lock().unwrap().clone();
    assert_eq!(seen.len(), 1);
    assert!(seen[0].starts_with("POST /v4/im_open_login_svc/account_import?sdkappid=1400000000&identifier=administrator&usersig="));
    assert!(seen[0].contains("&contenttype=json"));
}

#[tokio::test]
async fn a_base_url_with_a_path_keeps_it_and_the_query_keeps_the_vendor_order() {
    let ok = r#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}"#;
    let server = canned::serve("200 OK", "application/json", ok.into()).await;
    let client = client_for(&[&format!("{}/proxy/im", server.url)]);
    for _ in 0..2 {
        client.register_user(&RegisterUser::new("a")).await.unwrap();
    }
    let seen = server.requests.lock().unwrap().clone();
    assert_eq!(seen.len(), 2);
    let mut randoms = Vec::new();
    for line in &seen {
        let target = line
            .strip_prefix("POST ")
            .and_then(|l| l.strip_suffix(" HTTP/1.1"))
            .unwrap();
        let (path, query) = target.split_once('?').unwrap();
        assert_eq!(path, "/proxy/im/v4/im_open_login_svc/account_import");
        let names: Vec<&str> = query
            .split('&')
            .map(|kv| kv.split('=').next().unwrap())
            .collect();
        assert_eq!(
            names,
            ["sdkappid", "identifier", "usersig", "random", "contenttype"]
        );
        assert!(query.starts_with("sdkappid=1400000000&identifier=administrator&usersig="));
        assert!(query.ends_with("&contenttype=json"));
        let random = query
            .split('&')
            .nth(3)
            .unwrap()
            .strip_prefix("random=")
            .unwrap();
        randoms.push(random.parse::<u32>().unwrap());
    }
    assert_ne!(randoms[0], randoms[1], "a fresh random per request");
}

#[tokio::test]
async fn the_request_timeout_applies_to_our_http_client_and_to_a_callers() {
    use imbridge_core::policy::RetryPolicy;
    use imbridge_emulator::{Fault, FaultRule};
    use std::time::Duration;

    let emu = support::emulator().await;
    emu.inject(FaultRule::path(
        "/v4/im_open_login_svc/account_import",
        Fault::Hang,
    ));
    // The shortest timeout allowed (it must exceed Tencent's 3 s); both cases run at once.
    let call = |callers_client: bool| {
        let mut builder = TencentClient::builder(1400000000, SECRET, "administrator")
            .base_url(emu.url())
            .timeout(Duration::from_millis(3_100))
            .retry_policy(RetryPolicy::never());
        if callers_client {
            // No timeout of its own: the builder's must still apply.
            builder = builder.http_client(reqwest::Client::new());
        }
        let client = builder.build().unwrap();
        async move { client.register_user(&RegisterUser::new("a")).await }
    };
    let both = async { tokio::join!(call(false), call(true)) };
    // A guard, not a wait: without the timeout the hung request would never end.
    let (ours, callers) = tokio::time::timeout(Duration::from_secs(60), both)
        .await
        .expect("the request timeout ends the call");
    assert_eq!(ours.unwrap_err().kind(), ErrorKind::Timeout);
    assert_eq!(callers.unwrap_err().kind(), ErrorKind::Timeout);
}

#[tokio::test]
async fn a_business_error_on_the_primary_is_not_retried_on_the_backup() {
    let fail = r#"{"ActionStatus":"FAIL","ErrorCode":70402,"ErrorInfo":"bad param"}"#;
    let primary = canned::serve("200 OK", "application/json", fail.into()).await;
    let ok = r#"{"ActionStatus":"OK","ErrorCode":0}"#;
    let backup = canned::serve("200 OK", "application/json", ok.into()).await;
    let err = client_for(&[&primary.url, &backup.url])
        .register_user(&RegisterUser::new("a"))
        .await
        .unwrap_err();
    assert_eq!(err.vendor_code(), Some(70402));
    assert!(backup.requests.lock().unwrap().is_empty());
}

#[tokio::test]
async fn transport_errors_never_show_the_url_or_the_sig() {
    let client = client_for(&[&dead_url(), &dead_url()]);
    let err = client
        .register_user(&RegisterUser::new("a"))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Transport);
    assert!(err.is_retryable());
    let mut chain = format!("{err} {err:?}");
    let mut source = std::error::Error::source(&err);
    while let Some(s) = source {
        chain.push_str(&format!(" {s} {s:?}"));
        source = s.source();
    }
    assert_no_secret(&chain, None);
}

#[test]
fn configuration_errors() {
    let b = || TencentClient::builder(1400000000, SECRET, "administrator");
    let msg = |r: imbridge_core::Result<TencentClient>| {
        let e = r.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Config);
        assert_no_secret(&e.to_string(), None);
        e.to_string()
    };
    assert!(msg(b().base_url("http://im.example.com").build()).contains("plain http"));
    assert!(
        b().base_url("http://im.example.com")
            .allow_insecure_http(true)
            .build()
            .is_ok()
    );
    assert!(msg(b().base_url("ftp://x").build()).contains("scheme"));
    assert!(
        msg(b().region(Region::Tokyo).base_url("https://x").build()).contains("set one of them")
    );
    assert!(msg(b().timeout(std::time::Duration::from_secs(3)).build()).contains("3s"));
    assert!(
        msg(b()
            .admin_sig_ttl(std::time::Duration::from_secs(10))
            .build())
        .contains("admin_sig_ttl")
    );
    assert!(msg(TencentClient::builder(0, SECRET, "a").build()).contains("sdkappid"));
    assert!(msg(TencentClient::builder(1, "  ", "a").build()).contains("secret key is empty"));
    assert!(msg(TencentClient::builder(1, SECRET, "").build()).contains("admin"));
    let default = b().build().unwrap();
    let urls: Vec<&str> = default.base_urls().iter().map(|u| u.as_str()).collect();
    assert_eq!(
        urls,
        [
            "https://console.tim.qq.com/",
            "https://adminapi.my-imcloud.com/"
        ]
    );
}

#[test]
fn debug_output_never_shows_the_secret() {
    let builder = TencentClient::builder(1400000000, SECRET, "administrator");
    assert_no_secret(&format!("{builder:?}"), None);
    let client = builder.build().unwrap();
    assert_no_secret(&format!("{client:?}"), None);
    assert_no_secret(&format!("{:?}", client.usersig_key()), None);
    let token = client.user_sig("lilei", None).unwrap();
    let sig = imbridge_core::ExposeSecret::expose_secret(token.token()).to_owned();
    assert_no_secret(&format!("{token:?}"), Some(&sig));
}

/// A server that answers 502 with the request line in the body, like some proxies.
async fn echo_server() -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((mut s, _)) = listener.accept().await {
            let mut buf = vec![0u8; 8192];
            let n = s.read(&mut buf).await.unwrap_or(0);
            let line = String::from_utf8_lossy(&buf[..n])
                .lines()
                .next()
                .unwrap_or_default()
                .to_owned();
            let body = format!("<html>bad gateway for {line}</html>");
            let resp = format!(
                "HTTP/1.1 502 Bad Gateway\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = s.write_all(resp.as_bytes()).await;
        }
    });
    url
}
