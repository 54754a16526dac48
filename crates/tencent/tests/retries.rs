//! The retry policy under injected faults: retried and succeeded, failed at once with the
//! vendor's code, or outcome unknown; a retried send is stored exactly once; the 70001 renewal;
//! and the rate limiter under load.

mod support;

use imbridge_core::prelude::*;
use std::time::Duration;

use imbridge_core::policy::{RateLimits, RetryPolicy};
use imbridge_core::{CreateGroup, ErrorKind, MessageContent, Operation, RegisterUser, SendMessage};
use imbridge_emulator::{Emulator, Fault, FaultRule};
use imbridge_tencent::TencentClient;
use support::*;

const IMPORT: &str = "/v4/im_open_login_svc/account_import";
const SENDMSG: &str = "/v4/openim/sendmsg";
const ROAMMSG: &str = "/v4/openim/admin_getroammsg";
const GROUP_MSG: &str = "/v4/group_open_http_svc/send_group_msg";
const CREATE: &str = "/v4/group_open_http_svc/create_group";

fn fast_client(emu: &Emulator) -> TencentClient {
    TencentClient::builder(SDKAPPID, SECRET, ADMIN)
        .base_url(emu.url())
        .retry_policy(
            RetryPolicy::default().backoff(Duration::from_millis(5), Duration::from_millis(20)),
        )
        .build()
        .unwrap()
}

fn now_of(clock: &imbridge_core::ManualClock) -> u64 {
    imbridge_core::Clock::unix_seconds(clock)
}

fn attempts(emu: &Emulator, path: &str) -> usize {
    emu.state()
        .requests()
        .iter()
        .filter(|r| r.path == path)
        .count()
}

async fn users(im: &TencentClient, ids: &[&str]) {
    for id in ids {
        im.register_user(&RegisterUser::new(*id)).await.unwrap();
    }
}

#[tokio::test]
async fn temporary_vendor_codes_are_retried_until_success() {
    let emu = emulator().await;
    let im = fast_client(&emu);
    emu.inject(FaultRule::path(IMPORT, Fault::VendorCode { code: 70169 }).times(2));
    im.register_user(&RegisterUser::new("lilei")).await.unwrap();
    assert_eq!(attempts(&emu, IMPORT), 3);
    assert!(emu.state().user("lilei").is_some());
}

#[tokio::test]
async fn gateway_errors_and_broken_answers_are_retried_for_idempotent_calls() {
    for fault in [
        Fault::Status(502),
        Fault::GatewayPage(503),
        Fault::TruncatedBody,
        Fault::DropConnection,
    ] {
        let emu = emulator().await;
        let im = fast_client(&emu);
        emu.inject(FaultRule::path(IMPORT, fault.clone()).times(1));
        im.register_user(&RegisterUser::new("lilei"))
            .await
            .unwrap_or_else(|e| panic!("{fault:?}: {e}"));
        assert_eq!(attempts(&emu, IMPORT), 2, "{fault:?}");
    }
}

#[tokio::test]
async fn auth_and_invalid_input_fail_at_once_with_the_vendor_code() {
    for code in [70009, 70402] {
        let emu = emulator().await;
        let im = fast_client(&emu);
        emu.inject(FaultRule::path(IMPORT, Fault::VendorCode { code }));
        let err = im
            .register_user(&RegisterUser::new("lilei"))
            .await
            .unwrap_err();
        assert_eq!(err.vendor_code(), Some(code));
        assert!(!err.is_retryable());
        assert_eq!(attempts(&emu, IMPORT), 1, "{code} was not retried");
    }
}

#[tokio::test]
async fn rate_limit_answers_are_retried_even_for_sends_after_a_backoff() {
    let emu = emulator().await;
    let im = fast_client(&emu);
    users(&im, &["a", "b"]).await;
    emu.inject(FaultRule::path(SENDMSG, Fault::VendorCode { code: 60007 }).times(2));
    im.send_message(&SendMessage::to_user("a", "b", MessageContent::text("hi")))
        .await
        .unwrap();
    assert_eq!(attempts(&emu, SENDMSG), 3);
    assert_eq!(emu.state().c2c_messages().len(), 1);
}

