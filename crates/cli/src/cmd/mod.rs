//! The commands that call a vendor through `ImProvider`, one module per family (named as the
//! core's families are), `call` for any operation of the registry, and `raw` for any endpoint.
//!
//! Each family module holds its clap subcommands and, next to their flags, the conversion of
//! those flags into the core's request (`TryFrom<…Args> for Request`). Results are printed
//! through serde ([`emit`]), so a command prints what `imbridge call` prints for the same
//! operation (the first commands, `user register|token`, `profile set`, `group create` and
//! `message send`, keep the output they always had).

pub(crate) mod call;
pub(crate) mod groups;
pub(crate) mod messages;
pub(crate) mod profiles;
pub(crate) mod raw;
pub(crate) mod users;

use std::future::Future;

use futures_util::StreamExt;

use imbridge::{
    Batch, ClientToken, CreatedGroup, Cursor, MessageReceipt, Page, PageRequest, Result,
};
use serde::Serialize;

use crate::failure::Failure;

/// A result the CLI prints: one JSON object on stdout, made by serde.
pub(crate) trait Outcome {
    /// The JSON text (one line).
    fn to_json(&self) -> serde_json::Result<String>;

    /// `(failed, total)` items of a batch; `(0, 0)` for anything else.
    fn counts(&self) -> (usize, usize) {
        (0, 0)
    }
}

impl<T: Serialize> Outcome for Batch<T> {
    fn to_json(&self) -> serde_json::Result<String> {
        serde_json::to_string(self)
    }

    fn counts(&self) -> (usize, usize) {
        (self.failed.len(), self.failed.len() + self.succeeded.len())
    }
}

impl<T: Serialize> Outcome for Page<T> {
    fn to_json(&self) -> serde_json::Result<String> {
        serde_json::to_string(self)
    }
}

/// An operation that returns nothing prints `{"ok":true}`.
impl Outcome for () {
    fn to_json(&self) -> serde_json::Result<String> {
        serde_json::to_string(&serde_json::json!({ "ok": true }))
    }
}

/// Results printed as they serialize.
macro_rules! plain_outcomes {
    ($($ty:ty),* $(,)?) => {$(
        impl Outcome for $ty {
            fn to_json(&self) -> serde_json::Result<String> {
                serde_json::to_string(self)
            }
        }
    )*};
}

plain_outcomes!(ClientToken, CreatedGroup, MessageReceipt);

/// Prints `outcome` on stdout; a batch with failed items is [`Failure::Partial`] (exit 3), after
/// the JSON is printed.
pub(crate) fn emit(outcome: &impl Outcome) -> std::result::Result<(), Failure> {
    let text = outcome
        .to_json()
        .map_err(|e| Failure::Other(format!("cannot print the result as JSON: {e}")))?;
    println!("{text}");
    match outcome.counts() {
        (0, _) => Ok(()),
        (failed, total) => Err(Failure::Partial { failed, total }),
    }
}

/// Every page of a listing from `first` on, walked with the facade's [`imbridge::pages`], as
/// one page (`next` is `None`), and the cursor the listing repeated, if it did (the walk stops
/// there: a vendor answering in circles would otherwise never end).
pub(crate) async fn all_pages<R, T, F, Fut>(first: R, fetch: F) -> Result<(Page<T>, Option<Cursor>)>
where
    R: PageRequest,
    F: FnMut(R) -> Fut,
    Fut: Future<Output = Result<Page<T>>>,
{
    let mut pages = std::pin::pin!(imbridge::pages(first, fetch));
    let mut items = Vec::new();
    let mut total = None;
    // The stream ends after a page without `next`, or after the page whose `next` repeats.
    let mut repeated = None;
    while let Some(page) = pages.next().await {
        let page = page?;
        items.extend(page.items);
        total = page.total.or(total);
        repeated = page.next;
    }
    Ok((Page::new(items).total(total), repeated))
}

/// Prints one page of a listing from `req`, or with `all` every page from there on as one.
pub(crate) async fn listing<R, T, F, Fut>(req: R, all: bool, mut fetch: F) -> Result<(), Failure>
where
    R: PageRequest,
    T: Serialize,
    F: FnMut(R) -> Fut,
    Fut: Future<Output = imbridge::Result<Page<T>>>,
{
    if !all {
        return emit(&fetch(req).await?);
    }
    let (page, repeated) = all_pages(req, fetch).await?;
    if let Some(cursor) = repeated {
        eprintln!("warning: the vendor returned cursor `{cursor}` a second time; stopped");
    }
    emit(&page)
}

#[cfg(test)]
mod tests {
    use super::*;
    use imbridge::{Error, ErrorKind, ListBannedUsers};

    fn run<F: Future>(f: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(f)
    }

    #[test]
    fn all_pages_follows_next_to_the_end() {
        let (page, repeated) = run(all_pages(ListBannedUsers::new(), |req| async move {
            let at: u32 = req
                .cursor
                .as_ref()
                .map_or(0, |c| c.as_str().parse().unwrap());
            let next = (at < 2).then(|| Cursor::new((at + 1).to_string()));
            Ok(Page::new(vec![at]).next(next).total(Some(3)))
        }))
        .unwrap();
        assert_eq!(page.items, [0, 1, 2]);
        assert_eq!((page.next, page.total, repeated), (None, Some(3), None));
    }

    #[test]
    fn all_pages_stops_on_a_repeated_cursor() {
        let mut calls = 0;
        let (page, repeated) = run(all_pages(
            ListBannedUsers::new().cursor(Cursor::new("a")),
            |req| {
                calls += 1;
                let next = match req.cursor.as_ref().map(Cursor::as_str) {
                    Some("a") => "b",
                    _ => "a",
                };
                async move { Ok(Page::new(vec![calls]).next(Some(Cursor::new(next)))) }
            },
        ))
        .unwrap();
        assert_eq!(page.items, [1, 2]);
        assert_eq!(repeated, Some(Cursor::new("a")));
    }

    #[test]
    fn all_pages_passes_errors_on() {
        let err = run(all_pages(ListBannedUsers::new(), |_| async {
            Err::<Page<u32>, _>(Error::new(ErrorKind::Unsupported, "no"))
        }))
        .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Unsupported);
    }

    #[test]
    fn batches_count_their_failed_items_and_units_print_ok() {
        let mut batch = Batch::new();
        batch.push("a".to_owned());
        batch.fail("b", Error::new(ErrorKind::NotFound, "no such user"));
        assert_eq!(batch.counts(), (1, 2));
        let json: serde_json::Value = serde_json::from_str(&batch.to_json().unwrap()).unwrap();
        assert_eq!(json["succeeded"], serde_json::json!(["a"]));
        assert_eq!(json["failed"][0]["item"], "b");
        assert_eq!(json["failed"][0]["error"]["kind"], "not_found");
        assert_eq!(().to_json().unwrap(), r#"{"ok":true}"#);
        assert_eq!(().counts(), (0, 0));
    }
}
