//! The RongCloud client: signing, bodies, answers, and failover across domains.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::UNIX_EPOCH;

use bytes::Bytes;
use imbridge_core::CallOptions;
use imbridge_core::catalogue::BodyKind;
use imbridge_core::endpoint::body_excerpt;
use imbridge_core::http::HttpClient;
use imbridge_core::policy::{Idempotency, RateLimits, RetryPolicy};
use imbridge_core::{
    Capabilities, Clock, Error, ErrorKind, GroupKind, Operation, Result, SecretString, Vendor,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use tracing::Instrument;
use url::Url;

use crate::body::Form;
use crate::codes;
use crate::config::RongCloudClientBuilder;
use crate::domains::Domains;
use crate::endpoints;
use crate::group_mode::GroupMode;
use crate::sign::{self, Signer};
use crate::validate;

/// The most characters of an unexpected response body quoted in an error.
const EXCERPT_CHARS: usize = 200;

/// Whether a request may be sent again after it may have reached the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Resend {
    /// Repeating the request has the same effect as sending it once.
    Idempotent,
    /// Repeating could duplicate its effect (a message): only unsent requests move on.
    OnlyIfUnsent,
}

/// A request body, encoded.
pub(crate) struct Body {
    kind: BodyKind,
    bytes: Bytes,
}

impl Body {
    /// A form body.
    pub(crate) fn form(form: &Form) -> Self {
        Body {
            kind: BodyKind::Form,
            bytes: Bytes::from(form.encode()),
        }
    }

    /// `value` encoded as `kind` wants: JSON, or a form where sequences repeat their key.
    pub(crate) fn encode<B: Serialize + ?Sized>(
        op: Operation,
        kind: BodyKind,
        value: &B,
    ) -> Result<Self> {
        let bytes = match kind {
            BodyKind::Json => serde_json::to_vec(value).map_err(|e| e.to_string()),
            BodyKind::Form => serde_html_form::to_string(value)
                .map(String::into_bytes)
                .map_err(|e| e.to_string()),
        };
        match bytes {
            Ok(bytes) => Ok(Body {
                kind,
                bytes: Bytes::from(bytes),
            }),
            Err(e) => Err(Error::new(
                ErrorKind::InvalidInput,
                format!("could not encode the request body: {e}"),
            )
            .with_vendor(Vendor::RongCloud)
            .with_operation(op)),
        }
    }
}

/// A RongCloud client for one app. Cheap to clone; clones share the connection pool and the
/// domain-health state.
///
/// It implements [`ImProvider`](imbridge_core::ImProvider), and offers
/// [`set_user_tags`](Self::set_user_tags), [`user_tags`](Self::user_tags) and
/// [`call_json`](Self::call_json) for the rest of the Server API.
#[derive(Clone)]
pub struct RongCloudClient {
    inner: Arc<Inner>,
}

struct Inner {
    app_key: String,
    signer: Signer,
    domains: Domains,
    max_attempts: usize,
    retry: RetryPolicy,
    rate_limits: RateLimits,
    http: HttpClient,
    clock: Arc<dyn Clock>,
    capabilities: Capabilities,
    group_mode: GroupMode,
    group_operator: Option<String>,
    system_account: Option<String>,
}

/// One call as it goes out, the same on every attempt and domain.
#[derive(Clone, Copy)]
struct Outgoing<'a> {
    op: Operation,
    path: &'a str,
    body: &'a Body,
    /// The `X-Request-ID`, kept across attempts.
    request_id: &'a str,
    resend: Resend,
    /// The call's own timeout per attempt, if it set one.
    timeout: Option<std::time::Duration>,
    /// How many times the request may have reached the vendor so far, over every attempt and
    /// domain.
    reached: &'a AtomicU32,
}

/// How one attempt on one domain ended.
enum Attempt {
    /// `code` 200.
    Done(Value),
    /// A vendor answer with another code from a working domain: final, no switch.
    Refused(Error),
    /// The domain looks unhealthy; `reached` says whether the request may have been processed.
    DomainDown { err: Error, reached: bool },
}

impl RongCloudClient {
    /// Starts building a client for the app with `app_key` and `app_secret`.
    pub fn builder(
        app_key: impl Into<String>,
        app_secret: impl Into<SecretString>,
    ) -> RongCloudClientBuilder {
        RongCloudClientBuilder::new(app_key.into(), app_secret.into())
    }

