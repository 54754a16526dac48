//! Hosted groups (profile hosting, "信息托管"), group level: `/entrust/group/create.json`,
//! `/entrust/group/import.json`, `/entrust/group/profile/update.json`,
//! `/entrust/group/profile/query.json`, `/entrust/group/dismiss.json`,
//! `/entrust/group/transfer/owner.json`, `/entrust/group/query.json` and
//! `/entrust/joined/group/query.json`. Members are in [`super::ops_entrust_member`].
//!
//! The vendor serves these only after profile hosting is enabled by a support ticket; the
//! emulator answers them only while [`super::RongCloudState::group_hosting`] is on (1009 "service
//! not enabled" otherwise, checked before the operation). Paths, parameters and answers follow
//! the vendor's pages and its Go and Java SDKs (rc-go `sdk/entrustgroup.go`, rc-java
//! `methods/profile/EntrustGroup.java`). List parameters (`userIds`, `groupIds`) are accepted
//! comma-separated (as both SDKs send them) or repeated (as the pages show). JSON parameters
//! (`groupProfile`, `permissions`, `groupExtProfile`) are JSON objects in a form field, and are
//! answered as JSON text.
//!
//! Hosted groups live in the same store as basic groups (see [`super::RongCloudGroup`]). Codes
//! the vendor does not document for a situation, chosen here (unconfirmed): 1002 for a group id
//! that names no hosted group, a group id already taken, an owner that would leave, a new owner
//! or member that is not a member; 405 for a group over 3000 members.

use serde_json::{Map, Value, json};

use super::Ctx;
use super::form::{Form, check_bytes, check_chars, id_list, opt_id_list, opt_number};
use super::ops_group::{MAX_GROUP_ID_CHARS, MAX_USER_ID_BYTES};
use super::paging::{descending, page};
use super::reply::{Fail, OpResult, echo};
use super::state::{HostedGroup, Inner, RongCloudGroup};

/// The longest hosted group name, in characters (documented: 64).
pub(crate) const MAX_NAME_CHARS: usize = 64;
/// The most members invited by `/entrust/group/create.json` (documented: 30).
const MAX_CREATE_USERS: usize = 30;
/// The most groups of `/entrust/group/profile/query.json` (documented: 50).
const MAX_PROFILE_QUERY: usize = 50;
/// `groupProfile` keys and their longest values, in characters (documented).
const PROFILE_KEYS: &[(&str, usize)] = &[
    ("introduction", 512),
    ("announcement", 1024),
    ("portraitUrl", 128),
];
/// `permissions` keys and their largest values (documented for the first four; `profilePerm` and
/// `memProfilePerm` unconfirmed).
const PERMISSION_KEYS: &[(&str, u64)] = &[
    ("joinPerm", 3),
    ("removePerm", 2),
    ("memInvitePerm", 2),
    ("invitePerm", 1),
    ("profilePerm", 2),
    ("memProfilePerm", 2),
];
/// `groupExtProfile`: keys `ext_…` of at most 32 characters, values of at most 256, at most 10
/// pairs (documented).
const MAX_EXT_KEY_CHARS: usize = 32;
const MAX_EXT_VALUE_CHARS: usize = 256;
const MAX_EXT_PAIRS: usize = 10;
/// `/entrust/group/query.json`: default 50 groups per page, at most 1000 (documented).
const QUERY_DEFAULT_SIZE: usize = 50;
const QUERY_MAX_SIZE: usize = 1000;
/// `/entrust/joined/group/query.json`: default 50 groups per page, at most 100 (documented).
const JOINED_DEFAULT_SIZE: usize = 50;
const JOINED_MAX_SIZE: usize = 100;

/// The refusal for a group id that names no hosted group (1002, unconfirmed).
pub(crate) fn no_hosted_group(id: &str) -> Fail {
    Fail::param(format!(
        "group `{}` is not a hosted group: create it with /entrust/group/create.json, or import \
         a basic group with /entrust/group/import.json",
        echo(id)
    ))
}

