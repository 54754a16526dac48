//! Callback verification: signatures in the query or `RC-*` headers, seconds or milliseconds,
//! every way a callback is refused, and the typed events.

use imbridge_core::webhook::{WebhookError, WebhookRequest};
use imbridge_rongcloud::callback::{CallbackVerifier, Event, OnlineStatus};
use imbridge_rongcloud::sign::signature;

const NOW: u64 = 1_700_000_000;

fn verifier() -> CallbackVerifier {
    CallbackVerifier::new("appkey", "app-secret").now_fn(|| NOW)
}

fn signed_query(secret: &str, nonce: &str, ts: &str, ts_name: &str) -> String {
    format!(
        "appKey=appkey&nonce={nonce}&{ts_name}={ts}&signature={}",
        signature(secret, nonce, ts)
    )
}

fn routed(query: String) -> WebhookRequest {
    let body = "fromUserId=a&toUserId=b&objectName=RC%3ATxtMsg&content=%7B%22content%22%3A%22hi%20%26%20bye%22%7D&channelType=PERSON&msgTimestamp=1700000000123&msgUID=ABCD-1234&source=Server";
    WebhookRequest::new("POST", query, body.as_bytes().to_vec())
        .header("Content-Type", "application/x-www-form-urlencoded")
}

#[test]
fn message_routing_signed_in_the_query_with_either_timestamp_name_and_unit() {
    let v = verifier();
    for (ts, name) in [
        ("1700000000000", "signTimestamp"),
        ("1700000000", "signTimestamp"),
        ("1700000000000", "timestamp"),
    ] {
        let callback = v
            .verify(&routed(signed_query("app-secret", "n1", ts, name)))
            .unwrap_or_else(|e| panic!("{name}={ts}: {e}"));
        match callback.event {
            Event::MessageRouted(m) => {
                assert_eq!(
                    (m.from.as_str(), m.to.as_str(), m.object_name.as_str()),
                    ("a", "b", "RC:TxtMsg")
                );
                assert_eq!(m.content, r#"{"content":"hi & bye"}"#);
                assert_eq!(
                    (m.channel_type.as_str(), m.msg_uid.as_str(), m.msg_timestamp),
                    ("PERSON", "ABCD-1234", Some(1700000000123))
                );
            }
            e => panic!("{e:?}"),
        }
    }
}

#[test]
fn signature_in_rc_headers() {
    let req = WebhookRequest::new("POST", "", b"[]".to_vec())
        .header("RC-App-Key", "appkey")
        .header("RC-Nonce", "n2")
        .header("RC-Timestamp", "1700000000000")
        .header(
            "RC-Signature",
            signature("app-secret", "n2", "1700000000000").to_uppercase(),
        )
        .header("Content-Type", "application/json");
    assert_eq!(
        verifier().verify(&req).unwrap().event,
        Event::OnlineStatus(vec![])
    );
}

#[test]
fn online_status_sync() {
    let body = br#"[{"userid":"a","status":"0","os":"iOS","time":1700000000000,"clientIp":"1.2.3.4"},{"userid":"b","status":"1"},{"userid":"c","status":"2"},{"userid":"d","status":"9"}]"#;
    let req = WebhookRequest::new(
        "POST",
        signed_query("app-secret", "n", "1700000000000", "signTimestamp"),
        body.to_vec(),
    )
    .header("Content-Type", "application/json");
    let Event::OnlineStatus(changes) = verifier().verify(&req).unwrap().event else {
        panic!()
    };
    let statuses: Vec<_> = changes
        .iter()
        .map(|c| (c.user_id.as_str(), c.status))
        .collect();
    assert_eq!(
        statuses,
        [
            ("a", OnlineStatus::Online),
            ("b", OnlineStatus::Offline),
            ("c", OnlineStatus::Logout),
            ("d", OnlineStatus::Other)
        ]
    );
    assert_eq!(
        (changes[0].os.as_deref(), changes[0].time_ms),
        (Some("iOS"), Some(1700000000000))
    );
}

#[test]
fn refusals_each_have_their_own_error() {
    let v = verifier();
    assert_eq!(
        v.verify(&routed(signed_query(
            "other-secret",
            "n",
            "1700000000000",
            "signTimestamp"
        )))
        .unwrap_err(),
        WebhookError::BadSignature
    );
    // Tampered nonce after signing.
    let q = signed_query("app-secret", "n", "1700000000000", "signTimestamp")
        .replace("nonce=n", "nonce=m");
    assert_eq!(
        v.verify(&routed(q)).unwrap_err(),
        WebhookError::BadSignature
    );
    assert!(matches!(
        v.verify(&routed(signed_query(
            "app-secret",
            "n",
            "1699999000000",
            "signTimestamp"
        ))),
        Err(WebhookError::Stale { .. })
    ));
    let wrong_app = signed_query("app-secret", "n", "1700000000000", "signTimestamp")
        .replace("appKey=appkey", "appKey=another");
    assert!(matches!(
        v.verify(&routed(wrong_app)),
        Err(WebhookError::WrongApp { .. })
    ));
    assert_eq!(
        v.verify(&routed("appKey=appkey&nonce=n&signTimestamp=1".into()))
            .unwrap_err(),
        WebhookError::MissingSignature
    );
    let untimed = format!("nonce=n&signature={}", signature("app-secret", "n", ""));
    assert_eq!(
        v.verify(&routed(untimed)).unwrap_err(),
        WebhookError::BadTimestamp
    );
    let big = WebhookRequest::new(
        "POST",
        signed_query("app-secret", "n", "1700000000000", "signTimestamp"),
        vec![b'x'; 100],
    );
    assert!(matches!(
        v.clone().max_body(10).verify(&big),
        Err(WebhookError::TooLarge {
            size: 100,
            limit: 10
        })
    ));
    let get = WebhookRequest::new(
        "GET",
        signed_query("app-secret", "n", "1700000000000", "signTimestamp"),
        vec![],
    );
    assert!(matches!(
        v.verify(&get),
        Err(WebhookError::MethodNotAllowed(_))
    ));
    let bad_json = WebhookRequest::new(
        "POST",
        signed_query("app-secret", "n", "1700000000000", "signTimestamp"),
        b"[oops".to_vec(),
    )
    .header("Content-Type", "application/json");
    assert!(matches!(v.verify(&bad_json), Err(WebhookError::BadBody(_))));
    assert!(!format!("{v:?}").contains("app-secret"));
}

#[test]
fn other_callbacks_are_kept_raw() {
    let req = WebhookRequest::new(
        "POST",
        signed_query("app-secret", "n", "1700000000000", "signTimestamp"),
        b"kind=chatroom&x=1".to_vec(),
    )
    .header("Content-Type", "application/x-www-form-urlencoded");
    assert_eq!(
        verifier().verify(&req).unwrap().event,
        Event::Other {
            body: "kind=chatroom&x=1".into()
        }
    );
}
