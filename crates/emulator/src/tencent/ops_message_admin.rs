//! Message administration beyond sending one message: `openim/batchsendmsg`,
//! `openim/admin_msgwithdraw`, `openim/importmsg`, `group_open_http_svc/group_msg_recall`,
//! `group_open_http_svc/group_msg_get_simple` and `group_open_http_svc/import_group_msg`.
//!
//! Recalls only mark the stored message (`recalled`): `admin_getroammsg` then answers it with
//! `MsgFlagBits` 8 ("8表示被撤回的消息") and `group_msg_get_simple` (with `WithRecalledMsg` 1) with `IsPlaceMsg` 2 and
//! an empty `MsgBody`; without `WithRecalledMsg` recalled group messages are left out.
//! Imports and batch sends raise no callbacks (the vendor: "no webhooks are triggered",
//! "不会触发回调").

use serde_json::{Value, json};

use super::Ctx;
use super::codes;
use super::envelope::{Fail, Obj, OpResult};
use super::ops_group::group_mut;
use super::ops_message::{C2cSend, check_size, msg_body, opt_msg_seq};
use super::params::{
    account_value, field, opt_str, opt_u64, req_account, req_array, req_str, req_u32,
};
use super::state::{GroupMessage, Inner};

/// The most recipients of one `batchsendmsg`.
const MAX_BATCH_RECIPIENTS: usize = 500;
/// The most `MsgSeq`s one `group_msg_recall` takes.
const MAX_RECALL_SEQS: usize = 10;
/// The most messages one `group_msg_get_simple` answers.
const MAX_GROUP_HISTORY: u64 = 20;
/// The most messages one `import_group_msg` takes ("一次最多导入7条").
const MAX_GROUP_IMPORT: usize = 7;

/// A checked `MsgBody`: missing or not an array → `not_array`; bad elements → `bad`; longer
/// than 12 KB with `CloudCustomData` → 80002.
fn checked_body<'a>(
    body: &'a Obj,
    cloud: Option<&str>,
    not_array: i64,
    bad: i64,
) -> Result<&'a Value, Fail> {
    let value = msg_body(body, not_array, bad)?;
    check_size(value, cloud)?;
    Ok(value)
}

/// Checks that `from` (90008 when not) and `to` (`to_code` when not) are imported.
fn both_imported(
    inner: &Inner,
    ctx: &Ctx<'_>,
    from: &str,
    to: &str,
    to_code: i64,
) -> Result<(), Fail> {
    if !ctx.exists(inner, from) {
        return Err(Fail::new(
            codes::MSG_BAD_FROM_ACCOUNT,
            format!("`From_Account` `{from}` has not been imported"),
        ));
    }
    if !ctx.exists(inner, to) {
        return Err(Fail::new(
            to_code,
            format!("`To_Account` `{to}` has not been imported"),
        ));
    }
    Ok(())
}

