//! Messages: `/message/private/publish.json` and `/message/group/publish.json`.
//!
//! What the vendor documents and the emulator does:
//! - the sender and the recipients need not be registered users (the vendor only warns that a
//!   sender without a token shows badly in push notifications), so messages to any user id are
//!   accepted;
//! - the sender of a group message need not be a member ("通过 Server API 非群成员也可以向群组中
//!   发送消息");
//! - `objectName` is at most 32 characters; `content` at most 128 KB; for built-in types (`RC:`
//!   prefix) `content` is a serialized JSON object, and `RC:TxtMsg` needs a string `content`
//!   member. For custom types the vendor says the content "可自定义格式，不限于 JSON", so any
//!   string is accepted.
//!
//! Chosen where undocumented: a group message to a group that does not exist (or has no
//! members) is accepted and stored (unconfirmed). The answer lists one message UID per recipient
//! (private: `messageUIDs` [{`userId`,`messageUID`}]) or per group (group: `messageUIDs`
//! [{`groupId`,`messageUID`}]) after `code` (unconfirmed shape: the documented answer is only
//! `code`).
//!
//! De-duplication: none by default, as at the vendor. The `msgRandom` parameter de-duplicates
//! only when the app's idempotency feature is on (the vendor enables it by a support ticket;
//! [`super::RongCloudState::set_msg_random_dedup`]): "If the msgRandom identifier is repeated
//! within 1 minute, an error code will be returned" (rc-java `MessageModel`). Then a publish
//! whose `msgRandom` equals that of a message accepted less than [`MSG_RANDOM_WINDOW_MS`]
//! before, by either publish path and any sender (the scope is not documented: unconfirmed), is
//! refused with [`codes::MSG_RANDOM_DUPLICATE`] and not delivered; a repeat a minute later or
//! more is delivered again.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::Ctx;
use super::codes;
use super::form::{Form, check_bytes};
use super::reply::{Fail, OpResult};
use super::state::{Inner, RongCloudGroupMessage, RongCloudPrivateMessage};

/// The longest `objectName`, in characters (documented).
const MAX_OBJECT_NAME_CHARS: usize = 32;
/// The largest `content`, in bytes (documented: 128 KB).
const MAX_CONTENT_BYTES: usize = 128 * 1024;
/// The most recipients of one private message (documented).
const MAX_PRIVATE_RECIPIENTS: usize = 1000;
/// The most groups of one group message (documented).
const MAX_GROUPS: usize = 3;
/// The longest user or group id, in bytes.
const MAX_ID_BYTES: usize = 64;

/// How long a `msgRandom` de-duplicates while the idempotency feature is on: 1 minute.
pub(crate) const MSG_RANDOM_WINDOW_MS: u64 = 60_000;

/// With the idempotency feature on, refuses a `msgRandom` that a message accepted less than
/// [`MSG_RANDOM_WINDOW_MS`] ago carried.
fn check_msg_random(inner: &Inner, ctx: &Ctx<'_>, form: &Form) -> Result<(), Fail> {
    if !ctx.msg_random_dedup {
        return Ok(());
    }
    let Some(random) = form.first("msgRandom").filter(|r| !r.is_empty()) else {
        return Ok(());
    };
    let recent = |options: &BTreeMap<String, String>, sent_at_ms: u64| {
        options.get("msgRandom").is_some_and(|r| r == random)
            && ctx.now_ms.saturating_sub(sent_at_ms) < MSG_RANDOM_WINDOW_MS
    };
    let original = inner
        .private_messages
        .iter()
        .filter(|m| recent(&m.options, m.sent_at_ms))
        .map(|m| (m.sent_at_ms, &m.message_uid))
        .chain(
            inner
                .group_messages
                .iter()
                .filter(|m| recent(&m.options, m.sent_at_ms))
                .map(|m| (m.sent_at_ms, &m.message_uid)),
        )
        .max_by_key(|(at, _)| *at);
    match original {
        None => Ok(()),
        Some((at, uid)) => Err(Fail::new(
            codes::MSG_RANDOM_DUPLICATE,
            format!(
                "duplicate message: msgRandom {} was already used {} ms ago (message {uid});                  with the idempotency feature on, a msgRandom may not repeat within 1 minute,                  and the message was not sent again",
                super::reply::echo(random),
                ctx.now_ms.saturating_sub(at)
            ),
        )),
    }
}

/// The optional parameters stored with a message when given.
const OPTIONS: &[&str] = &[
    "pushContent",
    "pushData",
    "pushExt",
    "count",
    "verifyBlacklist",
    "isPersisted",
    "isCounted",
    "isIncludeSender",
    "disablePush",
    "contentAvailable",
    "msgRandom",
    "expansion",
    "extraContent",
    "isMentioned",
    "busChannel",
];

