//! URL, UserSig, method, resource and body checks of the Tencent half.

mod common;

use std::io::Read;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use common::{Harness, assert_ok, code, now};
use imbridge_tencent::usersig::UserSigKey;
use reqwest::Method;
use serde_json::{Value, json};

const CHECK: &str = "/v4/im_open_login_svc/account_check";
const BODY: &str = r#"{"CheckItem":[{"UserID":"nobody"}]}"#;

async fn check_with(h: &Harness, name: &str, value: Option<&str>) -> i64 {
    code(&h.post_query(CHECK, &h.query_with(name, value), BODY).await)
}

#[tokio::test]
async fn a_correct_request_is_answered_ok() {
    let h = Harness::start().await;
    let r = h.post_query(CHECK, &h.good_query(), BODY).await;
    assert_ok(&r);
    assert_eq!(r["ResultItem"][0]["AccountStatus"], "NotImported");
}

#[tokio::test]
async fn sdkappid_checks() {
    let h = Harness::start().await;
    assert_eq!(check_with(&h, "sdkappid", None).await, 60012);
    assert_eq!(check_with(&h, "sdkappid", Some("")).await, 60012);
    assert_eq!(check_with(&h, "sdkappid", Some("abc")).await, 60006);
    assert_eq!(check_with(&h, "sdkappid", Some("1400000001")).await, 60006);
    // Names are case-sensitive.
    let mut q = h.query_with("sdkappid", None);
    q.push(("SdkAppId".into(), h.sdkappid()));
    assert_eq!(code(&h.post_query(CHECK, &q, BODY).await), 60012);
}

#[tokio::test]
async fn identifier_and_usersig_presence() {
    let h = Harness::start().await;
    assert_eq!(check_with(&h, "identifier", None).await, 60004);
    assert_eq!(check_with(&h, "identifier", Some("")).await, 60004);
    assert_eq!(check_with(&h, "usersig", None).await, 70002);
    assert_eq!(check_with(&h, "usersig", Some("")).await, 70002);
}

#[tokio::test]
async fn random_must_be_a_uint32() {
    let h = Harness::start().await;
    assert_eq!(check_with(&h, "random", None).await, 60002);
    assert_eq!(check_with(&h, "random", Some("")).await, 60002);
    assert_eq!(check_with(&h, "random", Some("abc")).await, 60002);
    assert_eq!(check_with(&h, "random", Some("-1")).await, 60002);
    assert_eq!(check_with(&h, "random", Some("4294967296")).await, 60002);
    assert_eq!(check_with(&h, "random", Some("4294967295")).await, 0);
    assert_eq!(check_with(&h, "random", Some("0")).await, 0);
}

#[tokio::test]
async fn contenttype_must_be_json_when_given() {
    let h = Harness::start().await;
    assert_eq!(check_with(&h, "contenttype", Some("xml")).await, 60025);
    assert_eq!(check_with(&h, "contenttype", Some("JSON")).await, 60025);
    assert_eq!(check_with(&h, "contenttype", None).await, 0);
}

#[tokio::test]
async fn usersig_refusals() {
    let h = Harness::start().await;
    let admin = h.admin();
    let secret = h.emu.tencent().secret_key.clone();
    let sdkappid = h.emu.tencent().sdkappid;

    let expired = h.key.sign(&admin, now() - 1000, 10, None);
    assert_eq!(check_with(&h, "usersig", Some(&expired)).await, 70001);

    let wrong_key =
        UserSigKey::new(sdkappid, "another-secret".into()).sign(&admin, now(), 3600, None);
    assert_eq!(check_with(&h, "usersig", Some(&wrong_key)).await, 70009);

    let wrong_app = UserSigKey::new(sdkappid + 1, secret.into()).sign(&admin, now(), 3600, None);
    assert_eq!(check_with(&h, "usersig", Some(&wrong_app)).await, 70014);

    let for_bob = h.key.sign("bob", now(), 3600, None);
    assert_eq!(check_with(&h, "usersig", Some(&for_bob)).await, 70013);

    assert_eq!(check_with(&h, "usersig", Some("!!!garbage")).await, 70003);
    assert_eq!(
        check_with(&h, "usersig", Some("eJyrVgrxCdYrSy1SslJQ")).await,
        70003
    );

    // A valid sig for a non-admin account.
    let mut q = h.query_with("identifier", Some("bob"));
    q.retain(|(k, _)| k != "usersig");
    q.push(("usersig".into(), for_bob));
    assert_eq!(code(&h.post_query(CHECK, &q, BODY).await), 60010);
}

