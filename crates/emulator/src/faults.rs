//! Faults: what a [`crate::Listener`] (with [`crate::Listener::set_fault`]) or a scripted
//! [`FaultRule`] (with [`crate::Emulator::inject`] or [`crate::Listener::inject`]) does to a
//! request instead of serving it normally, and how each one is produced at the HTTP level.

use std::fmt;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::task::{Context, Poll};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures_util::Stream;
use tokio::sync::watch;

use crate::rongcloud::{self, RongCloudState};
use crate::tencent::{self, TencentState};

/// The largest request body a faulted request's log entry keeps, in bytes (a larger body is
/// logged as empty).
const MAX_LOGGED_BODY: usize = 4 * 1024 * 1024;

/// What the emulator does to a request instead of serving it normally.
///
/// A listener applies one to every request with [`crate::Listener::set_fault`]; a
/// [`FaultRule`] applies one to chosen requests ([`crate::Emulator::inject`],
/// [`crate::Listener::inject`]).
///
/// Unless said otherwise (`Delay`, `AfterProcessing`), a faulted request is not processed: the
/// emulated apps' state does not change. A request faulted by a [`FaultRule`] is in its vendor's
/// request log (with its `fault` field set); one faulted by [`crate::Listener::set_fault`] is not
/// (unless processed: `Delay`, `AfterProcessing`). Every request counts in
/// [`crate::Listener::requests_served`].
///
/// Which vendor a request is for follows from its path: `/v4/...` is Tencent, anything else is
/// RongCloud.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// Answer this HTTP status with the vendor's JSON error: for RongCloud paths
    /// `{"code":N,"errorMessage":"emulated fault: HTTP S"}` (N = 1008 for 429, 1050 for 504,
    /// 1004 for 401, 1002 for 400, 404 for 404, else 1000); for Tencent paths (`/v4/...`) the
    /// envelope with `ErrorCode` 60007 for 429, else 60008.
    Status(u16),
    /// Answer this HTTP status with a non-JSON HTML page, like an nginx gateway error page.
    GatewayPage(u16),
    /// Wait this long (`tokio::time::sleep`), then serve the request normally.
    Delay(Duration),
    /// Answer the vendor's own error `code`, without touching the state. Tencent: HTTP 200 with
    /// `{"ActionStatus":"FAIL","ErrorCode":code,"ErrorInfo":"emulated fault"}`; RongCloud:
    /// `{"code":code,"errorMessage":"emulated fault"}` with the HTTP status the vendor documents
    /// for that code ([`crate::rongcloud::codes::fault_http_status`]: 1000 → 500, 1008 → 429,
    /// 1050 → 504, 1004 → 401, 1002 → 400, ...; 200 for a code not in the table).
    VendorCode {
        /// The vendor's error code (`ErrorCode` for Tencent, `code` for RongCloud).
        code: i64,
    },
    /// Never answer: the request (its body read) is held open until the client gives up or the
    /// listener is taken down or the emulator stops, when the connection is closed without an
    /// answer. Other requests are served meanwhile.
    Hang,
    /// Start an HTTP 200 answer whose `Content-Length` is larger than the body sent, send part
    /// of a JSON body, then close the connection: the client gets the status and headers, then
    /// fails reading the body.
    TruncatedBody,
    /// Close the connection without sending anything: the client sees the connection closed
    /// before a response (an incomplete message).
    DropConnection,
    /// Process the request normally (the state changes: a message is stored, de-duplication
    /// applies), then answer with the inner fault instead of the real answer: the request
    /// reached the vendor but the answer was lost. With an inner `TruncatedBody`, part of the
    /// real answer is sent; with an inner `Delay`, the real answer is sent late; with an inner
    /// `Hang`, nothing is ever sent.
    AfterProcessing(Box<Fault>),
}

impl Fault {
    /// The fault's name as recorded in the request logs: its `Debug` form.
    fn name(&self) -> String {
        format!("{self:?}")
    }
}

/// Which requests a [`Fault`] applies to, and how many times: a scripted fault for
/// [`crate::Emulator::inject`] or [`crate::Listener::inject`].
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct FaultRule {
    path: Option<String>,
    fault: Fault,
    remaining: Option<u32>,
}

impl FaultRule {
    /// Requests whose path is `path` exactly (no query): Tencent `"/v4/openim/sendmsg"`,
    /// RongCloud `"/message/private/publish.json"`.
    pub fn path(path: impl Into<String>, fault: Fault) -> Self {
        FaultRule {
            path: Some(path.into()),
            fault,
            remaining: None,
        }
    }

