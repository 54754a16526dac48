//! Reading fields out of a request body, with the vendor's error code for each problem.
//!
//! Unknown fields are ignored and `null` counts as absent. A field of the wrong type is refused
//! with the code the caller gives, except accounts, which get the common 60015 when not strings.

use serde_json::Value;

use super::codes;
use super::envelope::{Fail, Obj};

/// The first of `keys` present (and not `null`) in `body`: current name first, legacy names after.
pub(crate) fn field<'a>(body: &'a Obj, keys: &[&str]) -> Option<&'a Value> {
    keys.iter()
        .find_map(|k| body.get(*k).filter(|v| !v.is_null()))
}

/// A required string field; missing or empty → `code`, not a string → `code`.
pub(crate) fn req_str<'a>(body: &'a Obj, key: &str, code: i64) -> Result<&'a str, Fail> {
    match opt_str(body, key, code)? {
        Some(s) if !s.is_empty() => Ok(s),
        _ => Err(Fail::new(
            code,
            format!("`{key}` is required and must be a non-empty string"),
        )),
    }
}

/// An optional string field; not a string → `code`.
pub(crate) fn opt_str<'a>(body: &'a Obj, key: &str, code: i64) -> Result<Option<&'a str>, Fail> {
    match field(body, &[key]) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(Fail::new(code, format!("`{key}` must be a string"))),
    }
}

/// An account (UserID) value: must be a string (60015 otherwise).
pub(crate) fn account_value<'a>(value: &'a Value, what: &str) -> Result<&'a str, Fail> {
    value.as_str().ok_or_else(|| {
        Fail::new(
            codes::ACCOUNT_NOT_STRING,
            format!(
                "`{what}` must be a string account (UserID), got {}",
                kind(value)
            ),
        )
    })
}

/// A required account field under any of `keys`: missing or empty → `missing_code`,
/// not a string → 60015.
pub(crate) fn req_account<'a>(
    body: &'a Obj,
    keys: &[&str],
    missing_code: i64,
) -> Result<&'a str, Fail> {
    let name = keys.first().copied().unwrap_or("account");
    match field(body, keys) {
        None => Err(Fail::new(missing_code, format!("`{name}` is required"))),
        Some(v) => {
            let s = account_value(v, name)?;
            if s.is_empty() {
                Err(Fail::new(
                    missing_code,
                    format!("`{name}` must not be empty"),
                ))
            } else {
                Ok(s)
            }
        }
    }
}

/// An optional account field: not a string → 60015, empty → `empty_code`.
pub(crate) fn opt_account<'a>(
    body: &'a Obj,
    key: &str,
    empty_code: i64,
) -> Result<Option<&'a str>, Fail> {
    match field(body, &[key]) {
        None => Ok(None),
        Some(v) => {
            let s = account_value(v, key)?;
            if s.is_empty() {
                Err(Fail::new(
                    empty_code,
                    format!("`{key}` must not be empty when given"),
                ))
            } else {
                Ok(Some(s))
            }
        }
    }
}

/// An optional unsigned integer field; not a non-negative integer → `code`.
pub(crate) fn opt_u64(body: &Obj, key: &str, code: i64) -> Result<Option<u64>, Fail> {
    match field(body, &[key]) {
        None => Ok(None),
        Some(v) => v
            .as_u64()
            .map(Some)
            .ok_or_else(|| Fail::new(code, format!("`{key}` must be a non-negative integer"))),
    }
}

/// A required uint32 field: missing, not an integer or out of range → `code`.
pub(crate) fn req_u32(body: &Obj, key: &str, code: i64) -> Result<u32, Fail> {
    let value = field(body, &[key]).ok_or_else(|| {
        Fail::new(
            code,
            format!("`{key}` is required (an unsigned 32-bit integer)"),
        )
    })?;
    value
        .as_u64()
        .and_then(|n| u32::try_from(n).ok())
        .ok_or_else(|| {
            Fail::new(
                code,
                format!(
                    "`{key}` must be an unsigned 32-bit integer (0 - 4294967295), got {}",
                    kind(value)
                ),
            )
        })
}

/// An optional array field; not an array → `code`.
pub(crate) fn opt_array<'a>(
    body: &'a Obj,
    key: &str,
    code: i64,
) -> Result<Option<&'a Vec<Value>>, Fail> {
    match field(body, &[key]) {
        None => Ok(None),
        Some(Value::Array(a)) => Ok(Some(a)),
        Some(_) => Err(Fail::new(code, format!("`{key}` must be an array"))),
    }
}

/// A required array field; missing or not an array → `code`.
pub(crate) fn req_array<'a>(body: &'a Obj, key: &str, code: i64) -> Result<&'a Vec<Value>, Fail> {
    opt_array(body, key, code)?
        .ok_or_else(|| Fail::new(code, format!("`{key}` is required (an array)")))
}

/// An optional object field; not an object → `code`.
pub(crate) fn opt_object<'a>(body: &'a Obj, key: &str, code: i64) -> Result<Option<&'a Obj>, Fail> {
    match field(body, &[key]) {
        None => Ok(None),
        Some(Value::Object(o)) => Ok(Some(o)),
        Some(_) => Err(Fail::new(code, format!("`{key}` must be an object"))),
    }
}

/// A short name of a JSON value's type, for messages.
pub(crate) fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(n) if n.is_u64() || n.is_i64() => "an integer",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A list of strings (for tag lists and filters); non-strings → `code`.
pub(crate) fn strings<'a>(
    values: &'a [Value],
    what: &str,
    code: i64,
) -> Result<Vec<&'a str>, Fail> {
    values
        .iter()
        .map(|v| {
            v.as_str()
                .ok_or_else(|| Fail::new(code, format!("`{what}` must hold strings only")))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(v: Value) -> Obj {
        v.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn legacy_names_and_types() {
        let b = obj(
            json!({"Identifier": "bob", "UserID": null, "N": 7, "S": "x", "Big": 4294967296u64}),
        );
        assert_eq!(req_account(&b, &["UserID", "Identifier"], 70402), Ok("bob"));
        assert_eq!(
            req_account(&obj(json!({"UserID": 5})), &["UserID"], 70402)
                .unwrap_err()
                .code,
            60015
        );
        assert_eq!(
            req_account(&obj(json!({})), &["UserID"], 70402)
                .unwrap_err()
                .code,
            70402
        );
        assert_eq!(req_u32(&b, "N", 90005), Ok(7));
        assert_eq!(req_u32(&b, "S", 90005).unwrap_err().code, 90005);
        assert_eq!(req_u32(&b, "Big", 90005).unwrap_err().code, 90005);
        assert_eq!(opt_str(&b, "N", 1).unwrap_err().code, 1);
        assert_eq!(opt_str(&b, "Missing", 1), Ok(None));
    }
}