    pub(crate) fn from_builder(b: RongCloudClientBuilder, urls: Vec<Url>) -> Result<Self> {
        let http = HttpClient::new(
            b.http_client,
            b.timeout,
            b.connect_timeout,
            concat!("imbridge/", env!("CARGO_PKG_VERSION"), " (rongcloud)"),
        )?;
        let max_attempts = b.max_attempts.unwrap_or(urls.len()).min(urls.len()).max(1);
        Ok(RongCloudClient {
            inner: Arc::new(Inner {
                app_key: b.app_key,
                signer: Signer::new(b.app_secret),
                domains: Domains::new(urls, b.cooldown, b.clock.clone()),
                max_attempts,
                retry: b.retry,
                rate_limits: b.rate_limits,
                http,
                clock: b.clock,
                capabilities: capabilities_for(b.group_mode),
                group_mode: b.group_mode,
                group_operator: b.group_operator,
                system_account: b.system_account,
            }),
        })
    }

    /// The app key.
    pub fn app_key(&self) -> &str {
        &self.inner.app_key
    }

    /// The base URLs in configured order: primary first.
    pub fn base_urls(&self) -> &[Url] {
        self.inner.domains.urls()
    }

    /// The app's group model, which decides the group endpoints and the capabilities.
    pub fn group_mode(&self) -> GroupMode {
        self.inner.group_mode
    }

    /// The user id that dismisses basic groups when a request names no operator.
    pub(crate) fn group_operator(&self) -> Option<&str> {
        self.inner.group_operator.as_deref()
    }

    /// The user id that sends system messages when a request names none.
    pub(crate) fn system_account(&self) -> Option<&str> {
        self.inner.system_account.as_deref()
    }

    /// Waits until `op` may be called `n` more times: the vendor counts some calls as one
    /// message per recipient (see the messages family), while the runner takes one per call.
    pub(crate) async fn acquire_extra(&self, op: Operation, n: usize) {
        for _ in 0..n {
            self.inner.rate_limits.acquire(op).await;
        }
    }

    /// The base URL the next call starts with: the primary unless it failed within the cool-down.
    pub fn preferred_base_url(&self) -> &Url {
        self.inner.domains.url(self.inner.domains.preferred())
    }

