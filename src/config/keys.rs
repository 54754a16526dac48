//! The keys of each vendor section, and resolving a dotted key (`tencent.rate_limits.send_message`)
//! or an environment variable (`IMBRIDGE_TENCENT_RATE_LIMITS_SEND_MESSAGE`) to one of them.

use imbridge_core::{Error, Operation, Result, Vendor};

/// The kind of value a key holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ValueKind {
    /// A string.
    Text,
    /// A string that is a secret: never shown.
    Secret,
    /// An unsigned integer.
    UInt,
    /// A number of seconds (integer or decimal).
    Seconds,
    /// `true` or `false` (environment: also `1`/`0`, `yes`/`no`, `on`/`off`).
    Bool,
    /// A list of strings (environment: comma-separated).
    List,
    /// A table from operation names ([`Operation::as_str`]) to calls per second.
    PerOperation,
}

impl ValueKind {
    /// What a value of this kind must be, as error messages say it.
    pub fn expected(self) -> &'static str {
        match self {
            ValueKind::Text | ValueKind::Secret => "a string",
            ValueKind::UInt => "an unsigned integer",
            ValueKind::Seconds => "a non-negative number of seconds",
            ValueKind::Bool => "true or false",
            ValueKind::List => "a list of strings",
            ValueKind::PerOperation => "a table of operation names to calls per second",
        }
    }

    /// The type column of `docs/configuration.md`.
    pub fn doc_name(self) -> &'static str {
        match self {
            ValueKind::Text => "string",
            ValueKind::Secret => "string (secret)",
            ValueKind::UInt => "integer",
            ValueKind::Seconds => "seconds",
            ValueKind::Bool => "bool",
            ValueKind::List => "list",
            ValueKind::PerOperation => "table: operation → integer",
        }
    }
}

/// One configuration key of a vendor section: a field of [`TencentSettings`] or
/// [`RongCloudSettings`] (a test keeps the lists equal to the structs' fields, and
/// `docs/configuration.md` equal to the lists).
///
/// [`TencentSettings`]: super::TencentSettings
/// [`RongCloudSettings`]: super::RongCloudSettings
#[derive(Debug, Clone, Copy)]
pub struct KeySpec {
    /// The key's name in the section (`sdkappid`).
    pub name: &'static str,
    /// The kind of value.
    pub kind: ValueKind,
    /// Whether the section needs it.
    pub required: bool,
    /// What it is for.
    pub doc: &'static str,
}

impl KeySpec {
    /// The environment variable that sets the key in `section` (`IMBRIDGE_TENCENT_SDKAPPID`);
    /// for a table, the pattern of its entries' variables
    /// (`IMBRIDGE_TENCENT_RATE_LIMITS_{OPERATION}`).
    pub fn env_var(&self, section: &str) -> String {
        let base = env_var_of(&format!("{section}.{}", self.name));
        match self.kind {
            ValueKind::PerOperation => format!("{base}_{{OPERATION}}"),
            _ => base,
        }
    }
}

const fn key(name: &'static str, kind: ValueKind, required: bool, doc: &'static str) -> KeySpec {
    KeySpec {
        name,
        kind,
        required,
        doc,
    }
}

use ValueKind::*;

const BASE_URLS_DOC: &str = "own base URLs instead of a region; the first is the primary";
const INSECURE_DOC: &str = "allow `http://` on hosts other than loopback";
const RETRY_DOC: &str =
    "attempts per call, the first included, when a retry is safe (default 3; 1 = no retry)";
const RATE_DOC: &str = "calls per second per operation, over the vendor's defaults (0 = no limit)";

