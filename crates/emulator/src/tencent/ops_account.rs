//! The users family: `im_open_login_svc` (importing, checking, deleting and kicking accounts)
//! and `openim/query_online_status` (presence).

use serde_json::{Value, json};

use super::Ctx;
use super::codes;
use super::envelope::{Fail, Obj, OpResult};
use super::params::{account_value, field, opt_str, opt_u64, req_account, req_array};
use super::state::{Inner, TAG_IMAGE, TAG_NICK, UserRecord};
use crate::presence::Presence;

/// The longest UserID, in bytes.
pub(crate) const MAX_USER_ID_BYTES: usize = 32;
/// The most items in one batch call.
const MAX_BATCH: usize = 100;
/// The most accounts in one `query_online_status` (documented).
const MAX_ONLINE_QUERY: usize = 500;
/// The longest nickname or avatar URL, in bytes.
const MAX_PROFILE_STRING_BYTES: usize = 500;
/// The vendor's `ResultInfo` for a missing account in `account_delete`.
const NOT_EXIST_INFO: &str = "Err_TLS_PT_Open_Login_Account_Not_Exist";

/// Why a UserID is not acceptable, if it is not.
pub(crate) fn user_id_problem(id: &str) -> Option<String> {
    if id.is_empty() {
        Some("the UserID is empty".to_owned())
    } else if id.len() > MAX_USER_ID_BYTES {
        Some(format!(
            "the UserID is {} bytes long; at most {MAX_USER_ID_BYTES} are allowed",
            id.len()
        ))
    } else if id.chars().any(char::is_control) {
        Some("the UserID contains control characters".to_owned())
    } else {
        None
    }
}

/// Imports (or re-imports) one account; nick and face are updated when given.
fn import(inner: &mut Inner, now: u64, id: &str, nick: Option<&str>, face: Option<&str>) {
    let user = inner
        .users
        .entry(id.to_owned())
        .or_insert_with(|| UserRecord::new(id, now));
    if let Some(nick) = nick {
        user.set_tag(TAG_NICK, Value::from(nick));
    }
    if let Some(face) = face {
        user.set_tag(TAG_IMAGE, Value::from(face));
    }
}

fn nick_and_face(body: &Obj) -> Result<(Option<&str>, Option<&str>), Fail> {
    let nick = opt_str(body, "Nick", codes::ACCOUNT_BAD_PARAMETER)?;
    let face = opt_str(body, "FaceUrl", codes::ACCOUNT_BAD_PARAMETER)?;
    for (name, value) in [("Nick", nick), ("FaceUrl", face)] {
        if value.is_some_and(|v| v.len() > MAX_PROFILE_STRING_BYTES) {
            return Err(Fail::new(
                codes::PROFILE_VALUE_TOO_LONG,
                format!("`{name}` is longer than {MAX_PROFILE_STRING_BYTES} bytes"),
            ));
        }
    }
    Ok((nick, face))
}

/// `account_import`: `UserID` (or the legacy `Identifier`), `Nick`, `FaceUrl`.
pub(crate) fn account_import(inner: &mut Inner, ctx: &Ctx<'_>, body: &Obj) -> OpResult {
    let id = req_account(
        body,
        &["UserID", "Identifier"],
        codes::ACCOUNT_BAD_PARAMETER,
    )?;
    if let Some(problem) = user_id_problem(id) {
        return Err(Fail::new(
            codes::ACCOUNT_BAD_PARAMETER,
            format!("invalid `UserID`: {problem}"),
        ));
    }
    let (nick, face) = nick_and_face(body)?;
    import(inner, ctx.now, id, nick, face);
    Ok(Obj::new())
}

