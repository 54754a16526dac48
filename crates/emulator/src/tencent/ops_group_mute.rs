//! `group_open_http_svc`: muting members (`forbid_send_msg`) and listing the muted members
//! (`get_group_muted_account`, and its earlier name `get_group_shutted_uin`).
//!
//! The vendor renamed the mute fields in 2022 (`ShutUpTime` → `MuteTime`, `ShuttedUinList` →
//! `MutedAccountList`, ...); older official and community SDKs still send and read the earlier
//! names, so both are served. A mute is kept per account: it outlives leaving the group (the
//! vendor: "when muted users leave and then enter the group again, they remain muted"). Work
//! (formerly Private) groups do not support muting members (the vendor's page); they get 10007.

use serde_json::{Value, json};

use super::Ctx;
use super::codes;
use super::envelope::{Fail, Obj, OpResult};
use super::ops_group::{account_list, bad, group_mut};
use super::params::{field, opt_str, req_str};
use super::state::{GroupRecord, Inner};

/// The most accounts muted or unmuted in one request (documented: 500).
const MAX_MUTED_ACCOUNTS: usize = 500;

/// The mute length of a request in seconds: `MuteTime`, or its earlier name `ShutUpTime`
/// (0 = unmute); absent → `None`; not an integer from 0 to 4294967295 → 10004.
pub(crate) fn mute_seconds(body: &Obj) -> Result<Option<u64>, Fail> {
    match field(body, &["MuteTime", "ShutUpTime"]) {
        None => Ok(None),
        Some(v) => v
            .as_u64()
            .filter(|s| u32::try_from(*s).is_ok())
            .map(Some)
            .ok_or_else(|| {
                bad("`MuteTime` (or `ShutUpTime`) must be a number of seconds from 0 to 4294967295")
            }),
    }
}

/// 10007 for a Work group, which does not support muting members.
pub(crate) fn check_mutable(group: &GroupRecord) -> Result<(), Fail> {
    if group.group_type == "Work" {
        return Err(Fail::new(
            codes::GROUP_PERMISSION_DENIED,
            "a Work (Private) group does not support muting members",
        ));
    }
    Ok(())
}

/// Mutes `account` in `group` for `seconds` from `now`; 0 unmutes.
pub(crate) fn set_mute(group: &mut GroupRecord, account: &str, seconds: u64, now: u64) {
    group.muted.retain(|_, until| *until > now);
    if seconds == 0 {
        group.muted.remove(account);
    } else {
        group
            .muted
            .insert(account.to_owned(), now.saturating_add(seconds));
    }
}

/// `forbid_send_msg`: `GroupId`, `Members_Account` [≤500], `MuteTime` (or `ShutUpTime`)
/// seconds, 0 = unmute; `TopicId` is accepted and ignored. Accounts that are not members are
/// ignored (unconfirmed).
pub(crate) fn forbid_send_msg(inner: &mut Inner, ctx: &Ctx<'_>, body: &Obj) -> OpResult {
    let id = req_str(body, "GroupId", codes::GROUP_BAD_PARAMETER)?;
    let accounts = account_list(body, "Members_Account", MAX_MUTED_ACCOUNTS)?;
    let seconds = mute_seconds(body)?
        .ok_or_else(|| bad("`MuteTime` is required: the mute length in seconds, 0 to unmute"))?;
    opt_str(body, "TopicId", codes::GROUP_BAD_PARAMETER)?;
    let group = group_mut(inner, id)?;
    check_mutable(group)?;
    for account in accounts {
        if group.member(account).is_some() {
            set_mute(group, account, seconds, ctx.now);
        }
    }
    Ok(Obj::new())
}

/// The muted members of `GroupId` at `now`, as `list_name` [{`Member_Account`, `until_name`}],
/// after `GroupId`.
fn muted_list(
    inner: &mut Inner,
    ctx: &Ctx<'_>,
    body: &Obj,
    (list_name, until_name): (&str, &str),
) -> OpResult {
    let id = req_str(body, "GroupId", codes::GROUP_BAD_PARAMETER)?;
    opt_str(body, "TopicId", codes::GROUP_BAD_PARAMETER)?;
    let group = group_mut(inner, id)?;
    let list: Vec<Value> = group
        .members
        .iter()
        .filter_map(|m| {
            group
                .muted_until(&m.account, ctx.now)
                .map(|until| json!({"Member_Account": m.account, until_name: until}))
        })
        .collect();
    let mut out = Obj::new();
    out.insert("GroupId".into(), Value::from(id));
    out.insert(list_name.into(), Value::Array(list));
    Ok(out)
}

/// `get_group_muted_account`: `GroupId` → `GroupId`, `MutedAccountList`
/// [{`Member_Account`, `MutedUntil` (Unix seconds)}]: the members muted now, in joining order.
pub(crate) fn get_group_muted_account(inner: &mut Inner, ctx: &Ctx<'_>, body: &Obj) -> OpResult {
    muted_list(inner, ctx, body, ("MutedAccountList", "MutedUntil"))
}

/// `get_group_shutted_uin` (the earlier name of `get_group_muted_account`, still sent by older
/// SDKs): `GroupId` → `GroupId`, `ShuttedUinList` [{`Member_Account`, `ShuttedUntil`}].
pub(crate) fn get_group_shutted_uin(inner: &mut Inner, ctx: &Ctx<'_>, body: &Obj) -> OpResult {
    muted_list(inner, ctx, body, ("ShuttedUinList", "ShuttedUntil"))
}
