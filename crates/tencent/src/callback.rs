//! Tencent Cloud IM callbacks (webhooks): verification, typed events and replies.
//!
//! Tencent POSTs JSON to the app's callback URL with the query parameters `SdkAppid`,
//! `CallbackCommand`, `contenttype`, `ClientIP`, `OptPlatform` and, when a callback token is
//! configured in the console, `Sign` (lowercase hex SHA-256 of token ‖ `RequestTime`) and
//! `RequestTime` (Unix seconds).
//!
//! ```
//! use imbridge_core::webhook::WebhookRequest;
//! use imbridge_tencent::callback::{CallbackVerifier, Event, Reply, sign};
//!
//! let verifier = CallbackVerifier::new(1400000000, "xxxxyyyy").now_fn(|| 1669872112);
//! let query = format!(
//!     "SdkAppid=1400000000&CallbackCommand=State.StateChange&contenttype=json&Sign={}&RequestTime=1669872112",
//!     sign("xxxxyyyy", "1669872112"),
//! );
//! let body = br#"{"CallbackCommand":"State.StateChange","Info":{"Action":"Login","To_Account":"lilei","Reason":"Register"},"EventTime":1669872112000}"#;
//! let callback = verifier.verify(&WebhookRequest::new("POST", query, body.to_vec())).unwrap();
//! assert!(matches!(callback.event, Event::StateChange { .. }));
//! assert_eq!(Reply::Allow.to_json(), r#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}"#);
//! ```

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use imbridge_core::webhook::{
    DEFAULT_MAX_BODY, WebhookError, WebhookRequest, check_freshness, hex_signature_matches,
};
use imbridge_core::{ExposeSecret, SecretString};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

/// The default freshness window of `RequestTime`: 60 s, as the vendor advises.
pub const DEFAULT_WINDOW: Duration = Duration::from_secs(60);

/// `Sign` for `token` and `request_time`: lowercase hex SHA-256 of their concatenation.
///
/// ```
/// // The vendor's documented example.
/// assert_eq!(
///     imbridge_tencent::callback::sign("xxxxyyyy", "1669872112"),
///     "17773bc39a671d7b9aa835458704d2a6db81360a5940292b587d6d760d484061"
/// );
/// ```
pub fn sign(token: &str, request_time: &str) -> String {
    hex::encode(digest(token, request_time))
}

fn digest(token: &str, request_time: &str) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(token.as_bytes());
    h.update(request_time.as_bytes());
    h.finalize().into()
}

/// What the query string of a verified callback says.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Verified {
    /// `SdkAppid`.
    pub sdkappid: u64,
    /// `CallbackCommand`.
    pub command: String,
    /// `RequestTime`, when signed.
    pub request_time: Option<u64>,
    /// `ClientIP`.
    pub client_ip: Option<String>,
    /// `OptPlatform`.
    pub platform: Option<String>,
}

/// Checks Tencent callbacks for one app. `Debug` never shows the token.
#[derive(Clone)]
pub struct CallbackVerifier {
    sdkappid: u64,
    token: Option<SecretString>,
    window: Duration,
    max_body: usize,
    now: Arc<dyn Fn() -> u64 + Send + Sync>,
}

