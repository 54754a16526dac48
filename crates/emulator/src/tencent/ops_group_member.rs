//! `group_open_http_svc`: listing, adding and removing group members.

use std::collections::HashSet;

use serde_json::{Value, json};

use super::Ctx;
use super::codes;
use super::envelope::{Fail, Obj, OpResult};
use super::ops_group::{account_list, bad, base_info, filter_list, group_mut, group_type, member};
use super::ops_group_mute::{check_mutable, mute_seconds, set_mute};
use super::params::{
    account_value, field, opt_array, opt_object, opt_str, opt_u64, req_array, req_str, strings,
};
use super::state::{GroupMember, GroupRecord, Inner};

const MAX_ADDED_MEMBERS: usize = 300;
const MAX_DELETED_MEMBERS: usize = 100;
/// The most members `get_group_member_info` answers per request (documented: 6000).
const MAX_MEMBER_PAGE: u64 = 6000;

/// A member's info fields in `g` at `now`, keeping only `filter`'s (plus `Member_Account`)
/// when given. The mute end is given under both its names: `MuteUntil` (current) and
/// `ShutUpUntil` (before the vendor's 2022 renaming); 0 when not muted.
pub(crate) fn member_info(
    g: &GroupRecord,
    m: &GroupMember,
    filter: Option<&[&str]>,
    now: u64,
) -> Value {
    let mute_until = g.muted_until(&m.account, now).unwrap_or(0);
    let all = [
        ("Role", Value::from(m.role.clone())),
        ("JoinTime", Value::from(m.join_time)),
        ("MsgSeq", Value::from(0)),
        ("MsgFlag", Value::from("AcceptAndNotify")),
        ("LastSendMsgTime", Value::from(m.last_send_msg_time)),
        ("MuteUntil", Value::from(mute_until)),
        ("ShutUpUntil", Value::from(mute_until)),
        ("NameCard", Value::from(m.name_card.clone())),
    ];
    let mut obj = Obj::new();
    obj.insert("Member_Account".into(), Value::from(m.account.clone()));
    for (k, v) in all {
        if filter.is_none_or(|f| f.contains(&k)) {
            obj.insert(k.into(), v);
        }
    }
    Value::Object(obj)
}

/// `get_group_member_info`: `GroupId`, `Limit` (at most 6000; absent = all), `Offset`,
/// `MemberInfoFilter`, `MemberRoleFilter` → `MemberNum` (all members), `MemberList` (the page,
/// in joining order).
pub(crate) fn get_group_member_info(inner: &mut Inner, ctx: &Ctx<'_>, body: &Obj) -> OpResult {
    let id = req_str(body, "GroupId", codes::GROUP_BAD_PARAMETER)?;
    let limit = opt_u64(body, "Limit", codes::GROUP_BAD_PARAMETER)?;
    if limit.is_some_and(|l| l > MAX_MEMBER_PAGE) {
        return Err(bad(format!(
            "`Limit` must be at most {MAX_MEMBER_PAGE} members per request"
        )));
    }
    let offset = opt_u64(body, "Offset", codes::GROUP_BAD_PARAMETER)?.unwrap_or(0);
    let fields = opt_array(body, "MemberInfoFilter", codes::GROUP_BAD_PARAMETER)?
        .map(|a| strings(a, "MemberInfoFilter", codes::GROUP_BAD_PARAMETER))
        .transpose()?;
    let roles = opt_array(body, "MemberRoleFilter", codes::GROUP_BAD_PARAMETER)?
        .map(|a| strings(a, "MemberRoleFilter", codes::GROUP_BAD_PARAMETER))
        .transpose()?;
    let group = group_mut(inner, id)?;
    if group.group_type == "AVChatRoom" {
        return Err(Fail::new(
            codes::GROUP_PERMISSION_DENIED,
            "an AVChatRoom group's member list cannot be pulled with this API",
        ));
    }
    let group: &GroupRecord = group;
    let list: Vec<Value> = group
        .members
        .iter()
        .filter(|m| roles.as_ref().is_none_or(|r| r.contains(&m.role.as_str())))
        .skip(usize::try_from(offset).unwrap_or(usize::MAX))
        .take(limit.map_or(usize::MAX, |l| usize::try_from(l).unwrap_or(usize::MAX)))
        .map(|m| member_info(group, m, fields.as_deref(), ctx.now))
        .collect();
    let mut out = Obj::new();
    out.insert("MemberNum".into(), Value::from(group.members.len()));
    out.insert("MemberList".into(), Value::Array(list));
    Ok(out)
}

