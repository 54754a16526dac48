//! The messages family on RongCloud against the emulator: what a send's receipt refers to.

mod support;

use std::time::{SystemTime, UNIX_EPOCH};

use imbridge_core::policy::RateLimits;
use imbridge_core::prelude::*;
use imbridge_core::{
    ErrorKind, FileContent, ImageContent, ImportMessages, ImportedMessage, LocationContent,
    MediaContent, MessageContent, MessageHistory, MessageRef, Operation, PushInfo, RecallMessage,
    Recipient, RegisterUsers, SendBatch, SendMessage, SendSystemMessage, Vendor,
};
use imbridge_emulator::{Fault, FaultRule};
use imbridge_rongcloud::RongCloudClient;
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

fn stored_json(content: &str) -> serde_json::Value {
    serde_json::from_str(content).unwrap()
}

fn msg(from: &str, to: &str, content: MessageContent) -> SendMessage {
    SendMessage::to_user(from, to, content)
}

#[tokio::test]
async fn each_content_kind_goes_out_as_its_vendor_type() {
    let emu = emulator().await;
    let im = client(&[&emu.url()]);
    let mut image = ImageContent::new("https://cdn.example/a.png");
    image.width = Some(640);
    let mut file = FileContent::new("https://cdn.example/r.pdf", "report.pdf");
    file.size = Some(2048);
    let mut place = LocationContent::new(39.9, 116.4);
    place.description = Some("Tiananmen".into());
    let mut sound = MediaContent::new("https://cdn.example/v.aac");
    sound.duration_secs = Some(4);
    let mut video = MediaContent::new("https://cdn.example/clip.mp4");
    video.duration_secs = Some(9);
    video.size = Some(4096);
    for content in [
        MessageContent::Image(image),
        MessageContent::File(file),
        MessageContent::Location(place),
        MessageContent::Sound(sound),
        MessageContent::Video(video),
    ] {
        im.messages()
            .send_message(&msg("lilei", "hanmeimei", content))
            .await
            .unwrap();
    }
    let stored = emu.rongcloud_state().private_messages();
    let names: Vec<&str> = stored.iter().map(|m| m.object_name.as_str()).collect();
    assert_eq!(
        names,
        [
            "RC:ImgMsg",
            "RC:FileMsg",
            "RC:LBSMsg",
            "RC:HQVCMsg",
            "RC:SightMsg"
        ]
    );
    let c: Vec<serde_json::Value> = stored.iter().map(|m| stored_json(&m.content)).collect();
    assert_eq!(c[0]["imageUri"], "https://cdn.example/a.png");
    assert_eq!(c[0]["content"], "");
    assert_eq!(stored_json(c[0]["extra"].as_str().unwrap())["width"], 640);
    assert_eq!(c[1]["name"], "report.pdf");
    assert_eq!(c[1]["size"], 2048);
    assert_eq!(c[1]["type"], "pdf");
    assert_eq!(c[1]["fileUrl"], "https://cdn.example/r.pdf");
    assert_eq!(c[2]["latitude"], 39.9);
    assert_eq!(c[2]["longitude"], 116.4);
    assert_eq!(c[2]["poi"], "Tiananmen");
    assert_eq!(c[3]["remoteUrl"], "https://cdn.example/v.aac");
    assert_eq!(c[3]["duration"], 4);
    assert_eq!(c[4]["sightUrl"], "https://cdn.example/clip.mp4");
    assert_eq!(c[4]["duration"], 9);
    assert_eq!(c[4]["size"], 4096);
    assert_eq!(c[4]["name"], "clip.mp4");
}

#[tokio::test]
async fn group_mentions_and_push_go_in_the_content_and_the_push_fields() {
    let emu = emulator().await;
    let im = client(&[&emu.url()]);
    let req = SendMessage::to_group("lilei", "g1", MessageContent::text("@han look"))
        .mention("hanmeimei")
        .push(PushInfo::new("New message", "Lilei mentioned you"));
    im.messages().send_message(&req).await.unwrap();
    let stored = emu.rongcloud_state().group_messages("g1");
    let m = &stored[0];
    let c = stored_json(&m.content);
    assert_eq!(
        c["mentionedInfo"],
        serde_json::json!({"type": 2, "userIdList": ["hanmeimei"]})
    );
    assert_eq!(m.options["isMentioned"], "1");
    assert_eq!(m.options["pushContent"], "Lilei mentioned you");
    assert_eq!(
        stored_json(&m.options["pushExt"]),
        serde_json::json!({"title": "New message"})
    );

    let all = SendMessage::to_group("lilei", "g1", MessageContent::text("all")).mention_all();
    im.messages().send_message(&all).await.unwrap();
    let c = stored_json(&emu.rongcloud_state().group_messages("g1")[1].content);
    assert_eq!(c["mentionedInfo"]["type"], 1);
}

