//! Configuration: which vendor to use and how to reach it, from a TOML file, environment
//! variables and explicit overrides (e.g. command-line flags), in that order of precedence.
//!
//! ```toml
//! provider = "tencent"            # or "rongcloud": flipping this line switches vendor
//! [tencent]
//! sdkappid = 1400000000
//! secret_key = "..."
//! admin = "administrator"
//! region = "singapore"            # or base_urls = ["https://…", "https://…"]
//! [tencent.rate_limits]           # calls per second, over the vendor's defaults
//! send_message = 50
//! [rongcloud]
//! app_key = "..."
//! app_secret = "..."
//! base_urls = ["https://…"]       # or region = "…"
//! ```
//!
//! The settings are serde structs ([`TencentSettings`], [`RongCloudSettings`]); a slim shim
//! ([`ConfigBuilder`]) layers the file, the environment and overrides key by key, remembering
//! where each value came from, and then deserializes them. Every key can come from the
//! environment as `IMBRIDGE_PROVIDER` or `IMBRIDGE_{SECTION}_{KEY}` (`IMBRIDGE_TENCENT_ADMIN`),
//! a key of a table as `IMBRIDGE_{SECTION}_{KEY}_{ENTRY}`
//! (`IMBRIDGE_TENCENT_RATE_LIMITS_SEND_MESSAGE`); lists are comma-separated.
//!
//! Unknown keys, unknown operation names and unknown `IMBRIDGE_TENCENT_*` /
//! `IMBRIDGE_RONGCLOUD_*` variables are errors that name them, wherever they are. A section is
//! otherwise checked only when its vendor is used: the selected one when the configuration is
//! built, another one when [`connect_vendor`](crate::connect_vendor) asks for it, so a leftover
//! variable of the other vendor does not break start-up. Every error names the key and where its
//! value came from; values are never echoed, since some are secrets. The keys are listed in
//! [`TENCENT_KEYS`] and [`RONGCLOUD_KEYS`] and in `docs/configuration.md`.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use imbridge_core::{Error, Operation, Result, SecretString, Vendor};
use serde::de::{self, DeserializeOwned, Visitor};
use serde::{Deserialize, Deserializer};

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
];

/// The sections and their keys.
const SECTIONS: [(Vendor, &str, &[KeySpec]); 2] = [
    (Vendor::Tencent, "tencent", TENCENT_KEYS),
    (Vendor::RongCloud, "rongcloud", RONGCLOUD_KEYS),
];

fn section_of(vendor: Vendor) -> Option<(&'static str, &'static [KeySpec])> {
    SECTIONS
        .iter()
        .find(|(v, _, _)| *v == vendor)
        .map(|(_, s, keys)| (*s, *keys))
}

/// `tencent.rate_limits.send_message` → `IMBRIDGE_TENCENT_RATE_LIMITS_SEND_MESSAGE`.
fn env_var_of(dotted: &str) -> String {
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
fn where_the_operations_are() -> String {
    format!(
        "rate limits are keyed by the operations' canonical names, those of the registry \
         `imbridge::ops` (see docs/configuration.md): {}",
        operation_names()
    )
}

fn unknown_operation(name: &str, place: &str) -> Error {
    Error::config(format!(
        "unknown operation `{name}` in {place}; {}",
        where_the_operations_are()
    ))
}

/// Where a value came from; later layers override earlier ones.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Origin {
    Text(String),
    File(PathBuf),
    Env(String),
    Override(String),
}

impl Origin {
    fn rank(&self) -> u8 {
        match self {
            Origin::Text(_) | Origin::File(_) => 0,
            Origin::Env(_) => 1,
            Origin::Override(_) => 2,
        }
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Text(name) => write!(f, "config {name}"),
            Origin::File(path) => write!(f, "config file `{}`", path.display()),
            Origin::Env(var) => write!(f, "environment variable `{var}`"),
            Origin::Override(name) => write!(f, "`{name}`"),
        }
    }
}

/// A value as a layer gave it.
#[derive(Clone)]
enum Raw {
    /// From TOML: typed by TOML.
    Toml(toml::Value),
    /// From the environment or a flag: read as whatever the key's field needs.
    Text(String),
    /// A list given item by item (repeated flags).
    List(Vec<String>),
}

#[derive(Clone)]
struct Entry {
    raw: Raw,
    origin: Origin,
}

/// A key of a section, resolved from a name in a file, a variable or an override.
enum Target {
    /// A plain key.
    Key(&'static KeySpec),
    /// A [`ValueKind::PerOperation`] table as a whole.
    Table(&'static KeySpec),
    /// One operation of a [`ValueKind::PerOperation`] table.
    Entry(&'static KeySpec, Operation),
}

impl Target {
    fn spec(&self) -> &'static KeySpec {
        match self {
            Target::Key(spec) | Target::Table(spec) | Target::Entry(spec, _) => spec,
        }
    }

    fn path(&self) -> String {
        match self {
            Target::Key(spec) | Target::Table(spec) => spec.name.to_owned(),
            Target::Entry(spec, op) => format!("{}.{}", spec.name, op.as_str()),
        }
    }
}

/// Collects configuration layers and builds a [`ProviderConfig`].
///
/// Layers merge key by key (a `rate_limits` table operation by operation); a later layer wins.
///
/// ```
/// use imbridge::config::ConfigBuilder;
/// use imbridge::Vendor;
///
/// let config = ConfigBuilder::new()
///     .toml_str("provider = \"tencent\"\n[tencent]\nsdkappid = 1400000000\nsecret_key = \"k\"\nadmin = \"a\"\n", "example")
///     .unwrap()
///     .env_vars([("IMBRIDGE_PROVIDER".to_string(), "rongcloud".to_string()),
///                ("IMBRIDGE_RONGCLOUD_APP_KEY".to_string(), "key".to_string()),
///                ("IMBRIDGE_RONGCLOUD_APP_SECRET".to_string(), "secret".to_string())])
///     .unwrap()
///     .build()
///     .unwrap();
/// assert_eq!(config.provider, Some(Vendor::RongCloud)); // the environment overrides the file
/// assert_eq!(config.tencent.unwrap().sdkappid, 1400000000);
/// ```
#[derive(Default, Clone)]
pub struct ConfigBuilder {
    provider: Option<(String, Origin)>,
    /// (vendor, dotted path in the section) → value.
    values: BTreeMap<(Vendor, String), Entry>,
}

impl fmt::Debug for ConfigBuilder {
    /// Keys and origins only: values may be secrets.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut m = f.debug_map();
        if let Some((_, origin)) = &self.provider {
            m.entry(&"provider", &origin.to_string());
        }
        for ((vendor, path), entry) in &self.values {
            m.entry(&format!("{vendor}.{path}"), &entry.origin.to_string());
        }
        m.finish()
    }
}

impl ConfigBuilder {
    /// An empty builder.
    pub fn new() -> Self {
        ConfigBuilder::default()
    }

    /// Adds a TOML file (lowest precedence).
    pub fn file(self, path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|e| {
            Error::config(format!("cannot read config file `{}`: {e}", path.display()))
        })?;
        self.toml(&text, Origin::File(path.to_owned()))
    }

    /// Adds TOML text; `name` says where it came from in error messages (`config {name}`).
    pub fn toml_str(self, text: &str, name: &str) -> Result<Self> {
        self.toml(text, Origin::Text(name.to_owned()))
    }

    /// Adds a table already parsed, e.g. the `[imbridge]` table of an app's own config file;
    /// `name` says where it came from in error messages (`config {name}`).
    ///
    /// ```
    /// use imbridge::config::ConfigBuilder;
    ///
    /// let app: toml::Table = "[imbridge]\nprovider = \"rongcloud\"\n[imbridge.rongcloud]\napp_key = \"k\"\n"
    ///     .parse()
    ///     .unwrap();
    /// let Some(toml::Value::Table(ours)) = app.get("imbridge").cloned() else { panic!() };
    /// let config = ConfigBuilder::new()
    ///     .table(ours, "app.toml [imbridge]")
    ///     .unwrap()
    ///     .env_vars([("IMBRIDGE_RONGCLOUD_APP_SECRET".to_string(), "s".to_string())])
    ///     .unwrap()
    ///     .build()
    ///     .unwrap();
    /// assert_eq!(config.rongcloud.unwrap().app_key, "k");
    /// ```
    pub fn table(self, table: toml::Table, name: &str) -> Result<Self> {
        self.add_table(table, Origin::Text(name.to_owned()))
    }

    /// Adds the process environment (`IMBRIDGE_*`), overriding files.
    pub fn env(self) -> Result<Self> {
        self.env_vars(std::env::vars())
    }

