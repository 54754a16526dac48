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
//! [rongcloud]
//! app_key = "..."
//! app_secret = "..."
//! base_urls = ["https://…"]       # or region = "…"
//! ```
//!
//! Every key can also come from the environment as `IMBRIDGE_PROVIDER` or
//! `IMBRIDGE_{TENCENT|RONGCLOUD}_{KEY}` (lists comma-separated), which overrides the file.
//! Unknown keys and unknown `IMBRIDGE_TENCENT_*` / `IMBRIDGE_RONGCLOUD_*` variables are errors
//! that name them; every error names the key and where its value came from. Values are never
//! echoed, since some are secrets. The full list of keys is in [`TENCENT_KEYS`] and
//! [`RONGCLOUD_KEYS`] and in `docs/configuration.md`.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use imbridge_core::{Error, Result, SecretString, Vendor};

/// The kind of value a key holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueKind {
    /// A string.
    Text,
    /// A string that is a secret: never shown.
    Secret,
    /// An unsigned integer.
    UInt,
    /// A number of seconds (integer or decimal).
    Seconds,
    /// `true` or `false` (environment: also `1`/`0`, `yes`/`no`).
    Bool,
    /// A list of strings (environment: comma-separated).
    List,
}

impl ValueKind {
    fn expected(self) -> &'static str {
        match self {
            ValueKind::Text | ValueKind::Secret => "a string",
            ValueKind::UInt => "an unsigned integer",
            ValueKind::Seconds => "a non-negative number of seconds",
            ValueKind::Bool => "true or false",
            ValueKind::List => "a list of strings",
        }
    }
}

/// One configuration key of a vendor section.
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

const fn key(name: &'static str, kind: ValueKind, required: bool, doc: &'static str) -> KeySpec {
    KeySpec {
        name,
        kind,
        required,
        doc,
    }
}

use ValueKind::*;

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
        "china, singapore, seoul, tokyo, frankfurt, silicon-valley, jakarta or mumbai",
    ),
    key(
        "base_urls",
        List,
        false,
        "own base URLs instead of a region; the first is the primary",
    ),
    key(
        "allow_insecure_http",
        Bool,
        false,
        "allow http:// on hosts other than loopback",
    ),
    key(
        "timeout_secs",
        Seconds,
        false,
        "per-request timeout (default 10, must exceed 3)",
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
];

/// The keys of the `[rongcloud]` section.
pub const RONGCLOUD_KEYS: &[KeySpec] = &[
    key("app_key", Text, true, "the app key"),
    key("app_secret", Secret, true, "the app secret"),
    key(
        "region",
        Text,
        false,
        "beijing, singapore, singapore-b, north-america or saudi-arabia",
    ),
    key(
        "base_urls",
        List,
        false,
        "own base URLs instead of a region; the first is the primary",
    ),
    key(
        "allow_insecure_http",
        Bool,
        false,
        "allow http:// on hosts other than loopback",
    ),
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
        "most domains one call may try (default: all)",
    ),
];

/// The sections and their keys.
const SECTIONS: [(Vendor, &str, &[KeySpec]); 2] = [
    (Vendor::Tencent, "tencent", TENCENT_KEYS),
    (Vendor::RongCloud, "rongcloud", RONGCLOUD_KEYS),
];

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

#[derive(Debug, Clone)]
enum Value {
    Text(String),
    UInt(u64),
    Seconds(f64),
    Bool(bool),
    List(Vec<String>),
}

/// Collects configuration layers and builds a [`ProviderConfig`].
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
#[derive(Debug, Default)]
pub struct ConfigBuilder {
    provider: Option<(String, Origin)>,
    values: BTreeMap<(Vendor, &'static str), (Value, Origin)>,
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

    /// Adds TOML text; `name` says where it came from in error messages.
    pub fn toml_str(self, text: &str, name: &str) -> Result<Self> {
        self.toml(text, Origin::Text(name.to_owned()))
    }

    /// Adds the process environment (`IMBRIDGE_*`), overriding files.
    pub fn env(self) -> Result<Self> {
        self.env_vars(std::env::vars())
    }

    /// Adds these environment variables, overriding files; others than `IMBRIDGE_*` are ignored.
    pub fn env_vars<I>(mut self, vars: I) -> Result<Self>
    where
        I: IntoIterator<Item = (String, String)>,
    {
        let mut vars: Vec<(String, String)> = vars
            .into_iter()
            .filter(|(k, v)| k.starts_with("IMBRIDGE_") && !v.is_empty())
            .collect();
        vars.sort();
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
            let spec = keys.iter().find(|k| k.name == rest).ok_or_else(|| {
                let known: Vec<String> = keys
                    .iter()
                    .map(|k| {
                        format!(
                            "IMBRIDGE_{}_{}",
                            section.to_ascii_uppercase(),
                            k.name.to_ascii_uppercase()
                        )
                    })
                    .collect();
                Error::config(format!(
                    "unknown environment variable `{name}` (known: {})",
                    known.join(", ")
                ))
            })?;
            let value = parse_text(spec, &raw).map_err(|expected| {
                Error::config(format!("environment variable `{name}` must be {expected}"))
            })?;
            self.insert(vendor, spec.name, value, origin);
        }
        Ok(self)
    }

