//! Per-call options, one field on every request.

use std::time::Duration;

use crate::policy::RetryPolicy;

/// Options for one call, overriding the client's: its retry policy and its timeout per HTTP
/// attempt. Every request has them as its `options` field, set with its `retry` and `timeout`
/// builder methods.
///
/// ```
/// use std::time::Duration;
/// use imbridge_core::{CallOptions, QueryOnline};
/// use imbridge_core::policy::RetryPolicy;
///
/// let req = QueryOnline::new(["lilei"]).retry(RetryPolicy::never()).timeout(Duration::from_secs(2));
/// assert_eq!(req.options.timeout, Some(Duration::from_secs(2)));
/// assert_eq!(CallOptions::default().retry, None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct CallOptions {
    /// A retry policy for this call, instead of the client's.
    pub retry: Option<RetryPolicy>,
    /// The time allowed for each HTTP attempt of this call, instead of the client's.
    pub timeout: Option<Duration>,
}

impl CallOptions {
    /// The client's defaults.
    pub fn new() -> Self {
        CallOptions::default()
    }

    /// Uses `policy` for this call.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Allows each HTTP attempt of this call `timeout`.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }
}

/// Gives request types the `options` builders: `retry`, `timeout` and `options`.
macro_rules! call_options {
    ($($ty:ty),* $(,)?) => {$(
        impl $ty {
            /// Uses this retry policy for this call instead of the client's.
            pub fn retry(mut self, policy: $crate::policy::RetryPolicy) -> Self {
                self.options.retry = Some(policy);
                self
            }

            /// Allows each HTTP attempt of this call `timeout` instead of the client's.
            pub fn timeout(mut self, timeout: std::time::Duration) -> Self {
                self.options.timeout = Some(timeout);
                self
            }

            /// Replaces all of this call's options.
            pub fn options(mut self, options: $crate::CallOptions) -> Self {
                self.options = options;
                self
            }
        }
    )*};
}
pub(crate) use call_options;