#[tokio::test]
async fn error_info_never_shows_the_secret_or_the_sig() {
    let h = Harness::start().await;
    let secret = h.emu.tencent().secret_key.clone();
    let bad =
        UserSigKey::new(h.emu.tencent().sdkappid, "x".into()).sign(&h.admin(), now(), 3600, None);
    let expired = h.key.sign(&h.admin(), now() - 1000, 10, None);
    for sig in [bad, expired, "!!!garbage".to_owned()] {
        let r = h
            .post_query(CHECK, &h.query_with("usersig", Some(&sig)), BODY)
            .await;
        let info = r["ErrorInfo"].as_str().unwrap();
        assert!(!info.is_empty());
        assert!(!info.contains(&sig), "{info}");
        assert!(!info.contains(&secret), "{info}");
    }
}

/// Rewrites a sig's zlib stream as one stored (uncompressed) block, with the JSON keys in
/// another order and spaced like the official Python library.
fn stored_variant(sig: &str) -> String {
    let std = sig.replace('*', "+").replace('-', "/").replace('_', "=");
    let compressed = STANDARD.decode(std).unwrap();
    let mut json = Vec::new();
    flate2::read::ZlibDecoder::new(&compressed[..])
        .read_to_end(&mut json)
        .unwrap();
    let value: Value = serde_json::from_slice(&json).unwrap();
    let obj = value.as_object().unwrap();
    let mut keys: Vec<&String> = obj.keys().collect();
    keys.reverse();
    let body: Vec<String> = keys
        .iter()
        .map(|k| format!("{}: {}", json!(k), obj[k.as_str()]))
        .collect();
    let json = format!("{{{}}}", body.join(", "));

    let data = json.as_bytes();
    let len = u16::try_from(data.len()).unwrap();
    let mut out = vec![0x78, 0x01, 0x01];
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(&(!len).to_le_bytes());
    out.extend_from_slice(data);
    let (mut a, mut b) = (1u32, 0u32);
    for &byte in data {
        a = (a + u32::from(byte)) % 65521;
        b = (b + a) % 65521;
    }
    out.extend_from_slice(&((b << 16) | a).to_be_bytes());
    STANDARD
        .encode(out)
        .replace('+', "*")
        .replace('/', "-")
        .replace('=', "_")
}

#[tokio::test]
async fn a_stored_zlib_sig_with_other_key_order_is_accepted() {
    let h = Harness::start().await;
    let sig = stored_variant(&h.admin_sig());
    assert_ne!(sig, h.admin_sig());
    assert_eq!(check_with(&h, "usersig", Some(&sig)).await, 0);
}

#[tokio::test]
async fn only_post_is_allowed() {
    let h = Harness::start().await;
    let url = h.url(CHECK, &h.good_query());
    for method in [Method::GET, Method::PUT, Method::DELETE] {
        let (status, r) = h.raw(method, &url, BODY).await;
        assert_eq!(status, 200);
        assert_eq!(code(&r), 60002);
    }
}

#[tokio::test]
async fn bodies_must_be_json_objects() {
    let h = Harness::start().await;
    let q = h.good_query();
    assert_eq!(code(&h.post_query(CHECK, &q, "").await), 60003);
    assert_eq!(code(&h.post_query(CHECK, &q, "   ").await), 60003);
    assert_eq!(code(&h.post_query(CHECK, &q, "{not json").await), 60003);
    assert_eq!(code(&h.post_query(CHECK, &q, "[1,2]").await), 60003);
    assert_eq!(code(&h.post_query(CHECK, &q, "\"text\"").await), 60003);
}

