//! `imbridge usersig gen|verify|decode`.

use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use imbridge_tencent::usersig::{self, UserSigInfo, UserSigKey};
use serde_json::json;

use crate::args::{Connection, UsersigCommand};
use crate::connect::tencent_key;
use crate::failure::Failure;
use crate::print_json;

pub(crate) fn run(conn: &Connection, cmd: UsersigCommand) -> Result<(), Failure> {
    match cmd {
        UsersigCommand::Gen {
            identifier,
            expire,
            time,
            userbuf,
        } => {
            let (sdkappid, secret) = tencent_key(conn)?;
            let userbuf = userbuf
                .map(|b| STANDARD.decode(b.trim()))
                .transpose()
                .map_err(|_| Failure::Usage("--userbuf must be standard base64".into()))?;
            let key = UserSigKey::new(sdkappid, secret.into());
            println!(
                "{}",
                key.sign(
                    &identifier,
                    time.unwrap_or_else(now),
                    expire,
                    userbuf.as_deref()
                )
            );
            Ok(())
        }
        UsersigCommand::Verify {
            identifier,
            sig,
            now: at,
        } => {
            let (sdkappid, secret) = tencent_key(conn)?;
            let key = UserSigKey::new(sdkappid, secret.into());
            let info = key
                .verify(&sig, &identifier, at.unwrap_or_else(now))
                .map_err(|e| {
                    Failure::InvalidSig(format!("{e} (Tencent answers {})", e.vendor_code()))
                })?;
            print_json(&describe(&info, true));
            Ok(())
        }
        UsersigCommand::Decode { sig } => {
            let info = usersig::decode(&sig).map_err(|e| Failure::InvalidSig(e.to_string()))?;
            print_json(&describe(&info, false));
            Ok(())
        }
    }
}

fn describe(info: &UserSigInfo, verified: bool) -> serde_json::Value {
    json!({
        "valid": verified,
        "version": info.version,
        "identifier": info.identifier,
        "sdkappid": info.sdkappid,
        "time": info.time,
        "expire": info.expire,
        "expires_at": info.expires_at(),
        "userbuf": info.userbuf.as_ref().map(|b| STANDARD.encode(b)),
    })
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}
