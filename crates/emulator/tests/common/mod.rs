//! A tiny raw HTTP client for the emulator tests: hand-built URLs and bodies, admin sigs signed
//! with `UserSigKey`, answers read as JSON.

#![allow(dead_code)]

use std::time::{SystemTime, UNIX_EPOCH};

use imbridge_emulator::{Emulator, EmulatorConfig};
use imbridge_tencent::usersig::UserSigKey;
use reqwest::Method;
use serde_json::Value;

pub fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

pub struct Harness {
    pub emu: Emulator,
    pub http: reqwest::Client,
    pub key: UserSigKey,
}

impl Harness {
    pub async fn start() -> Harness {
        let emu = Emulator::start(EmulatorConfig::default()).await.unwrap();
        let key = emu.tencent().usersig_key();
        let http = reqwest::Client::builder().no_proxy().build().unwrap();
        Harness { emu, http, key }
    }

    pub fn admin(&self) -> String {
        self.emu.tencent().admin.clone()
    }

    pub fn sdkappid(&self) -> String {
        self.emu.tencent().sdkappid.to_string()
    }

    /// A valid admin sig for a day.
    pub fn admin_sig(&self) -> String {
        self.key.sign(&self.admin(), now(), 86_400, None)
    }

    /// The correct query pairs for an admin call.
    pub fn good_query(&self) -> Vec<(String, String)> {
        vec![
            ("sdkappid".into(), self.sdkappid()),
            ("identifier".into(), self.admin()),
            ("usersig".into(), self.admin_sig()),
            ("random".into(), "12345".into()),
            ("contenttype".into(), "json".into()),
        ]
    }

    /// `good_query` with `name` replaced by `value` (or removed when `None`).
    pub fn query_with(&self, name: &str, value: Option<&str>) -> Vec<(String, String)> {
        let mut q: Vec<(String, String)> = self
            .good_query()
            .into_iter()
            .filter(|(k, _)| k != name)
            .collect();
        if let Some(v) = value {
            q.push((name.to_owned(), v.to_owned()));
        }
        q
    }

    pub fn url(&self, path: &str, query: &[(String, String)]) -> String {
        let qs: String = url_encode(query);
        format!("{}{}?{}", self.emu.url(), path, qs)
    }

    /// A raw request; answers the HTTP status and the body parsed as JSON.
    pub async fn raw(
        &self,
        method: Method,
        url: &str,
        body: impl Into<reqwest::Body>,
    ) -> (u16, Value) {
        let resp = self
            .http
            .request(method, url)
            .body(body)
            .send()
            .await
            .unwrap();
        let status = resp.status().as_u16();
        let text = resp.text().await.unwrap();
        let json = serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"));
        (status, json)
    }

    /// POSTs `body` to `path` with `query`.
    pub async fn post_query(&self, path: &str, query: &[(String, String)], body: &str) -> Value {
        let (status, json) = self
            .raw(Method::POST, &self.url(path, query), body.to_owned())
            .await;
        assert_eq!(status, 200);
        json
    }

    /// A correct admin call of `service/command` with a JSON body.
    pub async fn call(&self, service_command: &str, body: Value) -> Value {
        let path = format!("/v4/{service_command}");
        self.post_query(&path, &self.good_query(), &body.to_string())
            .await
    }

    /// Imports accounts through the API.
    pub async fn import(&self, ids: &[&str]) {
        for id in ids {
            let r = self
                .call(
                    "im_open_login_svc/account_import",
                    serde_json::json!({"UserID": id}),
                )
                .await;
            assert_ok(&r);
        }
    }
}

fn url_encode(query: &[(String, String)]) -> String {
    query
        .iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~*".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The answer's `ErrorCode`, checking the envelope is consistent.
pub fn code(answer: &Value) -> i64 {
    let code = answer["ErrorCode"]
        .as_i64()
        .unwrap_or_else(|| panic!("no ErrorCode: {answer}"));
    let status = answer["ActionStatus"]
        .as_str()
        .unwrap_or_else(|| panic!("no ActionStatus: {answer}"));
    assert!(answer["ErrorInfo"].is_string(), "no ErrorInfo: {answer}");
    assert_eq!(status, if code == 0 { "OK" } else { "FAIL" }, "{answer}");
    code
}

pub fn assert_ok(answer: &Value) {
    assert_eq!(code(answer), 0, "{answer}");
}

pub fn text(s: &str) -> Value {
    serde_json::json!([{"MsgType": "TIMTextElem", "MsgContent": {"Text": s}}])
}