    /// Sets a user's tags (`/user/tag/set.json`, a JSON-body endpoint); replaces earlier tags.
    pub async fn set_user_tags(&self, user_id: &str, tags: &[String]) -> Result<()> {
        #[derive(Serialize)]
        struct TagSet<'a> {
            #[serde(rename = "userId")]
            user_id: &'a str,
            tags: &'a [String],
        }
        let op = Operation::Other("set_user_tags");
        tagged(op, validate::user_id("user_id", user_id))?;
        tagged(op, validate::tags(tags))?;
        let body = TagSet { user_id, tags };
        let _: crate::run::Done = self
            .run(op, &endpoints::TAG_SET, &CallOptions::new(), &body)
            .await?;
        Ok(())
    }

    /// The tags of each user (`/user/tags/get.json`), in the order asked.
    pub async fn user_tags(&self, user_ids: &[String]) -> Result<Vec<(String, Vec<String>)>> {
        #[derive(Serialize)]
        struct TagsGet<'a> {
            #[serde(rename = "userIds")]
            user_ids: &'a [String],
        }
        #[derive(Default, serde::Deserialize)]
        #[serde(default)]
        struct TagsAnswer {
            result: std::collections::HashMap<String, Vec<String>>,
        }
        let op = Operation::Other("user_tags");
        tagged(
            op,
            imbridge_core::check::id_list("user_ids", user_ids, Some(validate::MAX_TAG_QUERY))
                .and_then(|()| validate::user_ids("user_ids", user_ids)),
        )?;
        let mut answer: TagsAnswer = self
            .run(
                op,
                &endpoints::TAGS_GET,
                &CallOptions::new(),
                &TagsGet { user_ids },
            )
            .await?;
        Ok(user_ids
            .iter()
            .map(|id| (id.clone(), answer.result.remove(id).unwrap_or_default()))
            .collect())
    }

    /// Calls any Server API path with its fields as a JSON object and returns the answer.
    ///
    /// On the JSON endpoints the object is the body; elsewhere it becomes a form, where arrays
    /// turn into repeated keys. Only answers with `code` 200 are `Ok`. The request is treated as
    /// not idempotent: after it may have reached a failing domain it is not sent again.
    ///
    /// ```no_run
    /// # async fn f(client: imbridge_rongcloud::RongCloudClient) -> imbridge_core::Result<()> {
    /// let info = client.call_json("/user/info.json", &serde_json::json!({"userId": "lilei"})).await?;
    /// println!("{}", info["userName"]);
    /// # Ok(()) }
    /// ```
    pub async fn call_json(&self, path: &str, fields: &Value) -> Result<Value> {
        let op = Operation::Other("call_json");
        let valid_path = path.starts_with('/')
            && path.len() > 1
            && path
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'_' | b'.' | b'-'));
        if !valid_path {
            return Err(
                Error::invalid_input("path", "must look like `/user/info.json`")
                    .with_vendor(Vendor::RongCloud),
            );
        }
        let Some(obj) = fields.as_object() else {
            return Err(Error::invalid_input("fields", "must be a JSON object")
                .with_vendor(Vendor::RongCloud));
        };
        let body = match endpoints::body_kind(path) {
            BodyKind::Json => Body::encode(op, BodyKind::Json, fields)?,
            BodyKind::Form => {
                let mut form = Form::new();
                for (k, v) in obj {
                    form = form_value(form, k, v);
                }
                Body::form(&form)
            }
        };
        self.call(op, path, body, Resend::OnlyIfUnsent, &CallOptions::new())
            .await
    }

    /// Sends one request under the retry policy (the call's, else the client's), the
    /// operation's rate limit and the call's timeout, and decodes the typed answer of a
    /// `code` 200. Each attempt is one pass over the domains (see [`Self::pass`]); the
    /// `X-Request-ID` is the same on every attempt of the call. An error's
    /// [`attempts`](Error::attempts) counts every time the request may have reached the vendor,
    /// a move to another domain within one attempt included: more than one means an earlier
    /// send may have taken effect.
    pub(crate) async fn call<R: DeserializeOwned>(
        &self,
        op: Operation,
        path: &str,
        body: Body,
        resend: Resend,
        options: &CallOptions,
    ) -> Result<R> {
        let request_id = sign::request_id();
        let idempotency = match resend {
            Resend::Idempotent => Idempotency::Idempotent,
            Resend::OnlyIfUnsent => Idempotency::NotIdempotent,
        };
        let policy = options.retry.unwrap_or(self.inner.retry);
        let reached = AtomicU32::new(0);
        let call = Outgoing {
            op,
            path,
            body: &body,
            request_id: &request_id,
            resend,
            timeout: options.timeout,
            reached: &reached,
        };
        let value = policy
            .run(op, idempotency, |_| self.pass(&call))
            .await
            .map_err(|e| {
                let sent = reached.load(Ordering::Relaxed);
                if sent > e.attempts() {
                    e.with_attempts(sent)
                } else {
                    e
                }
            })?;
        serde_json::from_value(value).map_err(|e| {
            Error::new(
                ErrorKind::Decode,
                format!("RongCloud answered code 200 in an unexpected shape: {e}"),
            )
            .with_vendor(Vendor::RongCloud)
            .with_operation(op)
            .with_request_id(request_id.clone())
        })
    }

    /// One pass over the domains: moves the request to the next domain when a domain proves
    /// unhealthy and it is safe to send again (see the crate docs), and remembers which domains
    /// work.
    async fn pass(&self, call: &Outgoing<'_>) -> Result<Value> {
        let Outgoing {
            op,
            path,
            request_id,
            resend,
            ..
        } = *call;
        self.inner.rate_limits.acquire(op).await;
        let domains = &self.inner.domains;
        let mut last = None;
        for (attempt, i) in domains
            .order()
            .into_iter()
            .take(self.inner.max_attempts)
            .enumerate()
        {
            let base = domains.url(i);
            let span = tracing::debug_span!(
                "imbridge.call",
                vendor = "rongcloud",
                operation = %op,
                path,
                domain = base.host_str().unwrap_or(""),
                attempt,
                request_id = %request_id,
                vendor_code = tracing::field::Empty,
                latency_ms = tracing::field::Empty,
            );
            let started = std::time::Instant::now();
            let outcome = self.attempt(call, base).instrument(span.clone()).await;
            span.record("latency_ms", started.elapsed().as_millis() as u64);
            if !matches!(outcome, Attempt::DomainDown { reached: false, .. }) {
                call.reached.fetch_add(1, Ordering::Relaxed);
            }
            match outcome {
                Attempt::Done(value) => {
                    domains.mark_ok(i);
                    return Ok(value);
                }
                Attempt::Refused(err) => {
                    domains.mark_ok(i);
                    span.record("vendor_code", err.vendor_code().unwrap_or_default());
                    return Err(err);
                }
                Attempt::DomainDown { err, reached } => {
                    domains.mark_failed(i);
                    span.record("vendor_code", err.vendor_code().unwrap_or_default());
                    span.in_scope(
                        || tracing::warn!(kind = %err.kind(), reached, "domain unhealthy"),
                    );
                    if reached && resend == Resend::OnlyIfUnsent {
                        return Err(err.with_outcome_unknown());
                    }
                    last = Some(err);
                }
            }
        }
        Err(last.unwrap_or_else(|| {
            Error::config("no base URL is configured").with_vendor(Vendor::RongCloud)
        }))
    }

    async fn attempt(&self, call: &Outgoing<'_>, base: &Url) -> Attempt {
        let Outgoing {
            op,
            path,
            body,
            request_id,
            timeout,
            ..
        } = *call;
        let domain = base.host_str().unwrap_or("").to_owned();
        let fail = |kind: ErrorKind, message: String| {
            Error::new(kind, message)
                .with_vendor(Vendor::RongCloud)
                .with_operation(op)
                .with_request_id(request_id)
        };
        let url = match base.join(path.trim_start_matches('/')) {
            Ok(u) => u,
            Err(e) => {
                return Attempt::Refused(fail(
                    ErrorKind::Config,
                    format!("cannot build the URL: {e}"),
                ));
            }
        };
        let timestamp = self.timestamp_ms();
        let nonce = sign::nonce();
        let signature = self.inner.signer.sign(&nonce, &timestamp);
        let sent = self
            .inner
            .http
            .post_within(url, timeout)
            .header("App-Key", &self.inner.app_key)
            .header("Nonce", nonce)
            .header("Timestamp", timestamp)
            .header("Signature", signature)
            .header("X-Request-ID", request_id)
            .header(reqwest::header::CONTENT_TYPE, body.kind.content_type())
            .body(body.bytes.clone())
            .send()
            .await;
        let response = match sent {
            Ok(r) => r,
            Err(e) => {
                let (kind, what, reached) = if e.is_connect() {
                    (ErrorKind::Transport, "could not connect", false)
                } else if e.is_timeout() {
                    (ErrorKind::Timeout, "no answer in time", true)
                } else {
                    (ErrorKind::Transport, "the HTTP exchange failed", true)
                };
                let err = fail(kind, format!("{what} to {domain}")).with_source(e.without_url());
                let err = if reached { err } else { err.with_unsent() };
                return Attempt::DomainDown { err, reached };
            }
        };
        let status = response.status().as_u16();
        let bytes = match response.bytes().await {
            Ok(b) => b,
            Err(e) => {
                let kind = if e.is_timeout() {
                    ErrorKind::Timeout
                } else {
                    ErrorKind::Transport
                };
                let err = fail(kind, format!("the answer from {domain} was cut off"))
                    .with_source(e.without_url());
                return Attempt::DomainDown { err, reached: true };
            }
        };
        // 503 says the server did not handle the request, so it is safe to send elsewhere.
        let reached = status != 503;
        let parsed: Option<Value> = serde_json::from_slice(&bytes).ok();
        let Some(code) = parsed
            .as_ref()
            .and_then(|v| v.get("code"))
            .and_then(Value::as_i64)
        else {
            let kind = if status >= 500 || status == 429 {
                ErrorKind::Unavailable
            } else {
                ErrorKind::Decode
            };
            let err = fail(
                kind,
                format!(
                    "{domain} answered HTTP {status} without a RongCloud answer: {}",
                    excerpt(&bytes)
                ),
            )
            .with_http_status(status);
            return Attempt::DomainDown { err, reached };
        };
        let value = parsed.unwrap_or(Value::Null);
        if code == 200 {
            return Attempt::Done(value);
        }
        let info = codes::classify(code);
        let vendor_message = value
            .get("errorMessage")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let meaning = if info.meaning.is_empty() {
            "the request failed"
        } else {
            info.meaning
        };
        let err = fail(
            info.kind,
            format!("RongCloud answered code {code}: {meaning}"),
        )
        .with_vendor_code(code, vendor_message)
        .with_http_status(status)
        .with_retryable(info.retryable);
        if status >= 500 {
            Attempt::DomainDown { err, reached }
        } else {
            Attempt::Refused(err)
        }
    }

    /// The client clock's time in Unix milliseconds.
    pub(crate) fn now_ms(&self) -> u64 {
        self.inner
            .clock
            .now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
    }

    fn timestamp_ms(&self) -> String {
        let ms = self
            .inner
            .clock
            .now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_millis())
            .unwrap_or(0);
        ms.to_string()
    }
}

