//! RongCloud callbacks (webhooks): verification and typed events.
//!
//! RongCloud POSTs to the app with `appKey` (absent on the pre-message callback), `nonce`, a
//! timestamp (`signTimestamp` in the documentation, `timestamp` in the vendor's demo servers)
//! and `signature` = hex SHA-1 of app secret + nonce + timestamp, in the query or in `RC-*`
//! headers. The app answers HTTP 200 within 5 s (the vendor retries twice).
//!
//! ```
//! use imbridge_core::webhook::WebhookRequest;
//! use imbridge_rongcloud::callback::{CallbackVerifier, Event};
//! use imbridge_rongcloud::sign::signature;
//!
//! let verifier = CallbackVerifier::new("appkey", "secret").now_fn(|| 1_700_000_000);
//! let sig = signature("secret", "n1", "1700000000000");
//! let query = format!("appKey=appkey&nonce=n1&signTimestamp=1700000000000&signature={sig}");
//! let body = b"fromUserId=a&toUserId=b&objectName=RC%3ATxtMsg&content=%7B%7D&channelType=PERSON&msgTimestamp=1&msgUID=U1";
//! let req = WebhookRequest::new("POST", query, body.to_vec()).header("Content-Type", "application/x-www-form-urlencoded");
//! let callback = verifier.verify(&req).unwrap();
//! assert!(matches!(callback.event, Event::MessageRouted(_)));
//! ```

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use imbridge_core::SecretString;
use imbridge_core::webhook::{
    DEFAULT_MAX_BODY, WebhookError, WebhookRequest, check_freshness, hex_signature_matches,
};
use serde_json::Value;
use sha1::{Digest, Sha1};

use crate::sign::Signer;

/// The default freshness window of the timestamp: 5 minutes.
pub const DEFAULT_WINDOW: Duration = Duration::from_secs(300);

/// The body to answer every accepted callback with (with HTTP 200).
pub const REPLY_OK: &str = "OK";

/// What the signature parameters of a verified callback say.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Verified {
    /// `appKey`, when sent.
    pub app_key: Option<String>,
    /// `nonce`.
    pub nonce: String,
    /// The timestamp, as sent (seconds or milliseconds).
    pub timestamp: String,
}

/// Checks RongCloud callbacks for one app. `Debug` never shows the secret.
#[derive(Clone)]
pub struct CallbackVerifier {
    app_key: String,
    secret: SecretString,
    window: Duration,
    max_body: usize,
    now: Arc<dyn Fn() -> u64 + Send + Sync>,
}

impl CallbackVerifier {
    /// A verifier for the app with `app_key` and `app_secret`.
    pub fn new(app_key: impl Into<String>, app_secret: impl Into<SecretString>) -> Self {
        CallbackVerifier {
            app_key: app_key.into(),
            secret: app_secret.into(),
            window: DEFAULT_WINDOW,
            max_body: DEFAULT_MAX_BODY,
            now: Arc::new(|| {
                SystemTime::now()
                    .duration_since(UNIX_EPOCH)
                    .map(|d| d.as_secs())
                    .unwrap_or(0)
            }),
        }
    }

    /// How far the timestamp may be from now (default 5 minutes).
    pub fn window(mut self, window: Duration) -> Self {
        self.window = window;
        self
    }

    /// The largest body accepted (default 1 MiB).
    pub fn max_body(mut self, bytes: usize) -> Self {
        self.max_body = bytes;
        self
    }

    /// Uses this source of the current Unix time in seconds.
    pub fn now_fn(mut self, now: impl Fn() -> u64 + Send + Sync + 'static) -> Self {
        self.now = Arc::new(now);
        self
    }

    /// Checks the signature parameters only (query or `RC-*` headers).
    pub fn verify_signature(&self, req: &WebhookRequest) -> Result<Verified, WebhookError> {
        let app_key = req.header_or_query("RC-App-Key", "appKey");
        if let Some(found) = app_key.as_deref().filter(|k| *k != self.app_key) {
            return Err(WebhookError::WrongApp {
                expected: self.app_key.clone(),
                found: found.to_owned(),
            });
        }
        let signature = req
            .header_or_query("RC-Signature", "signature")
            .filter(|s| !s.is_empty())
            .ok_or(WebhookError::MissingSignature)?;
        let nonce = req.header_or_query("RC-Nonce", "nonce").unwrap_or_default();
        let timestamp = req
            .header_or_query("RC-Timestamp", "signTimestamp")
            .or_else(|| req.query_param("timestamp"))
            .ok_or(WebhookError::BadTimestamp)?;
        let value: u64 = timestamp
            .trim()
            .parse()
            .map_err(|_| WebhookError::BadTimestamp)?;
        let mut h: Sha1 = Signer::prefix_of(&self.secret);
        h.update(nonce.as_bytes());
        h.update(timestamp.as_bytes());
        if !hex_signature_matches(&signature, &h.finalize()) {
            return Err(WebhookError::BadSignature);
        }
        // Seconds or milliseconds, as the vendor's own servers send both.
        let seconds = if value >= 100_000_000_000 {
            value / 1000
        } else {
            value
        };
        check_freshness(seconds, (self.now)(), self.window)?;
        Ok(Verified {
            app_key,
            nonce,
            timestamp,
        })
    }

