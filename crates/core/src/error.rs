//! The one error type of imbridge.

use std::fmt;

use std::sync::Arc;

use crate::policy::Idempotency;
use crate::{Operation, Vendor};

/// Result alias used throughout imbridge.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What went wrong, in terms a caller can act on.
///
/// Each vendor crate maps its own code table onto these kinds; the vendor's code and message are
/// kept on the [`Error`] as well.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The client is misconfigured (bad base URL, missing credential, unusable key).
    Config,
    /// The request was rejected before or by the vendor because an argument is invalid.
    InvalidInput,
    /// The vendor rejected our credentials or signature (wrong key, expired signature, not an admin).
    Auth,
    /// The credentials are fine but this account may not do this (e.g. not a member of the group).
    PermissionDenied,
    /// A user, group or other resource named in the request does not exist.
    NotFound,
    /// The resource to create exists already (e.g. a group id that is taken).
    AlreadyExists,
    /// The vendor's rate limit was hit.
    RateLimited,
    /// The vendor reported a temporary failure (internal error, overload, server-side timeout).
    Unavailable,
    /// No answer arrived in time.
    Timeout,
    /// The network failed (connection refused, DNS, TLS, reset).
    Transport,
    /// The vendor's answer could not be understood.
    Decode,
    /// The backend does not support this operation or option (see [`Capabilities`](crate::Capabilities)).
    Unsupported,
    /// Any other vendor-reported failure; see [`Error::vendor_code`].
    Vendor,
}

