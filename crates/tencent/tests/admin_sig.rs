//! The admin UserSig cache, end to end: one sig for many requests, a new one before expiry,
//! each accepted by the emulator's vendor-exact UserSig check.

mod support;

use imbridge_core::prelude::*;
use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use imbridge_core::{Clock, ManualClock, RegisterUser};
use imbridge_tencent::TencentClient;
use support::*;

fn sigs_seen(emu: &imbridge_emulator::Emulator) -> Vec<String> {
    emu.state()
        .requests()
        .iter()
        .map(|r| r.query_param("usersig").unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn one_sig_is_shared_until_renewal_which_happens_before_expiry() {
    let emu = emulator().await;
    let clock = Arc::new(ManualClock::at_unix(now()));
    let im = TencentClient::builder(SDKAPPID, SECRET, ADMIN)
        .base_url(emu.url())
        .admin_sig_ttl(Duration::from_secs(3600))
        .clock(clock.clone())
        .build()
        .unwrap();

    // Many requests, from many tasks at once: one sig.
    let tasks: Vec<_> = (0..16)
        .map(|i| {
            let im = im.clone();
            tokio::spawn(async move { im.register_user(&RegisterUser::new(format!("u{i}"))).await })
        })
        .collect();
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    let first: BTreeSet<_> = sigs_seen(&emu).into_iter().collect();
    assert_eq!(first.len(), 1, "all requests share one admin sig");
    let first_sig = first.into_iter().next().unwrap();
    let info = im
        .usersig_key()
        .verify(&first_sig, ADMIN, clock.unix_seconds())
        .unwrap();
    assert_eq!(info.expire, 3600);

    // Just before the renewal margin (a tenth of the lifetime): still the same sig.
    clock.advance(Duration::from_secs(3600 - 360 - 1));
    im.register_user(&RegisterUser::new("a")).await.unwrap();
    assert_eq!(sigs_seen(&emu).last().unwrap(), &first_sig);

    // Inside the margin, before expiry: a new sig, which the emulator accepts.
    clock.advance(Duration::from_secs(1));
    im.register_user(&RegisterUser::new("b")).await.unwrap();
    let renewed = sigs_seen(&emu).last().unwrap().clone();
    assert_ne!(renewed, first_sig);
    let info = im
        .usersig_key()
        .verify(&renewed, ADMIN, clock.unix_seconds())
        .unwrap();
    assert_eq!(info.time, clock.unix_seconds());

    // And it is reused afterwards.
    im.register_user(&RegisterUser::new("c")).await.unwrap();
    assert_eq!(sigs_seen(&emu).last().unwrap(), &renewed);
    assert_eq!(sigs_seen(&emu).iter().collect::<BTreeSet<_>>().len(), 2);
}

#[tokio::test]
async fn an_expired_admin_sig_is_refused_by_the_server_as_auth_70001() {
    // A client whose clock runs a day behind signs sigs that the server finds expired.
    let emu = emulator().await;
    let behind = Arc::new(ManualClock::at_unix(now() - 86_400));
    let im = TencentClient::builder(SDKAPPID, SECRET, ADMIN)
        .base_url(emu.url())
        .admin_sig_ttl(Duration::from_secs(3600))
        .clock(behind)
        .build()
        .unwrap();
    let err = im.register_user(&RegisterUser::new("a")).await.unwrap_err();
    assert_eq!(err.kind(), imbridge_core::ErrorKind::Auth);
    assert_eq!(err.vendor_code(), Some(70001));
}

#[tokio::test]
async fn wrong_key_wrong_app_and_non_admin_are_auth_errors_with_vendor_codes() {
    let emu = emulator().await;
    let cases = [
        (TencentClient::builder(SDKAPPID, "wrong-key", ADMIN), 70009),
        (TencentClient::builder(SDKAPPID + 1, SECRET, ADMIN), 0),
        (TencentClient::builder(SDKAPPID, SECRET, "someone"), 60010),
    ];
    for (builder, code) in cases {
        let im = builder.base_url(emu.url()).build().unwrap();
        let err = im.register_user(&RegisterUser::new("a")).await.unwrap_err();
        assert_eq!(err.kind(), imbridge_core::ErrorKind::Auth, "{err}");
        if code != 0 {
            assert_eq!(err.vendor_code(), Some(code), "{err}");
        }
        assert!(!err.to_string().contains(SECRET));
    }
}
