//! Messages: `openim/sendmsg`, `openim/admin_getroammsg` and `group_open_http_svc/send_group_msg`.
//!
//! De-duplication follows the vendor's documented windows, on the state's clock
//! ([`crate::Clock`]):
//! - one-to-one: "MsgRandom … 后台用于同一秒内的消息去重" (the backend de-duplicates within the
//!   same second) and `MsgSeq` "后台会根据该字段去重及进行同秒内消息的排序" (used for
//!   de-duplication and for ordering within a second; tc-official-java
//!   `SendSingleChatMsgRequest`). A message is a duplicate when one with the same sender,
//!   recipient, `MsgRandom` and `MsgSeq` (both absent counts as the same; the vendor fills an
//!   absent one with a random number, unconfirmed) was accepted in the same Unix second
//!   ([`c2c_duplicate`]); a repeat in a later second is delivered again;
//! - group: "如果5分钟内两条消息的内容和 Random 随机值都相同…后一条消息将被当做重复消息而丢弃"
//!   (doocs `SendGroupMsgRequest`): a message with the same `Random` and the same `MsgBody` in
//!   the same group less than [`GROUP_DEDUP_SECS`] after the original is a duplicate
//!   ([`group_duplicate`]); a different body with the same `Random` is a new message.
//!
//! A duplicate is answered with the original's `MsgKey`/`MsgTime` (group: `MsgSeq`/`MsgTime`),
//! not stored again and not called back (what the vendor answers for a duplicate is
//! unconfirmed).

use serde_json::{Value, json};

use super::Ctx;
use super::codes;
use super::envelope::{Fail, Obj, OpResult};
use super::msgbody;
use super::ops_group::group_mut;
use super::params::{
    field, opt_account, opt_object, opt_str, opt_u64, req_account, req_str, req_u32,
};
use super::state::{C2cMessage, GroupMessage, Inner};

/// How long after a group message a repeat of its `Random` and `MsgBody` is a duplicate, in
/// seconds: 5 minutes (a repeat 300 s later or more is a new message).
pub(crate) const GROUP_DEDUP_SECS: u64 = 300;

/// Whether `m` makes a one-to-one message from `from` to `to` with `random` and `msg_seq`
/// arriving at Unix second `now` a duplicate: same sender, recipient, `MsgRandom` and `MsgSeq`,
/// accepted in the same second.
fn c2c_duplicate(
    m: &C2cMessage,
    from: &str,
    to: &str,
    random: u32,
    msg_seq: Option<u32>,
    now: u64,
) -> bool {
    m.from == from && m.to == to && m.msg_random == random && m.msg_seq == msg_seq && m.time == now
}

/// Whether `m` makes a message to `group_id` with `random` and `body` arriving at Unix second
/// `now` a duplicate: same group, `Random` and `MsgBody`, less than [`GROUP_DEDUP_SECS`] after
/// `m`.
fn group_duplicate(m: &GroupMessage, group_id: &str, random: u32, body: &Value, now: u64) -> bool {
    m.group_id == group_id
        && m.random == random
        && m.msg_body == *body
        && now.saturating_sub(m.time) < GROUP_DEDUP_SECS
}
/// The longest `MsgLifeTime`: 7 days.
const MAX_LIFETIME_SECS: u64 = 604_800;

/// `MsgBody`: missing or not an array → `not_array_code`; bad elements → `bad_code`.
pub(crate) fn msg_body(body: &Obj, not_array_code: i64, bad_code: i64) -> Result<&Value, Fail> {
    let value = field(body, &["MsgBody"]).ok_or_else(|| {
        Fail::new(
            not_array_code,
            "`MsgBody` is required (an array of message elements)",
        )
    })?;
    let elems = value.as_array().ok_or_else(|| {
        Fail::new(
            not_array_code,
            "`MsgBody` must be an array of message elements",
        )
    })?;
    msgbody::validate(elems).map_err(|reason| Fail::new(bad_code, reason))?;
    Ok(value)
}

pub(crate) fn check_size(body: &Value, cloud_custom_data: Option<&str>) -> Result<(), Fail> {
    let size = msgbody::size(body, cloud_custom_data);
    if size > msgbody::MAX_MESSAGE_BYTES {
        return Err(Fail::new(
            codes::MSG_BODY_TOO_LONG,
            format!(
                "the message is {size} bytes long; at most {} bytes (12 KB) are allowed",
                msgbody::MAX_MESSAGE_BYTES
            ),
        ));
    }
    Ok(())
}

