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

// The parts, by what they do: `keys` lists the keys and resolves names and variables to them,
// `settings` holds the serde structs, `layers` merges the file, the environment and overrides
// (`ConfigBuilder`), `de` deserializes the merged values without ever echoing one, and `mod.rs`
// holds `ProviderConfig`, the result. `tests` covers the behaviour, `drift` keeps the key lists,
// the structs and docs/configuration.md equal.

mod de;
mod keys;
mod layers;
mod settings;

#[cfg(test)]
mod drift;
#[cfg(test)]
mod tests;

use std::path::Path;

use imbridge_core::{Error, Result, Vendor};
use serde::{Deserialize, Deserializer};

pub use keys::{KeySpec, RONGCLOUD_KEYS, TENCENT_KEYS, ValueKind};
pub use layers::ConfigBuilder;
pub use settings::{RongCloudSettings, TencentSettings};

use layers::Origin;

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
            .map_err(|e| serde::de::Error::custom(e.message()))
    }
}