#[tokio::test]
async fn mentions_on_a_one_to_one_message_are_refused_before_sending() {
    let emu = emulator().await;
    let im = client(&[&emu.url()]);
    let err = im
        .messages()
        .send_message(&msg("lilei", "hanmeimei", MessageContent::text("hi")).mention("x"))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert_eq!(err.field(), Some("mentions"));
    assert!(paths(&emu).is_empty());
}

#[tokio::test]
async fn a_batch_gives_each_recipient_its_own_reference() {
    let emu = emulator().await;
    let im = client(&[&emu.url()]);
    let out = im
        .messages()
        .send_batch(&SendBatch::new(
            "admin",
            ["u1", "u2", "u3"],
            MessageContent::text("hello"),
        ))
        .await
        .unwrap();
    assert!(out.failed.is_empty());
    let stored = emu.rongcloud_state().private_messages();
    assert_eq!(stored.len(), 3);
    for (d, m) in out.succeeded.iter().zip(&stored) {
        assert_eq!(d.user_id, m.to);
        let parts = d.message_ref.parts();
        assert_eq!(parts[..3], ["private", "admin", m.to.as_str()]);
        assert_eq!(parts[3], m.message_uid);
    }
    assert_eq!(count(&emu, "/message/private/publish.json"), 1);
}

#[tokio::test]
async fn a_batch_past_1000_recipients_is_split() {
    let emu = emulator().await;
    let im = RongCloudClient::builder(APP_KEY, APP_SECRET)
        .base_url(emu.url())
        .rate_limits(RateLimits::unlimited())
        .build()
        .unwrap();
    let to: Vec<String> = (0..1001).map(|i| format!("u{i}")).collect();
    let out = im
        .messages()
        .send_batch(&SendBatch::new("admin", to, MessageContent::text("hi")))
        .await
        .unwrap();
    assert_eq!(out.succeeded.len(), 1001);
    assert_eq!(count(&emu, "/message/private/publish.json"), 2);
    let uids: std::collections::HashSet<String> = out
        .succeeded
        .iter()
        .map(|d| d.message_ref.parts()[3].clone())
        .collect();
    assert_eq!(uids.len(), 1001, "one messageUID per recipient");
}

#[tokio::test]
async fn a_system_message_needs_a_sender_and_has_system_references() {
    let emu = emulator().await;
    let im = client(&[&emu.url()]);
    let req = SendSystemMessage::new(["u1", "u2"], MessageContent::text("maintenance"));
    let err = im.messages().send_system_message(&req).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert_eq!(err.field(), Some("from"));
    assert!(paths(&emu).is_empty());

    let im = RongCloudClient::builder(APP_KEY, APP_SECRET)
        .base_url(emu.url())
        .system_account("system")
        .build()
        .unwrap();
    let out = im.messages().send_system_message(&req).await.unwrap();
    assert_eq!(out.succeeded.len(), 2);
    assert_eq!(
        out.succeeded[1].message_ref.parts()[..3],
        ["system", "system", "u2"]
    );
    assert_eq!(paths(&emu), ["/message/system/publish.json"]);
    let body = &emu.rongcloud_state().requests()[0].body;
    assert!(body.contains("fromUserId=system"), "{body}");
    assert!(
        body.contains("toUserId=u1") && body.contains("toUserId=u2"),
        "{body}"
    );
}

#[tokio::test]
async fn recall_sends_what_the_reference_holds() {
    let emu = emulator().await;
    let im = client(&[&emu.url()]);
    let dm = im
        .messages()
        .send_message(&msg("lilei", "hanmeimei", MessageContent::text("oops")))
        .await
        .unwrap();
    im.messages()
        .recall_message(&RecallMessage::new(dm.message_ref.clone()))
        .await
        .unwrap();
    let req = emu
        .rongcloud_state()
        .requests()
        .into_iter()
        .find(|r| r.path == "/message/recall.json")
        .unwrap();
    let form: Vec<(String, String)> = serde_html_form::from_str(&req.body).unwrap();
    let get = |k: &str| form.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    let parts = dm.message_ref.parts();
    assert_eq!(get("fromUserId").as_deref(), Some("lilei"));
    assert_eq!(get("conversationType").as_deref(), Some("1"));
    assert_eq!(get("targetId").as_deref(), Some("hanmeimei"));
    assert_eq!(get("messageUID"), Some(dm.message_id.clone()));
    assert_eq!(get("sentTime"), Some(parts[4].clone()));
}

