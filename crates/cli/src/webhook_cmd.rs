//! `imbridge webhook verify`.

use imbridge::webhook::{WebhookError, WebhookRequest};
use imbridge_rongcloud::callback::CallbackVerifier as RongCloudVerifier;
use imbridge_tencent::callback::CallbackVerifier as TencentVerifier;
use serde_json::json;

use crate::args::{Connection, Provider, WebhookCommand};
use crate::failure::Failure;
use crate::print_json;

pub(crate) fn run(conn: &Connection, cmd: WebhookCommand) -> Result<(), Failure> {
    let WebhookCommand::Verify { url, token, now } = cmd;
    let parsed =
        url::Url::parse(&url).map_err(|e| Failure::Usage(format!("--url is not a URL: {e}")))?;
    let req = WebhookRequest::new("POST", parsed.query().unwrap_or_default(), Vec::new());
    let refused = |e: WebhookError| Failure::InvalidSig(format!("callback refused: {e}"));
    match conn.provider {
        Some(Provider::Tencent) => {
            let token = token.ok_or_else(|| {
                Failure::Usage("--token is required for Tencent callbacks".into())
            })?;
            // Without --sdkappid, the URL's own SdkAppid is accepted.
            let sdkappid = conn
                .sdkappid
                .or_else(|| req.query_param("SdkAppid").and_then(|s| s.parse().ok()))
                .unwrap_or(0);
            let mut v = TencentVerifier::new(sdkappid, token);
            if let Some(now) = now {
                v = v.now_fn(move || now);
            }
            let ok = v.verify_query(&req).map_err(refused)?;
            print_json(&json!({
                "valid": true,
                "provider": "tencent",
                "sdkappid": ok.sdkappid,
                "command": ok.command,
                "request_time": ok.request_time,
                "client_ip": ok.client_ip,
                "platform": ok.platform,
            }));
        }
        Some(Provider::Rongcloud) => {
            let secret = conn
                .app_secret
                .clone()
                .or_else(|| std::env::var("IMBRIDGE_RONGCLOUD_APP_SECRET").ok())
                .ok_or_else(|| {
                    Failure::Usage("--app-secret is required for RongCloud callbacks".into())
                })?;
            // Without --app-key, the URL's own appKey is accepted.
            let app_key = conn
                .app_key
                .clone()
                .or_else(|| req.query_param("appKey"))
                .unwrap_or_default();
            let mut v = RongCloudVerifier::new(app_key, secret);
            if let Some(now) = now {
                v = v.now_fn(move || now);
            }
            let ok = v.verify_signature(&req).map_err(refused)?;
            print_json(&json!({
                "valid": true,
                "provider": "rongcloud",
                "app_key": ok.app_key,
                "nonce": ok.nonce,
                "timestamp": ok.timestamp,
            }));
        }
        None => {
            return Err(Failure::Usage(
                "--provider is required (tencent or rongcloud)".into(),
            ));
        }
    }
    Ok(())
}
