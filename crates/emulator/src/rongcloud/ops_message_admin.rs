//! Messages beyond private and group publish: `/message/system/publish.json`,
//! `/message/recall.json`, and the history queries `/v3/message/private/query.json` and
//! `/v3/message/group/query.json`.
//!
//! - System messages go to the SYSTEM conversation of each recipient (at most 100, documented),
//!   with the same `objectName`/`content` checks as the other publishes; the answer lists one
//!   message UID per recipient (`messageUIDs` [{`userId`, `messageUID`}], unconfirmed shape as
//!   for private publish). No routing callback (unconfirmed).
//! - A recall names the message by `conversationType` (1 private, 3 group, 6 system; chatrooms
//!   and ultra groups are not emulated), `fromUserId` (the SDKs: "只允许撤回用户自己发送的消息",
//!   only one's own messages), `targetId` (the peer or the group) and `messageUID`; `sentTime`
//!   is required (a number) but not compared (whether it must match is unconfirmed). A
//!   message that does not match is refused with 1002 (unconfirmed code); recalling a
//!   recalled message again answers 200 (unconfirmed). The message stays stored, marked
//!   recalled.
//! - The history queries need the app's cloud message storage
//!   ([`super::RongCloudState::set_message_storage`]); off, they answer 1009 "service not
//!   enabled" (the code is unconfirmed for this case). The JSON body has `userId`, `targetId`,
//!   `startTime`, `endTime` (Unix ms), `pageSize` (1 to 100, default 10, from rc-java's
//!   `QueryHistoryMessageModel`) and `includeStart`; numbers and booleans are also accepted as
//!   strings, as rc-go sends them. The window runs from `startTime` to `endTime`: oldest first
//!   when `startTime` ≤ `endTime`, newest first when `startTime` > `endTime` (rc-go's example
//!   queries a window backwards; unconfirmed); `includeStart` false leaves out a message at
//!   exactly `startTime`. Recalled messages are left out (unconfirmed). The answer is
//!   `data` [{`targetId`, `fromUserId`, `messageUID`, `msgTime`, `objectName`, `content`,
//!   `expansion`, `extraContent`, `busChannel`}] (rc-go `HistoryMessage`).

use serde_json::{Map, Value, json};

use super::Ctx;
use super::codes;
use super::form::{Form, check_bytes};
use super::ops_message::{ids, object_and_content, options};
use super::reply::{Fail, OpResult};
use super::state::{Inner, RongCloudPrivateMessage};

/// The most recipients of one system message (documented).
const MAX_SYSTEM_RECIPIENTS: usize = 100;
/// The largest `pageSize` of a history query (rc-java: 1 to 100).
const MAX_PAGE_SIZE: u64 = 100;
/// The `pageSize` of a history query that gives none (rc-java: default 10).
const DEFAULT_PAGE_SIZE: u64 = 10;

/// `/message/system/publish.json`: `fromUserId`, `toUserId` (repeated, at most 100),
/// `objectName`, `content`, options (`pushContent`, `pushData`, `isPersisted`,
/// `contentAvailable`, `disablePush`, `pushExt`, ...) → `messageUIDs` [{`userId`,
/// `messageUID`}].
pub(crate) fn system_publish(inner: &mut Inner, ctx: &Ctx<'_>, form: &Form) -> OpResult {
    let from = form.required("fromUserId", usize::MAX)?;
    check_bytes("fromUserId", from, 64)?;
    let to = ids(form, "toUserId", MAX_SYSTEM_RECIPIENTS)?;
    let (object_name, content) = object_and_content(form)?;
    let options = options(form);
    let mut uids = Vec::with_capacity(to.len());
    for recipient in to {
        let message_uid = inner.new_message_uid();
        uids.push(json!({ "userId": recipient, "messageUID": message_uid }));
        inner.system_messages.push(RongCloudPrivateMessage {
            from: from.to_owned(),
            to: recipient,
            object_name: object_name.clone(),
            content: content.clone(),
            options: options.clone(),
            message_uid,
            sent_at_ms: ctx.now_ms,
            recalled: false,
        });
    }
    Ok(vec![("messageUIDs", Value::Array(uids))])
}