    /// Adds these environment variables, overriding files. `IMBRIDGE_PROVIDER` selects the
    /// vendor; `IMBRIDGE_TENCENT_{KEY}` and `IMBRIDGE_RONGCLOUD_{KEY}` set keys, and
    /// `IMBRIDGE_{SECTION}_RATE_LIMITS_{OPERATION}` one rate limit. Other variables, and empty
    /// values, are ignored.
    pub fn env_vars<I>(mut self, vars: I) -> Result<Self>
    where
        I: IntoIterator<Item = (String, String)>,
    {
        let mut vars: Vec<(String, String)> = vars
            .into_iter()
            .filter(|(k, v)| k.starts_with("IMBRIDGE_") && !v.is_empty())
            .collect();
        vars.sort_by(|a, b| a.0.cmp(&b.0));
        for (name, raw) in vars {
            let origin = Origin::Env(name.clone());
            if name == "IMBRIDGE_PROVIDER" {
                self.provider = Some((raw, origin));
                continue;
            }
            let Some((vendor, section, keys, rest)) = SECTIONS.iter().find_map(|(v, s, keys)| {
                let prefix = format!("IMBRIDGE_{}_", s.to_ascii_uppercase());
                name.strip_prefix(&prefix)
                    .map(|rest| (*v, *s, *keys, rest.to_ascii_lowercase()))
            }) else {
                continue;
            };
            let target = env_target(keys, &rest)
                .ok_or_else(|| unknown_env_var(&name, section, keys, &rest))?;
            self.insert(vendor, target.path(), Raw::Text(raw), origin);
        }
        Ok(self)
    }

    /// Sets one value from an explicit source such as a command-line flag (highest precedence).
    /// `key` is `provider`, `section.key` (`tencent.sdkappid`) or, in a table,
    /// `section.key.entry` (`tencent.rate_limits.send_message`); the value is read as the key
    /// needs (`"true"`, `"7.5"`, `"a,b"` for a list). `origin` names the source (`--sdkappid`)
    /// in error messages.
    pub fn set(mut self, key: &str, value: &str, origin: &str) -> Result<Self> {
        let origin = Origin::Override(origin.to_owned());
        if key == "provider" {
            self.provider = Some((value.to_owned(), origin));
            return Ok(self);
        }
        let (vendor, target) = find_dotted(key)?;
        if let Target::Table(_) = target {
            return Err(Error::config(format!(
                "`{key}` is a table: set `{key}.OPERATION` per operation"
            )));
        }
        self.insert(vendor, target.path(), Raw::Text(value.to_owned()), origin);
        Ok(self)
    }

    /// Sets a list value (e.g. repeated `--base-url` flags) with the highest precedence.
    pub fn set_list(mut self, key: &str, values: &[String], origin: &str) -> Result<Self> {
        let (vendor, target) = find_dotted(key)?;
        match target {
            Target::Key(spec) if spec.kind == List => {
                self.insert(
                    vendor,
                    spec.name.to_owned(),
                    Raw::List(values.to_vec()),
                    Origin::Override(origin.to_owned()),
                );
                Ok(self)
            }
            _ => Err(Error::config(format!("`{key}` is not a list key"))),
        }
    }

    /// The provider name as given so far, before it is checked.
    pub fn provider_name(&self) -> Option<&str> {
        self.provider.as_ref().map(|(name, _)| name.as_str())
    }

    /// Whether any layer set `key` (`provider`, `section.key` or `section.key.entry`).
    pub fn is_set(&self, key: &str) -> bool {
        if key == "provider" {
            return self.provider.is_some();
        }
        let Ok((vendor, target)) = find_dotted(key) else {
            return false;
        };
        let path = target.path();
        let nested = format!("{path}.");
        self.values
            .keys()
            .any(|(v, p)| *v == vendor && (*p == path || p.starts_with(&nested)))
    }

    /// The merged value of `section.key` (or a table's `section.key.entry`, or a whole table)
    /// read as `T`, if any layer set it: for callers that need a few keys without their whole
    /// section (a UserSig needs no admin). Errors name the key and its origin, never the value.
    ///
    /// ```
    /// use imbridge::config::ConfigBuilder;
    ///
    /// let b = ConfigBuilder::new()
    ///     .env_vars([("IMBRIDGE_TENCENT_SDKAPPID".to_string(), "1400000000".to_string())])
    ///     .unwrap();
    /// assert_eq!(b.get::<u64>("tencent.sdkappid").unwrap(), Some(1400000000));
    /// assert_eq!(b.get::<String>("tencent.admin").unwrap(), None);
    /// ```
    pub fn get<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>> {
        let (vendor, target) = find_dotted(key)?;
        let Some((section, _)) = section_of(vendor) else {
            return Ok(None);
        };
        let path = target.path();
        let mut tree = BTreeMap::new();
        for ((v, p), entry) in &self.values {
            if *v == vendor && (*p == path || p.starts_with(&format!("{path}."))) {
                insert_node(&mut tree, p, entry);
            }
        }
        let Some(node) = tree.remove(target.spec().name) else {
            return Ok(None);
        };
        let node = match &target {
            Target::Key(_) | Target::Table(_) => Some(node),
            Target::Entry(_, op) => match node {
                Node::Table(mut t) => t.remove(op.as_str()),
                Node::Value(..) => None,
            },
        };
        let Some(node) = node else { return Ok(None) };
        let dotted = format!("{section}.{path}");
        let origins = node.origins();
        T::deserialize(NodeDe {
            node,
            path: dotted.clone(),
        })
        .map(Some)
        .map_err(|e| Error::config(e.locate(&dotted, &origins).to_string()))
    }

    fn toml(self, text: &str, origin: Origin) -> Result<Self> {
        let table: toml::Table = text.parse().map_err(|e: toml::de::Error| {
            Error::config(format!(
                "{origin} is not valid TOML: {}",
                toml_problem(text, &e)
            ))
        })?;
        self.add_table(table, origin)
    }

    fn add_table(mut self, table: toml::Table, origin: Origin) -> Result<Self> {
        for (top, value) in table {
            if top == "provider" {
                let name = value.as_str().ok_or_else(|| {
                    Error::config(format!("`provider` in {origin} must be a string"))
                })?;
                self.provider = Some((name.to_owned(), origin.clone()));
                continue;
            }
            let Some((vendor, section, keys)) = SECTIONS.iter().find(|(_, s, _)| *s == top) else {
                return Err(Error::config(format!(
                    "unknown key `{top}` in {origin} (known: provider, [tencent], [rongcloud])"
                )));
            };
            let toml::Value::Table(body) = value else {
                return Err(Error::config(format!(
                    "`{top}` in {origin} must be a [{top}] section"
                )));
            };
            for (name, value) in body {
                let spec = keys.iter().find(|k| k.name == name).ok_or_else(|| {
                    let known: Vec<&str> = keys.iter().map(|k| k.name).collect();
                    Error::config(format!(
                        "unknown key `{section}.{name}` in {origin} (known: {})",
                        known.join(", ")
                    ))
                })?;
                match (spec.kind, value) {
                    (PerOperation, toml::Value::Table(entries)) => {
                        for (op_name, value) in entries {
                            let op = Operation::from_name(&op_name).ok_or_else(|| {
                                unknown_operation(
                                    &op_name,
                                    &format!("`{section}.{}` in {origin}", spec.name),
                                )
                            })?;
                            let path = format!("{}.{}", spec.name, op.as_str());
                            self.insert(*vendor, path, Raw::Toml(value), origin.clone());
                        }
                    }
                    // Anything else is kept as given; reading it says what is wrong.
                    (_, value) => {
                        self.insert(*vendor, name, Raw::Toml(value), origin.clone());
                    }
                }
            }
        }
        Ok(self)
    }

    fn insert(&mut self, vendor: Vendor, path: String, raw: Raw, origin: Origin) {
        // A value replaces whatever a lower layer set at, above or below its path.
        let below = format!("{path}.");
        self.values.retain(|(v, p), _| {
            *v != vendor
                || !(*p == path || p.starts_with(&below) || path.starts_with(&format!("{p}.")))
        });
        // `region` and `base_urls` are alternatives: a higher layer setting one drops the other.
        let other = match path.as_str() {
            "region" => Some("base_urls"),
            "base_urls" => Some("region"),
            _ => None,
        };
        if let Some(other) = other {
            let k = (vendor, other.to_owned());
            if self
                .values
                .get(&k)
                .is_some_and(|e| e.origin.rank() < origin.rank())
            {
                self.values.remove(&k);
            }
        }
        self.values.insert((vendor, path), Entry { raw, origin });
    }

