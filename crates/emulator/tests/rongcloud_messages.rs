//! Private and group messages of the RongCloud half.

mod rongcloud_support;

use std::time::Duration;

use imbridge_emulator::EmulatorConfig;
use imbridge_emulator::rongcloud::codes;
use rongcloud_support::{Rc, now_ms};
use serde_json::json;

const PRIVATE: &str = "/message/private/publish.json";
const GROUP: &str = "/message/group/publish.json";
const TXT: &str = r#"{"content":"hello"}"#;

#[tokio::test]
async fn private_messages_get_one_uid_per_recipient() {
    let rc = Rc::start().await;
    rc.register(&["alice", "bob"]).await;
    let before = now_ms();
    let a = rc
        .form(
            PRIVATE,
            &[
                ("fromUserId", "alice"),
                ("toUserId", "bob"),
                ("toUserId", "carol"),
                ("objectName", "RC:TxtMsg"),
                ("content", TXT),
                ("pushContent", "you have a message"),
                ("isPersisted", "1"),
                ("isIncludeSender", "0"),
                ("disablePush", "false"),
            ],
        )
        .await;
    let j = a.ok();
    assert!(
        a.text.starts_with(r#"{"code":200,"messageUIDs":[{"#),
        "{}",
        a.text
    );
    let uids = j["messageUIDs"].as_array().unwrap();
    assert_eq!(uids.len(), 2);
    assert_eq!(uids[0]["userId"], "bob");
    assert_eq!(uids[1]["userId"], "carol");
    let uid0 = uids[0]["messageUID"].as_str().unwrap();
    let uid1 = uids[1]["messageUID"].as_str().unwrap();
    assert_ne!(uid0, uid1);

    let messages = rc.emu.rongcloud_state().private_messages();
    assert_eq!(messages.len(), 2);
    let m = &messages[0];
    assert_eq!((m.from.as_str(), m.to.as_str()), ("alice", "bob"));
    assert_eq!(m.object_name, "RC:TxtMsg");
    assert_eq!(m.content, TXT);
    assert_eq!(m.message_uid, uid0);
    assert_eq!(m.options["pushContent"], "you have a message");
    assert_eq!(m.options["isPersisted"], "1");
    assert_eq!(m.options["disablePush"], "false");
    assert_eq!(m.options.len(), 4);
    assert!(m.sent_at_ms >= before);
    assert_eq!(messages[1].to, "carol");
    assert_eq!(messages[1].message_uid, uid1);
}

#[tokio::test]
async fn messages_to_and_from_unregistered_users_are_accepted() {
    let rc = Rc::start().await;
    rc.form(
        PRIVATE,
        &[
            ("fromUserId", "ghost1"),
            ("toUserId", "ghost2"),
            ("objectName", "RC:TxtMsg"),
            ("content", TXT),
        ],
    )
    .await
    .ok();
    assert_eq!(rc.emu.rongcloud_state().private_messages().len(), 1);
    assert!(rc.emu.rongcloud_state().users().is_empty());
}

async fn send(rc: &Rc, object_name: &str, content: &str) -> rongcloud_support::Answer {
    rc.form(
        PRIVATE,
        &[
            ("fromUserId", "a"),
            ("toUserId", "b"),
            ("objectName", object_name),
            ("content", content),
        ],
    )
    .await
}

#[tokio::test]
async fn content_and_object_name_are_checked() {
    let rc = Rc::start().await;
    send(&rc, "RC:TxtMsg", "hello").await.fails(400, 1002);
    send(&rc, "RC:TxtMsg", "[1]").await.fails(400, 1002);
    send(&rc, "RC:TxtMsg", r#"{"text":"x"}"#)
        .await
        .fails(400, 1002);
    send(&rc, "RC:TxtMsg", r#"{"content":5}"#)
        .await
        .fails(400, 1002);
    send(&rc, "RC:ImgMsg", "not json").await.fails(400, 1002);
    send(
        &rc,
        "RC:ImgMsg",
        r#"{"content":"base64","imageUri":"http://x"}"#,
    )
    .await
    .ok();
    // Custom types: any string (the vendor: not limited to JSON).
    send(&rc, "App:Custom", "plain text payload").await.ok();
    send(&rc, &"X".repeat(32), "{}").await.ok();
    send(&rc, &"X".repeat(33), "{}").await.fails(400, 1005);
    send(&rc, "", "{}").await.fails(400, 1002);
    send(&rc, "RC:TxtMsg", "").await.fails(400, 1002);
    let big = format!(r#"{{"content":"{}"}}"#, "x".repeat(128 * 1024));
    send(&rc, "RC:TxtMsg", &big).await.fails(400, 1005);
    let fits = format!(r#"{{"content":"{}"}}"#, "x".repeat(128 * 1024 - 14));
    assert_eq!(fits.len(), 128 * 1024);
    send(&rc, "RC:TxtMsg", &fits).await.ok();
    assert_eq!(rc.emu.rongcloud_state().private_messages().len(), 4);
}

#[tokio::test]
async fn private_recipients_and_sender_are_checked() {
    let rc = Rc::start().await;
    rc.form(
        PRIVATE,
        &[
            ("toUserId", "b"),
            ("objectName", "RC:TxtMsg"),
            ("content", TXT),
        ],
    )
    .await
    .fails(400, 1002);
    rc.form(
        PRIVATE,
        &[
            ("fromUserId", "a"),
            ("objectName", "RC:TxtMsg"),
            ("content", TXT),
        ],
    )
    .await
    .fails(400, 1002);
    let ids: Vec<String> = (0..1001).map(|i| format!("u{i}")).collect();
    let mut pairs: Vec<(&str, &str)> = ids.iter().map(|id| ("toUserId", id.as_str())).collect();
    pairs.extend([
        ("fromUserId", "a"),
        ("objectName", "RC:TxtMsg"),
        ("content", TXT),
    ]);
    rc.form(PRIVATE, &pairs).await.fails(400, 1002);
    pairs.remove(0);
    let a = rc.form(PRIVATE, &pairs).await;
    assert_eq!(a.ok()["messageUIDs"].as_array().unwrap().len(), 1000);
}

#[tokio::test]
async fn group_messages_need_no_membership() {
    let rc = Rc::start().await;
    let state = rc.emu.rongcloud_state();
    rc.form(
        "/group/create.json",
        &[("userId", "m1"), ("groupId", "g1"), ("groupName", "G")],
    )
    .await
    .ok();
    let a = rc
        .form(
            GROUP,
            &[
                ("fromUserId", "outsider"),
                ("toGroupId", "g1"),
                ("toGroupId", "g2"),
                ("objectName", "RC:TxtMsg"),
                ("content", TXT),
                ("isMentioned", "1"),
            ],
        )
        .await;
    let j = a.ok();
    let uids = j["messageUIDs"].as_array().unwrap();
    assert_eq!(uids.len(), 2);
    assert_eq!(uids[0]["groupId"], "g1");
    assert_eq!(uids[1]["groupId"], "g2");
    let m = &state.group_messages("g1")[0];
    assert_eq!(m.from, "outsider");
    assert_eq!(m.group_id, "g1");
    assert!(m.to_users.is_empty());
    assert_eq!(m.options["isMentioned"], "1");
    assert_eq!(m.message_uid, uids[0]["messageUID"].as_str().unwrap());
    // A group that does not exist still gets the message (unconfirmed vendor behaviour).
    assert_eq!(state.group_messages("g2").len(), 1);
    assert!(state.group("g2").is_none());
    assert_eq!(state.all_group_messages().len(), 2);
}

#[tokio::test]
async fn group_message_limits_and_targeting() {
    let rc = Rc::start().await;
    let state = rc.emu.rongcloud_state();
    let base = [
        ("fromUserId", "a"),
        ("objectName", "RC:TxtMsg"),
        ("content", TXT),
    ];
    let with = |extra: &[(&'static str, &'static str)]| {
        let mut pairs: Vec<(&str, &str)> = base.to_vec();
        pairs.extend_from_slice(extra);
        pairs
    };
    rc.form(GROUP, &with(&[])).await.fails(400, 1002);
    rc.form(
        GROUP,
        &with(&[
            ("toGroupId", "g1"),
            ("toGroupId", "g2"),
            ("toGroupId", "g3"),
            ("toGroupId", "g4"),
        ]),
    )
    .await
    .fails(400, 1002);
    rc.form(
        GROUP,
        &with(&[("toGroupId", "g1"), ("toGroupId", "g2"), ("toUserId", "m1")]),
    )
    .await
    .fails(400, 1002);
    assert!(state.all_group_messages().is_empty());

    rc.form(
        GROUP,
        &with(&[("toGroupId", "g1"), ("toUserId", "m1"), ("toUserId", "m2")]),
    )
    .await
    .ok();
    let m = &state.group_messages("g1")[0];
    assert_eq!(m.to_users, vec!["m1", "m2"]);
    rc.form(
        GROUP,
        &with(&[
            ("toGroupId", "g1"),
            ("toGroupId", "g2"),
            ("toGroupId", "g3"),
        ]),
    )
    .await
    .ok();
    assert_eq!(state.all_group_messages().len(), 4);
    rc.form(
        GROUP,
        &[
            ("fromUserId", "a"),
            ("toGroupId", "g1"),
            ("objectName", "RC:TxtMsg"),
            ("content", "not json"),
        ],
    )
    .await
    .fails(400, 1002);
}

fn private_with_random(random: &'static str) -> Vec<(&'static str, &'static str)> {
    vec![
        ("fromUserId", "alice"),
        ("toUserId", "bob"),
        ("objectName", "RC:TxtMsg"),
        ("content", TXT),
        ("msgRandom", random),
    ]
}

#[tokio::test]
async fn msg_random_deduplicates_nothing_by_default() {
    let rc = Rc::start().await;
    let state = rc.emu.rongcloud_state();
    assert!(!state.msg_random_dedup());
    rc.emu.clock().freeze();
    let pairs = private_with_random("12345");
    let a = rc.form(PRIVATE, &pairs).await.ok()["messageUIDs"].clone();
    let b = rc.form(PRIVATE, &pairs).await.ok()["messageUIDs"].clone();
    assert_ne!(a, b);
    let group = [
        ("fromUserId", "alice"),
        ("toGroupId", "g"),
        ("objectName", "RC:TxtMsg"),
        ("content", TXT),
        ("msgRandom", "12345"),
    ];
    rc.form(GROUP, &group).await.ok();
    rc.form(GROUP, &group).await.ok();
    // Every send is delivered: the retry of a publish is a second message at the vendor.
    assert_eq!(state.private_messages().len(), 2);
    assert_eq!(state.group_messages("g").len(), 2);
    assert_eq!(state.private_messages()[1].options["msgRandom"], "12345");
}

#[tokio::test]
async fn msg_random_deduplicates_for_one_minute_when_the_feature_is_on() {
    let rc = Rc::start_with(EmulatorConfig {
        rongcloud_msg_random_dedup: true,
        ..EmulatorConfig::default()
    })
    .await;
    let state = rc.emu.rongcloud_state();
    assert!(state.msg_random_dedup());
    let clock = rc.emu.clock();
    clock.freeze_at_ms(1_700_000_000_000);

    let first = rc.form(PRIVATE, &private_with_random("777")).await;
    first.ok();
    let uid = first.json["messageUIDs"][0]["messageUID"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(state.private_messages()[0].sent_at_ms, 1_700_000_000_000);

    // 59.999 s later: refused, not delivered again.
    clock.advance(Duration::from_millis(59_999));
    let dup = rc.form(PRIVATE, &private_with_random("777")).await;
    dup.fails(400, codes::MSG_RANDOM_DUPLICATE);
    let message = dup.json["errorMessage"].as_str().unwrap();
    assert!(
        message.contains("777") && message.contains(&uid),
        "{message}"
    );
    // By the group path too (the scope is app-wide in the emulator).
    let group = [
        ("fromUserId", "carol"),
        ("toGroupId", "g"),
        ("objectName", "RC:TxtMsg"),
        ("content", TXT),
        ("msgRandom", "777"),
    ];
    rc.form(GROUP, &group)
        .await
        .fails(400, codes::MSG_RANDOM_DUPLICATE);
    assert_eq!(state.private_messages().len(), 1);
    assert!(state.all_group_messages().is_empty());
    // Another msgRandom, or none, is another message.
    rc.form(PRIVATE, &private_with_random("778")).await.ok();
    let mut without = private_with_random("");
    without.pop();
    rc.form(PRIVATE, &without).await.ok();
    rc.form(PRIVATE, &without).await.ok();
    assert_eq!(state.private_messages().len(), 4);

    // A minute after the original, the same msgRandom is delivered again.
    clock.advance(Duration::from_millis(1));
    rc.form(GROUP, &group).await.ok();
    assert_eq!(state.group_messages("g").len(), 1);
    // ... and opens its own minute.
    rc.form(PRIVATE, &private_with_random("777"))
        .await
        .fails(400, codes::MSG_RANDOM_DUPLICATE);

    // Turned off, nothing is de-duplicated; a reset keeps the setting.
    rc.emu.set_rongcloud_msg_random_dedup(false);
    rc.form(PRIVATE, &private_with_random("777")).await.ok();
    rc.emu.set_rongcloud_msg_random_dedup(true);
    rc.emu.reset();
    assert!(state.msg_random_dedup());
    rc.form(PRIVATE, &private_with_random("777")).await.ok();
}

#[tokio::test]
async fn the_msg_random_setting_through_the_control_api() {
    let rc = Rc::start().await;
    let (status, body) = rc
        .control(
            reqwest::Method::POST,
            "/_emulator/settings",
            Some(json!({"rongcloud_msg_random_dedup": true})),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["rongcloud_msg_random_dedup"], true);
    assert_eq!(body["rongcloud_group_hosting"], false);
    assert!(rc.emu.rongcloud_state().msg_random_dedup());
    rc.emu.clock().freeze();
    rc.form(PRIVATE, &private_with_random("9")).await.ok();
    rc.form(PRIVATE, &private_with_random("9"))
        .await
        .fails(400, codes::MSG_RANDOM_DUPLICATE);
    let (_, state) = rc
        .control(reqwest::Method::GET, "/_emulator/state", None)
        .await;
    assert_eq!(state["rongcloud"]["msg_random_dedup"], true);
    // A bad value changes nothing, not even the valid keys beside it.
    let bad = json!({"rongcloud_group_hosting": true, "rongcloud_msg_random_dedup": 1});
    let (status, body) = rc
        .control(reqwest::Method::POST, "/_emulator/settings", Some(bad))
        .await;
    assert_eq!(status, 400, "{body}");
    assert!(!rc.emu.rongcloud_state().group_hosting());
    assert!(rc.emu.rongcloud_state().msg_random_dedup());
}
