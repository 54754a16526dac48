//! Framework-neutral pieces of webhook (callback) handling shared by the vendors: the incoming
//! request, the ways a callback is refused, and a constant-time signature comparison.

use std::time::Duration;

use subtle::ConstantTimeEq;

/// The default largest callback body accepted: 1 MiB.
pub const DEFAULT_MAX_BODY: usize = 1024 * 1024;

/// An incoming callback as any web framework sees it: method, raw query string, headers, body.
///
/// ```
/// use imbridge_core::webhook::WebhookRequest;
///
/// let req = WebhookRequest::new("POST", "a=1&b=x%20y", b"{}".to_vec()).header("RC-Nonce", "n1");
/// assert_eq!(req.query_param("b").as_deref(), Some("x y"));
/// assert_eq!(req.header_value("rc-nonce"), Some("n1"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookRequest {
    method: String,
    query: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl WebhookRequest {
    /// A request with this method, raw query string (without `?`) and body.
    pub fn new(method: impl Into<String>, query: impl Into<String>, body: Vec<u8>) -> Self {
        WebhookRequest {
            method: method.into(),
            query: query.into(),
            headers: Vec::new(),
            body,
        }
    }

    /// Adds a header.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// The method.
    pub fn method(&self) -> &str {
        &self.method
    }

    /// The raw query string.
    pub fn query(&self) -> &str {
        &self.query
    }

    /// The body.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The first value of query parameter `name`, percent-decoded.
    pub fn query_param(&self, name: &str) -> Option<String> {
        url::form_urlencoded::parse(self.query.as_bytes())
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
    }

    /// The first value of header `name`, case-insensitively.
    pub fn header_value(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The header `name`, or else the query parameter `param`.
    pub fn header_or_query(&self, header: &str, param: &str) -> Option<String> {
        self.header_value(header)
            .map(str::to_owned)
            .or_else(|| self.query_param(param))
    }
}

/// Why a callback was refused. Each way has its own variant, so an app can log and count them.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WebhookError {
    /// Callbacks are POSTed.
    #[error("callbacks must be POSTed, not {0}")]
    MethodNotAllowed(String),
    /// The body is larger than the limit.
    #[error("the body is {size} bytes; the limit is {limit}")]
    TooLarge {
        /// The body's size.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// No signature was sent.
    #[error("the callback carries no signature")]
    MissingSignature,
    /// The signature does not match: another secret, or a tampered request.
    #[error("the signature does not match")]
    BadSignature,
    /// No timestamp was sent, or it is not a number.
    #[error("the callback's timestamp is missing or not a number")]
    BadTimestamp,
    /// The timestamp is too far from now: a replay or a wrong clock.
    #[error("the callback is {skew_secs} s away from now; at most {window_secs} s is accepted")]
    Stale {
        /// How far the timestamp is from now, in seconds.
        skew_secs: u64,
        /// The accepted window, in seconds.
        window_secs: u64,
    },
    /// The callback names another app.
    #[error("the callback is for app `{found}`, not `{expected}`")]
    WrongApp {
        /// Our app id.
        expected: String,
        /// The app id in the callback.
        found: String,
    },
    /// The body cannot be read.
    #[error("the body cannot be read: {0}")]
    BadBody(String),
}

impl WebhookError {
    /// The HTTP status to answer a refused callback with.
    pub fn http_status(&self) -> u16 {
        match self {
            WebhookError::MethodNotAllowed(_) => 405,
            WebhookError::TooLarge { .. } => 413,
            WebhookError::BadBody(_) => 400,
            _ => 401,
        }
    }
}

/// Compares a hex signature from a request with the expected digest in constant time (case
/// of the hex digits does not matter).
pub fn hex_signature_matches(given: &str, expected: &[u8]) -> bool {
    match hex::decode(given.trim().to_ascii_lowercase()) {
        Ok(bytes) => bytes.len() == expected.len() && bool::from(bytes.ct_eq(expected)),
        Err(_) => false,
    }
}

/// Checks that `timestamp_secs` is within `window` of `now_secs`.
pub fn check_freshness(
    timestamp_secs: u64,
    now_secs: u64,
    window: Duration,
) -> Result<(), WebhookError> {
    let skew = now_secs.abs_diff(timestamp_secs);
    if skew > window.as_secs() {
        return Err(WebhookError::Stale {
            skew_secs: skew,
            window_secs: window.as_secs(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_compare_by_value() {
        let digest = [0xab, 0xcd, 0x01];
        assert!(hex_signature_matches("abcd01", &digest));
        assert!(hex_signature_matches("ABCD01", &digest));
        assert!(!hex_signature_matches("abcd02", &digest));
        assert!(!hex_signature_matches("abcd", &digest));
        assert!(!hex_signature_matches("not hex", &digest));
    }

    #[test]
    fn freshness_window_both_ways() {
        let w = Duration::from_secs(60);
        assert!(check_freshness(1000, 1060, w).is_ok());
        assert!(check_freshness(1060, 1000, w).is_ok());
        assert_eq!(
            check_freshness(1000, 1061, w),
            Err(WebhookError::Stale {
                skew_secs: 61,
                window_secs: 60
            })
        );
    }

    #[test]
    fn statuses() {
        assert_eq!(WebhookError::BadSignature.http_status(), 401);
        assert_eq!(
            WebhookError::TooLarge { size: 2, limit: 1 }.http_status(),
            413
        );
        assert_eq!(
            WebhookError::MethodNotAllowed("GET".into()).http_status(),
            405
        );
    }
}