#[tokio::test]
async fn a_reference_of_another_vendor_is_refused_before_sending() {
    let emu = emulator().await;
    let im = client(&[&emu.url()]);
    for r in [
        MessageRef::new(Vendor::Tencent, &["c2c", "a", "b", "1_2"]),
        MessageRef::new(Vendor::RongCloud, &["private", "a"]),
        MessageRef::new(Vendor::RongCloud, &["chat", "a", "b", "UID", "1"]),
        MessageRef::new(Vendor::RongCloud, &["private", "a", "b", "UID", "soon"]),
    ] {
        let err = im
            .messages()
            .recall_message(&RecallMessage::new(r.clone()))
            .await
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput, "{r}");
        assert_eq!(err.field(), Some("message_ref"), "{r}");
    }
    assert!(paths(&emu).is_empty());
}

#[tokio::test]
async fn history_pages_through_a_conversation_with_references_in_the_send_form() {
    let emu = emulator().await;
    emu.set_rongcloud_message_storage(true);
    let im = client(&[&emu.url()]);
    let mut sent = Vec::new();
    for i in 0..5 {
        let content = if i == 2 {
            MessageContent::Image(ImageContent::new("https://cdn.example/p.png"))
        } else {
            MessageContent::text(format!("m{i}"))
        };
        let r = im
            .messages()
            .send_message(&msg("lilei", "hanmeimei", content))
            .await
            .unwrap();
        sent.push(r.message_id);
    }
    let mut req = MessageHistory::direct("hanmeimei", "lilei").limit(2);
    let mut seen = Vec::new();
    let mut seen_times = Vec::new();
    let mut pages = 0;
    loop {
        let page = im.messages().message_history(&req).await.unwrap();
        pages += 1;
        for m in &page.items {
            assert_eq!(m.from, "lilei");
            assert_eq!(m.to, Recipient::User("hanmeimei".into()));
            let parts = m.message_ref.parts();
            assert_eq!(parts[..3], ["private", "lilei", "hanmeimei"]);
            seen.push((parts[3].clone(), m.content.clone()));
            seen_times.push(parts[4].parse::<u64>().unwrap());
        }
        match page.next {
            Some(c) => req = req.cursor(c),
            None => break,
        }
        assert!(pages < 10, "paging does not end");
    }
    let times: Vec<u64> = seen_times.clone();
    assert!(
        times.windows(2).all(|w| w[0] >= w[1]),
        "newest first: {times:?}"
    );
    let mut uids: Vec<String> = seen.iter().map(|(u, _)| u.clone()).collect();
    uids.sort();
    let mut want = sent.clone();
    want.sort();
    assert_eq!(uids, want, "every message once");
    assert!(
        seen.iter()
            .any(|(_, c)| matches!(c, Some(MessageContent::Image(_))))
    );
    assert!(
        seen.iter()
            .any(|(_, c)| c.as_ref() == Some(&MessageContent::text("m0")))
    );
    let body = emu
        .rongcloud_state()
        .requests()
        .into_iter()
        .find(|r| r.path == "/v3/message/private/query.json")
        .unwrap();
    assert_eq!(
        body.content_type
            .as_deref()
            .map(|c| c.starts_with("application/json")),
        Some(true)
    );
}

#[tokio::test]
async fn import_is_refused_and_sends_nothing() {
    let emu = emulator().await;
    let im = client(&[&emu.url()]);
    let req = ImportMessages::new(vec![ImportedMessage::new(
        "lilei",
        Recipient::User("hanmeimei".into()),
        MessageContent::text("old"),
        SystemTime::now(),
    )]);
    let err = im.messages().import_messages(&req).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unsupported);
    assert!(err.message().contains("import"), "{}", err.message());
    assert!(!im.capabilities().supports(Operation::ImportMessages));
    assert!(paths(&emu).is_empty());
}

#[tokio::test]
async fn a_lost_answer_is_found_in_history_and_not_sent_again() {
    let emu = emulator().await;
    emu.set_rongcloud_message_storage(true);
    let im = client(&[&emu.url()]);
    emu.inject(
        FaultRule::path(
            "/message/private/publish.json",
            Fault::AfterProcessing(Box::new(Fault::DropConnection)),
        )
        .times(1),
    );
    let receipt = im
        .messages()
        .send_message(&msg("lilei", "hanmeimei", MessageContent::text("once")))
        .await
        .unwrap();
    let stored = emu.rongcloud_state().private_messages();
    assert_eq!(stored.len(), 1, "exactly one copy");
    assert_eq!(receipt.message_id, stored[0].message_uid);
    assert_eq!(count(&emu, "/message/private/publish.json"), 1);
    assert!(count(&emu, "/v3/message/private/query.json") >= 1);
}

