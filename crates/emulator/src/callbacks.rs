//! Callbacks (webhooks): the emulator POSTs signed notifications to the app's URL when its state
//! changes, as the vendors do.
//!
//! Turn them on with [`crate::Emulator::set_callbacks`] and read what was delivered with
//! [`crate::Emulator::callbacks`]. What is sent:
//!
//! - Tencent: `POST {url}?SdkAppid=..&CallbackCommand=..&contenttype=json&ClientIP=127.0.0.1&OptPlatform=RESTAPI`
//!   (plus `Sign` and `RequestTime` when a callback token is configured, see [`tencent_sign`])
//!   with a JSON body (`Content-Type: application/json`) holding `CallbackCommand`, the
//!   command's fields and `EventTime` (Unix milliseconds). Commands:
//!   `C2C.CallbackAfterSendMsg` (after `openim/sendmsg` stores a message),
//!   `Group.CallbackAfterCreateGroup` (`create_group`), `Group.CallbackAfterSendMsg`
//!   (`send_group_msg` stores a message), `Group.CallbackAfterNewMemberJoin`
//!   (`add_group_member` adds someone), `Group.CallbackAfterMemberExit`
//!   (`delete_group_member` removes someone), `Group.CallbackAfterGroupDestroyed`
//!   (`destroy_group`), `Group.CallbackAfterGroupInfoChanged` (`modify_group_base_info` changes
//!   the name, introduction, notification or face URL; the changed fields are sent) and
//!   `Profile.CallbackPortraitSet` (`portrait_set`).
//! - RongCloud: message routing after each stored private (one per recipient) or group (one per
//!   group) message: `POST {url}?appKey=..&nonce=..&signTimestamp=..&signature=..` with
//!   `signature` = hex SHA-1 of `app_secret + nonce + signTimestamp` (milliseconds) and a
//!   `application/x-www-form-urlencoded` body: `fromUserId`, `toUserId` (the group id for a
//!   group message), `objectName`, `content`, `channelType` (`PERSON` or `GROUP`),
//!   `msgTimestamp` (ms), `msgUID`, `source` (`Server`). Logged with the command
//!   `message-routing`.
//! - RongCloud: the user deactivation and activation status callback, one per user after
//!   `/user/deactivate.json` or `/user/reactivate.json`, signed the same way, with the form body
//!   `userId`, `operateId` (as answered by the request), `type` (`0` deactivation, `1`
//!   reactivation), `code` (`0` = success; the emulator always succeeds) and `time` (ms).
//!   Logged with the command `user-deactivation`.
//!
//! Delivery is asynchronous: the operation's answer is not delayed. Callbacks are sent one at a
//! time, in the order of the state changes, by a background task; each gets **one attempt, no
//! retries** (unlike the vendors, which retry), with a 5 second timeout, and is logged in the
//! [`CallbackLog`] whatever the outcome. Only loopback URLs (`127.0.0.0/8`, `[::1]`,
//! `localhost`) are accepted, proxies are never used and redirects are not followed, so the
//! emulator never sends traffic to another host.

use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rand::Rng;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use tokio::sync::{Notify, mpsc};
use url::{Host, Url};

/// How long one delivery may take, from connecting to reading the whole answer.
pub const DELIVERY_TIMEOUT: Duration = Duration::from_secs(5);
/// How long [`CallbackLog::wait_for`] waits before panicking.
pub const WAIT_TIMEOUT: Duration = Duration::from_secs(10);
/// The `command` of RongCloud message-routing deliveries.
pub const MESSAGE_ROUTING: &str = "message-routing";
/// The `command` of RongCloud user deactivation and activation status deliveries.
pub const USER_DEACTIVATION: &str = "user-deactivation";

const TENCENT: &str = "tencent";
const RONGCLOUD: &str = "rongcloud";
const JSON: &str = "application/json";
const FORM: &str = "application/x-www-form-urlencoded";