    /// Every request (both vendors).
    pub fn any(fault: Fault) -> Self {
        FaultRule {
            path: None,
            fault,
            remaining: None,
        }
    }

    /// Applies to the next `n` matching requests only, then no more (by default a rule applies
    /// to every matching request until cleared). `times(0)` never applies.
    pub fn times(mut self, n: u32) -> Self {
        self.remaining = Some(n);
        self
    }

    fn matches(&self, path: &str) -> bool {
        self.path.as_deref().is_none_or(|p| p == path)
    }
}

/// An ordered list of rules; the first that matches and has uses left wins.
#[derive(Debug, Default)]
pub(crate) struct Rules {
    rules: Mutex<Vec<FaultRule>>,
}

impl Rules {
    fn lock(&self) -> MutexGuard<'_, Vec<FaultRule>> {
        self.rules.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub(crate) fn push(&self, rule: FaultRule) {
        if rule.remaining != Some(0) {
            self.lock().push(rule);
        }
    }

    pub(crate) fn clear(&self) {
        self.lock().clear();
    }

    pub(crate) fn len(&self) -> usize {
        self.lock().len()
    }

    /// The fault of the first rule that matches `path` (using one of its uses; a rule with no
    /// uses left is removed).
    fn take(&self, path: &str) -> Option<Fault> {
        let mut rules = self.lock();
        let index = rules.iter().position(|r| r.matches(path))?;
        let rule = &mut rules[index];
        let fault = rule.fault.clone();
        if let Some(n) = &mut rule.remaining {
            *n = n.saturating_sub(1);
            if *n == 0 {
                rules.remove(index);
            }
        }
        Some(fault)
    }
}

/// What every listener of an emulator shares: the emulator-wide rules, the count of requests a
/// rule applied to, and the states (to log faulted requests).
#[derive(Debug, Default)]
pub(crate) struct Scripted {
    pub(crate) rules: Rules,
    pub(crate) fired: AtomicU64,
    pub(crate) tencent: TencentState,
    pub(crate) rongcloud: RongCloudState,
}

impl Scripted {
    pub(crate) fn new(tencent: TencentState, rongcloud: RongCloudState) -> Self {
        Scripted {
            rules: Rules::default(),
            fired: AtomicU64::new(0),
            tencent,
            rongcloud,
        }
    }
}

/// When a request arrived and which fault applies to it; put in the request's extensions for
/// the vendors' handlers, which log both.
#[derive(Debug, Clone)]
pub(crate) struct Arrival {
    pub(crate) received_at_ms: u64,
    pub(crate) fault: Option<String>,
}

impl Arrival {
    /// A request arriving now, not faulted.
    pub(crate) fn now() -> Self {
        Arrival {
            received_at_ms: now_ms(),
            fault: None,
        }
    }
}

/// Set to `true` when the server serving the request is stopping; ends `Hang`s.
#[derive(Debug, Clone)]
pub(crate) struct StopSignal(pub(crate) watch::Receiver<bool>);

/// The current Unix time in milliseconds.
pub(crate) fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
        .unwrap_or(0)
}

/// How a request's fault was chosen.
pub(crate) struct Source<'a> {
    /// The listener's own fault ([`crate::Listener::set_fault`]), or a rule's.
    pub(crate) per_listener: Option<Fault>,
    pub(crate) listener_rules: &'a Rules,
    pub(crate) scripted: &'a Scripted,
    /// The listener's count of requests a rule applied to.
    pub(crate) listener_fired: &'a AtomicU64,
}

/// The listeners' middleware body: the listener's fault first, then the listener's rules, then
/// the emulator's rules.
pub(crate) async fn serve(source: Source<'_>, mut request: Request, next: Next) -> Response {
    let mut arrival = Arrival::now();
    let path = request.uri().path().to_owned();
    match source.per_listener {
        None => {}
        Some(fault @ Fault::Delay(delay)) => {
            tokio::time::sleep(delay).await;
            // Named in the log unless a rule applies too (then the rule's fault is).
            arrival.fault = Some(fault.name());
        }
        Some(fault) => return apply(fault, request, next, arrival, source.scripted, false).await,
    }
    let rule = source
        .listener_rules
        .take(&path)
        .or_else(|| source.scripted.rules.take(&path));
    match rule {
        None => {
            request.extensions_mut().insert(arrival);
            next.run(request).await
        }
        Some(fault) => {
            source.scripted.fired.fetch_add(1, Ordering::SeqCst);
            source.listener_fired.fetch_add(1, Ordering::SeqCst);
            apply(fault, request, next, arrival, source.scripted, true).await
        }
    }
}

