//! The Tencent client: one pooled HTTP client, the admin-sig cache, and the v4 call convention.

use std::fmt;
use std::sync::{Arc, RwLock};
use std::time::{Duration, UNIX_EPOCH};

use bytes::Bytes;
use imbridge_core::CallOptions;
use imbridge_core::endpoint::body_excerpt;
use imbridge_core::http::HttpClient;
use imbridge_core::policy::{Idempotency, RateLimits, RetryPolicy};
use imbridge_core::{
    Capabilities, ClientToken, Clock, Error, ErrorKind, GroupKind, Operation, Result, SecretString,
    Vendor,
};
use serde::Serialize;
use tracing::Instrument;
use url::Url;

use crate::admin_sig::{AdminSigCache, CachedSig};
use crate::codes;
use crate::config::{MAX_SIG_TTL, MIN_SIG_TTL, TencentClientBuilder};
use crate::usersig::UserSigKey;
use crate::validate;
use crate::wire::{Answer, Envelope};

/// The most bytes of an unexpected response body quoted in an error.
const EXCERPT_CHARS: usize = 200;

/// A Tencent Cloud IM client for one app. Cheap to clone; clones share the connection pool and
/// the admin UserSig.
///
/// It implements [`ImProvider`](imbridge_core::ImProvider); [`TencentClient::call_json`] reaches
/// any other v4 endpoint.
#[derive(Clone)]
pub struct TencentClient {
    inner: Arc<Inner>,
}

struct Inner {
    sdkappid: u64,
    admin: String,
    /// `?sdkappid=…&identifier=…&usersig=`, the fixed start of every query.
    query_prefix: String,
    /// The request URLs' fixed part for the current admin sig, parsed once per sig.
    signed_bases: RwLock<Option<Arc<SignedBases>>>,
    key: UserSigKey,
    admin_sig: AdminSigCache,
    base_urls: Vec<Url>,
    user_sig_ttl: Duration,
    retry: RetryPolicy,
    rate_limits: RateLimits,
    http: HttpClient,
    clock: Arc<dyn Clock>,
    capabilities: Capabilities,
    system_account: Option<String>,
}

/// The fixed part of every request URL for one admin sig, parsed once per sig:
/// `{base}v4/?sdkappid=…&identifier=…&usersig=…` for each base URL. A request clones one, adds
/// the endpoint to the path and appends `random` and `contenttype`; the long sig is not parsed
/// again per request.
struct SignedBases {
    sig: Arc<CachedSig>,
    urls: Vec<Url>,
}

impl SignedBases {
    fn new(base_urls: &[Url], query_prefix: &str, sig: Arc<CachedSig>) -> Result<Self> {
        // The sig's alphabet needs no escaping and the prefix is escaped already.
        let urls = base_urls
            .iter()
            .map(|base| Url::parse(&format!("{base}v4/{query_prefix}{}", sig.sig)))
            .collect::<std::result::Result<Vec<_>, _>>()
            .map_err(|e| Error::config(format!("cannot build the request URL: {e}")))?;
        Ok(SignedBases { sig, urls })
    }

    /// The URL of a request to `endpoint` (`service/command`) through base URL `n`.
    fn request_url(&self, n: usize, endpoint: &str, random: u32) -> Result<Url> {
        let bad = || Error::config("cannot build the request URL");
        let mut url = self.urls.get(n).ok_or_else(bad)?.clone();
        url.path_segments_mut()
            .map_err(|()| bad())?
            .pop_if_empty()
            .extend(endpoint.split('/'));
        let mut digits = itoa::Buffer::new();
        url.query_pairs_mut()
            .append_pair("random", digits.format(random))
            .append_pair("contenttype", "json");
        Ok(url)
    }
}

impl TencentClient {
    /// Starts building a client for app `sdkappid` with its secret key and admin account.
    pub fn builder(
        sdkappid: u64,
        secret_key: impl Into<SecretString>,
        admin: impl Into<String>,
    ) -> TencentClientBuilder {
        TencentClientBuilder::new(sdkappid, secret_key.into(), admin.into())
    }