    /// Sets one value from an explicit source such as a command-line flag (highest precedence).
    /// `key` is `provider` or `section.key` (`tencent.sdkappid`); `origin` names the source
    /// (`--sdkappid`) in error messages.
    pub fn set(mut self, key: &str, value: &str, origin: &str) -> Result<Self> {
        let origin = Origin::Override(origin.to_owned());
        if key == "provider" {
            self.provider = Some((value.to_owned(), origin));
            return Ok(self);
        }
        let (vendor, spec) = find_key(key)
            .ok_or_else(|| Error::config(format!("unknown configuration key `{key}`")))?;
        let parsed = parse_text(spec, value)
            .map_err(|expected| Error::config(format!("{origin} must be {expected}")))?;
        self.insert(vendor, spec.name, parsed, origin);
        Ok(self)
    }

    /// Sets a list value (e.g. repeated `--base-url` flags) with the highest precedence.
    pub fn set_list(mut self, key: &str, values: &[String], origin: &str) -> Result<Self> {
        let (vendor, spec) = find_key(key)
            .filter(|(_, s)| s.kind == ValueKind::List)
            .ok_or_else(|| Error::config(format!("`{key}` is not a list key")))?;
        self.insert(
            vendor,
            spec.name,
            Value::List(values.to_vec()),
            Origin::Override(origin.to_owned()),
        );
        Ok(self)
    }

    /// The provider name as given so far, before it is checked.
    pub fn provider_name(&self) -> Option<&str> {
        self.provider.as_ref().map(|(name, _)| name.as_str())
    }

    /// The merged string value of `section.key`, if set (secrets included: handle with care).
    pub fn get_text(&self, key: &str) -> Option<String> {
        let (vendor, spec) = find_key(key)?;
        match self.values.get(&(vendor, spec.name)) {
            Some((Value::Text(s), _)) => Some(s.clone()),
            _ => None,
        }
    }

    /// The merged unsigned-integer value of `section.key`, if set.
    pub fn get_u64(&self, key: &str) -> Option<u64> {
        let (vendor, spec) = find_key(key)?;
        match self.values.get(&(vendor, spec.name)) {
            Some((Value::UInt(n), _)) => Some(*n),
            _ => None,
        }
    }

    /// Whether any layer set `key` (`provider` or `section.key`).
    pub fn is_set(&self, key: &str) -> bool {
        if key == "provider" {
            return self.provider.is_some();
        }
        find_key(key).is_some_and(|(v, spec)| self.values.contains_key(&(v, spec.name)))
    }

