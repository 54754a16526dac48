//! The RongCloud half: the IM Server API (`/user/getToken.json`, `/group/create.json`,
//! `/message/private/publish.json`, ...).
//!
//! A request goes through, in order: the path (a known API, else HTTP 404 with code 404), the
//! signature headers (HTTP 401, code 1004), the method (POST only), the body (an empty body is
//! 1003), the `Content-Type` (`application/x-www-form-urlencoded` for form APIs,
//! `application/json` for JSON APIs, a `; charset=...` suffix allowed; else 1002), then the
//! operation on the in-memory state. Every answer is JSON with `code` first:
//! `{"code":200,...}` or `{"code":N,"errorMessage":"..."}`, with the HTTP status of the code
//! (see [`codes`]), and an `X-Request-ID` header echoing the request's (when it has 1 to 36
//! visible ASCII characters) or a generated one.

mod auth;
mod clock;
pub mod codes;
mod form;
mod ops_entrust;
mod ops_entrust_member;
mod ops_group;
mod ops_group_mute;
mod ops_message;
mod ops_message_admin;
mod ops_user;
mod paging;
mod reply;
mod state;

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::State;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Router};
use rand::Rng;
use serde_json::{Map, Value};

pub use auth::signature;
pub use state::{
    HostedGroup, HostedMember, RongCloudGag, RongCloudGroup, RongCloudGroupMessage,
    RongCloudPrivateMessage, RongCloudRequest, RongCloudState, RongCloudUser, UserOperation,
};

pub(crate) use clock::format_create_time as format_time;
pub(crate) use state::deactivated_in_order;

use crate::faults::Arrival;
use auth::AuthHeaders;
use form::Form;
use reply::{Fail, OpResult};
use state::Inner;

/// How far a request's `Timestamp` may be from the server's clock by default: 5 minutes.
pub const DEFAULT_TIMESTAMP_WINDOW: Duration = Duration::from_secs(300);

/// The paths of the profile hosting service (hosted groups), answered 1009 while it is off.
const HOSTED_PREFIX: &str = "/entrust/";

/// The largest request body read, in bytes; a larger one is answered 1005 (unconfirmed: the
/// vendor documents no body limit, only per-parameter ones such as 128 KB for `content`).
const MAX_BODY_BYTES: usize = 4 * 1024 * 1024;

/// The emulated app's credentials: what a client needs to sign its requests.
#[derive(Clone, PartialEq, Eq)]
pub struct RongCloudApp {
    /// The App Key, sent in the `App-Key` header.
    pub app_key: String,
    /// The App Secret, used (as UTF-8) to compute the `Signature`. Never shown by `Debug`,
    /// never put in an answer or a log.
    pub app_secret: String,
}

impl RongCloudApp {
    /// An app with the given credentials.
    pub fn new(app_key: impl Into<String>, app_secret: impl Into<String>) -> Self {
        RongCloudApp {
            app_key: app_key.into(),
            app_secret: app_secret.into(),
        }
    }

    /// A fresh random app: an app key of 14 lowercase letters and digits (the vendor's shape),
    /// and an app secret of 14 letters and digits.
    pub fn generate() -> Self {
        const LOWER: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
        const MIXED: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        let mut rng = rand::rng();
        let mut pick = |alphabet: &[u8], n: usize| -> String {
            (0..n)
                .map(|_| char::from(alphabet[rng.random_range(0..alphabet.len())]))
                .collect()
        };
        let app_key = pick(LOWER, 14);
        let app_secret = pick(MIXED, 14);
        RongCloudApp {
            app_key,
            app_secret,
        }
    }

    /// The signature headers for a request at Unix time `timestamp` (in seconds or
    /// milliseconds, as a string) with `nonce`: `[("App-Key",..),("Nonce",..),("Timestamp",..),
    /// ("Signature",..)]`.
    pub fn sign_headers(&self, nonce: &str, timestamp: &str) -> [(&'static str, String); 4] {
        [
            ("App-Key", self.app_key.clone()),
            ("Nonce", nonce.to_owned()),
            ("Timestamp", timestamp.to_owned()),
            ("Signature", signature(&self.app_secret, nonce, timestamp)),
        ]
    }
}

impl fmt::Debug for RongCloudApp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RongCloudApp")
            .field("app_key", &self.app_key)
            .field("app_secret", &"[REDACTED]")
            .finish()
    }
}