    /// Checks the whole callback (method, size, signature) and reads its event.
    pub fn verify(&self, req: &WebhookRequest) -> Result<Callback, WebhookError> {
        if !req.method().eq_ignore_ascii_case("POST") {
            return Err(WebhookError::MethodNotAllowed(req.method().to_owned()));
        }
        if req.body().len() > self.max_body {
            return Err(WebhookError::TooLarge {
                size: req.body().len(),
                limit: self.max_body,
            });
        }
        let verified = self.verify_signature(req)?;
        let content_type = req
            .header_value("Content-Type")
            .unwrap_or_default()
            .to_ascii_lowercase();
        Ok(Callback {
            verified,
            event: Event::parse(&content_type, req.body())?,
        })
    }
}

impl fmt::Debug for CallbackVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CallbackVerifier")
            .field("app_key", &self.app_key)
            .field("app_secret", &"[REDACTED]")
            .field("window", &self.window)
            .finish_non_exhaustive()
    }
}

/// A verified callback.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Callback {
    /// What the signature parameters said.
    pub verified: Verified,
    /// The typed event.
    pub event: Event,
}

/// A user's new online status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum OnlineStatus {
    /// `"0"`: online.
    Online,
    /// `"1"`: offline.
    Offline,
    /// `"2"`: logged out.
    Logout,
    /// A value this version does not know.
    Other,
}

/// One entry of an online-status sync.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct StatusChange {
    /// `userid`.
    pub user_id: String,
    /// `status`.
    pub status: OnlineStatus,
    /// `os`.
    pub os: Option<String>,
    /// `time` (ms).
    pub time_ms: Option<u64>,
    /// `clientIp`.
    pub client_ip: Option<String>,
}

/// A routed message.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RoutedMessage {
    /// `fromUserId`.
    pub from: String,
    /// `toUserId` (the group id for group messages).
    pub to: String,
    /// `objectName`.
    pub object_name: String,
    /// `content` (a JSON string).
    pub content: String,
    /// `channelType` (`PERSON`, `GROUP`, …).
    pub channel_type: String,
    /// `msgTimestamp` (ms).
    pub msg_timestamp: Option<u64>,
    /// `msgUID`.
    pub msg_uid: String,
    /// `source`.
    pub source: Option<String>,
}

/// A typed callback event; any other body is kept raw.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Event {
    /// Online-status sync: a JSON array of changes.
    OnlineStatus(Vec<StatusChange>),
    /// Message routing: form fields of one message.
    MessageRouted(RoutedMessage),
    /// Any other callback, kept whole.
    Other {
        /// The body as text (lossily decoded).
        body: String,
    },
}

impl Event {
    /// Reads the event from the body, by its content type and shape.
    pub fn parse(content_type: &str, body: &[u8]) -> Result<Event, WebhookError> {
        if content_type.starts_with("application/json") || body.first() == Some(&b'[') {
            let value: Value = serde_json::from_slice(body)
                .map_err(|e| WebhookError::BadBody(format!("not JSON: {e}")))?;
            if let Value::Array(items) = value {
                return Ok(Event::OnlineStatus(
                    items.iter().map(status_change).collect(),
                ));
            }
            return Ok(Event::Other {
                body: String::from_utf8_lossy(body).into_owned(),
            });
        }
        let fields: Vec<(String, String)> =
            url::form_urlencoded::parse(body).into_owned().collect();
        let get = |k: &str| fields.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
        match (get("fromUserId"), get("msgUID")) {
            (Some(from), Some(msg_uid)) => Ok(Event::MessageRouted(RoutedMessage {
                from,
                to: get("toUserId").unwrap_or_default(),
                object_name: get("objectName").unwrap_or_default(),
                content: get("content").unwrap_or_default(),
                channel_type: get("channelType").unwrap_or_default(),
                msg_timestamp: get("msgTimestamp").and_then(|t| t.parse().ok()),
                msg_uid,
                source: get("source"),
            })),
            _ => Ok(Event::Other {
                body: String::from_utf8_lossy(body).into_owned(),
            }),
        }
    }
}

fn status_change(item: &Value) -> StatusChange {
    let text = |k: &str| item.get(k).and_then(Value::as_str).map(str::to_owned);
    let status = match item.get("status").map(|s| {
        s.as_str()
            .map(str::to_owned)
            .unwrap_or_else(|| s.to_string())
    }) {
        Some(s) if s == "0" => OnlineStatus::Online,
        Some(s) if s == "1" => OnlineStatus::Offline,
        Some(s) if s == "2" => OnlineStatus::Logout,
        _ => OnlineStatus::Other,
    };
    StatusChange {
        user_id: text("userid").unwrap_or_default(),
        status,
        os: text("os"),
        time_ms: item.get("time").and_then(|t| {
            t.as_u64()
                .or_else(|| t.as_str().and_then(|s| s.parse().ok()))
        }),
        client_ip: text("clientIp"),
    }
}
