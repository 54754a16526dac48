//! The walkthrough of the vendors' server-integration guides, run against the local emulator on
//! both vendors through the same code: register `lilei`, set the nickname 李雷, create
//! `MyFirstGroup` owned by lilei with a member, and send messages. No credentials, no network
//! beyond 127.0.0.1.
//!
//! Run it with `cargo run --example quickstart`.

use std::error::Error;
use std::sync::Arc;

use imbridge::rongcloud::RongCloudClient;
use imbridge::tencent::TencentClient;
use imbridge::{
    Capabilities, CreateGroup, ExposeSecret, ImProvider, MessageContent, RegisterUser, SendMessage,
    SetProfile,
};
use imbridge_emulator::{Emulator, EmulatorConfig};

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    // A local stand-in for both clouds, with its own app credentials.
    let emulator = Emulator::start(EmulatorConfig::default()).await?;
    println!("emulator listening on {}\n", emulator.url());

    // The same code talks to the real clouds: drop `.base_url(...)` and pick a region instead.
    let app = emulator.tencent();
    let tencent: Arc<dyn ImProvider> = Arc::new(
        TencentClient::builder(app.sdkappid, app.secret_key.clone(), app.admin.clone())
            .base_url(emulator.url())
            .build()?,
    );
    let app = emulator.rongcloud();
    let rongcloud: Arc<dyn ImProvider> = Arc::new(
        RongCloudClient::builder(app.app_key.clone(), app.app_secret.clone())
            .base_url(emulator.url())
            .build()?,
    );

    for im in [tencent, rongcloud] {
        walkthrough(im.as_ref()).await?;
    }
    emulator.shutdown().await;
    Ok(())
}

/// The walkthrough, written once against the trait.
async fn walkthrough(im: &dyn ImProvider) -> Result<(), Box<dyn Error>> {
    println!("== {} ==", im.vendor());

    // 1. Register lilei (and a friend to put in the group); hand the token to the client app.
    let token = im.register_user(&RegisterUser::new("lilei")).await?;
    // A token is a secret: show only its length.
    println!(
        "1. registered lilei; client token of {} chars",
        token.token().expose_secret().len()
    );
    im.register_user(&RegisterUser::new("hanmeimei").nickname("韩梅梅"))
        .await?;
    println!("   registered hanmeimei");

    // 2. Set lilei's nickname.
    im.set_profile(&SetProfile::new("lilei").nickname("李雷"))
        .await?;
    println!("2. set lilei's nickname to 李雷");

    // 3. Create a group owned by lilei with an initial member. Tencent can generate the id;
    //    RongCloud needs one, which the backend generates. Either way it comes back.
    let caps: &Capabilities = im.capabilities();
    let group = im
        .create_group(
            &CreateGroup::new("MyFirstGroup")
                .owner("lilei")
                .member("hanmeimei"),
        )
        .await?;
    let origin = if caps.server_generated_group_ids {
        "by the vendor"
    } else {
        "by imbridge"
    };
    println!(
        "3. created MyFirstGroup: group id {} (generated {origin})",
        group.group_id
    );

    // 4. A group message and a one-to-one message.
    im.send_message(&SendMessage::to_group(
        "lilei",
        &group.group_id,
        MessageContent::text("大家好！"),
    ))
    .await?;
    println!("4. lilei -> MyFirstGroup: sent");
    let direct = im
        .send_message(&SendMessage::to_user(
            "lilei",
            "hanmeimei",
            MessageContent::text("Hi, Han Meimei"),
        ))
        .await?;
    println!(
        "   lilei -> hanmeimei: sent, message id {}\n",
        direct.message_id
    );
    Ok(())
}
