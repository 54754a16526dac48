//! Basic groups: `/group/create.json`, `/group/join.json`, `/group/quit.json`,
//! `/group/dismiss.json`, `/group/refresh.json`, `/group/user/query.json` and
//! `/user/group/query.json`.
//!
//! The vendor does not manage basic groups' business logic: a group is an id, a name for push
//! notifications, and a member list. Members need not be registered users. The store is shared
//! with hosted groups (`/entrust/group/*`, see [`super::ops_entrust`]): these calls see and change
//! a hosted group's members too. Behaviours the vendor does not document, chosen here:
//! - `create` on an existing `groupId` adds the users (skipping present ones) and renames the
//!   group: the older vendor documentation described create as an alias of join (unconfirmed
//!   here);
//! - `join` on an unknown group creates it (same reason);
//! - `quit` of a non-member or from an unknown group, `dismiss` and `refresh` of an unknown group
//!   succeed and change nothing; `/group/user/query.json` of an unknown group answers no users.
//! - a dismissed group's mutes, mute-all state and allowlist stay (the vendor documents this for
//!   the allowlist: "if the group is disbanded and recreated, the exceptions status remains
//!   valid").

use serde_json::{Value, json};

use super::Ctx;
use super::codes;
use super::form::{Form, check_bytes, opt_number, page_window};
use super::reply::{Fail, OpResult, echo};
use super::state::Inner;

/// The most members of a group (documented).
pub(crate) const MAX_MEMBERS: usize = 3000;
/// The most user ids in one call (documented).
const MAX_USERS_PER_CALL: usize = 1000;
/// The longest group id, in characters (documented: 64).
pub(crate) const MAX_GROUP_ID_CHARS: usize = 64;
/// The longest group name, in characters (unconfirmed: not documented for this API).
const MAX_GROUP_NAME_CHARS: usize = 128;
/// The longest user id, in bytes.
pub(crate) const MAX_USER_ID_BYTES: usize = 64;
/// `/user/group/query.json` without `page`: the first 5000 groups (documented).
const USER_GROUPS_UNPAGED: usize = 5000;
/// `/user/group/query.json` page size: default 50, at most 1000 (documented).
const USER_GROUPS_DEFAULT_SIZE: usize = 50;
const USER_GROUPS_MAX_SIZE: usize = 1000;

fn user_ids(form: &Form) -> Result<Vec<String>, Fail> {
    let ids = form.required_list("userId", MAX_USERS_PER_CALL, usize::MAX)?;
    for id in &ids {
        check_bytes("userId", id, MAX_USER_ID_BYTES)?;
    }
    Ok(ids)
}

/// The group-full refusal: HTTP 405 (documented), code 405 (unconfirmed).
pub(crate) fn group_full(group_id: &str, members: usize) -> Fail {
    Fail::new(
        codes::GROUP_FULL,
        format!(
            "group `{}` would have {members} members; a group holds at most {MAX_MEMBERS}",
            echo(group_id),
        ),
    )
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
    let new = users.iter().filter(|u| !present.contains(u)).count();
    if present.len() + new > MAX_MEMBERS {
        return Err(group_full(group_id, present.len() + new));
    }
    let group = inner.group_entry(group_id, name.unwrap_or(""), ctx.now_ms);
    if let Some(name) = name {
        group.name = name.to_owned();
    }
    for user in users {
        group.add_member(user, ctx.now_ms);
    }
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
        for user in &users {
            group.remove_member(user);
        }
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

/// `/user/group/query.json`: `userId`, `page`, `size` → `groups` [{`id`, `name`}], the groups
/// (basic and hosted) the user is in, in creation order. Without `page` (or with `page=0`): the
/// first 5000 (documented); with it, `size` per page (default 50, at most 1000, documented).
pub(crate) fn user_group_query(inner: &mut Inner, _ctx: &Ctx<'_>, form: &Form) -> OpResult {
    let user = form.required("userId", usize::MAX)?;
    check_bytes("userId", user, MAX_USER_ID_BYTES)?;
    let (skip, take) = match opt_number(form, "page")? {
        None | Some(0) => (0, USER_GROUPS_UNPAGED),
        Some(_) => page_window(
            form,
            ("page", "size"),
            USER_GROUPS_DEFAULT_SIZE,
            USER_GROUPS_MAX_SIZE,
        )?,
    };
    let mut groups: Vec<_> = inner
        .groups
        .values()
        .filter(|g| g.is_member(user))
        .collect();
    groups.sort_by_key(|g| g.order);
    let groups: Vec<Value> = groups
        .into_iter()
        .skip(skip)
        .take(take)
        .map(|g| json!({"id": g.id, "name": g.name}))
        .collect();
    Ok(vec![("groups", Value::Array(groups))])
}
