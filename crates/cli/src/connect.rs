//! Building providers from the configuration file, the environment and the flags, in that
//! order of precedence.

use std::sync::Arc;

use imbridge::config::ConfigBuilder;
use imbridge::{ImProvider, ProviderConfig};
use imbridge_rongcloud::RongCloudClient;
use imbridge_tencent::TencentClient;

use crate::args::{Connection, Provider};
use crate::failure::Failure;

/// The file, the environment and the flags, merged.
pub(crate) fn layers(conn: &Connection) -> Result<ConfigBuilder, Failure> {
    let mut b = ConfigBuilder::new();
    if let Some(path) = &conn.config {
        b = b.file(path)?;
    }
    let mut b = b.env()?;
    if let Some(p) = conn.provider {
        b = b.set("provider", provider_name(p), "--provider")?;
    }
    let flags = [
        (
            "tencent.sdkappid",
            conn.sdkappid.map(|n| n.to_string()),
            "--sdkappid",
        ),
        (
            "tencent.secret_key",
            conn.secret_key.clone(),
            "--secret-key",
        ),
        ("tencent.admin", conn.admin.clone(), "--admin"),
        ("rongcloud.app_key", conn.app_key.clone(), "--app-key"),
        (
            "rongcloud.app_secret",
            conn.app_secret.clone(),
            "--app-secret",
        ),
    ];
    for (key, value, flag) in flags {
        if let Some(v) = value {
            b = b.set(key, &v, flag)?;
        }
    }
    // The shared flags belong to the selected vendor's section.
    let shared_used = !conn.base_urls.is_empty()
        || conn.region.is_some()
        || conn.allow_insecure_http
        || conn.timeout.is_some();
    if shared_used {
        let section = match b.provider_name().map(|p| p.trim().to_ascii_lowercase()) {
            Some(p) if p == "tencent" || p == "rongcloud" => p,
            _ => {
                return Err(Failure::Usage(
                    "--base-url, --region, --allow-insecure-http and --timeout need --provider (or `provider` in the config)".into(),
                ));
            }
        };
        if !conn.base_urls.is_empty() {
            b = b.set_list(
                &format!("{section}.base_urls"),
                &conn.base_urls,
                "--base-url",
            )?;
        }
        if let Some(region) = &conn.region {
            b = b.set(&format!("{section}.region"), region, "--region")?;
        }
        if conn.allow_insecure_http {
            b = b.set(
                &format!("{section}.allow_insecure_http"),
                "true",
                "--allow-insecure-http",
            )?;
        }
        if let Some(secs) = conn.timeout {
            b = b.set(
                &format!("{section}.timeout_secs"),
                &secs.to_string(),
                "--timeout",
            )?;
        }
    }
    Ok(b)
}

fn provider_name(p: Provider) -> &'static str {
    match p {
        Provider::Tencent => "tencent",
        Provider::Rongcloud => "rongcloud",
    }
}

/// The merged configuration. Only the selected vendor's section is checked here; another
/// vendor's is checked when `tencent`/`rongcloud`/`connect_vendor` ask for it.
pub(crate) fn config(conn: &Connection) -> Result<ProviderConfig, Failure> {
    Ok(layers(conn)?.build()?)
}

/// The provider the configuration selects.
pub(crate) fn provider(conn: &Connection) -> Result<Arc<dyn ImProvider>, Failure> {
    let config = config(conn)?;
    if config.provider.is_none() {
        return Err(missing_provider());
    }
    Ok(imbridge::connect(&config)?)
}

pub(crate) fn missing_provider() -> Failure {
    Failure::Usage(
        "--provider is required for this command (tencent or rongcloud), or `provider` in --config / IMBRIDGE_PROVIDER"
            .into(),
    )
}

/// The Tencent client of the configuration.
pub(crate) fn tencent(conn: &Connection) -> Result<TencentClient, Failure> {
    Ok(imbridge::tencent_client(&config(conn)?)?)
}

/// The RongCloud client of the configuration.
pub(crate) fn rongcloud(conn: &Connection) -> Result<RongCloudClient, Failure> {
    Ok(imbridge::rongcloud_client(&config(conn)?)?)
}

/// The Tencent `sdkappid` and secret key, from flags, environment or file; the admin is not needed.
pub(crate) fn tencent_key(conn: &Connection) -> Result<(u64, String), Failure> {
    let b = layers(conn)?;
    let sdkappid = b.get::<u64>("tencent.sdkappid")?.ok_or_else(|| {
        Failure::Usage("--sdkappid (or IMBRIDGE_TENCENT_SDKAPPID, or tencent.sdkappid in --config) is required".into())
    })?;
    let secret = b.get::<String>("tencent.secret_key")?.ok_or_else(|| {
        Failure::Usage("--secret-key (or IMBRIDGE_TENCENT_SECRET_KEY, or tencent.secret_key in --config) is required".into())
    })?;
    Ok((sdkappid, secret))
}
