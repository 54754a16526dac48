//! The Tencent Cloud IM half: REST API v4 under `/v4/{servicename}/{command}`.
//!
//! Every answer is HTTP 200 with the vendor's JSON envelope. A request goes through, in order:
//! the method (POST only), the URL checks (sdkappid, identifier, usersig,
//! random, contenttype, the UserSig, the admin requirement), the resource (known service and
//! command), the body (a JSON object), then the operation on the in-memory state.
//!
//! Service names and commands are matched without regard to ASCII case (public SDKs send
//! `Profile` as well as `profile`). Any `Content-Type` header is accepted.

mod auth;
pub mod codes;
mod envelope;
mod msgbody;
mod ops_account;
mod ops_group;
mod ops_group_info;
mod ops_group_member;
mod ops_group_mute;
mod ops_message;
mod ops_message_admin;
mod ops_profile;
mod params;
mod state;

use std::fmt;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::request::Parts;
use axum::http::{Method, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use axum::{Extension, Router};
use imbridge_tencent::usersig::UserSigKey;
use rand::Rng;
use serde_json::Value;

pub use state::{
    C2cMessage, GroupMember, GroupMessage, GroupRecord, RecordedRequest, TencentState, UserRecord,
};

use crate::faults::Arrival;
use envelope::{Fail, Obj, OpResult};
use state::Inner;

/// The emulated app's credentials: what a client needs to sign its admin UserSig.
#[derive(Clone, PartialEq, Eq)]
pub struct TencentApp {
    /// The app's SDKAppID.
    pub sdkappid: u64,
    /// The app's secret key (used as UTF-8 bytes for the UserSig HMAC).
    pub secret_key: String,
    /// The App admin account that REST calls must use as `identifier`.
    pub admin: String,
}

impl TencentApp {
    /// The default test app: sdkappid 1400000000, admin `administrator`, and a fresh random
    /// secret key of 64 hex characters.
    pub fn generate() -> Self {
        let bytes: [u8; 32] = rand::rng().random();
        let secret_key = bytes.iter().map(|b| format!("{b:02x}")).collect();
        TencentApp {
            sdkappid: 1_400_000_000,
            secret_key,
            admin: "administrator".to_owned(),
        }
    }

    /// The UserSig key of this app, to sign or verify sigs.
    pub fn usersig_key(&self) -> UserSigKey {
        UserSigKey::new(self.sdkappid, self.secret_key.clone().into())
    }
}

impl fmt::Debug for TencentApp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TencentApp")
            .field("sdkappid", &self.sdkappid)
            .field("secret_key", &"[REDACTED]")
            .field("admin", &self.admin)
            .finish()
    }
}

/// What every operation gets besides the body.
pub(crate) struct Ctx<'a> {
    /// The admin account, which exists implicitly.
    pub admin: &'a str,
    /// The current Unix time in seconds, by the state's clock.
    pub now: u64,
}

impl Ctx<'_> {
    /// Whether `account` exists: imported, or the admin.
    pub(crate) fn exists(&self, inner: &Inner, account: &str) -> bool {
        account == self.admin || inner.users.contains_key(account)
    }
}

