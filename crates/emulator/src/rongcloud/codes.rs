//! Every code the RongCloud half of the emulator answers with, in one table, with the HTTP status
//! it is sent with.
//!
//! Sources for the meanings and HTTP statuses: the vendor's status code page ("Server API 状态码",
//! docs.rongcloud.cn `/platform-chat-api/status-codes`, mirrored in many places), which lists
//! 404/404, 1000/500, 1001/401, 1002/400, 1003/400, 1004/401, 1005/400, 1006/401, 1007/401,
//! 1008/429, 1009/430, 1050/504, 2007/403, and says HTTP 405 means "群容量超出上限，禁止调用"
//! (group capacity exceeded). The signature page says a failed signature check answers HTTP 401.
//!
//! The *meaning* of each code is documented by the vendor. Where the vendor does not say which
//! code one particular situation gets (for example which code a too-long `Nonce` gets), the
//! constant says `// unconfirmed` next to that pairing: it is the most plausible one, not a
//! documented one.

/// Success (HTTP 200).
pub const OK: i64 = 200;

/// The requested path does not exist (HTTP 404). Documented as code 404 with HTTP 404.
pub const NOT_FOUND: i64 = 404;

/// Group capacity exceeded (HTTP 405): a group would get more than 3000 members.
/// The HTTP status 405 is documented for this situation; the body code is not.
pub const GROUP_FULL: i64 = 405; // unconfirmed (the body code; HTTP 405 is documented)

/// Internal server error (HTTP 500). Used by [`crate::Fault::Status`] for 5xx statuses other than
/// 504.
pub const INTERNAL_ERROR: i64 = 1000;

/// App Secret mismatch: the App Key does not match the App Secret (HTTP 401). Documented, but the
/// vendor does not say when it answers 1001 rather than 1004 (a wrong secret only shows as a wrong
/// signature), so the emulator never answers it.
pub const APP_SECRET_MISMATCH: i64 = 1001;

/// Parameter error (HTTP 400): a missing required parameter, a value of the wrong form (a user
/// id with characters other than letters, digits and `+ = - _`, a built-in message's `content`
/// that is not a JSON object, a body that is not a JSON object on a JSON API).
/// Also used for a wrong `Content-Type`, // unconfirmed
/// a targeted group message (`toUserId`) to more than one group, // unconfirmed
/// too many items in a list parameter, // unconfirmed
/// an unknown user in `/user/refresh.json` and `/user/info.json`, // unconfirmed
/// a non-POST method. // unconfirmed
pub const PARAM_ERROR: i64 = 1002;

/// No POST data (HTTP 400): the body is empty.
pub const NO_POST_DATA: i64 = 1003;

/// Signature error (HTTP 401): a missing, malformed or wrong `Signature`.
/// Also used for a missing or unknown `App-Key`, // unconfirmed
/// a missing, malformed or stale `Timestamp`, // unconfirmed
/// a missing `Nonce` or one longer than 18 characters. // unconfirmed
pub const SIGNATURE_ERROR: i64 = 1004;

/// Parameter too long (HTTP 400): a string parameter over its documented length.
/// Also used for a request body over 4 MB. // unconfirmed
pub const PARAM_TOO_LONG: i64 = 1005;

/// App locked or deleted (HTTP 401). Not answered by the emulator.
pub const APP_LOCKED: i64 = 1006;

/// Method restricted (HTTP 401). Not answered by the emulator.
pub const METHOD_RESTRICTED: i64 = 1007;

/// Rate limit exceeded (HTTP 429). Used by [`crate::Fault::Status`]`(429)`.
pub const RATE_LIMITED: i64 = 1008;

/// Service not enabled (HTTP 430): answered on the profile hosting paths (`/entrust/*`, hosted
/// groups) while the emulated app's hosting is off
/// ([`crate::RongCloudState::set_group_hosting`]), as the vendor answers before the service is
/// enabled by a support ticket.
pub const SERVICE_NOT_ENABLED: i64 = 1009;

/// The code answered for a message publish repeating a `msgRandom` accepted less than a
/// minute before, while the app's `msgRandom` idempotency feature is on
/// ([`crate::RongCloudState::set_msg_random_dedup`]). The vendor documents only that "an error
/// code will be returned" (rc-java `MessageModel`), not which: the emulator answers 1002
/// (HTTP 400) with an `errorMessage` naming the duplicate `msgRandom` (unconfirmed code).
pub const MSG_RANDOM_DUPLICATE: i64 = PARAM_ERROR;

/// Internal service timeout (HTTP 504). Used by [`crate::Fault::Status`]`(504)`.
pub const INTERNAL_TIMEOUT: i64 = 1050;

