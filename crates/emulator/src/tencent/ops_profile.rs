//! `profile`: setting and pulling profile fields (standard `Tag_Profile_IM_*` and custom
//! `Tag_Profile_Custom_*`).

use serde_json::{Value, json};

use super::Ctx;
use super::codes;
use super::envelope::{Fail, Obj, OpResult};
use super::params::{account_value, kind, req_account, req_array, strings};
use super::state::{Inner, UserRecord};

/// The prefix of custom profile tags.
const CUSTOM_PREFIX: &str = "Tag_Profile_Custom_";
/// The longest custom key (after the prefix), in bytes.
const MAX_CUSTOM_KEY: usize = 8;
/// The longest string value, in bytes.
const MAX_VALUE_BYTES: usize = 500;
/// The most accounts in one `portrait_get`.
const MAX_GET_ACCOUNTS: usize = 100;

/// What a profile tag's value must be.
#[derive(Clone, Copy)]
enum Rule {
    /// A string of at most this many bytes.
    Str(usize),
    /// One of these strings; the first is the default.
    Enum(&'static [&'static str]),
    /// An unsigned 32-bit integer.
    U32,
}

/// The standard profile fields.
const STANDARD: &[(&str, Rule)] = &[
    ("Tag_Profile_IM_Nick", Rule::Str(MAX_VALUE_BYTES)),
    (
        "Tag_Profile_IM_Gender",
        Rule::Enum(&[
            "Gender_Type_Unknown",
            "Gender_Type_Female",
            "Gender_Type_Male",
        ]),
    ),
    ("Tag_Profile_IM_BirthDay", Rule::U32),
    ("Tag_Profile_IM_Location", Rule::Str(16)),
    ("Tag_Profile_IM_SelfSignature", Rule::Str(MAX_VALUE_BYTES)),
    (
        "Tag_Profile_IM_AllowType",
        Rule::Enum(&[
            "AllowType_Type_NeedConfirm",
            "AllowType_Type_AllowAny",
            "AllowType_Type_DenyAny",
        ]),
    ),
    ("Tag_Profile_IM_Language", Rule::U32),
    ("Tag_Profile_IM_Image", Rule::Str(MAX_VALUE_BYTES)),
    ("Tag_Profile_IM_MsgSettings", Rule::U32),
    (
        "Tag_Profile_IM_AdminForbidType",
        Rule::Enum(&["AdminForbid_Type_None", "AdminForbid_Type_SendOut"]),
    ),
    ("Tag_Profile_IM_Level", Rule::U32),
    ("Tag_Profile_IM_Role", Rule::U32),
];

/// The rule of a standard tag, `Ok(None)` for a well-formed custom tag, or 40009.
fn rule(tag: &str) -> Result<Option<Rule>, Fail> {
    if let Some((_, rule)) = STANDARD.iter().find(|(t, _)| *t == tag) {
        return Ok(Some(*rule));
    }
    if let Some(key) = tag.strip_prefix(CUSTOM_PREFIX) {
        if !key.is_empty()
            && key.len() <= MAX_CUSTOM_KEY
            && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
        {
            return Ok(None);
        }
        return Err(Fail::new(
            codes::PROFILE_TAG_NOT_FOUND,
            format!(
                "custom profile tag `{tag}` is invalid: the key after `{CUSTOM_PREFIX}` must be 1 to {MAX_CUSTOM_KEY} letters"
            ),
        ));
    }
    Err(Fail::new(
        codes::PROFILE_TAG_NOT_FOUND,
        format!("profile tag `{tag}` does not exist"),
    ))
}

