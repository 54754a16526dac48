//! Pages of a listing, with an opaque cursor to the next one.

use std::fmt;

/// Where the next page of a listing starts: opaque to callers, made and read by the backend
/// that returned it (a page number, an offset, a vendor token…), and serializable so that a
/// caller can hand it to a client and take it back.
///
/// A cursor is only meaningful to the backend (and the request) that returned it.
#[derive(Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(transparent))]
pub struct Cursor(String);

impl Cursor {
    /// A cursor holding `token`; for backends.
    pub fn new(token: impl Into<String>) -> Self {
        Cursor(token.into())
    }

    /// The token, for backends to read back.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Cursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Cursor({:?})", self.0)
    }
}

impl fmt::Display for Cursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One page of a listing.
///
/// ```
/// use imbridge_core::{Cursor, Page};
///
/// let page = Page::new(vec!["a", "b"]).next(Some(Cursor::new("2"))).total(Some(5));
/// assert!(page.has_more());
/// assert_eq!(page.items.len(), 2);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Page<T> {
    /// The items of this page.
    pub items: Vec<T>,
    /// Where the next page starts; `None` on the last page.
    pub next: Option<Cursor>,
    /// How many items the whole listing holds, when the vendor says.
    pub total: Option<u64>,
}

impl<T> Page<T> {
    /// A last page holding `items`.
    pub fn new(items: Vec<T>) -> Self {
        Page {
            items,
            next: None,
            total: None,
        }
    }

    /// Sets the cursor to the next page.
    pub fn next(mut self, next: Option<Cursor>) -> Self {
        self.next = next;
        self
    }

    /// Sets the listing's total.
    pub fn total(mut self, total: Option<u64>) -> Self {
        self.total = total;
        self
    }

    /// Whether another page follows.
    pub fn has_more(&self) -> bool {
        self.next.is_some()
    }
}

/// A request for one page of a listing: where it starts. The facade's `pages()` uses it to
/// walk a listing to its end.
pub trait PageRequest: Clone + Send + Sync {
    /// The cursor the request starts at (`None`: the first page).
    fn cursor(&self) -> Option<&Cursor>;
    /// Makes the request start at `cursor`.
    fn set_cursor(&mut self, cursor: Option<Cursor>);
}
