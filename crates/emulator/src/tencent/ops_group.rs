//! `group_open_http_svc`: creating, describing, listing and destroying groups.
//! Members are in [`ops_group_member`](super::ops_group_member), group messages in
//! [`ops_message`](super::ops_message).

use std::collections::{BTreeMap, HashSet};

use rand::Rng;
use serde_json::{Value, json};

use super::Ctx;
use super::codes;
use super::envelope::{Fail, Obj, OpResult};
use super::ops_group_member::member_info;
use super::params::{
    account_value, field, opt_account, opt_array, opt_object, opt_str, opt_u64, req_array, req_str,
    strings,
};
use super::state::{GroupMember, GroupRecord, Inner};

pub(crate) const MAX_NAME_BYTES: usize = 30;
pub(crate) const MAX_INTRODUCTION_BYTES: usize = 240;
pub(crate) const MAX_NOTIFICATION_BYTES: usize = 300;
pub(crate) const MAX_FACE_URL_BYTES: usize = 100;
const MAX_GROUP_ID_BYTES: usize = 48;
const MAX_INITIAL_MEMBERS: usize = 500;
const MAX_INFO_GROUPS: usize = 50;
const MAX_LIST_LIMIT: u64 = 10_000;
const GENERATED_PREFIX: &str = "@TGS#";
const COMMUNITY_PREFIX: &str = "@TGS#_";
pub(crate) const APPLY_JOIN_OPTIONS: &[&str] = &["FreeAccess", "NeedPermission", "DisableApply"];

/// A group type's canonical name, generated-id marker, default member limit and join option.
pub(crate) struct GroupType {
    pub(crate) name: &'static str,
    id_marker: &'static str,
    max_members: u64,
    apply_join: &'static str,
}

const TYPES: &[GroupType] = &[
    GroupType {
        name: "Work",
        id_marker: "1",
        max_members: 200,
        apply_join: "DisableApply",
    },
    GroupType {
        name: "Public",
        id_marker: "2",
        max_members: 2000,
        apply_join: "NeedPermission",
    },
    GroupType {
        name: "Meeting",
        id_marker: "3",
        max_members: 10_000,
        apply_join: "FreeAccess",
    },
    GroupType {
        name: "AVChatRoom",
        id_marker: "a",
        max_members: 0,
        apply_join: "FreeAccess",
    },
    GroupType {
        name: "Community",
        id_marker: "_",
        max_members: 100_000,
        apply_join: "NeedPermission",
    },
];

/// The type named `name`, accepting the legacy `Private` (Work) and `ChatRoom` (Meeting).
pub(crate) fn group_type(name: &str) -> Option<&'static GroupType> {
    let canonical = match name {
        "Private" => "Work",
        "ChatRoom" => "Meeting",
        other => other,
    };
    TYPES.iter().find(|t| t.name == canonical)
}

pub(crate) fn bad(info: impl Into<String>) -> Fail {
    Fail::new(codes::GROUP_BAD_PARAMETER, info)
}

pub(crate) fn check_len(value: Option<&str>, name: &str, max: usize) -> Result<(), Fail> {
    match value {
        Some(v) if v.len() > max => Err(bad(format!(
            "`{name}` is {} bytes long; at most {max} are allowed",
            v.len()
        ))),
        _ => Ok(()),
    }
}

/// A required list of accounts (strings) under `key`: missing, not an array or empty → 10004,
/// more than `max` → 10005, a non-string → 60015.
pub(crate) fn account_list<'a>(body: &'a Obj, key: &str, max: usize) -> Result<Vec<&'a str>, Fail> {
    let list = req_array(body, key, codes::GROUP_BAD_PARAMETER)?;
    if list.is_empty() {
        return Err(bad(format!("`{key}` must name at least one account")));
    }
    if list.len() > max {
        return Err(Fail::new(
            codes::GROUP_TOO_MANY_ACCOUNTS,
            format!(
                "`{key}` holds {} accounts; at most {max} per request",
                list.len()
            ),
        ));
    }
    list.iter().map(|v| account_value(v, key)).collect()
}