    /// Checks the provider name and the selected vendor's section, and builds the
    /// configuration. Sections of other vendors are read too, but a problem in one of them
    /// other than an unknown key is reported only when that vendor is used
    /// ([`ProviderConfig::tencent_settings`], [`connect_vendor`](crate::connect_vendor)).
    pub fn build(self) -> Result<ProviderConfig> {
        let provider = match &self.provider {
            None => None,
            Some((name, origin)) => Some(
                Vendor::ALL
                    .into_iter()
                    .find(|v| v.as_str() == name.trim().to_ascii_lowercase())
                    .ok_or_else(|| {
                        Error::config(format!(
                            "`provider` in {origin} must be \"tencent\" or \"rongcloud\""
                        ))
                    })?,
            ),
        };
        let mut config = ProviderConfig {
            provider,
            tencent: None,
            rongcloud: None,
            deferred: Vec::new(),
        };
        for vendor in Vendor::ALL {
            if !self.section_present(vendor) {
                if provider == Some(vendor)
                    && let Some((_, origin)) = &self.provider
                {
                    let upper = vendor.as_str().to_ascii_uppercase();
                    return Err(Error::config(format!(
                        "`provider` is \"{vendor}\" (from {origin}) but there is no [{vendor}] \
                         section and no IMBRIDGE_{upper}_* variable"
                    )));
                }
                continue;
            }
            let checked = match vendor {
                Vendor::Tencent => self
                    .section::<TencentSettings>(vendor)
                    .map(|s| config.tencent = Some(s)),
                Vendor::RongCloud => self
                    .section::<RongCloudSettings>(vendor)
                    .map(|s| config.rongcloud = Some(s)),
                _ => Ok(()),
            };
            match checked {
                Ok(()) => {}
                Err(e) if provider == Some(vendor) => return Err(e),
                Err(e) => config.deferred.push((vendor, e)),
            }
        }
        Ok(config)
    }

    fn section_present(&self, vendor: Vendor) -> bool {
        self.values.keys().any(|(v, _)| *v == vendor)
    }

    /// Deserializes a vendor's section and checks its region name.
    fn section<T: DeserializeOwned>(&self, vendor: Vendor) -> Result<T> {
        let Some((section, _)) = section_of(vendor) else {
            return Err(Error::config(format!("no section for `{vendor}`")));
        };
        let mut tree = BTreeMap::new();
        for ((_, path), entry) in self.values.iter().filter(|((v, _), _)| *v == vendor) {
            insert_node(&mut tree, path, entry);
        }
        let node = Node::Table(tree);
        let origins = node.origins();
        let settings = T::deserialize(NodeDe {
            node,
            path: section.to_owned(),
        })
        .map_err(|e| Error::config(e.locate(section, &origins).to_string()))?;
        if let Some(entry) = self.values.get(&(vendor, "region".to_owned()))
            && let Raw::Toml(toml::Value::String(name)) | Raw::Text(name) = &entry.raw
        {
            check_region(vendor, name, &entry.origin)?;
        }
        Ok(settings)
    }
}

/// The error of a TOML parse, without the excerpt of the text (it may hold a secret).
fn toml_problem(text: &str, e: &toml::de::Error) -> String {
    let message = e.message().trim_end();
    match e.span() {
        Some(span) => {
            let before = text.get(..span.start).unwrap_or(text);
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            format!("line {line}, column {column}: {message}")
        }
        None => message.to_owned(),
    }
}

/// The key an environment variable's rest (`rate_limits_send_message`) names.
fn env_target(keys: &'static [KeySpec], rest: &str) -> Option<Target> {
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
fn unknown_env_var(name: &str, section: &str, keys: &'static [KeySpec], rest: &str) -> Error {
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
fn find_dotted(dotted: &str) -> Result<(Vendor, Target)> {
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

/// Checks a region name when the vendor's backend is compiled in (its names live there).
#[cfg_attr(
    not(any(feature = "tencent", feature = "rongcloud")),
    allow(unused_variables)
)]
fn check_region(vendor: Vendor, region: &str, origin: &Origin) -> Result<()> {
    let parsed: Result<()> = match vendor {
        #[cfg(feature = "tencent")]
        Vendor::Tencent => region.parse::<imbridge_tencent::Region>().map(drop),
        #[cfg(feature = "rongcloud")]
        Vendor::RongCloud => region.parse::<imbridge_rongcloud::Region>().map(drop),
        _ => Ok(()),
    };
    parsed.map_err(|e| {
        Error::config(format!(
            "{}: {}",
            subject(&format!("{vendor}.region"), std::slice::from_ref(origin)),
            e.message()
        ))
    })
}

// ---------------------------------------------------------------------------------------------
// The layered values as a tree, and a serde deserializer over it that knows each value's origin
// and never puts a value into an error.

/// A value or a table of the layered configuration.
enum Node {
    Value(Raw, Origin),
    Table(BTreeMap<String, Node>),
}

impl Node {
    /// The distinct origins of the values in the node.
    fn origins(&self) -> Vec<Origin> {
        let mut out = Vec::new();
        self.collect_origins(&mut out);
        out
    }

    fn collect_origins(&self, out: &mut Vec<Origin>) {
        match self {
            Node::Value(_, origin) => {
                if !out.contains(origin) {
                    out.push(origin.clone());
                }
            }
            Node::Table(t) => t.values().for_each(|n| n.collect_origins(out)),
        }
    }
}

fn insert_node(tree: &mut BTreeMap<String, Node>, path: &str, entry: &Entry) {
    let value = Node::Value(entry.raw.clone(), entry.origin.clone());
    match path.split_once('.') {
        None => {
            tree.insert(path.to_owned(), value);
        }
        Some((head, rest)) => {
            let slot = tree
                .entry(head.to_owned())
                .or_insert_with(|| Node::Table(BTreeMap::new()));
            if !matches!(slot, Node::Table(_)) {
                *slot = Node::Table(BTreeMap::new());
            }
            if let Node::Table(t) = slot {
                insert_node(t, rest, entry);
            }
        }
    }
}

/// Who gave a key, as error messages name it.
fn subject(key: &str, origins: &[Origin]) -> String {
    match origins {
        [Origin::Env(var)] => format!("environment variable `{var}`"),
        [Origin::Override(name)] => format!("`{name}` (`{key}`)"),
        [origin] => format!("`{key}` in {origin}"),
        [] => format!("`{key}`"),
        many => format!(
            "`{key}` (from {})",
            many.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// What the key at `dotted` must be, from the key lists.
fn expected_of(dotted: &str) -> Option<&'static str> {
    let (section, rest) = dotted.split_once('.')?;
    let (_, _, keys) = SECTIONS.iter().find(|(_, s, _)| *s == section)?;
    let (name, entry) = match rest.split_once('.') {
        Some((name, entry)) => (name, Some(entry)),
        None => (rest, None),
    };
    let spec = keys.iter().find(|k| k.name == name)?;
    match (spec.kind, entry) {
        (PerOperation, Some(_)) => Some("a whole number of calls per second (0 = no limit)"),
        (kind, None) => Some(kind.expected()),
        _ => None,
    }
}

/// A deserialization problem; [`DeError::locate`] turns it into a message naming the key and
/// its origin. The serde hooks drop the offending value (`Unexpected`) on purpose.
#[derive(Debug)]
enum DeError {
    Missing(&'static str),
    Unknown(String, &'static [&'static str]),
    /// What serde expected instead.
    Type(String),
    Custom(String),
    Located(String),
}

impl fmt::Display for DeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DeError::Missing(field) => write!(f, "`{field}` is missing"),
            DeError::Unknown(key, _) => write!(f, "unknown key `{key}`"),
            DeError::Type(expected) => write!(f, "must be {expected}"),
            DeError::Custom(msg) | DeError::Located(msg) => f.write_str(msg),
        }
    }
}

impl std::error::Error for DeError {}

impl de::Error for DeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        DeError::Custom(msg.to_string())
    }

    fn invalid_type(_: de::Unexpected<'_>, exp: &dyn de::Expected) -> Self {
        DeError::Type(exp.to_string())
    }

    fn invalid_value(_: de::Unexpected<'_>, exp: &dyn de::Expected) -> Self {
        DeError::Type(exp.to_string())
    }

    fn invalid_length(_: usize, exp: &dyn de::Expected) -> Self {
        DeError::Type(exp.to_string())
    }

    fn unknown_variant(_: &str, expected: &'static [&'static str]) -> Self {
        DeError::Type(format!("one of {}", expected.join(", ")))
    }

    fn unknown_field(field: &str, expected: &'static [&'static str]) -> Self {
        DeError::Unknown(field.to_owned(), expected)
    }

    fn missing_field(field: &'static str) -> Self {
        DeError::Missing(field)
    }

    fn duplicate_field(field: &'static str) -> Self {
        DeError::Custom(format!("`{field}` is given twice"))
    }
}

impl DeError {
    /// The message for a problem of the key or table at `dotted`, whose values come from
    /// `origins`.
    fn locate(self, dotted: &str, origins: &[Origin]) -> DeError {
        let msg = match self {
            DeError::Located(msg) => msg,
            DeError::Missing(field) => {
                let key = format!("{dotted}.{field}");
                let from = match origins {
                    [] => String::new(),
                    some => format!(
                        " (the section's other values come from {})",
                        some.iter()
                            .map(ToString::to_string)
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                };
                format!(
                    "`{key}` is missing{from}; set it in the config file or as {}",
                    env_var_of(&key)
                )
            }
            DeError::Unknown(key, known) => format!(
                "unknown key `{dotted}.{key}` in {} (known: {})",
                origins
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", "),
                known.join(", ")
            ),
            DeError::Type(expected) => format!(
                "{} must be {}",
                subject(dotted, origins),
                expected_of(dotted).unwrap_or(&expected)
            ),
            DeError::Custom(msg) => format!("{}: {msg}", subject(dotted, origins)),
        };
        DeError::Located(msg)
    }
}

