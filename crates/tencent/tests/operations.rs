//! Every common operation against the emulator: success paths, vendor-error paths, and what
//! travels on the wire.

mod support;

use imbridge_core::prelude::*;
use std::time::{Duration, SystemTime};

use imbridge_core::{
    CreateGroup, CustomPayload, ErrorKind, ExposeSecret, Gender, GroupKind, ImProvider, IssueToken,
    MessageContent, RegisterUser, SendMessage, SetProfile, Vendor,
};
use imbridge_tencent::usersig::UserSigKey;
use support::*;

#[tokio::test]
async fn register_imports_the_user_and_returns_a_verifiable_usersig() {
    let emu = emulator().await;
    let im = client(&emu);
    let token = im
        .register_user(
            &RegisterUser::new("lilei")
                .nickname("李雷")
                .avatar_url("https://x.test/l.png"),
        )
        .await
        .unwrap();
    assert_eq!(token.user_id(), "lilei");
    let key = UserSigKey::new(SDKAPPID, SECRET.into());
    let info = key
        .verify(token.token().expose_secret(), "lilei", now())
        .unwrap();
    assert_eq!(
        info.expire,
        imbridge_tencent::DEFAULT_USER_SIG_TTL.as_secs()
    );
    let expires = token.expires_at().unwrap();
    assert!(expires > SystemTime::now() + Duration::from_secs(6 * 24 * 3600));

    let user = emu.state().user("lilei").expect("imported");
    assert_eq!(user.nick, "李雷");
    assert_eq!(user.face_url, "https://x.test/l.png");

    // Registration is idempotent.
    im.register_user(&RegisterUser::new("lilei")).await.unwrap();
    assert_eq!(emu.state().users().len(), 1);

    let req = emu.state().requests().into_iter().last().unwrap();
    assert_eq!(req.path, "/v4/im_open_login_svc/account_import");
}

#[tokio::test]
async fn issue_token_is_local_and_honours_the_ttl() {
    let emu = emulator().await;
    let im = client(&emu);
    let token = im
        .issue_token(&IssueToken::new("hanmeimei").ttl(Duration::from_secs(3600)))
        .await
        .unwrap();
    let info = im
        .usersig_key()
        .verify(token.token().expose_secret(), "hanmeimei", now())
        .unwrap();
    assert_eq!(info.expire, 3600);
    assert!(
        emu.state().requests().is_empty(),
        "no request for a local token"
    );
    let err = im
        .issue_token(&IssueToken::new("x").ttl(Duration::from_secs(5)))
        .await
        .unwrap_err();
    assert_eq!(
        (err.kind(), err.field()),
        (ErrorKind::InvalidInput, Some("ttl"))
    );
}

#[tokio::test]
async fn set_profile_sends_every_field_as_a_tag() {
    let emu = emulator().await;
    let im = client(&emu);
    im.register_user(&RegisterUser::new("lilei")).await.unwrap();
    im.set_profile(
        &SetProfile::new("lilei")
            .nickname("李雷")
            .avatar_url("https://x.test/a.png")
            .gender(Gender::Male)
            .birthday(19900101)
            .location("CN")
            .signature("hello")
            .language(1)
            .level(3)
            .role(2)
            .custom("Hobby", "chess")
            .custom("Tag_Profile_Custom_Score", 42u64),
    )
    .await
    .unwrap();
    let user = emu.state().user("lilei").unwrap();
    assert_eq!(user.nick, "李雷");
    let tags = &user.profile;
    assert_eq!(tags["Tag_Profile_IM_Gender"], "Gender_Type_Male");
    assert_eq!(tags["Tag_Profile_IM_BirthDay"], 19900101);
    assert_eq!(tags["Tag_Profile_IM_Location"], "CN");
    assert_eq!(tags["Tag_Profile_IM_SelfSignature"], "hello");
    assert_eq!(tags["Tag_Profile_IM_Level"], 3);
    assert_eq!(tags["Tag_Profile_IM_Role"], 2);
    assert_eq!(tags["Tag_Profile_IM_Language"], 1);
    assert_eq!(tags["Tag_Profile_IM_Image"], "https://x.test/a.png");
    assert_eq!(tags["Tag_Profile_Custom_Hobby"], "chess");
    assert_eq!(tags["Tag_Profile_Custom_Score"], 42);
}

#[tokio::test]
async fn set_profile_of_an_unknown_user_is_not_found_with_the_vendor_code() {
    let emu = emulator().await;
    let err = client(&emu)
        .set_profile(&SetProfile::new("ghost").nickname("g"))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound, "{err}");
    assert_eq!(err.vendor(), Some(Vendor::Tencent));
    assert!(err.vendor_code().is_some());
    assert!(!err.vendor_message().unwrap_or_default().is_empty());
    assert!(!err.is_retryable());
}

