//! A webhook server: both vendors' callbacks verified, read as typed events and answered.
//! The emulator plays the vendors: it calls back, signed, after each operation; the example
//! prints what the app receives, then stops.
//!
//! Run it with `cargo run --example webhook_server --features axum`.

use std::error::Error;

use imbridge::rongcloud::callback::{self as rc, CallbackVerifier as RongCloudVerifier};
use imbridge::tencent::callback::{CallbackVerifier as TencentVerifier, Event, Reply};
use imbridge::webhook::axum::{rongcloud_router, tencent_router};
use imbridge::{
    CreateGroup, MessageContent, ProviderConfig, RegisterUser, RongCloudSettings, SendMessage,
    TencentSettings, Vendor, connect_vendor,
};
use imbridge_emulator::{CallbackConfig, Emulator, EmulatorConfig};

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let emulator = Emulator::start(EmulatorConfig::default()).await?;
    let (t, r) = (emulator.tencent(), emulator.rongcloud());

    // The app's webhook server. In production: the tokens/secrets from the consoles, a public
    // HTTPS address, and these paths entered as callback URLs.
    let tencent = tencent_router(
        TencentVerifier::new(t.sdkappid, "callback-token"),
        |cb| async move {
            match &cb.event {
                Event::AfterSendC2c(m) => {
                    println!("tencent: {} -> {}: {}", m.from, m.to, m.msg_body)
                }
                Event::AfterCreateGroup {
                    group_id,
                    owner,
                    members,
                    ..
                } => {
                    println!("tencent: {owner} created {group_id} with {members:?}")
                }
                // A "before send" callback could be rejected or rewritten here.
                other => println!("tencent: {other:?}"),
            }
            Reply::Allow
        },
    );
    let rongcloud = rongcloud_router(
        RongCloudVerifier::new(r.app_key.clone(), r.app_secret.clone()),
        |cb| async move {
            match &cb.event {
                rc::Event::MessageRouted(m) => {
                    println!("rongcloud: {} -> {}: {}", m.from, m.to, m.content)
                }
                other => println!("rongcloud: {other:?}"),
            }
        },
    );
    let app = axum::Router::new()
        .nest("/im/tencent", tencent)
        .nest("/im/rongcloud", rongcloud);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}", listener.local_addr()?);
    tokio::spawn(async move { axum::serve(listener, app).await });
    println!("webhook server on {url}/im/tencent and {url}/im/rongcloud\n");

    let (tencent_settings, rongcloud_settings) = {
        let mut a = TencentSettings::new(t.sdkappid, t.secret_key.clone(), t.admin.clone());
        a.base_urls = vec![emulator.url()];
        let mut b = RongCloudSettings::new(r.app_key.clone(), r.app_secret.clone());
        b.base_urls = vec![emulator.url()];
        (a, b)
    };
    let mut config = ProviderConfig::tencent(tencent_settings);
    config.rongcloud = Some(rongcloud_settings);

    // Tencent: the emulator calls back signed with the token.
    emulator.set_callbacks(Some(
        CallbackConfig::new(format!("{url}/im/tencent")).tencent_token("callback-token"),
    ));
    let im = connect_vendor(&config, Vendor::Tencent)?;
    im.users()
        .register_user(&RegisterUser::new("lilei"))
        .await?;
    im.users()
        .register_user(&RegisterUser::new("hanmeimei"))
        .await?;
    im.groups()
        .create_group(
            &CreateGroup::new("MyFirstGroup")
                .owner("lilei")
                .member("hanmeimei"),
        )
        .await?;
    im.messages()
        .send_message(&SendMessage::to_user(
            "lilei",
            "hanmeimei",
            MessageContent::text("hi"),
        ))
        .await?;
    let tencent_deliveries = emulator.callbacks().wait_for(2).await;

    // RongCloud: message routing, signed with the app secret.
    emulator.set_callbacks(Some(CallbackConfig::new(format!("{url}/im/rongcloud"))));
    let im = connect_vendor(&config, Vendor::RongCloud)?;
    im.messages()
        .send_message(&SendMessage::to_user(
            "lilei",
            "hanmeimei",
            MessageContent::text("hi"),
        ))
        .await?;
    let all = emulator
        .callbacks()
        .wait_for(tencent_deliveries.len() + 1)
        .await;

    println!();
    for d in &all {
        println!(
            "delivered {} {} -> HTTP {:?}",
            d.vendor, d.command, d.status
        );
    }
    emulator.shutdown().await;
    if all.iter().any(|d| d.status != Some(200)) {
        return Err("a callback was refused".into());
    }
    Ok(())
}