/// `add_group_member`: `GroupId`, `MemberList` [{Member_Account}] [≤300], `Silence` →
/// `MemberList` [{Member_Account, Result}] with 0 = failed (no such account), 1 = added,
/// 2 = already a member.
pub(crate) fn add_group_member(inner: &mut Inner, ctx: &Ctx<'_>, body: &Obj) -> OpResult {
    let id = req_str(body, "GroupId", codes::GROUP_BAD_PARAMETER)?;
    let list = req_array(body, "MemberList", codes::GROUP_BAD_PARAMETER)?;
    if list.is_empty() {
        return Err(bad("`MemberList` must name at least one account"));
    }
    if list.len() > MAX_ADDED_MEMBERS {
        return Err(Fail::new(
            codes::GROUP_TOO_MANY_ACCOUNTS,
            format!(
                "`MemberList` holds {} accounts; at most {MAX_ADDED_MEMBERS} per request",
                list.len()
            ),
        ));
    }
    let accounts: Vec<&str> = list
        .iter()
        .enumerate()
        .map(|(i, item)| {
            item.as_object()
                .and_then(|o| field(o, &["Member_Account"]))
                .ok_or_else(|| bad(format!("`MemberList[{i}].Member_Account` is required")))
                .and_then(|v| account_value(v, "Member_Account"))
        })
        .collect::<Result<_, _>>()?;
    opt_u64(body, "Silence", codes::GROUP_BAD_PARAMETER)?;

    let exists: Vec<bool> = accounts.iter().map(|a| ctx.exists(inner, a)).collect();
    let group = group_mut(inner, id)?;
    if group.group_type == "AVChatRoom" {
        return Err(Fail::new(
            codes::GROUP_PERMISSION_DENIED,
            "members cannot be added to an AVChatRoom group; users join it themselves",
        ));
    }
    let mut newcomers: HashSet<&str> = HashSet::new();
    for (account, exists) in accounts.iter().zip(&exists) {
        if *exists && group.member(account).is_none() {
            newcomers.insert(account);
        }
    }
    let total = group.members.len() + newcomers.len();
    if group.max_member_count > 0 && total as u64 > group.max_member_count {
        return Err(Fail::new(
            codes::GROUP_FULL,
            format!(
                "the group is full: {total} members would exceed its limit of {}",
                group.max_member_count
            ),
        ));
    }
    let mut results = Vec::with_capacity(accounts.len());
    let mut joined = Vec::new();
    for (account, exists) in accounts.into_iter().zip(exists) {
        let result = if !exists {
            0
        } else if group.member(account).is_some() {
            2
        } else {
            group.members.push(member(account, "Member", ctx.now));
            joined.push(json!({"Member_Account": account}));
            1
        };
        results.push(json!({"Member_Account": account, "Result": result}));
    }
    if !joined.is_empty() {
        let group_type = group.group_type.clone();
        inner.raise(
            "Group.CallbackAfterNewMemberJoin",
            json!({
                "GroupId": id,
                "Type": group_type,
                "JoinType": "Invited",
                "Operator_Account": ctx.admin,
                "NewMemberList": joined,
            }),
        );
    }
    let mut out = Obj::new();
    out.insert("MemberList".into(), Value::Array(results));
    Ok(out)
}