/// What every operation gets besides the body.
pub(crate) struct Ctx<'a> {
    /// The app key (tokens end with `@{app_key}`).
    pub app_key: &'a str,
    /// The current Unix time in milliseconds, by the state's clock.
    pub now_ms: u64,
    /// Whether the app's `msgRandom` idempotency feature is on.
    pub msg_random_dedup: bool,
    /// Whether the app has cloud storage for one-to-one and group messages (history queries).
    pub message_storage: bool,
}

type FormOp = fn(&mut Inner, &Ctx<'_>, &Form) -> OpResult;
type JsonOp = fn(&mut Inner, &Ctx<'_>, &Map<String, Value>) -> OpResult;

/// An operation and the body it takes.
#[derive(Clone, Copy)]
enum Op {
    Form(FormOp),
    Json(JsonOp),
}

/// The operations, by path.
const OPS: &[(&str, Op)] = &[
    ("/user/getToken.json", Op::Form(ops_user::get_token)),
    ("/user/refresh.json", Op::Form(ops_user::refresh)),
    ("/user/info.json", Op::Form(ops_user::info)),
    ("/user/checkOnline.json", Op::Form(ops_user::check_online)),
    ("/user/token/expire.json", Op::Form(ops_user::token_expire)),
    ("/user/block.json", Op::Form(ops_user::block)),
    ("/user/unblock.json", Op::Form(ops_user::unblock)),
    ("/user/block/query.json", Op::Form(ops_user::block_query)),
    ("/user/deactivate.json", Op::Form(ops_user::deactivate)),
    (
        "/user/deactivate/query.json",
        Op::Form(ops_user::deactivate_query),
    ),
    ("/user/reactivate.json", Op::Form(ops_user::reactivate)),
    ("/user/tag/set.json", Op::Json(ops_user::tag_set)),
    (
        "/user/tag/batch/set.json",
        Op::Json(ops_user::tag_batch_set),
    ),
    ("/user/tags/get.json", Op::Form(ops_user::tags_get)),
    ("/group/create.json", Op::Form(ops_group::create)),
    ("/group/join.json", Op::Form(ops_group::join)),
    ("/group/quit.json", Op::Form(ops_group::quit)),
    ("/group/dismiss.json", Op::Form(ops_group::dismiss)),
    ("/group/refresh.json", Op::Form(ops_group::refresh)),
    ("/group/user/query.json", Op::Form(ops_group::user_query)),
    (
        "/user/group/query.json",
        Op::Form(ops_group::user_group_query),
    ),
    (
        "/group/user/gag/add.json",
        Op::Form(ops_group_mute::gag_add),
    ),
    (
        "/group/user/gag/rollback.json",
        Op::Form(ops_group_mute::gag_rollback),
    ),
    (
        "/group/user/gag/list.json",
        Op::Form(ops_group_mute::gag_list),
    ),
    ("/group/ban/add.json", Op::Form(ops_group_mute::ban_add)),
    (
        "/group/ban/rollback.json",
        Op::Form(ops_group_mute::ban_rollback),
    ),
    ("/group/ban/query.json", Op::Form(ops_group_mute::ban_query)),
    (
        "/group/user/ban/whitelist/add.json",
        Op::Form(ops_group_mute::whitelist_add),
    ),
    (
        "/group/user/ban/whitelist/rollback.json",
        Op::Form(ops_group_mute::whitelist_rollback),
    ),
    (
        "/group/user/ban/whitelist/query.json",
        Op::Form(ops_group_mute::whitelist_query),
    ),
    ("/entrust/group/create.json", Op::Form(ops_entrust::create)),
    ("/entrust/group/import.json", Op::Form(ops_entrust::import)),
    (
        "/entrust/group/profile/update.json",
        Op::Form(ops_entrust::profile_update),
    ),
    (
        "/entrust/group/profile/query.json",
        Op::Form(ops_entrust::profile_query),
    ),
    (
        "/entrust/group/dismiss.json",
        Op::Form(ops_entrust::dismiss),
    ),
    (
        "/entrust/group/transfer/owner.json",
        Op::Form(ops_entrust::transfer_owner),
    ),
    ("/entrust/group/query.json", Op::Form(ops_entrust::query)),
    (
        "/entrust/joined/group/query.json",
        Op::Form(ops_entrust::joined_query),
    ),
    (
        "/entrust/group/join.json",
        Op::Form(ops_entrust_member::join),
    ),
    (
        "/entrust/group/quit.json",
        Op::Form(ops_entrust_member::quit),
    ),
    (
        "/entrust/group/member/kick.json",
        Op::Form(ops_entrust_member::kick),
    ),
    (
        "/entrust/group/member/kick/all.json",
        Op::Form(ops_entrust_member::kick_all),
    ),
    (
        "/entrust/group/manager/add.json",
        Op::Form(ops_entrust_member::manager_add),
    ),
    (
        "/entrust/group/manager/remove.json",
        Op::Form(ops_entrust_member::manager_remove),
    ),
    (
        "/entrust/group/member/query.json",
        Op::Form(ops_entrust_member::member_query),
    ),
    (
        "/entrust/group/member/specific/query.json",
        Op::Form(ops_entrust_member::member_specific_query),
    ),
    (
        "/entrust/group/member/set.json",
        Op::Form(ops_entrust_member::member_set),
    ),
    (
        "/message/private/publish.json",
        Op::Form(ops_message::private_publish),
    ),
    (
        "/message/group/publish.json",
        Op::Form(ops_message::group_publish),
    ),
    (
        "/message/system/publish.json",
        Op::Form(ops_message_admin::system_publish),
    ),
    ("/message/recall.json", Op::Form(ops_message_admin::recall)),
    (
        "/v3/message/private/query.json",
        Op::Json(ops_message_admin::private_query),
    ),
    (
        "/v3/message/group/query.json",
        Op::Json(ops_message_admin::group_query),
    ),
];

/// Form operations whose parameters are all optional, so an empty body is not refused with
/// 1003 (the official Go and Python SDKs send none to `/user/block/query.json`; unconfirmed for
/// the vendor's server).
const EMPTY_BODY_OK: &[&str] = &[
    "/user/block/query.json",
    "/user/deactivate/query.json",
    "/group/user/gag/list.json",
    "/group/ban/query.json",
    "/entrust/group/query.json",
];

/// Every emulated path, in the order of the operation table.
pub const EMULATED: &[&str] = &[
    "/user/getToken.json",
    "/user/refresh.json",
    "/user/info.json",
    "/user/checkOnline.json",
    "/user/token/expire.json",
    "/user/block.json",
    "/user/unblock.json",
    "/user/block/query.json",
    "/user/deactivate.json",
    "/user/deactivate/query.json",
    "/user/reactivate.json",
    "/user/tag/set.json",
    "/user/tag/batch/set.json",
    "/user/tags/get.json",
    "/group/create.json",
    "/group/join.json",
    "/group/quit.json",
    "/group/dismiss.json",
    "/group/refresh.json",
    "/group/user/query.json",
    "/user/group/query.json",
    "/group/user/gag/add.json",
    "/group/user/gag/rollback.json",
    "/group/user/gag/list.json",
    "/group/ban/add.json",
    "/group/ban/rollback.json",
    "/group/ban/query.json",
    "/group/user/ban/whitelist/add.json",
    "/group/user/ban/whitelist/rollback.json",
    "/group/user/ban/whitelist/query.json",
    "/entrust/group/create.json",
    "/entrust/group/import.json",
    "/entrust/group/profile/update.json",
    "/entrust/group/profile/query.json",
    "/entrust/group/dismiss.json",
    "/entrust/group/transfer/owner.json",
    "/entrust/group/query.json",
    "/entrust/joined/group/query.json",
    "/entrust/group/join.json",
    "/entrust/group/quit.json",
    "/entrust/group/member/kick.json",
    "/entrust/group/member/kick/all.json",
    "/entrust/group/manager/add.json",
    "/entrust/group/manager/remove.json",
    "/entrust/group/member/query.json",
    "/entrust/group/member/specific/query.json",
    "/entrust/group/member/set.json",
    "/message/private/publish.json",
    "/message/group/publish.json",
    "/message/system/publish.json",
    "/message/recall.json",
    "/v3/message/private/query.json",
    "/v3/message/group/query.json",
];

/// Paths that exist at the vendor but are not emulated. A request for one gets HTTP 501, the
/// header `x-imbridge-emulator: not-emulated` and `{"code":501,"errorMessage":"..."}`
/// ([`codes::NOT_EMULATED`], not a vendor code) instead of the vendor's 404 for an unknown path,
/// whatever its signature. See docs/emulator.md.
pub const NOT_EMULATED: &[&str] = &[
    "/user/blacklist/add.json",
    "/user/blacklist/remove.json",
    "/user/blacklist/query.json",
    "/user/whitelist/add.json",
    "/user/whitelist/remove.json",
    "/user/whitelist/query.json",
    "/user/chat/fb/set.json",
    "/user/chat/fb/querylist.json",
    "/group/sync.json",
    "/group/remarks/set.json",
    "/group/remarks/del.json",
    "/group/remarks/get.json",
    "/entrust/group/remarkname/set.json",
    "/entrust/group/remarkname/delete.json",
    "/entrust/group/remarkname/query.json",
    "/entrust/group/member/follow.json",
    "/entrust/group/member/unfollow.json",
    "/entrust/group/member/followed/get.json",
    "/message/broadcast.json",
    "/message/chatroom/publish.json",
    "/message/private/publish_template.json",
    "/message/system/publish_template.json",
    "/message/ultragroup/publish.json",
    "/message/history.json",
    "/v3/message/ultragroup/query.json",
    "/v3/message/chatroom/query.json",
    "/v3/message/private/publish_stream.json",
    "/v3/message/group/publish_stream.json",
    "/v3/message/get_stream.json",
    "/chatroom/create_new.json",
    "/chatroom/destroy.json",
    "/chatroom/user/query.json",
    "/push.json",
    "/push/user.json",
    "/push/custom.json",
    "/sensitiveword/batch/add.json",
];

/// The RongCloud app as served.
struct Shared {
    app: RongCloudApp,
    window: Duration,
    state: RongCloudState,
}

/// The RongCloud routes serving `app` on `state`, accepting `Timestamp`s within `window` of the
/// server's clock. It answers every path (unknown ones with 404), so merge it *after* more
/// specific routers (it is installed as a fallback).
pub fn router(app: RongCloudApp, state: RongCloudState, window: Duration) -> Router {
    let shared = Arc::new(Shared { app, window, state });
    Router::new().fallback(handle).with_state(shared)
}

async fn handle(
    State(shared): State<Arc<Shared>>,
    arrival: Option<Extension<Arrival>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let arrival = arrival.map_or_else(Arrival::now, |Extension(arrival)| arrival);
    // Read the body here (not with the `Bytes` extractor) so that even an oversized one gets a
    // JSON answer.
    let (body, too_large) = match axum::body::to_bytes(body, MAX_BODY_BYTES).await {
        Ok(bytes) => (bytes, false),
        Err(_) => (axum::body::Bytes::new(), true),
    };
    let path = uri.path().to_owned();
    let auth = AuthHeaders::read(&headers);
    let request_id = auth::header(&headers, "x-request-id");
    let response_request_id = answer_request_id(&headers);
    let content_type = auth::header(&headers, "content-type");

    let result = if too_large {
        Err(Fail::too_long(format!(
            "the request body is larger than {MAX_BODY_BYTES} bytes"
        )))
    } else {
        process(
            &shared,
            &method,
            &path,
            &auth,
            content_type.as_deref(),
            &body,
        )
    };
    let (code, status, text) = reply::render(&result);
    tracing::debug!(%method, path = %path, code, "rongcloud request");
    let mut response = json_response(status, text, &response_request_id);
    if code == codes::NOT_EMULATED {
        crate::mark_not_emulated(&mut response);
    }

    shared.state.record(RongCloudRequest {
        method: method.to_string(),
        path,
        app_key: auth.app_key,
        nonce: auth.nonce,
        timestamp: auth.timestamp,
        signature: auth.signature,
        rc_prefixed: auth.rc_prefixed,
        request_id,
        response_request_id: response_request_id.clone(),
        content_type,
        user_agent: auth::header(&headers, "user-agent"),
        body: String::from_utf8_lossy(&body).into_owned(),
        http_status: status,
        code,
        received_at_ms: arrival.received_at_ms,
        fault: arrival.fault,
    });
    response
}

/// The `X-Request-ID` an answer to a request with `headers` carries: the request's when usable,
/// else a fresh one.
pub(crate) fn answer_request_id(headers: &HeaderMap) -> String {
    auth::header(headers, "x-request-id")
        .filter(|id| usable_request_id(id))
        .unwrap_or_else(new_request_id)
}

/// Logs a request a rule faulted before it was processed: `http_status` is the status answered
/// (0 = none), `code` the `code` answered (-1 = none), `response_request_id` the `X-Request-ID`
/// answered (`""` = none).
pub(crate) fn record_faulted(
    state: &RongCloudState,
    parts: &Parts,
    body: &[u8],
    http_status: u16,
    code: i64,
    response_request_id: String,
    arrival: Arrival,
) {
    let headers = &parts.headers;
    let auth = AuthHeaders::read(headers);
    state.record(RongCloudRequest {
        method: parts.method.to_string(),
        path: parts.uri.path().to_owned(),
        app_key: auth.app_key,
        nonce: auth.nonce,
        timestamp: auth.timestamp,
        signature: auth.signature,
        rc_prefixed: auth.rc_prefixed,
        request_id: auth::header(headers, "x-request-id"),
        response_request_id,
        content_type: auth::header(headers, "content-type"),
        user_agent: auth::header(headers, "user-agent"),
        body: String::from_utf8_lossy(body).into_owned(),
        http_status,
        code,
        received_at_ms: arrival.received_at_ms,
        fault: arrival.fault,
    });
}

/// A JSON answer with `status` and an `X-Request-ID` header.
pub(crate) fn json_response(status: u16, text: String, request_id: &str) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = (
        status,
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        text,
    )
        .into_response();
    if let Ok(value) = HeaderValue::from_str(request_id) {
        response.headers_mut().insert("x-request-id", value);
    }
    response
}

/// The vendor's JSON error for a faulted request (`code` from the HTTP status), with
/// `X-Request-ID: request_id`.
pub(crate) fn fault_response(status: u16, request_id: &str) -> Response {
    let code = codes::for_fault_status(status);
    let (_, _, text) = reply::render(&Err(Fail::new(
        code,
        format!("emulated fault: HTTP {status}"),
    )));
    json_response(status, text, request_id)
}

/// The answer of [`crate::Fault::VendorCode`]: `{"code":code,"errorMessage":"emulated fault"}`
/// with HTTP `status` and `X-Request-ID: request_id`.
pub(crate) fn vendor_code_response(code: i64, status: u16, request_id: &str) -> Response {
    let (_, _, text) = reply::render(&Err(Fail::new(code, "emulated fault")));
    json_response(status, text, request_id)
}

/// An `X-Request-ID` the answer can echo: 1 to 36 visible ASCII characters.
fn usable_request_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 36 && id.bytes().all(|b| b.is_ascii_graphic())
}

