//! The migration combinators on the emulator: `Mirror` writes to two vendors with partial
//! failures explicit, `Fallback` moves to the second vendor only when the first is unavailable.
#![cfg(all(feature = "tencent", feature = "rongcloud"))]

use imbridge::prelude::*;
use std::sync::{Arc, Mutex};

use imbridge::policy::Idempotency;
use imbridge::{
    CheckUsers, CreateGroup, Error, ErrorKind, Fallback, GroupKind, ImProvider, MessageContent,
    Mirror, Operation, ProviderConfig, RegisterUser, RongCloudSettings, SendMessage,
    TencentSettings, Vendor, connect,
};
use imbridge_emulator::{Emulator, EmulatorConfig};

async fn emulator() -> Emulator {
    Emulator::start(EmulatorConfig::default()).await.unwrap()
}

fn tencent(emu: &Emulator, url: &str) -> Arc<dyn ImProvider> {
    let t = emu.tencent();
    let mut s = TencentSettings::new(t.sdkappid, t.secret_key.clone(), t.admin.clone());
    s.base_urls = vec![url.to_owned()];
    connect(&ProviderConfig::tencent(s)).unwrap()
}

fn rongcloud(emu: &Emulator, secret: Option<&str>) -> Arc<dyn ImProvider> {
    let r = emu.rongcloud();
    let mut s = RongCloudSettings::new(
        r.app_key.clone(),
        secret.unwrap_or(&r.app_secret).to_owned(),
    );
    s.base_urls = vec![emu.url()];
    connect(&ProviderConfig::rongcloud(s)).unwrap()
}

fn dead_url() -> String {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = l.local_addr().unwrap();
    drop(l);
    format!("http://{addr}")
}

#[tokio::test]
async fn mirror_writes_to_both_vendors() {
    let emu = emulator().await;
    let mirror = Mirror::new(tencent(&emu, &emu.url()), rongcloud(&emu, None));
    let lilei = RegisterUser::new("lilei");
    let tokens = mirror.both(|p| p.users().register_user(&lilei)).await;
    assert!(tokens.is_complete());
    let (t, r) = tokens.both().unwrap();
    assert_eq!(
        (t.vendor(), r.vendor()),
        (Some(Vendor::Tencent), Some(Vendor::RongCloud))
    );
    let hanmeimei = RegisterUser::new("hanmeimei");
    assert!(
        mirror
            .both(|p| p.users().register_user(&hanmeimei))
            .await
            .is_complete()
    );
    assert!(emu.state().user("lilei").is_some() && emu.rongcloud_state().user("lilei").is_some());

    // No id given: one id, valid on both vendors, for both copies of the group.
    let groups = mirror
        .create_group_on_both(&CreateGroup::new("Team").owner("lilei").member("hanmeimei"))
        .await;
    let (a, b) = groups.both().unwrap();
    assert_eq!(a.group_id, b.group_id);
    assert!(
        emu.state().group(&a.group_id).is_some()
            && emu.rongcloud_state().group(&a.group_id).is_some()
    );

    // As a provider, a write goes to both and the primary's result comes back.
    mirror
        .messages()
        .send_message(&SendMessage::to_group(
            "lilei",
            &a.group_id,
            MessageContent::text("hi"),
        ))
        .await
        .unwrap();
    // A read asks the primary only.
    let before = emu.rongcloud_state().requests().len();
    let checked = mirror
        .users()
        .check_users(&CheckUsers::new(["lilei"]))
        .await
        .unwrap();
    assert!(checked.succeeded[0].exists);
    assert_eq!(emu.rongcloud_state().requests().len(), before);
    assert_eq!(emu.state().group_messages(&a.group_id).len(), 1);
    assert_eq!(emu.rongcloud_state().group_messages(&a.group_id).len(), 1);
}