/// The keys of the `[tencent]` section.
pub const TENCENT_KEYS: &[KeySpec] = &[
    key("sdkappid", UInt, true, "the app's SDKAppID"),
    key("secret_key", Secret, true, "the app's secret key"),
    key(
        "admin",
        Text,
        true,
        "the app admin account used for REST calls",
    ),
    key(
        "region",
        Text,
        false,
        "china (default), singapore, seoul, tokyo, frankfurt, silicon-valley, jakarta, mumbai",
    ),
    key("base_urls", List, false, BASE_URLS_DOC),
    key("allow_insecure_http", Bool, false, INSECURE_DOC),
    key(
        "timeout_secs",
        Seconds,
        false,
        "per-request timeout (default 10; must exceed 3)",
    ),
    key(
        "connect_timeout_secs",
        Seconds,
        false,
        "connect timeout (default 5)",
    ),
    key(
        "admin_sig_ttl_secs",
        Seconds,
        false,
        "lifetime of the cached admin UserSig (default 86400)",
    ),
    key(
        "user_sig_ttl_secs",
        Seconds,
        false,
        "lifetime of users' UserSigs (default 604800)",
    ),
    key("retry_attempts", UInt, false, RETRY_DOC),
    key("rate_limits", PerOperation, false, RATE_DOC),
    key(
        "callback_token",
        Secret,
        false,
        "the callback token set in the console, which signs callbacks (`Sign`)",
    ),
    key(
        "system_account",
        Text,
        false,
        "the account system messages come from when a request names none (default: the admin)",
    ),
];

/// The keys of the `[rongcloud]` section.
pub const RONGCLOUD_KEYS: &[KeySpec] = &[
    key("app_key", Text, true, "the app key"),
    key(
        "app_secret",
        Secret,
        true,
        "the app secret (it also signs callbacks)",
    ),
    key(
        "region",
        Text,
        false,
        "beijing (default), singapore, singapore-b, north-america, saudi-arabia",
    ),
    key("base_urls", List, false, BASE_URLS_DOC),
    key("allow_insecure_http", Bool, false, INSECURE_DOC),
    key(
        "timeout_secs",
        Seconds,
        false,
        "per-attempt timeout (default 10)",
    ),
    key(
        "connect_timeout_secs",
        Seconds,
        false,
        "connect timeout (default 5)",
    ),
    key(
        "cooldown_secs",
        Seconds,
        false,
        "how long a failed domain is tried last (default 60)",
    ),
    key(
        "max_attempts",
        UInt,
        false,
        "most domains one attempt may try (default: all)",
    ),
    key("retry_attempts", UInt, false, RETRY_DOC),
    key("rate_limits", PerOperation, false, RATE_DOC),
    key(
        "group_mode",
        Text,
        false,
        "basic (default: legacy groups) or hosted (the profile-hosting service, enabled for the app by the vendor)",
    ),
    key(
        "group_operator",
        Text,
        false,
        "the user id that dismisses basic groups when a request names no operator",
    ),
    key(
        "system_account",
        Text,
        false,
        "the user id system messages come from when a request names none",
    ),
];

/// The sections and their keys.
pub(super) const SECTIONS: [(Vendor, &str, &[KeySpec]); 2] = [
    (Vendor::Tencent, "tencent", TENCENT_KEYS),
    (Vendor::RongCloud, "rongcloud", RONGCLOUD_KEYS),
];

pub(super) fn section_of(vendor: Vendor) -> Option<(&'static str, &'static [KeySpec])> {
    SECTIONS
        .iter()
        .find(|(v, _, _)| *v == vendor)
        .map(|(_, s, keys)| (*s, *keys))
}

/// `tencent.rate_limits.send_message` → `IMBRIDGE_TENCENT_RATE_LIMITS_SEND_MESSAGE`.
pub(super) fn env_var_of(dotted: &str) -> String {
    format!("IMBRIDGE_{}", dotted.replace('.', "_").to_ascii_uppercase())
}

