//! RongCloud's status codes mapped onto imbridge's [`ErrorKind`]s, with a retry verdict.

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
    (1000, c(Unavailable, true, "internal server error")),
    (1001, c(Auth, false, "the app secret does not match")),
    (1002, c(InvalidInput, false, "parameter error")),
    (1003, c(InvalidInput, false, "no POST data")),
    (1004, c(Auth, false, "signature error")),
    (1005, c(InvalidInput, false, "parameter too long")),
    (1006, c(Auth, false, "the app is locked or deleted")),
    (1007, c(PermissionDenied, false, "this method is restricted for the app")),
    (1008, c(RateLimited, true, "call rate limit exceeded")),
    (1009, c(PermissionDenied, false, "the service is not enabled for the app")),
    (1050, c(Unavailable, true, "internal timeout")),
    (2007, c(Vendor, false, "the test-user limit is reached")),
]);

/// How imbridge reads RongCloud `code`.
///
/// ```
/// use imbridge_core::ErrorKind;
/// use imbridge_rongcloud::codes::classify;
///
/// assert_eq!(classify(1004).kind, ErrorKind::Auth);
/// assert!(classify(1008).retryable);
/// ```
pub fn classify(code: i64) -> CodeInfo {
    TABLE.get(code).unwrap_or(c(Vendor, false, ""))
}

/// Every code with a meaning of its own.
pub fn known_codes() -> impl Iterator<Item = (i64, CodeInfo)> {
    TABLE.entries().iter().copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted_and_spec_kinds() {
        assert!(TABLE.is_sorted());
        assert_eq!(classify(1001).kind, Auth);
        assert_eq!(classify(1002).kind, InvalidInput);
        assert_eq!(classify(1005).kind, InvalidInput);
        assert!(classify(1000).retryable && classify(1050).retryable);
        assert_eq!(classify(1008).kind, RateLimited);
        assert_eq!(classify(424242).kind, Vendor);
    }
}
