//! Turning a [`ProviderConfig`] into a provider.

use std::collections::HashMap;
use std::sync::Arc;

use imbridge_core::policy::RateLimits;
#[cfg(any(feature = "tencent", feature = "rongcloud"))]
use imbridge_core::policy::RetryPolicy;
use imbridge_core::{Error, ImProvider, Operation, Result, Vendor};

use crate::config::ProviderConfig;

/// The provider the configuration selects (`provider = "…"`), ready to use.
///
/// ```
/// use imbridge::{ProviderConfig, connect};
///
/// // Whichever vendor this build has (both by default).
/// let vendor = imbridge::compare::capability_matrix()[0].vendor;
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
/// for running several vendors side by side. The section is checked here when `vendor` is not
/// the selected provider: its problems (a missing key, a malformed value) are reported now,
/// naming the key and where its value came from.
pub fn connect_vendor(config: &ProviderConfig, vendor: Vendor) -> Result<Arc<dyn ImProvider>> {
    match vendor {
        Vendor::Tencent => tencent(config),
        Vendor::RongCloud => rongcloud(config),
        other => Err(Error::config(format!(
            "vendor `{other}` is not supported by this build"
        ))),
    }
}

/// The vendor's default limits with the configured ones applied over them (0 removes one).
#[cfg_attr(not(any(feature = "tencent", feature = "rongcloud")), allow(dead_code))]
fn over_defaults(defaults: RateLimits, configured: &HashMap<Operation, u32>) -> RateLimits {
    configured
        .iter()
        .fold(defaults, |limits, (op, n)| limits.per_second(*op, *n))
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

/// The Tencent client of the configuration's `[tencent]` section (checked now if Tencent is not
/// the selected provider).
#[cfg(feature = "tencent")]
pub fn tencent_client(config: &ProviderConfig) -> Result<imbridge_tencent::TencentClient> {
    let s = config.tencent_settings()?;
    let mut b =
        imbridge_tencent::TencentClient::builder(s.sdkappid, s.secret_key.clone(), s.admin.clone())
            .base_urls(s.base_urls.iter().cloned())
            .allow_insecure_http(s.allow_insecure_http)
            .rate_limits(over_defaults(
                imbridge_tencent::default_rate_limits(),
                &s.rate_limits,
            ));
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
    if let Some(n) = s.retry_attempts {
        b = b.retry_policy(RetryPolicy::default().attempts(n));
    }
    if let Some(account) = &s.system_account {
        b = b.system_account(account.clone());
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

/// The RongCloud client of the configuration's `[rongcloud]` section (checked now if RongCloud
/// is not the selected provider).
#[cfg(feature = "rongcloud")]
pub fn rongcloud_client(config: &ProviderConfig) -> Result<imbridge_rongcloud::RongCloudClient> {
    let s = config.rongcloud_settings()?;
    let mut b =
        imbridge_rongcloud::RongCloudClient::builder(s.app_key.clone(), s.app_secret.clone())
            .base_urls(s.base_urls.iter().cloned())
            .allow_insecure_http(s.allow_insecure_http)
            .rate_limits(over_defaults(
                imbridge_rongcloud::default_rate_limits(),
                &s.rate_limits,
            ));
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
    if let Some(n) = s.retry_attempts {
        b = b.retry_policy(RetryPolicy::default().attempts(n));
    }
    if let Some(mode) = &s.group_mode {
        b = b.group_mode(mode.parse()?);
    }
    if let Some(operator) = &s.group_operator {
        b = b.group_operator(operator.clone());
    }
    if let Some(account) = &s.system_account {
        b = b.system_account(account.clone());
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

    #[test]
    fn configured_rate_limits_apply_over_the_defaults() {
        let defaults = RateLimits::unlimited()
            .per_second(Operation::RegisterUser, 200)
            .per_second(Operation::SendMessage, 200);
        let configured = HashMap::from([
            (Operation::SendMessage, 50),
            (Operation::RegisterUser, 0),
            (Operation::CreateGroup, 7),
        ]);
        let limits = over_defaults(defaults, &configured);
        assert_eq!(limits.limit(Operation::SendMessage), Some(50));
        assert_eq!(limits.limit(Operation::RegisterUser), None, "0 = no limit");
        assert_eq!(limits.limit(Operation::CreateGroup), Some(7));
        assert_eq!(limits.limit(Operation::SetProfile), None);
    }

    /// README's walkthrough exports both vendors' secrets and configures one vendor.
    #[cfg(all(feature = "tencent", feature = "rongcloud"))]
    #[test]
    fn a_stray_variable_of_the_other_vendor_does_not_break_connect() {
        let env = |pairs: &[(&str, &str)]| {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect::<Vec<_>>()
        };
        let config = crate::config::ConfigBuilder::new()
            .env_vars(env(&[
                ("IMBRIDGE_PROVIDER", "rongcloud"),
                ("IMBRIDGE_RONGCLOUD_APP_KEY", "key"),
                ("IMBRIDGE_RONGCLOUD_APP_SECRET", "secret"),
                ("IMBRIDGE_RONGCLOUD_BASE_URLS", "http://127.0.0.1:9"),
                ("IMBRIDGE_TENCENT_SECRET_KEY", "stray-tencent-secret"),
            ]))
            .unwrap()
            .build()
            .unwrap();
        assert_eq!(connect(&config).unwrap().vendor(), Vendor::RongCloud);
        // Asking for Tencent checks its section now.
        let err = connect_vendor(&config, Vendor::Tencent).unwrap_err();
        assert_eq!(err.kind(), imbridge_core::ErrorKind::Config);
        assert!(
            err.message().contains("`tencent.sdkappid` is missing")
                && err.message().contains("IMBRIDGE_TENCENT_SECRET_KEY"),
            "{err}"
        );
        assert!(!err.to_string().contains("stray-tencent-secret"), "{err}");
        let err = tencent_client(&config).unwrap_err();
        assert!(
            err.message().contains("`tencent.sdkappid` is missing"),
            "{err}"
        );

        // And the other way round.
        let config = crate::config::ConfigBuilder::new()
            .env_vars(env(&[
                ("IMBRIDGE_PROVIDER", "tencent"),
                ("IMBRIDGE_TENCENT_SDKAPPID", "1400000000"),
                ("IMBRIDGE_TENCENT_SECRET_KEY", "k"),
                ("IMBRIDGE_TENCENT_ADMIN", "administrator"),
                ("IMBRIDGE_TENCENT_BASE_URLS", "http://127.0.0.1:9"),
                ("IMBRIDGE_RONGCLOUD_APP_SECRET", "stray-rongcloud-secret"),
            ]))
            .unwrap()
            .build()
            .unwrap();
        assert_eq!(connect(&config).unwrap().vendor(), Vendor::Tencent);
        let err = rongcloud_client(&config).unwrap_err();
        assert!(
            err.message().contains("`rongcloud.app_key` is missing"),
            "{err}"
        );
    }

    #[cfg(all(feature = "tencent", feature = "rongcloud"))]
    #[test]
    fn clients_build_with_configured_rate_limits_and_retries() {
        let config = ProviderConfig::from_toml_str(&format!(
            "provider = \"tencent\"\n{BOTH}retry_attempts = 1\n[rongcloud.rate_limits]\nsend_message = 0\n\
             [tencent.rate_limits]\nsend_message = 5\n"
        ))
        .unwrap();
        tencent_client(&config).unwrap();
        rongcloud_client(&config).unwrap();
        assert_eq!(config.rongcloud.unwrap().retry_attempts, Some(1));
    }

    #[cfg(feature = "tencent")]
    #[test]
    fn the_system_account_reaches_the_tencent_client() {
        assert_eq!(
            tencent_client(&config("tencent")).unwrap().system_account(),
            "administrator",
            "the admin by default"
        );
        let text = BOTH.replace(
            "admin = \"administrator\"",
            "admin = \"administrator\"\nsystem_account = \"notices\"",
        );
        let config =
            ProviderConfig::from_toml_str(&format!("provider = \"tencent\"\n{text}")).unwrap();
        assert_eq!(tencent_client(&config).unwrap().system_account(), "notices");
    }

    #[cfg(feature = "rongcloud")]
    #[test]
    fn rongcloud_group_mode_and_operator_reach_the_client() {
        use imbridge_rongcloud::GroupMode;

        let basic = rongcloud_client(&config("rongcloud")).unwrap();
        assert_eq!(basic.group_mode(), GroupMode::Basic);
        assert!(!basic.capabilities().supports(Operation::GetGroups));

        let hosted = ProviderConfig::from_toml_str(&format!(
            "provider = \"rongcloud\"\n{BOTH}group_mode = \"hosted\"\ngroup_operator = \"admin\"\n"
        ))
        .unwrap();
        let client = rongcloud_client(&hosted).unwrap();
        assert_eq!(client.group_mode(), GroupMode::Hosted);
        assert!(client.capabilities().groups.owners);

        let env = crate::config::ConfigBuilder::new()
            .env_vars([
                ("IMBRIDGE_PROVIDER".to_owned(), "rongcloud".to_owned()),
                ("IMBRIDGE_RONGCLOUD_APP_KEY".to_owned(), "key".to_owned()),
                (
                    "IMBRIDGE_RONGCLOUD_APP_SECRET".to_owned(),
                    "secret".to_owned(),
                ),
                (
                    "IMBRIDGE_RONGCLOUD_GROUP_MODE".to_owned(),
                    "hosted".to_owned(),
                ),
            ])
            .unwrap()
            .build()
            .unwrap();
        assert_eq!(
            env.rongcloud_settings().unwrap().group_mode.as_deref(),
            Some("hosted")
        );

        // An unknown mode is refused when the configuration is built, naming the key.
        let err = ProviderConfig::from_toml_str(&format!(
            "provider = \"rongcloud\"\n{BOTH}group_mode = \"entrusted\"\n"
        ))
        .unwrap_err();
        assert!(err.message().contains("rongcloud.group_mode"), "{err}");
        assert!(!err.message().contains("entrusted"), "{err}");
        // A malformed operator is refused when the client is built.
        let bad = ProviderConfig::from_toml_str(&format!(
            "provider = \"rongcloud\"\n{BOTH}group_operator = \"no spaces\"\n"
        ))
        .unwrap();
        let err = rongcloud_client(&bad).unwrap_err();
        assert_eq!(err.kind(), imbridge_core::ErrorKind::Config);
        assert!(!err.message().contains("no spaces"), "{err}");
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
