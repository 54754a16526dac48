//! Hosted groups (profile hosting), members: `/entrust/group/join.json`,
//! `/entrust/group/quit.json`, `/entrust/group/member/kick.json`,
//! `/entrust/group/member/kick/all.json`, `/entrust/group/manager/add.json`,
//! `/entrust/group/manager/remove.json`, `/entrust/group/member/query.json`,
//! `/entrust/group/member/specific/query.json` and `/entrust/group/member/set.json`. See
//! [`super::ops_entrust`] for what the whole family shares.
//!
//! A member's `role` is a number: 1 member, 2 administrator, 3 owner (documented); its `time`
//! is when it joined, in Unix milliseconds.

use serde_json::{Value, json};

use super::Ctx;
use super::form::Form;
use super::ops_entrust::{
    LeaveFlags, group_id, hosted_group, no_hosted_group, profile_fields, role_filter, user_ids,
    user_param,
};
use super::ops_group::{MAX_MEMBERS, group_full};
use super::paging::{descending, page};
use super::reply::{Fail, OpResult, echo};
use super::state::{Inner, RongCloudGroup};

/// The most users of one join, quit, kick or member query request (documented: 100).
const MAX_USERS: usize = 100;
/// The most administrators of a group (documented: 10).
const MAX_MANAGERS: usize = 10;
/// `/entrust/group/member/query.json`: default 50 members per page, at most 100 (documented).
const MEMBERS_DEFAULT_SIZE: usize = 50;
const MEMBERS_MAX_SIZE: usize = 100;
/// The longest member nickname and extra data, in characters (unconfirmed: not documented).
const MAX_NICKNAME_CHARS: usize = 64;
const MAX_EXTRA_CHARS: usize = 1024;

/// `/entrust/group/join.json`: `groupId`, `userIds` (≤100) → the group's profile fields
/// (`groupId`, `name`, `groupProfile`, `groupExtProfile`, `permissions`, `owner`,
/// `createTime`, `memberCount`), as documented. Present members are skipped.
pub(crate) fn join(inner: &mut Inner, ctx: &Ctx<'_>, form: &Form) -> OpResult {
    let id = group_id(form)?;
    let users = user_ids(form, MAX_USERS)?;
    let group = hosted_group(inner, id)?;
    let total = group.members.len() + users.iter().filter(|u| !group.is_member(u)).count();
    if total > MAX_MEMBERS {
        return Err(group_full(id, total));
    }
    for user in &users {
        group.add_member(user, ctx.now_ms);
    }
    let Some(h) = group.hosted.as_ref() else {
        return Err(no_hosted_group(id));
    };
    Ok(profile_fields(group, h))
}

/// Removes `users` (not the owner: 1002, transfer the group first) from the hosted group `id`,
/// with the leave flags; non-members are ignored.
fn leave(inner: &mut Inner, id: &str, users: &[String], flags: &LeaveFlags) -> OpResult {
    let group = hosted_group(inner, id)?;
    if let Some(owner) = group
        .hosted
        .as_ref()
        .map(|h| h.owner.clone())
        .filter(|o| users.contains(o))
    {
        return Err(Fail::param(format!(
            "`{}` owns group `{}` and cannot leave it; transfer the group first \
             (/entrust/group/transfer/owner.json)",
            echo(&owner),
            echo(id)
        )));
    }
    let leaving: Vec<String> = users
        .iter()
        .filter(|u| group.is_member(u))
        .cloned()
        .collect();
    for user in &leaving {
        group.remove_member(user);
    }
    for user in &leaving {
        flags.apply(inner, id, user);
    }
    Ok(Vec::new())
}

/// `/entrust/group/quit.json`: `groupId`, `userIds` (≤100), `isDelBan`, `isDelWhite`,
/// `isDelFollowed` (0/1, default 1).
pub(crate) fn quit(inner: &mut Inner, _ctx: &Ctx<'_>, form: &Form) -> OpResult {
    let id = group_id(form)?;
    let users = user_ids(form, MAX_USERS)?;
    let flags = LeaveFlags::read(form)?;
    leave(inner, id, &users, &flags)
}

/// `/entrust/group/member/kick.json`: `groupId`, `userIds` (≤100), `isDelBan`, `isDelWhite`,
/// `isDelFollowed` (0/1, default 1).
pub(crate) fn kick(inner: &mut Inner, ctx: &Ctx<'_>, form: &Form) -> OpResult {
    quit(inner, ctx, form)
}

/// `/entrust/group/member/kick/all.json`: `userId` leaves every hosted group it is in, except the
/// ones it owns (unconfirmed), with the default leave flags.
pub(crate) fn kick_all(inner: &mut Inner, _ctx: &Ctx<'_>, form: &Form) -> OpResult {
    let user = user_param(form, "userId")?.to_owned();
    let groups: Vec<String> = inner
        .groups
        .values()
        .filter(|g| g.hosted.as_ref().is_some_and(|h| h.owner != user) && g.is_member(&user))
        .map(|g| g.id.clone())
        .collect();
    let flags = LeaveFlags::read(&Form::default())?;
    for id in groups {
        leave(inner, &id, std::slice::from_ref(&user), &flags)?;
    }
    Ok(Vec::new())
}

