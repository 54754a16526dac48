//! The messages family on RongCloud against the emulator: what a send's receipt refers to.

mod support;

use std::time::{SystemTime, UNIX_EPOCH};

use imbridge_core::prelude::*;
use imbridge_core::{MessageContent, MessageRef, RegisterUsers, SendMessage, Vendor};
use support::*;

#[tokio::test]
async fn every_send_returns_a_reference_with_its_send_time() {
    let emu = emulator().await;
    let im = client(&[&emu.url()]);
    im.users()
        .register_users(&RegisterUsers::new(["lilei", "hanmeimei"]))
        .await
        .unwrap();
    let before = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis();
    let dm = im
        .messages()
        .send_message(&SendMessage::to_user(
            "lilei",
            "hanmeimei",
            MessageContent::text("hi"),
        ))
        .await
        .unwrap();
    let parts = dm.message_ref.parts();
    assert_eq!(dm.message_ref.vendor(), Vendor::RongCloud);
    assert_eq!(parts[..3], ["private", "lilei", "hanmeimei"]);
    assert_eq!(parts[3], dm.message_id, "the messageUID");
    assert!(!dm.message_id.is_empty());
    // The vendor does not return the send time that recall needs: it is recorded at send.
    let sent: u128 = parts[4].parse().unwrap();
    assert!(
        sent >= before && sent <= before + 60_000,
        "{sent} vs {before}"
    );
    assert!(dm.sent_at.is_some());
    let parsed: MessageRef = dm.message_ref.to_string().parse().unwrap();
    assert_eq!(parsed, dm.message_ref);

    let group = im
        .messages()
        .send_message(&SendMessage::to_group(
            "lilei",
            "g1",
            MessageContent::text("all"),
        ))
        .await
        .unwrap();
    assert_eq!(group.message_ref.parts()[..3], ["group", "lilei", "g1"]);
}
