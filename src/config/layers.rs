//! The layers (file < environment < overrides), merged key by key with the origin of each value,
//! and [`ConfigBuilder`], which collects them and builds a [`ProviderConfig`].

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use imbridge_core::{Error, Operation, Result, Vendor};
use serde::de::DeserializeOwned;

use super::de::{Node, NodeDe, insert_node, subject};
use super::keys::ValueKind::{List, PerOperation};
use super::keys::{
    SECTIONS, Target, env_target, find_dotted, section_of, unknown_env_var, unknown_operation,
};
use super::{ProviderConfig, RongCloudSettings, TencentSettings};

/// Where a value came from; later layers override earlier ones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Origin {
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
pub(super) enum Raw {
    /// From TOML: typed by TOML.
    Toml(toml::Value),
    /// From the environment or a flag: read as whatever the key's field needs.
    Text(String),
    /// A list given item by item (repeated flags).
    List(Vec<String>),
}

#[derive(Clone)]
pub(super) struct Entry {
    pub(super) raw: Raw,
    pub(super) origin: Origin,
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

    pub(super) fn add_table(mut self, table: toml::Table, origin: Origin) -> Result<Self> {
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

    /// Deserializes a vendor's section and checks its names ([`NAMED_KEYS`]).
    pub(super) fn section<T: DeserializeOwned>(&self, vendor: Vendor) -> Result<T> {
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
        for key in NAMED_KEYS {
            if let Some(entry) = self.values.get(&(vendor, (*key).to_owned()))
                && let Raw::Toml(toml::Value::String(name)) | Raw::Text(name) = &entry.raw
            {
                check_name(vendor, key, name, &entry.origin)?;
            }
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

/// Keys whose value is one of a vendor's names (a region, RongCloud's group mode), checked
/// against the names the vendor's backend knows when it is compiled in.
pub(super) const NAMED_KEYS: &[&str] = &["region", "group_mode"];

/// Checks a name of [`NAMED_KEYS`] when the vendor's backend is compiled in (its names live
/// there).
#[cfg_attr(
    not(any(feature = "tencent", feature = "rongcloud")),
    allow(unused_variables)
)]
fn check_name(vendor: Vendor, key: &str, name: &str, origin: &Origin) -> Result<()> {
    let parsed: Result<()> = match (vendor, key) {
        #[cfg(feature = "tencent")]
        (Vendor::Tencent, "region") => name.parse::<imbridge_tencent::Region>().map(drop),
        #[cfg(feature = "rongcloud")]
        (Vendor::RongCloud, "region") => name.parse::<imbridge_rongcloud::Region>().map(drop),
        #[cfg(feature = "rongcloud")]
        (Vendor::RongCloud, "group_mode") => {
            name.parse::<imbridge_rongcloud::GroupMode>().map(drop)
        }
        _ => Ok(()),
    };
    parsed.map_err(|e| {
        Error::config(format!(
            "{}: {}",
            subject(&format!("{vendor}.{key}"), std::slice::from_ref(origin)),
            e.message()
        ))
    })
}
