//! Building a [`RongCloudClient`]: credentials, domains, failover and timeouts, checked in `build()`.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use imbridge_core::policy::{RateLimits, RetryPolicy};
use imbridge_core::{Clock, Error, ExposeSecret, Result, SecretString, SystemClock};

use crate::client::RongCloudClient;
use crate::endpoints;
use crate::group_mode::GroupMode;
use crate::region::Region;
use crate::validate;

/// Default total time for one HTTP attempt: 10 s.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default time to establish a connection: 5 s.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Default time a failed domain is avoided before it is tried first again: 60 s.
pub const DEFAULT_COOLDOWN: Duration = Duration::from_secs(60);
pub use imbridge_core::http::POOL_IDLE_TIMEOUT;

/// Builder for [`RongCloudClient`]; everything is checked in [`build`](Self::build).
///
/// ```
/// use imbridge_rongcloud::{Region, RongCloudClient};
///
/// let client = RongCloudClient::builder("app-key", "app-secret").region(Region::Singapore).build().unwrap();
/// assert_eq!(client.base_urls()[1].as_str(), "https://api-b.sg-light-api.com/");
///
/// // Own domains: the first is primary, the rest are tried in order when it is unreachable.
/// let local = RongCloudClient::builder("app-key", "app-secret")
///     .base_url("http://127.0.0.1:9001")
///     .base_url("http://127.0.0.1:9002")
///     .build()
///     .unwrap();
/// assert_eq!(local.base_urls().len(), 2);
///
/// // An app with the profile-hosting service: hosted groups, with owners and profiles.
/// use imbridge_rongcloud::GroupMode;
/// let hosted = RongCloudClient::builder("app-key", "app-secret")
///     .group_mode(GroupMode::Hosted)
///     .build()
///     .unwrap();
/// assert_eq!(hosted.group_mode(), GroupMode::Hosted);
/// ```
pub struct RongCloudClientBuilder {
    pub(crate) app_key: String,
    pub(crate) app_secret: SecretString,
    pub(crate) region: Option<Region>,
    pub(crate) base_urls: Vec<String>,
    pub(crate) allow_insecure_http: bool,
    pub(crate) timeout: Duration,
    pub(crate) connect_timeout: Duration,
    pub(crate) cooldown: Duration,
    pub(crate) max_attempts: Option<usize>,
    pub(crate) http_client: Option<reqwest::Client>,
    pub(crate) retry: RetryPolicy,
    pub(crate) rate_limits: RateLimits,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) group_mode: GroupMode,
    pub(crate) group_operator: Option<String>,
    pub(crate) system_account: Option<String>,
}

impl RongCloudClientBuilder {
    pub(crate) fn new(app_key: String, app_secret: SecretString) -> Self {
        RongCloudClientBuilder {
            app_key,
            app_secret,
            region: None,
            base_urls: Vec::new(),
            allow_insecure_http: false,
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            cooldown: DEFAULT_COOLDOWN,
            max_attempts: None,
            http_client: None,
            retry: RetryPolicy::default(),
            rate_limits: default_rate_limits(),
            clock: Arc::new(SystemClock),
            group_mode: GroupMode::default(),
            group_operator: None,
            system_account: None,
        }
    }

    /// Uses the region's primary and backup domains (the default is [`Region::Beijing`]).
    pub fn region(mut self, region: Region) -> Self {
        self.region = Some(region);
        self
    }