/// The refusal for a group id that names no live group: 10010 once destroyed, else 10015.
pub(crate) fn missing_group(inner: &Inner, id: &str) -> Fail {
    if inner.destroyed_groups.contains(id) {
        Fail::new(
            codes::GROUP_DISMISSED,
            format!("the group `{id}` does not exist any more: it was dismissed"),
        )
    } else {
        Fail::new(
            codes::GROUP_ID_INVALID,
            format!("no group has the id `{id}`; check the group id"),
        )
    }
}

/// The live group `id`.
pub(crate) fn group_mut<'a>(inner: &'a mut Inner, id: &str) -> Result<&'a mut GroupRecord, Fail> {
    if !inner.groups.contains_key(id) {
        return Err(missing_group(inner, id));
    }
    inner
        .groups
        .get_mut(id)
        .ok_or_else(|| Fail::new(codes::GROUP_ID_INVALID, "no such group"))
}

/// A fresh `@TGS#{marker}XXXXXXXXX` id not used by any group.
fn generate_id(inner: &Inner, marker: &str) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    let mut rng = rand::rng();
    loop {
        let suffix: String = (0..9)
            .map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]))
            .collect();
        let id = format!("{GENERATED_PREFIX}{marker}{suffix}");
        if !inner.groups.contains_key(&id) && !inner.destroyed_groups.contains(&id) {
            return id;
        }
    }
}

/// Checks a custom group id for the type.
fn check_custom_id(id: &str, group_type: &GroupType) -> Result<(), Fail> {
    let invalid = |why: &str| {
        Fail::new(
            codes::GROUP_ID_INVALID,
            format!("invalid custom `GroupId` `{id}`: {why}"),
        )
    };
    if id.len() > MAX_GROUP_ID_BYTES {
        return Err(invalid("longer than 48 bytes"));
    }
    if !id.bytes().all(|b| (0x20..=0x7e).contains(&b)) {
        return Err(invalid("only printable ASCII characters are allowed"));
    }
    if group_type.name == "Community" {
        if !id.starts_with(COMMUNITY_PREFIX) || id.len() == COMMUNITY_PREFIX.len() {
            return Err(invalid(
                "a Community group's custom id must start with `@TGS#_`",
            ));
        }
    } else if id.starts_with(GENERATED_PREFIX) {
        return Err(invalid("the `@TGS#` prefix is reserved for generated ids"));
    }
    Ok(())
}