impl ErrorKind {
    /// A stable snake_case name for logs and command-line output (`"invalid_input"`).
    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Config => "config",
            ErrorKind::InvalidInput => "invalid_input",
            ErrorKind::Auth => "auth",
            ErrorKind::PermissionDenied => "permission_denied",
            ErrorKind::NotFound => "not_found",
            ErrorKind::AlreadyExists => "already_exists",
            ErrorKind::RateLimited => "rate_limited",
            ErrorKind::Unavailable => "unavailable",
            ErrorKind::Timeout => "timeout",
            ErrorKind::Transport => "transport",
            ErrorKind::Decode => "decode",
            ErrorKind::Unsupported => "unsupported",
            ErrorKind::Vendor => "vendor",
        }
    }

    /// Whether a later attempt of the same request may succeed, absent more specific knowledge.
    pub const fn is_retryable_by_default(self) -> bool {
        matches!(
            self,
            ErrorKind::RateLimited
                | ErrorKind::Unavailable
                | ErrorKind::Timeout
                | ErrorKind::Transport
        )
    }

    /// What the caller can do about an error of this kind.
    pub const fn hint(self) -> &'static str {
        match self {
            ErrorKind::Config => "fix the client configuration",
            ErrorKind::InvalidInput => "fix the request; retrying it unchanged will fail again",
            ErrorKind::Auth => "check the app id, the secret key and the admin account",
            ErrorKind::PermissionDenied => "use an account that is allowed to do this",
            ErrorKind::NotFound => "create the user or group first, or check its id",
            ErrorKind::AlreadyExists => {
                "use another id, or treat the existing resource as the result"
            }
            ErrorKind::RateLimited => "slow down and retry later",
            ErrorKind::Unavailable => "retry later",
            ErrorKind::Timeout => "retry; a send may already have been delivered",
            ErrorKind::Transport => "check the network and the base URL, then retry",
            ErrorKind::Decode => "report it: the vendor answered in an unexpected format",
            ErrorKind::Unsupported => "check the provider's capabilities",
            ErrorKind::Vendor => "see the vendor's code and message",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error of every imbridge operation.
///
/// It keeps the vendor's own code and message, the request id and HTTP status when there was a
/// response, and says whether a retry may help. It never contains a secret: backends build its
/// texts from ids and vendor messages only.
///
/// ```
/// use imbridge_core::{Error, ErrorKind};
///
/// let err = Error::invalid_input("user_id", "must not be empty");
/// assert_eq!(err.kind(), ErrorKind::InvalidInput);
/// assert_eq!(err.field(), Some("user_id"));
/// assert!(!err.is_retryable());
/// ```
#[derive(Clone)]
pub struct Error {
    inner: Box<Inner>,
}

#[derive(Clone)]
struct Inner {
    kind: ErrorKind,
    message: String,
    retryable: bool,
    outcome_unknown: bool,
    unsent: bool,
    vendor: Option<Vendor>,
    operation: Option<Operation>,
    idempotency: Option<Idempotency>,
    attempts: u32,
    field: Option<&'static str>,
    vendor_code: Option<i64>,
    vendor_message: Option<String>,
    request_id: Option<String>,
    http_status: Option<u16>,
    source: Option<Arc<dyn std::error::Error + Send + Sync + 'static>>,
}

impl Error {
    /// A new error of `kind`; retryable as [`ErrorKind::is_retryable_by_default`] says.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error {
            inner: Box::new(Inner {
                kind,
                message: message.into(),
                retryable: kind.is_retryable_by_default(),
                outcome_unknown: false,
                unsent: false,
                vendor: None,
                operation: None,
                idempotency: None,
                attempts: 0,
                field: None,
                vendor_code: None,
                vendor_message: None,
                request_id: None,
                http_status: None,
                source: None,
            }),
        }
    }

    /// An [`ErrorKind::InvalidInput`] error about one request field, raised before anything is sent.
    pub fn invalid_input(field: &'static str, problem: impl fmt::Display) -> Self {
        let mut err = Error::new(ErrorKind::InvalidInput, format!("`{field}` {problem}"));
        err.inner.field = Some(field);
        err
    }

    /// An [`ErrorKind::Config`] error.
    pub fn config(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::Config, message)
    }

    /// Sets the vendor.
    pub fn with_vendor(mut self, vendor: Vendor) -> Self {
        self.inner.vendor = Some(vendor);
        self
    }

    /// Sets the operation.
    pub fn with_operation(mut self, operation: Operation) -> Self {
        self.inner.operation = Some(operation);
        self
    }

    /// Records whether the failed operation may be repeated safely (set by the retry runner),
    /// so that wrappers such as a fallback decide by it instead of by operation name.
    pub fn with_idempotency(mut self, idempotency: Idempotency) -> Self {
        self.inner.idempotency = Some(idempotency);
        self
    }

    /// Records how many attempts the call made before it failed (set by the retry runner).
    pub fn with_attempts(mut self, attempts: u32) -> Self {
        self.inner.attempts = attempts;
        self
    }

    /// How many attempts the call made before it failed; 0 when no runner said. More than one
    /// means an earlier attempt may have taken effect (a create answered "taken" on a retry,
    /// say).
    pub fn attempts(&self) -> u32 {
        self.inner.attempts
    }

    /// Whether the failed request may be repeated safely, when the runner that sent it said so.
    pub fn idempotency(&self) -> Option<Idempotency> {
        self.inner.idempotency
    }

    /// The same error about one item of a batch call: `field` names the request field, and
    /// the message says which item failed.
    pub fn for_item(&self, item: &str) -> Self {
        let mut err = self.clone();
        err.inner.message = format!("{} (item `{item}`)", err.inner.message);
        err
    }

    /// Sets the vendor's own error code and message.
    pub fn with_vendor_code(mut self, code: i64, message: impl Into<String>) -> Self {
        self.inner.vendor_code = Some(code);
        self.inner.vendor_message = Some(message.into());
        self
    }

    /// Sets the request id that the vendor or we assigned to the failed request.
    pub fn with_request_id(mut self, request_id: impl Into<String>) -> Self {
        self.inner.request_id = Some(request_id.into());
        self
    }

    /// Sets the HTTP status of the response.
    pub fn with_http_status(mut self, status: u16) -> Self {
        self.inner.http_status = Some(status);
        self
    }

    /// Overrides whether a retry may help.
    pub fn with_retryable(mut self, retryable: bool) -> Self {
        self.inner.retryable = retryable;
        self
    }

    /// Marks that the request may have reached the vendor and taken effect, and cannot be safely
    /// repeated (e.g. a message send without de-duplication that timed out). Such an error is
    /// not retryable: the caller must decide, e.g. by checking whether the message arrived.
    pub fn with_outcome_unknown(mut self) -> Self {
        self.inner.outcome_unknown = true;
        self.inner.retryable = false;
        self
    }

    /// Marks that the request never reached the vendor (the connection could not be made), so
    /// sending it again is always safe.
    pub fn with_unsent(mut self) -> Self {
        self.inner.unsent = true;
        self
    }

    /// Whether the request never reached the vendor (see [`with_unsent`](Self::with_unsent)).
    pub fn is_unsent(&self) -> bool {
        self.inner.unsent
    }

    /// Gives the error another kind and description, keeping the vendor code and message,
    /// request id, HTTP status and the rest; for a backend that knows what a generic vendor
    /// code means in context. Retryability follows the new kind.
    pub fn reclassify(mut self, kind: ErrorKind, message: impl Into<String>) -> Self {
        self.inner.kind = kind;
        self.inner.message = message.into();
        self.inner.retryable = kind.is_retryable_by_default() && !self.inner.outcome_unknown;
        self
    }

    /// Attaches the underlying cause. Its text must not contain secrets.
    pub fn with_source(mut self, source: impl std::error::Error + Send + Sync + 'static) -> Self {
        self.inner.source = Some(Arc::new(source));
        self
    }

    /// What went wrong, in terms a caller can act on.
    pub fn kind(&self) -> ErrorKind {
        self.inner.kind
    }

    /// Our own description of the failure (without the vendor's code and message).
    pub fn message(&self) -> &str {
        &self.inner.message
    }

    /// Whether a later attempt of the same request may succeed.
    pub fn is_retryable(&self) -> bool {
        self.inner.retryable
    }

    /// Whether the request may have taken effect although it failed (see
    /// [`with_outcome_unknown`](Self::with_outcome_unknown)).
    pub fn is_outcome_unknown(&self) -> bool {
        self.inner.outcome_unknown
    }

    /// The vendor whose call failed, if any.
    pub fn vendor(&self) -> Option<Vendor> {
        self.inner.vendor
    }

    /// The operation that failed, if known.
    pub fn operation(&self) -> Option<Operation> {
        self.inner.operation
    }

    /// For [`ErrorKind::InvalidInput`] raised before sending: the request field at fault.
    pub fn field(&self) -> Option<&'static str> {
        self.inner.field
    }

    /// The vendor's own error code (Tencent `ErrorCode`), if the vendor answered with one.
    pub fn vendor_code(&self) -> Option<i64> {
        self.inner.vendor_code
    }

    /// The vendor's own error message (Tencent `ErrorInfo`), unchanged.
    pub fn vendor_message(&self) -> Option<&str> {
        self.inner.vendor_message.as_deref()
    }

    /// The request id, if the vendor returned one or we sent one.
    pub fn request_id(&self) -> Option<&str> {
        self.inner.request_id.as_deref()
    }

    /// The HTTP status of the failed response, if there was one.
    pub fn http_status(&self) -> Option<u16> {
        self.inner.http_status
    }

    /// What the caller can do about this error.
    pub fn hint(&self) -> &'static str {
        self.inner.kind.hint()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &*self.inner;
        if let Some(vendor) = i.vendor {
            write!(f, "{vendor} ")?;
        }
        if let Some(op) = i.operation {
            write!(f, "{op} ")?;
        }
        write!(f, "failed ({}): {}", i.kind, i.message)?;
        if let Some(code) = i.vendor_code {
            write!(f, "; vendor code {code}")?;
            if let Some(msg) = i.vendor_message.as_deref().filter(|m| !m.is_empty()) {
                write!(f, ": {msg}")?;
            }
        }
        if let Some(status) = i.http_status {
            write!(f, "; HTTP {status}")?;
        }
        if let Some(id) = &i.request_id {
            write!(f, "; request id {id}")?;
        }
        if i.outcome_unknown {
            return f.write_str(
                " (the request may already have taken effect, so it was not repeated; \
                 check before sending it again)",
            );
        }
        let retry = if i.retryable {
            "a retry may help"
        } else {
            "a retry will not help"
        };
        write!(f, " ({retry}; {})", i.kind.hint())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &*self.inner;
        let mut d = f.debug_struct("Error");
        d.field("kind", &i.kind).field("message", &i.message);
        d.field("retryable", &i.retryable);
        if i.outcome_unknown {
            d.field("outcome_unknown", &true);
        }
        if let Some(v) = i.vendor {
            d.field("vendor", &v);
        }
        if let Some(op) = i.operation {
            d.field("operation", &op);
        }
        if let Some(field) = i.field {
            d.field("field", &field);
        }
        if let Some(code) = i.vendor_code {
            d.field("vendor_code", &code);
        }
        if let Some(msg) = &i.vendor_message {
            d.field("vendor_message", msg);
        }
        if let Some(id) = &i.request_id {
            d.field("request_id", id);
        }
        if let Some(status) = i.http_status {
            d.field("http_status", &status);
        }
        if let Some(source) = &i.source {
            d.field("source", source);
        }
        d.finish()
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.inner
            .source
            .as_deref()
            .map(|s| s as &(dyn std::error::Error + 'static))
    }
}