    pub(crate) fn from_builder(b: TencentClientBuilder, base_urls: Vec<Url>) -> Result<Self> {
        let http = HttpClient::new(
            b.http_client,
            b.timeout,
            b.connect_timeout,
            concat!("imbridge/", env!("CARGO_PKG_VERSION")),
        )?;
        let key = UserSigKey::new(b.sdkappid, b.secret_key);
        let admin_sig = AdminSigCache::new(
            key.clone(),
            b.admin.clone(),
            b.admin_sig_ttl,
            b.clock.clone(),
        );
        Ok(TencentClient {
            inner: Arc::new(Inner {
                sdkappid: b.sdkappid,
                query_prefix: format!(
                    "?sdkappid={}&identifier={}&usersig=",
                    b.sdkappid,
                    url::form_urlencoded::byte_serialize(b.admin.as_bytes()).collect::<String>()
                ),
                signed_bases: RwLock::new(None),
                admin: b.admin,
                key,
                admin_sig,
                base_urls,
                user_sig_ttl: b.user_sig_ttl,
                retry: b.retry,
                rate_limits: b.rate_limits,
                http,
                clock: b.clock,
                capabilities: capabilities(),
                system_account: b.system_account,
            }),
        })
    }

    /// The app's sdkappid.
    pub fn sdkappid(&self) -> u64 {
        self.inner.sdkappid
    }

    /// The admin account used for REST calls.
    pub fn admin(&self) -> &str {
        &self.inner.admin
    }

    /// The account system messages are sent from when the request names none
    /// ([`TencentClientBuilder::system_account`]), else the admin.
    pub fn system_account(&self) -> &str {
        self.inner
            .system_account
            .as_deref()
            .unwrap_or(&self.inner.admin)
    }

    /// The retry policy of a call: its own, else the client's.
    pub(crate) fn retry_policy(&self, options: &CallOptions) -> RetryPolicy {
        options.retry.unwrap_or(self.inner.retry)
    }

    /// The client's clock, in Unix seconds.
    pub(crate) fn unix_seconds(&self) -> u64 {
        self.inner.clock.unix_seconds()
    }

    /// The base URLs in order of use: primary first, then backups.
    pub fn base_urls(&self) -> &[Url] {
        &self.inner.base_urls
    }

    /// The app's UserSig key, for signing or verifying sigs directly.
    pub fn usersig_key(&self) -> &UserSigKey {
        &self.inner.key
    }

    /// Makes a UserSig for `user_id`, locally: this is the client token of Tencent Cloud IM.
    /// `ttl` defaults to the client's `user_sig_ttl`.
    pub fn user_sig(&self, user_id: &str, ttl: Option<Duration>) -> Result<ClientToken> {
        validate::user_id("user_id", user_id)?;
        let ttl = self.user_sig_ttl(ttl)?;
        let now = self.inner.clock.unix_seconds();
        let sig = self.inner.key.sign(user_id, now, ttl.as_secs(), None);
        let expires_at = UNIX_EPOCH + Duration::from_secs(now) + ttl;
        Ok(ClientToken::new(user_id, sig.into(), Some(expires_at)).for_vendor(Vendor::Tencent))
    }

    /// The lifetime a user's UserSig gets: `ttl`, or the client's default, within the limits.
    pub(crate) fn user_sig_ttl(&self, ttl: Option<Duration>) -> Result<Duration> {
        let ttl = ttl.unwrap_or(self.inner.user_sig_ttl);
        if ttl < MIN_SIG_TTL || ttl > MAX_SIG_TTL {
            return Err(Error::invalid_input(
                "ttl",
                format!(
                    "must be within {}s..={}s",
                    MIN_SIG_TTL.as_secs(),
                    MAX_SIG_TTL.as_secs()
                ),
            ));
        }
        Ok(ttl)
    }

