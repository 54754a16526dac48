//! The answer envelope: `{"ActionStatus":..,"ErrorCode":..,"ErrorInfo":..}` plus op fields.

use serde_json::{Map, Value};

/// A JSON object, as requests and op answers are handled.
pub(crate) type Obj = Map<String, Value>;

/// A refusal: the vendor's error code and a helpful English message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Fail {
    pub code: i64,
    pub info: String,
}

impl Fail {
    pub(crate) fn new(code: i64, info: impl Into<String>) -> Self {
        Fail {
            code,
            info: info.into(),
        }
    }
}

/// What an operation answers: its fields on success, or a refusal.
pub(crate) type OpResult = Result<Obj, Fail>;

/// Renders the envelope with `ActionStatus`, `ErrorCode`, `ErrorInfo` first, then the op fields.
/// Returns the error code too, for the request log.
pub(crate) fn render(result: &OpResult) -> (i64, String) {
    let (status, code, info, fields) = match result {
        Ok(fields) => ("OK", 0, "", Some(fields)),
        Err(fail) => ("FAIL", fail.code, fail.info.as_str(), None),
    };
    let mut out = String::with_capacity(128);
    out.push_str("{\"ActionStatus\":\"");
    out.push_str(status);
    out.push_str("\",\"ErrorCode\":");
    out.push_str(&code.to_string());
    out.push_str(",\"ErrorInfo\":");
    out.push_str(&json_string(info));
    for (key, value) in fields.into_iter().flatten() {
        out.push(',');
        out.push_str(&json_string(key));
        out.push(':');
        out.push_str(&serde_json::to_string(value).unwrap_or_else(|_| "null".to_owned()));
    }
    out.push('}');
    (code, out)
}

fn json_string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn envelope_fields_come_first() {
        let mut fields = Obj::new();
        fields.insert("GroupId".into(), Value::from("@TGS#1"));
        let (code, text) = render(&Ok(fields));
        assert_eq!(code, 0);
        assert_eq!(
            text,
            r#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","GroupId":"@TGS#1"}"#
        );
        let (code, text) = render(&Err(Fail::new(60003, "bad \"json\"")));
        assert_eq!(code, 60003);
        assert_eq!(
            text,
            r#"{"ActionStatus":"FAIL","ErrorCode":60003,"ErrorInfo":"bad \"json\""}"#
        );
    }
}
