//! A one-to-one send whose answer was lost is never resent blindly.
//!
//! Tencent de-duplicates `openim/sendmsg` by `MsgRandom` only within the same second, so a
//! retry after a lost answer (a dropped connection or a timeout once the request was sent, a
//! 5xx) could deliver the message twice. Before each resend that follows such a failure, the
//! conversation's recent history (`openim/admin_getroammsg`, a short window around the send)
//! is searched for a message from the sender with the send's `MsgRandom`: found, the send
//! succeeded and that message's `MsgKey` is the answer (one copy); not found, the same body
//! (the same `MsgRandom`) is sent again. When the search itself cannot be made, the send ends
//! with its own error marked outcome-unknown rather than risk a second copy.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use bytes::Bytes;
use imbridge_core::policy::{Idempotency, RetryPolicy};
use imbridge_core::{CallOptions, Error, ErrorKind, Operation, Result};

use super::SendMsgResponse;
use super::history::{GetRoamMsg, GetRoamMsgResponse};
use crate::client::TencentClient;
use crate::endpoints;

/// How far before the send began and after the search starts history is searched, in
/// seconds: room for the difference between our clock and the server's.
const WINDOW_SECS: u64 = 120;
/// The most history pages one search reads.
const MAX_PAGES: usize = 10;

/// The one-to-one send being reconciled.
pub(super) struct Sent<'a> {
    pub from: &'a str,
    pub to: &'a str,
    pub random: u32,
    /// Whether the sender's side keeps a copy (`SyncOtherMachine` not 2); if not, the
    /// recipient's side is searched.
    pub synced_to_sender: bool,
}

/// Whether a failed attempt may have been carried out: it was sent and its answer says
/// nothing about the outcome.
fn may_have_reached(e: &Error) -> bool {
    !e.is_unsent()
        && matches!(
            e.kind(),
            ErrorKind::Timeout | ErrorKind::Transport | ErrorKind::Unavailable
        )
}

impl TencentClient {
    /// Sends `body` to `openim/sendmsg` under the call's retry policy, searching history before
    /// any resend that follows a failure which may hide a delivery. Answers `MsgKey` and
    /// `MsgTime`.
    pub(super) async fn send_c2c(
        &self,
        op: Operation,
        sent: &Sent<'_>,
        options: &CallOptions,
        body: Bytes,
    ) -> Result<(String, Option<u64>)> {
        let policy = self.retry_policy(options);
        let started = self.unix_seconds();
        let maybe_delivered = AtomicBool::new(false);
        let last_error: Mutex<Option<Error>> = Mutex::new(None);
        let result = policy
            .run(op, Idempotency::Deduplicated, |attempt| {
                let (maybe_delivered, last_error, body) = (&maybe_delivered, &last_error, &body);
                async move {
                    if maybe_delivered.load(Ordering::SeqCst) {
                        let previous = last_error
                            .lock()
                            .unwrap_or_else(|p| p.into_inner())
                            .clone();
                        match self.find_sent(sent, started, options).await {
                            Ok(Some(found)) => {
                                tracing::info!(operation = %op, "the lost send was found in history; not resending");
                                return Ok(found);
                            }
                            Ok(None) => {
                                tracing::info!(operation = %op, "the lost send is not in history; resending the same MsgRandom");
                            }
                            Err(lookup) => {
                                tracing::warn!(operation = %op, error = %lookup, "could not search history for a lost send");
                                if let Some(previous) = previous {
                                    // Retried (with another search) only when the search may
                                    // work next time; never resent without one.
                                    return Err(if lookup.is_retryable() {
                                        previous
                                    } else {
                                        previous.with_outcome_unknown()
                                    });
                                }
                                return Err(lookup);
                            }
                        }
                    }
                    let answer: Result<SendMsgResponse> = self
                        .attempt(
                            op,
                            endpoints::SEND_MSG.path,
                            options.timeout,
                            body,
                            attempt,
                        )
                        .await;
                    match answer {
                        Ok(a) => Ok((a.msg_key.or(a.msg_id).unwrap_or_default(), a.msg_time)),
                        Err(e) => {
                            if may_have_reached(&e) {
                                maybe_delivered.store(true, Ordering::SeqCst);
                                *last_error.lock().unwrap_or_else(|p| p.into_inner()) =
                                    Some(e.clone());
                            }
                            Err(e)
                        }
                    }
                }
            })
            .await;
        result.map_err(|e| {
            if maybe_delivered.load(Ordering::SeqCst)
                && may_have_reached(&e)
                && !e.is_outcome_unknown()
            {
                // The last attempt may have been delivered and no search followed it.
                e.with_outcome_unknown()
            } else {
                e
            }
        })
    }

    /// Searches the conversation's recent history for the send's `MsgRandom`; answers its
    /// `MsgKey` and time when it is there. One attempt per page: the send's policy retries.
    async fn find_sent(
        &self,
        sent: &Sent<'_>,
        started: u64,
        options: &CallOptions,
    ) -> Result<Option<(String, Option<u64>)>> {
        let op = Operation::MessageHistory;
        let (operator, peer) = if sent.synced_to_sender {
            (sent.from, sent.to)
        } else {
            (sent.to, sent.from)
        };
        let mut lookup = CallOptions::new().retry(RetryPolicy::never());
        lookup.timeout = options.timeout;
        let mut last_key: Option<String> = None;
        for _ in 0..MAX_PAGES {
            let body = GetRoamMsg {
                operator_account: operator,
                peer_account: peer,
                max_cnt: crate::validate::MAX_ROAM_PAGE,
                min_time: started.saturating_sub(WINDOW_SECS),
                max_time: self.unix_seconds() + WINDOW_SECS,
                last_msg_key: last_key.as_deref(),
            };
            let answer: GetRoamMsgResponse = self
                .run(op, &endpoints::ADMIN_GETROAMMSG, &lookup, &body)
                .await?;
            if let Some(m) = answer
                .msg_list
                .iter()
                .find(|m| m.msg_random == sent.random && m.from_account == sent.from)
            {
                return Ok(Some((m.msg_key.clone(), Some(m.msg_time_stamp))));
            }
            match answer.last_msg_key {
                Some(key) if answer.complete == 0 && !key.is_empty() => last_key = Some(key),
                _ => return Ok(None),
            }
        }
        Ok(None)
    }
}
