//! Every common operation against the emulator's RongCloud half, success and vendor-error
//! paths, and what travels on the wire.

mod support;

use imbridge_core::prelude::*;
use imbridge_core::{
    CreateGroup, CustomPayload, ErrorKind, ExposeSecret, Gender, GroupKind, ImProvider, IssueToken,
    MessageContent, RegisterUser, SendMessage, SetProfile, Vendor,
};
use imbridge_rongcloud::RongCloudClient;
use support::*;

#[tokio::test]
async fn register_returns_the_vendor_token_and_stores_the_user() {
    let emu = emulator().await;
    let im = client(&[&emu.url()]);
    let token = im
        .register_user(
            &RegisterUser::new("lilei")
                .nickname("李雷")
                .avatar_url("https://x.test/l.png"),
        )
        .await
        .unwrap();
    assert_eq!(token.user_id(), "lilei");
    assert!(!token.token().expose_secret().is_empty());
    assert_eq!(token.expires_at(), None);
    let user = emu.rongcloud_state().user("lilei").expect("registered");
    assert_eq!(user.name, "李雷");
    assert_eq!(user.portrait_uri, "https://x.test/l.png");

    // Without a nickname, the user id is the (required) name.
    im.register_user(&RegisterUser::new("hanmeimei"))
        .await
        .unwrap();
    assert_eq!(
        emu.rongcloud_state().user("hanmeimei").unwrap().name,
        "hanmeimei"
    );
}

#[tokio::test]
async fn issue_token_keeps_the_profile_and_refuses_unknown_users() {
    let emu = emulator().await;
    let im = client(&[&emu.url()]);
    im.register_user(
        &RegisterUser::new("lilei")
            .nickname("李雷")
            .avatar_url("https://x.test/p.png"),
    )
    .await
    .unwrap();
    let first = im.issue_token(&IssueToken::new("lilei")).await.unwrap();
    let second = im.issue_token(&IssueToken::new("lilei")).await.unwrap();
    assert!(!first.token().expose_secret().is_empty());
    assert_ne!(
        first.token().expose_secret(),
        second.token().expose_secret()
    );
    let user = emu.rongcloud_state().user("lilei").unwrap();
    assert_eq!(
        (user.name.as_str(), user.portrait_uri.as_str()),
        ("李雷", "https://x.test/p.png")
    );

    let err = im.issue_token(&IssueToken::new("ghost")).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound, "{err}");
    assert!(
        emu.rongcloud_state().user("ghost").is_none(),
        "not registered by accident"
    );
}

#[tokio::test]
async fn set_profile_refreshes_name_and_portrait_only() {
    let emu = emulator().await;
    let im = client(&[&emu.url()]);
    im.register_user(&RegisterUser::new("lilei")).await.unwrap();
    im.set_profile(&SetProfile::new("lilei").nickname("李雷"))
        .await
        .unwrap();
    let user = emu.rongcloud_state().user("lilei").unwrap();
    assert_eq!(user.name, "李雷");
    im.set_profile(&SetProfile::new("lilei").avatar_url("https://x.test/new.png"))
        .await
        .unwrap();
    let user = emu.rongcloud_state().user("lilei").unwrap();
    assert_eq!(
        (user.name.as_str(), user.portrait_uri.as_str()),
        ("李雷", "https://x.test/new.png")
    );

    emu.rongcloud_state().clear_requests();
    let err = im
        .set_profile(&SetProfile::new("lilei").gender(Gender::Male))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unsupported);
    let err = im
        .set_profile(&SetProfile::new("lilei").custom("Level", 3u64))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unsupported);
    assert!(
        emu.rongcloud_state().requests().is_empty(),
        "refused before sending"
    );
}

