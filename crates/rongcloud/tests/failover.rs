//! Failover across domains (registrations carry a nickname, so each is exactly one request): the call that hits a dead or failing domain succeeds on the next
//! one, business errors never switch, the healthy domain is remembered, the primary is tried
//! again after the cool-down, and many concurrent calls all succeed during a failover.

mod support;

use imbridge_core::prelude::*;
use std::sync::Arc;
use std::time::Duration;

use imbridge_core::{
    ErrorKind, ManualClock, MessageContent, RegisterUser, SendMessage, SetProfile,
};
use imbridge_emulator::Fault;
use support::*;

#[tokio::test]
async fn a_dead_primary_is_invisible_to_the_caller() {
    let emu = emulator().await;
    let dead = dead_url();
    let im = client(&[&dead, &emu.url()]);
    let token = im
        .register_user(&RegisterUser::new("lilei").nickname("lilei"))
        .await
        .expect("the same call succeeds on the backup");
    assert_eq!(token.user_id(), "lilei");
    assert_eq!(
        im.preferred_base_url().as_str(),
        format!("{}/", emu.url()),
        "the healthy domain is remembered"
    );
    // Later calls, including sends, go straight to the backup.
    im.register_user(&RegisterUser::new("hanmeimei").nickname("hanmeimei"))
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
}

#[tokio::test]
async fn a_primary_taken_down_mid_life_fails_over_even_for_pooled_connections() {
    let emu = emulator().await;
    let primary = emu.main_listener();
    let backup = emu.add_listener().await.unwrap();
    let im = client(&[&primary.url(), &backup.url()]);
    im.register_user(&RegisterUser::new("a").nickname("a"))
        .await
        .unwrap();
    assert_eq!(
        (primary.requests_served(), backup.requests_served()),
        (1, 0)
    );
    primary.take_down().await;
    im.register_user(&RegisterUser::new("b").nickname("b"))
        .await
        .unwrap();
    assert_eq!(backup.requests_served(), 1);
    // A send whose connection was refused was never sent, so it too moves on safely.
    primary.bring_up().await.unwrap();
    primary.take_down().await;
    let fresh = client(&[&primary.url(), &backup.url()]);
    fresh
        .send_message(&SendMessage::to_user("a", "b", MessageContent::text("x")))
        .await
        .unwrap();
    assert_eq!(emu.rongcloud_state().private_messages().len(), 1);
}

#[tokio::test]
async fn a_503_primary_moves_the_call_to_the_backup() {
    let emu = emulator().await;
    let primary = emu.main_listener();
    let backup = emu.add_listener().await.unwrap();
    primary.set_fault(Fault::Status(503));
    let im = client(&[&primary.url(), &backup.url()]);
    im.register_user(&RegisterUser::new("a").nickname("a"))
        .await
        .unwrap();
    im.register_user(&RegisterUser::new("b").nickname("b"))
        .await
        .unwrap();
    // 503 means "not handled", so even a send may move on.
    im.send_message(&SendMessage::to_user("a", "b", MessageContent::text("x")))
        .await
        .unwrap();
    assert_eq!(
        primary.requests_served(),
        1,
        "only the first call met the 503; later ones went to the backup"
    );
    assert_eq!(emu.rongcloud_state().users().len(), 2);
    assert_eq!(emu.rongcloud_state().private_messages().len(), 1);
}

#[tokio::test]
async fn a_gateway_page_moves_idempotent_calls_but_never_duplicates_a_send() {
    let emu = emulator().await;
    let primary = emu.main_listener();
    let backup = emu.add_listener().await.unwrap();
    let im = client(&[&primary.url(), &backup.url()]);
    im.register_user(&RegisterUser::new("a").nickname("a"))
        .await
        .unwrap();
    im.register_user(&RegisterUser::new("b").nickname("b"))
        .await
        .unwrap();

    primary.set_fault(Fault::GatewayPage(502));
    // A raw publish (no history check, unlike `send_message`): it may have been processed.
    let err = im
        .call_json(
            "/message/private/publish.json",
            &serde_json::json!({
                "fromUserId": "a", "toUserId": "b", "objectName": "RC:TxtMsg",
                "content": "{\"content\":\"x\"}",
            }),
        )
        .await
        .unwrap_err();
    assert!(err.is_outcome_unknown(), "{err}");
    assert!(!err.is_retryable());
    assert_eq!(err.http_status(), Some(502));
    assert!(
        err.message().contains("without a RongCloud answer") && err.message().contains('<'),
        "{err}"
    );
    assert_eq!(
        backup.requests_served(),
        0,
        "a send that may have been processed is not sent again"
    );

    // The primary is now avoided, and an idempotent call on a fresh client moves on at once.
    let fresh = client(&[&primary.url(), &backup.url()]);
    fresh
        .set_profile(&SetProfile::new("a").nickname("A"))
        .await
        .unwrap();
    assert_eq!(emu.rongcloud_state().user("a").unwrap().name, "A");
    assert_eq!(backup.requests_served(), 1);
}

