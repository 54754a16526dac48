//! Shared set-up for the Tencent integration tests: an emulator on loopback and a client for it.

#![allow(dead_code)]

pub mod canned;

use std::sync::Arc;

use imbridge_core::Clock;
use imbridge_emulator::{Emulator, EmulatorConfig, TencentApp};
use imbridge_tencent::TencentClient;

pub const SDKAPPID: u64 = 1400000000;
pub const SECRET: &str = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e";
pub const ADMIN: &str = "administrator";

pub async fn emulator() -> Emulator {
    let config = EmulatorConfig {
        tencent: TencentApp {
            sdkappid: SDKAPPID,
            secret_key: SECRET.into(),
            admin: ADMIN.into(),
        },
        ..EmulatorConfig::default()
    };
    Emulator::start(config)
        .await
        .expect("emulator starts on 127.0.0.1")
}

pub fn client(emu: &Emulator) -> TencentClient {
    TencentClient::builder(SDKAPPID, SECRET, ADMIN)
        .base_url(emu.url())
        .build()
        .unwrap()
}

pub fn client_with_clock(emu: &Emulator, clock: Arc<dyn Clock>) -> TencentClient {
    TencentClient::builder(SDKAPPID, SECRET, ADMIN)
        .base_url(emu.url())
        .clock(clock)
        .build()
        .unwrap()
}

/// A loopback URL where nothing listens: bind an ephemeral port, then close it.
pub fn dead_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    format!("http://{addr}")
}

pub fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}
