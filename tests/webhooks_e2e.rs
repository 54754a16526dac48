//! End to end: an operation → the emulator → a signed callback → our axum router (verifier)
//! → a typed event in the app; refused callbacks are answered with the refusal.
#![cfg(all(feature = "tencent", feature = "rongcloud", feature = "axum"))]

use imbridge::rongcloud::callback::{self as rc, CallbackVerifier as RongCloudVerifier};
use imbridge::tencent::callback::{CallbackVerifier as TencentVerifier, Event, Reply};
use imbridge::webhook::axum::{rongcloud_router, tencent_router};
use imbridge::{
    CreateGroup, MessageContent, ProviderConfig, RegisterUser, RongCloudSettings, SendMessage,
    SetProfile, TencentSettings, Vendor, connect_vendor,
};
use imbridge_emulator::{CallbackConfig, Emulator, EmulatorConfig};
use tokio::sync::mpsc;

enum Seen {
    Tencent(Event),
    RongCloud(rc::Event),
}

/// Our app: both routers on 127.0.0.1:0, typed events into a channel.
async fn app(emu: &Emulator, tencent_token: &str) -> (String, mpsc::UnboundedReceiver<Seen>) {
    let (tx, rx) = mpsc::unbounded_channel();
    let t = tx.clone();
    let tencent = tencent_router(
        TencentVerifier::new(emu.tencent().sdkappid, tencent_token.to_owned()),
        move |cb| {
            let t = t.clone();
            async move {
                let _ = t.send(Seen::Tencent(cb.event));
                Reply::Allow
            }
        },
    );
    let r = emu.rongcloud();
    let rongcloud = rongcloud_router(
        RongCloudVerifier::new(r.app_key.clone(), r.app_secret.clone()),
        move |cb| {
            let tx = tx.clone();
            async move {
                let _ = tx.send(Seen::RongCloud(cb.event));
            }
        },
    );
    let router = axum::Router::new()
        .nest("/tencent", tencent)
        .nest("/rongcloud", rongcloud);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await });
    (url, rx)
}

fn config(emu: &Emulator) -> ProviderConfig {
    let (t, r) = (emu.tencent(), emu.rongcloud());
    let mut tencent = TencentSettings::new(t.sdkappid, t.secret_key.clone(), t.admin.clone());
    tencent.base_urls = vec![emu.url()];
    let mut rongcloud = RongCloudSettings::new(r.app_key.clone(), r.app_secret.clone());
    rongcloud.base_urls = vec![emu.url()];
    let mut config = ProviderConfig::tencent(tencent);
    config.rongcloud = Some(rongcloud);
    config
}

#[tokio::test]
async fn tencent_operations_reach_the_app_as_verified_typed_events() {
    let emu = Emulator::start(EmulatorConfig::default()).await.unwrap();
    let (url, mut events) = app(&emu, "cb-token").await;
    emu.set_callbacks(Some(
        CallbackConfig::new(format!("{url}/tencent")).tencent_token("cb-token"),
    ));
    let im = connect_vendor(&config(&emu), Vendor::Tencent).unwrap();
    for u in ["lilei", "hanmeimei"] {
        im.register_user(&RegisterUser::new(u)).await.unwrap();
    }
    im.set_profile(&SetProfile::new("lilei").nickname("李雷"))
        .await
        .unwrap();
    let gid = im
        .create_group(&CreateGroup::new("G").owner("lilei").member("hanmeimei"))
        .await
        .unwrap()
        .group_id;
    im.send_message(&SendMessage::to_user(
        "lilei",
        "hanmeimei",
        MessageContent::text("hi"),
    ))
    .await
    .unwrap();

    let deliveries = emu.callbacks().wait_for(3).await;
    assert!(
        deliveries.iter().all(|d| d.status == Some(200)),
        "{deliveries:?}"
    );
    assert!(deliveries.iter().all(|d| {
        d.reply
            .as_deref()
            .is_some_and(|r| r.contains("\"ActionStatus\":\"OK\""))
    }));

    let mut seen = Vec::new();
    for _ in 0..3 {
        match events.recv().await.unwrap() {
            Seen::Tencent(e) => seen.push(e),
            Seen::RongCloud(e) => panic!("unexpected {e:?}"),
        }
    }
    assert!(
        matches!(&seen[0], Event::PortraitSet { user, .. } if user == "lilei"),
        "{seen:?}"
    );
    assert!(
        matches!(&seen[1], Event::AfterCreateGroup { group_id, owner, .. } if *group_id == gid && owner == "lilei")
    );
    assert!(matches!(&seen[2], Event::AfterSendC2c(m) if m.from == "lilei" && m.to == "hanmeimei"));
}

#[tokio::test]
async fn rongcloud_messages_reach_the_app_as_verified_routed_messages() {
    let emu = Emulator::start(EmulatorConfig::default()).await.unwrap();
    let (url, mut events) = app(&emu, "unused").await;
    emu.set_callbacks(Some(CallbackConfig::new(format!("{url}/rongcloud"))));
    let im = connect_vendor(&config(&emu), Vendor::RongCloud).unwrap();
    im.send_message(&SendMessage::to_user(
        "lilei",
        "hanmeimei",
        MessageContent::text("hi & bye"),
    ))
    .await
    .unwrap();
    let deliveries = emu.callbacks().wait_for(1).await;
    assert_eq!(deliveries[0].status, Some(200));
    match events.recv().await.unwrap() {
        Seen::RongCloud(rc::Event::MessageRouted(m)) => {
            assert_eq!(
                (m.from.as_str(), m.to.as_str(), m.object_name.as_str()),
                ("lilei", "hanmeimei", "RC:TxtMsg")
            );
            assert_eq!(m.content, r#"{"content":"hi & bye"}"#);
        }
        _ => panic!("expected a routed message"),
    }
}

#[tokio::test]
async fn callbacks_signed_with_another_token_are_refused_and_never_reach_the_app() {
    let emu = Emulator::start(EmulatorConfig::default()).await.unwrap();
    let (url, mut events) = app(&emu, "cb-token").await;
    emu.set_callbacks(Some(
        CallbackConfig::new(format!("{url}/tencent")).tencent_token("not-the-token"),
    ));
    let im = connect_vendor(&config(&emu), Vendor::Tencent).unwrap();
    im.register_user(&RegisterUser::new("lilei")).await.unwrap();
    im.set_profile(&SetProfile::new("lilei").nickname("L"))
        .await
        .unwrap();
    let deliveries = emu.callbacks().wait_for(1).await;
    assert_eq!(deliveries[0].status, Some(401));
    assert!(
        deliveries[0]
            .reply
            .as_deref()
            .unwrap_or_default()
            .contains("signature does not match")
    );
    assert!(
        events.try_recv().is_err(),
        "a refused callback is not handed to the app"
    );
}
