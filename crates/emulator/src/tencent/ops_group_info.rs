//! `group_open_http_svc`: changing a group's base info (`modify_group_base_info`, which also
//! mutes or unmutes everyone) and its owner (`change_group_owner`).

use serde_json::{Map, Value, json};

use super::Ctx;
use super::codes;
use super::envelope::{Fail, Obj, OpResult};
use super::ops_group::{
    APPLY_JOIN_OPTIONS, MAX_FACE_URL_BYTES, MAX_INTRODUCTION_BYTES, MAX_NAME_BYTES,
    MAX_NOTIFICATION_BYTES, bad, check_len, group_mut,
};
use super::params::{account_value, field, opt_account, opt_array, opt_str, opt_u64, req_str};
use super::state::Inner;

/// The mute-all switch: `MuteAllMember`, or its earlier name `ShutUpAllMember`; `"On"` /
/// `"True"` mute everyone, `"Off"` / `"False"` unmute (the vendor's pages give both pairs);
/// anything else → 10004.
fn mute_all(body: &Obj) -> Result<Option<bool>, Fail> {
    match field(body, &["MuteAllMember", "ShutUpAllMember"]) {
        None => Ok(None),
        Some(Value::String(s)) if s == "On" || s == "True" => Ok(Some(true)),
        Some(Value::String(s)) if s == "Off" || s == "False" => Ok(Some(false)),
        Some(other) => Err(bad(format!(
            "`MuteAllMember` must be \"On\" or \"Off\", not {other}"
        ))),
    }
}

/// Merges `AppDefinedData` [{`Key`, `Value`}] into `data`: a key given again gets the new value.
fn merge_app_data(data: &mut Vec<Value>, updates: &[Value]) -> Result<(), Fail> {
    for (i, kv) in updates.iter().enumerate() {
        let key = kv
            .get("Key")
            .and_then(Value::as_str)
            .ok_or_else(|| bad(format!("`AppDefinedData[{i}]` needs a string `Key`")))?;
        let value = kv.get("Value").cloned().unwrap_or(Value::from(""));
        match data
            .iter_mut()
            .find(|d| d.get("Key").and_then(Value::as_str) == Some(key))
        {
            Some(existing) => existing["Value"] = value,
            None => data.push(json!({"Key": key, "Value": value})),
        }
    }
    Ok(())
}