/// Test-user limit exceeded (HTTP 403). Not answered by the emulator.
pub const TEST_USER_LIMIT: i64 = 2007;

/// Not a vendor code (HTTP 501): the path exists at the vendor but the emulator does not
/// emulate it; the answer also carries the header `x-imbridge-emulator: not-emulated` (see
/// [`crate::rongcloud::NOT_EMULATED`]).
pub const NOT_EMULATED: i64 = 501;

/// Every code above with its meaning and HTTP status: `(code, http_status, meaning)`.
pub const TABLE: &[(i64, u16, &str)] = &[
    (OK, 200, "success"),
    (
        NOT_FOUND,
        404,
        "not found: the server cannot find the requested path",
    ),
    (GROUP_FULL, 405, "group capacity exceeded"),
    (INTERNAL_ERROR, 500, "internal server error"),
    (
        NOT_EMULATED,
        501,
        "not emulated: the path exists at the vendor but not in imbridge-emulator",
    ),
    (
        APP_SECRET_MISMATCH,
        401,
        "App Secret error: the App Key does not match the App Secret",
    ),
    (PARAM_ERROR, 400, "parameter error"),
    (NO_POST_DATA, 400, "no POST data"),
    (SIGNATURE_ERROR, 401, "signature verification error"),
    (PARAM_TOO_LONG, 400, "parameter too long"),
    (APP_LOCKED, 401, "app locked or deleted"),
    (METHOD_RESTRICTED, 401, "method restricted"),
    (RATE_LIMITED, 429, "rate limit exceeded"),
    (SERVICE_NOT_ENABLED, 430, "service not enabled"),
    (INTERNAL_TIMEOUT, 504, "internal service timeout"),
    (TEST_USER_LIMIT, 403, "test user limit exceeded"),
];

/// The HTTP status a code is answered with (500 for a code not in [`TABLE`]).
pub fn http_status(code: i64) -> u16 {
    TABLE
        .iter()
        .find(|(c, _, _)| *c == code)
        .map(|(_, status, _)| *status)
        .unwrap_or(500)
}

/// The documented meaning of a code, if it is in [`TABLE`].
pub fn meaning(code: i64) -> Option<&'static str> {
    TABLE
        .iter()
        .find(|(c, _, _)| *c == code)
        .map(|(_, _, meaning)| *meaning)
}

/// The HTTP status a [`crate::Fault::VendorCode`] answers `code` with: the one in [`TABLE`]
/// (1000 → 500, 1008 → 429, 1050 → 504, 1004 → 401, 1002 → 400, ...), or 200 for a code not in
/// it.
pub fn fault_http_status(code: i64) -> u16 {
    TABLE
        .iter()
        .find(|(c, _, _)| *c == code)
        .map_or(200, |(_, status, _)| *status)
}

/// The code a [`crate::Fault::Status`] answers for an HTTP status: 429 → 1008, 504 → 1050,
/// 401 → 1004, 400 → 1002, 404 → 404, anything else → 1000.
pub fn for_fault_status(status: u16) -> i64 {
    match status {
        429 => RATE_LIMITED,
        504 => INTERNAL_TIMEOUT,
        401 => SIGNATURE_ERROR,
        400 => PARAM_ERROR,
        404 => NOT_FOUND,
        _ => INTERNAL_ERROR,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses() {
        assert_eq!(http_status(OK), 200);
        assert_eq!(http_status(SIGNATURE_ERROR), 401);
        assert_eq!(http_status(PARAM_ERROR), 400);
        assert_eq!(http_status(NO_POST_DATA), 400);
        assert_eq!(http_status(PARAM_TOO_LONG), 400);
        assert_eq!(http_status(RATE_LIMITED), 429);
        assert_eq!(http_status(INTERNAL_TIMEOUT), 504);
        assert_eq!(http_status(INTERNAL_ERROR), 500);
        assert_eq!(http_status(GROUP_FULL), 405);
        assert_eq!(http_status(12345), 500);
        assert!(meaning(NOT_FOUND).is_some());
        assert!(meaning(1).is_none());
        assert_eq!(fault_http_status(INTERNAL_ERROR), 500);
        assert_eq!(fault_http_status(RATE_LIMITED), 429);
        assert_eq!(fault_http_status(INTERNAL_TIMEOUT), 504);
        assert_eq!(fault_http_status(SIGNATURE_ERROR), 401);
        assert_eq!(fault_http_status(PARAM_ERROR), 400);
        assert_eq!(fault_http_status(20005), 200);
    }

    #[test]
    fn codes_are_unique() {
        for (i, (a, _, _)) in TABLE.iter().enumerate() {
            for (b, _, _) in &TABLE[i + 1..] {
                assert_ne!(a, b);
            }
        }
    }
}
