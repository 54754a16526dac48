//! The generic runner: what every operation does besides its mapping — tag errors, check the
//! capability, validate, encode, call with the catalogue's idempotency and rate, decode a typed
//! answer — so that each family file keeps only the mapping.

use bytes::Bytes;
use imbridge_core::catalogue::Endpoint;
use imbridge_core::{CallOptions, Error, Operation, Result, Vendor, check};
use serde::Serialize;

use crate::client::{TencentClient, capabilities_ref, encode};
use crate::codes;
use crate::wire::Answer;

impl TencentClient {
    /// Checks that the operation is supported, then validates the request; errors are tagged
    /// with the vendor and the operation. Nothing is sent.
    pub(crate) fn begin(&self, op: Operation, validate: impl FnOnce() -> Result<()>) -> Result<()> {
        check::prepare(capabilities_ref(self), Vendor::Tencent, op, validate)
    }

    /// Encodes `body` and calls `endpoint` for `op` (see [`run_encoded`](Self::run_encoded)).
    pub(crate) async fn run<B, R>(
        &self,
        op: Operation,
        endpoint: &Endpoint,
        options: &CallOptions,
        body: &B,
    ) -> Result<R>
    where
        B: Serialize + ?Sized,
        R: Answer,
    {
        let body = encode(op, body)?;
        self.run_encoded(op, endpoint, options, body).await
    }

    /// [`run`](Self::run) with another idempotency than the catalogue's, for a call whose
    /// request makes it safe to repeat (a create with a caller-chosen id, which a retry cannot
    /// duplicate). Say why at the call site.
    pub(crate) async fn run_as<B, R>(
        &self,
        op: Operation,
        endpoint: &Endpoint,
        idempotency: imbridge_core::policy::Idempotency,
        options: &CallOptions,
        body: &B,
    ) -> Result<R>
    where
        B: Serialize + ?Sized,
        R: Answer,
    {
        let body = encode(op, body)?;
        self.call_encoded(op, endpoint.path, idempotency, options, body)
            .await
    }

    /// Calls `endpoint` with an encoded body, retried as its idempotency allows, and decodes the
    /// typed answer.
    pub(crate) async fn run_encoded<R: Answer>(
        &self,
        op: Operation,
        endpoint: &Endpoint,
        options: &CallOptions,
        body: Bytes,
    ) -> Result<R> {
        self.call_encoded(op, endpoint.path, endpoint.idempotency, options, body)
            .await
    }
}

/// Marks errors raised before sending with the vendor and the operation.
pub(crate) fn tagged<T>(op: Operation, result: Result<T>) -> Result<T> {
    check::tagged(Vendor::Tencent, op, result)
}

/// The error of one item of a batch answer (`ResultCode`/`ErrorCode` and its `ResultInfo`),
/// classified by the code table.
pub(crate) fn item_error(op: Operation, code: i64, info: &str) -> Error {
    let reading = codes::classify(code);
    let meaning = if reading.meaning.is_empty() {
        "the item failed"
    } else {
        reading.meaning
    };
    Error::new(
        reading.kind,
        format!("Tencent refused this item: {meaning}"),
    )
    .with_vendor(Vendor::Tencent)
    .with_operation(op)
    .with_vendor_code(code, info)
    .with_retryable(reading.retryable)
}
