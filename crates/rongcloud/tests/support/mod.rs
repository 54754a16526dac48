//! Shared set-up: an emulator with a fixed RongCloud app, and clients for it.

#![allow(dead_code)]

use std::sync::Arc;
use std::time::Duration;

use imbridge_core::Clock;
use imbridge_emulator::{Emulator, EmulatorConfig, RongCloudApp};
use imbridge_rongcloud::RongCloudClient;

pub const APP_KEY: &str = "testappkey123";
pub const APP_SECRET: &str = "test-app-secret-0123456789";

pub async fn emulator() -> Emulator {
    let mut rongcloud = RongCloudApp::generate();
    rongcloud.app_key = APP_KEY.into();
    rongcloud.app_secret = APP_SECRET.into();
    let config = EmulatorConfig {
        rongcloud,
        ..EmulatorConfig::default()
    };
    Emulator::start(config)
        .await
        .expect("emulator starts on 127.0.0.1")
}

pub fn client(urls: &[&str]) -> RongCloudClient {
    RongCloudClient::builder(APP_KEY, APP_SECRET)
        .base_urls(urls.iter().copied())
        .build()
        .unwrap()
}

pub fn client_with(urls: &[&str], clock: Arc<dyn Clock>, cooldown: Duration) -> RongCloudClient {
    RongCloudClient::builder(APP_KEY, APP_SECRET)
        .base_urls(urls.iter().copied())
        .clock(clock)
        .cooldown(cooldown)
        .build()
        .unwrap()
}

/// A loopback URL where nothing listens.
pub fn dead_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    format!("http://{addr}")
}

/// The paths of the RongCloud requests the emulator received, in order.
pub fn paths(emu: &Emulator) -> Vec<String> {
    emu.rongcloud_state()
        .requests()
        .into_iter()
        .map(|r| r.path)
        .collect()
}

/// How many requests went to `path`.
pub fn count(emu: &Emulator, path: &str) -> usize {
    paths(emu).iter().filter(|p| *p == path).count()
}

pub fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}
