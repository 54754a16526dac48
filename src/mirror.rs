//! Sending every write to two providers, for a migration period.

use std::fmt;
use std::sync::Arc;

use async_trait::async_trait;
use futures_util::future::join;
use imbridge_core::{
    Capabilities, ClientToken, CreateGroup, CreatedGroup, Error, ImProvider, IssueToken,
    MessageReceipt, Operation, RegisterUser, Result, SendMessage, SetProfile, Vendor,
};
use rand::Rng;

/// The two results of a mirrored write; a partial failure is one `Ok` and one `Err`.
#[derive(Debug)]
#[non_exhaustive]
pub struct Mirrored<T> {
    /// The primary provider's result: the one the app relies on.
    pub primary: Result<T>,
    /// The secondary provider's result.
    pub secondary: Result<T>,
}

impl<T> Mirrored<T> {
    /// Both writes succeeded.
    pub fn is_complete(&self) -> bool {
        self.primary.is_ok() && self.secondary.is_ok()
    }

    /// Exactly one write succeeded.
    pub fn is_partial(&self) -> bool {
        self.primary.is_ok() != self.secondary.is_ok()
    }

    /// Both results, or the first error (the primary's when both failed).
    pub fn both(self) -> Result<(T, T)> {
        Ok((self.primary?, self.secondary?))
    }
}

/// What to do when the secondary write fails but the primary's succeeded.
pub type SecondaryFailureHook = Arc<dyn Fn(Operation, &Error) + Send + Sync>;

/// Sends each write to a primary and a secondary provider at the same time — for migrating
/// from one IM vendor to another while both must stay in step.
///
/// Its own methods return [`Mirrored`] with both results. As an [`ImProvider`] it returns the
/// primary's result, reports a secondary failure to the hook set with
/// [`on_secondary_failure`](Self::on_secondary_failure) (and logs it), and offers the
/// capabilities both providers share.
///
/// A group created without an id gets one generated here, valid on every vendor, so both
/// vendors hold the group under the same id.
///
/// ```no_run
/// # async fn f(old: std::sync::Arc<dyn imbridge::ImProvider>, new: std::sync::Arc<dyn imbridge::ImProvider>) {
/// use imbridge::{Mirror, RegisterUser};
///
/// let mirror = Mirror::new(old, new);
/// let both = mirror.register_user(&RegisterUser::new("lilei")).await;
/// if both.is_partial() {
///     eprintln!("lilei is registered on one vendor only: {:?}", both.secondary.as_ref().err());
/// }
/// # }
/// ```
#[derive(Clone)]
pub struct Mirror {
    primary: Arc<dyn ImProvider>,
    secondary: Arc<dyn ImProvider>,
    capabilities: Capabilities,
    hook: Option<SecondaryFailureHook>,
}

impl Mirror {
    /// Mirrors writes to `primary` and `secondary`.
    pub fn new(primary: Arc<dyn ImProvider>, secondary: Arc<dyn ImProvider>) -> Self {
        let mut capabilities = primary.capabilities().intersect(secondary.capabilities());
        // Mirror picks a shared id when none is given.
        capabilities.client_generated_group_ids = true;
        capabilities.server_generated_group_ids = false;
        Mirror {
            primary,
            secondary,
            capabilities,
            hook: None,
        }
    }

    /// Calls `hook` whenever the primary write succeeds and the secondary's fails (through the
    /// [`ImProvider`] methods).
    pub fn on_secondary_failure(mut self, hook: SecondaryFailureHook) -> Self {
        self.hook = Some(hook);
        self
    }

    /// The primary provider.
    pub fn primary(&self) -> &Arc<dyn ImProvider> {
        &self.primary
    }

    /// The secondary provider.
    pub fn secondary(&self) -> &Arc<dyn ImProvider> {
        &self.secondary
    }

    /// Registers the user on both vendors; each returns its own token.
    pub async fn register_user(&self, req: &RegisterUser) -> Mirrored<ClientToken> {
        let (primary, secondary) = join(
            self.primary.register_user(req),
            self.secondary.register_user(req),
        )
        .await;
        Mirrored { primary, secondary }
    }

    /// Issues a token on both vendors.
    pub async fn issue_token(&self, req: &IssueToken) -> Mirrored<ClientToken> {
        let (primary, secondary) = join(
            self.primary.issue_token(req),
            self.secondary.issue_token(req),
        )
        .await;
        Mirrored { primary, secondary }
    }

    /// Sets the profile on both vendors.
    pub async fn set_profile(&self, req: &SetProfile) -> Mirrored<()> {
        let (primary, secondary) = join(
            self.primary.set_profile(req),
            self.secondary.set_profile(req),
        )
        .await;
        Mirrored { primary, secondary }
    }

    /// Creates the group on both vendors under one id (generated here when none is given).
    pub async fn create_group(&self, req: &CreateGroup) -> Mirrored<CreatedGroup> {
        let mut shared = req.clone();
        if shared.group_id.is_none() {
            shared.group_id = Some(portable_group_id());
        }
        let (primary, secondary) = join(
            self.primary.create_group(&shared),
            self.secondary.create_group(&shared),
        )
        .await;
        Mirrored { primary, secondary }
    }

    /// Sends the message through both vendors.
    pub async fn send_message(&self, req: &SendMessage) -> Mirrored<MessageReceipt> {
        let (primary, secondary) = join(
            self.primary.send_message(req),
            self.secondary.send_message(req),
        )
        .await;
        Mirrored { primary, secondary }
    }

    fn settle<T>(&self, op: Operation, m: Mirrored<T>) -> Result<T> {
        if m.primary.is_ok()
            && let Err(e) = &m.secondary
        {
            tracing::warn!(operation = %op, secondary = %self.secondary.vendor(), error = %e, "mirrored write failed on the secondary");
            if let Some(hook) = &self.hook {
                hook(op, e);
            }
        }
        m.primary
    }
}

/// `g` and 21 letters and digits: valid as a group id on every vendor imbridge supports.
fn portable_group_id() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut rng = rand::rng();
    std::iter::once('g')
        .chain((0..21).map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char))
        .collect()
}

impl fmt::Debug for Mirror {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Mirror")
            .field("primary", &self.primary)
            .field("secondary", &self.secondary)
            .finish_non_exhaustive()
    }
}

#[async_trait]
impl ImProvider for Mirror {
    /// The primary's vendor.
    fn vendor(&self) -> Vendor {
        self.primary.vendor()
    }

    fn capabilities(&self) -> &Capabilities {
        &self.capabilities
    }

    async fn register_user(&self, req: &RegisterUser) -> Result<ClientToken> {
        self.settle(
            Operation::RegisterUser,
            Mirror::register_user(self, req).await,
        )
    }

    async fn issue_token(&self, req: &IssueToken) -> Result<ClientToken> {
        self.settle(Operation::IssueToken, Mirror::issue_token(self, req).await)
    }

    async fn set_profile(&self, req: &SetProfile) -> Result<()> {
        self.settle(Operation::SetProfile, Mirror::set_profile(self, req).await)
    }

    async fn create_group(&self, req: &CreateGroup) -> Result<CreatedGroup> {
        self.settle(
            Operation::CreateGroup,
            Mirror::create_group(self, req).await,
        )
    }

    async fn send_message(&self, req: &SendMessage) -> Result<MessageReceipt> {
        self.settle(
            Operation::SendMessage,
            Mirror::send_message(self, req).await,
        )
    }
}
