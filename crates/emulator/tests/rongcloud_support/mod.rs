//! A tiny raw HTTP client for the RongCloud emulator tests: hand-built headers and bodies, our
//! own SHA-1 signing, answers read as JSON.

#![allow(dead_code)]

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use imbridge_emulator::{Emulator, EmulatorConfig, RongCloudApp};
use reqwest::header::{HeaderName, HeaderValue};
use serde_json::Value;
use sha1::{Digest, Sha1};

pub const FORM: &str = "application/x-www-form-urlencoded";
pub const JSON: &str = "application/json";

pub fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

pub fn now_ms() -> u64 {
    u64::try_from(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_millis(),
    )
    .unwrap()
}

/// Lowercase hex SHA-1 of secret + nonce + timestamp, computed here (not by the emulator).
pub fn sign(secret: &str, nonce: &str, timestamp: &str) -> String {
    let digest = Sha1::digest(format!("{secret}{nonce}{timestamp}").as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// A fresh nonce for each call.
pub fn nonce() -> String {
    static N: AtomicU64 = AtomicU64::new(1);
    format!("n{}", N.fetch_add(1, Ordering::SeqCst))
}

/// Percent-encodes everything but unreserved characters.
pub fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// A properly encoded form body.
pub fn form(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// An answer: HTTP status, body as JSON, `X-Request-ID` header.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub json: Value,
    /// The body as received (to check key order).
    pub text: String,
    pub request_id: Option<String>,
    pub content_type: Option<String>,
}

impl Answer {
    pub fn code(&self) -> i64 {
        self.json["code"]
            .as_i64()
            .unwrap_or_else(|| panic!("no code: {}", self.json))
    }

    /// Asserts success (HTTP 200, code 200) and returns the JSON.
    pub fn ok(&self) -> &Value {
        assert_eq!((self.status, self.code()), (200, 200), "{}", self.json);
        &self.json
    }

    /// Asserts a failure with `status` and `code`, and an errorMessage.
    pub fn fails(&self, status: u16, code: i64) {
        assert_eq!((self.status, self.code()), (status, code), "{}", self.json);
        assert!(
            self.json["errorMessage"]
                .as_str()
                .is_some_and(|m| !m.is_empty()),
            "no errorMessage: {}",
            self.json
        );
    }
}

pub struct Rc {
    pub emu: Emulator,
    pub http: reqwest::Client,
}

impl Rc {
    pub async fn start() -> Rc {
        Rc::start_with(EmulatorConfig::default()).await
    }

    pub async fn start_with(config: EmulatorConfig) -> Rc {
        let emu = Emulator::start(config).await.unwrap();
        let http = reqwest::Client::builder().no_proxy().build().unwrap();
        Rc { emu, http }
    }

    pub fn app(&self) -> &RongCloudApp {
        self.emu.rongcloud()
    }

    /// Correct auth headers, timestamp in seconds (as the official SDKs send).
    pub fn auth(&self) -> Vec<(String, String)> {
        self.auth_at(&now_secs().to_string())
    }

    /// Correct auth headers for `timestamp`.
    pub fn auth_at(&self, timestamp: &str) -> Vec<(String, String)> {
        let nonce = nonce();
        let sig = sign(&self.app().app_secret, &nonce, timestamp);
        vec![
            ("App-Key".into(), self.app().app_key.clone()),
            ("Nonce".into(), nonce),
            ("Timestamp".into(), timestamp.to_owned()),
            ("Signature".into(), sig),
        ]
    }

    /// A raw POST to `base` + `path`.
    pub async fn raw(
        &self,
        base: &str,
        method: reqwest::Method,
        path: &str,
        headers: &[(String, String)],
        body: impl Into<reqwest::Body>,
    ) -> Answer {
        self.try_raw(&self.http, base, method, path, headers, body)
            .await
            .unwrap()
    }

    pub async fn try_raw(
        &self,
        http: &reqwest::Client,
        base: &str,
        method: reqwest::Method,
        path: &str,
        headers: &[(String, String)],
        body: impl Into<reqwest::Body>,
    ) -> reqwest::Result<Answer> {
        let mut req = http.request(method, format!("{base}{path}")).body(body);
        for (k, v) in headers {
            req = req.header(
                HeaderName::from_bytes(k.as_bytes()).unwrap(),
                HeaderValue::from_bytes(v.as_bytes()).unwrap(),
            );
        }
        let resp = req.send().await?;
        let status = resp.status().as_u16();
        let header = |name: &str| {
            resp.headers()
                .get(name)
                .map(|v| v.to_str().unwrap().to_owned())
        };
        let request_id = header("x-request-id");
        let content_type = header("content-type");
        let text = resp.text().await?;
        let json = serde_json::from_str(&text).unwrap_or_else(|_| Value::String(text.clone()));
        Ok(Answer {
            status,
            json,
            text,
            request_id,
            content_type,
        })
    }

    /// A signed request with `content_type` and `body`.
    pub async fn post(&self, path: &str, content_type: &str, body: &str) -> Answer {
        let mut headers = self.auth();
        headers.push(("Content-Type".into(), content_type.into()));
        self.raw(
            &self.emu.url(),
            reqwest::Method::POST,
            path,
            &headers,
            body.to_owned(),
        )
        .await
    }

    /// A signed form request.
    pub async fn form(&self, path: &str, pairs: &[(&str, &str)]) -> Answer {
        self.post(path, FORM, &form(pairs)).await
    }

    /// A signed JSON request.
    pub async fn json(&self, path: &str, body: &Value) -> Answer {
        self.post(path, JSON, &body.to_string()).await
    }

    /// A control API call (`/_emulator/...`, no credentials): (HTTP status, JSON answer).
    pub async fn control(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> (u16, Value) {
        let mut req = self
            .http
            .request(method, format!("{}{path}", self.emu.url()));
        if let Some(body) = body {
            req = req.json(&body);
        }
        let resp = req.send().await.unwrap();
        (resp.status().as_u16(), resp.json().await.unwrap())
    }

    /// Registers users through the API; returns their tokens.
    pub async fn register(&self, ids: &[&str]) -> Vec<String> {
        let mut tokens = Vec::new();
        for id in ids {
            let a = self
                .form("/user/getToken.json", &[("userId", id), ("name", id)])
                .await;
            tokens.push(a.ok()["token"].as_str().unwrap().to_owned());
        }
        tokens
    }
}

/// A config with a timestamp window so wide that any timestamp is fresh.
pub fn timeless(app: RongCloudApp) -> EmulatorConfig {
    EmulatorConfig {
        rongcloud: app,
        rongcloud_timestamp_window: Duration::from_secs(u64::MAX / 4),
        ..EmulatorConfig::default()
    }
}
