//! Turning a [`ProviderConfig`] into a provider.

use std::sync::Arc;

use imbridge_core::{Error, ImProvider, Result, Vendor};

use crate::config::ProviderConfig;

/// The provider the configuration selects (`provider = "…"`), ready to use.
///
/// ```
/// use imbridge::{ProviderConfig, connect};
///
/// // Whichever vendor this build has (both by default).
/// let vendor = imbridge::compare::capability_matrix()[0].0;
/// let config = ProviderConfig::from_toml_str(&format!(r#"
///     provider = "{vendor}"
///     [tencent]
///     sdkappid = 1400000000
///     secret_key = "key"
///     admin = "administrator"
///     base_urls = ["http://127.0.0.1:9999"]
///     [rongcloud]
///     app_key = "key"
///     app_secret = "secret"
///     base_urls = ["http://127.0.0.1:9999"]
/// "#)).unwrap();
/// let im = connect(&config).unwrap(); // nothing is sent yet
/// assert_eq!(im.vendor(), vendor);
/// ```
pub fn connect(config: &ProviderConfig) -> Result<Arc<dyn ImProvider>> {
    let vendor = config.provider.ok_or_else(|| {
        Error::config("no provider is selected: set `provider = \"tencent\"` (or \"rongcloud\") or IMBRIDGE_PROVIDER")
    })?;
    connect_vendor(config, vendor)
}

/// A provider for `vendor` from its section of the configuration, whichever `provider` says;
/// for running several vendors side by side.
pub fn connect_vendor(config: &ProviderConfig, vendor: Vendor) -> Result<Arc<dyn ImProvider>> {
    match vendor {
        Vendor::Tencent => tencent(config),
        Vendor::RongCloud => rongcloud(config),
        other => Err(Error::config(format!(
            "vendor `{other}` is not supported by this build"
        ))),
    }
}

fn missing_section(vendor: Vendor) -> Error {
    Error::config(format!(
        "there is no [{vendor}] section and no IMBRIDGE_{}_* variable",
        vendor.as_str().to_ascii_uppercase()
    ))
}

#[cfg_attr(all(feature = "tencent", feature = "rongcloud"), allow(dead_code))]
fn missing_feature(vendor: Vendor) -> Error {
    Error::config(format!(
        "the configuration asks for {} but this build of imbridge lacks the `{}` cargo feature; \
         enable it (features = [\"{}\"])",
        vendor.display_name(),
        vendor.as_str(),
        vendor.as_str()
    ))
}

#[cfg(feature = "tencent")]
fn tencent(config: &ProviderConfig) -> Result<Arc<dyn ImProvider>> {
    Ok(Arc::new(tencent_client(config)?))
}

/// The Tencent client of the configuration's `[tencent]` section.
#[cfg(feature = "tencent")]
pub fn tencent_client(config: &ProviderConfig) -> Result<imbridge_tencent::TencentClient> {
    let s = config
        .tencent
        .as_ref()
        .ok_or_else(|| missing_section(Vendor::Tencent))?;
    let mut b =
        imbridge_tencent::TencentClient::builder(s.sdkappid, s.secret_key.clone(), s.admin.clone())
            .base_urls(s.base_urls.iter().cloned())
            .allow_insecure_http(s.allow_insecure_http);
    if let Some(region) = &s.region {
        b = b.region(region.parse()?);
    }
    if let Some(t) = s.timeout {
        b = b.timeout(t);
    }
    if let Some(t) = s.connect_timeout {
        b = b.connect_timeout(t);
    }
    if let Some(t) = s.admin_sig_ttl {
        b = b.admin_sig_ttl(t);
    }
    if let Some(t) = s.user_sig_ttl {
        b = b.user_sig_ttl(t);
    }
    b.build()
}

#[cfg(not(feature = "tencent"))]
fn tencent(_: &ProviderConfig) -> Result<Arc<dyn ImProvider>> {
    Err(missing_feature(Vendor::Tencent))
}

#[cfg(feature = "rongcloud")]
fn rongcloud(config: &ProviderConfig) -> Result<Arc<dyn ImProvider>> {
    Ok(Arc::new(rongcloud_client(config)?))
}

/// The RongCloud client of the configuration's `[rongcloud]` section.
#[cfg(feature = "rongcloud")]
pub fn rongcloud_client(config: &ProviderConfig) -> Result<imbridge_rongcloud::RongCloudClient> {
    let s = config
        .rongcloud
        .as_ref()
        .ok_or_else(|| missing_section(Vendor::RongCloud))?;
    let mut b =
        imbridge_rongcloud::RongCloudClient::builder(s.app_key.clone(), s.app_secret.clone())
            .base_urls(s.base_urls.iter().cloned())
            .allow_insecure_http(s.allow_insecure_http);
    if let Some(region) = &s.region {
        b = b.region(region.parse()?);
    }
    if let Some(t) = s.timeout {
        b = b.timeout(t);
    }
    if let Some(t) = s.connect_timeout {
        b = b.connect_timeout(t);
    }
    if let Some(t) = s.cooldown {
        b = b.cooldown(t);
    }
    if let Some(n) = s.max_attempts {
        b = b.max_attempts(n);
    }
    b.build()
}

#[cfg(not(feature = "rongcloud"))]
fn rongcloud(_: &ProviderConfig) -> Result<Arc<dyn ImProvider>> {
    Err(missing_feature(Vendor::RongCloud))
}

#[cfg(test)]
mod tests {
    use super::*;

    const BOTH: &str = r#"
[tencent]
sdkappid = 1400000000
secret_key = "k"
admin = "administrator"
base_urls = ["http://127.0.0.1:9"]
[rongcloud]
app_key = "key"
app_secret = "secret"
base_urls = ["http://127.0.0.1:9"]
"#;

    fn config(provider: &str) -> ProviderConfig {
        ProviderConfig::from_toml_str(&format!("provider = \"{provider}\"\n{BOTH}")).unwrap()
    }

    #[test]
    fn no_provider_selected_is_a_config_error() {
        let err = connect(&ProviderConfig::from_toml_str(BOTH).unwrap()).unwrap_err();
        assert_eq!(err.kind(), imbridge_core::ErrorKind::Config);
        assert!(err.message().contains("IMBRIDGE_PROVIDER"), "{err}");
    }

    #[cfg(feature = "tencent")]
    #[test]
    fn tencent_connects_when_compiled_in() {
        assert_eq!(
            connect(&config("tencent")).unwrap().vendor(),
            Vendor::Tencent
        );
    }

    #[cfg(feature = "rongcloud")]
    #[test]
    fn rongcloud_connects_when_compiled_in() {
        assert_eq!(
            connect(&config("rongcloud")).unwrap().vendor(),
            Vendor::RongCloud
        );
    }

    #[cfg(not(feature = "tencent"))]
    #[test]
    fn a_config_for_tencent_names_the_missing_feature() {
        let err = connect(&config("tencent")).unwrap_err();
        assert_eq!(err.kind(), imbridge_core::ErrorKind::Config);
        assert!(err.message().contains("`tencent` cargo feature"), "{err}");
    }

    #[cfg(not(feature = "rongcloud"))]
    #[test]
    fn a_config_for_rongcloud_names_the_missing_feature() {
        let err = connect(&config("rongcloud")).unwrap_err();
        assert_eq!(err.kind(), imbridge_core::ErrorKind::Config);
        assert!(err.message().contains("`rongcloud` cargo feature"), "{err}");
    }
}
