//! Answers: `{"code":200, ...fields}` on success, `{"code":N,"errorMessage":"..."}` on failure,
//! with `code` always first and the HTTP status of the code.

use serde_json::Value;

use super::codes;

/// A refusal: the vendor's code and a helpful English message (never containing the secret).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Fail {
    pub code: i64,
    pub message: String,
}

impl Fail {
    pub(crate) fn new(code: i64, message: impl Into<String>) -> Self {
        Fail {
            code,
            message: message.into(),
        }
    }

    /// 1002, parameter error.
    pub(crate) fn param(message: impl Into<String>) -> Self {
        Fail::new(codes::PARAM_ERROR, message)
    }

    /// 1005, parameter too long.
    pub(crate) fn too_long(message: impl Into<String>) -> Self {
        Fail::new(codes::PARAM_TOO_LONG, message)
    }

    /// 1004, signature error.
    pub(crate) fn auth(message: impl Into<String>) -> Self {
        Fail::new(codes::SIGNATURE_ERROR, message)
    }
}

/// The fields of a successful answer, in order, after `code`.
pub(crate) type Fields = Vec<(&'static str, Value)>;

/// What an operation answers.
pub(crate) type OpResult = Result<Fields, Fail>;

/// Renders an answer; returns (code, HTTP status, JSON text).
pub(crate) fn render(result: &OpResult) -> (i64, u16, String) {
    let mut out = String::with_capacity(64);
    match result {
        Ok(fields) => {
            out.push_str("{\"code\":200");
            for (key, value) in fields {
                out.push(',');
                out.push_str(&json_string(key));
                out.push(':');
                out.push_str(&serde_json::to_string(value).unwrap_or_else(|_| "null".to_owned()));
            }
            out.push('}');
            (codes::OK, 200, out)
        }
        Err(fail) => {
            out.push_str("{\"code\":");
            out.push_str(&fail.code.to_string());
            out.push_str(",\"errorMessage\":");
            out.push_str(&json_string(&fail.message));
            out.push('}');
            (fail.code, codes::http_status(fail.code), out)
        }
    }
}

pub(crate) fn json_string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_owned())
}

/// A value shortened for an error message (never used for secrets).
pub(crate) fn echo(s: &str) -> String {
    const MAX: usize = 48;
    if s.chars().count() <= MAX {
        s.to_owned()
    } else {
        let mut out: String = s.chars().take(MAX).collect();
        out.push('…');
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_comes_first() {
        let (code, status, text) = render(&Ok(vec![
            ("userId", Value::from("u1")),
            ("token", Value::from("t")),
        ]));
        assert_eq!((code, status), (200, 200));
        assert_eq!(text, r#"{"code":200,"userId":"u1","token":"t"}"#);
        let (code, status, text) = render(&Err(Fail::param("bad \"x\"")));
        assert_eq!((code, status), (1002, 400));
        assert_eq!(text, r#"{"code":1002,"errorMessage":"bad \"x\""}"#);
        let (_, status, _) = render(&Err(Fail::auth("no")));
        assert_eq!(status, 401);
    }

    #[test]
    fn echo_shortens() {
        assert_eq!(echo("abc"), "abc");
        assert_eq!(echo(&"é".repeat(100)).chars().count(), 49);
    }
}