/// Applies `fault` to `request`; `log` says whether a request that is not processed is put in
/// its vendor's log.
async fn apply(
    fault: Fault,
    mut request: Request,
    next: Next,
    mut arrival: Arrival,
    scripted: &Scripted,
    log: bool,
) -> Response {
    arrival.fault = Some(fault.name());
    let stop = request.extensions().get::<StopSignal>().cloned();
    let tencent = request.uri().path().starts_with("/v4/");
    match fault {
        Fault::Delay(delay) => {
            tokio::time::sleep(delay).await;
            request.extensions_mut().insert(arrival);
            next.run(request).await
        }
        Fault::AfterProcessing(inner) => {
            let request_id = rongcloud::answer_request_id(request.headers());
            request.extensions_mut().insert(arrival);
            let real = next.run(request).await;
            let mut inner = *inner;
            while let Fault::AfterProcessing(deeper) = inner {
                inner = *deeper;
            }
            after_processing(inner, real, tencent, &request_id, stop).await
        }
        fault => {
            let (parts, body) = request.into_parts();
            let body = axum::body::to_bytes(body, MAX_LOGGED_BODY)
                .await
                .unwrap_or_default();
            let request_id = rongcloud::answer_request_id(&parts.headers);
            let (response, answered) = before_processing(&fault, tencent, &request_id);
            if log {
                let rc_request_id = if answered.http_status == 0 {
                    String::new()
                } else {
                    request_id
                };
                if tencent {
                    tencent::record_faulted(
                        &scripted.tencent,
                        &parts,
                        &body,
                        answered.code,
                        arrival,
                    );
                } else {
                    rongcloud::record_faulted(
                        &scripted.rongcloud,
                        &parts,
                        &body,
                        answered.http_status,
                        answered.code,
                        rc_request_id,
                        arrival,
                    );
                }
            }
            match fault {
                Fault::Hang => hang(stop).await,
                _ => response,
            }
        }
    }
}

/// What a faulted request was answered, for the log: the HTTP status (0 = none) and the
/// vendor's code (-1 = none).
struct Answered {
    http_status: u16,
    code: i64,
}

/// The answer to a request faulted before processing (for `Hang`, what it ends with).
fn before_processing(fault: &Fault, tencent: bool, request_id: &str) -> (Response, Answered) {
    let none = |http_status| Answered {
        http_status,
        code: -1,
    };
    match fault {
        Fault::Status(status) => {
            let (response, code) = status_response(*status, tencent, request_id);
            (
                response,
                Answered {
                    http_status: *status,
                    code,
                },
            )
        }
        Fault::GatewayPage(status) => (gateway_page(*status), none(*status)),
        Fault::VendorCode { code } => {
            let (response, http_status) = vendor_code_response(*code, tencent, request_id);
            (
                response,
                Answered {
                    http_status,
                    code: *code,
                },
            )
        }
        Fault::TruncatedBody => {
            let full: &[u8] = if tencent {
                br#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}"#
            } else {
                br#"{"code":200,"errorMessage":""}"#
            };
            let mut response = truncated(Bytes::from_static(full));
            if !tencent {
                set_request_id(&mut response, request_id);
            }
            (response, none(200))
        }
        Fault::Hang | Fault::DropConnection | Fault::Delay(_) | Fault::AfterProcessing(_) => {
            (drop_connection(), none(0))
        }
    }
}

/// The answer to a request that was processed (its real answer `real`) and then faulted.
async fn after_processing(
    fault: Fault,
    real: Response,
    tencent: bool,
    request_id: &str,
    stop: Option<StopSignal>,
) -> Response {
    match fault {
        Fault::Status(status) => status_response(status, tencent, request_id).0,
        Fault::GatewayPage(status) => gateway_page(status),
        Fault::VendorCode { code } => vendor_code_response(code, tencent, request_id).0,
        Fault::Delay(delay) => {
            tokio::time::sleep(delay).await;
            real
        }
        Fault::TruncatedBody => {
            let (parts, body) = real.into_parts();
            let body = axum::body::to_bytes(body, usize::MAX)
                .await
                .unwrap_or_default();
            let mut response = truncated(body);
            for name in [
                header::CONTENT_TYPE,
                header::HeaderName::from_static("x-request-id"),
            ] {
                if let Some(value) = parts.headers.get(&name) {
                    response.headers_mut().insert(name, value.clone());
                }
            }
            response
        }
        Fault::DropConnection | Fault::AfterProcessing(_) => drop_connection(),
        Fault::Hang => hang(stop).await,
    }
}