/// The hosted group `id`, whole.
pub(crate) fn hosted_group<'a>(
    inner: &'a mut Inner,
    id: &str,
) -> Result<&'a mut RongCloudGroup, Fail> {
    match inner.groups.get_mut(id) {
        Some(g) if g.hosted.is_some() => Ok(g),
        _ => Err(no_hosted_group(id)),
    }
}

/// The required `groupId`.
pub(crate) fn group_id(form: &Form) -> Result<&str, Fail> {
    form.required("groupId", MAX_GROUP_ID_CHARS)
}

/// A required single user id parameter.
pub(crate) fn user_param<'a>(form: &'a Form, name: &str) -> Result<&'a str, Fail> {
    let id = form.required(name, usize::MAX)?;
    check_bytes(name, id, MAX_USER_ID_BYTES)?;
    Ok(id)
}

/// A JSON-object form parameter; absent or empty → `None`; not a JSON object → 1002.
fn json_param(form: &Form, name: &str) -> Result<Option<Map<String, Value>>, Fail> {
    match form.first(name).map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) => match serde_json::from_str::<Value>(text) {
            Ok(Value::Object(map)) => Ok(Some(map)),
            _ => Err(Fail::param(format!(
                "`{name}` must be a JSON object, like {{\"introduction\":\"...\"}}"
            ))),
        },
    }
}

/// `groupProfile`: known keys only (plus `name` on update), string values within their lengths.
fn group_profile(form: &Form, allow_name: bool) -> Result<Option<Map<String, Value>>, Fail> {
    let Some(map) = json_param(form, "groupProfile")? else {
        return Ok(None);
    };
    for (key, value) in &map {
        let max = match PROFILE_KEYS.iter().find(|(k, _)| k == key) {
            Some((_, max)) => *max,
            None if allow_name && key == "name" => MAX_NAME_CHARS,
            None => {
                return Err(Fail::param(format!(
                    "unknown `groupProfile` key `{}`; use introduction, announcement or \
                     portraitUrl",
                    echo(key)
                )));
            }
        };
        let text = value
            .as_str()
            .ok_or_else(|| Fail::param(format!("`groupProfile.{key}` must be a string")))?;
        check_chars(&format!("groupProfile.{key}"), text, max)?;
    }
    Ok(Some(map))
}

/// `permissions`: known keys only, integer values in their ranges.
fn permissions(form: &Form) -> Result<Option<Map<String, Value>>, Fail> {
    let Some(map) = json_param(form, "permissions")? else {
        return Ok(None);
    };
    for (key, value) in &map {
        let Some((_, max)) = PERMISSION_KEYS.iter().find(|(k, _)| k == key) else {
            return Err(Fail::param(format!(
                "unknown `permissions` key `{}`; use joinPerm, removePerm, memInvitePerm, \
                 invitePerm, profilePerm or memProfilePerm",
                echo(key)
            )));
        };
        if value.as_u64().is_none_or(|v| v > *max) {
            return Err(Fail::param(format!(
                "`permissions.{key}` must be an integer from 0 to {max}"
            )));
        }
    }
    Ok(Some(map))
}

/// `groupExtProfile`: `ext_` keys, string values, at most 10 pairs once merged into `current`.
fn ext_profile(
    form: &Form,
    current: Option<&Map<String, Value>>,
) -> Result<Option<Map<String, Value>>, Fail> {
    let Some(map) = json_param(form, "groupExtProfile")? else {
        return Ok(None);
    };
    for (key, value) in &map {
        if !key.starts_with("ext_") {
            return Err(Fail::param(format!(
                "`groupExtProfile` key `{}` must start with `ext_`",
                echo(key)
            )));
        }
        check_chars("groupExtProfile key", key, MAX_EXT_KEY_CHARS)?;
        let text = value
            .as_str()
            .ok_or_else(|| Fail::param(format!("`groupExtProfile.{key}` must be a string")))?;
        check_chars(&format!("groupExtProfile.{key}"), text, MAX_EXT_VALUE_CHARS)?;
    }
    let merged =
        current.map_or(0, |c| c.keys().filter(|k| !map.contains_key(*k)).count()) + map.len();
    if merged > MAX_EXT_PAIRS {
        return Err(Fail::param(format!(
            "`groupExtProfile` would hold {merged} keys; at most {MAX_EXT_PAIRS} are allowed"
        )));
    }
    Ok(Some(map))
}