/// Errors serialize as one flat object for command-line output and logs (never with a secret:
/// error texts hold none): `kind`, `message`, `retryable`, `hint`, and where known `vendor`,
/// `operation`, `field`, `vendor_code`, `vendor_message`, `request_id`, `http_status`,
/// `outcome_unknown`, `unsent`.
#[cfg(feature = "serde")]
impl serde::Serialize for Error {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let i = &*self.inner;
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("kind", i.kind.as_str())?;
        m.serialize_entry("message", &i.message)?;
        m.serialize_entry("retryable", &i.retryable)?;
        m.serialize_entry("hint", i.kind.hint())?;
        if let Some(v) = i.vendor {
            m.serialize_entry("vendor", v.as_str())?;
        }
        if let Some(op) = i.operation {
            m.serialize_entry("operation", op.as_str())?;
        }
        if let Some(field) = i.field {
            m.serialize_entry("field", field)?;
        }
        if let Some(code) = i.vendor_code {
            m.serialize_entry("vendor_code", &code)?;
        }
        if let Some(msg) = &i.vendor_message {
            m.serialize_entry("vendor_message", msg)?;
        }
        if let Some(id) = &i.request_id {
            m.serialize_entry("request_id", id)?;
        }
        if let Some(status) = i.http_status {
            m.serialize_entry("http_status", &status)?;
        }
        if i.outcome_unknown {
            m.serialize_entry("outcome_unknown", &true)?;
        }
        if i.unsent {
            m.serialize_entry("unsent", &true)?;
        }
        m.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_carries_vendor_code_message_and_advice() {
        let err = Error::new(ErrorKind::Auth, "the admin UserSig was rejected")
            .with_vendor(Vendor::Tencent)
            .with_operation(Operation::SendMessage)
            .with_vendor_code(70001, "sig expired")
            .with_request_id("req-1");
        let text = err.to_string();
        assert_eq!(
            text,
            "tencent send_message failed (auth): the admin UserSig was rejected; vendor code 70001: \
             sig expired; request id req-1 (a retry will not help; check the app id, the secret key \
             and the admin account)"
        );
        assert_eq!(err.vendor_code(), Some(70001));
        assert_eq!(err.vendor_message(), Some("sig expired"));
    }

    #[test]
    fn retryable_defaults_follow_the_kind_and_can_be_overridden() {
        assert!(Error::new(ErrorKind::RateLimited, "x").is_retryable());
        assert!(Error::new(ErrorKind::Transport, "x").is_retryable());
        assert!(!Error::new(ErrorKind::NotFound, "x").is_retryable());
        assert!(
            Error::new(ErrorKind::Vendor, "x")
                .with_retryable(true)
                .is_retryable()
        );
    }

    #[test]
    fn outcome_unknown_is_not_retryable_and_says_so() {
        let err = Error::new(ErrorKind::Timeout, "no answer").with_outcome_unknown();
        assert!(err.is_outcome_unknown());
        assert!(!err.is_retryable());
        assert!(err.to_string().contains("may already have taken effect"));
    }

    #[test]
    fn error_is_small_and_thread_safe() {
        fn assert_send_sync<T: Send + Sync + 'static>() {}
        assert_send_sync::<Error>();
        assert_eq!(std::mem::size_of::<Error>(), std::mem::size_of::<usize>());
    }
}
