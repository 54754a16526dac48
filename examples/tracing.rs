//! Every call as a `tracing` span with vendor, operation, domain, attempt, request id, vendor
//! code and latency — never a secret, UserSig or token. Runs on the embedded emulator, with one
//! dead domain so a failover shows up.
//!
//! Run it with `cargo run --example tracing`.

use std::error::Error;

use imbridge::{
    MessageContent, ProviderConfig, RegisterUser, RongCloudSettings, SendMessage, TencentSettings,
    Vendor, connect_vendor,
};
use imbridge_emulator::{Emulator, EmulatorConfig};
use tracing_subscriber::fmt::format::FmtSpan;

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    // Print each span when it closes, with its fields (latency_ms, vendor_code, …).
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_span_events(FmtSpan::CLOSE)
        .with_target(false)
        .init();

    let emulator = Emulator::start(EmulatorConfig::default()).await?;
    let dead = {
        let l = std::net::TcpListener::bind("127.0.0.1:0")?;
        format!("http://{}", l.local_addr()?)
    };
    let (t, r) = (emulator.tencent(), emulator.rongcloud());
    let mut tencent = TencentSettings::new(t.sdkappid, t.secret_key.clone(), t.admin.clone());
    tencent.base_urls = vec![emulator.url()];
    let mut rongcloud = RongCloudSettings::new(r.app_key.clone(), r.app_secret.clone());
    rongcloud.base_urls = vec![dead, emulator.url()];
    let mut config = ProviderConfig::tencent(tencent);
    config.rongcloud = Some(rongcloud);

    for vendor in [Vendor::Tencent, Vendor::RongCloud] {
        let im = connect_vendor(&config, vendor)?;
        im.users()
            .register_user(&RegisterUser::new("lilei").nickname("李雷"))
            .await?;
        im.users()
            .register_user(&RegisterUser::new("hanmeimei").nickname("韩梅梅"))
            .await?;
        im.messages()
            .send_message(&SendMessage::to_user(
                "lilei",
                "hanmeimei",
                MessageContent::text("hi"),
            ))
            .await?;
        // A vendor error shows its code in the span.
        let _ = im
            .messages()
            .send_message(&SendMessage::to_user(
                "lilei",
                "ghost",
                MessageContent::text("?"),
            ))
            .await;
    }
    emulator.shutdown().await;
    Ok(())
}