fn c2c_answer(m: &C2cMessage) -> Obj {
    let mut out = Obj::new();
    out.insert("MsgTime".into(), Value::from(m.time));
    out.insert("MsgKey".into(), Value::from(m.msg_key.clone()));
    out.insert("MsgId".into(), Value::from(m.msg_id.clone()));
    out
}

/// The fields `sendmsg` and `batchsendmsg` share, checked: `MsgRandom`, `MsgSeq`, `MsgBody`,
/// `From_Account` (imported; the admin when absent), `SyncOtherMachine`, `MsgLifeTime`,
/// `CloudCustomData`, `OfflinePushInfo` and the 12 KB size.
pub(crate) struct C2cSend<'a> {
    pub from: &'a str,
    pub random: u32,
    pub msg_seq: Option<u32>,
    pub msg_body: &'a Value,
    pub sync: Option<u64>,
    pub lifetime: Option<u64>,
    pub cloud: Option<&'a str>,
    pub push: Option<&'a Obj>,
}

/// An optional `MsgSeq`: a uint32.
pub(crate) fn opt_msg_seq(body: &Obj) -> Result<Option<u32>, Fail> {
    opt_u64(body, "MsgSeq", codes::MSG_BAD_FORMAT)?
        .map(|seq| {
            u32::try_from(seq).map_err(|_| {
                Fail::new(
                    codes::MSG_BAD_FORMAT,
                    "`MsgSeq` must be a 32-bit unsigned integer (0 to 4294967295)",
                )
            })
        })
        .transpose()
}

impl<'a> C2cSend<'a> {
    /// Checks the shared fields of `body`, in the vendor's order.
    pub(crate) fn parse(inner: &Inner, ctx: &Ctx<'a>, body: &'a Obj) -> Result<Self, Fail> {
        let random = req_u32(body, "MsgRandom", codes::MSG_BAD_RANDOM)?;
        let msg_seq = opt_msg_seq(body)?;
        let msg_body = msg_body(body, codes::MSG_BODY_NOT_ARRAY, codes::MSG_BAD_BODY)?;
        let from = opt_account(body, "From_Account", codes::MSG_BAD_FROM_ACCOUNT)?;
        let sync = opt_u64(body, "SyncOtherMachine", codes::MSG_BAD_SYNC_OTHER_MACHINE)?;
        if sync.is_some_and(|s| !(1..=2).contains(&s)) {
            return Err(Fail::new(
                codes::MSG_BAD_SYNC_OTHER_MACHINE,
                "`SyncOtherMachine` must be 1 (sync to the sender) or 2 (do not sync)",
            ));
        }
        let lifetime = opt_u64(body, "MsgLifeTime", codes::MSG_LIFETIME_NOT_INTEGER)?;
        if lifetime.is_some_and(|l| l > MAX_LIFETIME_SECS) {
            return Err(Fail::new(
                codes::MSG_LIFETIME_TOO_LONG,
                format!("`MsgLifeTime` must be at most {MAX_LIFETIME_SECS} seconds (7 days)"),
            ));
        }
        let cloud = opt_str(body, "CloudCustomData", codes::MSG_BAD_FORMAT)?;
        let push = opt_object(body, "OfflinePushInfo", codes::MSG_BAD_OFFLINE_PUSH_INFO)?;
        check_size(msg_body, cloud)?;
        let from = from.unwrap_or(ctx.admin);
        if !ctx.exists(inner, from) {
            return Err(Fail::new(
                codes::MSG_BAD_FROM_ACCOUNT,
                format!("`From_Account` `{from}` has not been imported"),
            ));
        }
        Ok(C2cSend {
            from,
            random,
            msg_seq,
            msg_body,
            sync,
            lifetime,
            cloud,
            push,
        })
    }

    /// The message to `to` with the app-wide `seq` at Unix second `time`; its `MsgKey` is
    /// `{random}_{seq}_{time}`.
    pub(crate) fn message(&self, to: &str, seq: u64, time: u64) -> C2cMessage {
        let random = self.random;
        C2cMessage {
            from: self.from.to_owned(),
            to: to.to_owned(),
            msg_random: random,
            msg_seq: self.msg_seq,
            msg_body: self.msg_body.clone(),
            msg_key: format!("{random}_{seq}_{time}"),
            msg_id: format!("{seq}-{time}-{random}"),
            time,
            seq,
            sync_other_machine: self.sync.unwrap_or(1),
            msg_lifetime: self.lifetime,
            cloud_custom_data: self.cloud.map(str::to_owned),
            offline_push_info: self.push.map(|p| Value::Object(p.clone())),
            recalled: false,
        }
    }
}