    /// Calls any v4 endpoint with a JSON object body and returns the whole response object.
    /// `endpoint` is `servicename/command`, e.g. `"im_open_login_svc/account_check"`.
    /// An answer with `ActionStatus: FAIL` is an `Err`.
    ///
    /// ```no_run
    /// # async fn f(client: imbridge_tencent::TencentClient) -> imbridge_core::Result<()> {
    /// let body = serde_json::json!({"CheckItem": [{"UserID": "lilei"}]});
    /// let answer = client.call_json("im_open_login_svc/account_check", &body).await?;
    /// println!("{}", answer["ResultItem"][0]["AccountStatus"]);
    /// # Ok(()) }
    /// ```
    pub async fn call_json(
        &self,
        endpoint: &str,
        body: &serde_json::Value,
    ) -> Result<serde_json::Value> {
        let op = Operation::Other("call_json");
        let valid = endpoint.split('/').count() == 2
            && endpoint.split('/').all(|p| {
                !p.is_empty() && p.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
            });
        if !valid {
            return Err(Error::invalid_input(
                "endpoint",
                "must look like `servicename/command`",
            ));
        }
        if !body.is_object() {
            return Err(Error::invalid_input(
                "body",
                "must be a JSON object (use {} for none)",
            ));
        }
        let body = encode(op, body)?;
        self.call_encoded(
            op,
            endpoint,
            Idempotency::NotIdempotent,
            &CallOptions::new(),
            body,
        )
        .await
    }

    /// Sends one v4 request to `path` under the retry policy (the call's, else the client's),
    /// the operation's rate limit and the call's timeout, and decodes the envelope. The body
    /// is encoded already, so every attempt carries the same `MsgRandom`/`Random`.
    pub(crate) async fn call_encoded<R: Answer>(
        &self,
        op: Operation,
        path: &str,
        idempotency: Idempotency,
        options: &CallOptions,
        body: Bytes,
    ) -> Result<R> {
        let policy = options.retry.unwrap_or(self.inner.retry);
        policy
            .run(op, idempotency, |attempt| {
                self.attempt(op, path, options.timeout, &body, attempt)
            })
            .await
    }

    /// One attempt: waits for the rate limit, then sends; a sig the server calls expired (70001:
    /// our clock and the server's disagree) is renewed and the request sent once more.
    pub(crate) async fn attempt<R: Answer>(
        &self,
        op: Operation,
        endpoint: &str,
        timeout: Option<Duration>,
        body: &Bytes,
        attempt: u32,
    ) -> Result<R> {
        self.inner.rate_limits.acquire(op).await;
        match self.send(op, endpoint, timeout, body, attempt).await {
            Err(e) if e.vendor_code() == Some(70001) => {
                tracing::info!(operation = %op, "the server says the admin UserSig expired; renewing it");
                self.inner.admin_sig.invalidate();
                self.send(op, endpoint, timeout, body, attempt).await
            }
            other => other,
        }
    }

    /// Sends the request once, trying the backup base URLs when a connection to the primary
    /// cannot be made (nothing was sent then, so this is always safe).
    async fn send<R: Answer>(
        &self,
        op: Operation,
        endpoint: &str,
        timeout: Option<Duration>,
        body: &Bytes,
        attempt: u32,
    ) -> Result<R> {
        let bases = self.signed_bases()?;
        let urls = &self.inner.base_urls;
        let mut last_err = None;
        for (n, base) in urls.iter().enumerate() {
            let random: u32 = rand::random();
            let url = bases.request_url(n, endpoint, random)?;
            let span = tracing::debug_span!(
                "imbridge.call",
                vendor = "tencent",
                operation = %op,
                endpoint,
                domain = base.host_str().unwrap_or(""),
                attempt,
                request_id = random,
                vendor_code = tracing::field::Empty,
                latency_ms = tracing::field::Empty,
            );
            let started = std::time::Instant::now();
            let sent = self
                .inner
                .http
                .post_within(url, timeout)
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(body.clone())
                .send()
                .instrument(span.clone())
                .await;
            let outcome = match sent {
                Ok(response) => Some(
                    self.decode(op, response, random, &bases.sig.sig)
                        .instrument(span.clone())
                        .await,
                ),
                Err(e) if e.is_connect() && n + 1 < urls.len() => {
                    span.in_scope(|| tracing::warn!("connection failed; trying the next base URL"));
                    last_err = Some(transport_error(op, e));
                    None
                }
                Err(e) => Some(Err(transport_error(op, e))),
            };
            span.record("latency_ms", started.elapsed().as_millis() as u64);
            if let Some(result) = outcome {
                if let Err(e) = &result {
                    span.record("vendor_code", e.vendor_code().unwrap_or_default());
                }
                return result;
            }
        }
        Err(last_err.unwrap_or_else(|| Error::config("no base URL is configured")))
    }