/// The vendor's JSON error for [`Fault::Status`], and the code in it.
fn status_response(status: u16, tencent: bool, request_id: &str) -> (Response, i64) {
    if tencent {
        (
            tencent::fault_response(status),
            tencent::fault_status_code(status),
        )
    } else {
        (
            rongcloud::fault_response(status, request_id),
            rongcloud::codes::for_fault_status(status),
        )
    }
}

/// The vendor's JSON error for [`Fault::VendorCode`], and its HTTP status.
fn vendor_code_response(code: i64, tencent: bool, request_id: &str) -> (Response, u16) {
    if tencent {
        (tencent::vendor_code_response(code), 200)
    } else {
        let status = rongcloud::codes::fault_http_status(code);
        (
            rongcloud::vendor_code_response(code, status, request_id),
            status,
        )
    }
}

fn set_request_id(response: &mut Response, request_id: &str) {
    if let Ok(value) = HeaderValue::from_str(request_id) {
        response.headers_mut().insert("x-request-id", value);
    }
}

/// Waits until the server serving the request stops (forever without a stop signal), then
/// closes the connection without an answer.
async fn hang(stop: Option<StopSignal>) -> Response {
    match stop {
        Some(StopSignal(mut stopping)) => {
            // An error means the server is gone: stop hanging as well.
            let _ = stopping.wait_for(|stopping| *stopping).await;
        }
        None => std::future::pending::<()>().await,
    }
    drop_connection()
}

/// A response that makes hyper close the connection before anything is written: its body
/// fails on the first poll, which happens before the buffered status line and headers are
/// flushed, and a body error aborts the connection.
fn drop_connection() -> Response {
    Response::new(Body::from_stream(Failing {
        data: None,
        flush_first: false,
    }))
}

/// An HTTP 200 JSON answer announcing `full.len()` bytes (`Content-Length`, at least 1), of
/// which only the first half of `full` is sent before the connection is closed.
fn truncated(full: Bytes) -> Response {
    let announced = full.len().max(1);
    let sent = full.slice(..full.len() / 2);
    let mut response = Response::new(Body::from_stream(Failing {
        data: Some(sent),
        flush_first: true,
    }));
    *response.status_mut() = StatusCode::OK;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(announced));
    response
}

/// A body stream that yields `data` (if any), lets the connection flush once when
/// `flush_first` (returning `Pending` after waking itself, so hyper flushes what it buffered),
/// then fails.
struct Failing {
    data: Option<Bytes>,
    flush_first: bool,
}

impl Stream for Failing {
    type Item = Result<Bytes, io::Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if let Some(data) = this.data.take() {
            return Poll::Ready(Some(Ok(data)));
        }
        if this.flush_first {
            this.flush_first = false;
            cx.waker().wake_by_ref();
            return Poll::Pending;
        }
        Poll::Ready(Some(Err(io::Error::new(
            io::ErrorKind::ConnectionAborted,
            "emulated fault: connection closed",
        ))))
    }
}

impl fmt::Debug for Failing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Failing").finish_non_exhaustive()
    }
}

/// An nginx-like HTML error page.
pub(crate) fn gateway_page(status: u16) -> Response {
    let code = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_GATEWAY);
    let title = format!(
        "{} {}",
        code.as_u16(),
        code.canonical_reason().unwrap_or("Error")
    );
    let body = format!(
        "<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n<center><h1>{title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
    );
    (code, [(header::CONTENT_TYPE, "text/html")], body).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_match_in_order_and_run_out() {
        let rules = Rules::default();
        rules.push(FaultRule::path("/a", Fault::Status(500)).times(2));
        rules.push(FaultRule::any(Fault::Hang));
        rules.push(FaultRule::any(Fault::DropConnection).times(0));
        assert_eq!(rules.len(), 2);
        assert_eq!(rules.take("/a"), Some(Fault::Status(500)));
        assert_eq!(rules.take("/b"), Some(Fault::Hang));
        assert_eq!(rules.take("/a"), Some(Fault::Status(500)));
        assert_eq!(rules.take("/a"), Some(Fault::Hang));
        assert_eq!(rules.len(), 1);
        rules.clear();
        assert_eq!(rules.take("/a"), None);
    }

    #[test]
    fn names() {
        assert_eq!(
            Fault::AfterProcessing(Box::new(Fault::VendorCode { code: 1008 })).name(),
            "AfterProcessing(VendorCode { code: 1008 })"
        );
        assert_eq!(Fault::DropConnection.name(), "DropConnection");
    }
}