/// `create_group` → `GroupId`.
pub(crate) fn create_group(inner: &mut Inner, ctx: &Ctx<'_>, body: &Obj) -> OpResult {
    let type_name = req_str(body, "Type", codes::GROUP_BAD_PARAMETER)?;
    let gtype = group_type(type_name).ok_or_else(|| {
        bad(format!(
            "unknown group `Type` `{type_name}`; use Public, Work, Meeting, AVChatRoom or Community"
        ))
    })?;
    let name = req_str(body, "Name", codes::GROUP_BAD_PARAMETER)?;
    check_len(Some(name), "Name", MAX_NAME_BYTES)?;
    let owner = opt_account(body, "Owner_Account", codes::GROUP_BAD_PARAMETER)?;
    let custom_id = opt_str(body, "GroupId", codes::GROUP_BAD_PARAMETER)?.filter(|s| !s.is_empty());
    let introduction = opt_str(body, "Introduction", codes::GROUP_BAD_PARAMETER)?;
    check_len(introduction, "Introduction", MAX_INTRODUCTION_BYTES)?;
    let notification = opt_str(body, "Notification", codes::GROUP_BAD_PARAMETER)?;
    check_len(notification, "Notification", MAX_NOTIFICATION_BYTES)?;
    let face_url = opt_str(body, "FaceUrl", codes::GROUP_BAD_PARAMETER)?;
    check_len(face_url, "FaceUrl", MAX_FACE_URL_BYTES)?;
    let max_members = opt_u64(body, "MaxMemberCount", codes::GROUP_BAD_PARAMETER)?
        .filter(|n| *n > 0)
        .unwrap_or(gtype.max_members);
    let apply_join = opt_str(body, "ApplyJoinOption", codes::GROUP_BAD_PARAMETER)?;
    if let Some(option) = apply_join.filter(|o| !APPLY_JOIN_OPTIONS.contains(o)) {
        return Err(bad(format!(
            "unknown `ApplyJoinOption` `{option}`; use FreeAccess, NeedPermission or DisableApply"
        )));
    }
    let app_defined_data = opt_array(body, "AppDefinedData", codes::GROUP_BAD_PARAMETER)?
        .cloned()
        .unwrap_or_default();
    if app_defined_data
        .iter()
        .any(|kv| !kv.get("Key").is_some_and(Value::is_string))
    {
        return Err(bad(
            "`AppDefinedData` must be a list of {\"Key\", \"Value\"} objects",
        ));
    }

    // Initial members (besides the owner): (account, role).
    let mut initial: Vec<(&str, &str)> = Vec::new();
    if let Some(list) = opt_array(body, "MemberList", codes::GROUP_BAD_PARAMETER)? {
        if !list.is_empty() && gtype.name == "AVChatRoom" {
            return Err(Fail::new(
                codes::GROUP_PERMISSION_DENIED,
                "an AVChatRoom group cannot be created with members: `MemberList` must be empty",
            ));
        }
        if list.len() > MAX_INITIAL_MEMBERS {
            return Err(Fail::new(
                codes::GROUP_TOO_MANY_ACCOUNTS,
                format!(
                    "`MemberList` holds {} members; at most {MAX_INITIAL_MEMBERS} are allowed",
                    list.len()
                ),
            ));
        }
        for (i, item) in list.iter().enumerate() {
            let obj = item.as_object().ok_or_else(|| {
                bad(format!(
                    "`MemberList[{i}]` must be an object with `Member_Account`"
                ))
            })?;
            let account = field(obj, &["Member_Account"])
                .ok_or_else(|| bad(format!("`MemberList[{i}].Member_Account` is required")))
                .and_then(|v| account_value(v, "Member_Account"))?;
            let role = match opt_str(obj, "Role", codes::GROUP_BAD_PARAMETER)? {
                None | Some("") | Some("Member") => "Member",
                Some("Admin") => "Admin",
                Some(other) => {
                    return Err(bad(format!(
                        "`MemberList[{i}].Role` `{other}` is invalid; use Admin or Member"
                    )));
                }
            };
            initial.push((account, role));
        }
    }

    for account in owner.iter().copied().chain(initial.iter().map(|(a, _)| *a)) {
        if !ctx.exists(inner, account) {
            return Err(Fail::new(
                codes::GROUP_ACCOUNT_NOT_FOUND,
                format!("the account `{account}` has not been imported"),
            ));
        }
    }

    let id = match custom_id {
        Some(id) => {
            check_custom_id(id, gtype)?;
            if inner.groups.contains_key(id) {
                return Err(Fail::new(
                    codes::GROUP_ID_TAKEN,
                    format!("the group id `{id}` is already used; choose another one"),
                ));
            }
            id.to_owned()
        }
        None => generate_id(inner, gtype.id_marker),
    };

    let mut members: Vec<GroupMember> = Vec::new();
    let mut seen: HashSet<&str> = HashSet::new();
    if let Some(owner) = owner {
        seen.insert(owner);
        members.push(member(owner, "Owner", ctx.now));
    }
    for (account, role) in initial {
        if seen.insert(account) {
            members.push(member(account, role, ctx.now));
        }
    }
    if max_members > 0 && members.len() as u64 > max_members {
        return Err(Fail::new(
            codes::GROUP_FULL,
            format!(
                "{} members exceed the group's limit of {max_members}",
                members.len()
            ),
        ));
    }

    let initial_members: Vec<Value> = members
        .iter()
        .filter(|m| owner != Some(m.account.as_str()))
        .map(|m| json!({"Member_Account": m.account}))
        .collect();
    inner.raise(
        "Group.CallbackAfterCreateGroup",
        json!({
            "GroupId": id,
            "Type": gtype.name,
            "Operator_Account": ctx.admin,
            "Owner_Account": owner.unwrap_or_default(),
            "Name": name,
            "MemberList": initial_members,
        }),
    );
    inner.group_order += 1;
    inner.destroyed_groups.remove(&id);
    inner.groups.insert(
        id.clone(),
        GroupRecord {
            id: id.clone(),
            group_type: gtype.name.to_owned(),
            name: name.to_owned(),
            owner: owner.map(str::to_owned),
            members,
            introduction: introduction.unwrap_or_default().to_owned(),
            notification: notification.unwrap_or_default().to_owned(),
            face_url: face_url.unwrap_or_default().to_owned(),
            max_member_count: max_members,
            apply_join_option: apply_join.unwrap_or(gtype.apply_join).to_owned(),
            app_defined_data,
            create_time: ctx.now,
            next_msg_seq: 1,
            last_msg_time: 0,
            mute_all: false,
            muted: BTreeMap::new(),
            info_seq: 1,
            last_info_time: ctx.now,
            order: inner.group_order,
        },
    );
    let mut out = Obj::new();
    out.insert("GroupId".into(), Value::from(id));
    Ok(out)
}