/// Checks one `{Tag, Value}` pair.
fn check_value(tag: &str, value: &Value) -> Result<(), Fail> {
    let wrong_type = |want: &str| {
        Fail::new(
            codes::PROFILE_BAD_VALUE_TYPE,
            format!("the value of `{tag}` must be {want}, got {}", kind(value)),
        )
    };
    let too_long = |max: usize| {
        Fail::new(
            codes::PROFILE_VALUE_TOO_LONG,
            format!("the value of `{tag}` is longer than {max} bytes"),
        )
    };
    match rule(tag)? {
        Some(Rule::Str(max)) => {
            let s = value.as_str().ok_or_else(|| wrong_type("a string"))?;
            if s.len() > max {
                return Err(too_long(max));
            }
        }
        Some(Rule::Enum(allowed)) => {
            let s = value.as_str().ok_or_else(|| wrong_type("a string"))?;
            if !allowed.contains(&s) {
                return Err(Fail::new(
                    codes::PROFILE_BAD_VALUE,
                    format!(
                        "`{s}` is not a valid value of `{tag}`; use one of {}",
                        allowed.join(", ")
                    ),
                ));
            }
        }
        Some(Rule::U32) => {
            let n = value
                .as_u64()
                .ok_or_else(|| wrong_type("an unsigned integer"))?;
            if u32::try_from(n).is_err() {
                return Err(Fail::new(
                    codes::PROFILE_BAD_VALUE,
                    format!("the value of `{tag}` must fit an unsigned 32-bit integer"),
                ));
            }
        }
        None => match value {
            Value::String(s) if s.len() > MAX_VALUE_BYTES => return Err(too_long(MAX_VALUE_BYTES)),
            Value::String(_) => {}
            v if v.is_u64() => {}
            _ => return Err(wrong_type("a string or an unsigned integer")),
        },
    }
    Ok(())
}

/// `portrait_set`: `From_Account`, `ProfileItem` [{Tag, Value}]; all items are checked before
/// any is applied.
pub(crate) fn portrait_set(inner: &mut Inner, ctx: &Ctx<'_>, body: &Obj) -> OpResult {
    let account = req_account(body, &["From_Account"], codes::PROFILE_BAD_PARAMETER)?;
    let items = req_array(body, "ProfileItem", codes::PROFILE_BAD_PARAMETER)?;
    if items.is_empty() {
        return Err(Fail::new(
            codes::PROFILE_BAD_PARAMETER,
            "`ProfileItem` must not be empty",
        ));
    }
    let mut changes: Vec<(&str, &Value)> = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let obj = item.as_object().ok_or_else(|| {
            Fail::new(
                codes::PROFILE_BAD_PARAMETER,
                format!("`ProfileItem[{i}]` must be an object with `Tag` and `Value`"),
            )
        })?;
        let tag = obj.get("Tag").and_then(Value::as_str).ok_or_else(|| {
            Fail::new(
                codes::PROFILE_BAD_PARAMETER,
                format!("`ProfileItem[{i}].Tag` is required (a string)"),
            )
        })?;
        let value = obj.get("Value").filter(|v| !v.is_null()).ok_or_else(|| {
            Fail::new(
                codes::PROFILE_BAD_PARAMETER,
                format!("`ProfileItem[{i}].Value` is required"),
            )
        })?;
        check_value(tag, value)?;
        changes.push((tag, value));
    }
    if !ctx.exists(inner, account) {
        return Err(Fail::new(
            codes::PROFILE_ACCOUNT_NOT_FOUND,
            format!("the account `{account}` has not been imported"),
        ));
    }
    let now = ctx.now;
    let user = inner
        .users
        .entry(account.to_owned())
        .or_insert_with(|| UserRecord::new(account, now));
    for (tag, value) in &changes {
        user.set_tag(tag, (*value).clone());
    }
    let items: Vec<Value> = changes
        .iter()
        .map(|(tag, value)| json!({"Tag": tag, "Value": value}))
        .collect();
    inner.raise(
        "Profile.CallbackPortraitSet",
        json!({
            "Operator_Account": ctx.admin,
            "From_Account": account,
            "ProfileItem": items,
        }),
    );
    let mut out = Obj::new();
    out.insert("ErrorDisplay".into(), Value::from(""));
    Ok(out)
}

/// The value of `tag` for `user`: the stored one, else the standard default, else none.
fn tag_value(user: Option<&UserRecord>, tag: &str, rule: Option<Rule>) -> Option<Value> {
    if let Some(v) = user.and_then(|u| u.profile.get(tag)) {
        return Some(v.clone());
    }
    match rule? {
        Rule::Str(_) => Some(Value::from("")),
        Rule::Enum(allowed) => allowed.first().map(|s| Value::from(*s)),
        Rule::U32 => Some(Value::from(0)),
    }
}