/// A fresh request id: 32 lowercase hex digits.
fn new_request_id() -> String {
    let bytes: [u8; 16] = rand::rng().random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn process(
    shared: &Shared,
    method: &Method,
    path: &str,
    auth: &AuthHeaders,
    content_type: Option<&str>,
    body: &[u8],
) -> OpResult {
    let op = resolve(path)?;
    // The caller signs with its real clock: the signature window is checked against real time,
    // the operations read the state's clock.
    auth::check(
        &shared.app,
        shared.window,
        auth,
        crate::clock::real_now_ms(),
    )?;
    if method != Method::POST {
        return Err(Fail::param(format!(
            "the Server API only supports POST, not {method}"
        )));
    }
    if path.starts_with(HOSTED_PREFIX) && !shared.state.group_hosting() {
        return Err(Fail::new(
            codes::SERVICE_NOT_ENABLED,
            format!(
                "service not enabled: {path} needs the profile hosting service, which the vendor \
                 enables by a support ticket; turn it on in the emulator with \
                 `imbridge emulator --rongcloud-group-hosting`, \
                 `POST /_emulator/settings {{\"rongcloud_group_hosting\":true}}` or \
                 `RongCloudState::set_group_hosting(true)`"
            ),
        ));
    }
    if body.iter().all(u8::is_ascii_whitespace) && !EMPTY_BODY_OK.contains(&path) {
        return Err(Fail::new(
            codes::NO_POST_DATA,
            "no POST data: the request body is empty",
        ));
    }
    let expected = match op {
        Op::Form(_) => "application/x-www-form-urlencoded",
        Op::Json(_) => "application/json",
    };
    let mime = content_type
        .map(|ct| {
            ct.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
        .unwrap_or_default();
    if mime != expected {
        return Err(Fail::param(format!(
            "{path} needs `Content-Type: {expected}`, not `{}`",
            reply::echo(content_type.unwrap_or("(none)"))
        )));
    }
    let ctx = Ctx {
        app_key: &shared.app.app_key,
        now_ms: shared.state.clock().now_ms(),
        msg_random_dedup: shared.state.msg_random_dedup(),
        message_storage: shared.state.message_storage(),
    };
    let (events, result) = match op {
        Op::Form(op) => {
            let form = Form::parse(body);
            run(shared, |inner| op(inner, &ctx, &form))
        }
        Op::Json(op) => {
            let obj = match serde_json::from_slice::<Value>(body) {
                Ok(Value::Object(obj)) => obj,
                Ok(_) => return Err(Fail::param("the request body must be a JSON object")),
                Err(e) => {
                    return Err(Fail::param(format!(
                        "the request body is not valid JSON: {e}"
                    )));
                }
            };
            run(shared, |inner| op(inner, &ctx, &obj))
        }
    };
    if result.is_ok() && !events.is_empty() {
        shared
            .state
            .hub()
            .rongcloud(&shared.app.app_key, &shared.app.app_secret, events);
    }
    result
}

/// The operation of `path`: 501 for a known path that is not emulated, 404 for any other.
fn resolve(path: &str) -> Result<Op, Fail> {
    if let Some((_, op)) = OPS.iter().find(|(p, _)| *p == path) {
        return Ok(*op);
    }
    if NOT_EMULATED.contains(&path) {
        return Err(Fail::new(
            codes::NOT_EMULATED,
            format!(
                "not emulated: {path} exists at RongCloud but imbridge-emulator does not emulate \
                 it (this is not a vendor error code); see docs/emulator.md for the endpoints it \
                 emulates"
            ),
        ));
    }
    Err(Fail::new(
        codes::NOT_FOUND,
        format!(
            "not found: `{}` is not an API of this server; check the request path",
            reply::echo(path)
        ),
    ))
}

/// The callbacks an operation raised, `(command, form fields)`.
type Events = Vec<(&'static str, Vec<(&'static str, String)>)>;

/// Runs an operation under the state lock; returns the callbacks it raised with its result.
fn run(shared: &Shared, op: impl FnOnce(&mut Inner) -> OpResult) -> (Events, OpResult) {
    let mut inner = shared.state.lock();
    let result = op(&mut inner);
    (std::mem::take(&mut inner.outbox), result)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generate_makes_vendor_shaped_keys_and_hides_the_secret() {
        let app = RongCloudApp::generate();
        assert_eq!(app.app_key.len(), 14);
        assert!(
            app.app_key
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        );
        assert_eq!(app.app_secret.len(), 14);
        assert_ne!(app.app_secret, RongCloudApp::generate().app_secret);
        let dbg = format!("{app:?}");
        assert!(!dbg.contains(&app.app_secret));
        assert!(dbg.contains("[REDACTED]"));
        assert!(dbg.contains(&app.app_key));
    }

    #[test]
    fn the_endpoint_tables_match_the_operations() {
        let ops: Vec<&str> = OPS.iter().map(|(p, _)| *p).collect();
        assert_eq!(ops, EMULATED);
        for path in NOT_EMULATED {
            assert!(!EMULATED.contains(path), "{path} is in both tables");
            assert_eq!(
                resolve(path).err().map(|f| f.code),
                Some(codes::NOT_EMULATED)
            );
        }
        assert_eq!(
            resolve("/nope.json").err().map(|f| f.code),
            Some(codes::NOT_FOUND)
        );
        for path in EMPTY_BODY_OK {
            assert!(EMULATED.contains(path));
        }
    }

    #[test]
    fn sign_headers_use_the_secret() {
        let app = RongCloudApp::new("k", "Y1W2MeFwwwRxa0");
        let h = app.sign_headers("14314", "1408710653000");
        assert_eq!(h[0], ("App-Key", "k".to_owned()));
        assert_eq!(
            h[3].1,
            "30be0bbca9c9b2e27578701e9fda2358a814c88f".to_owned()
        );
    }

    #[test]
    fn request_ids() {
        assert!(usable_request_id("0123456789abcdef0123456789abcdef"));
        assert!(usable_request_id(&"a".repeat(36)));
        assert!(!usable_request_id(&"a".repeat(37)));
        assert!(!usable_request_id(""));
        assert!(!usable_request_id("a b"));
        assert_eq!(new_request_id().len(), 32);
    }
}
