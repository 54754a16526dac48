//! Groups: `/group/create.json`, `/group/join.json`, `/group/quit.json`,
//! `/group/dismiss.json`, `/group/refresh.json`, `/group/user/query.json`.
//!
//! The vendor does not manage group business logic: a group is an id, a name for push
//! notifications, and a member list. Members need not be registered users. Behaviours the vendor
//! does not document, chosen here:
//! - `create` on an existing `groupId` adds the users (skipping present ones) and renames the
//!   group: the older vendor documentation described create as an alias of join (unconfirmed
//!   here);
//! - `join` on an unknown group creates it (same reason);
//! - `quit` of a non-member or from an unknown group, `dismiss` and `refresh` of an unknown group
//!   succeed and change nothing; `/group/user/query.json` of an unknown group answers no users.

use serde_json::{Value, json};

use super::Ctx;
use super::codes;
use super::form::{Form, check_bytes};
use super::reply::{Fail, OpResult, echo};
use super::state::Inner;

/// The most members of a group (documented).
pub(crate) const MAX_MEMBERS: usize = 3000;
/// The most user ids in one call (documented).
const MAX_USERS_PER_CALL: usize = 1000;
/// The longest group id, in characters (documented: 64).
const MAX_GROUP_ID_CHARS: usize = 64;
/// The longest group name, in characters (unconfirmed: not documented for this API).
const MAX_GROUP_NAME_CHARS: usize = 128;
/// The longest user id, in bytes.
const MAX_USER_ID_BYTES: usize = 64;

fn user_ids(form: &Form) -> Result<Vec<String>, Fail> {
    let ids = form.required_list("userId", MAX_USERS_PER_CALL, usize::MAX)?;
    for id in &ids {
        check_bytes("userId", id, MAX_USER_ID_BYTES)?;
    }
    Ok(ids)
}

/// Adds `users` to the group `group_id` (creating it), renaming it when `name` is given.
fn add_members(
    inner: &mut Inner,
    ctx: &Ctx<'_>,
    group_id: &str,
    name: Option<&str>,
    users: &[String],
) -> OpResult {
    let present = inner
        .groups
        .get(group_id)
        .map(|g| g.members.as_slice())
        .unwrap_or_default();
    let new: Vec<&String> = users.iter().filter(|u| !present.contains(u)).collect();
    if present.len() + new.len() > MAX_MEMBERS {
        return Err(Fail::new(
            codes::GROUP_FULL,
            format!(
                "group `{}` would have {} members; a group holds at most {MAX_MEMBERS}",
                echo(group_id),
                present.len() + new.len()
            ),
        ));
    }
    let new: Vec<String> = new.into_iter().cloned().collect();
    let group = inner.group_entry(group_id, name.unwrap_or(""), ctx.now_ms / 1000);
    if let Some(name) = name {
        group.name = name.to_owned();
    }
    group.members.extend(new);
    Ok(Vec::new())
}

/// `/group/create.json`: `userId` (repeated, at most 1000), `groupId`, `groupName`.
pub(crate) fn create(inner: &mut Inner, ctx: &Ctx<'_>, form: &Form) -> OpResult {
    let users = user_ids(form)?;
    let group_id = form.required("groupId", MAX_GROUP_ID_CHARS)?;
    let name = form.required("groupName", MAX_GROUP_NAME_CHARS)?;
    add_members(inner, ctx, group_id, Some(name), &users)
}

/// `/group/join.json`: `userId` (repeated, at most 1000), `groupId`, optional `groupName`
/// (renames the group, as documented).
pub(crate) fn join(inner: &mut Inner, ctx: &Ctx<'_>, form: &Form) -> OpResult {
    let users = user_ids(form)?;
    let group_id = form.required("groupId", MAX_GROUP_ID_CHARS)?;
    let name = form
        .optional("groupName", MAX_GROUP_NAME_CHARS)?
        .filter(|n| !n.is_empty());
    add_members(inner, ctx, group_id, name, &users)
}

/// `/group/quit.json`: `userId` (repeated, at most 1000), `groupId`. The group stays, even empty.
pub(crate) fn quit(inner: &mut Inner, _ctx: &Ctx<'_>, form: &Form) -> OpResult {
    let users = user_ids(form)?;
    let group_id = form.required("groupId", MAX_GROUP_ID_CHARS)?;
    if let Some(group) = inner.groups.get_mut(group_id) {
        group.members.retain(|m| !users.contains(m));
    }
    Ok(Vec::new())
}

/// `/group/dismiss.json`: `userId` (the operator), `groupId`. Messages sent to the group stay in
/// the state's log.
pub(crate) fn dismiss(inner: &mut Inner, _ctx: &Ctx<'_>, form: &Form) -> OpResult {
    let operator = form.required("userId", usize::MAX)?;
    check_bytes("userId", operator, MAX_USER_ID_BYTES)?;
    let group_id = form.required("groupId", MAX_GROUP_ID_CHARS)?;
    inner.groups.remove(group_id);
    Ok(Vec::new())
}

/// `/group/refresh.json`: `groupId`, `groupName`.
pub(crate) fn refresh(inner: &mut Inner, _ctx: &Ctx<'_>, form: &Form) -> OpResult {
    let group_id = form.required("groupId", MAX_GROUP_ID_CHARS)?;
    let name = form.required("groupName", MAX_GROUP_NAME_CHARS)?;
    if let Some(group) = inner.groups.get_mut(group_id) {
        group.name = name.to_owned();
    }
    Ok(Vec::new())
}

/// `/group/user/query.json`: `groupId` → `users` [{`id`}], in joining order.
pub(crate) fn user_query(inner: &mut Inner, _ctx: &Ctx<'_>, form: &Form) -> OpResult {
    let group_id = form.required("groupId", MAX_GROUP_ID_CHARS)?;
    let users: Vec<Value> = inner
        .groups
        .get(group_id)
        .map(|g| g.members.iter().map(|m| json!({ "id": m })).collect())
        .unwrap_or_default();
    Ok(vec![("users", Value::Array(users))])
}
