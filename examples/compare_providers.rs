//! Both vendors side by side from library code: the capability matrix, then the walkthrough on
//! each with every step's endpoint, latency and outcome. Runs on the embedded emulator.
//!
//! Run it with `cargo run --example compare_providers`.

use std::error::Error;

use imbridge::compare::{Walkthrough, capability_matrix, matrix_text, render_comparison};
use imbridge::{ProviderConfig, RongCloudSettings, TencentSettings, Vendor, connect_vendor};
use imbridge_emulator::{Emulator, EmulatorConfig};

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    println!(
        "What each vendor supports:\n\n{}",
        matrix_text(&capability_matrix())
    );

    let emulator = Emulator::start(EmulatorConfig::default()).await?;
    let (t, r) = (emulator.tencent(), emulator.rongcloud());
    let mut tencent = TencentSettings::new(t.sdkappid, t.secret_key.clone(), t.admin.clone());
    tencent.base_urls = vec![emulator.url()];
    let mut rongcloud = RongCloudSettings::new(r.app_key.clone(), r.app_secret.clone());
    rongcloud.base_urls = vec![emulator.url()];
    // One configuration holding both vendors; `connect_vendor` picks each in turn.
    let mut config = ProviderConfig::tencent(tencent);
    config.rongcloud = Some(rongcloud);

    let walkthrough = Walkthrough::default();
    let mut runs = Vec::new();
    for vendor in [Vendor::Tencent, Vendor::RongCloud] {
        let im = connect_vendor(&config, vendor)?;
        runs.push((vendor, walkthrough.run(im.as_ref()).await));
    }
    println!("\nThe walkthrough on both:\n\n{}", render_comparison(&runs));
    emulator.shutdown().await;
    let failed = runs
        .iter()
        .flat_map(|(_, steps)| steps)
        .filter(|s| s.outcome.is_err())
        .count();
    if failed > 0 {
        return Err(format!("{failed} step(s) failed").into());
    }
    Ok(())
}
