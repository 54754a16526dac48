//! Content types, empty bodies and lenient form parsing of the RongCloud half.

mod rongcloud_support;

use rongcloud_support::{FORM, JSON, Rc, form};
use serde_json::json;

/// Every form endpoint with a body that would otherwise succeed.
fn form_endpoints() -> Vec<(&'static str, String)> {
    let txt = r#"{"content":"hi"}"#;
    vec![
        (
            "/user/getToken.json",
            form(&[("userId", "u1"), ("name", "n")]),
        ),
        ("/user/refresh.json", form(&[("userId", "u1")])),
        ("/user/info.json", form(&[("userId", "u1")])),
        ("/user/tags/get.json", form(&[("userIds", "u1")])),
        (
            "/group/create.json",
            form(&[("userId", "u1"), ("groupId", "g1"), ("groupName", "G")]),
        ),
        (
            "/group/join.json",
            form(&[("userId", "u2"), ("groupId", "g1")]),
        ),
        (
            "/group/quit.json",
            form(&[("userId", "u2"), ("groupId", "g1")]),
        ),
        (
            "/group/refresh.json",
            form(&[("groupId", "g1"), ("groupName", "G2")]),
        ),
        ("/group/user/query.json", form(&[("groupId", "g1")])),
        (
            "/message/private/publish.json",
            form(&[
                ("fromUserId", "u1"),
                ("toUserId", "u2"),
                ("objectName", "RC:TxtMsg"),
                ("content", txt),
            ]),
        ),
        (
            "/message/group/publish.json",
            form(&[
                ("fromUserId", "u1"),
                ("toGroupId", "g1"),
                ("objectName", "RC:TxtMsg"),
                ("content", txt),
            ]),
        ),
        (
            "/group/dismiss.json",
            form(&[("userId", "u1"), ("groupId", "g1")]),
        ),
    ]
}

fn json_endpoints() -> Vec<(&'static str, String)> {
    vec![
        (
            "/user/tag/set.json",
            json!({"userId": "u1", "tags": ["a"]}).to_string(),
        ),
        (
            "/user/tag/batch/set.json",
            json!({"userIds": ["u1", "u2"], "tags": ["b"]}).to_string(),
        ),
    ]
}

#[tokio::test]
async fn each_endpoint_needs_its_content_type() {
    let rc = Rc::start().await;
    for (path, body) in form_endpoints() {
        rc.post(path, JSON, &body).await.fails(400, 1002);
        rc.post(path, "text/plain", &body).await.fails(400, 1002);
        let a = rc.post(path, FORM, &body).await;
        a.ok();
    }
    for (path, body) in json_endpoints() {
        rc.post(path, FORM, &body).await.fails(400, 1002);
        rc.post(path, JSON, &body).await.ok();
    }
}

#[tokio::test]
async fn charset_suffixes_and_case_are_fine() {
    let rc = Rc::start().await;
    let body = form(&[("userId", "u1"), ("name", "n")]);
    rc.post(
        "/user/getToken.json",
        "application/x-www-form-urlencoded; charset=UTF-8",
        &body,
    )
    .await
    .ok();
    rc.post(
        "/user/getToken.json",
        "Application/X-WWW-Form-Urlencoded;charset=utf-8",
        &body,
    )
    .await
    .ok();
    rc.post(
        "/user/tag/set.json",
        "application/json; charset=utf-8",
        &json!({"userId": "u1", "tags": []}).to_string(),
    )
    .await
    .ok();
}

#[tokio::test]
async fn a_missing_content_type_is_refused() {
    let rc = Rc::start().await;
    let a = rc
        .raw(
            &rc.emu.url(),
            reqwest::Method::POST,
            "/user/getToken.json",
            &rc.auth(),
            form(&[("userId", "u1"), ("name", "n")]),
        )
        .await;
    a.fails(400, 1002);
}

#[tokio::test]
async fn empty_bodies_are_1003() {
    let rc = Rc::start().await;
    for (path, _) in form_endpoints() {
        rc.post(path, FORM, "").await.fails(400, 1003);
    }
    for (path, _) in json_endpoints() {
        rc.post(path, JSON, "").await.fails(400, 1003);
        rc.post(path, JSON, "  \n").await.fails(400, 1003);
    }
}

#[tokio::test]
async fn bad_json_bodies_are_1002() {
    let rc = Rc::start().await;
    for body in ["{oops", "[]", "\"x\"", "{\"userId\":1,\"tags\":[]}"] {
        rc.post("/user/tag/set.json", JSON, body)
            .await
            .fails(400, 1002);
    }
}

#[tokio::test]
async fn raw_unescaped_form_values_are_read_like_the_vendor() {
    let rc = Rc::start().await;
    // As some official SDKs send it: braces, quotes, colons and spaces not encoded.
    let body = r#"fromUserId=u1&toUserId=u2&objectName=RC:TxtMsg&content={"content":"a b","extra":"100%"}&pushContent=hello world"#;
    rc.post("/message/private/publish.json", FORM, body)
        .await
        .ok();
    let m = &rc.emu.rongcloud_state().private_messages()[0];
    assert_eq!(m.content, r#"{"content":"a b","extra":"100%"}"#);
    assert_eq!(m.object_name, "RC:TxtMsg");
    assert_eq!(m.options["pushContent"], "hello world");

    // `+` is a space, escapes are decoded, raw UTF-8 is kept.
    rc.post(
        "/user/getToken.json",
        FORM,
        "userId=u3&name=Iron+Man%20%E5%BC%A0&portraitUri=http://x/%zz",
    )
    .await
    .ok();
    let u = rc.emu.rongcloud_state().user("u3").unwrap();
    assert_eq!(u.name, "Iron Man 张");
    assert_eq!(u.portrait_uri, "http://x/%zz");
    rc.post("/user/refresh.json", FORM, "userId=u3&name=张三")
        .await
        .ok();
    assert_eq!(rc.emu.rongcloud_state().user("u3").unwrap().name, "张三");
}

#[tokio::test]
async fn repeated_keys_are_lists_and_unknown_params_are_ignored() {
    let rc = Rc::start().await;
    rc.post(
        "/group/create.json",
        FORM,
        "userId=a&groupId=g&userId=b&extra=1&userId=c&groupName=G&userId=a",
    )
    .await
    .ok();
    let g = rc.emu.rongcloud_state().group("g").unwrap();
    assert_eq!(g.members, vec!["a", "b", "c"]);
    assert_eq!(g.name, "G");
    let a = rc
        .post(
            "/message/private/publish.json",
            FORM,
            &form(&[
                ("fromUserId", "a"),
                ("toUserId", "b"),
                ("toUserId", "c"),
                ("objectName", "RC:TxtMsg"),
                ("content", r#"{"content":"hi"}"#),
                ("whatever", "x"),
            ]),
        )
        .await;
    assert_eq!(a.ok()["messageUIDs"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn oversized_bodies_get_a_json_answer() {
    let rc = Rc::start().await;
    let body = format!("userId=u1&name=n&pad={}", "x".repeat(4 * 1024 * 1024));
    rc.post("/user/getToken.json", FORM, &body)
        .await
        .fails(400, 1005);
    assert!(rc.emu.rongcloud_state().users().is_empty());
}
