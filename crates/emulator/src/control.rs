//! The control API: plain JSON over HTTP under `/_emulator/` on every listener, for tests and
//! tools written in any language. It needs no vendor credentials (the emulator only listens on
//! 127.0.0.1), is never faulted, and is not in the request logs.
//!
//! | request | answer |
//! |---|---|
//! | `GET /_emulator/state` | both vendors' state: `{"tencent":{...},"rongcloud":{...}}` |
//! | `GET /_emulator/requests` | both request logs, UserSigs and signatures masked |
//! | `GET /_emulator/callbacks` | the callbacks attempted so far |
//! | `POST /_emulator/faults` `{"path":P,"fault":F,"times":N}` | the rule added |
//! | `DELETE /_emulator/faults` | `{"cleared":true}` |
//! | `POST /_emulator/reset` | `{"reset":true}`: state, logs and faults cleared |
//! | `POST /_emulator/presence` `{"vendor":V,"user":U,"status":S}` | the presence set |
//! | `GET /_emulator/settings` | the apps' settings: `{"rongcloud_group_hosting":false,"rongcloud_msg_random_dedup":false,"rongcloud_message_storage":false}` |
//! | `POST /_emulator/settings` `{"rongcloud_msg_random_dedup":true}` | the settings after the change |
//! | `GET /_emulator/clock` | the clock: `{"now_ms":N,"now_secs":N,"frozen":B,"offset_ms":N}` |
//! | `POST /_emulator/clock` `{"freeze":true}`, `{"freeze_at_ms":N}`, `{"advance_ms":N}`, `{"offset_ms":N}`, `{"resume":true}` or `{"real_time":true}` | the clock after the change |
//!
//! A malformed request gets HTTP 400 with `{"error":"..."}`; an unknown control path 404 with
//! the same shape. docs/emulator.md has examples of every call.

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use serde_json::{Map, Value, json};

use crate::callbacks::Hub;
use crate::clock::Clock;
use crate::faults::{Fault, FaultRule, Scripted};
use crate::listener::Listener;
use crate::presence::{Presence, Vendor};
use crate::rongcloud::RongCloudState;
use crate::tencent::TencentState;

/// Every control path starts with this.
pub const PREFIX: &str = "/_emulator/";

/// What a masked secret is replaced with in the request log.
pub const MASK: &str = "[REDACTED]";

/// What the control API reaches.
pub(crate) struct ControlApi {
    pub(crate) tencent: TencentState,
    pub(crate) rongcloud: RongCloudState,
    pub(crate) scripted: Arc<Scripted>,
    /// Every listener, the main one first.
    pub(crate) listeners: Arc<Mutex<Vec<Listener>>>,
    pub(crate) hub: Arc<Hub>,
    /// The clock both states read.
    pub(crate) clock: Clock,
}

impl ControlApi {
    fn listeners(&self) -> MutexGuard<'_, Vec<Listener>> {
        self.listeners.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// The control routes.
pub(crate) fn router(api: Arc<ControlApi>) -> Router {
    Router::new()
        .route("/_emulator/state", get(state))
        .route("/_emulator/requests", get(requests))
        .route("/_emulator/callbacks", get(callbacks))
        .route("/_emulator/faults", post(add_fault).delete(clear_faults))
        .route("/_emulator/reset", post(reset))
        .route("/_emulator/presence", post(presence))
        .route("/_emulator/settings", get(settings).post(change_settings))
        .route("/_emulator/clock", get(clock).post(change_clock))
        .route("/_emulator/{*rest}", any(unknown))
        .with_state(api)
}

fn json_reply(status: StatusCode, value: &Value) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        value.to_string(),
    )
        .into_response()
}

fn ok(value: &Value) -> Response {
    json_reply(StatusCode::OK, value)
}

fn bad_request(message: impl Into<String>) -> Response {
    json_reply(StatusCode::BAD_REQUEST, &json!({ "error": message.into() }))
}