type Op = fn(&mut Inner, &Ctx<'_>, &Obj) -> OpResult;

/// The operations, by (servicename, command), lowercase.
const OPS: &[(&str, &str, Op)] = &[
    (
        "im_open_login_svc",
        "account_import",
        ops_account::account_import,
    ),
    (
        "im_open_login_svc",
        "multiaccount_import",
        ops_account::multiaccount_import,
    ),
    (
        "im_open_login_svc",
        "account_check",
        ops_account::account_check,
    ),
    (
        "im_open_login_svc",
        "account_delete",
        ops_account::account_delete,
    ),
    ("im_open_login_svc", "kick", ops_account::kick),
    (
        "openim",
        "query_online_status",
        ops_account::query_online_status,
    ),
    ("openim", "querystate", ops_account::query_online_status),
    ("profile", "portrait_set", ops_profile::portrait_set),
    ("profile", "portrait_get", ops_profile::portrait_get),
    (
        "group_open_http_svc",
        "create_group",
        ops_group::create_group,
    ),
    (
        "group_open_http_svc",
        "get_group_info",
        ops_group::get_group_info,
    ),
    (
        "group_open_http_svc",
        "get_group_member_info",
        ops_group_member::get_group_member_info,
    ),
    (
        "group_open_http_svc",
        "add_group_member",
        ops_group_member::add_group_member,
    ),
    (
        "group_open_http_svc",
        "delete_group_member",
        ops_group_member::delete_group_member,
    ),
    (
        "group_open_http_svc",
        "destroy_group",
        ops_group::destroy_group,
    ),
    (
        "group_open_http_svc",
        "get_appid_group_list",
        ops_group::get_appid_group_list,
    ),
    (
        "group_open_http_svc",
        "modify_group_base_info",
        ops_group_info::modify_group_base_info,
    ),
    (
        "group_open_http_svc",
        "change_group_owner",
        ops_group_info::change_group_owner,
    ),
    (
        "group_open_http_svc",
        "get_joined_group_list",
        ops_group_member::get_joined_group_list,
    ),
    (
        "group_open_http_svc",
        "get_role_in_group",
        ops_group_member::get_role_in_group,
    ),
    (
        "group_open_http_svc",
        "modify_group_member_info",
        ops_group_member::modify_group_member_info,
    ),
    (
        "group_open_http_svc",
        "forbid_send_msg",
        ops_group_mute::forbid_send_msg,
    ),
    (
        "group_open_http_svc",
        "get_group_muted_account",
        ops_group_mute::get_group_muted_account,
    ),
    (
        "group_open_http_svc",
        "get_group_shutted_uin",
        ops_group_mute::get_group_shutted_uin,
    ),
    (
        "group_open_http_svc",
        "send_group_msg",
        ops_message::send_group_msg,
    ),
    ("openim", "sendmsg", ops_message::sendmsg),
    ("openim", "admin_getroammsg", ops_message::admin_getroammsg),
    ("openim", "batchsendmsg", ops_message_admin::batchsendmsg),
    (
        "openim",
        "admin_msgwithdraw",
        ops_message_admin::admin_msgwithdraw,
    ),
    ("openim", "importmsg", ops_message_admin::importmsg),
    (
        "group_open_http_svc",
        "group_msg_recall",
        ops_message_admin::group_msg_recall,
    ),
    (
        "group_open_http_svc",
        "group_msg_get_simple",
        ops_message_admin::group_msg_get_simple,
    ),
    (
        "group_open_http_svc",
        "import_group_msg",
        ops_message_admin::import_group_msg,
    ),
];

/// Every emulated endpoint, as `servicename/command` (the path after `/v4/`), in the order of
/// the operation table. Matching is ASCII case-insensitive.
///
/// `openim/querystate` is the earlier documented name of `openim/query_online_status` (still
/// used by public SDKs such as `timsdk`); both are answered the same way.
/// `group_open_http_svc/get_group_shutted_uin` is the earlier name of
/// `get_group_muted_account` (still used by `timsdk` and other older SDKs); it answers the
/// earlier field names (`ShuttedUinList` [{`Member_Account`, `ShuttedUntil`}]).
pub const EMULATED: &[&str] = &[
    "im_open_login_svc/account_import",
    "im_open_login_svc/multiaccount_import",
    "im_open_login_svc/account_check",
    "im_open_login_svc/account_delete",
    "im_open_login_svc/kick",
    "openim/query_online_status",
    "openim/querystate",
    "profile/portrait_set",
    "profile/portrait_get",
    "group_open_http_svc/create_group",
    "group_open_http_svc/get_group_info",
    "group_open_http_svc/get_group_member_info",
    "group_open_http_svc/add_group_member",
    "group_open_http_svc/delete_group_member",
    "group_open_http_svc/destroy_group",
    "group_open_http_svc/get_appid_group_list",
    "group_open_http_svc/modify_group_base_info",
    "group_open_http_svc/change_group_owner",
    "group_open_http_svc/get_joined_group_list",
    "group_open_http_svc/get_role_in_group",
    "group_open_http_svc/modify_group_member_info",
    "group_open_http_svc/forbid_send_msg",
    "group_open_http_svc/get_group_muted_account",
    "group_open_http_svc/get_group_shutted_uin",
    "group_open_http_svc/send_group_msg",
    "openim/sendmsg",
    "openim/admin_getroammsg",
    "openim/batchsendmsg",
    "openim/admin_msgwithdraw",
    "openim/importmsg",
    "group_open_http_svc/group_msg_recall",
    "group_open_http_svc/group_msg_get_simple",
    "group_open_http_svc/import_group_msg",
];

/// Endpoints that exist at the vendor but are not emulated, as `servicename/command`. A
/// request for one (signed correctly) gets HTTP 501, the header
/// `x-imbridge-emulator: not-emulated` and the envelope
/// `{"ActionStatus":"FAIL","ErrorCode":501,"ErrorInfo":"..."}` ([`codes::NOT_EMULATED`], not a
/// vendor code), instead of the vendor's "unknown resource" 60009. See docs/emulator.md.
pub const NOT_EMULATED: &[&str] = &[
    "openim/get_c2c_unread_msg_num",
    "openim/admin_set_msg_read",
    "group_open_http_svc/get_specified_group_member_info",
    "group_open_http_svc/import_group",
    "group_open_http_svc/import_group_member",
    "group_open_http_svc/set_unread_msg_num",
    "group_open_http_svc/delete_group_msg_by_sender",
    "group_open_http_svc/send_group_system_notification",
    "group_open_avchatroom_http_svc/get_members",
    "all_member_push/im_push",
    "timpush/push",
    "sns/friend_add",
    "sns/friend_delete",
    "sns/friend_get",
    "sns/black_list_add",
    "sns/black_list_delete",
    "sns/black_list_get",
    "recentcontact/get_list",
    "openconfigsvr/setnospeaking",
    "openconfigsvr/getnospeaking",
    "openconfigsvr/getappinfo",
    "open_msg_svc/get_history",
];

/// The Tencent app as served: credentials, verification key and state.
struct Shared {
    app: TencentApp,
    key: UserSigKey,
    state: TencentState,
}

/// The Tencent routes (`/v4/...`) serving `app` on `state`; merge it into a larger router to
/// embed the emulator.
pub fn router(app: TencentApp, state: TencentState) -> Router {
    let key = app.usersig_key();
    let shared = Arc::new(Shared { app, key, state });
    Router::new()
        .route("/v4/{*rest}", any(handle))
        .with_state(shared)
}

/// The `ErrorCode` of [`crate::Fault::Status`]`(status)`: 60007 for 429, 60008 otherwise.
pub(crate) fn fault_status_code(status: u16) -> i64 {
    if status == 429 {
        codes::REST_RATE_LIMIT
    } else {
        codes::SERVICE_TIMEOUT
    }
}

/// The vendor's envelope for a faulted request, with HTTP `status`: `ErrorCode` 60007 for 429,
/// 60008 otherwise.
pub(crate) fn fault_response(status: u16) -> Response {
    let code = fault_status_code(status);
    let (_, text) = envelope::render(&Err(Fail::new(
        code,
        format!("emulated fault: HTTP {status}"),
    )));
    let status =
        axum::http::StatusCode::from_u16(status).unwrap_or(axum::http::StatusCode::BAD_GATEWAY);
    (
        status,
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        text,
    )
        .into_response()
}

/// The envelope of [`crate::Fault::VendorCode`]: HTTP 200,
/// `{"ActionStatus":"FAIL","ErrorCode":code,"ErrorInfo":"emulated fault"}`.
pub(crate) fn vendor_code_response(code: i64) -> Response {
    let (_, text) = envelope::render(&Err(Fail::new(code, "emulated fault")));
    json_answer(text)
}

fn json_answer(text: String) -> Response {
    (
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        text,
    )
        .into_response()
}

fn decode_query(uri: &Uri) -> Vec<(String, String)> {
    url::form_urlencoded::parse(uri.query().unwrap_or("").as_bytes())
        .into_owned()
        .collect()
}

/// Logs a request a rule faulted before it was processed; `error_code` is the `ErrorCode`
/// answered, -1 when no envelope was.
pub(crate) fn record_faulted(
    state: &TencentState,
    parts: &Parts,
    body: &[u8],
    error_code: i64,
    arrival: Arrival,
) {
    state.record(RecordedRequest {
        method: parts.method.to_string(),
        path: parts.uri.path().to_owned(),
        query: decode_query(&parts.uri),
        body: String::from_utf8_lossy(body).into_owned(),
        error_code,
        received_at_ms: arrival.received_at_ms,
        fault: arrival.fault,
    });
}

/// The real Unix time in seconds (for the UserSig check; operations read the state's clock).
pub(crate) fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

async fn handle(
    State(shared): State<Arc<Shared>>,
    arrival: Option<Extension<Arrival>>,
    method: Method,
    uri: Uri,
    body: Bytes,
) -> Response {
    let arrival = arrival.map_or_else(Arrival::now, |Extension(arrival)| arrival);
    let path = uri.path().to_owned();
    let query = decode_query(&uri);

    let result = process(&shared, &method, &path, &query, &body);
    let (code, text) = envelope::render(&result);
    tracing::debug!(%method, path = %path, error_code = code, "tencent request");
    let mut response = json_answer(text);
    if code == codes::NOT_EMULATED {
        crate::mark_not_emulated(&mut response);
    }

    shared.state.record(RecordedRequest {
        method: method.to_string(),
        path,
        query,
        body: String::from_utf8_lossy(&body).into_owned(),
        error_code: code,
        received_at_ms: arrival.received_at_ms,
        fault: arrival.fault,
    });
    response
}

fn process(
    shared: &Shared,
    method: &Method,
    path: &str,
    query: &[(String, String)],
    body: &[u8],
) -> OpResult {
    if method != Method::POST {
        return Err(Fail::new(
            codes::HTTP_PARSE_ERROR,
            format!("the REST API only supports POST, not {method}"),
        ));
    }
    // The caller signs its UserSig with its real clock: the sig is checked against real time,
    // the operations read the state's clock.
    auth::check(&shared.app, &shared.key, query, now())?;
    let op = resolve(path)?;
    let body = parse_body(body)?;
    let ctx = Ctx {
        admin: &shared.app.admin,
        now: shared.state.clock().now_secs(),
    };
    let mut inner = shared.state.lock();
    let result = op(&mut inner, &ctx, &body);
    let events = std::mem::take(&mut inner.outbox);
    drop(inner);
    if result.is_ok() && !events.is_empty() {
        shared.state.hub().tencent(shared.app.sdkappid, events);
    }
    result
}

/// The operation of `/v4/{servicename}/{command}`.
fn resolve(path: &str) -> Result<Op, Fail> {
    let unknown = || {
        Fail::new(
            codes::BAD_RESOURCE,
            "wrong request resource: the URL must be /v4/{servicename}/{command} with a known \
             service and command; check the request URL",
        )
    };
    let rest = path.strip_prefix("/v4/").ok_or_else(unknown)?;
    let mut parts = rest.split('/');
    let (Some(service), Some(command), None) = (parts.next(), parts.next(), parts.next()) else {
        return Err(unknown());
    };
    if let Some((_, _, op)) = OPS
        .iter()
        .find(|(s, c, _)| s.eq_ignore_ascii_case(service) && c.eq_ignore_ascii_case(command))
    {
        return Ok(*op);
    }
    if let Some(known) = NOT_EMULATED.iter().find(|known| {
        known.split_once('/').is_some_and(|(s, c)| {
            s.eq_ignore_ascii_case(service) && c.eq_ignore_ascii_case(command)
        })
    }) {
        return Err(Fail::new(
            codes::NOT_EMULATED,
            format!(
                "not emulated: v4/{known} exists at Tencent Cloud IM but imbridge-emulator does \
                 not emulate it (this is not a vendor error code); see docs/emulator.md for the \
                 endpoints it emulates"
            ),
        ));
    }
    Err(unknown())
}

/// The body as a JSON object; the vendor requires at least `{}`.
fn parse_body(body: &[u8]) -> Result<Obj, Fail> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(Fail::new(
            codes::JSON_PARSE_ERROR,
            "the request body is empty; send a JSON object (at least `{}`)",
        ));
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(obj)) => Ok(obj),
        Ok(_) => Err(Fail::new(
            codes::JSON_PARSE_ERROR,
            "the request body must be a JSON object (at least `{}`)",
        )),
        Err(e) => Err(Fail::new(
            codes::JSON_PARSE_ERROR,
            format!("failed to parse the request body as JSON: {e}; check the JSON format"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generate_makes_a_hex_key_and_hides_it() {
        let app = TencentApp::generate();
        assert_eq!(app.sdkappid, 1_400_000_000);
        assert_eq!(app.admin, "administrator");
        assert_eq!(app.secret_key.len(), 64);
        assert!(app.secret_key.bytes().all(|b| b.is_ascii_hexdigit()));
        assert_ne!(app.secret_key, TencentApp::generate().secret_key);
        let dbg = format!("{app:?}");
        assert!(!dbg.contains(&app.secret_key));
        assert!(dbg.contains("[REDACTED]"));
    }

    #[test]
    fn resolve_paths() {
        assert!(resolve("/v4/openim/sendmsg").is_ok());
        assert!(resolve("/v4/Profile/portrait_set").is_ok());
        assert_eq!(
            resolve("/v4/openim/nope").err().map(|f| f.code),
            Some(codes::BAD_RESOURCE)
        );
        assert_eq!(
            resolve("/v4/openim").err().map(|f| f.code),
            Some(codes::BAD_RESOURCE)
        );
        assert_eq!(
            resolve("/v4/openim/sendmsg/x").err().map(|f| f.code),
            Some(codes::BAD_RESOURCE)
        );
    }

    #[test]
    fn the_endpoint_tables_match_the_operations() {
        let ops: Vec<String> = OPS.iter().map(|(s, c, _)| format!("{s}/{c}")).collect();
        assert_eq!(ops, EMULATED);
        for path in NOT_EMULATED {
            assert!(!EMULATED.contains(path), "{path} is in both tables");
            assert_eq!(
                resolve(&format!("/v4/{path}")).err().map(|f| f.code),
                Some(codes::NOT_EMULATED),
                "{path}"
            );
        }
        assert_eq!(
            resolve("/v4/OpenIM/Admin_Set_Msg_Read")
                .err()
                .map(|f| f.code),
            Some(codes::NOT_EMULATED)
        );
    }

    #[test]
    fn bodies() {
        assert_eq!(parse_body(b"").err().map(|f| f.code), Some(60003));
        assert_eq!(parse_body(b" \n").err().map(|f| f.code), Some(60003));
        assert_eq!(parse_body(b"[]").err().map(|f| f.code), Some(60003));
        assert_eq!(parse_body(b"{oops").err().map(|f| f.code), Some(60003));
        assert!(parse_body(b"{}").is_ok());
    }
}