#[tokio::test]
async fn unknown_resources() {
    let h = Harness::start().await;
    let q = h.good_query();
    for path in [
        "/v4/openim/no_such_command",
        "/v4/no_such_service/sendmsg",
        "/v4/openim",
        "/v4/openim/sendmsg/extra",
    ] {
        assert_eq!(code(&h.post_query(path, &q, "{}").await), 60009, "{path}");
    }
    // Service names are matched without regard to case, as some public SDKs send `Profile`.
    h.import(&["alice"]).await;
    let r = h
        .post_query(
            "/v4/Profile/portrait_get",
            &q,
            r#"{"To_Account":["alice"],"TagList":["Tag_Profile_IM_Nick"]}"#,
        )
        .await;
    assert_ok(&r);
}

#[tokio::test]
async fn any_content_type_and_key_order_and_unknown_fields() {
    let h = Harness::start().await;
    let url = h.url("/v4/im_open_login_svc/account_import", &h.good_query());
    for content_type in [
        "application/json",
        "text/plain",
        "application/x-www-form-urlencoded",
    ] {
        let resp = h
            .http
            .post(&url)
            .header("Content-Type", content_type)
            .body(r#"{"Extra":{"x":[1]},"Nick":"Al","UserID":"alice"}"#)
            .send()
            .await
            .unwrap();
        let r: Value = resp.json().await.unwrap();
        assert_ok(&r);
    }
    assert_eq!(h.emu.state().user("alice").unwrap().nick, "Al");
}

#[tokio::test]
async fn percent_encoded_query_values_are_decoded() {
    let h = Harness::start().await;
    let sig = h.admin_sig();
    let raw = format!(
        "{}{CHECK}?sdkappid={}&identifier={}&usersig={}&random=7&contenttype=json",
        h.emu.url(),
        h.sdkappid(),
        h.admin(),
        sig.replace('*', "%2A")
            .replace('-', "%2D")
            .replace('_', "%5F"),
    );
    let (_, r) = h.raw(Method::POST, &raw, BODY).await;
    assert_ok(&r);
}

#[tokio::test]
async fn requests_are_recorded_in_order_with_their_codes() {
    let h = Harness::start().await;
    let state = h.emu.state();
    h.post_query(CHECK, &h.good_query(), BODY).await;
    h.post_query(CHECK, &h.query_with("random", None), BODY)
        .await;
    let reqs = state.requests();
    assert_eq!(reqs.len(), 2);
    assert_eq!(reqs[0].path, CHECK);
    assert_eq!(reqs[0].method, "POST");
    assert_eq!(reqs[0].body, BODY);
    assert_eq!(reqs[0].error_code, 0);
    let names: Vec<&str> = reqs[0].query.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        names,
        ["sdkappid", "identifier", "usersig", "random", "contenttype"]
    );
    assert_eq!(reqs[0].query_param("random"), Some("12345"));
    assert_eq!(reqs[1].error_code, 60002);
    state.clear_requests();
    assert!(state.requests().is_empty());
}

#[tokio::test]
async fn startup_line_url_and_shutdown() {
    let h = Harness::start().await;
    let line = h.emu.startup_line();
    assert!(!line.contains('\n'));
    assert!(line.starts_with(r#"{"url":"http://127.0.0.1:"#), "{line}");
    let v: Value = serde_json::from_str(&line).unwrap();
    assert_eq!(v["url"], h.emu.url());
    assert_eq!(v["tencent"]["sdkappid"], 1_400_000_000u64);
    assert_eq!(v["tencent"]["secret_key"], h.emu.tencent().secret_key);
    assert_eq!(v["tencent"]["admin"], "administrator");
    assert!(h.emu.addr().ip().is_loopback());
    assert!(!h.emu.url().ends_with('/'));
    assert!(!format!("{:?}", h.emu).contains(&h.emu.tencent().secret_key));

    let url = h.url(CHECK, &h.good_query());
    let http = h.http.clone();
    h.emu.shutdown().await;
    assert!(http.post(&url).body(BODY).send().await.is_err());
}