/// `delete_group_member`: `GroupId`, `MemberToDel_Account` [string] [≤100], `Silence`,
/// `Reason`; accounts that are not members are ignored; the owner cannot be removed.
pub(crate) fn delete_group_member(inner: &mut Inner, ctx: &Ctx<'_>, body: &Obj) -> OpResult {
    let id = req_str(body, "GroupId", codes::GROUP_BAD_PARAMETER)?;
    let accounts = account_list(body, "MemberToDel_Account", MAX_DELETED_MEMBERS)?;
    opt_u64(body, "Silence", codes::GROUP_BAD_PARAMETER)?;
    opt_str(body, "Reason", codes::GROUP_BAD_PARAMETER)?;
    let group = group_mut(inner, id)?;
    if group.group_type == "AVChatRoom" {
        return Err(Fail::new(
            codes::GROUP_PERMISSION_DENIED,
            "members cannot be removed from an AVChatRoom group with this API",
        ));
    }
    if let Some(owner) = accounts
        .iter()
        .find(|a| group.owner.as_deref() == Some(**a))
    {
        return Err(bad(format!(
            "`{owner}` is the group owner and cannot be removed"
        )));
    }
    let exited: Vec<Value> = group
        .members
        .iter()
        .filter(|m| accounts.contains(&m.account.as_str()))
        .map(|m| json!({"Member_Account": m.account}))
        .collect();
    group
        .members
        .retain(|m| !accounts.contains(&m.account.as_str()));
    if !exited.is_empty() {
        let group_type = group.group_type.clone();
        inner.raise(
            "Group.CallbackAfterMemberExit",
            json!({
                "GroupId": id,
                "Type": group_type,
                "ExitType": "Kicked",
                "Operator_Account": ctx.admin,
                "ExitMemberList": exited,
            }),
        );
    }
    Ok(Obj::new())
}

/// The longest name card (documented: 50 bytes).
const MAX_NAME_CARD_BYTES: usize = 50;
/// The most accounts of one `get_role_in_group` request (documented: 500).
const MAX_ROLE_ACCOUNTS: usize = 500;

/// `get_joined_group_list`: `Member_Account`, `Limit`, `Offset`, `GroupType`, `WithHugeGroups`,
/// `WithNoActiveGroups` (accepted), `ResponseFilter` {`GroupBaseInfoFilter`, `SelfInfoFilter`}
/// → `TotalCount` (every matching group, whatever `Limit` and `Offset`), `GroupIdList`
/// [{`GroupId`, the base info fields asked for, `SelfInfo` {the member fields asked for}}], in
/// creation order. AVChatRoom groups are left out unless `GroupType` asks for them (as at the
/// vendor). An account in no group (or never imported) gets an empty list (unconfirmed).
pub(crate) fn get_joined_group_list(inner: &mut Inner, ctx: &Ctx<'_>, body: &Obj) -> OpResult {
    let code = codes::GROUP_BAD_PARAMETER;
    let account = match field(body, &["Member_Account"]) {
        None => return Err(bad("`Member_Account` is required")),
        Some(v) => account_value(v, "Member_Account")?,
    };
    if account.is_empty() {
        return Err(bad("`Member_Account` must not be empty"));
    }
    let limit = opt_u64(body, "Limit", code)?;
    let offset = opt_u64(body, "Offset", code)?.unwrap_or(0);
    let wanted = match opt_str(body, "GroupType", code)? {
        None | Some("") => None,
        Some(t) => Some(
            group_type(t)
                .ok_or_else(|| bad(format!("unknown `GroupType` `{t}`")))?
                .name,
        ),
    };
    opt_u64(body, "WithHugeGroups", code)?;
    opt_u64(body, "WithNoActiveGroups", code)?;
    let filter = opt_object(body, "ResponseFilter", code)?;
    let base_filter = filter_list(filter, "GroupBaseInfoFilter")?;
    let self_filter = filter_list(filter, "SelfInfoFilter")?;

    let mut groups: Vec<(&GroupRecord, &GroupMember)> = inner
        .groups
        .values()
        .filter(|g| match wanted {
            Some(t) => g.group_type == t,
            None => g.group_type != "AVChatRoom",
        })
        .filter_map(|g| g.member(account).map(|m| (g, m)))
        .collect();
    groups.sort_by_key(|(g, _)| g.order);
    let total = groups.len();
    let list: Vec<Value> = groups
        .into_iter()
        .skip(usize::try_from(offset).unwrap_or(usize::MAX))
        .take(limit.map_or(usize::MAX, |l| usize::try_from(l).unwrap_or(usize::MAX)))
        .map(|(g, m)| {
            let mut obj = Obj::new();
            obj.insert("GroupId".into(), Value::from(g.id.clone()));
            if let Some(fields) = &base_filter {
                for (k, v) in base_info(g) {
                    if fields.contains(&k) {
                        obj.insert(k.into(), v);
                    }
                }
            }
            if let Some(fields) = &self_filter {
                let mut info = member_info(g, m, Some(fields), ctx.now);
                if let Value::Object(o) = &mut info {
                    o.remove("Member_Account");
                }
                obj.insert("SelfInfo".into(), info);
            }
            Value::Object(obj)
        })
        .collect();
    let mut out = Obj::new();
    out.insert("TotalCount".into(), Value::from(total));
    out.insert("GroupIdList".into(), Value::Array(list));
    Ok(out)
}

