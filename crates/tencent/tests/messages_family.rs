//! The messages family on Tencent against the emulator: what a send's receipt refers to.

mod support;

use imbridge_core::prelude::*;
use imbridge_core::{CreateGroup, MessageContent, MessageRef, RegisterUsers, SendMessage, Vendor};
use support::*;

#[tokio::test]
async fn every_send_returns_a_reference_for_recall_and_history() {
    let emu = emulator().await;
    let im = client(&emu);
    im.users()
        .register_users(&RegisterUsers::new(["lilei", "hanmeimei"]))
        .await
        .unwrap();
    let dm = im
        .messages()
        .send_message(&SendMessage::to_user(
            "lilei",
            "hanmeimei",
            MessageContent::text("hi"),
        ))
        .await
        .unwrap();
    assert_eq!(dm.message_ref.vendor(), Vendor::Tencent);
    assert_eq!(
        dm.message_ref.parts(),
        ["c2c", "lilei", "hanmeimei", dm.message_id.as_str()]
    );
    assert!(!dm.message_id.is_empty(), "the MsgKey");
    let parsed: MessageRef = dm.message_ref.to_string().parse().unwrap();
    assert_eq!(parsed, dm.message_ref);

    im.groups()
        .create_group(&CreateGroup::new("Team").group_id("g1").owner("lilei"))
        .await
        .unwrap();
    let a = im
        .messages()
        .send_message(&SendMessage::to_group(
            "lilei",
            "g1",
            MessageContent::text("one"),
        ))
        .await
        .unwrap();
    let b = im
        .messages()
        .send_message(&SendMessage::to_group(
            "lilei",
            "g1",
            MessageContent::text("two"),
        ))
        .await
        .unwrap();
    // A group's MsgSeq is unique only within the group: the reference adds the group.
    assert_eq!(a.message_ref.parts()[..2], ["group", "g1"]);
    assert_eq!(a.message_ref.parts()[2], a.message_id);
    assert_ne!(a.message_ref, b.message_ref);
}