/// `/entrust/group/manager/add.json`: `groupId`, `userIds`: members become administrators (at
/// most 10 per group: more → 1002, unconfirmed); the owner is skipped. Answers `userIds` [the
/// ids that are not members] when there are any (documented).
pub(crate) fn manager_add(inner: &mut Inner, _ctx: &Ctx<'_>, form: &Form) -> OpResult {
    let id = group_id(form)?;
    let users = user_ids(form, MAX_USERS)?;
    let group = hosted_group(inner, id)?;
    let (members, strangers): (Vec<String>, Vec<String>) =
        users.into_iter().partition(|u| group.is_member(u));
    let Some(h) = group.hosted.as_mut() else {
        return Err(no_hosted_group(id));
    };
    let new: Vec<String> = members
        .into_iter()
        .filter(|u| *u != h.owner && !h.managers.contains(u))
        .collect();
    if h.managers.len() + new.len() > MAX_MANAGERS {
        return Err(Fail::param(format!(
            "a group has at most {MAX_MANAGERS} administrators; group `{}` has {} and {} more \
             were asked for",
            echo(id),
            h.managers.len(),
            new.len()
        )));
    }
    h.managers.extend(new);
    if strangers.is_empty() {
        Ok(Vec::new())
    } else {
        Ok(vec![("userIds", Value::from(strangers))])
    }
}

/// `/entrust/group/manager/remove.json`: `groupId`, `userIds`: these administrators become
/// plain members.
pub(crate) fn manager_remove(inner: &mut Inner, _ctx: &Ctx<'_>, form: &Form) -> OpResult {
    let id = group_id(form)?;
    let users = user_ids(form, MAX_USERS)?;
    let group = hosted_group(inner, id)?;
    if let Some(h) = group.hosted.as_mut() {
        h.managers.retain(|m| !users.contains(m));
    }
    Ok(Vec::new())
}

/// A member as the member queries answer it: `userId`, `nickname`, `role`, `time`, `extra`.
fn member_entry(group: &RongCloudGroup, user: &str) -> Option<Value> {
    let role = group.role(user)?;
    let profile = group
        .hosted
        .as_ref()
        .and_then(|h| h.member_profiles.get(user))
        .cloned()
        .unwrap_or_default();
    Some(json!({
        "userId": user,
        "nickname": profile.nickname,
        "role": role,
        "time": group.joined_at_ms.get(user).copied().unwrap_or(0),
        "extra": profile.extra,
    }))
}

/// `/entrust/group/member/query.json`: `groupId`, `type` (0 all, the default; 1 member; 2
/// administrator; 3 owner), `pageToken`, `size` (default 50, at most 100), `order` (by joining:
/// 0 ascending, 1 descending, the default) → `totalCount` (the members of that type),
/// `pageToken` (`""` on the last page), `members` [{`userId`, `nickname`, `role`, `time`,
/// `extra`}].
pub(crate) fn member_query(inner: &mut Inner, _ctx: &Ctx<'_>, form: &Form) -> OpResult {
    let id = group_id(form)?;
    let kind = role_filter(form, "type")?;
    let desc = descending(form, true)?;
    let group: &RongCloudGroup = hosted_group(inner, id)?;
    let mut members: Vec<(u64, usize, &String)> = group
        .members
        .iter()
        .enumerate()
        .filter(|(_, m)| kind == 0 || group.role(m) == Some(kind))
        .map(|(i, m)| (group.joined_at_ms.get(m).copied().unwrap_or(0), i, m))
        .collect();
    members.sort();
    if desc {
        members.reverse();
    }
    let total = members.len();
    let (members, next) = page(members, form, MEMBERS_DEFAULT_SIZE, MEMBERS_MAX_SIZE)?;
    let members: Vec<Value> = members
        .into_iter()
        .filter_map(|(_, _, m)| member_entry(group, m))
        .collect();
    Ok(vec![
        ("totalCount", Value::from(total)),
        ("pageToken", Value::from(next)),
        ("members", Value::Array(members)),
    ])
}

/// `/entrust/group/member/specific/query.json`: `groupId`, `userIds` (≤100) → `members` [as
/// above] for the ids that are members, in request order.
pub(crate) fn member_specific_query(inner: &mut Inner, _ctx: &Ctx<'_>, form: &Form) -> OpResult {
    let id = group_id(form)?;
    let users = user_ids(form, MAX_USERS)?;
    let group: &RongCloudGroup = hosted_group(inner, id)?;
    let members: Vec<Value> = users
        .iter()
        .filter_map(|u| member_entry(group, u))
        .collect();
    Ok(vec![("members", Value::Array(members))])
}

/// `/entrust/group/member/set.json`: `groupId`, `userId` (a member, else 1002), `nickname`,
/// `extra` (omitted = unchanged).
pub(crate) fn member_set(inner: &mut Inner, _ctx: &Ctx<'_>, form: &Form) -> OpResult {
    let id = group_id(form)?;
    let user = user_param(form, "userId")?;
    let nickname = form.optional("nickname", MAX_NICKNAME_CHARS)?;
    let extra = form.optional("extra", MAX_EXTRA_CHARS)?;
    let group = hosted_group(inner, id)?;
    if !group.is_member(user) {
        return Err(Fail::param(format!(
            "`{}` is not a member of group `{}`",
            echo(user),
            echo(id)
        )));
    }
    let Some(h) = group.hosted.as_mut() else {
        return Err(no_hosted_group(id));
    };
    let profile = h.member_profiles.entry(user.to_owned()).or_default();
    if let Some(nickname) = nickname {
        nickname.clone_into(&mut profile.nickname);
    }
    if let Some(extra) = extra {
        extra.clone_into(&mut profile.extra);
    }
    Ok(Vec::new())
}
