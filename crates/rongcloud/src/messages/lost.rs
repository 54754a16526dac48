//! A send whose answer was lost: find out from history whether the vendor stored it, so that
//! a message is neither sent twice nor reported sent when it was not.
//!
//! RongCloud's publish is not idempotent (`msgRandom` de-duplicates only where the app had the
//! feature enabled by a ticket), so a send that may have reached the vendor is never repeated
//! blind. Instead:
//!
//! 1. the conversation's history is read over a short window around the send time recorded
//!    before sending (from [`WINDOW_BEFORE_MS`] before it to [`WINDOW_AFTER_MS`] after now) —
//!    a one-to-one message from the recipient's side (the vendor keeps it there; the sender's
//!    side has it only with `isIncludeSender`), a group message from the sender's;
//! 2. exactly one message with the same sender, target, `objectName` and content: the send
//!    succeeded, with that message's UID and time — one copy;
//! 3. none, and history answered: the vendor stored nothing, so sending once more cannot make
//!    a second copy; the message is sent again, once (a second lost answer is checked the same
//!    way, without a third send);
//! 4. history unavailable (cloud storage off, the query failing) or more than one candidate
//!    (an identical message sent just before): the original error is returned, marked
//!    [outcome-unknown](imbridge_core::Error::is_outcome_unknown).
//!
//! Limits: an identical message (same sender, target, type and content) stored within
//! [`WINDOW_BEFORE_MS`] before this send, while this one was not stored, would be taken for
//! it; and a vendor that made a stored message visible in history only later than the query
//! (unconfirmed) would make step 3 resend it.

use imbridge_core::catalogue::Endpoint;
use imbridge_core::{CallOptions, Operation, Result};
use serde::Serialize;
use serde_json::Value;

use super::PublishAnswer;
use super::history::{Continue, Kind, Query, QueryAnswer, Stored};
use crate::client::RongCloudClient;
use crate::endpoints;

/// How long before the recorded send time a stored copy may be stamped (clock skew between
/// the client and the vendor).
pub const WINDOW_BEFORE_MS: u64 = 2_000;
/// How long after the check's own time a stored copy may be stamped.
pub const WINDOW_AFTER_MS: u64 = 5_000;
/// The page size of the check's queries, and the most pages it reads.
const CHECK_PAGE: u32 = 100;
const CHECK_PAGES: usize = 10;

/// What was sent, to recognise it in history.
pub(crate) struct Sent<'a> {
    pub conversation: Kind,
    pub from: &'a str,
    pub target: &'a str,
    pub object_name: &'a str,
    pub content: &'a str,
}

/// What history says about a send.
enum Check {
    /// Stored once: its UID and time.
    Found(String, u64),
    /// History answered and holds no copy.
    NotStored,
    /// History could not tell (unavailable, or more than one candidate).
    Unknown,
}

/// Whether two contents are the same message: equal strings, or equal JSON.
fn same_content(a: &str, b: &str) -> bool {
    a == b
        || matches!(
            (serde_json::from_str::<Value>(a), serde_json::from_str::<Value>(b)),
            (Ok(x), Ok(y)) if x == y
        )
}

impl RongCloudClient {
    /// Sends `body` once; after a lost answer, checks history and sends again only when the
    /// vendor stored nothing (see the module docs). The message's UID and send time.
    pub(super) async fn publish_checked<B: Serialize + Sync>(
        &self,
        op: Operation,
        endpoint: &Endpoint,
        options: &CallOptions,
        body: &B,
        sent: &Sent<'_>,
    ) -> Result<(String, u64)> {
        let mut resent = false;
        loop {
            let sent_ms = self.now_ms();
            let err = match self
                .run::<_, PublishAnswer>(op, endpoint, options, body)
                .await
            {
                Ok(answer) => return Ok((answer.first(), sent_ms)),
                Err(e) if e.is_outcome_unknown() => e,
                Err(e) => return Err(e),
            };
            match self.check_sent(op, options, sent, sent_ms).await {
                Check::Found(uid, at_ms) => {
                    tracing::info!(operation = %op, message_uid = %uid, "a send whose answer was lost was found in history");
                    return Ok((uid, at_ms));
                }
                Check::NotStored if !resent => {
                    tracing::info!(operation = %op, "a send whose answer was lost is not in history; sending it again");
                    resent = true;
                }
                Check::NotStored | Check::Unknown => return Err(err),
            }
        }
    }

    /// Reads history around `sent_ms` for the message `sent`.
    async fn check_sent(
        &self,
        op: Operation,
        options: &CallOptions,
        sent: &Sent<'_>,
        sent_ms: u64,
    ) -> Check {
        let (endpoint, user, target) = match sent.conversation {
            Kind::Private => (&endpoints::PRIVATE_QUERY, sent.target, sent.from),
            Kind::Group => (&endpoints::GROUP_QUERY, sent.from, sent.target),
            Kind::System => return Check::Unknown,
        };
        // Oldest first, from just before the send to just after now; same-millisecond
        // neighbours across a page boundary are asked again and left out by UID.
        let end = self.now_ms() + WINDOW_AFTER_MS;
        let mut start = sent_ms.saturating_sub(WINDOW_BEFORE_MS);
        let mut include_start = true;
        let mut seen: Vec<String> = Vec::new();
        let mut found: Vec<Stored> = Vec::new();
        for _ in 0..CHECK_PAGES {
            let asked = Continue::query_size(CHECK_PAGE, &seen);
            let query = Query {
                user_id: user,
                target_id: target,
                start_time: start,
                end_time: end,
                page_size: asked,
                include_start,
            };
            let answer: Result<QueryAnswer> = self.run(op, endpoint, options, &query).await;
            let data = match answer {
                Ok(a) => a.data,
                Err(e) => {
                    tracing::warn!(operation = %op, error = %e, "history could not tell whether a send whose answer was lost was stored");
                    return Check::Unknown;
                }
            };
            let (fresh, next) = Continue::page(data, asked, CHECK_PAGE, start, end, &seen);
            found.extend(fresh.into_iter().filter(|m| {
                m.from_user_id == sent.from
                    && m.object_name == sent.object_name
                    && same_content(&m.content_text(), sent.content)
                    && m.time_ms() + WINDOW_BEFORE_MS >= sent_ms
            }));
            match next {
                Some(c) => {
                    start = c.last_ms;
                    include_start = !c.skip_start;
                    seen = c.seen;
                }
                None => {
                    return match found.as_slice() {
                        [] => Check::NotStored,
                        [one] => Check::Found(one.message_uid.clone(), one.time_ms()),
                        _ => Check::Unknown,
                    };
                }
            }
        }
        Check::Unknown
    }
}