async fn unknown(uri: Uri) -> Response {
    json_reply(
        StatusCode::NOT_FOUND,
        &json!({
            "error": format!(
                "`{}` is not a control endpoint; see docs/emulator.md (state, requests, \
                 callbacks, faults, reset, presence, settings, clock)",
                uri.path()
            )
        }),
    )
}

/// Serializes `value`, `null` if it cannot be (it always can for the state records).
fn to_value<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

async fn state(State(api): State<Arc<ControlApi>>) -> Response {
    ok(&json!({
        "tencent": tencent_state(&api.tencent),
        "rongcloud": rongcloud_state(&api.rongcloud),
    }))
}

/// `{users, profiles, groups, members, mutes, mute_all, messages: {c2c, group}, presence,
/// kicked}`: `groups` holds each group's profile, owner, members with their roles, mute-all
/// state and mutes; `mutes` the mutes in force by group (`{group: {account: until}}`, Unix
/// seconds); `mute_all` the groups where everyone is muted.
fn tencent_state(state: &TencentState) -> Value {
    let inner = state.lock();
    let profiles: Map<String, Value> = inner
        .users
        .values()
        .map(|u| (u.id.clone(), to_value(&u.profile)))
        .collect();
    let mut groups: Vec<_> = inner.groups.values().collect();
    groups.sort_by_key(|g| g.order);
    let members: Map<String, Value> = groups
        .iter()
        .map(|g| (g.id.clone(), to_value(&g.members)))
        .collect();
    let presence: Map<String, Value> = inner
        .presence
        .iter()
        .map(|(id, p)| {
            (
                id.clone(),
                json!({"status": p.status, "platform": p.platform}),
            )
        })
        .collect();
    let now = state.clock().now_secs();
    let mutes: Map<String, Value> = groups
        .iter()
        .map(|g| {
            let active: Map<String, Value> = g
                .muted
                .iter()
                .filter(|(_, until)| **until > now)
                .map(|(account, until)| (account.clone(), Value::from(*until)))
                .collect();
            (g.id.clone(), Value::Object(active))
        })
        .filter(|(_, m)| m.as_object().is_some_and(|m| !m.is_empty()))
        .collect();
    let mute_all: Vec<&String> = groups
        .iter()
        .filter(|g| g.mute_all)
        .map(|g| &g.id)
        .collect();
    json!({
        "users": inner.users.values().map(to_value).collect::<Vec<_>>(),
        "profiles": profiles,
        "groups": groups.iter().map(|g| to_value(*g)).collect::<Vec<_>>(),
        "members": members,
        "mutes": mutes,
        "mute_all": mute_all,
        "messages": {
            "c2c": to_value(&inner.c2c),
            "group": to_value(&inner.group_messages),
        },
        "presence": presence,
        "kicked": to_value(&inner.kicked),
    })
}