/// Whether `key` has the shape of a `MsgKey` (`{random}_{seq}_{time}`, all decimal).
fn is_msg_key(key: &str) -> bool {
    let parts: Vec<&str> = key.split('_').collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

/// `batchsendmsg`: `To_Account` [≤500], `MsgRandom`, `MsgBody` required; `From_Account`,
/// `MsgSeq`, `SyncOtherMachine`, `MsgLifeTime`, `CloudCustomData`, `OfflinePushInfo` optional
/// → `MsgKey`, `MsgId`, and `ErrorList` [{`To_Account`, `ErrorCode`}] when some recipients were
/// not imported (`ErrorCode` 90012, unconfirmed use). Every delivered copy shares the
/// `MsgKey`; no de-duplication (the vendor documents none) and no callbacks.
pub(crate) fn batchsendmsg(inner: &mut Inner, ctx: &Ctx<'_>, body: &Obj) -> OpResult {
    let to_list = match field(body, &["To_Account"]) {
        Some(Value::Array(list)) if !list.is_empty() => list,
        _ => {
            return Err(Fail::new(
                codes::MSG_TO_ACCOUNT_MISSING,
                "`To_Account` is required (a non-empty array of UserIDs)",
            ));
        }
    };
    if to_list.len() > MAX_BATCH_RECIPIENTS {
        return Err(Fail::new(
            codes::MSG_TOO_MANY_RECIPIENTS,
            format!(
                "`To_Account` has {} accounts; at most {MAX_BATCH_RECIPIENTS} per request",
                to_list.len()
            ),
        ));
    }
    let to_list: Vec<&str> = to_list
        .iter()
        .map(|v| account_value(v, "To_Account"))
        .collect::<Result<_, _>>()?;
    let send = C2cSend::parse(inner, ctx, body)?;

    inner.c2c_seq += 1;
    let seq = inner.c2c_seq;
    let time = ctx.now;
    let random = send.random;
    let msg_key = format!("{random}_{seq}_{time}");
    let msg_id = format!("{seq}-{time}-{random}");
    let mut errors = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for to in to_list {
        if !seen.insert(to) {
            continue;
        }
        if !ctx.exists(inner, to) {
            errors.push(json!({"To_Account": to, "ErrorCode": codes::MSG_TO_ACCOUNT_NOT_FOUND}));
            continue;
        }
        inner.c2c.push(send.message(to, seq, time));
    }
    let mut out = Obj::new();
    out.insert("MsgKey".into(), Value::from(msg_key));
    out.insert("MsgId".into(), Value::from(msg_id));
    if !errors.is_empty() {
        out.insert("ErrorList".into(), Value::Array(errors));
    }
    Ok(out)
}

/// `admin_msgwithdraw`: `From_Account`, `To_Account`, `MsgKey` → envelope. An unknown message
/// is 20022, one already recalled 20023, a malformed `MsgKey` 90054 (all documented).
pub(crate) fn admin_msgwithdraw(inner: &mut Inner, ctx: &Ctx<'_>, body: &Obj) -> OpResult {
    let from = req_account(body, &["From_Account"], codes::MSG_BAD_FROM_ACCOUNT)?;
    let to = req_account(body, &["To_Account"], codes::MSG_TO_ACCOUNT_MISSING)?;
    let key = req_str(body, "MsgKey", codes::MSG_BAD_MSG_KEY)?;
    if !is_msg_key(key) {
        return Err(Fail::new(
            codes::MSG_BAD_MSG_KEY,
            format!("`MsgKey` `{key}` is not a MsgKey (`{{random}}_{{seq}}_{{time}}`)"),
        ));
    }
    both_imported(inner, ctx, from, to, codes::MSG_TO_ACCOUNT_MISSING)?;
    let Some(message) = inner
        .c2c
        .iter_mut()
        .find(|m| m.from == from && m.to == to && m.msg_key == key)
    else {
        return Err(Fail::new(
            codes::MSG_NOT_FOUND,
            format!("no message from `{from}` to `{to}` has the MsgKey `{key}`"),
        ));
    };
    if message.recalled {
        return Err(Fail::new(
            codes::MSG_ALREADY_RECALLED,
            format!("the message `{key}` has already been recalled"),
        ));
    }
    message.recalled = true;
    Ok(Obj::new())
}

/// `importmsg`: `SyncFromOldSystem` (1 or 2), `From_Account`, `To_Account`, `MsgRandom`,
/// `MsgTimeStamp`, `MsgBody` required; `MsgSeq`, `CloudCustomData` optional → envelope. A
/// message with the same pair of accounts (either direction), `MsgSeq`, `MsgRandom` and
/// `MsgTimeStamp` as a stored one is a duplicate: answered OK, not stored twice.
pub(crate) fn importmsg(inner: &mut Inner, ctx: &Ctx<'_>, body: &Obj) -> OpResult {
    let sync = opt_u64(body, "SyncFromOldSystem", codes::MSG_BAD_FORMAT)?;
    if !sync.is_some_and(|s| (1..=2).contains(&s)) {
        return Err(Fail::new(
            codes::MSG_BAD_FORMAT,
            "`SyncFromOldSystem` is required: 1 (counted as unread) or 2 (not counted)",
        ));
    }
    let from = req_account(body, &["From_Account"], codes::MSG_BAD_FROM_ACCOUNT)?;
    let to = req_account(body, &["To_Account"], codes::MSG_TO_ACCOUNT_MISSING)?;
    let random = req_u32(body, "MsgRandom", codes::MSG_BAD_RANDOM)?;
    let time = opt_u64(body, "MsgTimeStamp", codes::MSG_BAD_FORMAT)?.ok_or_else(|| {
        Fail::new(
            codes::MSG_BAD_FORMAT,
            "`MsgTimeStamp` is required (Unix seconds)",
        )
    })?;
    let msg_seq = opt_msg_seq(body)?;
    let cloud = opt_str(body, "CloudCustomData", codes::MSG_BAD_FORMAT)?;
    let msg_body = checked_body(body, cloud, codes::MSG_BODY_NOT_ARRAY, codes::MSG_BAD_BODY)?;
    both_imported(inner, ctx, from, to, codes::MSG_TO_ACCOUNT_NOT_FOUND)?;
    let duplicate = inner.c2c.iter().any(|m| {
        ((m.from == from && m.to == to) || (m.from == to && m.to == from))
            && m.msg_random == random
            && m.msg_seq == msg_seq
            && m.time == time
    });
    if duplicate {
        return Ok(Obj::new());
    }
    inner.c2c_seq += 1;
    let seq = inner.c2c_seq;
    let import = C2cSend {
        from,
        random,
        msg_seq,
        msg_body,
        sync: Some(2),
        lifetime: None,
        cloud,
        push: None,
    };
    inner.c2c.push(import.message(to, seq, time));
    Ok(Obj::new())
}

/// `group_msg_recall`: `GroupId`, `MsgSeqList` [{`MsgSeq`}] (1 to 10) → `RecallRetList`
/// [{`MsgSeq`, `RetCode`}]: 0 when recalled, 10030 for a seq the group never had or one
/// already recalled.
pub(crate) fn group_msg_recall(inner: &mut Inner, _ctx: &Ctx<'_>, body: &Obj) -> OpResult {
    let bad = codes::GROUP_BAD_PARAMETER;
    let group_id = req_str(body, "GroupId", bad)?;
    let list = req_array(body, "MsgSeqList", bad)?;
    if list.is_empty() || list.len() > MAX_RECALL_SEQS {
        return Err(Fail::new(
            bad,
            format!("`MsgSeqList` must hold 1 to {MAX_RECALL_SEQS} items"),
        ));
    }
    let seqs: Vec<u64> = list
        .iter()
        .map(|item| {
            item.get("MsgSeq").and_then(Value::as_u64).ok_or_else(|| {
                Fail::new(bad, "every `MsgSeqList` item must be {\"MsgSeq\": integer}")
            })
        })
        .collect::<Result<_, _>>()?;
    group_mut(inner, group_id)?;
    let results: Vec<Value> = seqs
        .iter()
        .map(|&seq| {
            let message = inner
                .group_messages
                .iter_mut()
                .find(|m| m.group_id == group_id && m.seq == seq && !m.recalled);
            let code = match message {
                Some(m) => {
                    m.recalled = true;
                    codes::OK
                }
                None => codes::GROUP_MSG_RECALL_FAILED,
            };
            json!({"MsgSeq": seq, "RetCode": code})
        })
        .collect();
    let mut out = Obj::new();
    out.insert("RecallRetList".into(), Value::Array(results));
    Ok(out)
}

/// One `RspMsgList` item.
fn history_item(m: &GroupMessage) -> Value {
    let mut item = json!({
        "From_Account": m.from,
        "IsPlaceMsg": if m.recalled { 2 } else { 0 },
        "MsgBody": if m.recalled { json!([]) } else { m.msg_body.clone() },
        "MsgPriority": m.msg_priority.as_deref().unwrap_or("Normal"),
        "MsgRandom": m.random,
        "MsgSeq": m.seq,
        "MsgTimeStamp": m.time,
    });
    if let Some(cloud) = &m.cloud_custom_data {
        item["CloudCustomData"] = Value::from(cloud.clone());
    }
    item
}

/// `group_msg_get_simple`: `GroupId`, `ReqMsgNumber` (1 to 20) required; `ReqMsgSeq` (the
/// highest seq wanted), `WithRecalledMsg` optional → `GroupId`, `IsFinished` (1 when no older
/// message is left), `RspMsgList` (highest seq first). AVChatRoom groups are refused (10007).
pub(crate) fn group_msg_get_simple(inner: &mut Inner, _ctx: &Ctx<'_>, body: &Obj) -> OpResult {
    let bad = codes::GROUP_BAD_PARAMETER;
    let group_id = req_str(body, "GroupId", bad)?;
    let number = opt_u64(body, "ReqMsgNumber", bad)?
        .filter(|n| (1..=MAX_GROUP_HISTORY).contains(n))
        .ok_or_else(|| {
            Fail::new(
                bad,
                format!("`ReqMsgNumber` is required: 1 to {MAX_GROUP_HISTORY}"),
            )
        })?;
    let below = opt_u64(body, "ReqMsgSeq", bad)?;
    let with_recalled = opt_u64(body, "WithRecalledMsg", bad)? == Some(1);
    let group = group_mut(inner, group_id)?;
    if group.group_type == "AVChatRoom" {
        return Err(Fail::new(
            codes::GROUP_PERMISSION_DENIED,
            "an AVChatRoom group keeps no message history",
        ));
    }
    let mut matching: Vec<&GroupMessage> = inner
        .group_messages
        .iter()
        .filter(|m| m.group_id == group_id)
        .filter(|m| below.is_none_or(|s| m.seq <= s))
        .filter(|m| with_recalled || !m.recalled)
        .collect();
    matching.sort_by_key(|m| std::cmp::Reverse(m.seq));
    let take = usize::try_from(number).unwrap_or(usize::MAX);
    let finished = matching.len() <= take;
    let list: Vec<Value> = matching
        .iter()
        .take(take)
        .map(|m| history_item(m))
        .collect();
    let mut out = Obj::new();
    out.insert("GroupId".into(), Value::from(group_id));
    out.insert("IsFinished".into(), Value::from(u8::from(finished)));
    out.insert("RspMsgList".into(), Value::Array(list));
    Ok(out)
}

/// `import_group_msg`: `GroupId`, `MsgList` [{`From_Account`, `SendTime`, `Random`?,
/// `MsgBody`}] (1 to 7) required; `RecentContactFlag` optional → `ImportMsgResult`
/// [{`MsgSeq`, `MsgTime`, `Result`}]. A message's `SendTime` must be no later than now, no
/// earlier than the group's creation and later than the group's latest message (the vendor:
/// imports go in ascending time order); otherwise its `Result` is 10004 and it is not stored
/// (so importing the same messages again stores no copies). AVChatRoom groups are refused
/// (10007, documented).
pub(crate) fn import_group_msg(inner: &mut Inner, ctx: &Ctx<'_>, body: &Obj) -> OpResult {
    let bad = codes::GROUP_BAD_PARAMETER;
    let group_id = req_str(body, "GroupId", bad)?;
    opt_u64(body, "RecentContactFlag", bad)?;
    let list = req_array(body, "MsgList", bad)?;
    if list.is_empty() || list.len() > MAX_GROUP_IMPORT {
        return Err(Fail::new(
            bad,
            format!("`MsgList` must hold 1 to {MAX_GROUP_IMPORT} messages"),
        ));
    }
    let mut items = Vec::with_capacity(list.len());
    for (i, item) in list.iter().enumerate() {
        let item = item
            .as_object()
            .ok_or_else(|| Fail::new(bad, format!("`MsgList[{i}]` must be an object")))?;
        let from = req_account(item, &["From_Account"], bad)?;
        let time = opt_u64(item, "SendTime", bad)?.ok_or_else(|| {
            Fail::new(
                bad,
                format!("`MsgList[{i}].SendTime` is required (Unix seconds)"),
            )
        })?;
        let random = match field(item, &["Random"]) {
            None => 0,
            Some(_) => req_u32(item, "Random", bad)?,
        };
        let cloud = opt_str(item, "CloudCustomData", bad)?;
        let msg_body = checked_body(item, cloud, bad, bad)?;
        items.push((from, time, random, msg_body, cloud));
    }
    let group = group_mut(inner, group_id)?;
    if group.group_type == "AVChatRoom" {
        return Err(Fail::new(
            codes::GROUP_PERMISSION_DENIED,
            "messages cannot be imported into an AVChatRoom group",
        ));
    }
    let created = group.create_time;
    let mut latest = inner
        .group_messages
        .iter()
        .filter(|m| m.group_id == group_id)
        .map(|m| m.time)
        .max();
    let mut results = Vec::with_capacity(items.len());
    let mut stored = Vec::new();
    for (from, time, random, msg_body, cloud) in items {
        let valid = time <= ctx.now && time >= created && latest.is_none_or(|l| time > l);
        if !valid {
            results
                .push(json!({"MsgSeq": 0, "MsgTime": time, "Result": codes::GROUP_BAD_PARAMETER}));
            continue;
        }
        let group = group_mut(inner, group_id)?;
        let seq = group.next_msg_seq;
        group.next_msg_seq += 1;
        group.last_msg_time = group.last_msg_time.max(time);
        latest = Some(time);
        results.push(json!({"MsgSeq": seq, "MsgTime": time, "Result": codes::OK}));
        stored.push(GroupMessage {
            group_id: group_id.to_owned(),
            from: from.to_owned(),
            random,
            msg_body: msg_body.clone(),
            seq,
            time,
            cloud_custom_data: cloud.map(str::to_owned),
            online_only: false,
            msg_priority: None,
            group_at_info: None,
            offline_push_info: None,
            recalled: false,
        });
    }
    inner.group_messages.extend(stored);
    let mut out = Obj::new();
    out.insert("ImportMsgResult".into(), Value::Array(results));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn msg_key_shapes() {
        assert!(is_msg_key("123_7_1700000000"));
        assert!(!is_msg_key("123_7"));
        assert!(!is_msg_key("a_7_1"));
        assert!(!is_msg_key("1__3"));
        assert!(!is_msg_key("1_2_3_4"));
    }
}