#[tokio::test]
async fn a_send_whose_answer_was_lost_is_found_in_history_and_stored_once() {
    for lost in [
        Fault::Status(502),
        Fault::DropConnection,
        Fault::TruncatedBody,
        Fault::VendorCode { code: 20005 },
    ] {
        let emu = emulator().await;
        let im = fast_client(&emu);
        users(&im, &["a", "b"]).await;
        emu.inject(
            FaultRule::path(SENDMSG, Fault::AfterProcessing(Box::new(lost.clone()))).times(1),
        );
        let receipt = im
            .send_message(&SendMessage::to_user(
                "a",
                "b",
                MessageContent::text("once"),
            ))
            .await
            .unwrap_or_else(|e| panic!("{lost:?}: {e}"));
        let msgs = emu.state().c2c_messages();
        assert_eq!(msgs.len(), 1, "{lost:?}: exactly one copy");
        assert_eq!(receipt.message_id, msgs[0].msg_key);
        assert_eq!(receipt.dedup_key, Some(msgs[0].msg_random));
        // The history search found it: no resend.
        assert_eq!(attempts(&emu, SENDMSG), 1, "{lost:?}");
        assert_eq!(attempts(&emu, ROAMMSG), 1, "{lost:?}");
    }
}

#[tokio::test]
async fn a_send_lost_before_the_vendor_stored_it_is_resent_with_the_same_key() {
    let emu = emulator().await;
    let im = fast_client(&emu);
    users(&im, &["a", "b"]).await;
    emu.inject(FaultRule::path(SENDMSG, Fault::Status(502)).times(1));
    let receipt = im
        .send_message(&SendMessage::to_user("a", "b", MessageContent::text("x")))
        .await
        .unwrap();
    let msgs = emu.state().c2c_messages();
    assert_eq!(msgs.len(), 1);
    assert_eq!(receipt.message_id, msgs[0].msg_key);
    let randoms: Vec<String> = emu
        .state()
        .requests()
        .iter()
        .filter(|r| r.path == SENDMSG)
        .map(|r| {
            serde_json::from_str::<serde_json::Value>(&r.body).unwrap()["MsgRandom"].to_string()
        })
        .collect();
    assert_eq!(randoms.len(), 2, "searched, not found, resent");
    assert_eq!(
        randoms[0], randoms[1],
        "the same MsgRandom on both attempts"
    );
    assert_eq!(attempts(&emu, ROAMMSG), 1);
}

#[tokio::test]
async fn group_sends_are_deduplicated_across_retries_too() {
    let emu = emulator().await;
    let im = fast_client(&emu);
    users(&im, &["a"]).await;
    let gid = im
        .create_group(&CreateGroup::new("g").owner("a"))
        .await
        .unwrap()
        .group_id;
    emu.inject(
        FaultRule::path(
            GROUP_MSG,
            Fault::AfterProcessing(Box::new(Fault::Status(504))),
        )
        .times(1),
    );
    let receipt = im
        .send_message(&SendMessage::to_group("a", &gid, MessageContent::text("x")))
        .await
        .unwrap();
    assert_eq!(emu.state().group_messages(&gid).len(), 1);
    assert_eq!(receipt.sequence, Some(1));
}

#[tokio::test]
async fn a_group_creation_that_may_have_happened_is_not_repeated() {
    let emu = emulator().await;
    let im = fast_client(&emu);
    users(&im, &["a"]).await;
    emu.inject(
        FaultRule::path(CREATE, Fault::AfterProcessing(Box::new(Fault::Status(502)))).times(1),
    );
    let err = im
        .create_group(&CreateGroup::new("g").owner("a"))
        .await
        .unwrap_err();
    assert!(err.is_outcome_unknown(), "{err}");
    assert!(!err.is_retryable());
    assert_eq!(attempts(&emu, CREATE), 1);
    assert_eq!(
        emu.state().groups().len(),
        1,
        "the group exists: the caller must check"
    );
}

#[tokio::test]
async fn an_expired_admin_sig_is_renewed_and_the_call_sent_once_more() {
    let emu = emulator().await;
    let clock = std::sync::Arc::new(imbridge_core::ManualClock::at_unix(now()));
    let im = TencentClient::builder(SDKAPPID, SECRET, ADMIN)
        .base_url(emu.url())
        .clock(clock.clone())
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap();
    im.register_user(&RegisterUser::new("warm")).await.unwrap();
    // Ten seconds later the cached sig is still fresh by our clock, but the server refuses it.
    clock.advance(Duration::from_secs(10));
    emu.inject(FaultRule::path(IMPORT, Fault::VendorCode { code: 70001 }).times(1));
    im.register_user(&RegisterUser::new("lilei")).await.unwrap();
    let sigs: Vec<String> = emu
        .state()
        .requests()
        .iter()
        .filter(|r| r.path == IMPORT)
        .map(|r| r.query_param("usersig").unwrap().to_owned())
        .collect();
    assert_eq!(sigs.len(), 3);
    assert_eq!(sigs[0], sigs[1], "the refused request used the cached sig");
    assert_ne!(sigs[1], sigs[2], "the retry used a new one");
    let key = imbridge_tencent::usersig::UserSigKey::new(SDKAPPID, SECRET.into());
    assert_eq!(
        key.verify(&sigs[2], ADMIN, now() + 10).unwrap().time,
        now_of(&clock)
    );
    assert_eq!(
        emu.state().user("lilei").map(|u| u.id),
        Some("lilei".to_owned()),
        "even with retries off"
    );
}