/// `/message/recall.json`: `fromUserId`, `conversationType` (1, 3 or 6), `targetId`,
/// `messageUID`, `sentTime` required; `isAdmin`, `isDelete`, `disablePush`, `extra`,
/// `busChannel` optional → `{code:200}`.
pub(crate) fn recall(inner: &mut Inner, _ctx: &Ctx<'_>, form: &Form) -> OpResult {
    let from = form.required("fromUserId", 64)?;
    let conversation = form.required("conversationType", 2)?;
    let target = form.required("targetId", 64)?;
    let uid = form.required("messageUID", 64)?;
    let sent = form.required("sentTime", 20)?;
    if sent.trim().parse::<u64>().is_err() {
        return Err(Fail::param(
            "`sentTime` must be the message's send time in Unix milliseconds",
        ));
    }
    let found = match conversation.trim() {
        "1" => inner
            .private_messages
            .iter_mut()
            .find(|m| m.message_uid == uid && m.from == from && m.to == target)
            .map(|m| &mut m.recalled),
        "3" => inner
            .group_messages
            .iter_mut()
            .find(|m| m.message_uid == uid && m.from == from && m.group_id == target)
            .map(|m| &mut m.recalled),
        "6" => inner
            .system_messages
            .iter_mut()
            .find(|m| m.message_uid == uid && m.from == from && m.to == target)
            .map(|m| &mut m.recalled),
        other => {
            return Err(Fail::param(format!(
                "`conversationType` {} is not one the emulator recalls in: 1 (private), 3 \
                 (group) or 6 (system)",
                super::reply::echo(other)
            )));
        }
    };
    let Some(recalled) = found else {
        return Err(Fail::param(format!(
            "no message `{}` from `{}` in the conversation (type {}) with `{}`: a user can \
             recall only a message it sent, named by its messageUID",
            super::reply::echo(uid),
            super::reply::echo(from),
            super::reply::echo(conversation),
            super::reply::echo(target)
        )));
    };
    *recalled = true;
    Ok(Vec::new())
}

/// A required string member of a JSON body.
fn json_str<'a>(body: &'a Map<String, Value>, name: &str) -> Result<&'a str, Fail> {
    match body.get(name) {
        Some(Value::String(s)) if !s.is_empty() => Ok(s),
        _ => Err(Fail::param(format!(
            "`{name}` is required (a non-empty string)"
        ))),
    }
}

/// An integer member, given as a number or a string of digits.
fn json_number(body: &Map<String, Value>, name: &str) -> Result<Option<u64>, Fail> {
    match body.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => n
            .as_u64()
            .map(Some)
            .ok_or_else(|| Fail::param(format!("`{name}` must be a non-negative integer"))),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => s
            .trim()
            .parse()
            .map(Some)
            .map_err(|_| Fail::param(format!("`{name}` must be a non-negative integer"))),
        Some(_) => Err(Fail::param(format!(
            "`{name}` must be a non-negative integer"
        ))),
    }
}

/// A boolean member, given as a boolean or the string `true`/`false`.
fn json_bool(body: &Map<String, Value>, name: &str) -> Result<Option<bool>, Fail> {
    match body.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(Value::String(s)) if s == "true" => Ok(Some(true)),
        Some(Value::String(s)) if s == "false" => Ok(Some(false)),
        Some(_) => Err(Fail::param(format!("`{name}` must be true or false"))),
    }
}

/// A checked history query.
struct Query<'a> {
    user: &'a str,
    target: &'a str,
    start: u64,
    end: u64,
    size: usize,
    include_start: bool,
}