/// A JSON object as the JSON text the vendor answers.
pub(crate) fn json_text(map: &Map<String, Value>) -> String {
    serde_json::to_string(map).unwrap_or_else(|_| "{}".to_owned())
}

/// The profile fields of a hosted group, as `/entrust/group/join.json` answers them: `groupId`,
/// `name`, `groupProfile`, `groupExtProfile`, `permissions`, `owner`, `createTime` (ms),
/// `memberCount`.
pub(crate) fn profile_fields(g: &RongCloudGroup, h: &HostedGroup) -> Vec<(&'static str, Value)> {
    vec![
        ("groupId", Value::from(g.id.clone())),
        ("name", Value::from(g.name.clone())),
        ("groupProfile", Value::from(json_text(&h.profile))),
        ("groupExtProfile", Value::from(json_text(&h.ext_profile))),
        ("permissions", Value::from(json_text(&h.permissions))),
        ("owner", Value::from(h.owner.clone())),
        ("createTime", Value::from(h.created_at_ms)),
        ("memberCount", Value::from(g.members.len())),
    ]
}

/// The hosted part of a new or imported group.
fn new_hosted(form: &Form, owner: &str, now_ms: u64) -> Result<HostedGroup, Fail> {
    Ok(HostedGroup {
        owner: owner.to_owned(),
        creator: owner.to_owned(),
        profile: group_profile(form, false)?.unwrap_or_default(),
        ext_profile: ext_profile(form, None)?.unwrap_or_default(),
        permissions: permissions(form)?.unwrap_or_default(),
        created_at_ms: now_ms,
        managers: Vec::new(),
        member_profiles: Default::default(),
    })
}

/// `/entrust/group/create.json`: `groupId` (≤64), `name` (≤64), `owner` (joins as the owner),
/// `userIds` (≤30, join as members), `groupProfile`, `permissions`, `groupExtProfile` →
/// `{code:200}`. A group id already used (hosted or basic) → 1002 (unconfirmed).
pub(crate) fn create(inner: &mut Inner, ctx: &Ctx<'_>, form: &Form) -> OpResult {
    let id = group_id(form)?;
    let name = form.required("name", MAX_NAME_CHARS)?;
    let owner = user_param(form, "owner")?;
    let users = opt_id_list(form, "userIds", MAX_CREATE_USERS, MAX_USER_ID_BYTES)?;
    let hosted = new_hosted(form, owner, ctx.now_ms)?;
    if inner.groups.contains_key(id) {
        return Err(Fail::param(format!(
            "group `{}` already exists; choose another id (or import a basic group with \
             /entrust/group/import.json)",
            echo(id)
        )));
    }
    let group = inner.group_entry(id, name, ctx.now_ms);
    group.add_member(owner, ctx.now_ms);
    for user in &users {
        group.add_member(user, ctx.now_ms);
    }
    group.hosted = Some(hosted);
    Ok(Vec::new())
}

