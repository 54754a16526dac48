//! The generic runner: what every operation does besides its mapping — tag errors, check the
//! capability, validate, encode the typed request as the catalogue says (form or JSON), call
//! with the catalogue's idempotency and rate, decode the typed answer.

use imbridge_core::catalogue::Endpoint;
use imbridge_core::policy::Idempotency;
use imbridge_core::{CallOptions, Operation, Result, Vendor, check};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::client::{Body, Resend, RongCloudClient, capabilities_ref};

impl RongCloudClient {
    /// Checks that the operation is supported, then validates the request; errors are tagged
    /// with the vendor and the operation. Nothing is sent.
    pub(crate) fn begin(&self, op: Operation, validate: impl FnOnce() -> Result<()>) -> Result<()> {
        check::prepare(capabilities_ref(self), Vendor::RongCloud, op, validate)
    }

    /// Encodes `body` as `endpoint` takes it and calls it for `op`; the answer of a `code` 200
    /// is decoded as `R`.
    pub(crate) async fn run<B, R>(
        &self,
        op: Operation,
        endpoint: &Endpoint,
        options: &CallOptions,
        body: &B,
    ) -> Result<R>
    where
        B: Serialize + ?Sized,
        R: DeserializeOwned,
    {
        debug_assert!(
            crate::endpoints::serves_mode(endpoint, self.group_mode()),
            "{} is not an endpoint of {} groups",
            endpoint.path,
            self.group_mode()
        );
        let body = Body::encode(op, endpoint.body, body)?;
        let resend = match endpoint.idempotency {
            Idempotency::NotIdempotent => Resend::OnlyIfUnsent,
            Idempotency::Idempotent | Idempotency::Deduplicated => Resend::Idempotent,
        };
        self.call(op, endpoint.path, body, resend, options).await
    }
}

/// An answer whose fields beyond `code` imbridge does not read.
#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct Done {}