pub(crate) fn member(account: &str, role: &str, now: u64) -> GroupMember {
    GroupMember {
        account: account.to_owned(),
        role: role.to_owned(),
        join_time: now,
        name_card: String::new(),
        last_send_msg_time: 0,
    }
}

/// `"On"` or `"Off"`, as the vendor answers the mute-all state.
pub(crate) fn on_off(on: bool) -> &'static str {
    if on { "On" } else { "Off" }
}

/// The base info fields of a group, in the vendor's order. The mute-all state is given under
/// both its names: `ShutUpAllMember` (older pages and SDKs) and `MuteAllMember` (the 2022
/// renaming, read by current SDKs).
pub(crate) fn base_info(g: &GroupRecord) -> Vec<(&'static str, Value)> {
    vec![
        ("Type", Value::from(g.group_type.clone())),
        ("Name", Value::from(g.name.clone())),
        ("Introduction", Value::from(g.introduction.clone())),
        ("Notification", Value::from(g.notification.clone())),
        ("FaceUrl", Value::from(g.face_url.clone())),
        (
            "Owner_Account",
            Value::from(g.owner.clone().unwrap_or_default()),
        ),
        ("CreateTime", Value::from(g.create_time)),
        ("InfoSeq", Value::from(g.info_seq)),
        ("LastInfoTime", Value::from(g.last_info_time)),
        ("LastMsgTime", Value::from(g.last_msg_time)),
        ("NextMsgSeq", Value::from(g.next_msg_seq)),
        ("MemberNum", Value::from(g.members.len())),
        ("MaxMemberNum", Value::from(g.max_member_count)),
        ("ApplyJoinOption", Value::from(g.apply_join_option.clone())),
        ("ShutUpAllMember", Value::from(on_off(g.mute_all))),
        ("MuteAllMember", Value::from(on_off(g.mute_all))),
        ("AppDefinedData", Value::Array(g.app_defined_data.clone())),
    ]
}

/// An optional list of strings inside `filter` (e.g. `GroupBaseInfoFilter`).
pub(crate) fn filter_list<'a>(
    filter: Option<&'a Obj>,
    key: &str,
) -> Result<Option<Vec<&'a str>>, Fail> {
    match filter {
        None => Ok(None),
        Some(f) => opt_array(f, key, codes::GROUP_BAD_PARAMETER)?
            .map(|a| strings(a, key, codes::GROUP_BAD_PARAMETER))
            .transpose(),
    }
}