#[tokio::test]
async fn a_business_error_never_switches_domains() {
    let emu = emulator().await;
    let primary = emu.main_listener();
    let backup = emu.add_listener().await.unwrap();
    let im = client(&[&primary.url(), &backup.url()]);
    let err = im
        .set_profile(&SetProfile::new("ghost").nickname("g"))
        .await
        .unwrap_err();
    assert!(
        err.vendor_code().is_some() && err.http_status().is_some_and(|s| s < 500),
        "{err}"
    );
    assert_eq!(backup.requests_served(), 0);
    assert_eq!(
        im.preferred_base_url().as_str(),
        format!("{}/", primary.url())
    );
    let bad = imbridge_rongcloud::RongCloudClient::builder(APP_KEY, "wrong")
        .base_urls([primary.url(), backup.url()])
        .build()
        .unwrap();
    let err = bad
        .register_user(&RegisterUser::new("a").nickname("a"))
        .await
        .unwrap_err();
    assert_eq!(
        (err.kind(), err.vendor_code()),
        (ErrorKind::Auth, Some(1004))
    );
    assert_eq!(
        backup.requests_served(),
        0,
        "401 + 1004 is the vendor's answer, not a dead domain"
    );
}

#[tokio::test]
async fn a_hung_primary_is_cut_off_and_idempotent_calls_move_on() {
    let emu = emulator().await;
    let primary = emu.main_listener();
    let backup = emu.add_listener().await.unwrap();
    primary.set_fault(Fault::Delay(Duration::from_secs(30)));
    let im = imbridge_rongcloud::RongCloudClient::builder(APP_KEY, APP_SECRET)
        .base_url(primary.url())
        .base_url(backup.url())
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    im.register_user(&RegisterUser::new("a").nickname("a"))
        .await
        .unwrap();
    assert_eq!(backup.requests_served(), 1);
}

#[tokio::test]
async fn many_concurrent_calls_during_a_failover_all_succeed() {
    let emu = emulator().await;
    let primary = emu.main_listener();
    let backup = emu.add_listener().await.unwrap();
    let im = client(&[&primary.url(), &backup.url()]);
    im.register_user(&RegisterUser::new("warm").nickname("warm"))
        .await
        .unwrap();
    primary.take_down().await;
    let tasks: Vec<_> = (0..64)
        .map(|i| {
            let im = im.clone();
            tokio::spawn(async move {
                im.register_user(&RegisterUser::new(format!("user{i}")).nickname("user"))
                    .await
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap().expect("every call succeeds");
    }
    assert_eq!(emu.rongcloud_state().users().len(), 65);
    let sends: Vec<_> = (0..32)
        .map(|i| {
            let im = im.clone();
            tokio::spawn(async move {
                im.send_message(&SendMessage::to_user(
                    "warm",
                    format!("user{i}"),
                    MessageContent::text("hi"),
                ))
                .await
            })
        })
        .collect();
    for t in sends {
        t.await.unwrap().expect("every send succeeds");
    }
    assert_eq!(emu.rongcloud_state().private_messages().len(), 32);
}

#[tokio::test]
async fn the_primary_is_used_again_after_the_cooldown() {
    let emu = emulator().await;
    let primary = emu.main_listener();
    let backup = emu.add_listener().await.unwrap();
    let clock = Arc::new(ManualClock::at_unix(now()));
    let im = client_with(
        &[&primary.url(), &backup.url()],
        clock.clone(),
        Duration::from_secs(30),
    );

    primary.take_down().await;
    im.register_user(&RegisterUser::new("a").nickname("a"))
        .await
        .unwrap();
    primary.bring_up().await.unwrap();
    let served = primary.requests_served();

    // Within the cool-down, calls stay on the backup although the primary is back.
    clock.advance(Duration::from_secs(29));
    im.register_user(&RegisterUser::new("b").nickname("b"))
        .await
        .unwrap();
    assert_eq!(primary.requests_served(), served);

    // After it, the primary is probed again and, being healthy, used.
    clock.advance(Duration::from_secs(1));
    im.register_user(&RegisterUser::new("c").nickname("c"))
        .await
        .unwrap();
    assert_eq!(primary.requests_served(), served + 1);
    assert_eq!(
        im.preferred_base_url().as_str(),
        format!("{}/", primary.url())
    );
}

#[tokio::test]
async fn when_every_domain_is_dead_the_error_says_so_and_is_retryable() {
    let im = client(&[&dead_url(), &dead_url()]);
    let err = im
        .register_user(&RegisterUser::new("a").nickname("a"))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Transport);
    assert!(err.is_retryable() && !err.is_outcome_unknown());
    assert!(err.request_id().is_some());
}

#[tokio::test]
async fn a_send_behind_a_gateway_page_is_looked_up_on_the_backup_before_it_is_sent_again() {
    let emu = emulator().await;
    let primary = emu.main_listener();
    let backup = emu.add_listener().await.unwrap();
    emu.set_rongcloud_message_storage(true);
    let im = client(&[&primary.url(), &backup.url()]);
    primary.set_fault(Fault::GatewayPage(502));
    let receipt = im
        .send_message(&SendMessage::to_user("a", "b", MessageContent::text("x")))
        .await
        .unwrap();
    // The gateway page says nothing about the send: history (an idempotent query, so it may
    // move to the backup) shows the vendor stored nothing, and only then is it sent again.
    let stored = emu.rongcloud_state().private_messages();
    assert_eq!(stored.len(), 1, "exactly one copy");
    assert_eq!(receipt.message_id, stored[0].message_uid);
    let paths: Vec<String> = emu
        .rongcloud_state()
        .requests()
        .into_iter()
        .map(|r| r.path)
        .collect();
    let query = paths
        .iter()
        .position(|p| p == "/v3/message/private/query.json")
        .expect("history was read");
    let resend = paths
        .iter()
        .rposition(|p| p == "/message/private/publish.json")
        .unwrap();
    assert!(query < resend, "{paths:?}");
}