/// Deserializes a [`Node`]. Values from TOML keep TOML's types (a string is not a number);
/// values from the environment and flags are text, read as the field asks.
struct NodeDe {
    node: Node,
    path: String,
}

impl NodeDe {
    fn text(&self) -> Option<&str> {
        match &self.node {
            Node::Value(Raw::Text(s), _) => Some(s.trim()),
            _ => None,
        }
    }
}

macro_rules! from_text {
    ($($method:ident => $ty:ty, $visit:ident;)*) => {
        $(
            fn $method<V: Visitor<'de>>(self, visitor: V) -> std::result::Result<V::Value, DeError> {
                match self.text().map(str::parse::<$ty>) {
                    Some(Ok(n)) => visitor.$visit(n),
                    // Not a number: the visitor says what it expected.
                    Some(Err(_)) => visitor.visit_str(""),
                    None => self.deserialize_any(visitor),
                }
            }
        )*
    };
}

impl<'de> Deserializer<'de> for NodeDe {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(
        self,
        visitor: V,
    ) -> std::result::Result<V::Value, DeError> {
        match self.node {
            Node::Table(map) => visitor.visit_map(TableAccess {
                iter: map.into_iter(),
                value: None,
                path: self.path,
            }),
            Node::Value(Raw::Text(s), _) => visitor.visit_string(s),
            Node::Value(Raw::List(items), origin) => visitor.visit_seq(ItemsAccess {
                iter: items
                    .into_iter()
                    .map(|s| Node::Value(Raw::Text(s), origin.clone()))
                    .collect::<Vec<_>>()
                    .into_iter(),
                path: self.path,
            }),
            Node::Value(Raw::Toml(value), origin) => match value {
                toml::Value::String(s) => visitor.visit_string(s),
                toml::Value::Integer(n) => visitor.visit_i64(n),
                toml::Value::Float(x) => visitor.visit_f64(x),
                toml::Value::Boolean(b) => visitor.visit_bool(b),
                toml::Value::Datetime(d) => visitor.visit_string(d.to_string()),
                toml::Value::Array(items) => visitor.visit_seq(ItemsAccess {
                    iter: items
                        .into_iter()
                        .map(|v| Node::Value(Raw::Toml(v), origin.clone()))
                        .collect::<Vec<_>>()
                        .into_iter(),
                    path: self.path,
                }),
                toml::Value::Table(t) => visitor.visit_map(TableAccess {
                    iter: t
                        .into_iter()
                        .map(|(k, v)| (k, Node::Value(Raw::Toml(v), origin.clone())))
                        .collect::<BTreeMap<_, _>>()
                        .into_iter(),
                    value: None,
                    path: self.path,
                }),
            },
        }
    }

