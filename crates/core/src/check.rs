//! Checks every backend makes the same way, before anything is sent: whether the operation is
//! supported, and the vendor-neutral rules of id lists.

use std::collections::HashSet;

use crate::{Capabilities, Error, ErrorKind, Operation, Result, Vendor};

/// The one capability check: `Ok` when `caps` says `op` is supported, else an
/// [`ErrorKind::Unsupported`] error naming the vendor and the operation. Backends call it first
/// in every operation, so nothing is sent for an operation the vendor lacks.
///
/// ```
/// use imbridge_core::{Capabilities, ErrorKind, Operation, Vendor, check};
///
/// let caps = Capabilities::default();
/// let err = check::supported(&caps, Vendor::Tencent, Operation::BanUsers).unwrap_err();
/// assert_eq!(err.kind(), ErrorKind::Unsupported);
/// assert!(err.is_unsent());
/// ```
pub fn supported(caps: &Capabilities, vendor: Vendor, op: Operation) -> Result<()> {
    if caps.supports(op) {
        return Ok(());
    }
    Err(unsupported(vendor, op, "the vendor has no such operation"))
}

/// What a backend's runner does first in every operation: [`supported`], then the request's
/// own `validate`; any error is tagged with the vendor and the operation. Nothing is sent.
///
/// ```
/// use imbridge_core::{Capabilities, Operation, Vendor, check};
///
/// let mut caps = Capabilities::default();
/// caps.operations = caps.operations.with(Operation::CheckUsers);
/// let err = check::prepare(&caps, Vendor::Tencent, Operation::CheckUsers, || {
///     check::id_list("user_ids", &[], None)
/// })
/// .unwrap_err();
/// assert_eq!(err.operation(), Some(Operation::CheckUsers));
/// assert_eq!(err.field(), Some("user_ids"));
/// ```
pub fn prepare(
    caps: &Capabilities,
    vendor: Vendor,
    op: Operation,
    validate: impl FnOnce() -> Result<()>,
) -> Result<()> {
    tagged(
        vendor,
        op,
        supported(caps, vendor, op).and_then(|()| validate()),
    )
}

/// Marks an error raised before sending with the vendor and the operation, unless it names an
/// operation already.
pub fn tagged<T>(vendor: Vendor, op: Operation, result: Result<T>) -> Result<T> {
    result.map_err(|e| {
        if e.operation().is_none() {
            e.with_vendor(vendor).with_operation(op)
        } else {
            e
        }
    })
}

/// An [`ErrorKind::Unsupported`] error for `op` on `vendor`, saying `why`; nothing was sent.
pub fn unsupported(vendor: Vendor, op: Operation, why: &str) -> Error {
    Error::new(
        ErrorKind::Unsupported,
        format!("{} does not support {op}: {why}", vendor.display_name()),
    )
    .with_vendor(vendor)
    .with_operation(op)
    .with_unsent()
}

/// A list of ids for a batch call: not empty, no empty id, no id twice. `max`, when given, is
/// the most the call takes (for calls that cannot be split into several).
///
/// ```
/// use imbridge_core::check;
///
/// assert!(check::id_list("user_ids", &["a".to_owned(), "b".to_owned()], None).is_ok());
/// let twice = ["a".to_owned(), "a".to_owned()];
/// assert_eq!(check::id_list("user_ids", &twice, None).unwrap_err().field(), Some("user_ids"));
/// assert!(check::id_list("user_ids", &[], None).is_err());
/// ```
pub fn id_list(field: &'static str, ids: &[String], max: Option<usize>) -> Result<()> {
    if ids.is_empty() {
        return Err(Error::invalid_input(field, "must name at least one id"));
    }
    if let Some(max) = max
        && ids.len() > max
    {
        return Err(Error::invalid_input(
            field,
            format!("holds {} ids; this call takes at most {max}", ids.len()),
        ));
    }
    let mut seen = HashSet::with_capacity(ids.len());
    for id in ids {
        if id.is_empty() {
            return Err(Error::invalid_input(field, "holds an empty id"));
        }
        if !seen.insert(id.as_str()) {
            return Err(Error::invalid_input(
                field,
                format!("names `{id}` more than once"),
            ));
        }
    }
    Ok(())
}

/// [`id_list`], then `each` on every id (the vendor's own id rules).
pub fn ids_each(
    field: &'static str,
    ids: &[String],
    each: impl Fn(&'static str, &str) -> Result<()>,
) -> Result<()> {
    id_list(field, ids, None)?;
    ids.iter().try_for_each(|id| each(field, id))
}

/// Text that must not be empty or only white space.
pub fn non_empty(field: &'static str, text: &str) -> Result<()> {
    if text.trim().is_empty() {
        return Err(Error::invalid_input(field, "must not be empty"));
    }
    Ok(())
}

/// A page size: at least 1 and at most `max`.
pub fn page_size(field: &'static str, limit: Option<u32>, max: u32) -> Result<()> {
    match limit {
        Some(0) => Err(Error::invalid_input(field, "must be at least 1")),
        Some(n) if n > max => Err(Error::invalid_input(
            field,
            format!("is {n}; the vendor returns at most {max} per page"),
        )),
        _ => Ok(()),
    }
}