    fn toml(mut self, text: &str, origin: Origin) -> Result<Self> {
        let table: toml::Table = text
            .parse()
            .map_err(|e| Error::config(format!("{origin} is not valid TOML: {e}")))?;
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
            let body = value.as_table().ok_or_else(|| {
                Error::config(format!("`{top}` in {origin} must be a [{top}] section"))
            })?;
            for (name, value) in body {
                let spec = keys.iter().find(|k| k.name == name).ok_or_else(|| {
                    let known: Vec<&str> = keys.iter().map(|k| k.name).collect();
                    Error::config(format!(
                        "unknown key `{section}.{name}` in {origin} (known: {})",
                        known.join(", ")
                    ))
                })?;
                let parsed = parse_toml(spec, value).map_err(|expected| {
                    Error::config(format!("`{section}.{name}` in {origin} must be {expected}"))
                })?;
                self.insert(*vendor, spec.name, parsed, origin.clone());
            }
        }
        Ok(self)
    }

    fn insert(&mut self, vendor: Vendor, key: &'static str, value: Value, origin: Origin) {
        // `region` and `base_urls` are alternatives: a higher layer setting one drops the other.
        let other = match key {
            "region" => Some("base_urls"),
            "base_urls" => Some("region"),
            _ => None,
        };
        if let Some(other) = other
            && self
                .values
                .get(&(vendor, other))
                .is_some_and(|(_, o)| o.rank() < origin.rank())
        {
            self.values.remove(&(vendor, other));
        }
        self.values.insert((vendor, key), (value, origin));
    }

    /// Checks every section that has any value and builds the configuration.
    pub fn build(self) -> Result<ProviderConfig> {
        let provider = match &self.provider {
            None => None,
            Some((name, origin)) => Some(
                Vendor::ALL
                    .into_iter()
                    .find(|v| v.as_str() == name.trim().to_ascii_lowercase())
                    .ok_or_else(|| {
                        Error::config(format!(
                            "`provider` from {origin} must be \"tencent\" or \"rongcloud\""
                        ))
                    })?,
            ),
        };
        let tencent = self
            .section_present(Vendor::Tencent)
            .then(|| self.tencent())
            .transpose()?;
        let rongcloud = self
            .section_present(Vendor::RongCloud)
            .then(|| self.rongcloud())
            .transpose()?;
        if let (Some(vendor), Some((_, origin))) = (provider, &self.provider) {
            let missing = match vendor {
                Vendor::Tencent => tencent.is_none(),
                _ => rongcloud.is_none(),
            };
            if missing {
                let upper = vendor.as_str().to_ascii_uppercase();
                return Err(Error::config(format!(
                    "`provider` is \"{vendor}\" (from {origin}) but there is no [{vendor}] section \
                     and no IMBRIDGE_{upper}_* variable"
                )));
            }
        }
        Ok(ProviderConfig {
            provider,
            tencent,
            rongcloud,
        })
    }

    fn section_present(&self, vendor: Vendor) -> bool {
        self.values.keys().any(|(v, _)| *v == vendor)
    }

    fn get(&self, vendor: Vendor, key: &'static str) -> Result<Option<&Value>> {
        let (_, section, keys) = SECTIONS
            .iter()
            .find(|(v, _, _)| *v == vendor)
            .copied()
            .unwrap_or(SECTIONS[0]);
        let spec = keys.iter().find(|k| k.name == key);
        match self.values.get(&(vendor, key)) {
            Some((value, _)) => Ok(Some(value)),
            None if spec.is_some_and(|s| s.required) => {
                let hint = self
                    .values
                    .iter()
                    .find(|((v, _), _)| *v == vendor)
                    .map(|(_, (_, o))| format!(" (the section's other values come from {o})"))
                    .unwrap_or_default();
                Err(Error::config(format!(
                    "`{section}.{key}` is missing{hint}; set it in the config file or as IMBRIDGE_{}_{}",
                    section.to_ascii_uppercase(),
                    key.to_ascii_uppercase()
                )))
            }
            None => Ok(None),
        }
    }

    fn text(&self, vendor: Vendor, key: &'static str) -> Result<Option<String>> {
        Ok(match self.get(vendor, key)? {
            Some(Value::Text(s)) => Some(s.clone()),
            _ => None,
        })
    }

    fn uint(&self, vendor: Vendor, key: &'static str) -> Result<Option<u64>> {
        Ok(match self.get(vendor, key)? {
            Some(Value::UInt(n)) => Some(*n),
            _ => None,
        })
    }

    fn seconds(&self, vendor: Vendor, key: &'static str) -> Result<Option<Duration>> {
        Ok(match self.get(vendor, key)? {
            Some(Value::Seconds(s)) => Some(Duration::from_secs_f64(*s)),
            _ => None,
        })
    }

    fn flag(&self, vendor: Vendor, key: &'static str) -> Result<bool> {
        Ok(matches!(self.get(vendor, key)?, Some(Value::Bool(true))))
    }

    fn list(&self, vendor: Vendor, key: &'static str) -> Result<Vec<String>> {
        Ok(match self.get(vendor, key)? {
            Some(Value::List(items)) => items.clone(),
            _ => Vec::new(),
        })
    }

    fn origin(&self, vendor: Vendor, key: &'static str) -> String {
        self.values
            .get(&(vendor, key))
            .map(|(_, o)| o.to_string())
            .unwrap_or_default()
    }

    fn tencent(&self) -> Result<TencentSettings> {
        let v = Vendor::Tencent;
        let region = self.text(v, "region")?;
        check_region(v, region.as_deref(), || self.origin(v, "region"))?;
        Ok(TencentSettings {
            sdkappid: self.uint(v, "sdkappid")?.unwrap_or_default(),
            secret_key: self.text(v, "secret_key")?.unwrap_or_default().into(),
            admin: self.text(v, "admin")?.unwrap_or_default(),
            region,
            base_urls: self.list(v, "base_urls")?,
            allow_insecure_http: self.flag(v, "allow_insecure_http")?,
            timeout: self.seconds(v, "timeout_secs")?,
            connect_timeout: self.seconds(v, "connect_timeout_secs")?,
            admin_sig_ttl: self.seconds(v, "admin_sig_ttl_secs")?,
            user_sig_ttl: self.seconds(v, "user_sig_ttl_secs")?,
        })
    }

    fn rongcloud(&self) -> Result<RongCloudSettings> {
        let v = Vendor::RongCloud;
        let region = self.text(v, "region")?;
        check_region(v, region.as_deref(), || self.origin(v, "region"))?;
        Ok(RongCloudSettings {
            app_key: self.text(v, "app_key")?.unwrap_or_default(),
            app_secret: self.text(v, "app_secret")?.unwrap_or_default().into(),
            region,
            base_urls: self.list(v, "base_urls")?,
            allow_insecure_http: self.flag(v, "allow_insecure_http")?,
            timeout: self.seconds(v, "timeout_secs")?,
            connect_timeout: self.seconds(v, "connect_timeout_secs")?,
            cooldown: self.seconds(v, "cooldown_secs")?,
            max_attempts: self
                .uint(v, "max_attempts")?
                .map(|n| usize::try_from(n).unwrap_or(usize::MAX)),
        })
    }
}