impl CallbackVerifier {
    /// A verifier for app `sdkappid` with the callback token set in the console.
    pub fn new(sdkappid: u64, token: impl Into<SecretString>) -> Self {
        CallbackVerifier {
            sdkappid,
            token: Some(token.into()),
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

    /// A verifier for an app without a callback token: only `SdkAppid` is checked. Prefer a token.
    pub fn without_token(sdkappid: u64) -> Self {
        CallbackVerifier {
            token: None,
            ..CallbackVerifier::new(sdkappid, String::new())
        }
    }

    /// How far `RequestTime` may be from now (default 60 s).
    pub fn window(mut self, window: Duration) -> Self {
        self.window = window;
        self
    }

    /// The largest body accepted (default 1 MiB).
    pub fn max_body(mut self, bytes: usize) -> Self {
        self.max_body = bytes;
        self
    }

    /// Uses this source of the current Unix time (for tests and replays).
    pub fn now_fn(mut self, now: impl Fn() -> u64 + Send + Sync + 'static) -> Self {
        self.now = Arc::new(now);
        self
    }

    /// Checks the query string only: `SdkAppid`, and with a token `Sign` and `RequestTime`.
    pub fn verify_query(&self, req: &WebhookRequest) -> Result<Verified, WebhookError> {
        let found = req.query_param("SdkAppid").unwrap_or_default();
        if found.parse::<u64>().ok() != Some(self.sdkappid) {
            return Err(WebhookError::WrongApp {
                expected: self.sdkappid.to_string(),
                found,
            });
        }
        let request_time = match &self.token {
            Some(token) => {
                let sign = req
                    .query_param("Sign")
                    .filter(|s| !s.is_empty())
                    .ok_or(WebhookError::MissingSignature)?;
                let time_text = req
                    .query_param("RequestTime")
                    .ok_or(WebhookError::BadTimestamp)?;
                let time: u64 = time_text.parse().map_err(|_| WebhookError::BadTimestamp)?;
                if !hex_signature_matches(&sign, &digest(token.expose_secret(), &time_text)) {
                    return Err(WebhookError::BadSignature);
                }
                check_freshness(time, (self.now)(), self.window)?;
                Some(time)
            }
            None => None,
        };
        Ok(Verified {
            sdkappid: self.sdkappid,
            command: req.query_param("CallbackCommand").unwrap_or_default(),
            request_time,
            client_ip: req.query_param("ClientIP"),
            platform: req.query_param("OptPlatform"),
        })
    }

    /// Checks the whole callback (method, size, query) and reads its event.
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
        let verified = self.verify_query(req)?;
        let body: Value = serde_json::from_slice(req.body())
            .map_err(|e| WebhookError::BadBody(format!("not JSON: {e}")))?;
        if !body.is_object() {
            return Err(WebhookError::BadBody("not a JSON object".into()));
        }
        let command = body
            .get("CallbackCommand")
            .and_then(Value::as_str)
            .map(str::to_owned)
            .unwrap_or_else(|| verified.command.clone());
        Ok(Callback {
            event: Event::parse(&command, &body),
            command,
            verified,
            body,
        })
    }
}

impl fmt::Debug for CallbackVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CallbackVerifier")
            .field("sdkappid", &self.sdkappid)
            .field("token", &self.token.as_ref().map(|_| "[REDACTED]"))
            .field("window", &self.window)
            .field("max_body", &self.max_body)
            .finish()
    }
}

/// A verified callback.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Callback {
    /// `CallbackCommand`.
    pub command: String,
    /// What the query string said.
    pub verified: Verified,
    /// The typed event.
    pub event: Event,
    /// The whole JSON body, for fields the typed event does not carry.
    pub body: Value,
}

/// A message in a one-to-one callback.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct C2cMessage {
    /// `From_Account`.
    pub from: String,
    /// `To_Account`.
    pub to: String,
    /// `MsgRandom`.
    pub msg_random: u64,
    /// `MsgSeq`.
    pub msg_seq: u64,
    /// `MsgTime` (Unix seconds).
    pub msg_time: u64,
    /// `MsgKey` (after sending).
    pub msg_key: Option<String>,
    /// `MsgBody`.
    pub msg_body: Value,
}

/// A message in a group callback.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct GroupMessage {
    /// `GroupId`.
    pub group_id: String,
    /// `Type`.
    pub group_type: String,
    /// `From_Account`.
    pub from: String,
    /// `Random`.
    pub random: u64,
    /// `MsgSeq` (after sending).
    pub msg_seq: Option<u64>,
    /// `MsgTime` (after sending).
    pub msg_time: Option<u64>,
    /// `MsgBody`.
    pub msg_body: Value,
}

