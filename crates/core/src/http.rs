//! The HTTP client the backends send with (feature `http`): either one built with the SDK's
//! timeouts and pool settings, or one the caller supplied, to which the request timeout is
//! applied on each request instead.

use std::time::Duration;

use url::Url;

use crate::{Error, Result};

/// How long an idle pooled connection is kept: under the 55 s RongCloud asks for (so failover
/// and load balancing are not defeated), and under the idle limit load balancers commonly
/// apply, so a connection the far side has closed is not reused.
pub const POOL_IDLE_TIMEOUT: Duration = Duration::from_secs(50);

/// A pooled HTTP client and the timeout every request gets. Cheap to clone.
///
/// ```
/// use std::time::Duration;
/// use imbridge_core::http::HttpClient;
///
/// let url = url::Url::parse("https://example.com/").unwrap();
/// let ours = HttpClient::new(None, Duration::from_secs(10), Duration::from_secs(5), "imbridge").unwrap();
/// // Our client carries the timeout itself; nothing is set per request.
/// assert_eq!(ours.post(url.clone()).build().unwrap().timeout(), None);
///
/// let theirs = HttpClient::new(Some(reqwest::Client::new()), Duration::from_secs(10), Duration::from_secs(5), "imbridge").unwrap();
/// assert_eq!(theirs.post(url).build().unwrap().timeout(), Some(&Duration::from_secs(10)));
/// ```
#[derive(Debug, Clone)]
pub struct HttpClient {
    client: reqwest::Client,
    /// Set on each request only for a caller's client: ours has the timeout built in, and
    /// setting it per request costs an allocation on every call.
    request_timeout: Option<Duration>,
}

impl HttpClient {
    /// The caller's client if given (then `timeout` applies to each request), else a new one
    /// with `timeout`, `connect_timeout`, [`POOL_IDLE_TIMEOUT`] and `user_agent`.
    pub fn new(
        caller: Option<reqwest::Client>,
        timeout: Duration,
        connect_timeout: Duration,
        user_agent: &'static str,
    ) -> Result<Self> {
        if let Some(client) = caller {
            return Ok(HttpClient {
                client,
                request_timeout: Some(timeout),
            });
        }
        let client = reqwest::Client::builder()
            .connect_timeout(connect_timeout)
            .timeout(timeout)
            .pool_idle_timeout(POOL_IDLE_TIMEOUT)
            .user_agent(user_agent)
            .build()
            .map_err(|e| {
                Error::config("could not build the HTTP client").with_source(e.without_url())
            })?;
        Ok(HttpClient {
            client,
            request_timeout: None,
        })
    }

    /// Starts a POST to `url` under the request timeout.
    pub fn post(&self, url: Url) -> reqwest::RequestBuilder {
        self.post_within(url, None)
    }

    /// Starts a POST to `url` under `timeout` when a call sets its own
    /// ([`CallOptions::timeout`](crate::CallOptions::timeout)), else under the request timeout.
    pub fn post_within(&self, url: Url, timeout: Option<Duration>) -> reqwest::RequestBuilder {
        let request = self.client.post(url);
        match timeout.or(self.request_timeout) {
            Some(timeout) => request.timeout(timeout),
            None => request,
        }
    }
}
