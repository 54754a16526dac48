//! Building a [`TencentClient`]: credentials, domains, lifetimes and timeouts, checked in `build()`.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use imbridge_core::policy::{RateLimits, RetryPolicy};
use imbridge_core::{Clock, Error, ExposeSecret, Operation, Result, SecretString, SystemClock};

use crate::client::TencentClient;
use crate::region::Region;
use crate::validate;

/// Default lifetime of the admin UserSig used for REST calls: one day.
pub const DEFAULT_ADMIN_SIG_TTL: Duration = Duration::from_secs(24 * 3600);
/// Default lifetime of the UserSigs handed to end users: seven days.
pub const DEFAULT_USER_SIG_TTL: Duration = Duration::from_secs(7 * 24 * 3600);
/// Default total time for one HTTP request: 10 s, above Tencent's 3 s server-side timeout.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default time to establish a connection: 5 s.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Tencent's server-side timeout; the client's must be longer.
pub const SERVER_TIMEOUT: Duration = Duration::from_secs(3);
/// Shortest UserSig lifetime accepted: one minute.
pub const MIN_SIG_TTL: Duration = Duration::from_secs(60);
/// Longest UserSig lifetime accepted: one year (the vendor's tools default to 180 days).
pub const MAX_SIG_TTL: Duration = Duration::from_secs(365 * 24 * 3600);

/// Builder for [`TencentClient`]; everything is checked in [`build`](Self::build).
///
/// ```
/// use std::time::Duration;
/// use imbridge_tencent::{Region, TencentClient};
///
/// let client = TencentClient::builder(1400000000, "secret-key", "administrator")
///     .region(Region::Singapore)
///     .admin_sig_ttl(Duration::from_secs(6 * 3600))
///     .build()
///     .unwrap();
/// assert_eq!(client.base_urls()[0].as_str(), "https://adminapisgp.im.qcloud.com/");
///
/// // Private deployments and tests give their own base URLs: the first is primary, the rest backups.
/// let local = TencentClient::builder(1400000000, "secret-key", "administrator")
///     .base_url("http://127.0.0.1:8080")
///     .build()
///     .unwrap();
/// assert_eq!(local.base_urls().len(), 1);
/// ```
pub struct TencentClientBuilder {
    pub(crate) sdkappid: u64,
    pub(crate) secret_key: SecretString,
    pub(crate) admin: String,
    pub(crate) region: Option<Region>,
    pub(crate) base_urls: Vec<String>,
    pub(crate) allow_insecure_http: bool,
    pub(crate) admin_sig_ttl: Duration,
    pub(crate) user_sig_ttl: Duration,
    pub(crate) timeout: Duration,
    pub(crate) connect_timeout: Duration,
    pub(crate) http_client: Option<reqwest::Client>,
    pub(crate) retry: RetryPolicy,
    pub(crate) rate_limits: RateLimits,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) system_account: Option<String>,
}

impl TencentClientBuilder {
    pub(crate) fn new(sdkappid: u64, secret_key: SecretString, admin: String) -> Self {
        TencentClientBuilder {
            sdkappid,
            secret_key,
            admin,
            region: None,
            base_urls: Vec::new(),
            allow_insecure_http: false,
            admin_sig_ttl: DEFAULT_ADMIN_SIG_TTL,
            user_sig_ttl: DEFAULT_USER_SIG_TTL,
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            http_client: None,
            retry: RetryPolicy::default(),
            rate_limits: default_rate_limits(),
            clock: Arc::new(SystemClock),
            system_account: None,
        }
    }

    /// Uses the region's primary domain, then its backup (the default is [`Region::China`]).
    pub fn region(mut self, region: Region) -> Self {
        self.region = Some(region);
        self
    }

    /// Adds a base URL; the first one given is the primary, later ones are backups.
    /// Replaces the region's domains.
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