    /// Adds a base URL; the first is the primary, later ones are backups. Replaces the region.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_urls.push(url.into());
        self
    }

    /// Adds several base URLs, in order of preference.
    pub fn base_urls<I, S>(mut self, urls: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.base_urls.extend(urls.into_iter().map(Into::into));
        self
    }

    /// Allows plain `http://` base URLs on hosts other than loopback (off by default).
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// Total time for one HTTP attempt (default 10 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Time allowed to establish a connection (default 5 s); bounds what a dead domain costs.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How long a domain that failed is tried last instead of first (default 60 s).
    pub fn cooldown(mut self, cooldown: Duration) -> Self {
        self.cooldown = cooldown;
        self
    }

    /// The most domains one call may try (default: all of them, each once).
    pub fn max_attempts(mut self, attempts: usize) -> Self {
        self.max_attempts = Some(attempts);
        self
    }

    /// Uses this HTTP client; the per-attempt timeout still applies.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// The retry policy of every call (default [`RetryPolicy::default`]); requests can
    /// override it with their `retry` field. Each attempt already tries every healthy domain.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Client-side rate limits per operation (default [`default_rate_limits`]);
    /// [`RateLimits::unlimited`] turns them off.
    pub fn rate_limits(mut self, limits: RateLimits) -> Self {
        self.rate_limits = limits;
        self
    }

    /// Uses this clock for timestamps and cool-downs.
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// The app's group model (default [`GroupMode::Basic`]): basic (legacy) groups, or the
    /// profile-hosting service's groups for an app that has it. It decides the group endpoints
    /// and the client's [`Capabilities`](imbridge_core::Capabilities).
    pub fn group_mode(mut self, mode: GroupMode) -> Self {
        self.group_mode = mode;
        self
    }

    /// The user id that dismisses basic groups when a
    /// [`DismissGroup`](imbridge_core::DismissGroup) names no operator: the vendor needs one
    /// (any user id works; it need not be a member). Without it, such a dismissal is refused
    /// before sending. Hosted groups need no operator.
    pub fn group_operator(mut self, user_id: impl Into<String>) -> Self {
        self.group_operator = Some(user_id.into());
        self
    }

    /// The user id that sends system messages when a
    /// [`SendSystemMessage`](imbridge_core::SendSystemMessage) names no sender: the vendor's
    /// `/message/system/publish.json` needs a `fromUserId`. Without it, such a message is
    /// refused before sending. It is also the user whose side `message_history` reads a
    /// group's history from when the request names no viewer and no
    /// [`group_operator`](Self::group_operator) is set.
    pub fn system_account(mut self, user_id: impl Into<String>) -> Self {
        self.system_account = Some(user_id.into());
        self
    }

    /// Checks the configuration and builds the client. Nothing is sent.
    pub fn build(self) -> Result<RongCloudClient> {
        if self.app_key.trim().is_empty() {
            return Err(Error::config("the app key is empty"));
        }
        if self
            .app_key
            .chars()
            .any(|c| c.is_control() || c.is_whitespace())
        {
            return Err(Error::config(
                "the app key must not contain spaces or control characters",
            ));
        }
        if self.app_secret.expose_secret().trim().is_empty() {
            return Err(Error::config("the app secret is empty"));
        }
        if self.timeout.is_zero() || self.connect_timeout.is_zero() {
            return Err(Error::config("timeouts must not be zero"));
        }
        if self.max_attempts == Some(0) {
            return Err(Error::config("max_attempts must be at least 1"));
        }
        if let Some(operator) = &self.group_operator
            && validate::user_id("group_operator", operator).is_err()
        {
            return Err(Error::config(
                "the group operator must be a RongCloud user id: 1 to 64 bytes of letters, \
                 digits and `+ = - _`",
            ));
        }
        if let Some(account) = &self.system_account
            && validate::user_id("system_account", account).is_err()
        {
            return Err(Error::config(
                "the system account must be a RongCloud user id: 1 to 64 bytes of letters, \
                 digits and `+ = - _`",
            ));
        }
        let urls = imbridge_core::region::resolve_base_urls(
            self.region,
            &self.base_urls,
            self.allow_insecure_http,
        )?;
        RongCloudClient::from_builder(self, urls)
    }
}

/// Client-side limits at the vendor's documented rates, derived from the endpoint catalogue
/// ([`endpoints::CATALOGUE`]): per operation, the rate of the first endpoint serving it
/// (getToken 200/s; 100/s for the other calls, within the per-app limits of the message and
/// group APIs), so bursts queue instead of drawing 1008.
///
/// ```
/// use imbridge_core::Operation;
///
/// let limits = imbridge_rongcloud::default_rate_limits();
/// assert_eq!(limits.limit(Operation::RegisterUser), Some(200));
/// assert_eq!(limits.limit(Operation::MuteGroupMembers), Some(100));
/// ```
pub fn default_rate_limits() -> RateLimits {
    endpoints::CATALOGUE.default_rate_limits()
}

impl fmt::Debug for RongCloudClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RongCloudClientBuilder")
            .field("app_key", &self.app_key)
            .field("app_secret", &"[REDACTED]")
            .field("region", &self.region)
            .field("base_urls", &self.base_urls)
            .field("timeout", &self.timeout)
            .field("cooldown", &self.cooldown)
            .field("group_mode", &self.group_mode)
            .field("group_operator", &self.group_operator)
            .field("system_account", &self.system_account)
            .finish_non_exhaustive()
    }
}
