//! The retry policy under injected faults on RongCloud: temporary errors and rate limits are
//! retried, auth fails at once, a send that may have been processed is never repeated, and a
//! hung server is cut off by the timeout.

mod support;

use imbridge_core::prelude::*;
use std::time::{Duration, Instant};

use imbridge_core::policy::RetryPolicy;
use imbridge_core::{ErrorKind, MessageContent, RegisterUser, SendMessage};
use imbridge_emulator::{Emulator, Fault, FaultRule};
use imbridge_rongcloud::RongCloudClient;
use support::*;

const TOKEN: &str = "/user/getToken.json";
const PRIVATE: &str = "/message/private/publish.json";

fn fast_client(emu: &Emulator) -> RongCloudClient {
    RongCloudClient::builder(APP_KEY, APP_SECRET)
        .base_url(emu.url())
        .retry_policy(
            RetryPolicy::default().backoff(Duration::from_millis(5), Duration::from_millis(20)),
        )
        .build()
        .unwrap()
}

fn attempts(emu: &Emulator, path: &str) -> usize {
    emu.rongcloud_state()
        .requests()
        .iter()
        .filter(|r| r.path == path)
        .count()
}

fn reg(id: &str) -> RegisterUser {
    RegisterUser::new(id).nickname(id)
}

#[tokio::test]
async fn temporary_errors_are_retried_for_idempotent_calls() {
    for fault in [
        Fault::VendorCode { code: 1000 },
        Fault::VendorCode { code: 1050 },
        Fault::GatewayPage(502),
        Fault::DropConnection,
    ] {
        let emu = emulator().await;
        let im = fast_client(&emu);
        emu.inject(FaultRule::path(TOKEN, fault.clone()).times(2));
        im.register_user(&reg("lilei"))
            .await
            .unwrap_or_else(|e| panic!("{fault:?}: {e}"));
        assert_eq!(attempts(&emu, TOKEN), 3, "{fault:?}");
    }
}

#[tokio::test]
async fn rate_limits_are_retried_even_for_sends() {
    let emu = emulator().await;
    let im = fast_client(&emu);
    emu.inject(FaultRule::path(PRIVATE, Fault::VendorCode { code: 1008 }).times(2));
    im.send_message(&SendMessage::to_user("a", "b", MessageContent::text("hi")))
        .await
        .unwrap();
    assert_eq!(attempts(&emu, PRIVATE), 3);
    assert_eq!(emu.rongcloud_state().private_messages().len(), 1);
}

#[tokio::test]
async fn auth_fails_at_once_with_the_vendor_code() {
    let emu = emulator().await;
    let im = fast_client(&emu);
    emu.inject(FaultRule::path(TOKEN, Fault::VendorCode { code: 1004 }));
    let err = im.register_user(&reg("lilei")).await.unwrap_err();
    assert_eq!(
        (err.kind(), err.vendor_code()),
        (ErrorKind::Auth, Some(1004))
    );
    assert_eq!(attempts(&emu, TOKEN), 1);
}

#[tokio::test]
async fn a_send_that_may_have_been_processed_is_outcome_unknown_and_not_repeated() {
    for lost in [
        Fault::Status(502),
        Fault::DropConnection,
        Fault::TruncatedBody,
    ] {
        let emu = emulator().await;
        let im = fast_client(&emu);
        emu.inject(
            FaultRule::path(PRIVATE, Fault::AfterProcessing(Box::new(lost.clone()))).times(1),
        );
        let err = im
            .send_message(&SendMessage::to_user(
                "a",
                "b",
                MessageContent::text("once"),
            ))
            .await
            .unwrap_err();
        assert!(err.is_outcome_unknown(), "{lost:?}: {err}");
        assert!(!err.is_retryable());
        assert_eq!(attempts(&emu, PRIVATE), 1, "{lost:?}: not sent again");
        assert_eq!(
            emu.rongcloud_state().private_messages().len(),
            1,
            "{lost:?}: it was in fact stored"
        );
    }
}

#[tokio::test]
async fn a_hung_server_is_cut_off_by_the_timeout_and_the_call_retried() {
    let emu = emulator().await;
    let im = RongCloudClient::builder(APP_KEY, APP_SECRET)
        .base_url(emu.url())
        .timeout(Duration::from_millis(300))
        .retry_policy(
            RetryPolicy::default().backoff(Duration::from_millis(5), Duration::from_millis(20)),
        )
        .build()
        .unwrap();
    emu.inject(FaultRule::path(TOKEN, Fault::Hang).times(1));
    let started = Instant::now();
    im.register_user(&reg("lilei")).await.unwrap();
    assert!(
        started.elapsed() >= Duration::from_millis(300),
        "the first attempt waited for the timeout"
    );
    assert_eq!(attempts(&emu, TOKEN), 2);

    // A send that hangs may have been processed: cut off, outcome unknown, not repeated.
    emu.inject(FaultRule::path(PRIVATE, Fault::Hang).times(1));
    let err = im
        .send_message(&SendMessage::to_user("a", "b", MessageContent::text("x")))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout);
    assert!(err.is_outcome_unknown());
    assert_eq!(attempts(&emu, PRIVATE), 1);
}

#[tokio::test]
async fn the_timeout_applies_to_a_callers_http_client_too() {
    let emu = emulator().await;
    // The caller's client has no timeout of its own; the builder's must still apply.
    let im = RongCloudClient::builder(APP_KEY, APP_SECRET)
        .base_url(emu.url())
        .http_client(reqwest::Client::new())
        .timeout(Duration::from_millis(300))
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap();
    emu.inject(FaultRule::path(TOKEN, Fault::Hang).times(1));
    // A guard, not a wait: without the timeout the hung request would never end.
    let err = tokio::time::timeout(Duration::from_secs(60), im.register_user(&reg("lilei")))
        .await
        .expect("the request timeout ends the call")
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout);
    assert_eq!(attempts(&emu, TOKEN), 1);
}