/// `{group_hosting, msg_random_dedup, users, groups, members, hosted_groups, gags, banned_groups, ban_whitelist,
/// messages: {private, group}, presence, online, blocked, deactivated, token_expiry_ms,
/// operations}`; token values are left out (`tokens_issued` counts them). `hosted_groups` holds
/// each hosted group's owner, profile and `roles` (`{user: 1|2|3}`), `gags` the group mutes in
/// force.
fn rongcloud_state(state: &RongCloudState) -> Value {
    let now_ms = state.clock().now_ms();
    let users: Vec<Value> = state
        .users()
        .iter()
        .map(|u| {
            let mut v = to_value(u);
            if let Value::Object(obj) = &mut v {
                obj.remove("tokens");
                obj.insert("tokens_issued".into(), Value::from(u.tokens.len()));
            }
            v
        })
        .collect();
    let groups = state.groups();
    let members: Map<String, Value> = groups
        .iter()
        .map(|g| (g.id.clone(), to_value(&g.members)))
        .collect();
    let inner = state.lock();
    let online: Vec<&String> = inner
        .presence
        .keys()
        .filter(|id| inner.is_online(id, now_ms))
        .collect();
    let blocked: Vec<Value> = inner
        .blocked
        .iter()
        .filter(|(_, end)| **end > now_ms)
        .map(|(id, end)| {
            json!({
                "userId": id,
                "blockEndTime": crate::rongcloud::format_time(end / 1000),
                "block_end_ms": end,
            })
        })
        .collect();
    let deactivated: Vec<Value> = crate::rongcloud::deactivated_in_order(&inner)
        .into_iter()
        .map(|id| {
            let at = inner.deactivated.get(&id).copied().unwrap_or(0);
            json!({"userId": id, "deactivated_at_ms": at})
        })
        .collect();
    let gags: Vec<Value> = inner
        .gags
        .values()
        .filter(|g| g.active(now_ms))
        .map(to_value)
        .collect();
    let hosted: Vec<Value> = groups
        .iter()
        .filter_map(|g| {
            let h = g.hosted.as_ref()?;
            let roles: Map<String, Value> = g
                .members
                .iter()
                .filter_map(|m| Some((m.clone(), Value::from(g.role(m)?))))
                .collect();
            Some(json!({
                "groupId": g.id,
                "name": g.name,
                "owner": h.owner,
                "creator": h.creator,
                "groupProfile": h.profile,
                "groupExtProfile": h.ext_profile,
                "permissions": h.permissions,
                "roles": roles,
                "created_at_ms": h.created_at_ms,
            }))
        })
        .collect();
    json!({
        "group_hosting": state.group_hosting(),
        "msg_random_dedup": state.msg_random_dedup(),
        "message_storage": state.message_storage(),
        "users": users,
        "groups": to_value(&groups),
        "members": members,
        "hosted_groups": hosted,
        "gags": gags,
        "banned_groups": to_value(&inner.banned_groups),
        "ban_whitelist": to_value(&inner.ban_whitelist),
        "messages": {
            "private": to_value(&inner.private_messages),
            "group": to_value(&inner.group_messages),
            "system": to_value(&inner.system_messages),
        },
        "presence": to_value(&inner.presence),
        "online": online,
        "blocked": blocked,
        "deactivated": deactivated,
        "token_expiry_ms": to_value(&inner.token_expiry_ms),
        "operations": to_value(&inner.operations),
    })
}

async fn requests(State(api): State<Arc<ControlApi>>) -> Response {
    let tencent: Vec<Value> = api
        .tencent
        .requests()
        .into_iter()
        .map(|mut r| {
            for (name, value) in &mut r.query {
                if name.eq_ignore_ascii_case("usersig") {
                    *value = MASK.to_owned();
                }
            }
            to_value(&r)
        })
        .collect();
    let rongcloud: Vec<Value> = api
        .rongcloud
        .requests()
        .into_iter()
        .map(|mut r| {
            if r.signature.is_some() {
                r.signature = Some(MASK.to_owned());
            }
            to_value(&r)
        })
        .collect();
    ok(&json!({ "tencent": tencent, "rongcloud": rongcloud }))
}

async fn callbacks(State(api): State<Arc<ControlApi>>) -> Response {
    let deliveries: Vec<Value> = api
        .hub
        .log()
        .deliveries()
        .into_iter()
        .map(|d| {
            json!({
                "vendor": d.vendor,
                "command": d.command,
                "url": d.url,
                "content_type": d.content_type,
                "body": d.body,
                "status": d.status,
                "reply": d.reply,
                "error": d.error,
            })
        })
        .collect();
    ok(&json!({ "deliveries": deliveries }))
}

/// A JSON object body, or why it is not one (for a 400 answer).
fn object(body: &[u8]) -> Result<Map<String, Value>, String> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(obj)) => Ok(obj),
        Ok(_) => Err("the body must be a JSON object".to_owned()),
        Err(e) => Err(format!("the body is not valid JSON: {e}")),
    }
}