/// `get_role_in_group`: `GroupId`, `User_Account` [≤500] → `UserIdList` [{`Member_Account`,
/// `Role`: `Owner`, `Admin`, `Member` or `NotMember`}].
pub(crate) fn get_role_in_group(inner: &mut Inner, _ctx: &Ctx<'_>, body: &Obj) -> OpResult {
    let id = req_str(body, "GroupId", codes::GROUP_BAD_PARAMETER)?;
    let accounts = account_list(body, "User_Account", MAX_ROLE_ACCOUNTS)?;
    let group = group_mut(inner, id)?;
    let roles: Vec<Value> = accounts
        .into_iter()
        .map(|a| {
            let role = group.member(a).map_or("NotMember", |m| m.role.as_str());
            json!({"Member_Account": a, "Role": role})
        })
        .collect();
    let mut out = Obj::new();
    out.insert("UserIdList".into(), Value::Array(roles));
    Ok(out)
}

/// `modify_group_member_info`: `GroupId`, `Member_Account` (a member), and any of `Role`
/// (`Admin` or `Member`; the owner's role cannot be changed), `NameCard` (≤50 bytes),
/// `MuteTime` (or `ShutUpTime`; seconds, 0 = unmute; not in Work groups), `MsgFlag` and
/// `AppMemberDefinedData` (accepted, not stored). A non-member gets 10007 (unconfirmed use).
pub(crate) fn modify_group_member_info(inner: &mut Inner, ctx: &Ctx<'_>, body: &Obj) -> OpResult {
    let code = codes::GROUP_BAD_PARAMETER;
    let id = req_str(body, "GroupId", code)?;
    let account = match field(body, &["Member_Account"]) {
        None => return Err(bad("`Member_Account` is required")),
        Some(v) => account_value(v, "Member_Account")?,
    };
    let role = match opt_str(body, "Role", code)? {
        None => None,
        Some(r @ ("Admin" | "Member")) => Some(r),
        Some(other) => {
            return Err(bad(format!(
                "`Role` `{other}` cannot be set; use Admin or Member (change_group_owner \
                 changes the owner)"
            )));
        }
    };
    let name_card = opt_str(body, "NameCard", code)?;
    if name_card.is_some_and(|n| n.len() > MAX_NAME_CARD_BYTES) {
        return Err(bad(format!(
            "`NameCard` is longer than {MAX_NAME_CARD_BYTES} bytes"
        )));
    }
    let mute = mute_seconds(body)?;
    opt_str(body, "MsgFlag", code)?;
    opt_array(body, "AppMemberDefinedData", code)?;

    let group = group_mut(inner, id)?;
    if group.group_type == "AVChatRoom" && (role.is_some() || name_card.is_some()) {
        return Err(Fail::new(
            codes::GROUP_PERMISSION_DENIED,
            "an AVChatRoom group's member roles and name cards cannot be set",
        ));
    }
    if mute.is_some() {
        check_mutable(group)?;
    }
    let Some(index) = group.members.iter().position(|m| m.account == account) else {
        return Err(Fail::new(
            codes::GROUP_PERMISSION_DENIED,
            format!("`{account}` is not a member of the group `{id}`"),
        ));
    };
    if let Some(role) = role {
        if group.members[index].role == "Owner" {
            return Err(bad(
                "the owner's role cannot be changed; use change_group_owner",
            ));
        }
        role.clone_into(&mut group.members[index].role);
    }
    if let Some(card) = name_card {
        card.clone_into(&mut group.members[index].name_card);
    }
    if let Some(seconds) = mute {
        set_mute(group, account, seconds, ctx.now);
    }
    Ok(Obj::new())
}
