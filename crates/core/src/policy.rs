//! The reliability policy shared by every backend: which failures are retried, with what
//! backoff, and how fast each operation may be called.
//!
//! What is retried depends on the error and on the operation's [`Idempotency`]:
//!
//! | failure | idempotent | de-duplicated send | other |
//! |---|---|---|---|
//! | nothing was sent (connection refused, DNS) | retry | retry | retry |
//! | rate limited (the vendor did not process it) | retry after backoff | retry after backoff | retry after backoff |
//! | temporary vendor error, HTTP 5xx, timeout, broken exchange | retry | retry (same de-duplication key) | no: the outcome is unknown |
//! | anything else (auth, invalid input, not found, …) | no | no | no |
//!
//! Retries back off exponentially with jitter and stop at the first of `max_attempts` and
//! `max_elapsed`. See `docs/reliability.md`.

use std::collections::HashMap;
use std::fmt;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use backon::{ExponentialBuilder, Retryable};
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};

use crate::{Error, ErrorKind, Operation, Result};

/// Whether repeating a request can change the outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Idempotency {
    /// Repeating it has the effect of sending it once (registration, profile update, tags).
    Idempotent,
    /// A send the vendor de-duplicates by a key that stays the same on every attempt.
    Deduplicated,
    /// Repeating it could duplicate its effect (a send without de-duplication, a group created
    /// with a generated id).
    NotIdempotent,
}

/// Whether `err` from an attempt of an operation with `idempotency` may be retried.
///
/// ```
/// use imbridge_core::{Error, ErrorKind};
/// use imbridge_core::policy::{Idempotency, should_retry};
///
/// let timeout = Error::new(ErrorKind::Timeout, "no answer");
/// assert!(should_retry(&timeout, Idempotency::Deduplicated));
/// assert!(!should_retry(&timeout, Idempotency::NotIdempotent));
/// let refused = Error::new(ErrorKind::Transport, "connection refused").with_unsent();
/// assert!(should_retry(&refused, Idempotency::NotIdempotent));
/// assert!(!should_retry(&Error::new(ErrorKind::Auth, "bad key"), Idempotency::Idempotent));
/// ```
pub fn should_retry(err: &Error, idempotency: Idempotency) -> bool {
    if err.is_outcome_unknown() {
        return false;
    }
    if err.is_unsent() || err.kind() == ErrorKind::RateLimited {
        return true;
    }
    let temporary = matches!(
        err.kind(),
        ErrorKind::Unavailable | ErrorKind::Timeout | ErrorKind::Transport
    );
    temporary && err.is_retryable() && idempotency != Idempotency::NotIdempotent
}

/// Whether `err`, final for an operation with `idempotency`, may hide an effect: a request
/// that reached the vendor, cannot be repeated safely, and failed in a way that says nothing
/// about whether it was carried out.
pub fn outcome_unknown(err: &Error, idempotency: Idempotency) -> bool {
    idempotency == Idempotency::NotIdempotent
        && !err.is_unsent()
        && matches!(
            err.kind(),
            ErrorKind::Unavailable | ErrorKind::Timeout | ErrorKind::Transport
        )
}

/// How often and how patiently a call is retried.
///
/// ```
/// use std::time::Duration;
/// use imbridge_core::policy::RetryPolicy;
///
/// let policy = RetryPolicy::default().attempts(5).max_elapsed(Duration::from_secs(30));
/// assert_eq!(policy.max_attempts, 5);
/// assert_eq!(RetryPolicy::never().max_attempts, 1);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// Attempts in all, the first included (1 = no retry).
    pub max_attempts: u32,
    /// The wait before the first retry; it doubles with each retry.
    pub min_backoff: Duration,
    /// The longest wait between two attempts.
    pub max_backoff: Duration,
    /// No retry starts once this much time has passed since the call began.
    pub max_elapsed: Duration,
    /// Randomise the waits so that many clients do not retry in step.
    pub jitter: bool,
}