/// Parses a fault spec of the control API:
/// `drop`, `drop_after_processing`, `hang`, `hang_after_processing`, `truncated_body`,
/// `truncated_body_after_processing`, `status:CODE`, `status_after_processing:CODE`,
/// `gateway_page:CODE`, `vendor_code:CODE` or `delay_ms:N`.
pub fn parse_fault(spec: &str) -> Result<Fault, String> {
    let spec = spec.trim();
    let (name, arg) = match spec.split_once(':') {
        Some((name, arg)) => (name.trim(), Some(arg.trim())),
        None => (spec, None),
    };
    let http_status = |arg: Option<&str>| -> Result<u16, String> {
        let arg = arg.ok_or_else(|| format!("`{name}` needs an HTTP status: `{name}:503`"))?;
        match arg.parse::<u16>() {
            Ok(code) if (100..=599).contains(&code) => Ok(code),
            _ => Err(format!(
                "`{arg}` is not an HTTP status (100 to 599) in `{spec}`"
            )),
        }
    };
    let no_arg = |fault: Fault| -> Result<Fault, String> {
        match arg {
            None => Ok(fault),
            Some(_) => Err(format!("`{name}` takes no argument")),
        }
    };
    let after = |fault: Fault| Fault::AfterProcessing(Box::new(fault));
    match name {
        "drop" => no_arg(Fault::DropConnection),
        "drop_after_processing" => no_arg(after(Fault::DropConnection)),
        "hang" => no_arg(Fault::Hang),
        "hang_after_processing" => no_arg(after(Fault::Hang)),
        "truncated_body" => no_arg(Fault::TruncatedBody),
        "truncated_body_after_processing" => no_arg(after(Fault::TruncatedBody)),
        "status" => Ok(Fault::Status(http_status(arg)?)),
        "status_after_processing" => Ok(after(Fault::Status(http_status(arg)?))),
        "gateway_page" => Ok(Fault::GatewayPage(http_status(arg)?)),
        "vendor_code" => {
            let arg = arg.ok_or("`vendor_code` needs a code: `vendor_code:1008`")?;
            arg.parse::<i64>()
                .map(|code| Fault::VendorCode { code })
                .map_err(|_| format!("`{arg}` is not an integer code in `{spec}`"))
        }
        "delay_ms" => {
            let arg = arg.ok_or("`delay_ms` needs milliseconds: `delay_ms:250`")?;
            arg.parse::<u64>()
                .map(|ms| Fault::Delay(Duration::from_millis(ms)))
                .map_err(|_| format!("`{arg}` is not a number of milliseconds in `{spec}`"))
        }
        _ => Err(format!(
            "unknown fault `{spec}`; use drop, drop_after_processing, hang, \
             hang_after_processing, truncated_body, truncated_body_after_processing, \
             status:CODE, status_after_processing:CODE, gateway_page:CODE, vendor_code:CODE \
             or delay_ms:N"
        )),
    }
}

async fn add_fault(State(api): State<Arc<ControlApi>>, body: Bytes) -> Response {
    let obj = match object(&body) {
        Ok(obj) => obj,
        Err(e) => return bad_request(e),
    };
    if let Some(unknown) = obj
        .keys()
        .find(|k| !matches!(k.as_str(), "path" | "fault" | "times"))
    {
        return bad_request(format!(
            "unknown field `{unknown}`; the fields are path, fault and times"
        ));
    }
    let path = match obj.get("path") {
        None | Some(Value::Null) => None,
        Some(Value::String(p)) if p == "*" => None,
        Some(Value::String(p)) if p.starts_with('/') && !p.starts_with(PREFIX) => Some(p.clone()),
        Some(Value::String(p)) => {
            return bad_request(format!(
                "`path` must be a vendor path such as /v4/openim/sendmsg or \
                 /message/private/publish.json (or `*` for every request), not `{p}`"
            ));
        }
        Some(_) => return bad_request("`path` must be a string"),
    };
    let fault = match obj.get("fault") {
        Some(Value::String(spec)) => match parse_fault(spec) {
            Ok(fault) => fault,
            Err(e) => return bad_request(e),
        },
        None | Some(Value::Null) => return bad_request("`fault` is required (a string)"),
        Some(_) => return bad_request("`fault` must be a string such as \"status:503\""),
    };
    let times = match obj.get("times") {
        None | Some(Value::Null) => Some(1),
        Some(Value::String(s)) if s == "forever" => None,
        Some(v) => match v.as_u64().and_then(|n| u32::try_from(n).ok()) {
            Some(n) if n >= 1 => Some(n),
            _ => {
                return bad_request(
                    "`times` must be a positive integer (default 1) or \"forever\"",
                );
            }
        },
    };
    let debug = format!("{fault:?}");
    let spec = obj.get("fault").cloned().unwrap_or(Value::Null);
    let mut rule = match &path {
        Some(p) => FaultRule::path(p.clone(), fault),
        None => FaultRule::any(fault),
    };
    if let Some(n) = times {
        rule = rule.times(n);
    }
    api.scripted.rules.push(rule);
    ok(&json!({
        "path": path.as_deref().unwrap_or("*"),
        "fault": spec,
        "times": times.map_or(Value::from("forever"), Value::from),
        "rule": debug,
    }))
}