    fn deserialize_option<V: Visitor<'de>>(
        self,
        visitor: V,
    ) -> std::result::Result<V::Value, DeError> {
        // A key that is present has a value.
        visitor.visit_some(self)
    }

    fn deserialize_bool<V: Visitor<'de>>(
        self,
        visitor: V,
    ) -> std::result::Result<V::Value, DeError> {
        match self.text().map(str::to_ascii_lowercase).as_deref() {
            Some("true" | "1" | "yes" | "on") => visitor.visit_bool(true),
            Some("false" | "0" | "no" | "off") => visitor.visit_bool(false),
            Some(_) => visitor.visit_str(""),
            None => self.deserialize_any(visitor),
        }
    }

    from_text! {
        deserialize_u8 => u64, visit_u64;
        deserialize_u16 => u64, visit_u64;
        deserialize_u32 => u64, visit_u64;
        deserialize_u64 => u64, visit_u64;
        deserialize_i8 => i64, visit_i64;
        deserialize_i16 => i64, visit_i64;
        deserialize_i32 => i64, visit_i64;
        deserialize_i64 => i64, visit_i64;
        deserialize_f32 => f64, visit_f64;
        deserialize_f64 => f64, visit_f64;
    }

    fn deserialize_seq<V: Visitor<'de>>(
        self,
        visitor: V,
    ) -> std::result::Result<V::Value, DeError> {
        match self.node {
            // Environment: comma-separated.
            Node::Value(Raw::Text(s), origin) => visitor.visit_seq(ItemsAccess {
                iter: s
                    .split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(|s| Node::Value(Raw::Text(s.to_owned()), origin.clone()))
                    .collect::<Vec<_>>()
                    .into_iter(),
                path: self.path,
            }),
            // A single string where a list is expected is a list of one.
            Node::Value(Raw::Toml(toml::Value::String(s)), origin) => {
                visitor.visit_seq(ItemsAccess {
                    iter: vec![Node::Value(Raw::Toml(toml::Value::String(s)), origin)].into_iter(),
                    path: self.path,
                })
            }
            node => NodeDe {
                node,
                path: self.path,
            }
            .deserialize_any(visitor),
        }
    }

    serde::forward_to_deserialize_any! {
        i128 u128 char str string bytes byte_buf unit unit_struct newtype_struct tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

struct TableAccess {
    iter: std::collections::btree_map::IntoIter<String, Node>,
    value: Option<(String, Node)>,
    path: String,
}

impl<'de> de::MapAccess<'de> for TableAccess {
    type Error = DeError;

    fn next_key_seed<K: de::DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> std::result::Result<Option<K::Value>, DeError> {
        let Some((key, node)) = self.iter.next() else {
            return Ok(None);
        };
        let origins = node.origins();
        let k = seed
            .deserialize(de::value::StrDeserializer::<DeError>::new(&key))
            .map_err(|e| e.locate(&self.path, &origins))?;
        self.value = Some((key, node));
        Ok(Some(k))
    }

    fn next_value_seed<V: de::DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> std::result::Result<V::Value, DeError> {
        let Some((key, node)) = self.value.take() else {
            return Err(DeError::Custom("a value without a key".into()));
        };
        let path = format!("{}.{key}", self.path);
        let origins = node.origins();
        seed.deserialize(NodeDe {
            node,
            path: path.clone(),
        })
        .map_err(|e| e.locate(&path, &origins))
    }
}

struct ItemsAccess {
    iter: std::vec::IntoIter<Node>,
    path: String,
}

impl<'de> de::SeqAccess<'de> for ItemsAccess {
    type Error = DeError;

    fn next_element_seed<T: de::DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> std::result::Result<Option<T::Value>, DeError> {
        // An item's problem is reported as the list's (the caller locates it).
        match self.iter.next() {
            None => Ok(None),
            Some(node) => seed
                .deserialize(NodeDe {
                    node,
                    path: self.path.clone(),
                })
                .map(Some),
        }
    }
}

/// `*_secs` keys: a non-negative number of seconds, integer or decimal.
fn seconds<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<Duration>, D::Error> {
    let secs = f64::deserialize(d)?;
    let bad = || {
        de::Error::invalid_value(
            de::Unexpected::Other("a number"),
            &"a non-negative number of seconds",
        )
    };
    if !secs.is_finite() || secs < 0.0 {
        return Err(bad());
    }
    Duration::try_from_secs_f64(secs)
        .map(Some)
        .map_err(|_| bad())
}

/// `rate_limits` tables: operation names to calls per second.
fn rate_limits<'de, D: Deserializer<'de>>(
    d: D,
) -> std::result::Result<HashMap<Operation, u32>, D::Error> {
    let by_name = BTreeMap::<String, u32>::deserialize(d)?;
    by_name
        .into_iter()
        .map(|(name, n)| match Operation::from_name(&name) {
            Some(op) => Ok((op, n)),
            None => Err(de::Error::custom(format!(
                "unknown operation `{name}`; {}",
                where_the_operations_are()
            ))),
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// The settings.

/// Which vendor to use and how to reach each configured one.
///
/// Build it with [`ProviderConfig::load`] (a file plus the environment), [`ConfigBuilder`],
/// serde (it is the `[imbridge]` table of an app's own file, see below), or directly from the
/// settings structs; turn it into a provider with [`connect`](crate::connect).
///
/// Only the selected vendor's section is checked when the configuration is built; a section of
/// another vendor that is incomplete or wrong is left out of [`tencent`](Self::tencent) /
/// [`rongcloud`](Self::rongcloud) and its problem is reported when that vendor is asked for
/// ([`tencent_settings`](Self::tencent_settings), [`connect_vendor`](crate::connect_vendor)).
///
/// ```
/// use serde::Deserialize;
///
/// #[derive(Deserialize)]
/// struct AppConfig {
///     listen: String,
///     imbridge: imbridge::ProviderConfig,
/// }
///
/// let app: AppConfig = toml::from_str(r#"
///     listen = "0.0.0.0:8080"
///     [imbridge]
///     provider = "tencent"
///     [imbridge.tencent]
///     sdkappid = 1400000000
///     secret_key = "key"
///     admin = "administrator"
/// "#).unwrap();
/// assert_eq!(app.imbridge.tencent_settings().unwrap().sdkappid, 1400000000);
/// # drop(app.listen);
/// ```
///
/// Deserializing reads the table alone; to layer `IMBRIDGE_*` variables or flags over it,
/// deserialize it as a [`toml::Table`] and use [`ConfigBuilder::table`]. Errors name the key
/// within the table and never its value, but the `toml` crate prefixes them with the line where
/// the table starts: write it as `[imbridge]` sections rather than as a one-line inline table
/// holding secrets.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ProviderConfig {
    /// The vendor [`connect`](crate::connect) uses (`provider = "…"`).
    pub provider: Option<Vendor>,
    /// The `[tencent]` section, when it was given and is valid.
    pub tencent: Option<TencentSettings>,
    /// The `[rongcloud]` section, when it was given and is valid.
    pub rongcloud: Option<RongCloudSettings>,
    /// Sections of vendors other than the selected one that were given but are not valid,
    /// reported when that vendor is used.
    deferred: Vec<(Vendor, Error)>,
}

impl ProviderConfig {
    /// Reads the TOML file at `path` (when given), then the `IMBRIDGE_*` environment variables,
    /// which override it.
    pub fn load(path: Option<&Path>) -> Result<Self> {
        let builder = match path {
            Some(p) => ConfigBuilder::new().file(p)?,
            None => ConfigBuilder::new(),
        };
        builder.env()?.build()
    }

    /// Parses TOML text only (no environment).
    pub fn from_toml_str(text: &str) -> Result<Self> {
        ConfigBuilder::new().toml_str(text, "text")?.build()
    }

    /// Reads a table only (no environment), e.g. the `[imbridge]` table of an app's file.
    pub fn from_table(table: toml::Table) -> Result<Self> {
        ConfigBuilder::new().table(table, "table")?.build()
    }

    /// A configuration that selects Tencent with these settings.
    pub fn tencent(settings: TencentSettings) -> Self {
        ProviderConfig {
            provider: Some(Vendor::Tencent),
            tencent: Some(settings),
            rongcloud: None,
            deferred: Vec::new(),
        }
    }

    /// A configuration that selects RongCloud with these settings.
    pub fn rongcloud(settings: RongCloudSettings) -> Self {
        ProviderConfig {
            provider: Some(Vendor::RongCloud),
            tencent: None,
            rongcloud: Some(settings),
            deferred: Vec::new(),
        }
    }

    /// The vendors whose section was given, valid or not, in [`Vendor::ALL`] order.
    pub fn vendors(&self) -> Vec<Vendor> {
        Vendor::ALL
            .into_iter()
            .filter(|v| {
                let valid = match v {
                    Vendor::Tencent => self.tencent.is_some(),
                    Vendor::RongCloud => self.rongcloud.is_some(),
                    _ => false,
                };
                valid || self.deferred.iter().any(|(d, _)| d == v)
            })
            .collect()
    }

    /// The `[tencent]` section, or why there is none usable (missing, or its first problem,
    /// naming the key and where its value came from).
    pub fn tencent_settings(&self) -> Result<&TencentSettings> {
        self.tencent
            .as_ref()
            .ok_or_else(|| self.section_error(Vendor::Tencent))
    }

    /// The `[rongcloud]` section, or why there is none usable.
    pub fn rongcloud_settings(&self) -> Result<&RongCloudSettings> {
        self.rongcloud
            .as_ref()
            .ok_or_else(|| self.section_error(Vendor::RongCloud))
    }

    fn section_error(&self, vendor: Vendor) -> Error {
        match self.deferred.iter().find(|(v, _)| *v == vendor) {
            Some((_, e)) => e.clone(),
            None => Error::config(format!(
                "there is no [{vendor}] section and no IMBRIDGE_{}_* variable",
                vendor.as_str().to_ascii_uppercase()
            )),
        }
    }
}

impl<'de> Deserialize<'de> for ProviderConfig {
    /// Reads the table like [`ProviderConfig::from_table`]; errors name keys, never values.
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let table = toml::Table::deserialize(d)?;
        ConfigBuilder::new()
            .add_table(table, Origin::Text("table".to_owned()))
            .and_then(ConfigBuilder::build)
            .map_err(|e| de::Error::custom(e.message()))
    }
}

/// The `[tencent]` section (keys: [`TENCENT_KEYS`]).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct TencentSettings {
    /// `sdkappid`: the app's SDKAppID.
    pub sdkappid: u64,
    /// `secret_key`: the app's secret key.
    pub secret_key: SecretString,
    /// `admin`: the app admin account used for REST calls.
    pub admin: String,
    /// `region`: the region name; `None` with no `base_urls` means China.
    #[serde(default)]
    pub region: Option<String>,
    /// `base_urls`: own base URLs, primary first.
    #[serde(default)]
    pub base_urls: Vec<String>,
    /// `allow_insecure_http`: allow `http://` on hosts other than loopback.
    #[serde(default)]
    pub allow_insecure_http: bool,
    /// `timeout_secs`: per-request timeout.
    #[serde(default, rename = "timeout_secs", deserialize_with = "seconds")]
    pub timeout: Option<Duration>,
    /// `connect_timeout_secs`: connect timeout.
    #[serde(default, rename = "connect_timeout_secs", deserialize_with = "seconds")]
    pub connect_timeout: Option<Duration>,
    /// `admin_sig_ttl_secs`: lifetime of the cached admin UserSig.
    #[serde(default, rename = "admin_sig_ttl_secs", deserialize_with = "seconds")]
    pub admin_sig_ttl: Option<Duration>,
    /// `user_sig_ttl_secs`: lifetime of users' UserSigs.
    #[serde(default, rename = "user_sig_ttl_secs", deserialize_with = "seconds")]
    pub user_sig_ttl: Option<Duration>,
    /// `retry_attempts`: attempts per call, the first included, when a retry is safe
    /// (`None`: the client's default policy).
    #[serde(default)]
    pub retry_attempts: Option<u32>,
    /// `rate_limits`: calls per second per operation, applied over the vendor's
    /// `default_rate_limits()`; 0 removes an operation's limit.
    #[serde(default, deserialize_with = "rate_limits")]
    pub rate_limits: HashMap<Operation, u32>,
    /// `callback_token`: the callback token set in the console, which signs Tencent's
    /// callbacks (`Sign`); see [`TencentSettings::callback_token`].
    #[serde(default)]
    pub callback_token: Option<SecretString>,
}

impl TencentSettings {
    /// Settings with the three required values and defaults for the rest.
    pub fn new(
        sdkappid: u64,
        secret_key: impl Into<SecretString>,
        admin: impl Into<String>,
    ) -> Self {
        TencentSettings {
            sdkappid,
            secret_key: secret_key.into(),
            admin: admin.into(),
            region: None,
            base_urls: Vec::new(),
            allow_insecure_http: false,
            timeout: None,
            connect_timeout: None,
            admin_sig_ttl: None,
            user_sig_ttl: None,
            retry_attempts: None,
            rate_limits: HashMap::new(),
            callback_token: None,
        }
    }

    /// The callback token that verifies Tencent's callbacks, if configured. A verifier for the
    /// app's webhooks comes from it and the SDKAppID:
    ///
    /// ```
    /// # #[cfg(feature = "tencent")] {
    /// use imbridge::ProviderConfig;
    /// use imbridge::tencent::callback::CallbackVerifier;
    ///
    /// let config = ProviderConfig::from_toml_str(r#"
    ///     provider = "tencent"
    ///     [tencent]
    ///     sdkappid = 1400000000
    ///     secret_key = "key"
    ///     admin = "administrator"
    ///     callback_token = "token-from-the-console"
    /// "#).unwrap();
    /// let t = config.tencent_settings().unwrap();
    /// let verifier = match t.callback_token() {
    ///     Some(token) => CallbackVerifier::new(t.sdkappid, token.clone()),
    ///     None => CallbackVerifier::without_token(t.sdkappid),
    /// };
    /// assert!(!format!("{verifier:?}").contains("token-from-the-console"));
    /// # }
    /// ```
    pub fn callback_token(&self) -> Option<&SecretString> {
        self.callback_token.as_ref()
    }
}

/// The `[rongcloud]` section (keys: [`RONGCLOUD_KEYS`]). RongCloud signs its callbacks with
/// the app secret, so webhooks need no other key.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct RongCloudSettings {
    /// `app_key`: the app key.
    pub app_key: String,
    /// `app_secret`: the app secret.
    pub app_secret: SecretString,
    /// `region`: the region name; `None` with no `base_urls` means Beijing.
    #[serde(default)]
    pub region: Option<String>,
    /// `base_urls`: own base URLs, primary first.
    #[serde(default)]
    pub base_urls: Vec<String>,
    /// `allow_insecure_http`: allow `http://` on hosts other than loopback.
    #[serde(default)]
    pub allow_insecure_http: bool,
    /// `timeout_secs`: per-attempt timeout.
    #[serde(default, rename = "timeout_secs", deserialize_with = "seconds")]
    pub timeout: Option<Duration>,
    /// `connect_timeout_secs`: connect timeout.
    #[serde(default, rename = "connect_timeout_secs", deserialize_with = "seconds")]
    pub connect_timeout: Option<Duration>,
    /// `cooldown_secs`: how long a failed domain is tried last.
    #[serde(default, rename = "cooldown_secs", deserialize_with = "seconds")]
    pub cooldown: Option<Duration>,
    /// `max_attempts`: most domains one attempt may try.
    #[serde(default)]
    pub max_attempts: Option<usize>,
    /// `retry_attempts`: attempts per call, the first included, when a retry is safe
    /// (`None`: the client's default policy).
    #[serde(default)]
    pub retry_attempts: Option<u32>,
    /// `rate_limits`: calls per second per operation, applied over the vendor's
    /// `default_rate_limits()`; 0 removes an operation's limit.
    #[serde(default, deserialize_with = "rate_limits")]
    pub rate_limits: HashMap<Operation, u32>,
}