/// `multiaccount_import`: `AccountList` [{UserID, Nick, FaceUrl}] or the legacy `Accounts`
/// [string], at most 100; invalid UserIDs are answered in `FailAccounts`.
pub(crate) fn multiaccount_import(inner: &mut Inner, ctx: &Ctx<'_>, body: &Obj) -> OpResult {
    // (UserID, Nick, FaceUrl), validated as a whole before anything is imported.
    let mut accounts: Vec<(&str, Option<&str>, Option<&str>)> = Vec::new();
    if body.get("AccountList").is_some_and(|v| !v.is_null()) {
        let list = req_array(body, "AccountList", codes::ACCOUNT_BAD_PARAMETER)?;
        check_batch(list.len(), "AccountList")?;
        for (i, item) in list.iter().enumerate() {
            let obj = item.as_object().ok_or_else(|| {
                Fail::new(
                    codes::ACCOUNT_BAD_PARAMETER,
                    format!("`AccountList[{i}]` must be an object with `UserID`"),
                )
            })?;
            // An empty or too long UserID is answered in `FailAccounts`, not refused.
            let id = match field(obj, &["UserID", "Identifier"]) {
                None => {
                    return Err(Fail::new(
                        codes::ACCOUNT_BAD_PARAMETER,
                        format!("`AccountList[{i}].UserID` is required"),
                    ));
                }
                Some(v) => account_value(v, "UserID")?,
            };
            let (nick, face) = nick_and_face(obj)?;
            accounts.push((id, nick, face));
        }
    } else if body.get("Accounts").is_some_and(|v| !v.is_null()) {
        let list = req_array(body, "Accounts", codes::ACCOUNT_BAD_PARAMETER)?;
        check_batch(list.len(), "Accounts")?;
        for item in list {
            accounts.push((account_value(item, "Accounts")?, None, None));
        }
    } else {
        return Err(Fail::new(
            codes::ACCOUNT_BAD_PARAMETER,
            "`AccountList` (or the older `Accounts`) is required",
        ));
    }

    let mut failed: Vec<Value> = Vec::new();
    for (id, nick, face) in accounts {
        if user_id_problem(id).is_some() {
            failed.push(Value::from(id));
        } else {
            import(inner, ctx.now, id, nick, face);
        }
    }
    let mut out = Obj::new();
    out.insert("FailAccounts".into(), Value::Array(failed));
    Ok(out)
}

fn check_batch(len: usize, what: &str) -> Result<(), Fail> {
    if len == 0 {
        return Err(Fail::new(
            codes::ACCOUNT_BAD_PARAMETER,
            format!("`{what}` must not be empty"),
        ));
    }
    if len > MAX_BATCH {
        return Err(Fail::new(
            codes::ACCOUNT_BATCH_COUNT,
            format!("`{what}` holds {len} items; at most {MAX_BATCH} are allowed per request"),
        ));
    }
    Ok(())
}

/// The UserIDs of a `[{UserID}]` list such as `CheckItem` or `DeleteItem`.
fn user_id_items<'a>(body: &'a Obj, key: &str) -> Result<Vec<&'a str>, Fail> {
    let list = req_array(body, key, codes::ACCOUNT_BAD_PARAMETER)?;
    check_batch(list.len(), key)?;
    list.iter()
        .enumerate()
        .map(|(i, item)| {
            let obj = item.as_object().ok_or_else(|| {
                Fail::new(
                    codes::ACCOUNT_BAD_PARAMETER,
                    format!("`{key}[{i}]` must be an object with `UserID`"),
                )
            })?;
            req_account(obj, &["UserID", "Identifier"], codes::ACCOUNT_BAD_PARAMETER)
        })
        .collect()
}

/// `account_check`: `CheckItem` [{UserID}] → `ResultItem` with `AccountStatus`.
pub(crate) fn account_check(inner: &mut Inner, ctx: &Ctx<'_>, body: &Obj) -> OpResult {
    let ids = user_id_items(body, "CheckItem")?;
    let items: Vec<Value> = ids
        .into_iter()
        .map(|id| {
            let status = if ctx.exists(inner, id) {
                "Imported"
            } else {
                "NotImported"
            };
            json!({"UserID": id, "ResultCode": 0, "ResultInfo": "", "AccountStatus": status})
        })
        .collect();
    let mut out = Obj::new();
    out.insert("ResultItem".into(), Value::Array(items));
    Ok(out)
}

/// `account_delete`: `DeleteItem` [{UserID}] → `ResultItem`; missing accounts get 70107.
///
/// Group memberships of a deleted account are left as they are.
pub(crate) fn account_delete(inner: &mut Inner, ctx: &Ctx<'_>, body: &Obj) -> OpResult {
    let ids = user_id_items(body, "DeleteItem")?;
    let items: Vec<Value> = ids
        .into_iter()
        .map(|id| {
            if id == ctx.admin {
                json!({"ResultCode": codes::ACCOUNT_BAD_PARAMETER,
                       "ResultInfo": "the App admin account cannot be deleted", "UserID": id})
            } else if inner.users.remove(id).is_some() {
                inner.presence.remove(id);
                inner.kicked.remove(id);
                json!({"ResultCode": 0, "ResultInfo": "", "UserID": id})
            } else {
                json!({"ResultCode": codes::ACCOUNT_NOT_FOUND, "ResultInfo": NOT_EXIST_INFO, "UserID": id})
            }
        })
        .collect();
    let mut out = Obj::new();
    out.insert("ResultItem".into(), Value::Array(items));
    Ok(out)
}