/// Checks a region name when the vendor's backend is compiled in (its names live there).
fn check_region(vendor: Vendor, region: Option<&str>, origin: impl Fn() -> String) -> Result<()> {
    let Some(region) = region else { return Ok(()) };
    let parsed: Result<()> = match vendor {
        #[cfg(feature = "tencent")]
        Vendor::Tencent => region.parse::<imbridge_tencent::Region>().map(drop),
        #[cfg(feature = "rongcloud")]
        Vendor::RongCloud => region.parse::<imbridge_rongcloud::Region>().map(drop),
        _ => Ok(()),
    };
    parsed.map_err(|e| {
        Error::config(format!(
            "`{vendor}.region` from {}: {}",
            origin(),
            e.message()
        ))
    })
}

fn find_key(dotted: &str) -> Option<(Vendor, &'static KeySpec)> {
    let (section, name) = dotted.split_once('.')?;
    SECTIONS
        .iter()
        .find(|(_, s, _)| *s == section)
        .and_then(|(v, _, keys)| keys.iter().find(|k| k.name == name).map(|k| (*v, k)))
}

fn parse_toml(spec: &KeySpec, value: &toml::Value) -> std::result::Result<Value, &'static str> {
    let expected = spec.kind.expected();
    match (spec.kind, value) {
        (Text | Secret, toml::Value::String(s)) => Ok(Value::Text(s.clone())),
        (UInt, toml::Value::Integer(n)) => u64::try_from(*n).map(Value::UInt).map_err(|_| expected),
        (Seconds, toml::Value::Integer(n)) if *n >= 0 => Ok(Value::Seconds(*n as f64)),
        (Seconds, toml::Value::Float(x)) if x.is_finite() && *x >= 0.0 => Ok(Value::Seconds(*x)),
        (Bool, toml::Value::Boolean(b)) => Ok(Value::Bool(*b)),
        (List, toml::Value::String(s)) => Ok(Value::List(vec![s.clone()])),
        (List, toml::Value::Array(items)) => items
            .iter()
            .map(|i| i.as_str().map(str::to_owned).ok_or(expected))
            .collect::<std::result::Result<Vec<_>, _>>()
            .map(Value::List),
        _ => Err(expected),
    }
}

fn parse_text(spec: &KeySpec, raw: &str) -> std::result::Result<Value, &'static str> {
    let expected = spec.kind.expected();
    let trimmed = raw.trim();
    match spec.kind {
        Text | Secret => Ok(Value::Text(raw.to_owned())),
        UInt => trimmed.parse().map(Value::UInt).map_err(|_| expected),
        Seconds => match trimmed.parse::<f64>() {
            Ok(x) if x.is_finite() && x >= 0.0 => Ok(Value::Seconds(x)),
            _ => Err(expected),
        },
        Bool => match trimmed.to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" | "on" => Ok(Value::Bool(true)),
            "false" | "0" | "no" | "off" => Ok(Value::Bool(false)),
            _ => Err(expected),
        },
        List => Ok(Value::List(
            trimmed
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect(),
        )),
    }
}