fn operation_names() -> String {
    Operation::ALL
        .iter()
        .map(|op| op.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Where the operation names are, and the names.
pub(super) fn where_the_operations_are() -> String {
    format!(
        "rate limits are keyed by the operations' canonical names, those of the registry \
         `imbridge::ops` (see docs/configuration.md): {}",
        operation_names()
    )
}

pub(super) fn unknown_operation(name: &str, place: &str) -> Error {
    Error::config(format!(
        "unknown operation `{name}` in {place}; {}",
        where_the_operations_are()
    ))
}

/// A key of a section, resolved from a name in a file, a variable or an override.
pub(super) enum Target {
    /// A plain key.
    Key(&'static KeySpec),
    /// A [`ValueKind::PerOperation`] table as a whole.
    Table(&'static KeySpec),
    /// One operation of a [`ValueKind::PerOperation`] table.
    Entry(&'static KeySpec, Operation),
}

impl Target {
    pub(super) fn spec(&self) -> &'static KeySpec {
        match self {
            Target::Key(spec) | Target::Table(spec) | Target::Entry(spec, _) => spec,
        }
    }

    pub(super) fn path(&self) -> String {
        match self {
            Target::Key(spec) | Target::Table(spec) => spec.name.to_owned(),
            Target::Entry(spec, op) => format!("{}.{}", spec.name, op.as_str()),
        }
    }
}

/// The key an environment variable's rest (`rate_limits_send_message`) names.
pub(super) fn env_target(keys: &'static [KeySpec], rest: &str) -> Option<Target> {
    if let Some(spec) = keys
        .iter()
        .find(|k| k.name == rest && k.kind != PerOperation)
    {
        return Some(Target::Key(spec));
    }
    keys.iter()
        .filter(|k| k.kind == PerOperation)
        .find_map(|k| {
            let op = rest.strip_prefix(k.name)?.strip_prefix('_')?;
            Operation::from_name(op).map(|op| Target::Entry(k, op))
        })
}

/// Why the variable `name` (`IMBRIDGE_{SECTION}_{rest}`) names no key.
pub(super) fn unknown_env_var(
    name: &str,
    section: &str,
    keys: &'static [KeySpec],
    rest: &str,
) -> Error {
    let tables = || keys.iter().filter(|k| k.kind == PerOperation);
    if let Some(table) = tables().find(|k| rest == k.name) {
        return Error::config(format!(
            "environment variable `{name}` cannot set a whole table; set one entry per \
             operation as {}",
            table.env_var(section)
        ));
    }
    if let Some((table, op)) = tables().find_map(|k| {
        let op = rest.strip_prefix(k.name)?.strip_prefix('_')?;
        Some((k, op))
    }) {
        return unknown_operation(
            op,
            &format!("environment variable `{name}` (`{section}.{}`)", table.name),
        );
    }
    let known: Vec<String> = keys.iter().map(|k| k.env_var(section)).collect();
    Error::config(format!(
        "unknown environment variable `{name}` (known: {})",
        known.join(", ")
    ))
}

/// Resolves `section.key` or `section.key.entry`.
pub(super) fn find_dotted(dotted: &str) -> Result<(Vendor, Target)> {
    let unknown = || Error::config(format!("unknown configuration key `{dotted}`"));
    let mut parts = dotted.split('.');
    let (Some(section), Some(name)) = (parts.next(), parts.next()) else {
        return Err(unknown());
    };
    let (vendor, keys) = SECTIONS
        .iter()
        .find(|(_, s, _)| *s == section)
        .map(|(v, _, keys)| (*v, *keys))
        .ok_or_else(unknown)?;
    let spec = keys.iter().find(|k| k.name == name).ok_or_else(unknown)?;
    match (spec.kind, parts.next(), parts.next()) {
        (PerOperation, Some(entry), None) => {
            let op = Operation::from_name(entry)
                .ok_or_else(|| unknown_operation(entry, &format!("`{dotted}`")))?;
            Ok((vendor, Target::Entry(spec, op)))
        }
        (PerOperation, None, _) => Ok((vendor, Target::Table(spec))),
        (_, None, _) => Ok((vendor, Target::Key(spec))),
        _ => Err(unknown()),
    }
}
