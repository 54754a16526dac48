//! Private and group messages of the RongCloud half.

mod rongcloud_support;

use rongcloud_support::{Rc, now_ms};

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