async fn clear_faults(State(api): State<Arc<ControlApi>>) -> Response {
    api.scripted.rules.clear();
    for listener in api.listeners().iter() {
        listener.clear_faults();
    }
    ok(&json!({ "cleared": true }))
}

async fn reset(State(api): State<Arc<ControlApi>>) -> Response {
    api.tencent.reset();
    api.rongcloud.reset();
    api.hub.log().clear();
    api.scripted.rules.clear();
    for listener in api.listeners().iter() {
        listener.clear_faults();
        listener.clear_fault();
    }
    ok(&json!({ "reset": true }))
}

async fn presence(State(api): State<Arc<ControlApi>>, body: Bytes) -> Response {
    let obj = match object(&body) {
        Ok(obj) => obj,
        Err(e) => return bad_request(e),
    };
    let text = |key: &str| obj.get(key).and_then(Value::as_str);
    let Some(vendor) = text("vendor").and_then(Vendor::parse) else {
        return bad_request("`vendor` must be \"tencent\" or \"rongcloud\"");
    };
    let Some(user) = text("user").filter(|u| !u.is_empty()) else {
        return bad_request("`user` is required (a non-empty user id)");
    };
    let Some(status) = text("status").and_then(Presence::parse) else {
        return bad_request("`status` must be \"online\", \"offline\" or \"push_online\"");
    };
    let platform = match obj.get("platform") {
        None | Some(Value::Null) => None,
        Some(Value::String(p)) if !p.is_empty() && vendor == Vendor::Tencent => Some(p.as_str()),
        Some(_) => {
            return bad_request(
                "`platform` (Tencent only) must be a non-empty string such as \"iPhone\"",
            );
        }
    };
    match (vendor, platform) {
        (Vendor::Tencent, Some(p)) => api.tencent.set_presence_on(user, status, p),
        (Vendor::Tencent, None) => api.tencent.set_presence(user, status),
        (Vendor::RongCloud, _) => api.rongcloud.set_presence(user, status),
    }
    ok(&json!({ "vendor": vendor, "user": user, "status": status }))
}

/// The apps' settings as the settings endpoints answer them.
fn settings_value(api: &ControlApi) -> Value {
    json!({
        "rongcloud_group_hosting": api.rongcloud.group_hosting(),
        "rongcloud_msg_random_dedup": api.rongcloud.msg_random_dedup(),
        "rongcloud_message_storage": api.rongcloud.message_storage(),
    })
}

/// The settings `POST /_emulator/settings` takes, all booleans.
const SETTINGS: &[&str] = &[
    "rongcloud_group_hosting",
    "rongcloud_msg_random_dedup",
    "rongcloud_message_storage",
];

async fn settings(State(api): State<Arc<ControlApi>>) -> Response {
    ok(&settings_value(&api))
}

