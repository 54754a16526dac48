//! The walkthrough of Tencent's server-integration guide, run against the local emulator:
//! import `lilei`, set the nickname 李雷, create `MyFirstGroup` owned by lilei with a member,
//! and send messages. No credentials, no network beyond 127.0.0.1.
//!
//! Run it with `cargo run --example quickstart`.

use std::error::Error;
use std::sync::Arc;
use std::time::SystemTime;

use imbridge::tencent::TencentClient;
use imbridge::{
    CreateGroup, ExposeSecret, GroupKind, ImProvider, MessageContent, RegisterUser, SendMessage,
    SetProfile,
};
use imbridge_emulator::{Emulator, EmulatorConfig};

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    // 0. A local stand-in for Tencent Cloud IM, with its own app credentials.
    let emulator = Emulator::start(EmulatorConfig::default()).await?;
    let app = emulator.tencent();
    println!(
        "0. emulator listening on {} (sdkappid {}, admin {})",
        emulator.url(),
        app.sdkappid,
        app.admin
    );

    // The same code talks to the real cloud: drop `.base_url(...)` and pick a region instead.
    let im: Arc<dyn ImProvider> = Arc::new(
        TencentClient::builder(app.sdkappid, app.secret_key.clone(), app.admin.clone())
            .base_url(emulator.url())
            .build()?,
    );

    // 1. Import the account `lilei` (and a friend to put in the group).
    let token = im.register_user(&RegisterUser::new("lilei")).await?;
    // A token is a secret: show only its length and lifetime.
    let valid_for = token
        .expires_at()
        .and_then(|t| t.duration_since(SystemTime::now()).ok());
    println!(
        "1. imported lilei; client token (a UserSig, {} chars) valid for {} days",
        token.token().expose_secret().len(),
        valid_for.map_or(0, |d| (d.as_secs() + 3600) / 86_400)
    );
    im.register_user(&RegisterUser::new("hanmeimei").nickname("韩梅梅"))
        .await?;
    println!("   imported hanmeimei");

    // 2. Set lilei's nickname.
    im.set_profile(&SetProfile::new("lilei").nickname("李雷"))
        .await?;
    let nick = emulator
        .state()
        .user("lilei")
        .map(|u| u.nick)
        .unwrap_or_default();
    println!("2. set lilei's nickname: {nick}");

    // 3. Create a public group owned by lilei, with an initial member.
    let group = im
        .create_group(
            &CreateGroup::new("MyFirstGroup")
                .kind(GroupKind::Public)
                .owner("lilei")
                .member("hanmeimei"),
        )
        .await?;
    let members = emulator
        .state()
        .group(&group.group_id)
        .map(|g| g.members.len())
        .unwrap_or(0);
    println!(
        "3. created MyFirstGroup: group id {} with {members} members",
        group.group_id
    );

    // 4. Send a group message and a one-to-one message.
    let in_group = im
        .send_message(&SendMessage::to_group(
            "lilei",
            &group.group_id,
            MessageContent::text("大家好！"),
        ))
        .await?;
    println!(
        "4. lilei -> MyFirstGroup: message seq {}",
        in_group.message_id
    );
    let direct = im
        .send_message(&SendMessage::to_user(
            "lilei",
            "hanmeimei",
            MessageContent::text("Hi, Han Meimei"),
        ))
        .await?;
    println!("   lilei -> hanmeimei: message key {}", direct.message_id);

    let stored = emulator.state().c2c_messages().len()
        + emulator.state().group_messages(&group.group_id).len();
    println!("done: the emulator holds {stored} messages");
    emulator.shutdown().await;
    Ok(())
}