#[tokio::test]
async fn create_group_with_owner_members_and_a_generated_id() {
    let emu = emulator().await;
    let im = client(&emu);
    for u in ["lilei", "hanmeimei", "jim"] {
        im.register_user(&RegisterUser::new(u)).await.unwrap();
    }
    let created = im
        .create_group(
            &CreateGroup::new("MyFirstGroup")
                .owner("lilei")
                .members(["hanmeimei", "jim"])
                .introduction("intro")
                .notification("notice"),
        )
        .await
        .unwrap();
    assert!(
        created.group_id.starts_with("@TGS#"),
        "{}",
        created.group_id
    );
    let group = emu.state().group(&created.group_id).unwrap();
    assert_eq!(group.name, "MyFirstGroup");
    assert_eq!(group.owner.as_deref(), Some("lilei"));
    let mut members: Vec<_> = group.members.iter().map(|m| m.account.as_str()).collect();
    members.sort_unstable();
    assert_eq!(members, ["hanmeimei", "jim", "lilei"]);
}

#[tokio::test]
async fn create_group_with_a_chosen_id_and_every_kind() {
    let emu = emulator().await;
    let im = client(&emu);
    im.register_user(&RegisterUser::new("owner")).await.unwrap();
    for (kind, id) in [
        (GroupKind::Public, "pub-1"),
        (GroupKind::Work, "work-1"),
        (GroupKind::Meeting, "meet-1"),
        (GroupKind::AvChatRoom, "live-1"),
        (GroupKind::Community, "@TGS#_comm-1"),
    ] {
        let created = im
            .create_group(&CreateGroup::new("g").kind(kind).owner("owner").group_id(id))
            .await
            .unwrap();
        assert_eq!(created.group_id, id);
        assert_eq!(
            emu.state().group(id).unwrap().group_type,
            imbridge_tencent::group_type(kind)
        );
    }
}

#[tokio::test]
async fn a_taken_group_id_is_already_exists() {
    let emu = emulator().await;
    let im = client(&emu);
    let req = CreateGroup::new("g").group_id("taken");
    im.create_group(&req).await.unwrap();
    let err = im.create_group(&req).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::AlreadyExists, "{err}");
    assert!(matches!(err.vendor_code(), Some(10021) | Some(10025)));
}

#[tokio::test]
async fn create_group_with_unknown_owner_or_member_fails_with_the_vendor_code() {
    let emu = emulator().await;
    let im = client(&emu);
    let err = im
        .create_group(&CreateGroup::new("g").owner("ghost"))
        .await
        .unwrap_err();
    assert!(err.vendor_code().is_some(), "{err}");
    assert_eq!(err.kind(), ErrorKind::NotFound, "{err}");
}

#[tokio::test]
async fn one_to_one_text_and_custom_messages() {
    let emu = emulator().await;
    let im = client(&emu);
    for u in ["lilei", "hanmeimei"] {
        im.register_user(&RegisterUser::new(u)).await.unwrap();
    }
    let receipt = im
        .send_message(&SendMessage::to_user(
            "lilei",
            "hanmeimei",
            MessageContent::text("hi"),
        ))
        .await
        .unwrap();
    assert!(!receipt.message_id.is_empty());
    assert!(receipt.sent_at.is_some());
    let custom = CustomPayload::new(r#"{"order":42}"#)
        .description("order")
        .extension("ext");
    let receipt2 = im
        .send_message(&SendMessage::to_user("lilei", "hanmeimei", custom.into()))
        .await
        .unwrap();
    assert_ne!(
        receipt.dedup_key, receipt2.dedup_key,
        "fresh MsgRandom per message"
    );

    let msgs = emu.state().c2c_messages();
    assert_eq!(msgs.len(), 2);
    assert_eq!(msgs[0].from, "lilei");
    assert_eq!(msgs[0].to, "hanmeimei");
    assert_eq!(Some(msgs[0].msg_random), receipt.dedup_key);
    assert_eq!(msgs[0].msg_body[0]["MsgType"], "TIMTextElem");
    assert_eq!(msgs[0].msg_body[0]["MsgContent"]["Text"], "hi");
    assert_eq!(msgs[1].msg_body[0]["MsgType"], "TIMCustomElem");
    assert_eq!(msgs[1].msg_body[0]["MsgContent"]["Data"], r#"{"order":42}"#);
    assert_eq!(msgs[1].msg_body[0]["MsgContent"]["Desc"], "order");
    assert_eq!(msgs[1].msg_body[0]["MsgContent"]["Ext"], "ext");
}

#[tokio::test]
async fn resending_with_the_same_dedup_key_stores_one_copy() {
    let emu = emulator().await;
    let im = client(&emu);
    for u in ["a", "b"] {
        im.register_user(&RegisterUser::new(u)).await.unwrap();
    }
    // Tencent de-duplicates a one-to-one resend only within the same second: hold the
    // emulator's clock still so that the resend lands in it.
    emu.clock().freeze();
    let msg = SendMessage::to_user("a", "b", MessageContent::text("once")).dedup_key(7);
    let first = im.send_message(&msg).await.unwrap();
    let again = im.send_message(&msg).await.unwrap();
    assert_eq!(first.message_id, again.message_id);
    assert_eq!(emu.state().c2c_messages().len(), 1);
}

#[tokio::test]
async fn message_to_an_unknown_user_is_not_found() {
    let emu = emulator().await;
    let im = client(&emu);
    im.register_user(&RegisterUser::new("lilei")).await.unwrap();
    let err = im
        .send_message(&SendMessage::to_user(
            "lilei",
            "ghost",
            MessageContent::text("hi"),
        ))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound, "{err}");
    assert!(err.vendor_code().is_some());
}

#[tokio::test]
async fn group_messages_get_sequence_numbers() {
    let emu = emulator().await;
    let im = client(&emu);
    for u in ["lilei", "hanmeimei"] {
        im.register_user(&RegisterUser::new(u)).await.unwrap();
    }
    let gid = im
        .create_group(&CreateGroup::new("g").owner("lilei").member("hanmeimei"))
        .await
        .unwrap()
        .group_id;
    let r1 = im
        .send_message(&SendMessage::to_group(
            "lilei",
            &gid,
            MessageContent::text("one"),
        ))
        .await
        .unwrap();
    let r2 = im
        .send_message(&SendMessage::to_group(
            "hanmeimei",
            &gid,
            MessageContent::custom("{}"),
        ))
        .await
        .unwrap();
    assert_eq!(r2.sequence.unwrap(), r1.sequence.unwrap() + 1);
    assert_eq!(r1.message_id, r1.sequence.unwrap().to_string());
    let msgs = emu.state().group_messages(&gid);
    assert_eq!(msgs.len(), 2);
    assert_eq!(msgs[0].msg_body[0]["MsgContent"]["Text"], "one");
    assert_eq!(Some(msgs[0].random), r1.dedup_key);
}

#[tokio::test]
async fn group_message_to_a_missing_group_is_not_found() {
    let emu = emulator().await;
    let im = client(&emu);
    im.register_user(&RegisterUser::new("lilei")).await.unwrap();
    let err = im
        .send_message(&SendMessage::to_group(
            "lilei",
            "no-such-group",
            MessageContent::text("x"),
        ))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound, "{err}");
    assert!(matches!(err.vendor_code(), Some(10010) | Some(10015)));
}