/// `sendmsg`: `To_Account`, `MsgRandom`, `MsgBody` required; `From_Account`, `MsgSeq`,
/// `SyncOtherMachine`, `MsgLifeTime`, `CloudCustomData`, `OfflinePushInfo` optional →
/// `MsgTime`, `MsgKey`, `MsgId`.
pub(crate) fn sendmsg(inner: &mut Inner, ctx: &Ctx<'_>, body: &Obj) -> OpResult {
    let to = req_account(body, &["To_Account"], codes::MSG_TO_ACCOUNT_MISSING)?;
    let send = C2cSend::parse(inner, ctx, body)?;
    if !ctx.exists(inner, to) {
        return Err(Fail::new(
            codes::MSG_TO_ACCOUNT_NOT_FOUND,
            format!("`To_Account` `{to}` has not been imported; import it or check the spelling"),
        ));
    }

    if let Some(original) = inner
        .c2c
        .iter()
        .rev()
        .find(|m| c2c_duplicate(m, send.from, to, send.random, send.msg_seq, ctx.now))
    {
        return Ok(c2c_answer(original));
    }

    inner.c2c_seq += 1;
    let message = send.message(to, inner.c2c_seq, ctx.now);
    let out = c2c_answer(&message);
    let mut event = json!({
        "From_Account": message.from,
        "To_Account": message.to,
        "MsgSeq": message.seq,
        "MsgRandom": message.msg_random,
        "MsgTime": message.time,
        "MsgKey": message.msg_key,
        // A message with `MsgLifeTime` 0 is delivered to online users only.
        "OnlineOnlyFlag": u8::from(message.msg_lifetime == Some(0)),
        "SendMsgResult": 0,
        "ErrorInfo": "send msg succeed",
        "UnreadMsgNum": 0,
        "MsgBody": message.msg_body,
    });
    if let Some(cloud) = &message.cloud_custom_data {
        event["CloudCustomData"] = Value::from(cloud.clone());
    }
    inner.raise("C2C.CallbackAfterSendMsg", event);
    inner.c2c.push(message);
    Ok(out)
}

/// `send_group_msg`: `GroupId`, `Random`, `MsgBody` required; `From_Account` (a member),
/// `CloudCustomData`, `OnlineOnlyFlag`, `MsgPriority`, `OfflinePushInfo` optional →
/// `MsgTime`, `MsgSeq`.
pub(crate) fn send_group_msg(inner: &mut Inner, ctx: &Ctx<'_>, body: &Obj) -> OpResult {
    let bad = codes::GROUP_BAD_PARAMETER;
    let group_id = req_str(body, "GroupId", bad)?;
    let random = req_u32(body, "Random", bad)?;
    let msg_body = msg_body(body, bad, bad)?;
    let from = opt_account(body, "From_Account", bad)?;
    let cloud = opt_str(body, "CloudCustomData", bad)?;
    let online_only = opt_u64(body, "OnlineOnlyFlag", bad)?.unwrap_or(0) == 1;
    let priority = opt_str(body, "MsgPriority", bad)?;
    let push = opt_object(body, "OfflinePushInfo", bad)?;
    let at_info = super::params::opt_array(body, "GroupAtInfo", bad)?;
    check_size(msg_body, cloud)?;

    let sender_exists = from.is_none_or(|f| ctx.exists(inner, f));
    let group = group_mut(inner, group_id)?;
    if let Some(from) = from {
        if !sender_exists {
            return Err(Fail::new(
                codes::GROUP_ACCOUNT_NOT_FOUND,
                format!("`From_Account` `{from}` has not been imported"),
            ));
        }
        let Some(member) = group.member(from) else {
            return Err(Fail::new(
                codes::GROUP_PERMISSION_DENIED,
                format!("`From_Account` `{from}` is not a member of the group `{group_id}`"),
            ));
        };
        if let Some(until) = group.muted_until(from, ctx.now) {
            return Err(Fail::new(
                codes::GROUP_MUTED,
                format!(
                    "`From_Account` `{from}` is muted in the group `{group_id}` until {until} \
                     (Unix seconds) and cannot send messages"
                ),
            ));
        }
        if group.mute_all && member.role == "Member" {
            return Err(Fail::new(
                codes::GROUP_MUTED,
                format!(
                    "everyone is muted in the group `{group_id}` (MuteAllMember is On): only \
                     the owner and admins can send, and `{from}` is a plain member"
                ),
            ));
        }
    }
    let from = from.unwrap_or(ctx.admin);

    if let Some(original) = inner
        .group_messages
        .iter()
        .rev()
        .find(|m| group_duplicate(m, group_id, random, msg_body, ctx.now))
    {
        let mut out = Obj::new();
        out.insert("MsgTime".into(), Value::from(original.time));
        out.insert("MsgSeq".into(), Value::from(original.seq));
        return Ok(out);
    }

    let group = group_mut(inner, group_id)?;
    let seq = group.next_msg_seq;
    group.next_msg_seq += 1;
    group.last_msg_time = ctx.now;
    if let Some(member) = group.members.iter_mut().find(|m| m.account == from) {
        member.last_send_msg_time = ctx.now;
    }
    let mut event = json!({
        "GroupId": group_id,
        "Type": group.group_type,
        "From_Account": from,
        "Operator_Account": ctx.admin,
        "Random": random,
        "MsgSeq": seq,
        "MsgTime": ctx.now,
        "OnlineOnlyFlag": u8::from(online_only),
        "MsgBody": msg_body,
    });
    if let Some(cloud) = cloud {
        event["CloudCustomData"] = Value::from(cloud);
    }
    inner.raise("Group.CallbackAfterSendMsg", event);
    inner.group_messages.push(GroupMessage {
        group_id: group_id.to_owned(),
        from: from.to_owned(),
        random,
        msg_body: msg_body.clone(),
        seq,
        time: ctx.now,
        cloud_custom_data: cloud.map(str::to_owned),
        online_only,
        msg_priority: priority.map(str::to_owned),
        group_at_info: at_info.map(|a| Value::Array(a.clone())),
        offline_push_info: push.map(|p| Value::Object(p.clone())),
        recalled: false,
    });
    let mut out = Obj::new();
    out.insert("MsgTime".into(), Value::from(ctx.now));
    out.insert("MsgSeq".into(), Value::from(seq));
    Ok(out)
}