/// Where and how the emulator calls back.
#[derive(Clone)]
#[non_exhaustive]
pub struct CallbackConfig {
    /// The app's callback URL; must point at the loopback interface (`http://127.0.0.1:PORT/...`,
    /// `http://[::1]:PORT/...` or `http://localhost:PORT/...`). Its own query parameters are
    /// kept, the vendors' are appended.
    pub url: String,
    /// Tencent's callback token: when set, the emulator adds `Sign` and `RequestTime` to the
    /// query, as the vendor does when a token is configured in its console; `None` = neither.
    pub tencent_token: Option<String>,
}

impl CallbackConfig {
    /// Callbacks to `url`, without a Tencent token.
    pub fn new(url: impl Into<String>) -> Self {
        CallbackConfig {
            url: url.into(),
            tencent_token: None,
        }
    }

    /// The same, signing Tencent callbacks with `token`.
    pub fn tencent_token(mut self, token: impl Into<String>) -> Self {
        self.tencent_token = Some(token.into());
        self
    }
}

impl fmt::Debug for CallbackConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CallbackConfig")
            .field("url", &self.url)
            .field(
                "tencent_token",
                &self.tencent_token.as_ref().map(|_| "[REDACTED]"),
            )
            .finish()
    }
}

/// A callback configuration the emulator refuses: the URL is not a URL, not HTTP(S), or not on
/// the loopback interface (or, unlikely, no HTTP client could be built for it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallbackUrlError {
    /// The URL as given.
    pub url: String,
    /// Why it was refused.
    pub reason: String,
}

impl fmt::Display for CallbackUrlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "refusing the callback URL `{}`: {}; the emulator only calls back to the loopback \
             interface (http://127.0.0.1:PORT/..., http://[::1]:PORT/... or http://localhost:PORT/...)",
            self.url, self.reason
        )
    }
}

impl std::error::Error for CallbackUrlError {}

/// One callback the emulator attempted.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Delivery {
    /// `"tencent"` or `"rongcloud"`.
    pub vendor: &'static str,
    /// Tencent's `CallbackCommand` (e.g. `C2C.CallbackAfterSendMsg`), or for RongCloud
    /// [`MESSAGE_ROUTING`] or [`USER_DEACTIVATION`].
    pub command: String,
    /// The full URL posted to, with its query.
    pub url: String,
    /// The body sent.
    pub body: String,
    /// The `Content-Type` sent.
    pub content_type: String,
    /// The HTTP status the app answered, `None` when the delivery failed (connection refused,
    /// timeout, ...).
    pub status: Option<u16>,
    /// The body the app answered (lossily decoded as UTF-8), `None` when the delivery failed.
    pub reply: Option<String>,
    /// Why the delivery failed, `None` when the app answered (whatever its status).
    pub error: Option<String>,
}

impl Delivery {
    /// The first value of the query parameter `name` in [`url`](Self::url).
    pub fn query_param(&self, name: &str) -> Option<String> {
        let url = Url::parse(&self.url).ok()?;
        url.query_pairs()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
    }

    /// The body as JSON (Tencent callbacks), `None` when it is not JSON.
    pub fn json(&self) -> Option<Value> {
        serde_json::from_str(&self.body).ok()
    }

    /// The first value of the form field `name` in the body (RongCloud callbacks).
    pub fn form_param(&self, name: &str) -> Option<String> {
        url::form_urlencoded::parse(self.body.as_bytes())
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
    }
}

#[derive(Debug, Default)]
struct LogInner {
    deliveries: Mutex<Vec<Delivery>>,
    changed: Notify,
}

/// The callbacks attempted so far, in order (cheap to clone: every clone sees the same log).
#[derive(Clone, Debug, Default)]
pub struct CallbackLog {
    inner: Arc<LogInner>,
}

