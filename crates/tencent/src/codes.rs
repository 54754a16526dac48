//! Tencent's error codes mapped onto imbridge's [`ErrorKind`]s, with a retry verdict.
//!
//! Codes with a meaning of their own are listed one by one; the rest fall back by family
//! (`700xx` UserSig problems are auth errors, `90xxx` are parameter problems).

use imbridge_core::ErrorKind;

pub use imbridge_core::codes::CodeInfo;
use imbridge_core::codes::CodeTable;

const fn c(kind: ErrorKind, retryable: bool, meaning: &'static str) -> CodeInfo {
    CodeInfo::new(kind, retryable, meaning)
}

use ErrorKind::*;

/// Codes with a meaning of their own, sorted by code.
#[rustfmt::skip]
const TABLE: CodeTable = CodeTable::new(&[
    (10002, c(Unavailable, true, "internal group service error")),
    (10003, c(InvalidInput, false, "invalid command")),
    (10004, c(InvalidInput, false, "invalid parameter")),
    (10006, c(RateLimited, true, "group operation rate limit")),
    (10007, c(PermissionDenied, false, "no permission for this group operation")),
    (10010, c(NotFound, false, "the group does not exist or was dismissed")),
    (10014, c(Vendor, false, "the group is full")),
    (10015, c(NotFound, false, "invalid group id")),
    (10016, c(PermissionDenied, false, "rejected by the app's callback")),
    (10019, c(NotFound, false, "a user id does not exist")),
    (10021, c(AlreadyExists, false, "the group id is taken by another group")),
    (10023, c(RateLimited, true, "group message rate limit")),
    (10025, c(AlreadyExists, false, "the group id is already in use")),
    (20001, c(InvalidInput, false, "invalid request packet")),
    (20002, c(Auth, false, "invalid UserSig or A2")),
    (20003, c(NotFound, false, "the sender or recipient user id is invalid or does not exist")),
    (20004, c(Unavailable, true, "network error")),
    (20005, c(Unavailable, true, "internal server error")),
    (20006, c(PermissionDenied, false, "blocked by the app's before-send callback")),
    (20007, c(PermissionDenied, false, "the recipient blocklisted the sender")),
    (20009, c(PermissionDenied, false, "the users are not friends")),
    (20010, c(PermissionDenied, false, "not a friend of the recipient")),
    (20011, c(PermissionDenied, false, "the recipient is not a friend")),
    (20012, c(PermissionDenied, false, "the sender is muted")),
    (20016, c(PermissionDenied, false, "the message was already recalled")),
    (40001, c(InvalidInput, false, "invalid profile request parameter")),
    (40003, c(NotFound, false, "the account does not exist")),
    (40004, c(InvalidInput, false, "invalid profile field")),
    (40006, c(Unavailable, true, "internal profile service error")),
    (40601, c(InvalidInput, false, "profile value too long")),
    (60002, c(InvalidInput, false, "HTTP parse error: check the request URL")),
    (60003, c(InvalidInput, false, "the request body is not valid JSON")),
    (60004, c(Auth, false, "bad account or UserSig in the URL or body")),
    (60005, c(Auth, false, "bad account or UserSig in the URL or body")),
    (60006, c(Auth, false, "invalid or disabled sdkappid")),
    (60007, c(RateLimited, true, "REST API rate limit exceeded")),
    (60008, c(Unavailable, true, "service timeout or bad HTTP request")),
    (60009, c(Config, false, "unknown request resource: check the URL")),
    (60010, c(Auth, false, "the request needs the app admin account")),
    (60011, c(RateLimited, true, "sdkappid rate limit exceeded")),
    (60012, c(Config, false, "the request URL lacks the sdkappid")),
    (60013, c(Unavailable, true, "internal response parse error")),
    (60014, c(Unavailable, true, "account exchange timed out")),
    (60015, c(InvalidInput, false, "an account in the body is not a string")),
    (60016, c(InvalidInput, false, "too many accounts in one request")),
    (60017, c(InvalidInput, false, "invalid request parameter")),
    (60018, c(RateLimited, true, "too many requests")),
    (60019, c(RateLimited, true, "too many requests")),
    (60020, c(Vendor, false, "the app's plan has expired or is disabled")),
    (60021, c(PermissionDenied, false, "the caller's IP address is not allowed")),
    (70001, c(Auth, false, "the UserSig has expired")),
    (70002, c(Auth, false, "the UserSig is empty")),
    (70003, c(Auth, false, "the UserSig is invalid")),
    (70005, c(Auth, false, "the UserSig is invalid")),
    (70009, c(Auth, false, "the UserSig does not match the secret key")),
    (70013, c(Auth, false, "the UserSig's identifier does not match the request")),
    (70014, c(Auth, false, "the UserSig's sdkappid does not match the request")),
    (70016, c(Auth, false, "no key is configured for this sdkappid")),
    (70107, c(NotFound, false, "the account does not exist")),
    (70169, c(Unavailable, true, "server timeout")),
    (70202, c(Unavailable, true, "server timeout")),
    (70398, c(Vendor, false, "the app's account limit is reached")),
    (70402, c(InvalidInput, false, "invalid parameter")),
    (70403, c(Auth, false, "the request needs the app admin account")),
    (70500, c(Unavailable, true, "internal server error")),
    (80001, c(InvalidInput, false, "the content was blocked by moderation")),
    (80002, c(InvalidInput, false, "the message is too long")),
    (90008, c(NotFound, false, "the sender (From_Account) is not imported")),
    (90012, c(NotFound, false, "the recipient (To_Account) is not imported")),
    (90024, c(RateLimited, true, "push rate or quota limit")),
    (90045, c(RateLimited, true, "push rate or quota limit")),
    (90047, c(RateLimited, true, "push rate or quota limit")),
    (93000, c(InvalidInput, false, "the message is too long")),
]);