async fn change_settings(State(api): State<Arc<ControlApi>>, body: Bytes) -> Response {
    let obj = match object(&body) {
        Ok(obj) => obj,
        Err(e) => return bad_request(e),
    };
    if let Some(unknown) = obj.keys().find(|k| !SETTINGS.contains(&k.as_str())) {
        return bad_request(format!(
            "unknown setting `{unknown}`; the settings are: {}",
            SETTINGS.join(", ")
        ));
    }
    // Check every value before changing anything.
    let mut changes = Vec::with_capacity(obj.len());
    for (key, value) in &obj {
        match value {
            Value::Bool(on) => changes.push((key.as_str(), *on)),
            _ => return bad_request(format!("`{key}` must be true or false")),
        }
    }
    for (key, on) in changes {
        match key {
            "rongcloud_group_hosting" => api.rongcloud.set_group_hosting(on),
            "rongcloud_message_storage" => api.rongcloud.set_message_storage(on),
            _ => api.rongcloud.set_msg_random_dedup(on),
        }
    }
    ok(&settings_value(&api))
}

/// The clock as the clock endpoints answer it.
fn clock_value(clock: &Clock) -> Value {
    let now_ms = clock.now_ms();
    json!({
        "now_ms": now_ms,
        "now_secs": now_ms / 1000,
        "frozen": clock.is_frozen(),
        "offset_ms": clock.offset_ms(),
    })
}

async fn clock(State(api): State<Arc<ControlApi>>) -> Response {
    ok(&clock_value(&api.clock))
}

/// The changes `POST /_emulator/clock` takes; exactly one per request.
const CLOCK_CHANGES: &str = "freeze, freeze_at_ms, advance_ms, offset_ms, resume, real_time";

async fn change_clock(State(api): State<Arc<ControlApi>>, body: Bytes) -> Response {
    let obj = match object(&body) {
        Ok(obj) => obj,
        Err(e) => return bad_request(e),
    };
    let mut entries = obj.iter();
    let (Some((key, value)), None) = (entries.next(), entries.next()) else {
        return bad_request(format!(
            "give exactly one change of the clock: {CLOCK_CHANGES}"
        ));
    };
    let clock = &api.clock;
    match (key.as_str(), value) {
        ("freeze", Value::Bool(true)) => clock.freeze(),
        ("resume", Value::Bool(true)) => clock.resume(),
        ("real_time", Value::Bool(true)) => clock.reset_to_real_time(),
        ("freeze_at_ms", v) => match v.as_u64() {
            Some(ms) => clock.freeze_at_ms(ms),
            None => return bad_request("`freeze_at_ms` must be a Unix time in milliseconds"),
        },
        ("advance_ms", v) => match v.as_u64() {
            Some(ms) => clock.advance(Duration::from_millis(ms)),
            None => {
                return bad_request(
                    "`advance_ms` must be a number of milliseconds (the clock only moves forward)",
                );
            }
        },
        ("offset_ms", v) => match v.as_i64() {
            Some(ms) => clock.set_offset_ms(ms),
            None => return bad_request("`offset_ms` must be an integer number of milliseconds"),
        },
        ("freeze" | "resume" | "real_time", _) => {
            return bad_request(format!("`{key}` takes the value true"));
        }
        _ => {
            return bad_request(format!(
                "unknown clock change `{key}`; use one of: {CLOCK_CHANGES}"
            ));
        }
    }
    ok(&clock_value(clock))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fault_specs() {
        assert_eq!(parse_fault("drop"), Ok(Fault::DropConnection));
        assert_eq!(
            parse_fault("hang_after_processing"),
            Ok(Fault::AfterProcessing(Box::new(Fault::Hang)))
        );
        assert_eq!(parse_fault("status:503"), Ok(Fault::Status(503)));
        assert_eq!(
            parse_fault("vendor_code:-1"),
            Ok(Fault::VendorCode { code: -1 })
        );
        assert_eq!(
            parse_fault("delay_ms:25"),
            Ok(Fault::Delay(Duration::from_millis(25)))
        );
        assert!(parse_fault("status").is_err());
        assert!(parse_fault("status:99").is_err());
        assert!(parse_fault("drop:1").is_err());
        assert!(parse_fault("explode").is_err());
        assert!(parse_fault("delay_ms:x").is_err());
    }
}