/// `kick`: `UserID` (or `Identifier`); the account must exist. The account reads as offline
/// afterwards (its login state is invalidated) and the time is recorded.
pub(crate) fn kick(inner: &mut Inner, ctx: &Ctx<'_>, body: &Obj) -> OpResult {
    let id = req_account(
        body,
        &["UserID", "Identifier"],
        codes::ACCOUNT_BAD_PARAMETER,
    )?;
    if !ctx.exists(inner, id) {
        return Err(Fail::new(
            codes::ACCOUNT_NOT_FOUND,
            format!("the account `{id}` has not been imported"),
        ));
    }
    inner.presence.remove(id);
    inner.kicked.insert(id.to_owned(), ctx.now);
    Ok(Obj::new())
}

/// `openim/query_online_status` (and its earlier name `openim/querystate`): `To_Account`
/// [≤500], `IsNeedDetail` 0/1 → `QueryResult` [{`To_Account`, `Status`, `Detail`?}] for
/// imported accounts, `ErrorList` [{`To_Account`, `ErrorCode`: 70107}] for the others.
///
/// Each result carries the state under both `Status` (the Chinese documentation and public
/// SDKs) and `State` (the English documentation's examples), since the vendor's own pages
/// disagree. `Detail` (with `IsNeedDetail` 1) lists one `{Platform, Status}` per online
/// account and is `[]` for offline ones.
pub(crate) fn query_online_status(inner: &mut Inner, ctx: &Ctx<'_>, body: &Obj) -> OpResult {
    let accounts = match field(body, &["To_Account"]) {
        None => {
            return Err(Fail::new(
                codes::MSG_TO_ACCOUNT_MISSING,
                "`To_Account` is required (an array of UserIDs)",
            ));
        }
        Some(Value::Array(list)) => list,
        Some(_) => {
            return Err(Fail::new(
                codes::MSG_TO_ACCOUNT_MISSING,
                "`To_Account` must be an array of UserIDs",
            ));
        }
    };
    if accounts.is_empty() {
        return Err(Fail::new(
            codes::MSG_TO_ACCOUNT_MISSING,
            "`To_Account` must name at least one account",
        ));
    }
    if accounts.len() > MAX_ONLINE_QUERY {
        return Err(Fail::new(
            codes::ACCOUNT_BAD_PARAMETER,
            format!(
                "`To_Account` holds {} accounts; at most {MAX_ONLINE_QUERY} per request",
                accounts.len()
            ),
        ));
    }
    let accounts: Vec<&str> = accounts
        .iter()
        .map(|v| account_value(v, "To_Account"))
        .collect::<Result<_, _>>()?;
    let detail = match opt_u64(body, "IsNeedDetail", codes::ACCOUNT_BAD_PARAMETER)? {
        None | Some(0) => false,
        Some(1) => true,
        Some(n) => {
            return Err(Fail::new(
                codes::ACCOUNT_BAD_PARAMETER,
                format!("`IsNeedDetail` must be 0 or 1, not {n}"),
            ));
        }
    };
    let mut results = Vec::with_capacity(accounts.len());
    let mut errors = Vec::new();
    for account in accounts {
        if !ctx.exists(inner, account) {
            errors.push(json!({"To_Account": account, "ErrorCode": codes::ACCOUNT_NOT_FOUND}));
            continue;
        }
        let entry = inner.presence.get(account);
        let status = entry.map_or(Presence::Offline, |p| p.status);
        let mut item = Obj::new();
        item.insert("To_Account".into(), Value::from(account));
        item.insert("Status".into(), Value::from(status.tencent_name()));
        item.insert("State".into(), Value::from(status.tencent_name()));
        if detail {
            let platforms: Vec<Value> = entry
                .map(|p| json!({"Platform": p.platform, "Status": p.status.tencent_name()}))
                .into_iter()
                .collect();
            item.insert("Detail".into(), Value::Array(platforms));
        }
        results.push(Value::Object(item));
    }
    let mut out = Obj::new();
    out.insert("QueryResult".into(), Value::Array(results));
    out.insert("ErrorList".into(), Value::Array(errors));
    Ok(out)
}