#[tokio::test]
async fn every_request_carries_the_full_query_and_a_fresh_random() {
    let emu = emulator().await;
    let im = client(&emu);
    for i in 0..20 {
        im.register_user(&RegisterUser::new(format!("u{i}")))
            .await
            .unwrap();
    }
    let requests = emu.state().requests();
    assert_eq!(requests.len(), 20);
    let mut randoms = std::collections::HashSet::new();
    for r in &requests {
        let q = |k: &str| r.query.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
        assert_eq!(q("sdkappid").as_deref(), Some("1400000000"));
        assert_eq!(q("identifier").as_deref(), Some(ADMIN));
        assert_eq!(q("contenttype").as_deref(), Some("json"));
        let sig = q("usersig").unwrap();
        im.usersig_key().verify(&sig, ADMIN, now()).unwrap();
        randoms.insert(
            q("random")
                .unwrap()
                .parse::<u32>()
                .expect("random is a uint32"),
        );
        assert!(
            r.body.starts_with('{') && r.body.ends_with('}'),
            "JSON object body: {}",
            r.body
        );
    }
    assert!(randoms.len() >= 19, "random is fresh per request");
}

#[tokio::test]
async fn call_json_reaches_any_endpoint_and_turns_fail_into_err() {
    let emu = emulator().await;
    let im = client(&emu);
    im.register_user(&RegisterUser::new("lilei")).await.unwrap();
    let answer = im
        .call_json(
            "im_open_login_svc/account_check",
            &serde_json::json!({"CheckItem": [{"UserID": "lilei"}]}),
        )
        .await
        .unwrap();
    assert_eq!(answer["ResultItem"][0]["AccountStatus"], "Imported");
    let err = im
        .call_json("no_such_svc/nothing", &serde_json::json!({}))
        .await
        .unwrap_err();
    assert!(err.vendor_code().is_some(), "{err}");
    let err = im
        .call_json("bad endpoint", &serde_json::json!({}))
        .await
        .unwrap_err();
    assert_eq!(err.field(), Some("endpoint"));
    let err = im
        .call_json("a/b", &serde_json::json!([1]))
        .await
        .unwrap_err();
    assert_eq!(err.field(), Some("body"));
}

#[tokio::test]
async fn capabilities_describe_tencent() {
    let emu = emulator().await;
    let im = client(&emu);
    let caps = im.capabilities();
    assert_eq!(im.vendor(), Vendor::Tencent);
    assert!(caps.users.local_tokens && caps.groups.server_generated_ids && caps.groups.custom_ids);
    assert!(caps.messages.dedup && caps.profiles.extended_fields);
    assert_eq!(caps.groups.max_initial_members, 500);
    assert!(GroupKind::ALL.iter().all(|k| caps.supports_group_kind(*k)));
}