#[tokio::test]
async fn set_profile_of_an_unknown_user_is_a_vendor_error() {
    let emu = emulator().await;
    let err = client(&[&emu.url()])
        .set_profile(&SetProfile::new("ghost").nickname("g"))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound, "{err}");
    assert_eq!(err.vendor_code(), Some(1002), "the vendor's code is kept");
    assert_eq!(err.vendor(), Some(Vendor::RongCloud));
    assert!(err.vendor_code().is_some(), "{err}");
    assert!(
        !err.vendor_message().unwrap_or_default().is_empty(),
        "{err}"
    );
    assert!(!err.is_retryable());
}

#[tokio::test]
async fn create_group_with_owner_members_and_ids() {
    let emu = emulator().await;
    let im = client(&[&emu.url()]);
    for u in ["lilei", "hanmeimei", "jim"] {
        im.register_user(&RegisterUser::new(u)).await.unwrap();
    }
    let created = im
        .create_group(&CreateGroup::new("MyFirstGroup").owner("lilei").members([
            "hanmeimei",
            "jim",
            "lilei",
        ]))
        .await
        .unwrap();
    assert!(
        !created.group_id.is_empty() && created.group_id.len() <= 64,
        "generated id: {}",
        created.group_id
    );
    let group = emu.rongcloud_state().group(&created.group_id).unwrap();
    assert_eq!(group.name, "MyFirstGroup");
    let mut members = group.members.clone();
    members.sort();
    assert_eq!(members, ["hanmeimei", "jim", "lilei"]);

    let chosen = im
        .create_group(&CreateGroup::new("Team").owner("lilei").group_id("team-1"))
        .await
        .unwrap();
    assert_eq!(chosen.group_id, "team-1");
    assert!(emu.rongcloud_state().group("team-1").is_some());

    let err = im
        .create_group(
            &CreateGroup::new("Work")
                .kind(GroupKind::Work)
                .owner("lilei"),
        )
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unsupported);
}