#[tokio::test]
async fn a_send_lost_before_the_vendor_stored_it_is_sent_once_more() {
    let emu = emulator().await;
    emu.set_rongcloud_message_storage(true);
    let im = client(&[&emu.url()]);
    emu.inject(FaultRule::path("/message/private/publish.json", Fault::DropConnection).times(1));
    let receipt = im
        .messages()
        .send_message(&msg("lilei", "hanmeimei", MessageContent::text("again")))
        .await
        .unwrap();
    let stored = emu.rongcloud_state().private_messages();
    assert_eq!(stored.len(), 1, "exactly one copy");
    assert_eq!(receipt.message_id, stored[0].message_uid);
    assert_eq!(count(&emu, "/message/private/publish.json"), 2);
}

#[tokio::test]
async fn without_history_a_lost_answer_is_an_unknown_outcome() {
    let emu = emulator().await;
    let im = client(&[&emu.url()]);
    emu.inject(
        FaultRule::path(
            "/message/private/publish.json",
            Fault::AfterProcessing(Box::new(Fault::DropConnection)),
        )
        .times(1),
    );
    // The app's cloud message storage is off (the emulator's default, as at the vendor):
    // history cannot tell.
    let err = im
        .messages()
        .send_message(&msg("lilei", "hanmeimei", MessageContent::text("maybe")))
        .await
        .unwrap_err();
    assert!(err.is_outcome_unknown(), "{err}");
    assert_eq!(
        count(&emu, "/v3/message/private/query.json"),
        1,
        "history was asked"
    );
    assert_eq!(emu.rongcloud_state().private_messages().len(), 1);
    assert_eq!(
        count(&emu, "/message/private/publish.json"),
        1,
        "never resent blind"
    );
}

#[tokio::test]
async fn a_recalled_message_leaves_the_history_and_group_history_reads_as_a_member() {
    let emu = emulator().await;
    emu.set_rongcloud_message_storage(true);
    let im = client(&[&emu.url()]);
    let mut refs = Vec::new();
    for t in ["a", "b"] {
        let r = im
            .messages()
            .send_message(&SendMessage::to_group("gia", "g1", MessageContent::text(t)))
            .await
            .unwrap();
        refs.push(r.message_ref);
    }
    // The vendor's query needs a user: without a viewer or a configured account, refused.
    let err = im
        .messages()
        .message_history(&MessageHistory::group("g1"))
        .await
        .unwrap_err();
    assert_eq!(err.field(), Some("viewer"));
    let page = im
        .messages()
        .message_history(&MessageHistory::group("g1").as_user("gus"))
        .await
        .unwrap();
    assert_eq!(page.items.len(), 2);
    // Newest first (two messages of the same millisecond may come either way).
    assert!(page.items[0].sent_at >= page.items[1].sent_at);
    let texts: Vec<_> = page.items.iter().map(|m| m.content.clone()).collect();
    assert!(texts.contains(&Some(MessageContent::text("a"))));
    assert!(texts.contains(&Some(MessageContent::text("b"))));
    assert_eq!(page.items[0].to, Recipient::Group("g1".into()));
    assert_eq!(
        page.items[0].message_ref.parts()[..3],
        ["group", "gia", "g1"]
    );

    im.messages()
        .recall_message(&RecallMessage::new(refs[0].clone()))
        .await
        .unwrap();
    let after = im
        .messages()
        .message_history(&MessageHistory::group("g1").as_user("gus"))
        .await
        .unwrap();
    let uid = &refs[0].parts()[3];
    assert!(
        after
            .items
            .iter()
            .all(|m| &m.message_ref.parts()[3] != uid || m.recalled),
        "the recalled message is gone or marked"
    );
    let stored = emu.rongcloud_state().group_messages("g1");
    assert!(stored[0].recalled);
}

#[tokio::test]
async fn a_group_send_whose_answer_was_lost_is_found_in_the_group_history() {
    let emu = emulator().await;
    emu.set_rongcloud_message_storage(true);
    let im = client(&[&emu.url()]);
    emu.inject(
        FaultRule::path(
            "/message/group/publish.json",
            Fault::AfterProcessing(Box::new(Fault::DropConnection)),
        )
        .times(1),
    );
    let receipt = im
        .messages()
        .send_message(&SendMessage::to_group(
            "gia",
            "g1",
            MessageContent::text("to all"),
        ))
        .await
        .unwrap();
    let stored = emu.rongcloud_state().group_messages("g1");
    assert_eq!(stored.len(), 1, "exactly one copy");
    assert_eq!(receipt.message_id, stored[0].message_uid);
    assert_eq!(count(&emu, "/message/group/publish.json"), 1);
    assert!(count(&emu, "/v3/message/group/query.json") >= 1);
}
