//! Group mutes: members (`/group/user/gag/add.json`, `/group/user/gag/rollback.json`,
//! `/group/user/gag/list.json`), whole groups (`/group/ban/add.json`, `/group/ban/rollback.json`,
//! `/group/ban/query.json`) and the users still allowed to speak in a muted group
//! (`/group/user/ban/whitelist/add.json`, `.../rollback.json`, `.../query.json`).
//!
//! The state is kept for any group id (basic or hosted, existing or not: the vendor does not
//! check, unconfirmed) and survives a dismissal. Messages sent through the Server API are not
//! blocked by any of these mutes: the vendor documents that a muted user's messages sent through
//! the Server API "have a higher permission level and are not restricted by the mute"; the
//! mutes apply to client SDK sends, which the emulator does not serve. Tests read them from the
//! state ([`super::RongCloudState::gags`], [`super::RongCloudState::group_banned`]).

use serde_json::{Value, json};

use super::Ctx;
use super::clock::format_create_time;
use super::form::{Form, id_list, opt_id_list, opt_number, page_window};
use super::ops_group::{MAX_GROUP_ID_CHARS, MAX_USER_ID_BYTES};
use super::reply::{Fail, OpResult};
use super::state::{Inner, RongCloudGag};

/// The most users (or groups) of one mute request (documented: 20).
const MAX_PER_CALL: usize = 20;
/// The longest mute, in minutes (documented: 43200, 30 days).
const MAX_GAG_MINUTES: u64 = 43_200;
/// `/group/ban/query.json` page size: default 50, at most 200 (documented).
const BAN_QUERY_DEFAULT_SIZE: usize = 50;
const BAN_QUERY_MAX_SIZE: usize = 200;

/// The optional `groupId` of a gag call: absent or empty = every group (`""`).
fn gag_group(form: &Form) -> Result<String, Fail> {
    Ok(form
        .optional("groupId", MAX_GROUP_ID_CHARS)?
        .unwrap_or("")
        .trim()
        .to_owned())
}

/// `/group/user/gag/add.json`: `userId` (≤20, repeated or comma-separated), `groupId` (empty =
/// every group the users are in), `minute` (0 to 43200; 0 = permanent, as the vendor's 2021
/// page and its SDKs say). A new mute replaces an earlier one.
pub(crate) fn gag_add(inner: &mut Inner, ctx: &Ctx<'_>, form: &Form) -> OpResult {
    let users = id_list(form, "userId", MAX_PER_CALL, MAX_USER_ID_BYTES)?;
    let group = gag_group(form)?;
    let minute = match opt_number(form, "minute")? {
        Some(m) if m <= MAX_GAG_MINUTES => m,
        Some(m) => {
            return Err(Fail::param(format!(
                "`minute` must be between 0 (permanent) and {MAX_GAG_MINUTES}, not {m}"
            )));
        }
        None => {
            return Err(Fail::param(format!(
                "`minute` is required: the mute's length, 0 (permanent) to {MAX_GAG_MINUTES} \
                 minutes"
            )));
        }
    };
    let end_ms = (minute > 0).then(|| ctx.now_ms.saturating_add(minute.saturating_mul(60_000)));
    for user in users {
        inner.gags.insert(
            (group.clone(), user.clone()),
            RongCloudGag {
                group_id: group.clone(),
                user_id: user,
                start_ms: ctx.now_ms,
                end_ms,
            },
        );
    }
    Ok(Vec::new())
}

/// `/group/user/gag/rollback.json`: `userId` (≤20), `groupId` (empty = the every-group mute).
pub(crate) fn gag_rollback(inner: &mut Inner, _ctx: &Ctx<'_>, form: &Form) -> OpResult {
    let users = id_list(form, "userId", MAX_PER_CALL, MAX_USER_ID_BYTES)?;
    let group = gag_group(form)?;
    for user in users {
        inner.gags.remove(&(group.clone(), user));
    }
    Ok(Vec::new())
}

/// `/group/user/gag/list.json`: `groupId` (empty or absent = the users muted in every group) →
/// `users` [{`userId`, `startTime`, `time`}], times as `YYYY-MM-DD HH:MM:SS` in Beijing time
/// (the vendor's China data centre); `time` is `""` for a permanent mute (unconfirmed). Mutes in
/// force only, by user id. An empty body is accepted (official SDKs send none).
pub(crate) fn gag_list(inner: &mut Inner, ctx: &Ctx<'_>, form: &Form) -> OpResult {
    let group = gag_group(form)?;
    let now = ctx.now_ms;
    inner.gags.retain(|_, g| g.active(now));
    let users: Vec<Value> = inner
        .gags
        .values()
        .filter(|g| g.group_id == group)
        .map(|g| {
            json!({
                "userId": g.user_id,
                "startTime": format_create_time(g.start_ms / 1000),
                "time": g.end_ms.map_or(String::new(), |end| format_create_time(end / 1000)),
            })
        })
        .collect();
    Ok(vec![("users", Value::Array(users))])
}