#[tokio::test]
async fn private_text_and_custom_messages() {
    let emu = emulator().await;
    let im = client(&[&emu.url()]);
    for u in ["lilei", "hanmeimei"] {
        im.register_user(&RegisterUser::new(u)).await.unwrap();
    }
    let receipt = im
        .send_message(&SendMessage::to_user(
            "lilei",
            "hanmeimei",
            MessageContent::text("hi & \"bye\""),
        ))
        .await
        .unwrap();
    let custom = CustomPayload::new(r#"{"order":42}"#)
        .description("order")
        .message_type("App:Order");
    im.send_message(&SendMessage::to_user("lilei", "hanmeimei", custom.into()))
        .await
        .unwrap();
    im.send_message(&SendMessage::to_user(
        "lilei",
        "hanmeimei",
        MessageContent::custom("raw"),
    ))
    .await
    .unwrap();

    let msgs = emu.rongcloud_state().private_messages();
    assert_eq!(msgs.len(), 3);
    assert_eq!(msgs[0].object_name, "RC:TxtMsg");
    let content: serde_json::Value = serde_json::from_str(&msgs[0].content).unwrap();
    assert_eq!(content["content"], "hi & \"bye\"");
    if !receipt.message_id.is_empty() {
        assert_eq!(receipt.message_id, msgs[0].message_uid);
    }
    assert_eq!(msgs[1].object_name, "App:Order");
    let content: serde_json::Value = serde_json::from_str(&msgs[1].content).unwrap();
    assert_eq!(
        (content["data"].as_str(), content["desc"].as_str()),
        (Some(r#"{"order":42}"#), Some("order"))
    );
    assert_eq!(
        msgs[2].object_name,
        imbridge_rongcloud::DEFAULT_CUSTOM_OBJECT_NAME
    );

    let err = im
        .send_message(&SendMessage::to_user(
            "lilei",
            "hanmeimei",
            CustomPayload::new("x").message_type("RC:TxtMsg").into(),
        ))
        .await
        .unwrap_err();
    assert_eq!(err.field(), Some("content"));
}

#[tokio::test]
async fn group_messages() {
    let emu = emulator().await;
    let im = client(&[&emu.url()]);
    for u in ["lilei", "hanmeimei"] {
        im.register_user(&RegisterUser::new(u)).await.unwrap();
    }
    let gid = im
        .create_group(&CreateGroup::new("g").owner("lilei").member("hanmeimei"))
        .await
        .unwrap()
        .group_id;
    im.send_message(&SendMessage::to_group(
        "lilei",
        &gid,
        MessageContent::text("大家好"),
    ))
    .await
    .unwrap();
    let msgs = emu.rongcloud_state().group_messages(&gid);
    assert_eq!(msgs.len(), 1);
    assert_eq!(msgs[0].from, "lilei");
    let content: serde_json::Value = serde_json::from_str(&msgs[0].content).unwrap();
    assert_eq!(content["content"], "大家好");
}

#[tokio::test]
async fn user_tags_travel_as_json() {
    let emu = emulator().await;
    let im = client(&[&emu.url()]);
    im.register_user(&RegisterUser::new("lilei")).await.unwrap();
    im.set_user_tags("lilei", &["vip".into(), "北京".into()])
        .await
        .unwrap();
    let tags = im.user_tags(&["lilei".into()]).await.unwrap();
    assert_eq!(
        tags,
        [(
            "lilei".to_owned(),
            vec!["vip".to_owned(), "北京".to_owned()]
        )]
    );
    let reqs = emu.rongcloud_state().requests();
    let set = reqs
        .iter()
        .find(|r| r.path == "/user/tag/set.json")
        .unwrap();
    let content_type = set.content_type.as_deref().unwrap_or_default();
    assert!(
        content_type.starts_with("application/json"),
        "{content_type}"
    );
    let body: serde_json::Value = serde_json::from_str(&set.body).unwrap();
    assert_eq!(body["tags"][1], "北京");
    let err = im
        .set_user_tags("lilei", &vec!["t".to_owned(); 21])
        .await
        .unwrap_err();
    assert_eq!(err.field(), Some("tags"));
}

#[tokio::test]
async fn awkward_values_survive_the_form_encoding() {
    let emu = emulator().await;
    let im = client(&[&emu.url()]);
    let name = "Tom & Jerry \"李雷\" 100% a+b=c";
    im.register_user(&RegisterUser::new("tom").nickname(name))
        .await
        .unwrap();
    assert_eq!(emu.rongcloud_state().user("tom").unwrap().name, name);
    let reqs = emu.rongcloud_state().requests();
    let body = &reqs.last().unwrap().body;
    assert!(
        body.contains("name=Tom+%26+Jerry+%22%E6%9D%8E%E9%9B%B7%22+100%25+a%2Bb%3Dc"),
        "{body}"
    );
}

#[tokio::test]
async fn every_request_is_signed_afresh_and_traceable() {
    let emu = emulator().await;
    let im = client(&[&emu.url()]);
    for i in 0..10 {
        im.register_user(&RegisterUser::new(format!("u{i}")).nickname("U"))
            .await
            .unwrap();
    }
    let reqs = emu.rongcloud_state().requests();
    assert_eq!(reqs.len(), 10);
    let mut nonces = std::collections::HashSet::new();
    let mut ids = std::collections::HashSet::new();
    for r in &reqs {
        let h = |v: &Option<String>| v.clone().expect("header present");
        assert_eq!(h(&r.app_key), APP_KEY);
        assert!(!r.rc_prefixed);
        let (nonce, timestamp) = (h(&r.nonce), h(&r.timestamp));
        assert!(nonce.len() <= 18);
        let ts: u64 = timestamp.parse().unwrap();
        assert!(ts > 1_000_000_000_000, "milliseconds: {ts}");
        assert_eq!(
            h(&r.signature),
            imbridge_rongcloud::sign::signature(APP_SECRET, &nonce, &timestamp)
        );
        assert!(h(&r.user_agent).starts_with("imbridge/"));
        let id = h(&r.request_id);
        assert_eq!(id.len(), 36);
        assert_eq!(
            r.response_request_id, id,
            "the server echoes our request id"
        );
        nonces.insert(nonce);
        ids.insert(id);
        assert!(h(&r.content_type).starts_with("application/x-www-form-urlencoded"));
    }
    assert_eq!((nonces.len(), ids.len()), (10, 10));
}

#[tokio::test]
async fn a_bad_secret_is_auth_1004_and_never_shown() {
    let emu = emulator().await;
    let im = RongCloudClient::builder(APP_KEY, "wrong-secret-value")
        .base_url(emu.url())
        .build()
        .unwrap();
    let err = im.register_user(&RegisterUser::new("a")).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Auth);
    assert_eq!(err.vendor_code(), Some(1004));
    assert_eq!(err.http_status(), Some(401));
    assert!(err.request_id().is_some_and(|id| id.len() == 36));
    for text in [err.to_string(), format!("{err:?}"), format!("{im:?}")] {
        assert!(
            !text.contains("wrong-secret-value") && !text.contains(APP_SECRET),
            "{text}"
        );
    }
}

#[tokio::test]
async fn capabilities_describe_rongcloud() {
    let im = client(&["https://api.rong-api.com"]);
    let caps = im.capabilities();
    assert_eq!(im.vendor(), Vendor::RongCloud);
    assert!(
        !caps.users.local_tokens
            && !caps.groups.server_generated_ids
            && caps.groups.client_generated_ids
    );
    assert!(caps.groups.custom_ids && !caps.profiles.extended_fields && !caps.messages.dedup);
    assert_eq!(caps.groups.kinds, [GroupKind::Public]);
    assert_eq!(
        caps.groups.max_initial_members, 999,
        "the owner counts among the 1000 users"
    );
}

#[tokio::test]
async fn vendor_errors_on_the_message_and_group_paths_keep_code_and_message() {
    // The vendor accepts messages to unregistered users and creating an existing group id, so
    // the typed operations cannot provoke an error there; the raw path can.
    let emu = emulator().await;
    let im = client(&[&emu.url()]);
    for (path, fields) in [
        (
            "/message/private/publish.json",
            serde_json::json!({"fromUserId": "a", "toUserId": "b"}),
        ),
        (
            "/message/group/publish.json",
            serde_json::json!({"fromUserId": "a", "objectName": "RC:TxtMsg"}),
        ),
        (
            "/group/create.json",
            serde_json::json!({"userId": ["a"], "groupId": "g"}),
        ),
    ] {
        let err = im.call_json(path, &fields).await.unwrap_err();
        assert_eq!(
            (err.kind(), err.vendor_code(), err.http_status()),
            (ErrorKind::InvalidInput, Some(1002), Some(400)),
            "{path}: {err}"
        );
        assert!(!err.vendor_message().unwrap_or_default().is_empty());
        assert!(err.request_id().is_some());
    }
    let ok = im
        .call_json(
            "/user/getToken.json",
            &serde_json::json!({"userId": "a", "name": "A"}),
        )
        .await
        .unwrap();
    assert_eq!(ok["code"], 200);
    let err = im
        .call_json("not a path", &serde_json::json!({}))
        .await
        .unwrap_err();
    assert_eq!(err.field(), Some("path"));
}

#[tokio::test]
async fn a_taken_group_id_is_already_exists_and_changes_nothing() {
    let emu = emulator().await;
    let im = client(&[&emu.url()]);
    for u in ["lilei", "hanmeimei", "jim"] {
        im.register_user(&RegisterUser::new(u)).await.unwrap();
    }
    im.create_group(&CreateGroup::new("First").owner("lilei").group_id("taken"))
        .await
        .unwrap();
    let err = im
        .create_group(
            &CreateGroup::new("Second")
                .owner("hanmeimei")
                .member("jim")
                .group_id("taken"),
        )
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::AlreadyExists, "{err}");
    let group = emu.rongcloud_state().group("taken").unwrap();
    assert_eq!(
        (group.name.as_str(), group.members.as_slice()),
        ("First", &["lilei".to_owned()][..])
    );
}
