//! Walking a listing page by page.

use std::collections::HashSet;
use std::future::Future;

use futures_util::stream::{self, Stream};
use imbridge_core::{Cursor, Page, PageRequest, Result};

/// Every page of a listing, as a stream: the first page of `request`, then each next page
/// until a page has no `next` cursor. A cursor that comes back a second time ends the stream
/// (a vendor answering in circles would otherwise never stop); an error is yielded and ends it.
///
/// ```no_run
/// use futures_util::TryStreamExt;
/// use imbridge::prelude::*;
/// use imbridge::{ListBannedUsers, pages};
///
/// # async fn f(im: std::sync::Arc<dyn ImProvider>) -> imbridge::Result<()> {
/// let all: Vec<_> = pages(ListBannedUsers::new().limit(100), |req| {
///     let im = im.clone();
///     async move { im.users().list_banned_users(&req).await }
/// })
/// .try_collect()
/// .await?;
/// let banned: Vec<String> = all.into_iter().flat_map(|p| p.items).map(|u| u.user_id).collect();
/// # drop(banned);
/// # Ok(()) }
/// ```
pub fn pages<R, T, F, Fut>(request: R, call: F) -> impl Stream<Item = Result<Page<T>>>
where
    R: PageRequest,
    F: FnMut(R) -> Fut,
    Fut: Future<Output = Result<Page<T>>>,
{
    let seen: HashSet<Cursor> = request.cursor().cloned().into_iter().collect();
    stream::unfold(
        (Some(request), seen, call),
        |(next, mut seen, mut call)| async move {
            let request = next?;
            match call(request.clone()).await {
                Err(e) => Some((Err(e), (None, seen, call))),
                Ok(page) => {
                    let following = match &page.next {
                        Some(cursor) if seen.insert(cursor.clone()) => {
                            let mut r = request;
                            r.set_cursor(Some(cursor.clone()));
                            Some(r)
                        }
                        Some(cursor) => {
                            tracing::warn!(%cursor, "the listing repeated a cursor; stopping");
                            None
                        }
                        None => None,
                    };
                    Some((Ok(page), (following, seen, call)))
                }
            }
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::StreamExt;
    use imbridge_core::{Error, ErrorKind, ListBannedUsers};

    fn page(items: &[u32], next: Option<&str>) -> Page<u32> {
        Page::new(items.to_vec()).next(next.map(Cursor::new))
    }

    async fn collect(
        answers: Vec<Result<Page<u32>>>,
    ) -> (Vec<Result<Page<u32>>>, Vec<Option<String>>) {
        let asked = std::sync::Mutex::new(Vec::new());
        let mut answers = answers.into_iter();
        let got = pages(ListBannedUsers::new(), |req: ListBannedUsers| {
            asked
                .lock()
                .unwrap()
                .push(req.cursor.map(|c| c.as_str().to_owned()));
            let answer = answers.next().expect("asked once too often");
            async move { answer }
        })
        .collect::<Vec<_>>()
        .await;
        (got, asked.into_inner().unwrap())
    }

    #[tokio::test]
    async fn follows_cursors_to_the_end() {
        let (got, asked) = collect(vec![
            Ok(page(&[1, 2], Some("p2"))),
            Ok(page(&[3], Some("p3"))),
            Ok(page(&[], None)),
        ])
        .await;
        assert_eq!(got.len(), 3);
        assert_eq!(asked, [None, Some("p2".into()), Some("p3".into())]);
    }

    #[tokio::test]
    async fn a_repeated_cursor_stops_the_stream() {
        let (got, asked) = collect(vec![
            Ok(page(&[1], Some("a"))),
            Ok(page(&[2], Some("b"))),
            Ok(page(&[3], Some("a"))),
        ])
        .await;
        assert_eq!(
            got.len(),
            3,
            "the page with the repeated cursor is still yielded"
        );
        assert_eq!(asked.len(), 3, "but its cursor is not followed");
    }

    #[tokio::test]
    async fn an_error_is_yielded_and_ends_the_stream() {
        let (got, asked) = collect(vec![
            Ok(page(&[1], Some("a"))),
            Err(Error::new(ErrorKind::Unavailable, "down")),
        ])
        .await;
        assert_eq!(got.len(), 2);
        assert!(got[1].is_err());
        assert_eq!(asked.len(), 2);
    }
}