/// `modify_group_base_info`: `GroupId`, and any of `Name` (≤30 bytes), `Introduction` (≤240),
/// `Notification` (≤300), `FaceUrl` (≤100), `MaxMemberNum` (not below the member count,
/// unconfirmed), `ApplyJoinOption`, `InviteJoinOption` (accepted, not stored), `MuteAllMember`
/// (or `ShutUpAllMember`), `AppDefinedData` (merged by key), `From_Account` (accepted). Calls back
/// `Group.CallbackAfterGroupInfoChanged` when the name, introduction, notification or face URL
/// changed.
pub(crate) fn modify_group_base_info(inner: &mut Inner, ctx: &Ctx<'_>, body: &Obj) -> OpResult {
    let code = codes::GROUP_BAD_PARAMETER;
    let id = req_str(body, "GroupId", code)?;
    let name = opt_str(body, "Name", code)?;
    if name == Some("") {
        return Err(bad("`Name` must not be empty"));
    }
    check_len(name, "Name", MAX_NAME_BYTES)?;
    let introduction = opt_str(body, "Introduction", code)?;
    check_len(introduction, "Introduction", MAX_INTRODUCTION_BYTES)?;
    let notification = opt_str(body, "Notification", code)?;
    check_len(notification, "Notification", MAX_NOTIFICATION_BYTES)?;
    let face_url = opt_str(body, "FaceUrl", code)?;
    check_len(face_url, "FaceUrl", MAX_FACE_URL_BYTES)?;
    let max_members = opt_u64(body, "MaxMemberNum", code)?;
    let apply_join = opt_str(body, "ApplyJoinOption", code)?;
    if let Some(option) = apply_join.filter(|o| !APPLY_JOIN_OPTIONS.contains(o)) {
        return Err(bad(format!(
            "unknown `ApplyJoinOption` `{option}`; use FreeAccess, NeedPermission or DisableApply"
        )));
    }
    opt_str(body, "InviteJoinOption", code)?;
    let mute_all = mute_all(body)?;
    let app_data = opt_array(body, "AppDefinedData", code)?;
    opt_account(body, "From_Account", code)?;

    let group = group_mut(inner, id)?;
    if let Some(max) = max_members.filter(|m| *m > 0) {
        if (group.members.len() as u64) > max {
            return Err(bad(format!(
                "`MaxMemberNum` {max} is below the group's {} members",
                group.members.len()
            )));
        }
        group.max_member_count = max;
    }
    if let Some(data) = app_data {
        merge_app_data(&mut group.app_defined_data, data)?;
    }
    let mut changed = Map::new();
    for (key, value, slot) in [
        ("Name", name, &mut group.name),
        ("Introduction", introduction, &mut group.introduction),
        ("Notification", notification, &mut group.notification),
        ("FaceUrl", face_url, &mut group.face_url),
    ] {
        if let Some(value) = value {
            if slot != value {
                changed.insert(key.to_owned(), Value::from(value));
            }
            value.clone_into(slot);
        }
    }
    if let Some(option) = apply_join {
        option.clone_into(&mut group.apply_join_option);
    }
    if let Some(on) = mute_all {
        group.mute_all = on;
    }
    group.info_seq += 1;
    group.last_info_time = ctx.now;
    let group_type = group.group_type.clone();
    if !changed.is_empty() {
        let mut event = json!({
            "GroupId": id,
            "Type": group_type,
            "Operator_Account": ctx.admin,
        });
        if let Value::Object(obj) = &mut event {
            obj.extend(changed);
        }
        inner.raise("Group.CallbackAfterGroupInfoChanged", event);
    }
    Ok(Obj::new())
}

/// `change_group_owner`: `GroupId`, `NewOwner_Account` (a member; the old owner becomes a plain
/// member). AVChatRoom groups are refused (10007, documented); an account never imported gets
/// 10019 and one that is not a member 10007 (both unconfirmed use).
pub(crate) fn change_group_owner(inner: &mut Inner, ctx: &Ctx<'_>, body: &Obj) -> OpResult {
    let id = req_str(body, "GroupId", codes::GROUP_BAD_PARAMETER)?;
    let new_owner = match field(body, &["NewOwner_Account"]) {
        None => return Err(bad("`NewOwner_Account` is required")),
        Some(v) => account_value(v, "NewOwner_Account")?,
    };
    if new_owner.is_empty() {
        return Err(bad("`NewOwner_Account` must not be empty"));
    }
    let exists = ctx.exists(inner, new_owner);
    let group = group_mut(inner, id)?;
    if group.group_type == "AVChatRoom" {
        return Err(Fail::new(
            codes::GROUP_PERMISSION_DENIED,
            "an AVChatRoom group's owner cannot be changed with this API",
        ));
    }
    if !exists {
        return Err(Fail::new(
            codes::GROUP_ACCOUNT_NOT_FOUND,
            format!("the account `{new_owner}` has not been imported"),
        ));
    }
    if group.member(new_owner).is_none() {
        return Err(Fail::new(
            codes::GROUP_PERMISSION_DENIED,
            format!(
                "`{new_owner}` is not a member of the group `{id}`; only a member can become its \
                 owner (add it with add_group_member first)"
            ),
        ));
    }
    for member in &mut group.members {
        if member.account == new_owner {
            member.role = "Owner".to_owned();
        } else if member.role == "Owner" {
            member.role = "Member".to_owned();
        }
    }
    group.owner = Some(new_owner.to_owned());
    group.info_seq += 1;
    group.last_info_time = ctx.now;
    Ok(Obj::new())
}