fn query<'a>(ctx: &Ctx<'_>, body: &'a Map<String, Value>) -> Result<Query<'a>, Fail> {
    if !ctx.message_storage {
        return Err(Fail::new(
            codes::SERVICE_NOT_ENABLED,
            "service not enabled: the history queries need the app's cloud storage for \
             one-to-one and group messages (a paid feature, off by default); in the emulator, \
             turn it on with `POST /_emulator/settings {\"rongcloud_message_storage\":true}` or \
             `Emulator::set_rongcloud_message_storage(true)`",
        ));
    }
    let user = json_str(body, "userId")?;
    let target = json_str(body, "targetId")?;
    let start = json_number(body, "startTime")?
        .filter(|t| *t > 0)
        .ok_or_else(|| Fail::param("`startTime` is required (Unix milliseconds)"))?;
    let end = json_number(body, "endTime")?
        .filter(|t| *t > 0)
        .ok_or_else(|| Fail::param("`endTime` is required (Unix milliseconds)"))?;
    let size = json_number(body, "pageSize")?.unwrap_or(DEFAULT_PAGE_SIZE);
    if !(1..=MAX_PAGE_SIZE).contains(&size) {
        return Err(Fail::param(format!(
            "`pageSize` must be 1 to {MAX_PAGE_SIZE}"
        )));
    }
    let include_start = json_bool(body, "includeStart")?
        .ok_or_else(|| Fail::param("`includeStart` is required (true or false)"))?;
    Ok(Query {
        user,
        target,
        start,
        end,
        size: usize::try_from(size).unwrap_or(usize::MAX),
        include_start,
    })
}

/// One history item, before ordering: (time, item).
type Item = (u64, Value);

fn item(
    target: &str,
    from: &str,
    uid: &str,
    time: u64,
    object_name: &str,
    content: &str,
    options: &std::collections::BTreeMap<String, String>,
) -> Item {
    let expansion = options.get("expansion").is_some_and(|e| e == "true");
    let mut v = json!({
        "targetId": target,
        "fromUserId": from,
        "messageUID": uid,
        "msgTime": time,
        "objectName": object_name,
        "content": content,
        "expansion": expansion,
        "extraContent": options.get("extraContent").cloned().unwrap_or_default(),
    });
    if let Some(channel) = options.get("busChannel") {
        v["busChannel"] = Value::from(channel.clone());
    }
    (time, v)
}

/// The page of `items` the query selects, in the window's direction.
fn page(q: &Query<'_>, mut items: Vec<Item>) -> OpResult {
    let (low, high) = (q.start.min(q.end), q.start.max(q.end));
    items.retain(|(t, _)| *t >= low && *t <= high && (q.include_start || *t != q.start));
    // A stable sort keeps sending order among messages of the same millisecond.
    if q.start <= q.end {
        items.sort_by_key(|(t, _)| *t);
    } else {
        items.sort_by_key(|(t, _)| std::cmp::Reverse(*t));
    }
    items.truncate(q.size);
    let data: Vec<Value> = items.into_iter().map(|(_, v)| v).collect();
    Ok(vec![("data", Value::Array(data))])
}

/// `/v3/message/private/query.json` (JSON): the one-to-one conversation of `userId` with
/// `targetId`, both directions → `data`.
pub(crate) fn private_query(
    inner: &mut Inner,
    ctx: &Ctx<'_>,
    body: &Map<String, Value>,
) -> OpResult {
    let q = query(ctx, body)?;
    let items = inner
        .private_messages
        .iter()
        .filter(|m| !m.recalled)
        .filter(|m| {
            (m.from == q.user && m.to == q.target) || (m.from == q.target && m.to == q.user)
        })
        .map(|m| {
            item(
                q.target,
                &m.from,
                &m.message_uid,
                m.sent_at_ms,
                &m.object_name,
                &m.content,
                &m.options,
            )
        })
        .collect();
    page(&q, items)
}

/// `/v3/message/group/query.json` (JSON): the messages of the group `targetId` that `userId`
/// sees (a message targeted at some members, `toUserId`, only for them and its sender) →
/// `data`.
pub(crate) fn group_query(inner: &mut Inner, ctx: &Ctx<'_>, body: &Map<String, Value>) -> OpResult {
    let q = query(ctx, body)?;
    let items = inner
        .group_messages
        .iter()
        .filter(|m| !m.recalled && m.group_id == q.target)
        .filter(|m| {
            m.to_users.is_empty() || m.from == q.user || m.to_users.iter().any(|u| u == q.user)
        })
        .map(|m| {
            item(
                &m.group_id,
                &m.from,
                &m.message_uid,
                m.sent_at_ms,
                &m.object_name,
                &m.content,
                &m.options,
            )
        })
        .collect();
    page(&q, items)
}