/// The group ids of a ban call: `groupId` repeated or comma-separated, 1 to 20.
fn ban_groups(form: &Form) -> Result<Vec<String>, Fail> {
    id_list(form, "groupId", MAX_PER_CALL, MAX_GROUP_ID_CHARS)
}

/// `/group/ban/add.json`: `groupId` (≤20): everyone in these groups is muted.
pub(crate) fn ban_add(inner: &mut Inner, _ctx: &Ctx<'_>, form: &Form) -> OpResult {
    for group in ban_groups(form)? {
        inner.banned_groups.insert(group);
    }
    Ok(Vec::new())
}

/// `/group/ban/rollback.json`: `groupId` (≤20).
pub(crate) fn ban_rollback(inner: &mut Inner, _ctx: &Ctx<'_>, form: &Form) -> OpResult {
    for group in ban_groups(form)? {
        inner.banned_groups.remove(&group);
    }
    Ok(Vec::new())
}

/// `/group/ban/query.json` → `groupinfo` [{`groupId`, `stat`}]: with `groupId` (≤20), each of
/// them with `stat` 1 (muted) or 0; with `page` / `size` (default 1 / 50, at most 200) or
/// neither, a page of the muted groups (by id, `stat` 1). `page` or `size` wins over `groupId`
/// (documented). An empty body is accepted.
pub(crate) fn ban_query(inner: &mut Inner, _ctx: &Ctx<'_>, form: &Form) -> OpResult {
    let paged = form.first("page").is_some() || form.first("size").is_some();
    let groups = opt_id_list(form, "groupId", MAX_PER_CALL, MAX_GROUP_ID_CHARS)?;
    let info: Vec<Value> = if groups.is_empty() || paged {
        let (skip, take) = page_window(
            form,
            ("page", "size"),
            BAN_QUERY_DEFAULT_SIZE,
            BAN_QUERY_MAX_SIZE,
        )?;
        inner
            .banned_groups
            .iter()
            .skip(skip)
            .take(take)
            .map(|g| json!({"groupId": g, "stat": 1}))
            .collect()
    } else {
        groups
            .iter()
            .map(|g| json!({"groupId": g, "stat": u8::from(inner.banned_groups.contains(g))}))
            .collect()
    };
    Ok(vec![("groupinfo", Value::Array(info))])
}

/// `/group/user/ban/whitelist/add.json`: `userId` (≤20), `groupId`: these users may still
/// speak while everyone is muted (an individual mute wins, as documented).
pub(crate) fn whitelist_add(inner: &mut Inner, _ctx: &Ctx<'_>, form: &Form) -> OpResult {
    let users = id_list(form, "userId", MAX_PER_CALL, MAX_USER_ID_BYTES)?;
    let group = form.required("groupId", MAX_GROUP_ID_CHARS)?;
    let list = inner.ban_whitelist.entry(group.to_owned()).or_default();
    for user in users {
        if !list.contains(&user) {
            list.push(user);
        }
    }
    Ok(Vec::new())
}

/// `/group/user/ban/whitelist/rollback.json`: `userId` (≤20), `groupId`.
pub(crate) fn whitelist_rollback(inner: &mut Inner, _ctx: &Ctx<'_>, form: &Form) -> OpResult {
    let users = id_list(form, "userId", MAX_PER_CALL, MAX_USER_ID_BYTES)?;
    let group = form.required("groupId", MAX_GROUP_ID_CHARS)?;
    if let Some(list) = inner.ban_whitelist.get_mut(group) {
        list.retain(|u| !users.contains(u));
        if list.is_empty() {
            inner.ban_whitelist.remove(group);
        }
    }
    Ok(Vec::new())
}

/// `/group/user/ban/whitelist/query.json`: `groupId` → `userIds` [ids], in the order added.
pub(crate) fn whitelist_query(inner: &mut Inner, _ctx: &Ctx<'_>, form: &Form) -> OpResult {
    let group = form.required("groupId", MAX_GROUP_ID_CHARS)?;
    let users = inner.ban_whitelist.get(group).cloned().unwrap_or_default();
    Ok(vec![("userIds", Value::from(users))])
}
