//! Request and response bodies of the v4 REST API, as they travel on the wire.
//!
//! Requests borrow from the caller's request types; responses are deserialized leniently
//! (unknown fields ignored, missing optional fields defaulted), as the vendor adds fields freely.

use serde::Deserialize;

/// The envelope every v4 response carries.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct Envelope {
    #[serde(rename = "ActionStatus")]
    pub action_status: Option<String>,
    #[serde(rename = "ErrorCode")]
    pub error_code: Option<i64>,
    #[serde(rename = "ErrorInfo")]
    pub error_info: Option<String>,
    #[serde(rename = "RequestId")]
    pub request_id: Option<String>,
}

/// An answer that carries the envelope's fields itself, so that a success is parsed once.
pub(crate) trait Answer: serde::de::DeserializeOwned {
    /// The envelope's fields, moved out.
    fn take_envelope(&mut self) -> Envelope;
}

/// Declares an answer struct: the envelope's fields, then the given ones, all lenient
/// (`#[serde(default)]`), and its [`Answer`] implementation.
macro_rules! answer {
    ($(#[$doc:meta])* $vis:vis $name:ident { $($(#[$attr:meta])* $fvis:vis $field:ident: $ty:ty,)* }) => {
        $(#[$doc])*
        #[derive(Debug, Default, serde::Deserialize)]
        #[serde(default)]
        $vis struct $name {
            #[serde(rename = "ActionStatus")]
            action_status: Option<String>,
            #[serde(rename = "ErrorCode")]
            error_code: Option<i64>,
            #[serde(rename = "ErrorInfo")]
            error_info: Option<String>,
            #[serde(rename = "RequestId")]
            request_id: Option<String>,
            $($(#[$attr])* $fvis $field: $ty,)*
        }

        impl $crate::wire::Answer for $name {
            fn take_envelope(&mut self) -> $crate::wire::Envelope {
                $crate::wire::Envelope {
                    action_status: self.action_status.take(),
                    error_code: self.error_code.take(),
                    error_info: self.error_info.take(),
                    request_id: self.request_id.take(),
                }
            }
        }
    };
}

pub(crate) use answer;

impl Answer for serde_json::Value {
    fn take_envelope(&mut self) -> Envelope {
        let text =
            |v: &serde_json::Value, k: &str| v.get(k).and_then(|x| x.as_str()).map(str::to_owned);
        Envelope {
            action_status: text(self, "ActionStatus"),
            error_code: self.get("ErrorCode").and_then(|c| c.as_i64()),
            error_info: text(self, "ErrorInfo"),
            request_id: text(self, "RequestId"),
        }
    }
}

answer!(
    /// A response with nothing but the envelope.
    pub(crate) Empty {}
);