/// What a user's online state changed to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum StateAction {
    /// Logged in.
    Login,
    /// Logged out.
    Logout,
    /// Lost the connection.
    Disconnect,
    /// A value this version does not know.
    Other,
}

/// A typed callback event; every command this version does not type is kept as `Other`.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Event {
    /// `State.StateChange`.
    StateChange {
        /// The user.
        user: String,
        /// What happened.
        action: StateAction,
        /// `Reason`.
        reason: Option<String>,
        /// `EventTime` (ms).
        event_time_ms: Option<u64>,
    },
    /// `C2C.CallbackBeforeSendMsg`: answer with a [`Reply`] to allow, reject or modify.
    BeforeSendC2c(C2cMessage),
    /// `C2C.CallbackAfterSendMsg`.
    AfterSendC2c(C2cMessage),
    /// `Group.CallbackBeforeCreateGroup`.
    BeforeCreateGroup {
        /// `Owner_Account`.
        owner: String,
        /// `Type`.
        group_type: String,
        /// `Name`.
        name: String,
        /// `MemberList`.
        members: Vec<String>,
    },
    /// `Group.CallbackAfterCreateGroup`.
    AfterCreateGroup {
        /// `GroupId`.
        group_id: String,
        /// `Type`.
        group_type: String,
        /// `Owner_Account`.
        owner: String,
        /// `Name`.
        name: String,
        /// `MemberList`.
        members: Vec<String>,
    },
    /// `Group.CallbackAfterNewMemberJoin`.
    AfterNewMemberJoin {
        /// `GroupId`.
        group_id: String,
        /// `NewMemberList`.
        members: Vec<String>,
        /// `Operator_Account`.
        operator: Option<String>,
    },
    /// `Group.CallbackAfterMemberExit`.
    AfterMemberExit {
        /// `GroupId`.
        group_id: String,
        /// `ExitMemberList`.
        members: Vec<String>,
        /// `ExitType`.
        exit_type: Option<String>,
    },
    /// `Group.CallbackBeforeSendMsg`.
    BeforeSendGroup(GroupMessage),
    /// `Group.CallbackAfterSendMsg`.
    AfterSendGroup(GroupMessage),
    /// `Group.CallbackAfterGroupDestroyed`.
    AfterGroupDestroyed {
        /// `GroupId`.
        group_id: String,
        /// `Owner_Account`.
        owner: Option<String>,
    },
    /// `Profile.CallbackPortraitSet`.
    PortraitSet {
        /// `From_Account`.
        user: String,
        /// `ProfileItem` as (tag, value).
        items: Vec<(String, Value)>,
    },
    /// Any other command, kept whole.
    Other {
        /// `CallbackCommand`.
        command: String,
    },
}

fn text(v: &Value, key: &str) -> String {
    v.get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

fn opt_text(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_owned)
}

fn number(v: &Value, key: &str) -> Option<u64> {
    v.get(key).and_then(|n| {
        n.as_u64()
            .or_else(|| n.as_str().and_then(|s| s.parse().ok()))
    })
}

/// Account names from a list of strings or of objects with `field`.
fn accounts(v: &Value, key: &str, field: &str) -> Vec<String> {
    v.get(key)
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(|i| i.as_str().map(str::to_owned).or_else(|| opt_text(i, field)))
                .collect()
        })
        .unwrap_or_default()
}