impl Default for RetryPolicy {
    /// 3 attempts, 100 ms doubling up to 2 s, at most 20 s in all, with jitter.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            min_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(2),
            max_elapsed: Duration::from_secs(20),
            jitter: true,
        }
    }
}

impl RetryPolicy {
    /// One attempt, no retry.
    pub fn never() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// Sets the number of attempts in all (at least 1).
    pub fn attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// Sets the first and the longest wait.
    pub fn backoff(mut self, min: Duration, max: Duration) -> Self {
        self.min_backoff = min;
        self.max_backoff = max.max(min);
        self
    }

    /// Sets the time after which no retry starts.
    pub fn max_elapsed(mut self, total: Duration) -> Self {
        self.max_elapsed = total;
        self
    }

    /// Turns jitter on or off.
    pub fn jitter(mut self, on: bool) -> Self {
        self.jitter = on;
        self
    }

    fn backoff_builder(&self) -> ExponentialBuilder {
        let b = ExponentialBuilder::default()
            .with_min_delay(self.min_backoff)
            .with_max_delay(self.max_backoff)
            .with_max_times(self.max_attempts.saturating_sub(1) as usize)
            .with_total_delay(Some(self.max_elapsed));
        if self.jitter { b.with_jitter() } else { b }
    }

    /// Runs `attempt` (given the 0-based attempt number) until it succeeds, fails in a way
    /// [`should_retry`] refuses, or the policy is spent. A final error that may hide an effect
    /// is marked [outcome-unknown](Error::is_outcome_unknown).
    pub async fn run<T, F, Fut>(
        &self,
        op: Operation,
        idempotency: Idempotency,
        attempt: F,
    ) -> Result<T>
    where
        F: Fn(u32) -> Fut,
        Fut: Future<Output = Result<T>>,
    {
        let counter = AtomicU32::new(0);
        let result = (|| attempt(counter.fetch_add(1, Ordering::Relaxed)))
            .retry(self.backoff_builder())
            .sleep(tokio::time::sleep)
            .when(|e: &Error| should_retry(e, idempotency))
            .notify(|e: &Error, wait: Duration| {
                tracing::info!(operation = %op, error = %e, wait_ms = wait.as_millis() as u64, "retrying");
            })
            .await;
        let attempts = counter.load(Ordering::Relaxed);
        result.map_err(|e| {
            let e = e.with_idempotency(idempotency).with_attempts(attempts);
            if outcome_unknown(&e, idempotency) {
                e.with_outcome_unknown()
            } else {
                e
            }
        })
    }
}

/// Client-side rate limits per operation, so a burst waits instead of drawing the vendor's
/// rate-limit errors. Clones share the limiters.
///
/// ```
/// use imbridge_core::Operation;
/// use imbridge_core::policy::RateLimits;
///
/// let limits = RateLimits::unlimited().per_second(Operation::SendMessage, 200);
/// assert_eq!(limits.limit(Operation::SendMessage), Some(200));
/// assert_eq!(limits.limit(Operation::SetProfile), None);
/// ```
#[derive(Clone, Default)]
pub struct RateLimits {
    limits: HashMap<Operation, (u32, Arc<DefaultDirectRateLimiter>)>,
}

impl RateLimits {
    /// No limit on any operation.
    pub fn unlimited() -> Self {
        RateLimits::default()
    }

    /// Allows `op` at most `per_second` calls per second (bursts up to that many); 0 removes
    /// the limit.
    pub fn per_second(mut self, op: Operation, per_second: u32) -> Self {
        match NonZeroU32::new(per_second) {
            Some(n) => {
                let limiter = Arc::new(RateLimiter::direct(Quota::per_second(n)));
                self.limits.insert(op, (per_second, limiter));
            }
            None => {
                self.limits.remove(&op);
            }
        }
        self
    }

    /// The limit of `op`, in calls per second.
    pub fn limit(&self, op: Operation) -> Option<u32> {
        self.limits.get(&op).map(|(n, _)| *n)
    }

