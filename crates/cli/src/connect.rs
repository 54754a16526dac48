//! Building a provider from the connection flags.

use std::sync::Arc;
use std::time::Duration;

use imbridge_core::ImProvider;
use imbridge_rongcloud::RongCloudClient;
use imbridge_tencent::TencentClient;

use crate::args::{Connection, Provider};
use crate::failure::Failure;

/// The provider named by `--provider`, configured from the flags.
pub(crate) fn provider(conn: &Connection) -> Result<Arc<dyn ImProvider>, Failure> {
    match conn.provider {
        Some(Provider::Tencent) => Ok(Arc::new(tencent(conn)?)),
        Some(Provider::Rongcloud) => Ok(Arc::new(rongcloud(conn)?)),
        None => Err(missing_provider()),
    }
}

pub(crate) fn missing_provider() -> Failure {
    Failure::Usage("--provider is required for this command (tencent or rongcloud)".into())
}

/// A Tencent client from `--sdkappid`, `--secret-key`, `--admin` and the shared flags.
pub(crate) fn tencent(conn: &Connection) -> Result<TencentClient, Failure> {
    let (sdkappid, secret) = tencent_key(conn)?;
    let admin = required(&conn.admin, "--admin (or IMBRIDGE_TENCENT_ADMIN)")?;
    let mut builder = TencentClient::builder(sdkappid, secret, admin)
        .base_urls(conn.base_urls.iter().cloned())
        .allow_insecure_http(conn.allow_insecure_http);
    if let Some(region) = &conn.region {
        builder = builder.region(region.parse::<imbridge_tencent::Region>()?);
    }
    if let Some(timeout) = timeout(conn)? {
        builder = builder.timeout(timeout);
    }
    Ok(builder.build()?)
}

/// A RongCloud client from `--app-key`, `--app-secret` and the shared flags.
pub(crate) fn rongcloud(conn: &Connection) -> Result<RongCloudClient, Failure> {
    let app_key = required(&conn.app_key, "--app-key (or IMBRIDGE_RONGCLOUD_APP_KEY)")?;
    let secret = required(
        &conn.app_secret,
        "--app-secret (or IMBRIDGE_RONGCLOUD_APP_SECRET)",
    )?;
    let mut builder = RongCloudClient::builder(app_key, secret)
        .base_urls(conn.base_urls.iter().cloned())
        .allow_insecure_http(conn.allow_insecure_http);
    if let Some(region) = &conn.region {
        builder = builder.region(region.parse::<imbridge_rongcloud::Region>()?);
    }
    if let Some(timeout) = timeout(conn)? {
        builder = builder.timeout(timeout);
    }
    Ok(builder.build()?)
}

/// `--sdkappid` and `--secret-key`, both required.
pub(crate) fn tencent_key(conn: &Connection) -> Result<(u64, String), Failure> {
    let sdkappid = conn.sdkappid.ok_or_else(|| {
        Failure::Usage("--sdkappid (or IMBRIDGE_TENCENT_SDKAPPID) is required".into())
    })?;
    Ok((
        sdkappid,
        required(
            &conn.secret_key,
            "--secret-key (or IMBRIDGE_TENCENT_SECRET_KEY)",
        )?,
    ))
}

fn required(value: &Option<String>, what: &str) -> Result<String, Failure> {
    value
        .clone()
        .ok_or_else(|| Failure::Usage(format!("{what} is required")))
}

/// `--timeout` as a duration, if given.
fn timeout(conn: &Connection) -> Result<Option<Duration>, Failure> {
    match conn.timeout {
        None => Ok(None),
        Some(secs) if secs.is_finite() && secs > 0.0 => Ok(Some(Duration::from_secs_f64(secs))),
        Some(_) => Err(Failure::Usage(
            "--timeout must be a positive number of seconds".into(),
        )),
    }
}
