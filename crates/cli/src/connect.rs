//! Building a provider from the connection flags.

use std::sync::Arc;
use std::time::Duration;

use imbridge_core::ImProvider;
use imbridge_tencent::{Region, TencentClient};

use crate::args::{Connection, Provider};
use crate::failure::Failure;

/// The provider named by `--provider`, configured from the flags.
pub(crate) fn provider(conn: &Connection) -> Result<Arc<dyn ImProvider>, Failure> {
    match conn.provider {
        Some(Provider::Tencent) => Ok(Arc::new(tencent(conn)?)),
        None => Err(Failure::Usage(
            "--provider is required for this command (tencent)".into(),
        )),
    }
}

/// A Tencent client from `--sdkappid`, `--secret-key`, `--admin` and the shared flags.
pub(crate) fn tencent(conn: &Connection) -> Result<TencentClient, Failure> {
    let (sdkappid, secret) = tencent_key(conn)?;
    let admin = conn
        .admin
        .clone()
        .ok_or_else(|| Failure::Usage("--admin (or IMBRIDGE_TENCENT_ADMIN) is required".into()))?;
    let mut builder = TencentClient::builder(sdkappid, secret, admin)
        .base_urls(conn.base_urls.iter().cloned())
        .allow_insecure_http(conn.allow_insecure_http);
    if let Some(region) = &conn.region {
        builder = builder.region(region.parse::<Region>()?);
    }
    if let Some(secs) = conn.timeout {
        if !secs.is_finite() || secs <= 0.0 {
            return Err(Failure::Usage(
                "--timeout must be a positive number of seconds".into(),
            ));
        }
        builder = builder.timeout(Duration::from_secs_f64(secs));
    }
    Ok(builder.build()?)
}

/// `--sdkappid` and `--secret-key`, both required.
pub(crate) fn tencent_key(conn: &Connection) -> Result<(u64, String), Failure> {
    let sdkappid = conn.sdkappid.ok_or_else(|| {
        Failure::Usage("--sdkappid (or IMBRIDGE_TENCENT_SDKAPPID) is required".into())
    })?;
    let secret = conn.secret_key.clone().ok_or_else(|| {
        Failure::Usage("--secret-key (or IMBRIDGE_TENCENT_SECRET_KEY) is required".into())
    })?;
    Ok((sdkappid, secret))
}