/// How imbridge reads Tencent error `code`.
///
/// ```
/// use imbridge_core::ErrorKind;
/// use imbridge_tencent::codes::classify;
///
/// assert_eq!(classify(70001).kind, ErrorKind::Auth);
/// assert!(classify(60007).retryable);
/// assert_eq!(classify(90099).kind, ErrorKind::InvalidInput); // by family
/// ```
pub fn classify(code: i64) -> CodeInfo {
    if let Some(info) = TABLE.get(code) {
        return info;
    }
    match code {
        70000..=70099 => c(Auth, false, ""),
        90000..=90999 => c(InvalidInput, false, ""),
        _ => c(Vendor, false, ""),
    }
}

/// Every code with a meaning of its own, for documentation and tests.
pub fn known_codes() -> impl Iterator<Item = (i64, CodeInfo)> {
    TABLE.entries().iter().copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_for_binary_search() {
        assert!(TABLE.is_sorted());
    }

    #[test]
    fn spec_families() {
        for code in [60007, 60011, 60018, 60019, 10006, 10023] {
            assert_eq!(classify(code).kind, RateLimited, "{code}");
            assert!(classify(code).retryable);
        }
        for code in [70169, 70202, 10002, 20004, 20005] {
            assert_eq!(classify(code).kind, Unavailable, "{code}");
            assert!(classify(code).retryable);
        }
        for code in [70001, 70002, 70003, 70005, 70009, 70013, 70014, 60010] {
            assert_eq!(classify(code).kind, Auth, "{code}");
            assert!(!classify(code).retryable);
        }
        assert_eq!(classify(10021).kind, AlreadyExists);
        assert_eq!(classify(10010).kind, NotFound);
        assert_eq!(classify(70077).kind, Auth);
        assert_eq!(classify(90001).kind, InvalidInput);
        assert_eq!(classify(12345).kind, Vendor);
    }
}