/// `portrait_get`: `To_Account` [≤100], `TagList` → `UserProfileItem`, `Fail_Account`.
/// Accounts that do not exist get `ResultCode` 40003; when none exists the call fails with it.
pub(crate) fn portrait_get(inner: &mut Inner, ctx: &Ctx<'_>, body: &Obj) -> OpResult {
    let accounts = req_array(body, "To_Account", codes::PROFILE_BAD_PARAMETER)?;
    if accounts.is_empty() {
        return Err(Fail::new(
            codes::PROFILE_NO_ACCOUNT,
            "`To_Account` must name at least one account",
        ));
    }
    if accounts.len() > MAX_GET_ACCOUNTS {
        return Err(Fail::new(
            codes::PROFILE_BAD_PARAMETER,
            format!(
                "`To_Account` holds {} accounts; at most {MAX_GET_ACCOUNTS} per request",
                accounts.len()
            ),
        ));
    }
    let accounts: Vec<&str> = accounts
        .iter()
        .map(|v| account_value(v, "To_Account"))
        .collect::<Result<_, _>>()?;
    let tags = strings(
        req_array(body, "TagList", codes::PROFILE_BAD_PARAMETER)?,
        "TagList",
        codes::PROFILE_BAD_PARAMETER,
    )?;
    if tags.is_empty() {
        return Err(Fail::new(
            codes::PROFILE_BAD_PARAMETER,
            "`TagList` must name at least one tag",
        ));
    }
    let rules: Vec<(&str, Option<Rule>)> = tags
        .iter()
        .map(|t| rule(t).map(|r| (*t, r)))
        .collect::<Result<_, _>>()?;

    let mut items = Vec::with_capacity(accounts.len());
    let mut failed = Vec::new();
    for account in accounts {
        if !ctx.exists(inner, account) {
            failed.push(Value::from(account));
            items.push(json!({
                "To_Account": account,
                "ProfileItem": [],
                "ResultCode": codes::PROFILE_ACCOUNT_NOT_FOUND,
                "ResultInfo": format!("the account `{account}` has not been imported"),
            }));
            continue;
        }
        let user = inner.users.get(account);
        let profile: Vec<Value> = rules
            .iter()
            .filter_map(|(tag, rule)| {
                tag_value(user, tag, *rule).map(|v| json!({"Tag": tag, "Value": v}))
            })
            .collect();
        items.push(json!({"To_Account": account, "ProfileItem": profile, "ResultCode": 0, "ResultInfo": ""}));
    }
    if failed.len() == items.len() {
        return Err(Fail::new(
            codes::PROFILE_ACCOUNT_NOT_FOUND,
            "none of the accounts in `To_Account` has been imported",
        ));
    }
    let mut out = Obj::new();
    out.insert("UserProfileItem".into(), Value::Array(items));
    if !failed.is_empty() {
        out.insert("Fail_Account".into(), Value::Array(failed));
    }
    out.insert("ErrorDisplay".into(), Value::from(""));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(tag: &str, value: Value) -> i64 {
        check_value(tag, &value).err().map_or(0, |f| f.code)
    }

    #[test]
    fn tag_values() {
        assert_eq!(code("Tag_Profile_IM_Nick", json!("bob")), 0);
        assert_eq!(code("Tag_Profile_IM_Nick", json!(5)), 40610);
        assert_eq!(code("Tag_Profile_IM_Nick", json!("x".repeat(501))), 40601);
        assert_eq!(
            code("Tag_Profile_IM_Location", json!("x".repeat(17))),
            40601
        );
        assert_eq!(code("Tag_Profile_IM_Gender", json!("Gender_Type_Male")), 0);
        assert_eq!(code("Tag_Profile_IM_Gender", json!("male")), 40605);
        assert_eq!(code("Tag_Profile_IM_BirthDay", json!(20190419)), 0);
        assert_eq!(code("Tag_Profile_IM_BirthDay", json!("20190419")), 40610);
        assert_eq!(code("Tag_Profile_IM_BirthDay", json!(-1)), 40610);
        assert_eq!(code("Tag_Profile_IM_Level", json!(4294967296u64)), 40605);
        assert_eq!(code("Tag_Profile_Custom_Hobby", json!("chess")), 0);
        assert_eq!(code("Tag_Profile_Custom_Score", json!(12)), 0);
        assert_eq!(code("Tag_Profile_Custom_Score", json!(1.5)), 40610);
        assert_eq!(code("Tag_Profile_Custom_TooLongKey", json!("x")), 40009);
        assert_eq!(code("Tag_Profile_IM_Bogus", json!("x")), 40009);
    }
}