#[tokio::test]
async fn a_per_call_policy_overrides_the_clients() {
    let emu = emulator().await;
    let im = fast_client(&emu);
    emu.inject(FaultRule::path(IMPORT, Fault::VendorCode { code: 70169 }).times(1));
    let err = im
        .register_user(&RegisterUser::new("a").retry(RetryPolicy::never()))
        .await
        .unwrap_err();
    assert_eq!(
        (err.kind(), err.vendor_code()),
        (ErrorKind::Unavailable, Some(70169))
    );
    assert_eq!(attempts(&emu, IMPORT), 1);
}

#[tokio::test]
async fn hundreds_of_concurrent_sends_stay_under_the_configured_rate_and_all_succeed() {
    const RATE: u32 = 100;
    const SENDS: usize = 250;
    let emu = emulator().await;
    let im = TencentClient::builder(SDKAPPID, SECRET, ADMIN)
        .base_url(emu.url())
        .rate_limits(RateLimits::unlimited().per_second(Operation::SendMessage, RATE))
        .build()
        .unwrap();
    users(&im, &["a", "b"]).await;
    let tasks: Vec<_> = (0..SENDS)
        .map(|i| {
            let im = im.clone();
            tokio::spawn(async move {
                im.send_message(&SendMessage::to_user(
                    "a",
                    "b",
                    MessageContent::text(format!("m{i}")),
                ))
                .await
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap().expect("every send succeeds");
    }
    assert_eq!(emu.state().c2c_messages().len(), SENDS);
    let times: Vec<u64> = emu
        .state()
        .requests()
        .iter()
        .filter(|r| r.path == SENDMSG)
        .map(|r| r.received_at_ms)
        .collect();
    assert_eq!(times.len(), SENDS);
    // A token bucket of RATE per second lets at most RATE (the burst) + RATE (the refill) start
    // in any one-second window. Requests reach the server a little after they start, and that
    // delay varies (more on a loaded machine), so arrivals can bunch: allow 20% for delivery
    // jitter. Without the limiter all 250 would arrive within one window.
    let bound = 2 * RATE as usize + RATE as usize / 5;
    for (i, start) in times.iter().enumerate() {
        let in_window = times[i..].iter().take_while(|t| **t < start + 1000).count();
        assert!(
            in_window <= bound,
            "{in_window} sends within one second (bound {bound})"
        );
    }
    // Past the burst, the sends come at the configured rate: 150 more at 100/s take 1.5 s.
    let span = times.last().unwrap() - times.first().unwrap();
    let expected_ms = (SENDS as u64 - RATE as u64) * 1000 / RATE as u64;
    assert!(
        span + 100 >= expected_ms,
        "{SENDS} sends at {RATE}/s took only {span} ms"
    );
}

#[tokio::test]
async fn a_lost_send_is_not_resent_when_history_cannot_be_searched() {
    let emu = emulator().await;
    let im = fast_client(&emu);
    users(&im, &["a", "b"]).await;
    emu.inject(
        FaultRule::path(
            SENDMSG,
            Fault::AfterProcessing(Box::new(Fault::DropConnection)),
        )
        .times(1),
    );
    emu.inject(FaultRule::path(ROAMMSG, Fault::Status(403)));
    let err = im
        .send_message(&SendMessage::to_user("a", "b", MessageContent::text("x")))
        .await
        .unwrap_err();
    assert!(err.is_outcome_unknown(), "{err}");
    assert!(!err.is_retryable());
    assert_eq!(attempts(&emu, SENDMSG), 1, "never resent without a search");
    assert_eq!(emu.state().c2c_messages().len(), 1, "the first one arrived");
}

#[tokio::test]
async fn a_batch_send_whose_answer_was_lost_is_not_repeated() {
    const BATCH: &str = "/v4/openim/batchsendmsg";
    let emu = emulator().await;
    let im = fast_client(&emu);
    users(&im, &["a", "b", "c"]).await;
    emu.inject(
        FaultRule::path(BATCH, Fault::AfterProcessing(Box::new(Fault::Status(502)))).times(1),
    );
    let err = im
        .send_batch(&imbridge_core::SendBatch::new(
            "a",
            ["b", "c"],
            MessageContent::text("x"),
        ))
        .await
        .unwrap_err();
    assert!(err.is_outcome_unknown(), "{err}");
    assert_eq!(attempts(&emu, BATCH), 1);
}