/// `objectName` and `content`, checked.
pub(crate) fn object_and_content(form: &Form) -> Result<(String, String), Fail> {
    let object_name = form.required("objectName", MAX_OBJECT_NAME_CHARS)?;
    let content = form.required("content", usize::MAX)?;
    check_bytes("content", content, MAX_CONTENT_BYTES)?;
    if object_name.starts_with("RC:") {
        let parsed: Value = serde_json::from_str(content).map_err(|e| {
            Fail::param(format!(
                "`content` of a {object_name} message must be a JSON object serialized as a \
                 string: {e}"
            ))
        })?;
        let Some(obj) = parsed.as_object() else {
            return Err(Fail::param(format!(
                "`content` of a {object_name} message must be a JSON object, like {{\"content\":\"hi\"}}"
            )));
        };
        if object_name == "RC:TxtMsg" && !obj.get("content").is_some_and(Value::is_string) {
            return Err(Fail::param(
                "`content` of an RC:TxtMsg message needs a string `content` member, like \
                 {\"content\":\"hi\"}",
            ));
        }
    }
    Ok((object_name.to_owned(), content.to_owned()))
}

pub(crate) fn options(form: &Form) -> BTreeMap<String, String> {
    OPTIONS
        .iter()
        .filter_map(|name| form.first(name).map(|v| ((*name).to_owned(), v.to_owned())))
        .collect()
}

pub(crate) fn ids(form: &Form, name: &str, max: usize) -> Result<Vec<String>, Fail> {
    let ids = form.required_list(name, max, usize::MAX)?;
    for id in &ids {
        check_bytes(name, id, MAX_ID_BYTES)?;
    }
    Ok(ids)
}

/// The form fields of a message-routing callback (`toUserId` is the group id for a group
/// message; `source` is `Server` for messages sent through the Server API).
fn routing(
    from: &str,
    to: &str,
    object_name: &str,
    content: &str,
    channel_type: &str,
    timestamp_ms: u64,
    message_uid: &str,
) -> Vec<(&'static str, String)> {
    vec![
        ("fromUserId", from.to_owned()),
        ("toUserId", to.to_owned()),
        ("objectName", object_name.to_owned()),
        ("content", content.to_owned()),
        ("channelType", channel_type.to_owned()),
        ("msgTimestamp", timestamp_ms.to_string()),
        ("msgUID", message_uid.to_owned()),
        ("source", "Server".to_owned()),
    ]
}

/// `/message/private/publish.json`: `fromUserId`, `toUserId` (repeated, at most 1000),
/// `objectName`, `content`, options.
pub(crate) fn private_publish(inner: &mut Inner, ctx: &Ctx<'_>, form: &Form) -> OpResult {
    let from = form.required("fromUserId", usize::MAX)?;
    check_bytes("fromUserId", from, MAX_ID_BYTES)?;
    let to = ids(form, "toUserId", MAX_PRIVATE_RECIPIENTS)?;
    let (object_name, content) = object_and_content(form)?;
    check_msg_random(inner, ctx, form)?;
    let options = options(form);
    let mut uids = Vec::with_capacity(to.len());
    for recipient in to {
        let message_uid = inner.new_message_uid();
        uids.push(json!({ "userId": recipient, "messageUID": message_uid }));
        inner.outbox.push((
            crate::callbacks::MESSAGE_ROUTING,
            routing(
                from,
                &recipient,
                &object_name,
                &content,
                "PERSON",
                ctx.now_ms,
                &message_uid,
            ),
        ));
        inner.private_messages.push(RongCloudPrivateMessage {
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

/// `/message/group/publish.json`: `fromUserId`, `toGroupId` (repeated, at most 3), optional
/// `toUserId` (targeted members, only with a single group), `objectName`, `content`, options.
pub(crate) fn group_publish(inner: &mut Inner, ctx: &Ctx<'_>, form: &Form) -> OpResult {
    let from = form.required("fromUserId", usize::MAX)?;
    check_bytes("fromUserId", from, MAX_ID_BYTES)?;
    let groups = ids(form, "toGroupId", MAX_GROUPS)?;
    let to_users: Vec<String> = if form.all("toUserId").iter().any(|v| !v.is_empty()) {
        ids(form, "toUserId", usize::MAX)?
    } else {
        Vec::new()
    };
    if !to_users.is_empty() && groups.len() > 1 {
        // The vendor: a targeted message supports only one toGroupId (the code is unconfirmed).
        return Err(Fail::param(format!(
            "a targeted group message (`toUserId`) supports a single `toGroupId`, not {}",
            groups.len()
        )));
    }
    let (object_name, content) = object_and_content(form)?;
    check_msg_random(inner, ctx, form)?;
    let options = options(form);
    let mut uids = Vec::with_capacity(groups.len());
    for group_id in groups {
        let message_uid = inner.new_message_uid();
        uids.push(json!({ "groupId": group_id, "messageUID": message_uid }));
        inner.outbox.push((
            crate::callbacks::MESSAGE_ROUTING,
            routing(
                from,
                &group_id,
                &object_name,
                &content,
                "GROUP",
                ctx.now_ms,
                &message_uid,
            ),
        ));
        inner.group_messages.push(RongCloudGroupMessage {
            from: from.to_owned(),
            group_id,
            to_users: to_users.clone(),
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