impl CallbackLog {
    fn lock(&self) -> MutexGuard<'_, Vec<Delivery>> {
        self.inner
            .deliveries
            .lock()
            .unwrap_or_else(|p| p.into_inner())
    }

    /// Every delivery attempted so far (succeeded or failed), in the order of the state changes.
    pub fn deliveries(&self) -> Vec<Delivery> {
        self.lock().clone()
    }

    /// How many deliveries were attempted so far.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether no delivery was attempted yet.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Forgets the deliveries logged so far.
    pub fn clear(&self) {
        self.lock().clear();
    }

    /// Waits until at least `n` deliveries were attempted (each is logged once the app answered
    /// or the attempt failed), then returns all of them.
    ///
    /// # Panics
    ///
    /// After [`WAIT_TIMEOUT`] (10 s) with fewer than `n`.
    pub async fn wait_for(&self, n: usize) -> Vec<Delivery> {
        self.wait_for_within(n, WAIT_TIMEOUT).await
    }

    /// [`wait_for`](Self::wait_for) with another safety timeout.
    ///
    /// # Panics
    ///
    /// After `timeout` with fewer than `n` deliveries.
    pub async fn wait_for_within(&self, n: usize, timeout: Duration) -> Vec<Delivery> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let changed = self.inner.changed.notified();
            let mut changed = std::pin::pin!(changed);
            // Register before checking, so a delivery logged in between is not missed.
            changed.as_mut().enable();
            {
                let deliveries = self.lock();
                if deliveries.len() >= n {
                    return deliveries.clone();
                }
            }
            if tokio::time::timeout_at(deadline, changed).await.is_err() {
                let got = self.deliveries();
                let commands: Vec<&str> = got.iter().map(|d| d.command.as_str()).collect();
                panic!(
                    "waited {timeout:?} for {n} callback deliveries, got {}: {commands:?}; \
                     are callbacks on (Emulator::set_callbacks) and did the operations change \
                     the state?",
                    got.len()
                );
            }
        }
    }

    fn push(&self, delivery: Delivery) {
        self.lock().push(delivery);
        self.inner.changed.notify_waiters();
    }
}

