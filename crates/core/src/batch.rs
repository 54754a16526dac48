//! Results of batch calls: what succeeded and, item by item, what failed.

use crate::Error;

/// One failed item of a batch call: the item (a user id, a group id…) and why it failed,
/// classified by the vendor's code table like any other error.
#[derive(Debug, Clone)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct ItemError {
    /// The item that failed, as the request named it.
    pub item: String,
    /// Why; its kind says what to do (e.g. [`ErrorKind::NotFound`](crate::ErrorKind::NotFound)
    /// for an unknown user).
    pub error: Error,
}

impl ItemError {
    /// `item` failed with `error`.
    pub fn new(item: impl Into<String>, error: Error) -> Self {
        ItemError {
            item: item.into(),
            error,
        }
    }
}

/// The outcome of a batch call that went through: the items that succeeded and those that
/// failed. A call fails as a whole (`Err`) only when nothing could be done; a failed item is
/// never reported as a success.
///
/// ```
/// use imbridge_core::{Batch, Error, ErrorKind};
///
/// let mut batch = Batch::new();
/// batch.push("lilei");
/// batch.fail("nobody", Error::new(ErrorKind::NotFound, "no such user"));
/// assert!(!batch.is_complete());
/// assert_eq!(batch.failed[0].item, "nobody");
/// assert_eq!(batch.into_result().unwrap_err().kind(), ErrorKind::NotFound);
/// ```
#[derive(Debug, Clone)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Batch<T> {
    /// The items that succeeded, with what the vendor said about each.
    pub succeeded: Vec<T>,
    /// The items that failed.
    pub failed: Vec<ItemError>,
}

impl<T> Default for Batch<T> {
    fn default() -> Self {
        Batch {
            succeeded: Vec::new(),
            failed: Vec::new(),
        }
    }
}

impl<T> Batch<T> {
    /// An empty outcome.
    pub fn new() -> Self {
        Batch::default()
    }

    /// Records a success.
    pub fn push(&mut self, item: T) {
        self.succeeded.push(item);
    }

    /// Records that `item` failed with `error`.
    pub fn fail(&mut self, item: impl Into<String>, error: Error) {
        self.failed.push(ItemError::new(item, error));
    }

    /// Records that every one of `items` failed with `error` (a chunk the vendor refused as a
    /// whole).
    pub fn fail_all<I, S>(&mut self, items: I, error: &Error)
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        for item in items {
            self.fail(item, error.clone());
        }
    }

    /// Adds another outcome's items (e.g. of the next chunk).
    pub fn extend(&mut self, other: Batch<T>) {
        self.succeeded.extend(other.succeeded);
        self.failed.extend(other.failed);
    }

    /// Whether no item failed.
    pub fn is_complete(&self) -> bool {
        self.failed.is_empty()
    }

    /// The successes, or the first item's error when any item failed.
    pub fn into_result(self) -> crate::Result<Vec<T>> {
        match self.failed.into_iter().next() {
            None => Ok(self.succeeded),
            Some(f) => Err(f.error),
        }
    }

    /// The outcome of a call the backend split into several vendor calls (chunks, or one call
    /// per item): each chunk's items and its result. A chunk the vendor refused as a whole
    /// makes each of its items fail with that error; when every chunk failed that way, the
    /// call failed, and the first chunk's error is returned.
    ///
    /// ```
    /// use imbridge_core::{Batch, Error, ErrorKind};
    ///
    /// let ok: Batch<String> = Batch { succeeded: vec!["a".into()], ..Batch::new() };
    /// let down = Error::new(ErrorKind::Unavailable, "down");
    /// let merged = Batch::from_chunks(vec![
    ///     (vec!["a".to_owned()], Ok(ok)),
    ///     (vec!["b".to_owned()], Err(down.clone())),
    /// ]).unwrap();
    /// assert_eq!(merged.succeeded, ["a"]);
    /// assert_eq!(merged.failed[0].item, "b");
    /// let all_down = Batch::<String>::from_chunks(vec![(vec!["b".to_owned()], Err(down))]);
    /// assert!(all_down.is_err());
    /// ```
    pub fn from_chunks(chunks: Vec<(Vec<String>, crate::Result<Batch<T>>)>) -> crate::Result<Batch<T>> {
        let mut out = Batch::new();
        let mut first_err = None;
        let mut any_ok = false;
        for (items, result) in chunks {
            match result {
                Ok(batch) => {
                    any_ok = true;
                    out.extend(batch);
                }
                Err(e) => {
                    out.fail_all(items, &e);
                    first_err.get_or_insert(e);
                }
            }
        }
        match first_err {
            Some(e) if !any_ok => Err(e),
            _ => Ok(out),
        }
    }

    /// The outcome with each success mapped.
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Batch<U> {
        Batch {
            succeeded: self.succeeded.into_iter().map(f).collect(),
            failed: self.failed,
        }
    }
}
