//! Sending every write to two providers, for a migration period.

use std::fmt;
use std::sync::Arc;

use futures_util::future::join;
use imbridge_core::{
    Access, Capabilities, CreateGroup, CreatedGroup, Error, ImProvider, Operation, Result, Vendor,
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
/// As an [`ImProvider`] it sends each write ([`Access::Write`]) to both providers and returns
/// the primary's result, reporting a secondary failure to the hook set with
/// [`on_secondary_failure`](Self::on_secondary_failure) (and logging it); a read goes to the
/// primary only. It offers the operations and capabilities both providers share.
/// [`both`](Self::both) runs any call on both and returns [`Mirrored`] with both results.
///
/// A group created without an id gets one generated here, valid on every vendor, so both
/// vendors hold the group under the same id.
///
/// ```no_run
/// # async fn f(old: std::sync::Arc<dyn imbridge::ImProvider>, new: std::sync::Arc<dyn imbridge::ImProvider>) -> imbridge::Result<()> {
/// use imbridge::{Families, Mirror, RegisterUser};
///
/// let mirror = Mirror::new(old, new);
/// // Registered on both; the primary's token is returned.
/// let token = mirror.users().register_user(&RegisterUser::new("lilei")).await?;
/// # drop(token); Ok(())
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
        capabilities.groups.client_generated_ids = true;
        capabilities.groups.server_generated_ids = false;
        Mirror {
            primary,
            secondary,
            capabilities,
            hook: None,
        }
    }

    /// Calls `hook` whenever the primary write succeeds and the secondary's fails (through the
    /// family traits).
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

    /// Runs `call` on both providers at once and returns both results, whatever the
    /// operation's access: for comparing the vendors' answers or migrating.
    ///
    /// ```no_run
    /// # async fn f(mirror: imbridge::Mirror) {
    /// use imbridge::{Families, RegisterUser};
    ///
    /// let req = RegisterUser::new("lilei");
    /// let both = mirror.both(|p| p.users().register_user(&req)).await;
    /// if both.is_partial() {
    ///     eprintln!("lilei is registered on one vendor only: {:?}", both.secondary.as_ref().err());
    /// }
    /// # }
    /// ```
    pub async fn both<'a, T, F, Fut>(&'a self, call: F) -> Mirrored<T>
    where
        F: Fn(&'a dyn ImProvider) -> Fut,
        Fut: Future<Output = Result<T>> + 'a,
    {
        let (primary, secondary) =
            join(call(self.primary.as_ref()), call(self.secondary.as_ref())).await;
        Mirrored { primary, secondary }
    }

    /// Creates the group on both vendors under one id (generated here when none is given).
    pub async fn create_group_on_both(&self, req: &CreateGroup) -> Mirrored<CreatedGroup> {
        let shared = with_shared_id(req);
        self.both(|p| p.groups().create_group(&shared)).await
    }

    /// The one routing rule of the [`ImProvider`] impl: a write goes to both providers (the
    /// primary's result is returned, a secondary failure reported), a read to the primary.
    /// A create: both vendors hold the group under one id (generated here when none is given).
    async fn create_group_routed(&self, req: &CreateGroup) -> Result<CreatedGroup> {
        let shared = with_shared_id(req);
        self.route(Operation::CreateGroup, |p| p.groups().create_group(&shared))
            .await
    }

    async fn route<'a, T, F, Fut>(&'a self, op: Operation, call: F) -> Result<T>
    where
        F: Fn(&'a dyn ImProvider) -> Fut,
        Fut: Future<Output = Result<T>> + 'a,
    {
        match op.access() {
            Access::Read => call(self.primary.as_ref()).await,
            Access::Write => {
                let both = self.both(call).await;
                self.settle(op, both)
            }
        }
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

/// `req` with an id both vendors accept: the caller's, or one generated here.
fn with_shared_id(req: &CreateGroup) -> CreateGroup {
    let mut shared = req.clone();
    if shared.group_id.is_none() {
        shared.group_id = Some(portable_group_id());
    }
    shared
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

impl ImProvider for Mirror {
    /// The primary's vendor.
    fn vendor(&self) -> Vendor {
        self.primary.vendor()
    }

    fn capabilities(&self) -> &Capabilities {
        &self.capabilities
    }
}

crate::forward::forward_families!(Mirror, route);
