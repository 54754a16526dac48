//! Users and tags of the RongCloud half.

mod rongcloud_support;

use rongcloud_support::{Rc, now_secs};
use serde_json::json;

const TOKEN: &str = "/user/getToken.json";
const REFRESH: &str = "/user/refresh.json";
const INFO: &str = "/user/info.json";

#[tokio::test]
async fn get_token_registers_and_answers_user_id_then_token() {
    let rc = Rc::start().await;
    let before = now_secs();
    let a = rc
        .form(
            TOKEN,
            &[
                ("userId", "jlk456j5"),
                ("name", "Ironman"),
                ("portraitUri", "http://abc.com/myportrait.jpg"),
            ],
        )
        .await;
    let j = a.ok();
    assert_eq!(j["userId"], "jlk456j5");
    let token = j["token"].as_str().unwrap();
    assert!(
        token.ends_with(&format!("@{}", rc.app().app_key)),
        "{token}"
    );
    // `code` comes first, then userId, then token.
    assert_eq!(
        a.text,
        format!(r#"{{"code":200,"userId":"jlk456j5","token":"{token}"}}"#)
    );

    let state = rc.emu.rongcloud_state();
    let u = state.user("jlk456j5").unwrap();
    assert_eq!(u.name, "Ironman");
    assert_eq!(u.portrait_uri, "http://abc.com/myportrait.jpg");
    assert_eq!(u.tokens, vec![token.to_owned()]);
    assert_eq!(u.tokens_issued(), 1);
    assert!(u.created_at >= before && u.created_at <= now_secs());
    assert!(u.tags.is_empty());
    assert_eq!(state.token_owner(token).as_deref(), Some("jlk456j5"));
    assert_eq!(state.token_owner("nope"), None);
    assert_eq!(state.users().len(), 1);
}

#[tokio::test]
async fn get_token_again_issues_a_new_token_and_updates_the_profile() {
    let rc = Rc::start().await;
    let first = rc
        .form(
            TOKEN,
            &[("userId", "u1"), ("name", "A"), ("portraitUri", "p1")],
        )
        .await;
    let t1 = first.ok()["token"].as_str().unwrap().to_owned();
    let created = rc.emu.rongcloud_state().user("u1").unwrap().created_at;
    // No portraitUri: the portrait is kept; the name is overwritten.
    let second = rc.form(TOKEN, &[("userId", "u1"), ("name", "B")]).await;
    let t2 = second.ok()["token"].as_str().unwrap().to_owned();
    assert_ne!(t1, t2);
    let u = rc.emu.rongcloud_state().user("u1").unwrap();
    assert_eq!(u.name, "B");
    assert_eq!(u.portrait_uri, "p1");
    assert_eq!(u.tokens, vec![t1, t2]);
    assert_eq!(u.created_at, created);
    rc.form(
        TOKEN,
        &[("userId", "u1"), ("name", "B"), ("portraitUri", "p2")],
    )
    .await
    .ok();
    assert_eq!(
        rc.emu.rongcloud_state().user("u1").unwrap().portrait_uri,
        "p2"
    );
    assert_eq!(rc.emu.rongcloud_state().users().len(), 1);
}

#[tokio::test]
async fn get_token_checks_its_parameters() {
    let rc = Rc::start().await;
    rc.form(TOKEN, &[("name", "n")]).await.fails(400, 1002);
    rc.form(TOKEN, &[("userId", ""), ("name", "n")])
        .await
        .fails(400, 1002);
    rc.form(TOKEN, &[("userId", "u1")]).await.fails(400, 1002);
    rc.form(TOKEN, &[("userId", "u1"), ("name", "")])
        .await
        .fails(400, 1002);
    for bad in ["a b", "a@b", "a.b", "张三", "a/b"] {
        rc.form(TOKEN, &[("userId", bad), ("name", "n")])
            .await
            .fails(400, 1002);
    }
    rc.form(TOKEN, &[("userId", "aZ09+=-_"), ("name", "n")])
        .await
        .ok();
    let long = "a".repeat(65);
    rc.form(TOKEN, &[("userId", &long), ("name", "n")])
        .await
        .fails(400, 1005);
    rc.form(TOKEN, &[("userId", &"a".repeat(64)), ("name", "n")])
        .await
        .ok();
    // 64 characters of any script are fine, 65 are not.
    rc.form(TOKEN, &[("userId", "u2"), ("name", &"张".repeat(64))])
        .await
        .ok();
    rc.form(TOKEN, &[("userId", "u2"), ("name", &"张".repeat(65))])
        .await
        .fails(400, 1005);
    rc.form(
        TOKEN,
        &[
            ("userId", "u2"),
            ("name", "n"),
            ("portraitUri", &"p".repeat(1025)),
        ],
    )
    .await
    .fails(400, 1005);
    rc.form(
        TOKEN,
        &[
            ("userId", "u2"),
            ("name", "n"),
            ("portraitUri", &"p".repeat(1024)),
        ],
    )
    .await
    .ok();
    let ids: Vec<String> = rc
        .emu
        .rongcloud_state()
        .users()
        .into_iter()
        .map(|u| u.id)
        .collect();
    assert_eq!(ids.len(), 3);
}

#[tokio::test]
async fn refresh_updates_only_what_is_given() {
    let rc = Rc::start().await;
    rc.form(
        TOKEN,
        &[("userId", "u1"), ("name", "A"), ("portraitUri", "p1")],
    )
    .await
    .ok();
    let a = rc.form(REFRESH, &[("userId", "u1"), ("name", "B")]).await;
    a.ok();
    assert_eq!(a.text, r#"{"code":200}"#);
    let u = rc.emu.rongcloud_state().user("u1").unwrap();
    assert_eq!((u.name.as_str(), u.portrait_uri.as_str()), ("B", "p1"));
    rc.form(REFRESH, &[("userId", "u1"), ("portraitUri", "p2")])
        .await
        .ok();
    let u = rc.emu.rongcloud_state().user("u1").unwrap();
    assert_eq!((u.name.as_str(), u.portrait_uri.as_str()), ("B", "p2"));
    assert_eq!(u.tokens_issued(), 1);

    rc.form(REFRESH, &[("userId", "ghost"), ("name", "x")])
        .await
        .fails(400, 1002);
    assert!(rc.emu.rongcloud_state().user("ghost").is_none());
    rc.form(REFRESH, &[("name", "x")]).await.fails(400, 1002);
    rc.form(REFRESH, &[("userId", "u1"), ("name", &"n".repeat(65))])
        .await
        .fails(400, 1005);
    rc.form(
        REFRESH,
        &[("userId", "u1"), ("portraitUri", &"p".repeat(1025))],
    )
    .await
    .fails(400, 1005);
}

#[tokio::test]
async fn info_answers_name_portrait_and_create_time() {
    let rc = Rc::start().await;
    rc.form(TOKEN, &[("userId", "u1"), ("name", "Ironman")])
        .await
        .ok();
    let a = rc.form(INFO, &[("userId", "u1")]).await;
    let j = a.ok();
    assert_eq!(j["userName"], "Ironman");
    assert_eq!(j["userPortrait"], "");
    let t = j["createTime"].as_str().unwrap();
    // "YYYY-MM-DD HH:MM:SS"
    assert_eq!(t.len(), 19, "{t}");
    let bytes = t.as_bytes();
    for (i, b) in bytes.iter().enumerate() {
        match i {
            4 | 7 => assert_eq!(*b, b'-'),
            10 => assert_eq!(*b, b' '),
            13 | 16 => assert_eq!(*b, b':'),
            _ => assert!(b.is_ascii_digit(), "{t}"),
        }
    }
    assert!(
        a.text
            .starts_with(r#"{"code":200,"userName":"Ironman","userPortrait":"","createTime":""#)
    );
    rc.form(INFO, &[("userId", "ghost")]).await.fails(400, 1002);
    rc.form(INFO, &[("other", "x")]).await.fails(400, 1002);
}

#[tokio::test]
async fn tags_set_get_and_clear() {
    let rc = Rc::start().await;
    rc.register(&["u1"]).await;
    let a = rc
        .json(
            "/user/tag/set.json",
            &json!({"userId": "u1", "tags": ["bj", "男", "bj"]}),
        )
        .await;
    a.ok();
    assert_eq!(a.text, r#"{"code":200}"#);
    let state = rc.emu.rongcloud_state();
    assert_eq!(state.user("u1").unwrap().tags, vec!["bj", "男"]);

    // Users without a token can have tags too.
    rc.json(
        "/user/tag/batch/set.json",
        &json!({"userIds": ["u2", "u3"], "tags": ["vip"]}),
    )
    .await
    .ok();
    assert_eq!(state.tags("u2"), vec!["vip"]);

    let a = rc
        .form(
            "/user/tags/get.json",
            &[("userIds", "u1"), ("userIds", "u2"), ("userIds", "nobody")],
        )
        .await;
    let result = &a.ok()["result"];
    assert_eq!(
        result,
        &json!({"u1": ["bj", "男"], "u2": ["vip"], "nobody": []})
    );

    // An empty array clears.
    rc.json("/user/tag/set.json", &json!({"userId": "u1", "tags": []}))
        .await
        .ok();
    assert!(state.user("u1").unwrap().tags.is_empty());
}

#[tokio::test]
async fn tag_limits() {
    let rc = Rc::start().await;
    let twenty: Vec<String> = (0..20).map(|i| format!("t{i}")).collect();
    let mut twenty_one = twenty.clone();
    twenty_one.push("t20".into());
    rc.json(
        "/user/tag/set.json",
        &json!({"userId": "u1", "tags": twenty}),
    )
    .await
    .ok();
    rc.json(
        "/user/tag/set.json",
        &json!({"userId": "u1", "tags": twenty_one}),
    )
    .await
    .fails(400, 1002);
    rc.json(
        "/user/tag/set.json",
        &json!({"userId": "u1", "tags": ["x".repeat(41)]}),
    )
    .await
    .fails(400, 1005);
    rc.json(
        "/user/tag/set.json",
        &json!({"userId": "u1", "tags": ["x".repeat(40)]}),
    )
    .await
    .ok();
    for body in [
        json!({"tags": ["a"]}),
        json!({"userId": "u1"}),
        json!({"userId": "u1", "tags": "a"}),
        json!({"userId": "u1", "tags": [1]}),
        json!({"userId": "", "tags": ["a"]}),
    ] {
        rc.json("/user/tag/set.json", &body).await.fails(400, 1002);
    }
    for body in [
        json!({"tags": ["a"]}),
        json!({"userIds": [], "tags": ["a"]}),
        json!({"userIds": "u1", "tags": ["a"]}),
        json!({"userIds": [1], "tags": ["a"]}),
    ] {
        rc.json("/user/tag/batch/set.json", &body)
            .await
            .fails(400, 1002);
    }
    let too_many: Vec<String> = (0..1001).map(|i| format!("u{i}")).collect();
    rc.json(
        "/user/tag/batch/set.json",
        &json!({"userIds": too_many, "tags": ["a"]}),
    )
    .await
    .fails(400, 1002);
    let fifty_one: Vec<(&str, String)> = (0..51).map(|i| ("userIds", format!("u{i}"))).collect();
    let pairs: Vec<(&str, &str)> = fifty_one.iter().map(|(k, v)| (*k, v.as_str())).collect();
    rc.form("/user/tags/get.json", &pairs)
        .await
        .fails(400, 1002);
    rc.form("/user/tags/get.json", &pairs[..50]).await.ok();
    rc.form("/user/tags/get.json", &[]).await.fails(400, 1003);
    rc.form("/user/tags/get.json", &[("x", "y")])
        .await
        .fails(400, 1002);
}
