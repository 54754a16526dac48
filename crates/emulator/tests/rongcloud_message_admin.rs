//! RongCloud system messages, recall and the history queries.

mod rongcloud_support;

use std::time::Duration;

use imbridge_emulator::EmulatorConfig;
use imbridge_emulator::rongcloud::codes;
use rongcloud_support::Rc;
use serde_json::{Value, json};

const PRIVATE: &str = "/message/private/publish.json";
const GROUP: &str = "/message/group/publish.json";
const SYSTEM: &str = "/message/system/publish.json";
const RECALL: &str = "/message/recall.json";
const PRIVATE_QUERY: &str = "/v3/message/private/query.json";
const GROUP_QUERY: &str = "/v3/message/group/query.json";

async fn with_storage() -> Rc {
    Rc::start_with(EmulatorConfig {
        rongcloud_message_storage: true,
        ..EmulatorConfig::default()
    })
    .await
}

async fn send(rc: &Rc, path: &str, pairs: &[(&str, &str)]) -> Vec<String> {
    let a = rc.form(path, pairs).await;
    a.ok()["messageUIDs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["messageUID"].as_str().unwrap().to_owned())
        .collect()
}

fn uids(data: &Value) -> Vec<String> {
    data["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["messageUID"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn system_messages_go_to_each_recipient() {
    let rc = Rc::start().await;
    let a = rc
        .form(
            SYSTEM,
            &[
                ("fromUserId", "system"),
                ("toUserId", "u1"),
                ("toUserId", "u2"),
                ("objectName", "RC:TxtMsg"),
                ("content", r#"{"content":"maintenance tonight"}"#),
                ("pushContent", "notice"),
                ("isPersisted", "1"),
            ],
        )
        .await;
    let j = a.ok();
    let list = j["messageUIDs"].as_array().unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[1]["userId"], "u2");
    let stored = rc.emu.rongcloud_state().system_messages();
    assert_eq!(stored.len(), 2);
    assert_eq!(stored[0].to, "u1");
    assert_eq!(stored[0].options["pushContent"], "notice");
    assert!(rc.emu.rongcloud_state().private_messages().is_empty());

    let many: Vec<String> = (0..101).map(|i| format!("u{i}")).collect();
    let mut pairs = vec![
        ("fromUserId", "system"),
        ("objectName", "RC:TxtMsg"),
        ("content", r#"{"content":"x"}"#),
    ];
    pairs.extend(many.iter().map(|u| ("toUserId", u.as_str())));
    rc.form(SYSTEM, &pairs).await.fails(400, codes::PARAM_ERROR);
}

#[tokio::test]
async fn every_content_kind_is_accepted() {
    let rc = Rc::start().await;
    for (object_name, content) in [
        (
            "RC:ImgMsg",
            r#"{"content":"base64thumb","imageUri":"https://i/p.png"}"#,
        ),
        (
            "RC:FileMsg",
            r#"{"name":"a.pdf","size":3,"type":"pdf","fileUrl":"https://f/a.pdf"}"#,
        ),
        (
            "RC:LBSMsg",
            r#"{"content":"thumb","latitude":1.5,"longitude":2.5,"poi":"here"}"#,
        ),
        (
            "RC:HQVCMsg",
            r#"{"remoteUrl":"https://a/v.aac","duration":3}"#,
        ),
        (
            "RC:SightMsg",
            r#"{"sightUrl":"https://v/s.mp4","content":"thumb","duration":5,"size":9,"name":"s.mp4"}"#,
        ),
        (
            "RC:TxtMsg",
            r#"{"content":"@bob hi","mentionedInfo":{"type":2,"userIdList":["bob"],"mentionedContent":"you were mentioned"}}"#,
        ),
    ] {
        let a = rc
            .form(
                GROUP,
                &[
                    ("fromUserId", "alice"),
                    ("toGroupId", "g"),
                    ("objectName", object_name),
                    ("content", content),
                    ("isMentioned", "1"),
                ],
            )
            .await;
        assert_eq!(a.code(), 200, "{object_name}: {}", a.text);
    }
    assert_eq!(rc.emu.rongcloud_state().group_messages("g").len(), 6);
}

#[tokio::test]
async fn recall_marks_only_the_senders_message() {
    let rc = with_storage().await;
    let p = send(
        &rc,
        PRIVATE,
        &[
            ("fromUserId", "alice"),
            ("toUserId", "bob"),
            ("objectName", "RC:TxtMsg"),
            ("content", r#"{"content":"oops"}"#),
        ],
    )
    .await;
    let g = send(
        &rc,
        GROUP,
        &[
            ("fromUserId", "alice"),
            ("toGroupId", "g1"),
            ("objectName", "RC:TxtMsg"),
            ("content", r#"{"content":"oops"}"#),
        ],
    )
    .await;
    let s = send(
        &rc,
        SYSTEM,
        &[
            ("fromUserId", "sys"),
            ("toUserId", "bob"),
            ("objectName", "RC:TxtMsg"),
            ("content", r#"{"content":"oops"}"#),
        ],
    )
    .await;
    let recall = |from: &'static str, kind: &'static str, target: &'static str, uid: String| {
        let rc = &rc;
        async move {
            rc.form(
                RECALL,
                &[
                    ("fromUserId", from),
                    ("conversationType", kind),
                    ("targetId", target),
                    ("messageUID", &uid),
                    ("sentTime", "1700000000000"),
                    ("isAdmin", "0"),
                    ("isDelete", "0"),
                ],
            )
            .await
        }
    };
    // Someone else's message, or the wrong conversation: refused.
    recall("bob", "1", "alice", p[0].clone())
        .await
        .fails(400, codes::PARAM_ERROR);
    recall("alice", "3", "g1", p[0].clone())
        .await
        .fails(400, codes::PARAM_ERROR);
    recall("alice", "1", "bob", "NOPE-NOPE".into())
        .await
        .fails(400, codes::PARAM_ERROR);
    recall("alice", "4", "room", p[0].clone())
        .await
        .fails(400, codes::PARAM_ERROR);
    assert_eq!(recall("alice", "1", "bob", p[0].clone()).await.code(), 200);
    // Again: still 200.
    assert_eq!(recall("alice", "1", "bob", p[0].clone()).await.code(), 200);
    assert_eq!(recall("alice", "3", "g1", g[0].clone()).await.code(), 200);
    assert_eq!(recall("sys", "6", "bob", s[0].clone()).await.code(), 200);
    let state = rc.emu.rongcloud_state();
    assert!(state.private_messages()[0].recalled);
    assert!(state.group_messages("g1")[0].recalled);
    assert!(state.system_messages()[0].recalled);
    let (_, body) = rc
        .control(reqwest::Method::GET, "/_emulator/state", None)
        .await;
    assert_eq!(
        body["rongcloud"]["messages"]["private"][0]["recalled"],
        true
    );
    assert_eq!(body["rongcloud"]["messages"]["system"][0]["recalled"], true);

    // Recalled messages leave the history.
    let page = rc
        .json(
            PRIVATE_QUERY,
            &json!({"userId": "bob", "targetId": "alice", "startTime": 1, "endTime": u64::MAX / 2, "includeStart": true}),
        )
        .await;
    assert_eq!(uids(page.ok()), Vec::<String>::new());
    let a = rc
        .form(
            RECALL,
            &[
                ("fromUserId", "alice"),
                ("conversationType", "1"),
                ("targetId", "bob"),
                ("messageUID", &p[0]),
            ],
        )
        .await;
    a.fails(400, codes::PARAM_ERROR);
}

#[tokio::test]
async fn history_needs_cloud_storage() {
    let rc = Rc::start().await;
    let body =
        json!({"userId": "a", "targetId": "b", "startTime": 1, "endTime": 2, "includeStart": true});
    rc.json(PRIVATE_QUERY, &body)
        .await
        .fails(430, codes::SERVICE_NOT_ENABLED);
    rc.json(GROUP_QUERY, &body)
        .await
        .fails(430, codes::SERVICE_NOT_ENABLED);
    let (status, settings) = rc
        .control(
            reqwest::Method::POST,
            "/_emulator/settings",
            Some(json!({"rongcloud_message_storage": true})),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(settings["rongcloud_message_storage"], true);
    assert_eq!(rc.json(PRIVATE_QUERY, &body).await.code(), 200);
    rc.emu.set_rongcloud_message_storage(false);
    rc.json(PRIVATE_QUERY, &body)
        .await
        .fails(430, codes::SERVICE_NOT_ENABLED);
}

#[tokio::test]
async fn private_history_pages_through_a_window() {
    let rc = with_storage().await;
    let clock = rc.emu.clock();
    clock.freeze_at_ms(1_700_000_000_000);
    let mut sent = Vec::new();
    for i in 0..5 {
        let (from, to) = if i % 2 == 0 {
            ("alice", "bob")
        } else {
            ("bob", "alice")
        };
        let content = format!(r#"{{"content":"m{i}"}}"#);
        sent.extend(
            send(
                &rc,
                PRIVATE,
                &[
                    ("fromUserId", from),
                    ("toUserId", to),
                    ("objectName", "RC:TxtMsg"),
                    ("content", &content),
                ],
            )
            .await,
        );
        clock.advance(Duration::from_millis(10));
    }
    // Someone else's conversation is not in it.
    send(
        &rc,
        PRIVATE,
        &[
            ("fromUserId", "alice"),
            ("toUserId", "carol"),
            ("objectName", "RC:TxtMsg"),
            ("content", r#"{"content":"x"}"#),
        ],
    )
    .await;

    let first = rc
        .json(
            PRIVATE_QUERY,
            &json!({"userId": "alice", "targetId": "bob", "startTime": 1_700_000_000_000u64,
                    "endTime": 1_700_000_100_000u64, "pageSize": 2, "includeStart": true}),
        )
        .await;
    let page = first.ok();
    assert_eq!(uids(page), sent[..2]);
    let m = &page["data"][1];
    assert_eq!(m["targetId"], "bob");
    assert_eq!(m["fromUserId"], "bob");
    assert_eq!(m["msgTime"], 1_700_000_000_010u64);
    assert_eq!(m["objectName"], "RC:TxtMsg");
    assert_eq!(m["content"], r#"{"content":"m1"}"#);
    assert_eq!(m["expansion"], false);
    // The next page starts at the last msgTime, excluded; rc-go sends strings.
    let next = rc
        .json(
            PRIVATE_QUERY,
            &json!({"userId": "alice", "targetId": "bob", "startTime": "1700000000010",
                    "endTime": "1700000100000", "pageSize": "10", "includeStart": "false"}),
        )
        .await;
    assert_eq!(uids(next.ok()), sent[2..]);
    // Backwards: newest first.
    let back = rc
        .json(
            PRIVATE_QUERY,
            &json!({"userId": "bob", "targetId": "alice", "startTime": 1_700_000_100_000u64,
                    "endTime": 1_700_000_000_000u64, "pageSize": 2, "includeStart": true}),
        )
        .await;
    assert_eq!(uids(back.ok()), [sent[4].clone(), sent[3].clone()]);

    for bad in [
        json!({"targetId": "bob", "startTime": 1, "endTime": 2, "includeStart": true}),
        json!({"userId": "alice", "targetId": "bob", "endTime": 2, "includeStart": true}),
        json!({"userId": "alice", "targetId": "bob", "startTime": 1, "endTime": 2, "includeStart": true, "pageSize": 101}),
        json!({"userId": "alice", "targetId": "bob", "startTime": 1, "endTime": 2}),
    ] {
        rc.json(PRIVATE_QUERY, &bad)
            .await
            .fails(400, codes::PARAM_ERROR);
    }
}

#[tokio::test]
async fn group_history_shows_what_the_user_sees() {
    let rc = with_storage().await;
    let clock = rc.emu.clock();
    clock.freeze_at_ms(1_700_000_000_000);
    let all = send(
        &rc,
        GROUP,
        &[
            ("fromUserId", "alice"),
            ("toGroupId", "g1"),
            ("objectName", "RC:TxtMsg"),
            ("content", r#"{"content":"all"}"#),
        ],
    )
    .await;
    clock.advance(Duration::from_millis(1));
    let targeted = send(
        &rc,
        GROUP,
        &[
            ("fromUserId", "alice"),
            ("toGroupId", "g1"),
            ("toUserId", "bob"),
            ("objectName", "RC:TxtMsg"),
            ("content", r#"{"content":"bob only"}"#),
        ],
    )
    .await;
    send(
        &rc,
        GROUP,
        &[
            ("fromUserId", "alice"),
            ("toGroupId", "g2"),
            ("objectName", "RC:TxtMsg"),
            ("content", r#"{"content":"other"}"#),
        ],
    )
    .await;
    let query = |user: &'static str| {
        let rc = &rc;
        async move {
            rc.json(
                GROUP_QUERY,
                &json!({"userId": user, "targetId": "g1", "startTime": 1_700_000_000_000u64,
                        "endTime": 1_700_000_001_000u64, "includeStart": true}),
            )
            .await
        }
    };
    let bob = query("bob").await;
    assert_eq!(uids(bob.ok()), [all[0].clone(), targeted[0].clone()]);
    assert_eq!(bob.ok()["data"][0]["targetId"], "g1");
    let carol = query("carol").await;
    assert_eq!(uids(carol.ok()), [all[0].clone()]);
}
