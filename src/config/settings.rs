//! The settings of each vendor section, as serde structs, and the deserializers of their
//! `*_secs` and `rate_limits` fields.

use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use imbridge_core::{Operation, SecretString};
use serde::{Deserialize, Deserializer, de};

use super::keys::where_the_operations_are;

/// The `[tencent]` section (keys: [`TENCENT_KEYS`]).
///
/// [`TENCENT_KEYS`]: super::TENCENT_KEYS
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
    /// `system_account`: the account system messages come from when a request names none
    /// (default: the admin).
    #[serde(default)]
    pub system_account: Option<String>,
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
            system_account: None,
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
///
/// [`RONGCLOUD_KEYS`]: super::RONGCLOUD_KEYS
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
    /// `group_mode`: the app's group model, `"basic"` (`None`: the default) or `"hosted"`
    /// (the profile-hosting service); see `imbridge::rongcloud::GroupMode`.
    #[serde(default)]
    pub group_mode: Option<String>,
    /// `group_operator`: the user id that dismisses basic groups when a request names no
    /// operator.
    #[serde(default)]
    pub group_operator: Option<String>,
    /// `system_account`: the user id system messages come from when a request names none.
    #[serde(default)]
    pub system_account: Option<String>,
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
            group_mode: None,
            group_operator: None,
            system_account: None,
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
