//! Results of batch calls: what succeeded and, item by item, what failed.

use std::future::Future;

use futures_util::stream::{self, StreamExt};

use crate::{Error, ErrorKind, Result};

/// One failed item of a batch call: the item (a user id, a group id…) and why it failed,
/// classified by the vendor's code table like any other error.
#[derive(Debug, Clone)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct ItemError {
    /// The item that failed, as the request named it.
    pub item: String,
    /// Why; its kind says what to do (e.g. [`ErrorKind::NotFound`]
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
    /// makes each of its items fail with that error; when every chunk failed that way with an
    /// error that is not about the items themselves (not found, already exists, not allowed),
    /// the call failed, and the first chunk's error is returned.
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
    pub fn from_chunks(chunks: Vec<(Vec<String>, Result<Batch<T>>)>) -> Result<Batch<T>> {
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
            Some(e) if !any_ok && !is_about_the_item(&e) => Err(e),
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

/// Whether an error is about the item a call named (unknown, taken, not allowed) rather than
/// about the call (auth, network, rate, …).
fn is_about_the_item(e: &Error) -> bool {
    matches!(
        e.kind(),
        ErrorKind::NotFound | ErrorKind::AlreadyExists | ErrorKind::PermissionDenied
    )
}

/// Runs a batch call in chunks of at most `size` items, one after the other, and merges the
/// outcomes ([`Batch::from_chunks`]). When a chunk fails as a whole with an error about the
/// call (auth, network…), the later chunks are not sent and their items fail with that error
/// too: none is silently dropped.
///
/// ```
/// # tokio_test_block_on(async {
/// use imbridge_core::{Batch, batch::in_chunks};
///
/// let ids: Vec<String> = (0..5).map(|i| i.to_string()).collect();
/// let out = in_chunks(&ids, 2, |id| id.clone(), |chunk: &[String]| {
///     let ok = Batch { succeeded: chunk.to_vec(), ..Batch::new() };
///     async move { Ok(ok) }
/// }).await.unwrap();
/// assert_eq!(out.succeeded.len(), 5);
/// # });
/// # fn tokio_test_block_on<F: std::future::Future>(f: F) -> F::Output {
/// #     tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(f)
/// # }
/// ```
pub async fn in_chunks<'a, I, T, F, Fut>(
    items: &'a [I],
    size: usize,
    id: impl Fn(&I) -> String,
    mut call: F,
) -> Result<Batch<T>>
where
    F: FnMut(&'a [I]) -> Fut,
    Fut: Future<Output = Result<Batch<T>>>,
{
    let mut results = Vec::new();
    let mut stop: Option<Error> = None;
    for chunk in items.chunks(size.max(1)) {
        let ids: Vec<String> = chunk.iter().map(&id).collect();
        let result = match &stop {
            Some(e) => Err(e.clone()),
            None => call(chunk).await,
        };
        if let Err(e) = &result
            && !is_about_the_item(e)
        {
            stop.get_or_insert_with(|| e.clone());
        }
        results.push((ids, result));
    }
    Batch::from_chunks(results)
}

/// Runs one vendor call per item, at most `concurrency` at a time, and collects the outcome
/// in the items' order: an item whose call failed is a failed item (the call fails as a whole
/// only as [`Batch::from_chunks`] says).
///
/// ```
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// use imbridge_core::{Error, ErrorKind, batch::fan_out};
///
/// let ids = vec!["a".to_owned(), "missing".to_owned()];
/// let out = fan_out(&ids, 4, |id| id.clone(), |id: &String| {
///     let id = id.clone();
///     async move {
///         if id == "missing" { Err(Error::new(ErrorKind::NotFound, "no such user")) } else { Ok(id) }
///     }
/// }).await.unwrap();
/// assert_eq!(out.succeeded, ["a"]);
/// assert_eq!(out.failed[0].item, "missing");
/// # });
/// ```
pub async fn fan_out<'a, I, T, F, Fut>(
    items: &'a [I],
    concurrency: usize,
    id: impl Fn(&I) -> String,
    call: F,
) -> Result<Batch<T>>
where
    F: Fn(&'a I) -> Fut,
    Fut: Future<Output = Result<T>>,
{
    // The futures are made first, so that the stream's type holds no closure (a closure over
    // borrowed items in a stream adapter trips Rust's higher-ranked `Send` checks).
    let calls: Vec<Fut> = items.iter().map(call).collect();
    let results: Vec<Result<T>> = stream::iter(calls)
        .buffered(concurrency.max(1))
        .collect()
        .await;
    let chunks = items
        .iter()
        .zip(results)
        .map(|(item, r)| {
            let r = r.map(|t| Batch {
                succeeded: vec![t],
                failed: Vec::new(),
            });
            (vec![id(item)], r)
        })
        .collect();
    Batch::from_chunks(chunks)
}