/// `get_group_info`: `GroupIdList` [≤50], `ResponseFilter` → `GroupInfo`, with a per-group
/// `ErrorCode`.
pub(crate) fn get_group_info(inner: &mut Inner, ctx: &Ctx<'_>, body: &Obj) -> OpResult {
    let ids = req_array(body, "GroupIdList", codes::GROUP_BAD_PARAMETER)?;
    if ids.is_empty() || ids.len() > MAX_INFO_GROUPS {
        return Err(bad(format!(
            "`GroupIdList` must hold 1 to {MAX_INFO_GROUPS} group ids"
        )));
    }
    let ids = strings(ids, "GroupIdList", codes::GROUP_BAD_PARAMETER)?;
    let filter = opt_object(body, "ResponseFilter", codes::GROUP_BAD_PARAMETER)?;
    let base_filter = filter_list(filter, "GroupBaseInfoFilter")?;
    let member_filter = filter_list(filter, "MemberInfoFilter")?;
    // Members are listed by default, or when a member filter asks for them.
    let with_members = filter.is_none() || member_filter.is_some();
    let inner: &Inner = inner;

    let infos: Vec<Value> = ids
        .into_iter()
        .map(|id| {
            let mut obj = Obj::new();
            obj.insert("GroupId".into(), Value::from(id));
            match inner.groups.get(id) {
                None => {
                    let fail = missing_group(inner, id);
                    obj.insert("ErrorCode".into(), Value::from(fail.code));
                    obj.insert("ErrorInfo".into(), Value::from(fail.info));
                }
                Some(g) => {
                    obj.insert("ErrorCode".into(), Value::from(0));
                    obj.insert("ErrorInfo".into(), Value::from(""));
                    for (k, v) in base_info(g) {
                        if base_filter.as_ref().is_none_or(|f| f.contains(&k)) {
                            obj.insert(k.into(), v);
                        }
                    }
                    if with_members && g.group_type != "AVChatRoom" {
                        let list = g
                            .members
                            .iter()
                            .map(|m| member_info(g, m, member_filter.as_deref(), ctx.now))
                            .collect();
                        obj.insert("MemberList".into(), Value::Array(list));
                    }
                }
            }
            Value::Object(obj)
        })
        .collect();
    let mut out = Obj::new();
    out.insert("GroupInfo".into(), Value::Array(infos));
    Ok(out)
}

/// `destroy_group`: `GroupId`.
pub(crate) fn destroy_group(inner: &mut Inner, ctx: &Ctx<'_>, body: &Obj) -> OpResult {
    let id = req_str(body, "GroupId", codes::GROUP_BAD_PARAMETER)?;
    group_mut(inner, id)?;
    if let Some(group) = inner.groups.remove(id) {
        let members: Vec<Value> = group
            .members
            .iter()
            .map(|m| json!({"Member_Account": m.account}))
            .collect();
        inner.raise(
            "Group.CallbackAfterGroupDestroyed",
            json!({
                "GroupId": group.id,
                "Type": group.group_type,
                "Operator_Account": ctx.admin,
                "Owner_Account": group.owner.unwrap_or_default(),
                "Name": group.name,
                "MemberList": members,
            }),
        );
    }
    inner.destroyed_groups.insert(id.to_owned());
    Ok(Obj::new())
}

/// `get_appid_group_list`: `Limit` (≤10000), `Next` (0 first), `GroupType` → `TotalCount`,
/// `GroupIdList` [{GroupId}], `Next` (0 when done).
pub(crate) fn get_appid_group_list(inner: &mut Inner, _ctx: &Ctx<'_>, body: &Obj) -> OpResult {
    let limit = opt_u64(body, "Limit", codes::GROUP_BAD_PARAMETER)?.unwrap_or(MAX_LIST_LIMIT);
    if limit == 0 || limit > MAX_LIST_LIMIT {
        return Err(bad(format!("`Limit` must be 1 to {MAX_LIST_LIMIT}")));
    }
    let next = opt_u64(body, "Next", codes::GROUP_BAD_PARAMETER)?.unwrap_or(0);
    let wanted = match opt_str(body, "GroupType", codes::GROUP_BAD_PARAMETER)? {
        None | Some("") => None,
        Some(t) => Some(
            group_type(t)
                .ok_or_else(|| bad(format!("unknown `GroupType` `{t}`")))?
                .name,
        ),
    };
    let mut groups: Vec<&GroupRecord> = inner
        .groups
        .values()
        .filter(|g| wanted.is_none_or(|t| g.group_type == t))
        .collect();
    groups.sort_by_key(|g| g.order);
    let total = groups.len();
    let mut page = groups.into_iter().filter(|g| g.order >= next).peekable();
    let mut ids = Vec::new();
    while ids.len() < usize::try_from(limit).unwrap_or(usize::MAX) {
        match page.next() {
            Some(g) => ids.push(json!({"GroupId": g.id})),
            None => break,
        }
    }
    let next = page.peek().map_or(0, |g| g.order);
    let mut out = Obj::new();
    out.insert("TotalCount".into(), Value::from(total));
    out.insert("GroupIdList".into(), Value::Array(ids));
    out.insert("Next".into(), Value::from(next));
    Ok(out)
}
