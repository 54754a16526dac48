//! `group_open_http_svc`: listing, adding and removing group members.

use std::collections::HashSet;

use serde_json::{Value, json};

use super::Ctx;
use super::codes;
use super::envelope::{Fail, Obj, OpResult};
use super::ops_group::{bad, group_mut, member};
use super::params::{
    account_value, field, opt_array, opt_str, opt_u64, req_array, req_str, strings,
};
use super::state::{GroupMember, Inner};

const MAX_ADDED_MEMBERS: usize = 300;
const MAX_DELETED_MEMBERS: usize = 100;

/// A member's info fields, keeping only `filter`'s (plus `Member_Account`) when given.
pub(crate) fn member_info(m: &GroupMember, filter: Option<&[&str]>) -> Value {
    let all = [
        ("Role", Value::from(m.role.clone())),
        ("JoinTime", Value::from(m.join_time)),
        ("MsgSeq", Value::from(0)),
        ("MsgFlag", Value::from("AcceptAndNotify")),
        ("LastSendMsgTime", Value::from(0)),
        ("ShutUpUntil", Value::from(0)),
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

/// `get_group_member_info`: `GroupId`, `Limit`, `Offset`, `MemberInfoFilter`,
/// `MemberRoleFilter` → `MemberNum`, `MemberList`.
pub(crate) fn get_group_member_info(inner: &mut Inner, _ctx: &Ctx<'_>, body: &Obj) -> OpResult {
    let id = req_str(body, "GroupId", codes::GROUP_BAD_PARAMETER)?;
    let limit = opt_u64(body, "Limit", codes::GROUP_BAD_PARAMETER)?;
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
    let selected: Vec<&GroupMember> = group
        .members
        .iter()
        .filter(|m| roles.as_ref().is_none_or(|r| r.contains(&m.role.as_str())))
        .collect();
    let list: Vec<Value> = selected
        .iter()
        .skip(usize::try_from(offset).unwrap_or(usize::MAX))
        .take(limit.map_or(usize::MAX, |l| usize::try_from(l).unwrap_or(usize::MAX)))
        .map(|m| member_info(m, fields.as_deref()))
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
    let list = req_array(body, "MemberToDel_Account", codes::GROUP_BAD_PARAMETER)?;
    if list.is_empty() {
        return Err(bad("`MemberToDel_Account` must name at least one account"));
    }
    if list.len() > MAX_DELETED_MEMBERS {
        return Err(Fail::new(
            codes::GROUP_TOO_MANY_ACCOUNTS,
            format!(
                "`MemberToDel_Account` holds {} accounts; at most {MAX_DELETED_MEMBERS}",
                list.len()
            ),
        ));
    }
    let accounts: Vec<&str> = list
        .iter()
        .map(|v| account_value(v, "MemberToDel_Account"))
        .collect::<Result<_, _>>()?;
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
