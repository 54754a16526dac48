//! The signature check every request goes through.
//!
//! Headers: `App-Key`, `Nonce`, `Timestamp`, `Signature`, each also accepted with an `RC-`
//! prefix (`RC-App-Key`, ...); when both forms are sent, the unprefixed one counts. Header names
//! are case-insensitive (HTTP). `Signature` is the hex SHA-1 of the UTF-8 bytes of
//! `app_secret + nonce + timestamp`, compared without regard to case and in constant time.
//!
//! `Timestamp` may be in seconds (what the official SDKs send) or milliseconds (what the
//! documentation says): a value of at least 10^11 is read as milliseconds. It must be within the
//! freshness window of the server's clock. `Nonce` may have at most 18 characters (documented).
//!
//! The checks run in this order: app key, nonce, timestamp format, signature, freshness. Every
//! refusal is HTTP 401 with code 1004 (see [`super::codes::SIGNATURE_ERROR`]). Messages never
//! contain the app secret.

use std::time::Duration;

use axum::http::HeaderMap;
use sha1::{Digest, Sha1};

use super::RongCloudApp;
use super::reply::{Fail, echo};

/// The longest `Nonce`, in characters (documented: "不超过 18 个字符").
pub(crate) const MAX_NONCE_CHARS: usize = 18;
/// Timestamps at or above this are milliseconds, below it seconds.
const MS_THRESHOLD: u64 = 100_000_000_000;

/// The auth headers of a request, as sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct AuthHeaders {
    pub app_key: Option<String>,
    pub nonce: Option<String>,
    pub timestamp: Option<String>,
    pub signature: Option<String>,
    /// Whether the app key came from `RC-App-Key`.
    pub rc_prefixed: bool,
}

impl AuthHeaders {
    pub(crate) fn read(headers: &HeaderMap) -> AuthHeaders {
        let (app_key, rc_prefixed) = match header(headers, "app-key") {
            Some(v) => (Some(v), false),
            None => match header(headers, "rc-app-key") {
                Some(v) => (Some(v), true),
                None => (None, false),
            },
        };
        let either =
            |name: &str| header(headers, name).or_else(|| header(headers, &format!("rc-{name}")));
        AuthHeaders {
            app_key,
            nonce: either("nonce"),
            timestamp: either("timestamp"),
            signature: either("signature"),
            rc_prefixed,
        }
    }
}

/// A header's value (lossily decoded), if present.
pub(crate) fn header(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
}