    /// Lifetime of the cached admin UserSig (default one day); it is renewed when a tenth of
    /// it (at most an hour) is left.
    pub fn admin_sig_ttl(mut self, ttl: Duration) -> Self {
        self.admin_sig_ttl = ttl;
        self
    }

    /// Default lifetime of the UserSigs issued to end users (default seven days).
    pub fn user_sig_ttl(mut self, ttl: Duration) -> Self {
        self.user_sig_ttl = ttl;
        self
    }

    /// Total time allowed for one HTTP request (default 10 s; must exceed the 3 s server timeout).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Time allowed to establish a connection (default 5 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Uses this HTTP client (for shared pools or custom TLS); the request timeout still applies.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// The retry policy of every call (default [`RetryPolicy::default`]); requests can
    /// override it with their `retry` field.
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

    /// Uses this clock for signing and expiry (tests use [`imbridge_core::ManualClock`]).
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// The account [`send_system_message`](imbridge_core::Messages::send_system_message) sends
    /// from when the request names none (the default is the admin account). Tencent has no
    /// system conversation: a system message is a one-to-one message from this account, so
    /// users see it in their conversation with it (and could reply to it).
    pub fn system_account(mut self, user_id: impl Into<String>) -> Self {
        self.system_account = Some(user_id.into());
        self
    }

    /// Checks the configuration and builds the client. Nothing is sent.
    pub fn build(self) -> Result<TencentClient> {
        if self.sdkappid == 0 {
            return Err(Error::config("sdkappid must not be 0"));
        }
        if self.secret_key.expose_secret().trim().is_empty() {
            return Err(Error::config("the secret key is empty"));
        }
        validate::user_id("admin", &self.admin)
            .map_err(|e| Error::config(e.message().to_owned()))?;
        if let Some(account) = &self.system_account {
            validate::user_id("system_account", account)
                .map_err(|e| Error::config(e.message().to_owned()))?;
        }
        check_ttl("admin_sig_ttl", self.admin_sig_ttl)?;
        check_ttl("user_sig_ttl", self.user_sig_ttl)?;
        if self.timeout <= SERVER_TIMEOUT {
            return Err(Error::config(format!(
                "timeout {:?} must be longer than Tencent's {:?} server-side timeout",
                self.timeout, SERVER_TIMEOUT
            )));
        }
        if self.connect_timeout.is_zero() {
            return Err(Error::config("connect_timeout must not be zero"));
        }
        let base_urls = imbridge_core::region::resolve_base_urls(
            self.region,
            &self.base_urls,
            self.allow_insecure_http,
        )?;
        TencentClient::from_builder(self, base_urls)
    }
}

/// The vendor's documented call rates (200/s for account import and message sending, the
/// typical figure for the other APIs), as client-side limits so bursts queue instead of
/// drawing 60007.
pub fn default_rate_limits() -> RateLimits {
    RateLimits::unlimited()
        .per_second(Operation::RegisterUser, 200)
        .per_second(Operation::SetProfile, 200)
        .per_second(Operation::CreateGroup, 200)
        .per_second(Operation::SendMessage, 200)
}

fn check_ttl(name: &str, ttl: Duration) -> Result<()> {
    if ttl < MIN_SIG_TTL || ttl > MAX_SIG_TTL {
        return Err(Error::config(format!(
            "{name} {}s is outside {}s..={}s",
            ttl.as_secs(),
            MIN_SIG_TTL.as_secs(),
            MAX_SIG_TTL.as_secs()
        )));
    }
    Ok(())
}

impl fmt::Debug for TencentClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TencentClientBuilder")
            .field("sdkappid", &self.sdkappid)
            .field("secret_key", &"[REDACTED]")
            .field("admin", &self.admin)
            .field("region", &self.region)
            .field("base_urls", &self.base_urls)
            .field("allow_insecure_http", &self.allow_insecure_http)
            .field("admin_sig_ttl", &self.admin_sig_ttl)
            .field("user_sig_ttl", &self.user_sig_ttl)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}