/// The seq of a `MsgKey` (`{random}_{seq}_{time}`).
fn key_seq(key: &str) -> Option<u64> {
    let mut parts = key.split('_');
    let (Some(r), Some(seq), Some(t), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    r.parse::<u64>().ok()?;
    t.parse::<u64>().ok()?;
    seq.parse().ok()
}

/// `admin_getroammsg`: `Operator_Account`, `Peer_Account`, `MaxCnt`, `MinTime`, `MaxTime`,
/// `LastMsgKey` → `Complete`, `MsgCnt`, `LastMsgTime`, `LastMsgKey`, `MsgList` (newest first).
pub(crate) fn admin_getroammsg(inner: &mut Inner, ctx: &Ctx<'_>, body: &Obj) -> OpResult {
    let operator = req_account(body, &["Operator_Account"], codes::MSG_BAD_FROM_ACCOUNT)?;
    let peer = req_account(body, &["Peer_Account"], codes::MSG_BAD_FORMAT)?;
    let required = |key: &str| {
        opt_u64(body, key, codes::MSG_BAD_FORMAT)?.ok_or_else(|| {
            Fail::new(
                codes::MSG_BAD_FORMAT,
                format!("`{key}` is required (an integer)"),
            )
        })
    };
    let max_cnt = required("MaxCnt")?;
    let min_time = required("MinTime")?;
    let max_time = required("MaxTime")?;
    let before_seq =
        match opt_str(body, "LastMsgKey", codes::MSG_BAD_MSG_KEY)?.filter(|k| !k.is_empty()) {
            None => None,
            Some(key) => Some(key_seq(key).ok_or_else(|| {
                Fail::new(
                    codes::MSG_BAD_MSG_KEY,
                    format!("`LastMsgKey` `{key}` is not a MsgKey this server answered"),
                )
            })?),
        };
    if !ctx.exists(inner, operator) {
        return Err(Fail::new(
            codes::MSG_BAD_FROM_ACCOUNT,
            format!("`Operator_Account` `{operator}` has not been imported"),
        ));
    }
    if !ctx.exists(inner, peer) {
        return Err(Fail::new(
            codes::MSG_TO_ACCOUNT_NOT_FOUND,
            format!("`Peer_Account` `{peer}` has not been imported"),
        ));
    }

    let mut matching: Vec<&C2cMessage> = inner
        .c2c
        .iter()
        .filter(|m| (m.from == operator && m.to == peer) || (m.from == peer && m.to == operator))
        .filter(|m| m.time >= min_time && m.time <= max_time)
        .filter(|m| before_seq.is_none_or(|s| m.seq < s))
        .collect();
    matching.sort_by_key(|m| std::cmp::Reverse((m.time, m.seq)));
    let take = usize::try_from(max_cnt).unwrap_or(usize::MAX);
    let complete = matching.len() <= take;
    matching.truncate(take);

    let list: Vec<Value> = matching
        .iter()
        .map(|m| {
            json!({
                "From_Account": m.from,
                "To_Account": m.to,
                "MsgSeq": m.seq,
                "MsgRandom": m.msg_random,
                "MsgTimeStamp": m.time,
                // "该条消息的属性，0表示正常消息，8表示被撤回的消息" (doocs `RoamMsgListItem`).
                "MsgFlagBits": if m.recalled { 8 } else { 0 },
                "MsgKey": m.msg_key,
                "MsgId": m.msg_id,
                "MsgBody": m.msg_body,
                "CloudCustomData": m.cloud_custom_data.clone().unwrap_or_default(),
            })
        })
        .collect();
    let last = matching.last();
    let mut out = Obj::new();
    out.insert("Complete".into(), Value::from(u8::from(complete)));
    out.insert("MsgCnt".into(), Value::from(list.len()));
    out.insert(
        "LastMsgTime".into(),
        Value::from(last.map_or(0, |m| m.time)),
    );
    out.insert(
        "LastMsgKey".into(),
        Value::from(last.map_or(String::new(), |m| m.msg_key.clone())),
    );
    out.insert("MsgList".into(), Value::Array(list));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c2c(from: &str, to: &str, random: u32, msg_seq: Option<u32>, time: u64) -> C2cMessage {
        C2cMessage {
            from: from.into(),
            to: to.into(),
            msg_random: random,
            msg_seq,
            msg_body: json!([]),
            msg_key: String::new(),
            msg_id: String::new(),
            time,
            seq: 1,
            sync_other_machine: 1,
            msg_lifetime: None,
            cloud_custom_data: None,
            offline_push_info: None,
            recalled: false,
        }
    }

    #[test]
    fn c2c_duplicates_are_the_same_second_only() {
        let m = c2c("a", "b", 7, None, 1_000);
        assert!(c2c_duplicate(&m, "a", "b", 7, None, 1_000));
        assert!(!c2c_duplicate(&m, "a", "b", 7, None, 1_001));
        assert!(!c2c_duplicate(&m, "a", "b", 7, None, 999));
        assert!(!c2c_duplicate(&m, "a", "b", 8, None, 1_000));
        assert!(!c2c_duplicate(&m, "b", "a", 7, None, 1_000));
        assert!(!c2c_duplicate(&m, "a", "c", 7, None, 1_000));
        assert!(!c2c_duplicate(&m, "a", "b", 7, Some(1), 1_000));
        let m = c2c("a", "b", 7, Some(5), 1_000);
        assert!(c2c_duplicate(&m, "a", "b", 7, Some(5), 1_000));
        assert!(!c2c_duplicate(&m, "a", "b", 7, Some(6), 1_000));
        assert!(!c2c_duplicate(&m, "a", "b", 7, None, 1_000));
    }

    #[test]
    fn group_duplicates_need_the_same_body_within_five_minutes() {
        let body = json!([{"MsgType": "TIMTextElem", "MsgContent": {"Text": "hi"}}]);
        let m = GroupMessage {
            group_id: "g".into(),
            from: "a".into(),
            random: 7,
            msg_body: body.clone(),
            seq: 1,
            time: 1_000,
            cloud_custom_data: None,
            online_only: false,
            msg_priority: None,
            group_at_info: None,
            offline_push_info: None,
            recalled: false,
        };
        assert!(group_duplicate(&m, "g", 7, &body, 1_000));
        assert!(group_duplicate(&m, "g", 7, &body, 1_299));
        assert!(!group_duplicate(&m, "g", 7, &body, 1_300));
        assert!(!group_duplicate(&m, "g", 8, &body, 1_000));
        assert!(!group_duplicate(&m, "h", 7, &body, 1_000));
        let other = json!([{"MsgType": "TIMTextElem", "MsgContent": {"Text": "ho"}}]);
        assert!(!group_duplicate(&m, "g", 7, &other, 1_000));
    }

    #[test]
    fn msg_keys() {
        assert_eq!(key_seq("123_7_1700000000"), Some(7));
        assert_eq!(key_seq("123_7"), None);
        assert_eq!(key_seq("a_7_1"), None);
        assert_eq!(key_seq("1_2_3_4"), None);
    }
}