/// `/entrust/group/import.json`: `groupId`, `name`, `owner`, `groupProfile`, `permissions`,
/// `groupExtProfile`: makes a basic group hosted (keeping its members; the owner joins when not
/// a member), or creates it when the id is unknown. A group already hosted → 1002.
pub(crate) fn import(inner: &mut Inner, ctx: &Ctx<'_>, form: &Form) -> OpResult {
    let id = group_id(form)?;
    let name = form.required("name", MAX_NAME_CHARS)?;
    let owner = user_param(form, "owner")?;
    let hosted = new_hosted(form, owner, ctx.now_ms)?;
    if inner.groups.get(id).is_some_and(|g| g.hosted.is_some()) {
        return Err(Fail::param(format!(
            "group `{}` is already a hosted group",
            echo(id)
        )));
    }
    let group = inner.group_entry(id, name, ctx.now_ms);
    name.clone_into(&mut group.name);
    group.add_member(owner, ctx.now_ms);
    group.hosted = Some(hosted);
    Ok(Vec::new())
}

/// `/entrust/group/profile/update.json`: `groupId`, and any of `name` (sent by rc-java),
/// `groupProfile` (may also hold `name`), `permissions`, `groupExtProfile`; given keys replace
/// the stored ones, others stay.
pub(crate) fn profile_update(inner: &mut Inner, _ctx: &Ctx<'_>, form: &Form) -> OpResult {
    let id = group_id(form)?;
    let name = form
        .optional("name", MAX_NAME_CHARS)?
        .filter(|n| !n.is_empty());
    let profile = group_profile(form, true)?;
    let perms = permissions(form)?;
    let group = hosted_group(inner, id)?;
    let current_ext = group.hosted.as_ref().map(|h| &h.ext_profile);
    let ext = ext_profile(form, current_ext)?;
    if let Some(name) = name {
        name.clone_into(&mut group.name);
    }
    let Some(h) = group.hosted.as_mut() else {
        return Err(no_hosted_group(id));
    };
    for (key, value) in profile.into_iter().flatten() {
        if key == "name" {
            group.name = value.as_str().unwrap_or_default().to_owned();
        } else {
            h.profile.insert(key, value);
        }
    }
    h.permissions.extend(perms.into_iter().flatten());
    h.ext_profile.extend(ext.into_iter().flatten());
    Ok(Vec::new())
}