#[tokio::test]
async fn mirror_partial_failures_are_explicit_and_reported() {
    let emu = emulator().await;
    let failures: Arc<Mutex<Vec<(Operation, ErrorKind)>>> = Arc::default();
    let seen = Arc::clone(&failures);
    let mirror = Mirror::new(
        tencent(&emu, &emu.url()),
        rongcloud(&emu, Some("wrong-secret")),
    )
    .on_secondary_failure(Arc::new(move |op, e: &Error| {
        seen.lock().unwrap().push((op, e.kind()))
    }));

    let lilei = RegisterUser::new("lilei");
    let both = mirror.both(|p| p.users().register_user(&lilei)).await;
    assert!(both.is_partial());
    assert!(both.primary.is_ok());
    assert_eq!(both.secondary.as_ref().unwrap_err().kind(), ErrorKind::Auth);
    assert!(
        failures.lock().unwrap().is_empty(),
        "the explicit API does not call the hook"
    );

    // As an ImProvider: the primary's result, the secondary's failure reported.
    let im: Arc<dyn ImProvider> = Arc::new(mirror);
    im.register_user(&RegisterUser::new("hanmeimei"))
        .await
        .unwrap();
    assert_eq!(
        *failures.lock().unwrap(),
        [(Operation::RegisterUser, ErrorKind::Auth)]
    );
    assert_eq!(im.vendor(), Vendor::Tencent);
}

#[tokio::test]
async fn mirror_offers_what_both_support() {
    let emu = emulator().await;
    let mirror = Mirror::new(tencent(&emu, &emu.url()), rongcloud(&emu, None));
    let caps = mirror.capabilities();
    assert_eq!(caps.groups.kinds, [GroupKind::Public]);
    assert!(!caps.profiles.extended_fields && !caps.users.local_tokens && caps.groups.custom_ids);
    assert_eq!(caps.messages.max_bytes, 12 * 1024);
}

#[tokio::test]
async fn fallback_moves_to_the_second_vendor_when_the_first_is_down() {
    let emu = emulator().await;
    let im: Arc<dyn ImProvider> = Arc::new(Fallback::new(
        tencent(&emu, &dead_url()),
        rongcloud(&emu, None),
    ));
    let token = im.register_user(&RegisterUser::new("lilei")).await.unwrap();
    assert_eq!(
        token.vendor(),
        Some(Vendor::RongCloud),
        "the token says which vendor to log in to"
    );
    im.register_user(&RegisterUser::new("hanmeimei"))
        .await
        .unwrap();
    im.send_message(&SendMessage::to_user(
        "lilei",
        "hanmeimei",
        MessageContent::text("hi"),
    ))
    .await
    .unwrap();
    assert_eq!(emu.rongcloud_state().private_messages().len(), 1);
    assert!(emu.state().users().is_empty());
}

#[tokio::test]
async fn fallback_keeps_business_errors_and_uses_the_first_when_it_works() {
    let emu = emulator().await;
    let im = Fallback::new(tencent(&emu, &emu.url()), rongcloud(&emu, None));
    im.register_user(&RegisterUser::new("lilei")).await.unwrap();
    assert!(
        emu.rongcloud_state().users().is_empty(),
        "the first vendor answered"
    );
    let err = im
        .send_message(&SendMessage::to_user(
            "lilei",
            "ghost",
            MessageContent::text("hi"),
        ))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
    assert!(
        emu.rongcloud_state().private_messages().is_empty(),
        "a business error does not fall back"
    );
}

#[test]
fn fallback_never_repeats_a_send_that_may_have_been_delivered() {
    // The runners record each failed call's idempotency; the fallback decides by it.
    let timeout = Error::new(ErrorKind::Timeout, "no answer");
    let idempotent = timeout.clone().with_idempotency(Idempotency::Idempotent);
    assert!(Fallback::should_fall_back(
        Operation::RegisterUser,
        &idempotent
    ));
    let dedup = timeout.clone().with_idempotency(Idempotency::Deduplicated);
    assert!(!Fallback::should_fall_back(Operation::SendMessage, &dedup));
    assert!(
        !Fallback::should_fall_back(Operation::RegisterUser, &timeout),
        "a write whose idempotency nobody recorded stays put"
    );
    assert!(
        Fallback::should_fall_back(Operation::QueryOnline, &timeout),
        "a read may always move"
    );
    let unknown = Error::new(ErrorKind::Unavailable, "502").with_outcome_unknown();
    assert!(!Fallback::should_fall_back(
        Operation::SendMessage,
        &unknown
    ));
    let refused = Error::new(ErrorKind::Transport, "connection refused").with_unsent();
    assert!(Fallback::should_fall_back(Operation::SendMessage, &refused));
    assert!(!Fallback::should_fall_back(
        Operation::SetProfile,
        &Error::new(ErrorKind::RateLimited, "slow")
    ));
}
