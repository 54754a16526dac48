//! Moving to a second provider when the first is unavailable.

use std::fmt;
use std::sync::Arc;

use imbridge_core::policy::Idempotency;
use imbridge_core::{
    Access, Capabilities, CreateGroup, CreatedGroup, Error, ErrorKind, ImProvider, Operation,
    Result, Vendor,
};

/// Calls the first provider and, when it is unavailable, the second.
///
/// "Unavailable" means an error of kind [`ErrorKind::Unavailable`], [`ErrorKind::Transport`] or
/// [`ErrorKind::Timeout`] that is retryable and not [outcome-unknown](Error::is_outcome_unknown).
/// The call moves on only when repeating it elsewhere is harmless: it never reached the first
/// vendor ([`Error::is_unsent`]), it only reads ([`Access::Read`]), or the first vendor's runner
/// said it is idempotent ([`Error::idempotency`]). So a message send that may have been
/// delivered is never sent again through the second provider. Business errors (not found,
/// invalid input, auth, rate limits) are returned as they are. Tokens say which vendor they
/// are for ([`ClientToken::vendor`](imbridge_core::ClientToken::vendor)).
///
/// ```no_run
/// # fn f(tencent: std::sync::Arc<dyn imbridge::ImProvider>, rongcloud: std::sync::Arc<dyn imbridge::ImProvider>) {
/// use std::sync::Arc;
/// use imbridge::{Fallback, ImProvider};
///
/// let im: Arc<dyn ImProvider> = Arc::new(Fallback::new(tencent, rongcloud));
/// # }
/// ```
#[derive(Clone)]
pub struct Fallback {
    first: Arc<dyn ImProvider>,
    second: Arc<dyn ImProvider>,
    capabilities: Capabilities,
}

impl Fallback {
    /// Uses `first`, and `second` when `first` is unavailable.
    pub fn new(first: Arc<dyn ImProvider>, second: Arc<dyn ImProvider>) -> Self {
        let capabilities = first.capabilities().intersect(second.capabilities());
        Fallback {
            first,
            second,
            capabilities,
        }
    }

    /// Whether `err` from the first provider lets `op` move to the second.
    ///
    /// ```
    /// use imbridge::{Error, ErrorKind, Fallback, Operation};
    /// use imbridge::policy::Idempotency;
    ///
    /// let timeout = Error::new(ErrorKind::Timeout, "no answer");
    /// assert!(Fallback::should_fall_back(Operation::CheckUsers, &timeout), "a read");
    /// let sent = timeout.clone().with_idempotency(Idempotency::Deduplicated);
    /// assert!(!Fallback::should_fall_back(Operation::SendMessage, &sent), "may be delivered");
    /// let refused = Error::new(ErrorKind::Transport, "refused").with_unsent();
    /// assert!(Fallback::should_fall_back(Operation::SendMessage, &refused), "never sent");
    /// ```
    pub fn should_fall_back(op: Operation, err: &Error) -> bool {
        let unavailable = matches!(
            err.kind(),
            ErrorKind::Unavailable | ErrorKind::Transport | ErrorKind::Timeout
        );
        let harmless = err.is_unsent()
            || op.access() == Access::Read
            || err.idempotency() == Some(Idempotency::Idempotent);
        unavailable && err.is_retryable() && !err.is_outcome_unknown() && harmless
    }

    /// A create, as any other call.
    async fn create_group_routed(&self, req: &CreateGroup) -> Result<CreatedGroup> {
        self.run(Operation::CreateGroup, |p| p.groups().create_group(req))
            .await
    }

    async fn run<'a, T, F, Fut>(&'a self, op: Operation, call: F) -> Result<T>
    where
        F: Fn(&'a dyn ImProvider) -> Fut,
        Fut: std::future::Future<Output = Result<T>> + 'a,
    {
        match call(self.first.as_ref()).await {
            Err(e) if Self::should_fall_back(op, &e) => {
                tracing::warn!(operation = %op, first = %self.first.vendor(), second = %self.second.vendor(), error = %e, "falling back");
                call(self.second.as_ref()).await
            }
            other => other,
        }
    }
}

impl fmt::Debug for Fallback {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Fallback")
            .field("first", &self.first)
            .field("second", &self.second)
            .finish_non_exhaustive()
    }
}

impl ImProvider for Fallback {
    /// The first provider's vendor.
    fn vendor(&self) -> Vendor {
        self.first.vendor()
    }

    fn capabilities(&self) -> &Capabilities {
        &self.capabilities
    }
}

crate::forward::forward_families!(Fallback, run);
