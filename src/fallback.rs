//! Moving to a second provider when the first is unavailable.

use std::fmt;
use std::sync::Arc;

use async_trait::async_trait;
use imbridge_core::{
    Capabilities, ClientToken, CreateGroup, CreatedGroup, Error, ErrorKind, ImProvider, IssueToken,
    MessageReceipt, Operation, RegisterUser, Result, SendMessage, SetProfile, Vendor,
};

/// Calls the first provider and, when it is unavailable, the second.
///
/// "Unavailable" means an error of kind [`ErrorKind::Unavailable`], [`ErrorKind::Transport`] or
/// [`ErrorKind::Timeout`] that is retryable and not [outcome-unknown](Error::is_outcome_unknown).
/// A message send that timed out is never sent again through the second provider: the first
/// may have delivered it. Business errors (not found, invalid input, auth, rate limits) are
/// returned as they are. Tokens say which vendor they are for ([`ClientToken::vendor`]).
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
    pub fn should_fall_back(op: Operation, err: &Error) -> bool {
        let unavailable = matches!(
            err.kind(),
            ErrorKind::Unavailable | ErrorKind::Transport | ErrorKind::Timeout
        );
        let maybe_delivered = op == Operation::SendMessage && err.kind() == ErrorKind::Timeout;
        unavailable && err.is_retryable() && !err.is_outcome_unknown() && !maybe_delivered
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

#[async_trait]
impl ImProvider for Fallback {
    /// The first provider's vendor.
    fn vendor(&self) -> Vendor {
        self.first.vendor()
    }

    fn capabilities(&self) -> &Capabilities {
        &self.capabilities
    }

    async fn register_user(&self, req: &RegisterUser) -> Result<ClientToken> {
        self.run(Operation::RegisterUser, |p| p.register_user(req))
            .await
    }

    async fn issue_token(&self, req: &IssueToken) -> Result<ClientToken> {
        self.run(Operation::IssueToken, |p| p.issue_token(req))
            .await
    }

    async fn set_profile(&self, req: &SetProfile) -> Result<()> {
        self.run(Operation::SetProfile, |p| p.set_profile(req))
            .await
    }

    async fn create_group(&self, req: &CreateGroup) -> Result<CreatedGroup> {
        self.run(Operation::CreateGroup, |p| p.create_group(req))
            .await
    }

    async fn send_message(&self, req: &SendMessage) -> Result<MessageReceipt> {
        self.run(Operation::SendMessage, |p| p.send_message(req))
            .await
    }
}