impl imbridge_core::ImProvider for RongCloudClient {
    fn vendor(&self) -> Vendor {
        Vendor::RongCloud
    }

    fn capabilities(&self) -> &Capabilities {
        &self.inner.capabilities
    }
}

impl fmt::Debug for RongCloudClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let urls: Vec<&str> = self.base_urls().iter().map(Url::as_str).collect();
        f.debug_struct("RongCloudClient")
            .field("app_key", &self.inner.app_key)
            .field("app_secret", &"[REDACTED]")
            .field("base_urls", &urls)
            .finish_non_exhaustive()
    }
}

/// Adds a JSON field to a form: arrays repeat the key; strings go as they are; other values as JSON.
fn form_value(form: Form, key: &str, value: &Value) -> Form {
    match value {
        Value::Array(items) => items.iter().fold(form, |f, item| form_value(f, key, item)),
        Value::String(s) => form.field(key.to_owned(), s.clone()),
        Value::Null => form,
        other => form.field(key.to_owned(), other.to_string()),
    }
}

/// Marks errors raised before sending with the vendor and the operation.
pub(crate) fn tagged<T>(op: Operation, result: Result<T>) -> Result<T> {
    imbridge_core::check::tagged(Vendor::RongCloud, op, result)
}

fn excerpt(bytes: &[u8]) -> String {
    body_excerpt(bytes, EXCERPT_CHARS)
}

