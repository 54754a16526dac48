//! The URL checks every REST call goes through, in the vendor's order: `sdkappid`,
//! `identifier`, `usersig`, `random`, `contenttype`, then the UserSig itself, then the admin
//! requirement.
//!
//! Names and values are case-sensitive. When a parameter is repeated, the first value counts.
//! `contenttype` may be absent (JSON is the only format); when present it must be `json`.
//! `random` must be present and a decimal uint32: the vendor documents it as required, and a
//! strict check catches clients that forget it.

use imbridge_tencent::usersig::{UserSigError, UserSigKey};

use super::TencentApp;
use super::codes;
use super::envelope::Fail;

/// The longest query value echoed back in an `ErrorInfo`.
const ECHO_MAX: usize = 48;

/// The first value of the query parameter `name`.
pub(crate) fn param<'a>(query: &'a [(String, String)], name: &str) -> Option<&'a str> {
    query
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// Runs every URL check; `now` is the current Unix time in seconds.
pub(crate) fn check(
    app: &TencentApp,
    key: &UserSigKey,
    query: &[(String, String)],
    now: u64,
) -> Result<(), Fail> {
    let sdkappid = param(query, "sdkappid")
        .filter(|v| !v.is_empty())
        .ok_or_else(|| {
            Fail::new(
                codes::SDKAPPID_MISSING,
                "the REST API needs the `sdkappid` URL parameter; check the request URL",
            )
        })?;
    if sdkappid.parse::<u64>().ok() != Some(app.sdkappid) {
        return Err(Fail::new(
            codes::BAD_SDKAPPID,
            format!(
                "sdkappid `{}` is invalid: it is not a number or not an app on this server",
                echo(sdkappid)
            ),
        ));
    }

    let identifier = param(query, "identifier").filter(|v| !v.is_empty()).ok_or_else(|| {
        Fail::new(
            codes::BAD_ACCOUNT_OR_SIG,
            "the `identifier` URL parameter is missing or empty; it must be the App admin account",
        )
    })?;

    let usersig = param(query, "usersig")
        .filter(|v| !v.is_empty())
        .ok_or_else(|| {
            Fail::new(
                codes::SIG_EMPTY,
                "the `usersig` URL parameter is missing or empty; sign one for the admin account",
            )
        })?;

    match param(query, "random") {
        None => {
            return Err(Fail::new(
                codes::HTTP_PARSE_ERROR,
                "the `random` URL parameter is missing; send a fresh unsigned 32-bit integer per request",
            ));
        }
        Some(r) if !is_u32(r) => {
            return Err(Fail::new(
                codes::HTTP_PARSE_ERROR,
                format!(
                    "the `random` URL parameter `{}` is not an unsigned 32-bit integer (0 - 4294967295)",
                    echo(r)
                ),
            ));
        }
        Some(_) => {}
    }

    if let Some(ct) = param(query, "contenttype").filter(|ct| *ct != "json") {
        return Err(Fail::new(
            codes::BAD_URL_PARAMETER,
            format!(
                "the `contenttype` URL parameter must be `json`, not `{}`",
                echo(ct)
            ),
        ));
    }

    key.verify(usersig, identifier, now)
        .map_err(|e| Fail::new(e.vendor_code(), sig_message(&e)))?;

    if identifier != app.admin {
        return Err(Fail::new(
            codes::ADMIN_REQUIRED,
            format!(
                "the REST API needs the App admin account as `identifier`; `{}` is not an admin",
                echo(identifier)
            ),
        ));
    }
    Ok(())
}

/// A decimal uint32, digits only.
fn is_u32(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) && s.parse::<u32>().is_ok()
}

/// A query value, shortened, for an `ErrorInfo` (never used for the UserSig).
fn echo(s: &str) -> String {
    if s.chars().count() <= ECHO_MAX {
        s.to_owned()
    } else {
        let mut out: String = s.chars().take(ECHO_MAX).collect();
        out.push('…');
        out
    }
}

/// A message for a refused UserSig that never repeats the sig or the key.
fn sig_message(err: &UserSigError) -> String {
    match err {
        UserSigError::Empty => "the UserSig is empty".to_owned(),
        UserSigError::Malformed(_) => {
            "the UserSig is invalid: it cannot be decoded (base64, zlib or JSON); check that it was not truncated"
                .to_owned()
        }
        UserSigError::SdkAppIdMismatch { expected, found } => format!(
            "the UserSig was made for sdkappid {found}, but the request is for sdkappid {expected}"
        ),
        UserSigError::IdentifierMismatch { expected, found } => format!(
            "the UserSig was made for identifier `{}`, but the request's identifier is `{}`",
            echo(found),
            echo(expected)
        ),
        UserSigError::Expired { expired_at, now } => format!(
            "the UserSig expired at Unix time {expired_at} (now {now}); sign a new one"
        ),
        UserSigError::UserbufMismatch | UserSigError::BadSignature => {
            "the UserSig does not verify: it was made with another secret key or altered".to_owned()
        }
        _ => "the UserSig is invalid".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_must_be_decimal_u32() {
        assert!(is_u32("0"));
        assert!(is_u32("4294967295"));
        assert!(!is_u32("4294967296"));
        assert!(!is_u32("-1"));
        assert!(!is_u32("+1"));
        assert!(!is_u32(" 1"));
        assert!(!is_u32(""));
        assert!(!is_u32("abc"));
    }

    #[test]
    fn echo_shortens() {
        assert_eq!(echo("abc"), "abc");
        assert_eq!(echo(&"x".repeat(100)).chars().count(), ECHO_MAX + 1);
    }
}