impl RongCloudSettings {
    /// Settings with the two required values and defaults for the rest.
    pub fn new(app_key: impl Into<String>, app_secret: impl Into<SecretString>) -> Self {
        RongCloudSettings {
            app_key: app_key.into(),
            app_secret: app_secret.into(),
            region: None,
            base_urls: Vec::new(),
            allow_insecure_http: false,
            timeout: None,
            connect_timeout: None,
            cooldown: None,
            max_attempts: None,
            retry_attempts: None,
            rate_limits: HashMap::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use imbridge_core::ExposeSecret;

    const FILE: &str = r#"
provider = "tencent"
[tencent]
sdkappid = 1400000000
secret_key = "file-secret"
admin = "administrator"
region = "singapore"
timeout_secs = 7.5
[rongcloud]
app_key = "key"
app_secret = "rc-secret"
base_urls = ["https://a.example", "https://b.example"]
"#;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn the_documented_file_format_works() {
        let c = ProviderConfig::from_toml_str(FILE).unwrap();
        assert_eq!(c.provider, Some(Vendor::Tencent));
        let t = c.tencent.unwrap();
        assert_eq!(
            (t.sdkappid, t.admin.as_str(), t.region.as_deref()),
            (1400000000, "administrator", Some("singapore"))
        );
        assert_eq!(t.timeout, Some(Duration::from_millis(7500)));
        assert_eq!(t.secret_key.expose_secret(), "file-secret");
        let r = c.rongcloud.unwrap();
        assert_eq!(r.base_urls, ["https://a.example", "https://b.example"]);
        assert!(
            !format!("{r:?}").contains("rc-secret"),
            "secrets stay redacted in Debug"
        );
    }

    #[test]
    fn flipping_one_line_switches_vendor() {
        let c = ProviderConfig::from_toml_str(
            &FILE.replace("provider = \"tencent\"", "provider = \"rongcloud\""),
        )
        .unwrap();
        assert_eq!(c.provider, Some(Vendor::RongCloud));
    }

    #[test]
    fn environment_overrides_the_file_and_overrides_override_both() {
        let b = ConfigBuilder::new().toml_str(FILE, "test").unwrap();
        let b = b
            .env_vars(env(&[
                ("IMBRIDGE_PROVIDER", "rongcloud"),
                ("IMBRIDGE_TENCENT_SDKAPPID", "1400000099"),
                (
                    "IMBRIDGE_TENCENT_BASE_URLS",
                    "http://127.0.0.1:1, http://127.0.0.1:2",
                ),
                ("IMBRIDGE_RONGCLOUD_MAX_ATTEMPTS", "3"),
                ("IMBRIDGE_TENCENT_ALLOW_INSECURE_HTTP", "yes"),
                ("PATH", "/usr/bin"),
                ("IMBRIDGE_LOG", "ignored: not a section variable"),
            ]))
            .unwrap();
        assert!(!format!("{b:?}").contains("file-secret"), "{b:?}");
        let c = b
            .set("tencent.admin", "flag-admin", "--admin")
            .unwrap()
            .build()
            .unwrap();
        assert_eq!(c.provider, Some(Vendor::RongCloud));
        let t = c.tencent.unwrap();
        assert_eq!(t.sdkappid, 1400000099);
        assert_eq!(t.admin, "flag-admin");
        assert!(t.allow_insecure_http);
        // base_urls from the environment replaced the file's region.
        assert_eq!(t.region, None);
        assert_eq!(t.base_urls, ["http://127.0.0.1:1", "http://127.0.0.1:2"]);
        assert_eq!(c.rongcloud.unwrap().max_attempts, Some(3));
    }

    #[test]
    fn environment_alone_is_enough() {
        let c = ConfigBuilder::new()
            .env_vars(env(&[
                ("IMBRIDGE_PROVIDER", "tencent"),
                ("IMBRIDGE_TENCENT_SDKAPPID", "1"),
                ("IMBRIDGE_TENCENT_SECRET_KEY", "k"),
                ("IMBRIDGE_TENCENT_ADMIN", "a"),
            ]))
            .unwrap()
            .build()
            .unwrap();
        assert_eq!(c.provider, Some(Vendor::Tencent));
        assert!(c.rongcloud.is_none());
        assert_eq!(c.vendors(), [Vendor::Tencent]);
    }

    #[track_caller]
    fn err_of<T: fmt::Debug>(r: Result<T>) -> String {
        let e = r.unwrap_err();
        assert_eq!(e.kind(), imbridge_core::ErrorKind::Config);
        let text = e.to_string();
        for secret in ["file-secret", "rc-secret", "s3cr3t", "987654321"] {
            assert!(!text.contains(secret), "a secret leaked: {text}");
        }
        text
    }

    #[test]
    fn errors_name_the_key_and_where_it_came_from() {
        let unknown = err_of(ProviderConfig::from_toml_str(
            &FILE.replace("region =", "regoin ="),
        ));
        assert!(
            unknown.contains("unknown key `tencent.regoin`") && unknown.contains("config text"),
            "{unknown}"
        );
        assert!(
            unknown.contains("region"),
            "lists the known keys: {unknown}"
        );

        let top = err_of(ProviderConfig::from_toml_str("provder = \"tencent\""));
        assert!(top.contains("unknown key `provder`"), "{top}");

        let typed = err_of(ProviderConfig::from_toml_str(
            &FILE.replace("sdkappid = 1400000000", "sdkappid = \"s3cr3t\""),
        ));
        assert!(
            typed.contains("`tencent.sdkappid`") && typed.contains("unsigned integer"),
            "{typed}"
        );

        let missing = err_of(ProviderConfig::from_toml_str(
            &FILE.replace("admin = \"administrator\"\n", ""),
        ));
        assert!(
            missing.contains("`tencent.admin` is missing")
                && missing.contains("IMBRIDGE_TENCENT_ADMIN"),
            "{missing}"
        );

        let bad_env = err_of(
            ConfigBuilder::new()
                .env_vars(env(&[("IMBRIDGE_TENCENT_SDKAPID", "1")]))
                .and_then(ConfigBuilder::build),
        );
        assert!(
            bad_env.contains("unknown environment variable `IMBRIDGE_TENCENT_SDKAPID`"),
            "{bad_env}"
        );
        assert!(
            bad_env.contains("IMBRIDGE_TENCENT_SDKAPPID"),
            "lists the known names: {bad_env}"
        );

        // A malformed value is reported when its section is checked: at build for the
        // selected vendor (for another vendor, when it is used; see below).
        let bad_env_value = err_of(
            ConfigBuilder::new()
                .env_vars(env(&[
                    ("IMBRIDGE_PROVIDER", "tencent"),
                    ("IMBRIDGE_TENCENT_SDKAPPID", "s3cr3t"),
                ]))
                .and_then(ConfigBuilder::build),
        );
        assert!(
            bad_env_value.contains("`IMBRIDGE_TENCENT_SDKAPPID` must be an unsigned integer"),
            "{bad_env_value}"
        );

        let vendor = err_of(ProviderConfig::from_toml_str(
            &FILE.replace("provider = \"tencent\"", "provider = \"wechat\""),
        ));
        assert!(
            vendor.contains("`provider`") && vendor.contains("\"tencent\" or \"rongcloud\""),
            "{vendor}"
        );

        let no_section = err_of(ProviderConfig::from_toml_str("provider = \"rongcloud\""));
        assert!(
            no_section.contains("no [rongcloud] section")
                && no_section.contains("IMBRIDGE_RONGCLOUD_"),
            "{no_section}"
        );

        let not_toml = err_of(ProviderConfig::from_toml_str("provider = "));
        assert!(not_toml.contains("not valid TOML"), "{not_toml}");
    }

    #[test]
    fn values_are_never_echoed_not_even_in_serde_or_toml_messages() {
        // A type error on a secret (serde would say `invalid type: integer 987654321`).
        let e = err_of(ProviderConfig::from_toml_str(
            &FILE.replace("\"file-secret\"", "987654321"),
        ));
        assert!(
            e.contains("`tencent.secret_key` in config text must be a string"),
            "{e}"
        );
        let e = err_of(ProviderConfig::from_toml_str(
            &FILE.replace("\"file-secret\"", "[\"s3cr3t\", 987654321]"),
        ));
        assert!(e.contains("`tencent.secret_key`"), "{e}");
        // A list item of the wrong type.
        let e = err_of(ProviderConfig::from_toml_str(
            &FILE
                .replace("provider = \"tencent\"", "provider = \"rongcloud\"")
                .replace("\"https://b.example\"", "987654321"),
        ));
        assert!(
            e.contains("`rongcloud.base_urls` in config text must be a list of strings"),
            "{e}"
        );
        // A bad flag or variable value on a secret-free key, for good measure.
        let e = err_of(
            ConfigBuilder::new()
                .toml_str(FILE, "text")
                .and_then(|b| b.set("tencent.timeout_secs", "s3cr3t", "--timeout"))
                .and_then(ConfigBuilder::build),
        );
        assert!(
            e.contains("`--timeout` (`tencent.timeout_secs`) must be a non-negative number"),
            "{e}"
        );
        let e = err_of(
            ConfigBuilder::new()
                .toml_str(FILE, "text")
                .and_then(|b| b.set("tencent.timeout_secs", "-1", "--timeout"))
                .and_then(ConfigBuilder::build),
        );
        assert!(e.contains("non-negative"), "{e}");
        // TOML's own parse errors quote the line; ours give its number only.
        let e = err_of(ProviderConfig::from_toml_str(
            "[tencent]\nsecret_key = \"s3cr3t\nadmin = \"a\"\n",
        ));
        assert!(e.contains("not valid TOML") && e.contains("line 2"), "{e}");
    }

    #[cfg(feature = "tencent")]
    #[test]
    fn regions_are_checked_early_with_their_origin() {
        let e = err_of(ProviderConfig::from_toml_str(
            &FILE.replace("\"singapore\"", "\"mars\""),
        ));
        assert!(
            e.contains("`tencent.region`") && e.contains("config text") && e.contains("mars"),
            "{e}"
        );
    }

    #[test]
    fn files_are_named_in_errors() {
        let dir = std::env::temp_dir().join(format!("imbridge-config-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("imbridge.toml");
        std::fs::write(&path, "provider = \"tencent\"\n[tencent]\nsdkappid = -1\n").unwrap();
        let e = err_of(
            ConfigBuilder::new()
                .file(&path)
                .and_then(ConfigBuilder::build),
        );
        assert!(
            e.contains(&format!("config file `{}`", path.display())),
            "{e}"
        );
        assert!(e.contains("`tencent.sdkappid`"), "{e}");
        let e = err_of(
            ConfigBuilder::new()
                .file(dir.join("absent.toml"))
                .and_then(ConfigBuilder::build),
        );
        assert!(
            e.contains("cannot read config file") && e.contains("absent.toml"),
            "{e}"
        );
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn rate_limits_come_from_tables_variables_and_flags_operation_by_operation() {
        let text = format!(
            "{FILE}[tencent.rate_limits]\nsend_message = 50\ncreate_group = 7\n\
             [rongcloud.rate_limits]\nregister_user = 0\n"
        );
        let c = ConfigBuilder::new()
            .toml_str(&text, "text")
            .unwrap()
            .env_vars(env(&[
                ("IMBRIDGE_TENCENT_RATE_LIMITS_SEND_MESSAGE", "40"),
                ("IMBRIDGE_TENCENT_RATE_LIMITS_SET_PROFILE", "9"),
            ]))
            .unwrap()
            .set("tencent.rate_limits.create_group", "3", "--rate-limit")
            .unwrap()
            .build()
            .unwrap();
        let t = c.tencent.unwrap();
        let expected: HashMap<Operation, u32> = [
            (Operation::SendMessage, 40),
            (Operation::CreateGroup, 3),
            (Operation::SetProfile, 9),
        ]
        .into();
        assert_eq!(t.rate_limits, expected);
        assert_eq!(
            c.rongcloud.unwrap().rate_limits,
            HashMap::from([(Operation::RegisterUser, 0)])
        );

        // Inline tables work too.
        let c = ProviderConfig::from_toml_str(&FILE.replace(
            "timeout_secs = 7.5",
            "timeout_secs = 7.5\nrate_limits = { send_message = 5 }\nretry_attempts = 5",
        ))
        .unwrap();
        let t = c.tencent.unwrap();
        assert_eq!(t.rate_limits[&Operation::SendMessage], 5);
        assert_eq!(t.retry_attempts, Some(5));
    }

    #[test]
    fn unknown_operations_are_errors_that_say_where_the_names_are() {
        for e in [
            err_of(ProviderConfig::from_toml_str(&format!(
                "{FILE}[tencent.rate_limits]\nsend_msg = 5\n"
            ))),
            err_of(
                ConfigBuilder::new()
                    .env_vars(env(&[("IMBRIDGE_TENCENT_RATE_LIMITS_SEND_MSG", "5")]))
                    .and_then(ConfigBuilder::build),
            ),
            err_of(
                ConfigBuilder::new()
                    .set("tencent.rate_limits.send_msg", "5", "--rate-limit")
                    .and_then(ConfigBuilder::build),
            ),
        ] {
            assert!(
                e.contains("unknown operation `send_msg`")
                    && e.contains("docs/configuration.md")
                    && e.contains("send_message"),
                "{e}"
            );
        }
        let e = err_of(ProviderConfig::from_toml_str(&format!(
            "{FILE}[tencent.rate_limits]\nsend_message = \"fast\"\n"
        )));
        assert!(
            e.contains("`tencent.rate_limits.send_message` in config text must be a whole number"),
            "{e}"
        );
        let e = err_of(
            ConfigBuilder::new()
                .env_vars(env(&[("IMBRIDGE_TENCENT_RATE_LIMITS", "5")]))
                .and_then(ConfigBuilder::build),
        );
        assert!(
            e.contains("IMBRIDGE_TENCENT_RATE_LIMITS_{OPERATION}"),
            "{e}"
        );
        let e = err_of(ProviderConfig::from_toml_str(
            &FILE.replace("timeout_secs = 7.5", "rate_limits = 5"),
        ));
        assert!(
            e.contains("`tencent.rate_limits` in config text must be a table"),
            "{e}"
        );
    }

    #[test]
    fn callback_tokens_are_secret_keys() {
        let c = ConfigBuilder::new()
            .toml_str(FILE, "text")
            .unwrap()
            .env_vars(env(&[("IMBRIDGE_TENCENT_CALLBACK_TOKEN", "cb-s3cr3t")]))
            .unwrap()
            .build()
            .unwrap();
        let t = c.tencent_settings().unwrap();
        assert_eq!(
            t.callback_token().map(|s| s.expose_secret()),
            Some("cb-s3cr3t")
        );
        assert!(!format!("{c:?}").contains("cb-s3cr3t"));
        assert!(
            ProviderConfig::from_toml_str(FILE)
                .unwrap()
                .tencent_settings()
                .unwrap()
                .callback_token()
                .is_none()
        );
    }

    /// The walkthrough's case: RongCloud selected and configured, plus a Tencent variable left
    /// over in the shell.
    #[test]
    fn only_the_selected_vendor_is_checked() {
        let stray = ConfigBuilder::new()
            .env_vars(env(&[
                ("IMBRIDGE_PROVIDER", "rongcloud"),
                ("IMBRIDGE_RONGCLOUD_APP_KEY", "key"),
                ("IMBRIDGE_RONGCLOUD_APP_SECRET", "rc-secret"),
                ("IMBRIDGE_TENCENT_SECRET_KEY", "file-secret"),
                ("IMBRIDGE_TENCENT_TIMEOUT_SECS", "s3cr3t"),
            ]))
            .unwrap()
            .build()
            .unwrap();
        assert_eq!(stray.rongcloud_settings().unwrap().app_key, "key");
        assert!(stray.tencent.is_none());
        assert_eq!(stray.vendors(), [Vendor::Tencent, Vendor::RongCloud]);
        // Asking for Tencent reports its section's problem, with its origin.
        let e = err_of(stray.tencent_settings());
        assert!(
            e.contains("`tencent.sdkappid` is missing")
                || e.contains("`IMBRIDGE_TENCENT_TIMEOUT_SECS` must be"),
            "{e}"
        );
        assert!(!format!("{stray:?}").contains("file-secret"));

        // The other way round, from a file.
        let c = ProviderConfig::from_toml_str(
            "provider = \"tencent\"\n[tencent]\nsdkappid = 1\nsecret_key = \"k\"\nadmin = \"a\"\n\
             [rongcloud]\napp_secret = \"rc-secret\"\n",
        )
        .unwrap();
        assert!(c.tencent_settings().is_ok());
        let e = err_of(c.rongcloud_settings());
        assert!(e.contains("`rongcloud.app_key` is missing"), "{e}");

        // Unknown keys and variables are errors wherever they are.
        let e = err_of(
            ConfigBuilder::new()
                .env_vars(env(&[
                    ("IMBRIDGE_PROVIDER", "rongcloud"),
                    ("IMBRIDGE_RONGCLOUD_APP_KEY", "key"),
                    ("IMBRIDGE_RONGCLOUD_APP_SECRET", "rc-secret"),
                    ("IMBRIDGE_TENCENT_SECRETKEY", "file-secret"),
                ]))
                .and_then(ConfigBuilder::build),
        );
        assert!(e.contains("`IMBRIDGE_TENCENT_SECRETKEY`"), "{e}");
        let e = err_of(ProviderConfig::from_toml_str(
            "provider = \"tencent\"\n[tencent]\nsdkappid = 1\nsecret_key = \"k\"\nadmin = \"a\"\n\
             [rongcloud]\napp_sekret = \"rc-secret\"\n",
        ));
        assert!(e.contains("unknown key `rongcloud.app_sekret`"), "{e}");
    }

    #[test]
    fn an_app_keeps_the_settings_in_its_own_file() {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct AppConfig {
            listen: String,
            imbridge: ProviderConfig,
        }
        let text = format!("listen = \"127.0.0.1:8080\"\n[imbridge]\n{}", {
            FILE.replace("[tencent]", "[imbridge.tencent]")
                .replace("[rongcloud]", "[imbridge.rongcloud]")
        });
        let app: AppConfig = toml::from_str(&text).unwrap();
        assert_eq!(app.listen, "127.0.0.1:8080");
        assert_eq!(
            app.imbridge.tencent_settings().unwrap().sdkappid,
            1400000000
        );

        // Errors from inside keep naming the key, not the value.
        let bad = text.replace("sdkappid = 1400000000", "sdkappid = \"s3cr3t\"");
        let e = toml::from_str::<AppConfig>(&bad).err().unwrap().to_string();
        assert!(
            e.contains("`tencent.sdkappid`") && e.contains("unsigned integer"),
            "{e}"
        );

        // Layering the environment over the app's table.
        let table: toml::Table = toml::from_str(&text).unwrap();
        let Some(toml::Value::Table(ours)) = table.get("imbridge").cloned() else {
            panic!("no [imbridge] table")
        };
        let c = ConfigBuilder::new()
            .table(ours.clone(), "app.toml [imbridge]")
            .unwrap()
            .env_vars(env(&[("IMBRIDGE_TENCENT_ADMIN", "boss")]))
            .unwrap()
            .build()
            .unwrap();
        assert_eq!(c.tencent.unwrap().admin, "boss");
        let mut wrong = ours;
        wrong.insert("tencnet".into(), toml::Value::Table(toml::Table::new()));
        let e = err_of(ProviderConfig::from_table(wrong));
        assert!(e.contains("unknown key `tencnet` in config table"), "{e}");
    }

    #[test]
    fn single_keys_can_be_read_without_their_section() {
        let b = ConfigBuilder::new()
            .env_vars(env(&[
                ("IMBRIDGE_TENCENT_SDKAPPID", "1400000000"),
                ("IMBRIDGE_TENCENT_SECRET_KEY", "k"),
                ("IMBRIDGE_TENCENT_RATE_LIMITS_SEND_MESSAGE", "5"),
            ]))
            .unwrap();
        assert_eq!(b.get::<u64>("tencent.sdkappid").unwrap(), Some(1400000000));
        assert_eq!(
            b.get::<String>("tencent.secret_key").unwrap().as_deref(),
            Some("k")
        );
        assert_eq!(b.get::<String>("tencent.admin").unwrap(), None);
        assert_eq!(
            b.get::<u32>("tencent.rate_limits.send_message").unwrap(),
            Some(5)
        );
        assert!(b.is_set("tencent.rate_limits") && b.is_set("tencent.rate_limits.send_message"));
        assert!(!b.is_set("tencent.rate_limits.create_group") && !b.is_set("provider"));
        let b = b.set("tencent.sdkappid", "s3cr3t", "--sdkappid").unwrap();
        let e = err_of(b.get::<u64>("tencent.sdkappid"));
        assert!(
            e.contains("`--sdkappid` (`tencent.sdkappid`) must be an unsigned integer"),
            "{e}"
        );
        assert!(b.get::<u64>("tencent.nope").is_err());
        assert!(b.set_list("tencent.admin", &[], "--x").is_err());
    }
}

/// The key lists equal the settings structs, and docs/configuration.md equals the key lists.
#[cfg(test)]
mod drift {
    use super::*;

    /// The field names serde reads for `T`, taken from its derived `Deserialize`.
    fn fields_of<T: DeserializeOwned>() -> &'static [&'static str] {
        struct Probe<'a>(&'a mut &'static [&'static str]);
        impl<'de> Deserializer<'de> for Probe<'_> {
            type Error = DeError;
            fn deserialize_any<V: Visitor<'de>>(
                self,
                _: V,
            ) -> std::result::Result<V::Value, DeError> {
                Err(DeError::Custom("not a struct".into()))
            }
            fn deserialize_struct<V: Visitor<'de>>(
                self,
                _: &'static str,
                fields: &'static [&'static str],
                _: V,
            ) -> std::result::Result<V::Value, DeError> {
                *self.0 = fields;
                Err(DeError::Custom("probed".into()))
            }
            serde::forward_to_deserialize_any! {
                bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
                byte_buf option unit unit_struct newtype_struct seq tuple tuple_struct map enum
                identifier ignored_any
            }
        }
        let mut fields: &'static [&'static str] = &[];
        let _ = T::deserialize(Probe(&mut fields));
        fields
    }

    fn sample(kind: ValueKind) -> Option<&'static str> {
        match kind {
            Text | Secret => Some("x"),
            UInt => Some("3"),
            Seconds => Some("7.5"),
            Bool => Some("yes"),
            List => Some("http://127.0.0.1:1,http://127.0.0.1:2"),
            PerOperation => None,
        }
    }

    /// A builder with every key of `vendor` set from text, as the environment would, except
    /// `skip`.
    fn every_key(vendor: Vendor, skip: &str) -> ConfigBuilder {
        let (section, keys) = section_of(vendor).unwrap();
        let mut b = ConfigBuilder::new();
        for k in keys.iter().filter(|k| k.name != skip && k.name != "region") {
            let key = match k.kind {
                PerOperation => format!("{section}.{}.send_message", k.name),
                _ => format!("{section}.{}", k.name),
            };
            b = b
                .set(&key, sample(k.kind).unwrap_or("5"), "--test")
                .unwrap();
        }
        b
    }

    #[test]
    fn the_key_lists_are_the_settings_fields() {
        for (vendor, fields) in [
            (Vendor::Tencent, fields_of::<TencentSettings>()),
            (Vendor::RongCloud, fields_of::<RongCloudSettings>()),
        ] {
            let (section, keys) = section_of(vendor).unwrap();
            let mut listed: Vec<&str> = keys.iter().map(|k| k.name).collect();
            let mut fields = fields.to_vec();
            listed.sort_unstable();
            fields.sort_unstable();
            assert_eq!(listed, fields, "[{section}] keys vs fields");

            // Every key takes a value of its kind from text; a required key is needed, the
            // others are not. (`region` is checked against the vendor's names, not here.)
            every_key(vendor, "").section_check(vendor).unwrap();
            for k in keys.iter().filter(|k| k.name != "region") {
                let without = every_key(vendor, k.name).section_check(vendor);
                assert_eq!(without.is_err(), k.required, "{section}.{}", k.name);
                // Every key that is not text refuses a word, saying what it wants.
                let (key, expected) = match k.kind {
                    Text | Secret | List => continue,
                    PerOperation => (
                        format!("{section}.{}.send_message", k.name),
                        "must be a whole number",
                    ),
                    kind => (format!("{section}.{}", k.name), kind.expected()),
                };
                let wrong = every_key(vendor, "")
                    .set(&key, "not-a-value", "--wrong")
                    .unwrap()
                    .section_check(vendor)
                    .unwrap_err();
                assert!(wrong.message().contains(expected), "{key}: {wrong}");
            }
        }
    }

    impl ConfigBuilder {
        fn section_check(&self, vendor: Vendor) -> Result<()> {
            match vendor {
                Vendor::Tencent => self.section::<TencentSettings>(vendor).map(drop),
                _ => self.section::<RongCloudSettings>(vendor).map(drop),
            }
        }
    }

    fn rows() -> Vec<String> {
        SECTIONS
            .iter()
            .flat_map(|(_, section, keys)| {
                keys.iter().map(move |k| {
                    format!(
                        "| `{}` | `{}` | {} | {} | {} |",
                        k.name,
                        k.env_var(section),
                        k.kind.doc_name(),
                        if k.required { "yes" } else { "no" },
                        k.doc
                    )
                })
            })
            .collect()
    }

    #[test]
    fn docs_have_one_row_per_key_and_no_other() {
        let doc = include_str!("../docs/configuration.md");
        let documented: Vec<&str> = doc
            .lines()
            .filter(|l| l.starts_with("| `") && l.contains("| `IMBRIDGE_"))
            .collect();
        let expected = rows();
        for row in &expected {
            assert!(
                documented.contains(&row.as_str()),
                "docs/configuration.md lacks the row\n{row}"
            );
        }
        for row in &documented {
            assert!(
                expected.iter().any(|r| r == row),
                "docs/configuration.md has a row for no key (or an outdated one)\n{row}"
            );
        }
        assert_eq!(
            documented.len(),
            expected.len(),
            "a key is documented twice"
        );
        assert!(doc.contains("`IMBRIDGE_PROVIDER`"));
    }
}