/// `/entrust/group/profile/query.json`: `groupIds` (≤50; comma-separated or repeated; `groupId`
/// repeated as the page's example shows is accepted too) → `profiles` [{`groupId`, `groupName`,
/// `name`, `groupProfile`, `groupExtProfile`, `permissions`, `owner`, `createTime`,
/// `memberCount`}] for the ids that name hosted groups, in request order. The name is given as
/// both `groupName` (the English page, rc-go, rc-java) and `name` (the Chinese page).
pub(crate) fn profile_query(inner: &mut Inner, _ctx: &Ctx<'_>, form: &Form) -> OpResult {
    let mut ids = opt_id_list(form, "groupIds", usize::MAX, MAX_GROUP_ID_CHARS)?;
    for id in opt_id_list(form, "groupId", usize::MAX, MAX_GROUP_ID_CHARS)? {
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    if ids.is_empty() {
        return Err(Fail::param(
            "`groupIds` is required (comma-separated group ids)",
        ));
    }
    if ids.len() > MAX_PROFILE_QUERY {
        return Err(Fail::param(format!(
            "too many `groupIds` values: {} given, at most {MAX_PROFILE_QUERY} are allowed",
            ids.len()
        )));
    }
    let profiles: Vec<Value> = ids
        .iter()
        .filter_map(|id| inner.groups.get(id))
        .filter_map(|g| {
            let h = g.hosted.as_ref()?;
            let mut obj = Map::new();
            for (key, value) in profile_fields(g, h) {
                if key == "name" {
                    obj.insert("groupName".into(), value.clone());
                }
                obj.insert(key.into(), value);
            }
            Some(Value::Object(obj))
        })
        .collect();
    Ok(vec![("profiles", Value::Array(profiles))])
}

/// `/entrust/group/dismiss.json`: `groupId`. The group is gone for both APIs (its mutes and
/// allowlist stay, as for basic groups).
pub(crate) fn dismiss(inner: &mut Inner, _ctx: &Ctx<'_>, form: &Form) -> OpResult {
    let id = group_id(form)?;
    hosted_group(inner, id)?;
    inner.groups.remove(id);
    Ok(Vec::new())
}

/// A 0/1 flag parameter (absent = `default`); anything else → 1002.
pub(crate) fn flag(form: &Form, name: &str, default: bool) -> Result<bool, Fail> {
    match opt_number(form, name)? {
        None => Ok(default),
        Some(0) => Ok(false),
        Some(1) => Ok(true),
        Some(n) => Err(Fail::param(format!("`{name}` must be 0 or 1, not {n}"))),
    }
}

/// What leaving a hosted group also removes: with `isDelBan` (default 1) the user's mute in the
/// group, with `isDelWhite` (default 1) its place on the group's mute allowlist; `isDelFollowed`
/// is accepted (followed members are not emulated).
pub(crate) struct LeaveFlags {
    del_ban: bool,
    del_white: bool,
}

impl LeaveFlags {
    pub(crate) fn read(form: &Form) -> Result<LeaveFlags, Fail> {
        let flags = LeaveFlags {
            del_ban: flag(form, "isDelBan", true)?,
            del_white: flag(form, "isDelWhite", true)?,
        };
        flag(form, "isDelFollowed", true)?;
        Ok(flags)
    }

    /// Applies the flags to `user` leaving `group`.
    pub(crate) fn apply(&self, inner: &mut Inner, group: &str, user: &str) {
        if self.del_ban {
            inner.gags.remove(&(group.to_owned(), user.to_owned()));
        }
        if self.del_white
            && let Some(list) = inner.ban_whitelist.get_mut(group)
        {
            list.retain(|u| u != user);
        }
    }
}

/// `/entrust/group/transfer/owner.json`: `groupId`, `newOwner` (a member), `isQuit` (1: the old
/// owner leaves; default 0: it stays as a member), `isDelBan`, `isDelWhite`, `isDelFollowed`
/// (for the leaving owner, see [`LeaveFlags`]).
pub(crate) fn transfer_owner(inner: &mut Inner, _ctx: &Ctx<'_>, form: &Form) -> OpResult {
    let id = group_id(form)?;
    let new_owner = user_param(form, "newOwner")?;
    let quit = flag(form, "isQuit", false)?;
    let leave = LeaveFlags::read(form)?;
    let group = hosted_group(inner, id)?;
    if !group.is_member(new_owner) {
        return Err(Fail::param(format!(
            "`newOwner` `{}` is not a member of group `{}`; only a member can become its owner",
            echo(new_owner),
            echo(id)
        )));
    }
    let Some(h) = group.hosted.as_mut() else {
        return Err(no_hosted_group(id));
    };
    if h.owner == new_owner {
        return Ok(Vec::new());
    }
    let old = std::mem::replace(&mut h.owner, new_owner.to_owned());
    h.managers.retain(|m| m != new_owner);
    if quit {
        group.remove_member(&old);
        leave.apply(inner, id, &old);
    }
    Ok(Vec::new())
}

/// `/entrust/group/query.json`: `pageToken`, `size` (default 50, at most 1000), `order` (by
/// creation: 0 ascending, 1 descending, the default) → `pageToken` (`""` on the last page),
/// `groups` [{`groupId`, `name`, `groupProfile`, `creator`, `owner`, `portraitUrl`, `time`
/// (creation, ms)}]: every hosted group of the app.
pub(crate) fn query(inner: &mut Inner, _ctx: &Ctx<'_>, form: &Form) -> OpResult {
    let desc = descending(form, true)?;
    let mut groups: Vec<&RongCloudGroup> = inner
        .groups
        .values()
        .filter(|g| g.hosted.is_some())
        .collect();
    groups.sort_by_key(|g| g.order);
    if desc {
        groups.reverse();
    }
    let (groups, next) = page(groups, form, QUERY_DEFAULT_SIZE, QUERY_MAX_SIZE)?;
    let groups: Vec<Value> = groups
        .into_iter()
        .filter_map(|g| {
            let h = g.hosted.as_ref()?;
            Some(json!({
                "groupId": g.id,
                "name": g.name,
                "groupProfile": json_text(&h.profile),
                "creator": h.creator,
                "owner": h.owner,
                "portraitUrl": h.profile.get("portraitUrl").and_then(Value::as_str).unwrap_or(""),
                "time": h.created_at_ms,
            }))
        })
        .collect();
    Ok(vec![
        ("pageToken", Value::from(next)),
        ("groups", Value::Array(groups)),
    ])
}

/// The `role` (or `type`) filter: 0 every role (the default), 1 member, 2 administrator,
/// 3 owner.
pub(crate) fn role_filter(form: &Form, name: &str) -> Result<u8, Fail> {
    match opt_number(form, name)? {
        None => Ok(0),
        Some(n @ 0..=3) => Ok(u8::try_from(n).unwrap_or(0)),
        Some(n) => Err(Fail::param(format!(
            "`{name}` must be 0 (all), 1 (member), 2 (administrator) or 3 (owner), not {n}"
        ))),
    }
}

/// `/entrust/joined/group/query.json`: `userId`, `role` (0 all, the default; 1 member; 2
/// administrator; 3 owner), `pageToken`, `size` (default 50, at most 100), `order` (by joining:
/// 0 ascending, 1 descending, the default) → `totalCount`, `pageToken`, `groups` [{`groupId`,
/// `name`, `remarkName` (`""`: remark names are not emulated), `groupProfile`,
/// `groupExtProfile`, `permissions`, `createTime`, `joinTime`, `role`, `count` (members; also as
/// `memberCount`), `owner`}]: the hosted groups the user is in.
pub(crate) fn joined_query(inner: &mut Inner, _ctx: &Ctx<'_>, form: &Form) -> OpResult {
    let user = user_param(form, "userId")?;
    let role = role_filter(form, "role")?;
    let desc = descending(form, true)?;
    let mut groups: Vec<(&RongCloudGroup, u8, u64)> = inner
        .groups
        .values()
        .filter(|g| g.hosted.is_some())
        .filter_map(|g| {
            let r = g.role(user)?;
            let joined = g.joined_at_ms.get(user).copied().unwrap_or(0);
            (role == 0 || r == role).then_some((g, r, joined))
        })
        .collect();
    groups.sort_by_key(|(g, _, joined)| (*joined, g.order));
    if desc {
        groups.reverse();
    }
    let total = groups.len();
    let (groups, next) = page(groups, form, JOINED_DEFAULT_SIZE, JOINED_MAX_SIZE)?;
    let groups: Vec<Value> = groups
        .into_iter()
        .filter_map(|(g, r, joined)| {
            let h = g.hosted.as_ref()?;
            Some(json!({
                "groupId": g.id,
                "name": g.name,
                "remarkName": "",
                "groupProfile": json_text(&h.profile),
                "groupExtProfile": json_text(&h.ext_profile),
                "permissions": json_text(&h.permissions),
                "createTime": h.created_at_ms,
                "joinTime": joined,
                "role": r,
                "count": g.members.len(),
                "memberCount": g.members.len(),
                "owner": h.owner,
            }))
        })
        .collect();
    Ok(vec![
        ("totalCount", Value::from(total)),
        ("pageToken", Value::from(next)),
        ("groups", Value::Array(groups)),
    ])
}

/// The user ids of a hosted-group member call: `userIds`, 1 to `max`.
pub(crate) fn user_ids(form: &Form, max: usize) -> Result<Vec<String>, Fail> {
    id_list(form, "userIds", max, MAX_USER_ID_BYTES)
}
