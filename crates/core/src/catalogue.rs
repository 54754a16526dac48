//! Endpoint catalogues: each vendor lists its endpoints once, with the operations they serve,
//! whether they may be repeated, their documented rate and their body kind. Default rate
//! limits, endpoint lookup, body kinds, the operations a vendor supports and the docs tables
//! are derived from the catalogue, and drift tests check the docs and the emulator against it.

use crate::policy::{Idempotency, RateLimits};
use crate::{Operation, OperationSet};

/// How a request body is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyKind {
    /// `application/json`.
    Json,
    /// `application/x-www-form-urlencoded`.
    Form,
}

impl BodyKind {
    /// The `Content-Type` header value.
    pub const fn content_type(self) -> &'static str {
        match self {
            BodyKind::Json => "application/json",
            BodyKind::Form => "application/x-www-form-urlencoded",
        }
    }

    /// `"json"` or `"form"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            BodyKind::Json => "json",
            BodyKind::Form => "form",
        }
    }
}

/// One vendor endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Endpoint {
    /// The vendor's path or `servicename/command`.
    pub path: &'static str,
    /// The operations that call it (empty for endpoints only the raw escape hatch or a
    /// vendor-specific method reaches).
    pub operations: &'static [Operation],
    /// Whether a request may be repeated: decides retries.
    pub idempotency: Idempotency,
    /// The vendor's documented limit in requests per second, when it documents one.
    pub rate_per_second: Option<u32>,
    /// How the body is encoded.
    pub body: BodyKind,
}

impl Endpoint {
    /// An endpoint with a JSON body, no documented rate and no operation.
    pub const fn new(path: &'static str, idempotency: Idempotency, body: BodyKind) -> Self {
        Endpoint {
            path,
            operations: &[],
            idempotency,
            rate_per_second: None,
            body,
        }
    }

    /// Sets the operations that call it.
    pub const fn serves(mut self, operations: &'static [Operation]) -> Self {
        self.operations = operations;
        self
    }

    /// Sets the documented rate.
    pub const fn rate(mut self, per_second: u32) -> Self {
        self.rate_per_second = Some(per_second);
        self
    }
}

/// A vendor's endpoints, in the order its docs table lists them. For an operation served by
/// several endpoints, the first one listed that has a documented rate sets the operation's
/// default rate limit.
///
/// ```
/// use imbridge_core::Operation;
/// use imbridge_core::catalogue::{BodyKind, Catalogue, Endpoint};
/// use imbridge_core::policy::Idempotency;
///
/// const CATALOGUE: Catalogue = Catalogue::new(&[
///     Endpoint::new("openim/sendmsg", Idempotency::Deduplicated, BodyKind::Json)
///         .serves(&[Operation::SendMessage])
///         .rate(200),
/// ]);
/// assert_eq!(CATALOGUE.get("openim/sendmsg").unwrap().rate_per_second, Some(200));
/// assert_eq!(CATALOGUE.default_rate_limits().limit(Operation::SendMessage), Some(200));
/// assert!(CATALOGUE.operations().contains(Operation::SendMessage));
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Catalogue {
    endpoints: &'static [Endpoint],
}

impl Catalogue {
    /// A catalogue of `endpoints`.
    pub const fn new(endpoints: &'static [Endpoint]) -> Self {
        Catalogue { endpoints }
    }

    /// Every endpoint, in order.
    pub fn endpoints(&self) -> &'static [Endpoint] {
        self.endpoints
    }

    /// The endpoint at `path`.
    pub fn get(&self, path: &str) -> Option<&'static Endpoint> {
        self.endpoints.iter().find(|e| e.path == path)
    }

    /// The endpoints an operation calls, in order.
    pub fn for_operation(&self, op: Operation) -> impl Iterator<Item = &'static Endpoint> {
        self.endpoints
            .iter()
            .filter(move |e| e.operations.contains(&op))
    }

    /// The operations some endpoint serves.
    pub fn operations(&self) -> OperationSet {
        self.endpoints
            .iter()
            .flat_map(|e| e.operations.iter().copied())
            .fold(OperationSet::empty(), OperationSet::with)
    }

    /// Client-side limits at the vendor's documented rates: per operation, the rate of the
    /// first endpoint serving it that documents one.
    pub fn default_rate_limits(&self) -> RateLimits {
        Operation::ALL
            .iter()
            .fold(RateLimits::unlimited(), |limits, op| {
                match self.for_operation(*op).find_map(|e| e.rate_per_second) {
                    Some(n) => limits.per_second(*op, n),
                    None => limits,
                }
            })
    }

    /// Every (operation, endpoint path) pair, sorted: what golden tests pin.
    pub fn operation_endpoints(&self) -> Vec<(Operation, &'static str)> {
        let mut pairs: Vec<(Operation, &'static str)> = self
            .endpoints
            .iter()
            .flat_map(|e| e.operations.iter().map(move |op| (*op, e.path)))
            .collect();
        pairs.sort_by_key(|(op, path)| (op.as_str(), *path));
        pairs
    }

    /// The catalogue as a Markdown table (`| endpoint | operations | retry | rate | body |`),
    /// as the vendor's docs page shows it; a drift test keeps the page equal to this.
    pub fn markdown(&self) -> String {
        let mut out = String::from(
            "| endpoint | operations | repeat | documented rate | body |\n|---|---|---|---|---|\n",
        );
        for e in self.endpoints {
            let ops: Vec<String> = e.operations.iter().map(|o| format!("`{o}`")).collect();
            let ops = if ops.is_empty() {
                "(raw / vendor-specific)".to_owned()
            } else {
                ops.join(", ")
            };
            let repeat = match e.idempotency {
                Idempotency::Idempotent => "idempotent",
                Idempotency::Deduplicated => "de-duplicated",
                Idempotency::NotIdempotent => "not idempotent",
            };
            let rate = e
                .rate_per_second
                .map_or_else(|| "—".to_owned(), |n| format!("{n}/s"));
            out.push_str(&format!(
                "| `{}` | {ops} | {repeat} | {rate} | {} |\n",
                e.path,
                e.body.as_str()
            ));
        }
        out
    }

    /// For drift tests: whether the Markdown file at `path` shows this catalogue between the
    /// lines `<!-- {name} catalogue -->` and `<!-- end -->`. With the environment variable
    /// `IMBRIDGE_BLESS` set, the section is rewritten instead. The error says what to run.
    pub fn check_doc(&self, path: &std::path::Path, name: &str) -> Result<(), String> {
        let doc = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let start = format!("<!-- {name} catalogue -->\n");
        let i = doc
            .find(&start)
            .ok_or_else(|| format!("{} has no `{}` marker", path.display(), start.trim()))?
            + start.len();
        let j = i + doc[i..]
            .find("<!-- end -->")
            .ok_or_else(|| format!("{}: the `{name}` marker is not closed", path.display()))?;
        let table = self.markdown();
        if std::env::var_os("IMBRIDGE_BLESS").is_some() {
            let fresh = format!("{}{table}{}", &doc[..i], &doc[j..]);
            return std::fs::write(path, fresh).map_err(|e| format!("{}: {e}", path.display()));
        }
        if doc[i..j] == table {
            Ok(())
        } else {
            Err(format!(
                "{} is out of date; regenerate it with IMBRIDGE_BLESS=1 and the same test. \
                 The catalogue:\n{table}",
                path.display()
            ))
        }
    }
}