/// Tencent's callback `Sign`: lowercase hex SHA-256 of the UTF-8 bytes of `token` followed by
/// `request_time` (plain concatenation).
pub fn tencent_sign(token: &str, request_time: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(token.as_bytes());
    hasher.update(request_time.as_bytes());
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Checks that `url` is an HTTP(S) URL on the loopback interface.
pub fn check_url(url: &str) -> Result<(), CallbackUrlError> {
    checked(url).map(|_| ())
}

fn checked(raw: &str) -> Result<Url, CallbackUrlError> {
    let refuse = |reason: &str| CallbackUrlError {
        url: raw.to_owned(),
        reason: reason.to_owned(),
    };
    let mut url = Url::parse(raw).map_err(|e| refuse(&format!("not a valid URL ({e})")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(refuse(&format!(
            "the scheme must be http or https, not `{}`",
            url.scheme()
        )));
    }
    let loopback = match url.host() {
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => ip.is_loopback(),
        Some(Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        None => false,
    };
    if !loopback {
        return Err(refuse("the host is not a loopback address"));
    }
    url.set_fragment(None);
    Ok(url)
}

/// The checked target and the client that posts to it.
struct Target {
    url: Url,
    tencent_token: Option<String>,
    client: reqwest::Client,
}

/// The client for `url`: no proxy, no redirects, the delivery timeout, `localhost` pinned.
fn client_for(url: &Url) -> Result<reqwest::Client, String> {
    let mut builder = reqwest::Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(DELIVERY_TIMEOUT);
    if let (Some(Host::Domain(domain)), Some(port)) = (url.host(), url.port_or_known_default()) {
        // Never ask a resolver about `localhost`: pin it to the loopback addresses.
        builder = builder.resolve_to_addrs(
            domain,
            &[
                SocketAddr::from((Ipv4Addr::LOCALHOST, port)),
                SocketAddr::from((Ipv6Addr::LOCALHOST, port)),
            ],
        );
    }
    builder.build().map_err(|e| error_text(&e))
}

/// How a queued callback gets its URL: the vendor's signature is computed when it is sent.
enum Signing {
    Tencent {
        sdkappid: u64,
        token: Option<String>,
    },
    RongCloud {
        app_key: String,
        app_secret: String,
    },
}

struct Job {
    vendor: &'static str,
    command: String,
    base: Url,
    signing: Signing,
    body: String,
    content_type: &'static str,
    client: reqwest::Client,
}

/// The callback machinery shared by both vendor halves of one emulator.
#[derive(Default)]
pub(crate) struct Hub {
    target: Mutex<Option<Arc<Target>>>,
    log: CallbackLog,
    queue: Mutex<Option<mpsc::UnboundedSender<Job>>>,
}

impl fmt::Debug for Hub {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Hub")
            .field("url", &self.target().map(|t| t.url.to_string()))
            .field("delivered", &self.log.len())
            .finish()
    }
}

impl Hub {
    fn target(&self) -> Option<Arc<Target>> {
        self.target
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Turns callbacks on (checking the URL) or off.
    pub(crate) fn configure(&self, config: Option<CallbackConfig>) -> Result<(), CallbackUrlError> {
        let target = match config {
            None => None,
            Some(config) => {
                let url = checked(&config.url)?;
                let client = client_for(&url).map_err(|e| CallbackUrlError {
                    url: config.url.clone(),
                    reason: format!("could not build the HTTP client: {e}"),
                })?;
                Some(Arc::new(Target {
                    url,
                    tencent_token: config.tencent_token,
                    client,
                }))
            }
        };
        *self.target.lock().unwrap_or_else(|p| p.into_inner()) = target;
        Ok(())
    }

    pub(crate) fn log(&self) -> CallbackLog {
        self.log.clone()
    }

    /// Queues Tencent callbacks, `(CallbackCommand, fields)`; `CallbackCommand` and `EventTime`
    /// are added to the fields. Does nothing when callbacks are off.
    pub(crate) fn tencent(&self, sdkappid: u64, events: Vec<(&'static str, Map<String, Value>)>) {
        let Some(target) = self.target() else { return };
        let event_time = now_ms();
        for (command, mut fields) in events {
            fields.insert("CallbackCommand".into(), Value::from(command));
            fields.insert("EventTime".into(), Value::from(event_time));
            self.enqueue(Job {
                vendor: TENCENT,
                command: command.to_owned(),
                base: target.url.clone(),
                signing: Signing::Tencent {
                    sdkappid,
                    token: target.tencent_token.clone(),
                },
                body: Value::Object(fields).to_string(),
                content_type: JSON,
                client: target.client.clone(),
            });
        }
    }

    /// Queues RongCloud callbacks, each `(command, form fields)`. Does nothing when callbacks
    /// are off.
    pub(crate) fn rongcloud(
        &self,
        app_key: &str,
        app_secret: &str,
        events: Vec<(&'static str, Vec<(&'static str, String)>)>,
    ) {
        let Some(target) = self.target() else { return };
        for (command, fields) in events {
            let body = url::form_urlencoded::Serializer::new(String::new())
                .extend_pairs(fields.iter().map(|(k, v)| (*k, v.as_str())))
                .finish();
            self.enqueue(Job {
                vendor: RONGCLOUD,
                command: command.to_owned(),
                base: target.url.clone(),
                signing: Signing::RongCloud {
                    app_key: app_key.to_owned(),
                    app_secret: app_secret.to_owned(),
                },
                body,
                content_type: FORM,
                client: target.client.clone(),
            });
        }
    }

    /// Hands `job` to the background sender, starting it when needed (on the current Tokio
    /// runtime).
    fn enqueue(&self, job: Job) {
        let mut queue = self.queue.lock().unwrap_or_else(|p| p.into_inner());
        let job = match queue.as_ref() {
            Some(tx) => match tx.send(job) {
                Ok(()) => return,
                // The sender task is gone (its runtime ended): start another.
                Err(mpsc::error::SendError(job)) => job,
            },
            None => job,
        };
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            self.log.push(failed(
                &job,
                job.base.to_string(),
                "no Tokio runtime to send the callback on".to_owned(),
            ));
            return;
        };
        let (tx, rx) = mpsc::unbounded_channel();
        let _ = tx.send(job);
        runtime.spawn(sender(rx, self.log.clone()));
        *queue = Some(tx);
    }
}

/// Sends the queued callbacks one at a time, in order, until the hub is dropped.
async fn sender(mut rx: mpsc::UnboundedReceiver<Job>, log: CallbackLog) {
    while let Some(job) = rx.recv().await {
        let delivery = deliver(job).await;
        match (&delivery.status, &delivery.error) {
            (Some(status), _) => tracing::debug!(
                vendor = delivery.vendor,
                command = %delivery.command,
                status,
                "callback delivered"
            ),
            (None, error) => tracing::warn!(
                vendor = delivery.vendor,
                command = %delivery.command,
                error = error.as_deref().unwrap_or(""),
                "callback failed"
            ),
        }
        log.push(delivery);
    }
}

fn failed(job: &Job, url: String, error: String) -> Delivery {
    Delivery {
        vendor: job.vendor,
        command: job.command.clone(),
        url,
        body: job.body.clone(),
        content_type: job.content_type.to_owned(),
        status: None,
        reply: None,
        error: Some(error),
    }
}

/// The URL of `job` with the vendor's query parameters, signed now.
fn signed_url(job: &Job) -> Url {
    let mut url = job.base.clone();
    {
        let mut query = url.query_pairs_mut();
        match &job.signing {
            Signing::Tencent { sdkappid, token } => {
                query
                    .append_pair("SdkAppid", &sdkappid.to_string())
                    .append_pair("CallbackCommand", &job.command)
                    .append_pair("contenttype", "json")
                    .append_pair("ClientIP", "127.0.0.1")
                    .append_pair("OptPlatform", "RESTAPI");
                if let Some(token) = token {
                    let request_time = (now_ms() / 1000).to_string();
                    query
                        .append_pair("RequestTime", &request_time)
                        .append_pair("Sign", &tencent_sign(token, &request_time));
                }
            }
            Signing::RongCloud {
                app_key,
                app_secret,
            } => {
                let nonce = rand::rng()
                    .random_range(100_000_000u64..10_000_000_000)
                    .to_string();
                let timestamp = now_ms().to_string();
                let signature = crate::rongcloud::signature(app_secret, &nonce, &timestamp);
                query
                    .append_pair("appKey", app_key)
                    .append_pair("nonce", &nonce)
                    .append_pair("signTimestamp", &timestamp)
                    .append_pair("signature", &signature);
            }
        }
    }
    url
}

async fn deliver(job: Job) -> Delivery {
    let url = signed_url(&job);
    let url_text = url.to_string();
    let sent = job
        .client
        .post(url)
        .header(reqwest::header::CONTENT_TYPE, job.content_type)
        .body(job.body.clone())
        .send()
        .await;
    let response = match sent {
        Ok(response) => response,
        Err(e) => return failed(&job, url_text, error_text(&e)),
    };
    let status = response.status().as_u16();
    match response.bytes().await {
        Ok(bytes) => Delivery {
            vendor: job.vendor,
            command: job.command.clone(),
            url: url_text,
            body: job.body.clone(),
            content_type: job.content_type.to_owned(),
            status: Some(status),
            reply: Some(String::from_utf8_lossy(&bytes).into_owned()),
            error: None,
        },
        Err(e) => failed(
            &job,
            url_text,
            format!(
                "HTTP {status}, then reading the answer failed: {}",
                error_text(&e)
            ),
        ),
    }
}

/// An error with its causes.
fn error_text(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_matches_the_vendor_example() {
        assert_eq!(
            tencent_sign("xxxxyyyy", "1669872112"),
            "17773bc39a671d7b9aa835458704d2a6db81360a5940292b587d6d760d484061"
        );
    }

    #[test]
    fn only_loopback_urls() {
        for ok in [
            "http://127.0.0.1:8080/cb",
            "http://127.1.2.3/cb?x=1",
            "https://[::1]:9000/",
            "http://localhost:1/",
            "http://LOCALHOST:1/",
        ] {
            assert!(check_url(ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://example.com/cb",
            "http://10.0.0.1/cb",
            "http://0.0.0.0:80/",
            "http://[::]:80/",
            "http://localhost.example.com/",
            "ftp://127.0.0.1/",
            "file:///tmp/x",
            "not a url",
            "http://127.0.0.1.nip.io/",
        ] {
            let err = check_url(bad).expect_err(bad);
            assert!(err.to_string().contains("loopback"), "{err}");
        }
    }

    #[test]
    fn config_debug_hides_the_token() {
        let c = CallbackConfig::new("http://127.0.0.1:1/").tencent_token("secret-token");
        let dbg = format!("{c:?}");
        assert!(!dbg.contains("secret-token"), "{dbg}");
        assert!(dbg.contains("REDACTED"));
    }
}