/// What a RongCloud client in the default group mode ([`GroupMode::Basic`]) supports; see
/// [`capabilities_for`].
pub fn capabilities() -> Capabilities {
    capabilities_for(GroupMode::default())
}

/// What a RongCloud client in `mode` supports, as [`Capabilities`]: the operations of the
/// catalogue's endpoints that the mode calls ([`endpoints::operations`]), and each family's
/// facts.
///
/// The groups family depends on the mode: basic groups have no owner, profile, member roles or
/// app-wide listing (`get_groups`, `list_groups`, `transfer_group` are unsupported;
/// `groups.owners`, `groups.profile_fields` and `groups.member_details` are false) and take
/// 999 initial members besides the owner; hosted groups have all of these and take 30 initial
/// members. In both, a mute lasts at most 43 200 minutes (`groups.max_mute`).
///
/// ```
/// use imbridge_core::Operation;
/// use imbridge_rongcloud::{GroupMode, capabilities_for};
///
/// let basic = capabilities_for(GroupMode::Basic);
/// assert!(!basic.supports(Operation::GetGroups) && !basic.groups.owners);
/// let hosted = capabilities_for(GroupMode::Hosted);
/// assert!(hosted.supports(Operation::TransferGroup) && hosted.groups.member_details);
/// assert_eq!(hosted.groups.max_mute, basic.groups.max_mute);
/// ```
pub fn capabilities_for(mode: GroupMode) -> Capabilities {
    let hosted = mode == GroupMode::Hosted;
    let mut caps = Capabilities::default();
    caps.operations = endpoints::operations(mode);
    caps.rejects_unknown_ids = false;
    caps.users.synchronous_deletion = false;
    caps.users.max_ban = Some(validate::MAX_BAN);
    caps.groups.client_generated_ids = true;
    caps.groups.custom_ids = true;
    caps.groups.rejects_taken_ids = true;
    caps.groups.kinds = vec![GroupKind::Public];
    caps.groups.max_initial_members = if hosted {
        validate::MAX_HOSTED_INITIAL_MEMBERS
    } else {
        // The vendor's limit counts the owner among the users.
        validate::MAX_USERS_PER_CALL - 1
    };
    caps.groups.owners = hosted;
    caps.groups.profile_fields = hosted;
    caps.groups.member_details = hosted;
    caps.groups.max_mute = Some(validate::MAX_MUTE);
    caps.messages.direct = true;
    caps.messages.group = true;
    caps.messages.custom = true;
    caps.messages.dedup = false;
    caps.messages.max_bytes = validate::MAX_CONTENT_BYTES;
    caps
}

pub(crate) fn capabilities_ref(client: &RongCloudClient) -> &Capabilities {
    &client.inner.capabilities
}