    /// The current admin sig with each base URL's fixed request part parsed for it; parsed
    /// again only when the sig changes.
    fn signed_bases(&self) -> Result<Arc<SignedBases>> {
        let sig = self.inner.admin_sig.get();
        let current = |slot: &Option<Arc<SignedBases>>| {
            slot.as_ref().filter(|b| Arc::ptr_eq(&b.sig, &sig)).cloned()
        };
        if let Some(bases) = current(
            &self
                .inner
                .signed_bases
                .read()
                .unwrap_or_else(|p| p.into_inner()),
        ) {
            return Ok(bases);
        }
        let mut slot = self
            .inner
            .signed_bases
            .write()
            .unwrap_or_else(|p| p.into_inner());
        if let Some(bases) = current(&slot) {
            return Ok(bases);
        }
        let bases = Arc::new(SignedBases::new(
            &self.inner.base_urls,
            &self.inner.query_prefix,
            sig,
        )?);
        *slot = Some(Arc::clone(&bases));
        Ok(bases)
    }

    async fn decode<R: Answer>(
        &self,
        op: Operation,
        response: reqwest::Response,
        random: u32,
        sig: &str,
    ) -> Result<R> {
        let status = response.status();
        let bytes = response.bytes().await.map_err(|e| transport_error(op, e))?;
        let fail = |kind: ErrorKind, message: String| {
            Error::new(kind, message)
                .with_vendor(Vendor::Tencent)
                .with_operation(op)
                .with_http_status(status.as_u16())
                .with_request_id(format!("random={random}"))
        };
        // One parse on success: the typed answer carries the envelope's fields. Only when that
        // parse fails is the bare envelope read, to report the vendor's error or the odd shape.
        let (envelope, answer) = match serde_json::from_slice::<R>(&bytes) {
            Ok(mut answer) => (answer.take_envelope(), Some(answer)),
            Err(_) => match serde_json::from_slice::<Envelope>(&bytes) {
                Ok(env) => (env, None),
                Err(_) => (Envelope::default(), None),
            },
        };
        if envelope.action_status.is_none() && envelope.error_code.is_none() {
            let excerpt = excerpt(&bytes, sig);
            return Err(if status.is_success() {
                fail(
                    ErrorKind::Decode,
                    format!("the answer is not a Tencent JSON envelope: {excerpt}"),
                )
            } else {
                let kind = match status.as_u16() {
                    429 => ErrorKind::RateLimited,
                    500..=599 => ErrorKind::Unavailable,
                    _ => ErrorKind::Vendor,
                };
                fail(
                    kind,
                    format!("HTTP {status} without a Tencent answer: {excerpt}"),
                )
            });
        }
        let code = envelope.error_code.unwrap_or(0);
        let failed = envelope.action_status.as_deref() != Some("OK") || code != 0;
        if failed {
            let info = codes::classify(code);
            let meaning = if info.meaning.is_empty() {
                "the request failed"
            } else {
                info.meaning
            };
            let mut err = fail(info.kind, format!("Tencent answered FAIL: {meaning}"))
                .with_vendor_code(code, envelope.error_info.unwrap_or_default())
                .with_retryable(info.retryable);
            if let Some(id) = envelope.request_id.filter(|id| !id.is_empty()) {
                err = err.with_request_id(id);
            }
            tracing::debug!(vendor_code = code, "vendor error");
            return Err(err);
        }
        answer.ok_or_else(|| {
            let shape = serde_json::from_slice::<R>(&bytes)
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
            fail(
                ErrorKind::Decode,
                format!(
                    "unexpected answer shape: {shape}; answer: {}",
                    excerpt(&bytes, sig)
                ),
            )
        })
    }
}