/// Which vendor to use and how to reach each configured one.
///
/// Build it with [`ProviderConfig::load`] (a file plus the environment), [`ConfigBuilder`], or
/// directly from the settings structs; turn it into a provider with [`connect`](crate::connect).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ProviderConfig {
    /// The vendor [`connect`](crate::connect) uses (`provider = "…"`).
    pub provider: Option<Vendor>,
    /// The `[tencent]` section, if any value of it was given.
    pub tencent: Option<TencentSettings>,
    /// The `[rongcloud]` section, if any value of it was given.
    pub rongcloud: Option<RongCloudSettings>,
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

    /// A configuration that selects Tencent with these settings.
    pub fn tencent(settings: TencentSettings) -> Self {
        ProviderConfig {
            provider: Some(Vendor::Tencent),
            tencent: Some(settings),
            rongcloud: None,
        }
    }

    /// A configuration that selects RongCloud with these settings.
    pub fn rongcloud(settings: RongCloudSettings) -> Self {
        ProviderConfig {
            provider: Some(Vendor::RongCloud),
            tencent: None,
            rongcloud: Some(settings),
        }
    }
}

/// The `[tencent]` section.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct TencentSettings {
    /// The app's SDKAppID.
    pub sdkappid: u64,
    /// The app's secret key.
    pub secret_key: SecretString,
    /// The app admin account.
    pub admin: String,
    /// The region name; `None` with no `base_urls` means China.
    pub region: Option<String>,
    /// Own base URLs, primary first.
    pub base_urls: Vec<String>,
    /// Allow `http://` on hosts other than loopback.
    pub allow_insecure_http: bool,
    /// Per-request timeout.
    pub timeout: Option<Duration>,
    /// Connect timeout.
    pub connect_timeout: Option<Duration>,
    /// Lifetime of the cached admin UserSig.
    pub admin_sig_ttl: Option<Duration>,
    /// Lifetime of users' UserSigs.
    pub user_sig_ttl: Option<Duration>,
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
        }
    }
}

/// The `[rongcloud]` section.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct RongCloudSettings {
    /// The app key.
    pub app_key: String,
    /// The app secret.
    pub app_secret: SecretString,
    /// The region name; `None` with no `base_urls` means Beijing.
    pub region: Option<String>,
    /// Own base URLs, primary first.
    pub base_urls: Vec<String>,
    /// Allow `http://` on hosts other than loopback.
    pub allow_insecure_http: bool,
    /// Per-attempt timeout.
    pub timeout: Option<Duration>,
    /// Connect timeout.
    pub connect_timeout: Option<Duration>,
    /// How long a failed domain is tried last.
    pub cooldown: Option<Duration>,
    /// Most domains one call may try.
    pub max_attempts: Option<usize>,
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
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    }

    #[track_caller]
    fn err_of(r: Result<ProviderConfig>) -> String {
        let e = r.unwrap_err();
        assert_eq!(e.kind(), imbridge_core::ErrorKind::Config);
        let text = e.to_string();
        for secret in ["file-secret", "rc-secret", "s3cr3t"] {
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
                .map(|b| b.build())
                .and_then(|r| r),
        );
        assert!(
            bad_env.contains("unknown environment variable `IMBRIDGE_TENCENT_SDKAPID`"),
            "{bad_env}"
        );
        assert!(
            bad_env.contains("IMBRIDGE_TENCENT_SDKAPPID"),
            "lists the known names: {bad_env}"
        );

        let bad_env_value = err_of(
            ConfigBuilder::new()
                .env_vars(env(&[("IMBRIDGE_TENCENT_SDKAPPID", "s3cr3t")]))
                .map(|b| b.build())
                .and_then(|r| r),
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
                .map(|b| b.build())
                .and_then(|r| r),
        );
        assert!(
            e.contains(&format!("config file `{}`", path.display())),
            "{e}"
        );
        assert!(e.contains("`tencent.sdkappid`"), "{e}");
        let e = err_of(
            ConfigBuilder::new()
                .file(dir.join("absent.toml"))
                .map(|b| b.build())
                .and_then(|r| r),
        );
        assert!(
            e.contains("cannot read config file") && e.contains("absent.toml"),
            "{e}"
        );
        std::fs::remove_dir_all(&dir).ok();
    }
}

/// docs/configuration.md documents every key and its environment variable.
#[cfg(test)]
mod docs {
    #[test]
    fn every_key_is_documented() {
        let doc = include_str!("../docs/configuration.md");
        for (_, section, keys) in super::SECTIONS {
            for key in keys {
                let var = format!(
                    "IMBRIDGE_{}_{}",
                    section.to_ascii_uppercase(),
                    key.name.to_ascii_uppercase()
                );
                assert!(
                    doc.contains(&format!("| `{}` | `{var}` |", key.name)),
                    "docs/configuration.md lacks {section}.{}",
                    key.name
                );
            }
        }
    }
}