/// The lowercase hex SHA-1 of `secret + nonce + timestamp`.
pub fn signature(secret: &str, nonce: &str, timestamp: &str) -> String {
    let mut hasher = Sha1::new();
    hasher.update(secret.as_bytes());
    hasher.update(nonce.as_bytes());
    hasher.update(timestamp.as_bytes());
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Runs every check; `now_ms` is the current Unix time in milliseconds.
pub(crate) fn check(
    app: &RongCloudApp,
    window: Duration,
    h: &AuthHeaders,
    now_ms: u64,
) -> Result<(), Fail> {
    let app_key = h
        .app_key
        .as_deref()
        .filter(|v| !v.is_empty())
        .ok_or_else(|| {
            Fail::auth(
                "the App-Key header (or RC-App-Key) is missing; send the app key on every request",
            )
        })?;
    if app_key != app.app_key {
        return Err(Fail::auth(format!(
            "App-Key `{}` is not an app on this server; check the app key",
            echo(app_key)
        )));
    }

    let nonce = h
        .nonce
        .as_deref()
        .filter(|v| !v.is_empty())
        .ok_or_else(|| {
            Fail::auth("the Nonce header (or RC-Nonce) is missing; send a fresh random string")
        })?;
    let nonce_chars = nonce.chars().count();
    if nonce_chars > MAX_NONCE_CHARS {
        return Err(Fail::auth(format!(
            "the Nonce is {nonce_chars} characters long; at most {MAX_NONCE_CHARS} are allowed"
        )));
    }

    let timestamp = h
        .timestamp
        .as_deref()
        .filter(|v| !v.is_empty())
        .ok_or_else(|| {
            Fail::auth(
                "the Timestamp header (or RC-Timestamp) is missing; send the Unix time in \
                 milliseconds (or seconds)",
            )
        })?;
    let ts = parse_timestamp(timestamp).ok_or_else(|| {
        Fail::auth(format!(
            "the Timestamp `{}` is not a decimal Unix time in milliseconds or seconds",
            echo(timestamp)
        ))
    })?;

    let given = h
        .signature
        .as_deref()
        .filter(|v| !v.is_empty())
        .ok_or_else(|| {
            Fail::auth(
                "the Signature header (or RC-Signature) is missing; send the hex SHA-1 of \
                 App Secret + Nonce + Timestamp",
            )
        })?;
    let expected = signature(&app.app_secret, nonce, timestamp);
    if !constant_time_eq(given.to_ascii_lowercase().as_bytes(), expected.as_bytes()) {
        return Err(Fail::auth(
            "signature error: the Signature is not the hex SHA-1 of App Secret + Nonce + \
             Timestamp for this App-Key; check the App Key and App Secret",
        ));
    }

    let ts_ms = if ts >= MS_THRESHOLD {
        ts
    } else {
        ts.saturating_mul(1000)
    };
    let skew_ms = now_ms.abs_diff(ts_ms);
    if u128::from(skew_ms) > window.as_millis() {
        return Err(Fail::auth(format!(
            "the Timestamp {timestamp} is {} s away from the server's clock (at most {} s \
             allowed); sign each request with the current time",
            skew_ms / 1000,
            window.as_secs()
        )));
    }
    Ok(())
}

/// A decimal u64, digits only.
fn parse_timestamp(s: &str) -> Option<u64> {
    if s.bytes().all(|b| b.is_ascii_digit()) {
        s.parse().ok()
    } else {
        None
    }
}

/// Equality that does not stop at the first difference (lengths are not secret).
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn app() -> RongCloudApp {
        RongCloudApp {
            app_key: "key".into(),
            app_secret: "Y1W2MeFwwwRxa0".into(),
        }
    }

    fn headers(nonce: &str, ts: &str, sig: &str) -> AuthHeaders {
        AuthHeaders {
            app_key: Some("key".into()),
            nonce: Some(nonce.into()),
            timestamp: Some(ts.into()),
            signature: Some(sig.into()),
            rc_prefixed: false,
        }
    }

    const WINDOW: Duration = Duration::from_secs(300);

    #[test]
    fn vendor_vector() {
        assert_eq!(
            signature("Y1W2MeFwwwRxa0", "14314", "1408710653000"),
            "30be0bbca9c9b2e27578701e9fda2358a814c88f"
        );
    }

    #[test]
    fn seconds_and_milliseconds() {
        let now_ms = 1_408_710_653_000;
        let sig = "30be0bbca9c9b2e27578701e9fda2358a814c88f";
        assert!(
            check(
                &app(),
                WINDOW,
                &headers("14314", "1408710653000", sig),
                now_ms
            )
            .is_ok()
        );
        // Upper case hex is accepted.
        let upper = sig.to_ascii_uppercase();
        assert!(
            check(
                &app(),
                WINDOW,
                &headers("14314", "1408710653000", &upper),
                now_ms
            )
            .is_ok()
        );
        let s = signature("Y1W2MeFwwwRxa0", "1", "1408710653");
        assert!(check(&app(), WINDOW, &headers("1", "1408710653", &s), now_ms).is_ok());
        // 301 s late.
        let s = signature("Y1W2MeFwwwRxa0", "1", "1408710352");
        assert_eq!(
            check(&app(), WINDOW, &headers("1", "1408710352", &s), now_ms)
                .unwrap_err()
                .code,
            1004
        );
    }

    #[test]
    fn refusals() {
        let now_ms = 1_408_710_653_000;
        let good = headers(
            "14314",
            "1408710653000",
            "30be0bbca9c9b2e27578701e9fda2358a814c88f",
        );
        let mut h = good.clone();
        h.app_key = None;
        assert!(check(&app(), WINDOW, &h, now_ms).is_err());
        let mut h = good.clone();
        h.app_key = Some("other".into());
        assert!(check(&app(), WINDOW, &h, now_ms).is_err());
        let mut h = good.clone();
        h.nonce = Some("x".repeat(19));
        assert!(check(&app(), WINDOW, &h, now_ms).is_err());
        let mut h = good.clone();
        h.timestamp = Some("-5".into());
        assert!(check(&app(), WINDOW, &h, now_ms).is_err());
        let mut h = good.clone();
        h.signature = Some("0".repeat(40));
        let fail = check(&app(), WINDOW, &h, now_ms).unwrap_err();
        assert_eq!(fail.code, 1004);
        assert!(!fail.message.contains("Y1W2MeFwwwRxa0"));
    }
}