impl imbridge_core::ImProvider for TencentClient {
    fn vendor(&self) -> Vendor {
        Vendor::Tencent
    }

    fn capabilities(&self) -> &Capabilities {
        &self.inner.capabilities
    }
}

impl fmt::Debug for TencentClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let urls: Vec<&str> = self.inner.base_urls.iter().map(Url::as_str).collect();
        f.debug_struct("TencentClient")
            .field("sdkappid", &self.inner.sdkappid)
            .field("admin", &self.inner.admin)
            .field("base_urls", &urls)
            .field("secret_key", &"[REDACTED]")
            .finish_non_exhaustive()
    }
}

/// What Tencent Cloud IM supports, as [`Capabilities`]: the operations of the endpoint
/// catalogue and the local ones, and each family's facts.
pub fn capabilities() -> Capabilities {
    let mut caps = Capabilities::default();
    caps.operations = crate::endpoints::LOCAL
        .iter()
        .fold(crate::endpoints::CATALOGUE.operations(), |set, op| {
            set.with(*op)
        });
    caps.rejects_unknown_ids = true;
    caps.users.local_tokens = true;
    caps.users.token_expiry = true;
    caps.users.token_ttl = Some((MIN_SIG_TTL, MAX_SIG_TTL));
    caps.users.synchronous_deletion = true;
    caps.profiles.extended_fields = true;
    caps.profiles.custom_fields = true;
    caps.groups.server_generated_ids = true;
    caps.groups.custom_ids = true;
    caps.groups.rejects_taken_ids = true;
    caps.groups.kinds = GroupKind::ALL.to_vec();
    caps.groups.max_initial_members = validate::MAX_INITIAL_MEMBERS;
    caps.groups.owners = true;
    caps.groups.profile_fields = true;
    caps.groups.member_details = true;
    caps.groups.max_mute = Some(std::time::Duration::from_secs(u64::from(u32::MAX)));
    caps.messages.direct = true;
    caps.messages.group = true;
    caps.messages.custom = true;
    caps.messages.dedup = true;
    caps.messages.max_bytes = validate::MAX_MESSAGE_BYTES;
    caps
}

pub(crate) fn capabilities_ref(client: &TencentClient) -> &Capabilities {
    &client.inner.capabilities
}

/// A request body as JSON, written once into a buffer sized for a typical request.
pub(crate) fn encode<B: Serialize + ?Sized>(op: Operation, body: &B) -> Result<Bytes> {
    let mut buf = Vec::with_capacity(512);
    match serde_json::to_writer(&mut buf, body) {
        Ok(()) => Ok(Bytes::from(buf)),
        Err(e) => Err(Error::new(
            ErrorKind::InvalidInput,
            format!("could not encode the request body: {e}"),
        )
        .with_vendor(Vendor::Tencent)
        .with_operation(op)),
    }
}

/// Maps a reqwest error, dropping its URL: the URL carries the admin UserSig.
fn transport_error(op: Operation, e: reqwest::Error) -> Error {
    let kind = if e.is_timeout() {
        ErrorKind::Timeout
    } else {
        ErrorKind::Transport
    };
    let what = if e.is_timeout() {
        "the request timed out"
    } else if e.is_connect() {
        "could not connect"
    } else {
        "the HTTP exchange failed"
    };
    let err = Error::new(kind, what)
        .with_vendor(Vendor::Tencent)
        .with_operation(op);
    let err = if e.is_connect() {
        err.with_unsent()
    } else {
        err
    };
    err.with_source(e.without_url())
}

/// A short, printable excerpt of a response body, with the admin sig masked should a proxy echo it.
fn excerpt(bytes: &[u8], sig: &str) -> String {
    let masked = String::from_utf8_lossy(bytes).replace(sig, "[REDACTED]");
    body_excerpt(masked.as_bytes(), EXCERPT_CHARS)
}
