//! `imbridge raw ENDPOINT --body JSON`: any endpoint of the selected vendor, answer printed as
//! the vendor sent it.

use crate::args::Connection;
use crate::connect;
use crate::failure::Failure;
use crate::print_json;

pub(crate) async fn run(conn: &Connection, endpoint: &str, body: &str) -> Result<(), Failure> {
    let body: serde_json::Value = serde_json::from_str(body)
        .map_err(|e| Failure::Usage(format!("--body is not JSON: {e}")))?;
    let answer = match connect::config(conn)?.provider {
        Some(imbridge::Vendor::Tencent) => {
            connect::tencent(conn)?.call_json(endpoint, &body).await?
        }
        Some(imbridge::Vendor::RongCloud) => {
            connect::rongcloud(conn)?.call_json(endpoint, &body).await?
        }
        _ => return Err(connect::missing_provider()),
    };
    print_json(&answer);
    Ok(())
}