    /// Waits until `op` may be called.
    pub async fn acquire(&self, op: Operation) {
        if let Some((_, limiter)) = self.limits.get(&op) {
            limiter.until_ready().await;
        }
    }
}

impl fmt::Debug for RateLimits {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut m = f.debug_map();
        for (op, (n, _)) in &self.limits {
            m.entry(&op.as_str(), &format!("{n}/s"));
        }
        m.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(kind: ErrorKind) -> Error {
        Error::new(kind, "x")
    }

    #[test]
    fn the_decision_table() {
        use Idempotency::*;
        for idem in [Idempotent, Deduplicated, NotIdempotent] {
            assert!(should_retry(&err(ErrorKind::Transport).with_unsent(), idem));
            assert!(should_retry(&err(ErrorKind::RateLimited), idem));
            for kind in [
                ErrorKind::Auth,
                ErrorKind::InvalidInput,
                ErrorKind::NotFound,
                ErrorKind::AlreadyExists,
                ErrorKind::Decode,
            ] {
                assert!(!should_retry(&err(kind), idem), "{kind:?}");
            }
            assert!(!should_retry(
                &err(ErrorKind::Timeout).with_outcome_unknown(),
                idem
            ));
        }
        for kind in [
            ErrorKind::Unavailable,
            ErrorKind::Timeout,
            ErrorKind::Transport,
        ] {
            assert!(should_retry(&err(kind), Idempotent));
            assert!(should_retry(&err(kind), Deduplicated));
            assert!(!should_retry(&err(kind), NotIdempotent));
            assert!(outcome_unknown(&err(kind), NotIdempotent));
            assert!(!outcome_unknown(&err(kind), Deduplicated));
        }
        // A vendor error marked not retryable stays final.
        assert!(!should_retry(
            &err(ErrorKind::Unavailable).with_retryable(false),
            Idempotent
        ));
    }

    #[tokio::test]
    async fn run_retries_until_success_and_counts_attempts() {
        let policy = RetryPolicy::default()
            .backoff(Duration::from_millis(1), Duration::from_millis(2))
            .attempts(4);
        let calls = AtomicU32::new(0);
        let out = policy
            .run(Operation::SendMessage, Idempotency::Deduplicated, |n| {
                calls.fetch_add(1, Ordering::Relaxed);
                async move {
                    if n < 2 {
                        Err(err(ErrorKind::Unavailable))
                    } else {
                        Ok(n)
                    }
                }
            })
            .await;
        assert_eq!(out.unwrap(), 2);
        assert_eq!(calls.load(Ordering::Relaxed), 3);
    }

    #[tokio::test]
    async fn run_stops_at_max_attempts_and_marks_unknown_outcomes() {
        let policy = RetryPolicy::default()
            .backoff(Duration::from_millis(1), Duration::from_millis(1))
            .attempts(3);
        let calls = AtomicU32::new(0);
        let out: Result<()> = policy
            .run(Operation::RegisterUser, Idempotency::Idempotent, |_| {
                calls.fetch_add(1, Ordering::Relaxed);
                async { Err(err(ErrorKind::Unavailable)) }
            })
            .await;
        assert_eq!(calls.load(Ordering::Relaxed), 3);
        assert!(!out.unwrap_err().is_outcome_unknown());

        let out: Result<()> = policy
            .run(
                Operation::SendMessage,
                Idempotency::NotIdempotent,
                |_| async { Err(err(ErrorKind::Timeout)) },
            )
            .await;
        let e = out.unwrap_err();
        assert!(e.is_outcome_unknown() && !e.is_retryable());
    }

    #[tokio::test]
    async fn never_means_one_attempt() {
        let calls = AtomicU32::new(0);
        let _: Result<()> = RetryPolicy::never()
            .run(Operation::SetProfile, Idempotency::Idempotent, |_| {
                calls.fetch_add(1, Ordering::Relaxed);
                async { Err(err(ErrorKind::Unavailable)) }
            })
            .await;
        assert_eq!(calls.load(Ordering::Relaxed), 1);
    }
}