impl Event {
    /// Reads the event of `command` from its JSON body, leniently: missing fields default.
    pub fn parse(command: &str, body: &Value) -> Event {
        let c2c = || C2cMessage {
            from: text(body, "From_Account"),
            to: text(body, "To_Account"),
            msg_random: number(body, "MsgRandom").unwrap_or_default(),
            msg_seq: number(body, "MsgSeq").unwrap_or_default(),
            msg_time: number(body, "MsgTime").unwrap_or_default(),
            msg_key: opt_text(body, "MsgKey"),
            msg_body: body.get("MsgBody").cloned().unwrap_or(Value::Null),
        };
        let group_msg = || GroupMessage {
            group_id: text(body, "GroupId"),
            group_type: text(body, "Type"),
            from: text(body, "From_Account"),
            random: number(body, "Random").unwrap_or_default(),
            msg_seq: number(body, "MsgSeq"),
            msg_time: number(body, "MsgTime"),
            msg_body: body.get("MsgBody").cloned().unwrap_or(Value::Null),
        };
        match command {
            "State.StateChange" => {
                let info = body.get("Info").cloned().unwrap_or(Value::Null);
                let action = match text(&info, "Action").as_str() {
                    "Login" => StateAction::Login,
                    "Logout" => StateAction::Logout,
                    "Disconnect" => StateAction::Disconnect,
                    _ => StateAction::Other,
                };
                Event::StateChange {
                    user: text(&info, "To_Account"),
                    action,
                    reason: opt_text(&info, "Reason"),
                    event_time_ms: number(body, "EventTime"),
                }
            }
            "C2C.CallbackBeforeSendMsg" => Event::BeforeSendC2c(c2c()),
            "C2C.CallbackAfterSendMsg" => Event::AfterSendC2c(c2c()),
            "Group.CallbackBeforeCreateGroup" => Event::BeforeCreateGroup {
                owner: text(body, "Owner_Account"),
                group_type: text(body, "Type"),
                name: text(body, "Name"),
                members: accounts(body, "MemberList", "Member_Account"),
            },
            "Group.CallbackAfterCreateGroup" => Event::AfterCreateGroup {
                group_id: text(body, "GroupId"),
                group_type: text(body, "Type"),
                owner: text(body, "Owner_Account"),
                name: text(body, "Name"),
                members: accounts(body, "MemberList", "Member_Account"),
            },
            "Group.CallbackAfterNewMemberJoin" => Event::AfterNewMemberJoin {
                group_id: text(body, "GroupId"),
                members: accounts(body, "NewMemberList", "Member_Account"),
                operator: opt_text(body, "Operator_Account"),
            },
            "Group.CallbackAfterMemberExit" => Event::AfterMemberExit {
                group_id: text(body, "GroupId"),
                members: accounts(body, "ExitMemberList", "Member_Account"),
                exit_type: opt_text(body, "ExitType"),
            },
            "Group.CallbackBeforeSendMsg" => Event::BeforeSendGroup(group_msg()),
            "Group.CallbackAfterSendMsg" => Event::AfterSendGroup(group_msg()),
            "Group.CallbackAfterGroupDestroyed" => Event::AfterGroupDestroyed {
                group_id: text(body, "GroupId"),
                owner: opt_text(body, "Owner_Account"),
            },
            "Profile.CallbackPortraitSet" => Event::PortraitSet {
                user: text(body, "From_Account"),
                items: body
                    .get("ProfileItem")
                    .and_then(Value::as_array)
                    .map(|items| {
                        items
                            .iter()
                            .map(|i| {
                                (
                                    text(i, "Tag"),
                                    i.get("Value").cloned().unwrap_or(Value::Null),
                                )
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
            },
            other => Event::Other {
                command: other.to_owned(),
            },
        }
    }
}

/// The app's answer to a callback.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Reply {
    /// Allow (and acknowledge "after" callbacks).
    Allow,
    /// Reject a "before" callback.
    Reject,
    /// Reject a "before" callback with a code (120001–130000) passed to the client.
    RejectWithCode(u32),
    /// Allow a "before send" callback with this `MsgBody` instead of the original.
    AllowWithBody(Value),
}

impl Reply {
    /// The reply body.
    pub fn to_json(&self) -> String {
        let (code, extra) = match self {
            Reply::Allow => (0, None),
            Reply::Reject => (1, None),
            Reply::RejectWithCode(code) => ((*code).clamp(120_001, 130_000), None),
            Reply::AllowWithBody(body) => (0, Some(body.clone())),
        };
        let mut out = json!({"ActionStatus": "OK", "ErrorCode": code, "ErrorInfo": ""});
        if let Some(body) = extra {
            out["MsgBody"] = body;
        }
        out.to_string()
    }
}
