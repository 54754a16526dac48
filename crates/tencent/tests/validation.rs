//! Every validation rule: bad input is an `InvalidInput` error naming the field and the limit,
//! raised before anything is sent. The client points at a dead port, so an attempted request
//! would surface as a transport error instead.

mod support;

use imbridge_core::prelude::*;
use std::time::Duration;

use imbridge_core::{
    CreateGroup, CustomPayload, ErrorKind, GroupKind, IssueToken, MessageContent, RegisterUser,
    SendMessage, SetProfile,
};
use imbridge_tencent::TencentClient;

fn offline() -> TencentClient {
    TencentClient::builder(support::SDKAPPID, support::SECRET, support::ADMIN)
        .base_url(support::dead_url())
        .build()
        .unwrap()
}

#[track_caller]
fn assert_invalid(result: imbridge_core::Result<impl std::fmt::Debug>, field: &str, needle: &str) {
    let err = result.expect_err("must be refused");
    assert_eq!(err.kind(), ErrorKind::InvalidInput, "{err}");
    assert_eq!(err.field(), Some(field), "{err}");
    assert!(
        err.to_string().contains(needle),
        "`{err}` should mention `{needle}`"
    );
    assert!(!err.is_retryable());
}

#[tokio::test]
async fn user_ids() {
    let im = offline();
    assert_invalid(
        im.register_user(&RegisterUser::new("")).await,
        "user_id",
        "must not be empty",
    );
    assert_invalid(
        im.register_user(&RegisterUser::new("x".repeat(33))).await,
        "user_id",
        "at most 32",
    );
    // 11 three-byte characters = 33 bytes: the limit is in bytes, not characters.
    assert_invalid(
        im.register_user(&RegisterUser::new("李".repeat(11))).await,
        "user_id",
        "33 bytes",
    );
    assert_invalid(
        im.register_user(&RegisterUser::new("a\nb")).await,
        "user_id",
        "control",
    );
    assert_invalid(
        im.issue_token(&IssueToken::new("")).await,
        "user_id",
        "empty",
    );
    assert_invalid(
        im.issue_token(&IssueToken::new("x".repeat(40))).await,
        "user_id",
        "at most 32",
    );
    assert_invalid(
        im.issue_token(&IssueToken::new("ok").ttl(Duration::from_secs(400 * 24 * 3600)))
            .await,
        "ttl",
        "within",
    );
    assert_invalid(
        im.register_user(&RegisterUser::new("ok").token_ttl(Duration::from_secs(1)))
            .await,
        "ttl",
        "within",
    );
}

#[tokio::test]
async fn registration_fields() {
    let im = offline();
    assert_invalid(
        im.register_user(&RegisterUser::new("a").nickname("n".repeat(501)))
            .await,
        "nickname",
        "500",
    );
    assert_invalid(
        im.register_user(&RegisterUser::new("a").avatar_url("u".repeat(501)))
            .await,
        "avatar_url",
        "500",
    );
}

#[tokio::test]
async fn profile_fields() {
    let im = offline();
    assert_invalid(
        im.set_profile(&SetProfile::new("a")).await,
        "profile",
        "at least one",
    );
    assert_invalid(
        im.set_profile(&SetProfile::new("").nickname("n")).await,
        "user_id",
        "empty",
    );
    assert_invalid(
        im.set_profile(&SetProfile::new("a").nickname("n".repeat(501)))
            .await,
        "nickname",
        "500",
    );
    assert_invalid(
        im.set_profile(&SetProfile::new("a").location("l".repeat(17)))
            .await,
        "location",
        "16",
    );
    assert_invalid(
        im.set_profile(&SetProfile::new("a").signature("s".repeat(501)))
            .await,
        "signature",
        "500",
    );
    assert_invalid(
        im.set_profile(&SetProfile::new("a").birthday(19901301))
            .await,
        "birthday",
        "YYYYMMDD",
    );
    assert_invalid(
        im.set_profile(&SetProfile::new("a").birthday(19900100))
            .await,
        "birthday",
        "YYYYMMDD",
    );
    assert_invalid(
        im.set_profile(&SetProfile::new("a").custom("TooLongName", "v"))
            .await,
        "custom",
        "1 to 8",
    );
    assert_invalid(
        im.set_profile(&SetProfile::new("a").custom("bad_name", "v"))
            .await,
        "custom",
        "letters",
    );
    assert_invalid(
        im.set_profile(&SetProfile::new("a").custom("", "v")).await,
        "custom",
        "letters",
    );
    assert_invalid(
        im.set_profile(&SetProfile::new("a").custom("Ok", "v".repeat(501)))
            .await,
        "custom",
        "500",
    );
}

