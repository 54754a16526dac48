//! Vendor error-code tables: what each code means for the caller.

use crate::ErrorKind;

/// How imbridge reads one vendor error code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodeInfo {
    /// The error kind the code maps to.
    pub kind: ErrorKind,
    /// Whether a later retry of the same request may succeed.
    pub retryable: bool,
    /// A short English meaning, or `""` when the code is only known by its family.
    pub meaning: &'static str,
}

impl CodeInfo {
    /// A code's reading.
    pub const fn new(kind: ErrorKind, retryable: bool, meaning: &'static str) -> Self {
        CodeInfo {
            kind,
            retryable,
            meaning,
        }
    }
}

/// A table of codes with a meaning of their own, sorted by code for binary search.
///
/// ```
/// use imbridge_core::ErrorKind;
/// use imbridge_core::codes::{CodeInfo, CodeTable};
///
/// const TABLE: CodeTable = CodeTable::new(&[
///     (1004, CodeInfo::new(ErrorKind::Auth, false, "signature error")),
///     (1008, CodeInfo::new(ErrorKind::RateLimited, true, "rate limited")),
/// ]);
/// assert!(TABLE.is_sorted());
/// assert_eq!(TABLE.get(1008).unwrap().kind, ErrorKind::RateLimited);
/// assert!(TABLE.get(1).is_none());
/// ```
#[derive(Debug, Clone, Copy)]
pub struct CodeTable {
    entries: &'static [(i64, CodeInfo)],
}

impl CodeTable {
    /// A table over `entries`, which must be sorted by code (see [`is_sorted`](Self::is_sorted)).
    pub const fn new(entries: &'static [(i64, CodeInfo)]) -> Self {
        CodeTable { entries }
    }

    /// The reading of `code`, if the table lists it.
    pub fn get(&self, code: i64) -> Option<CodeInfo> {
        self.entries
            .binary_search_by_key(&code, |(c, _)| *c)
            .ok()
            .map(|i| self.entries[i].1)
    }

    /// Every listed code, in order.
    pub fn entries(&self) -> &'static [(i64, CodeInfo)] {
        self.entries
    }

    /// Whether the codes are strictly increasing, as lookups need.
    pub fn is_sorted(&self) -> bool {
        self.entries.windows(2).all(|w| w[0].0 < w[1].0)
    }
}