#[tokio::test]
async fn group_fields() {
    let im = offline();
    assert_invalid(
        im.create_group(&CreateGroup::new("")).await,
        "name",
        "empty",
    );
    assert_invalid(
        im.create_group(&CreateGroup::new("n".repeat(31))).await,
        "name",
        "at most 30",
    );
    assert_invalid(
        im.create_group(&CreateGroup::new("群".repeat(11))).await,
        "name",
        "33 bytes",
    );
    assert_invalid(
        im.create_group(&CreateGroup::new("g").owner("")).await,
        "owner",
        "empty",
    );
    assert_invalid(
        im.create_group(&CreateGroup::new("g").group_id("")).await,
        "group_id",
        "empty",
    );
    assert_invalid(
        im.create_group(&CreateGroup::new("g").group_id("i".repeat(49)))
            .await,
        "group_id",
        "48",
    );
    assert_invalid(
        im.create_group(&CreateGroup::new("g").group_id("群")).await,
        "group_id",
        "printable ASCII",
    );
    assert_invalid(
        im.create_group(&CreateGroup::new("g").group_id("@TGS#mine"))
            .await,
        "group_id",
        "@TGS#",
    );
    assert_invalid(
        im.create_group(
            &CreateGroup::new("g")
                .kind(GroupKind::Community)
                .group_id("plain"),
        )
        .await,
        "group_id",
        "@TGS#_",
    );
    assert_invalid(
        im.create_group(&CreateGroup::new("g").introduction("i".repeat(241)))
            .await,
        "introduction",
        "240",
    );
    assert_invalid(
        im.create_group(&CreateGroup::new("g").notification("n".repeat(301)))
            .await,
        "notification",
        "300",
    );
    assert_invalid(
        im.create_group(&CreateGroup::new("g").avatar_url("u".repeat(101)))
            .await,
        "avatar_url",
        "100",
    );
    let many: Vec<String> = (0..501).map(|i| format!("u{i}")).collect();
    assert_invalid(
        im.create_group(&CreateGroup::new("g").members(many)).await,
        "members",
        "at most 500",
    );
    assert_invalid(
        im.create_group(
            &CreateGroup::new("g")
                .kind(GroupKind::AvChatRoom)
                .member("u"),
        )
        .await,
        "members",
        "AVChatRoom",
    );
    assert_invalid(
        im.create_group(&CreateGroup::new("g").member("x".repeat(33)))
            .await,
        "members",
        "32",
    );
    assert_invalid(
        im.create_group(&CreateGroup::new("g").max_members(0)).await,
        "max_members",
        "at least 1",
    );
}

#[tokio::test]
async fn message_fields() {
    let im = offline();
    let text = |t: &str| MessageContent::text(t);
    assert_invalid(
        im.send_message(&SendMessage::to_user("", "b", text("x")))
            .await,
        "from",
        "empty",
    );
    assert_invalid(
        im.send_message(&SendMessage::to_user("a", "", text("x")))
            .await,
        "to",
        "empty",
    );
    assert_invalid(
        im.send_message(&SendMessage::to_group("a", "", text("x")))
            .await,
        "to",
        "empty",
    );
    assert_invalid(
        im.send_message(&SendMessage::to_group("a", "g".repeat(49), text("x")))
            .await,
        "to",
        "48",
    );
    assert_invalid(
        im.send_message(&SendMessage::to_user("a", "b", text("")))
            .await,
        "content",
        "empty",
    );
    assert_invalid(
        im.send_message(&SendMessage::to_user(
            "a",
            "b",
            MessageContent::text("x".repeat(12 * 1024 + 1)),
        ))
        .await,
        "content",
        "12288",
    );
    let big = CustomPayload::new("d".repeat(12 * 1024 - 2))
        .description("dd")
        .extension("e");
    assert_invalid(
        im.send_message(&SendMessage::to_user("a", "b", big.into()))
            .await,
        "content",
        "as MsgBody JSON",
    );
}

#[tokio::test]
async fn the_message_limit_counts_the_encoded_msgbody() {
    let im = offline();
    let just_over = MessageContent::text("x".repeat(12 * 1024 - 51));
    let err = im
        .send_message(&SendMessage::to_user("a", "b", just_over))
        .await
        .unwrap_err();
    assert_eq!(
        (err.kind(), err.field()),
        (ErrorKind::InvalidInput, Some("content"))
    );
    assert!(
        err.message().contains("12289 bytes as MsgBody JSON"),
        "{err}"
    );
    // Escaping counts too: a quote is two bytes in JSON.
    let quotes = MessageContent::text("\"".repeat(6200));
    let err = im
        .send_message(&SendMessage::to_user("a", "b", quotes))
        .await
        .unwrap_err();
    assert_eq!(err.field(), Some("content"));
}

#[tokio::test]
async fn limits_are_inclusive() {
    // Exactly at each limit the request passes validation and reaches the (dead) network.
    let im = offline();
    let at_limit = [
        im.register_user(&RegisterUser::new("x".repeat(32)).nickname("n".repeat(500)))
            .await
            .unwrap_err(),
        im.create_group(&CreateGroup::new("n".repeat(30)).group_id("i".repeat(48)))
            .await
            .unwrap_err(),
        im.send_message(&SendMessage::to_user(
            "a",
            "b",
            // The 12 KB limit applies to the MsgBody JSON: 52 bytes of it surround the text.
            MessageContent::text("x".repeat(12 * 1024 - 52)),
        ))
        .await
        .unwrap_err(),
    ];
    for err in at_limit {
        assert_eq!(err.kind(), ErrorKind::Transport, "{err}");
    }
}
