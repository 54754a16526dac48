//! Groups of the RongCloud half.

mod rongcloud_support;

use rongcloud_support::Rc;
use serde_json::json;

const CREATE: &str = "/group/create.json";
const JOIN: &str = "/group/join.json";
const QUIT: &str = "/group/quit.json";
const DISMISS: &str = "/group/dismiss.json";
const QUERY: &str = "/group/user/query.json";

async fn members(rc: &Rc, group: &str) -> serde_json::Value {
    rc.form(QUERY, &[("groupId", group)]).await.ok()["users"].clone()
}

#[tokio::test]
async fn create_join_quit_query_dismiss() {
    let rc = Rc::start().await;
    let state = rc.emu.rongcloud_state();
    let a = rc
        .form(
            CREATE,
            &[
                ("userId", "1"),
                ("userId", "2"),
                ("groupId", "123"),
                ("groupName", "TestGroup"),
            ],
        )
        .await;
    a.ok();
    assert_eq!(a.text, r#"{"code":200}"#);
    let g = state.group("123").unwrap();
    assert_eq!(g.name, "TestGroup");
    assert_eq!(g.members, vec!["1", "2"]);
    // Members need not be registered users.
    assert!(state.users().is_empty());

    rc.form(
        JOIN,
        &[("userId", "3"), ("userId", "1"), ("groupId", "123")],
    )
    .await
    .ok();
    assert_eq!(
        members(&rc, "123").await,
        json!([{"id": "1"}, {"id": "2"}, {"id": "3"}])
    );
    assert_eq!(state.group("123").unwrap().name, "TestGroup");

    // groupName on join renames the group.
    rc.form(
        JOIN,
        &[("userId", "4"), ("groupId", "123"), ("groupName", "New")],
    )
    .await
    .ok();
    assert_eq!(state.group("123").unwrap().name, "New");

    rc.form(
        QUIT,
        &[("userId", "2"), ("userId", "4"), ("groupId", "123")],
    )
    .await
    .ok();
    assert_eq!(members(&rc, "123").await, json!([{"id": "1"}, {"id": "3"}]));
    // Quitting again, or from an unknown group, changes nothing.
    rc.form(QUIT, &[("userId", "2"), ("groupId", "123")])
        .await
        .ok();
    rc.form(QUIT, &[("userId", "2"), ("groupId", "nope")])
        .await
        .ok();
    assert!(state.group("nope").is_none());

    rc.form(
        "/group/refresh.json",
        &[("groupId", "123"), ("groupName", "R")],
    )
    .await
    .ok();
    assert_eq!(state.group("123").unwrap().name, "R");

    rc.form(DISMISS, &[("userId", "1"), ("groupId", "123")])
        .await
        .ok();
    assert!(state.group("123").is_none());
    assert_eq!(members(&rc, "123").await, json!([]));
    rc.form(DISMISS, &[("userId", "1"), ("groupId", "123")])
        .await
        .ok();
}

#[tokio::test]
async fn create_on_an_existing_group_adds_the_users() {
    let rc = Rc::start().await;
    let state = rc.emu.rongcloud_state();
    rc.form(
        CREATE,
        &[("userId", "a"), ("groupId", "g"), ("groupName", "G1")],
    )
    .await
    .ok();
    rc.form(
        CREATE,
        &[
            ("userId", "b"),
            ("userId", "a"),
            ("groupId", "g"),
            ("groupName", "G2"),
        ],
    )
    .await
    .ok();
    let g = state.group("g").unwrap();
    assert_eq!(g.members, vec!["a", "b"]);
    assert_eq!(g.name, "G2");
    assert_eq!(state.groups().len(), 1);
}

#[tokio::test]
async fn join_creates_a_missing_group() {
    let rc = Rc::start().await;
    rc.form(JOIN, &[("userId", "a"), ("groupId", "fresh")])
        .await
        .ok();
    let g = rc.emu.rongcloud_state().group("fresh").unwrap();
    assert_eq!(g.members, vec!["a"]);
    assert_eq!(g.name, "");
}

#[tokio::test]
async fn groups_are_listed_in_creation_order() {
    let rc = Rc::start().await;
    for id in ["z", "a", "m"] {
        rc.form(
            CREATE,
            &[("userId", "u"), ("groupId", id), ("groupName", id)],
        )
        .await
        .ok();
    }
    let ids: Vec<String> = rc
        .emu
        .rongcloud_state()
        .groups()
        .into_iter()
        .map(|g| g.id)
        .collect();
    assert_eq!(ids, vec!["z", "a", "m"]);
}

#[tokio::test]
async fn parameters_are_checked() {
    let rc = Rc::start().await;
    rc.form(CREATE, &[("groupId", "g"), ("groupName", "G")])
        .await
        .fails(400, 1002);
    rc.form(CREATE, &[("userId", "a"), ("groupName", "G")])
        .await
        .fails(400, 1002);
    rc.form(CREATE, &[("userId", "a"), ("groupId", "g")])
        .await
        .fails(400, 1002);
    rc.form(
        CREATE,
        &[
            ("userId", "a"),
            ("groupId", &"g".repeat(65)),
            ("groupName", "G"),
        ],
    )
    .await
    .fails(400, 1005);
    rc.form(
        CREATE,
        &[
            ("userId", "a"),
            ("groupId", "g"),
            ("groupName", &"n".repeat(129)),
        ],
    )
    .await
    .fails(400, 1005);
    rc.form(JOIN, &[("groupId", "g")]).await.fails(400, 1002);
    rc.form(QUIT, &[("userId", "a")]).await.fails(400, 1002);
    rc.form(DISMISS, &[("groupId", "g")]).await.fails(400, 1002);
    rc.form(QUERY, &[("x", "g")]).await.fails(400, 1002);

    let ids: Vec<String> = (0..1001).map(|i| format!("u{i}")).collect();
    let mut pairs: Vec<(&str, &str)> = ids.iter().map(|id| ("userId", id.as_str())).collect();
    pairs.push(("groupId", "big"));
    pairs.push(("groupName", "Big"));
    rc.form(CREATE, &pairs).await.fails(400, 1002);
    assert!(rc.emu.rongcloud_state().groups().is_empty());
}

#[tokio::test]
async fn a_group_holds_at_most_3000_members() {
    let rc = Rc::start().await;
    for batch in 0..3 {
        let ids: Vec<String> = (0..1000).map(|i| format!("u{batch}_{i}")).collect();
        let mut pairs: Vec<(&str, &str)> = ids.iter().map(|id| ("userId", id.as_str())).collect();
        pairs.push(("groupId", "big"));
        pairs.push(("groupName", "Big"));
        rc.form(CREATE, &pairs).await.ok();
    }
    assert_eq!(
        rc.emu.rongcloud_state().group("big").unwrap().members.len(),
        3000
    );
    // A present member is not a new one.
    rc.form(JOIN, &[("userId", "u0_0"), ("groupId", "big")])
        .await
        .ok();
    rc.form(JOIN, &[("userId", "one-more"), ("groupId", "big")])
        .await
        .fails(405, 405);
    assert_eq!(
        rc.emu.rongcloud_state().group("big").unwrap().members.len(),
        3000
    );
    rc.form(QUIT, &[("userId", "u0_0"), ("groupId", "big")])
        .await
        .ok();
    rc.form(JOIN, &[("userId", "one-more"), ("groupId", "big")])
        .await
        .ok();
}

const USER_GROUPS: &str = "/user/group/query.json";
const GAG_ADD: &str = "/group/user/gag/add.json";
const GAG_ROLLBACK: &str = "/group/user/gag/rollback.json";
const GAG_LIST: &str = "/group/user/gag/list.json";
const BAN_ADD: &str = "/group/ban/add.json";
const BAN_ROLLBACK: &str = "/group/ban/rollback.json";
const BAN_QUERY: &str = "/group/ban/query.json";
const WHITELIST_ADD: &str = "/group/user/ban/whitelist/add.json";
const WHITELIST_ROLLBACK: &str = "/group/user/ban/whitelist/rollback.json";
const WHITELIST_QUERY: &str = "/group/user/ban/whitelist/query.json";

async fn make(rc: &Rc, group: &str, users: &[&str]) {
    let mut pairs: Vec<(&str, &str)> = users.iter().map(|u| ("userId", *u)).collect();
    pairs.push(("groupId", group));
    pairs.push(("groupName", group));
    rc.form(CREATE, &pairs).await.ok();
}

/// The user ids of a `users` answer.
fn user_ids(answer: &serde_json::Value) -> Vec<String> {
    answer["users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["userId"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn user_group_query_lists_a_users_groups_with_or_without_pages() {
    let rc = Rc::start().await;
    for g in ["g1", "g2", "g3"] {
        make(&rc, g, &["u"]).await;
    }
    make(&rc, "other", &["v"]).await;
    let a = rc.form(USER_GROUPS, &[("userId", "u")]).await;
    assert_eq!(
        a.ok()["groups"],
        json!([{"id": "g1", "name": "g1"}, {"id": "g2", "name": "g2"}, {"id": "g3", "name": "g3"}])
    );
    assert_eq!(
        a.text,
        r#"{"code":200,"groups":[{"id":"g1","name":"g1"},{"id":"g2","name":"g2"},{"id":"g3","name":"g3"}]}"#
    );
    let a = rc
        .form(
            USER_GROUPS,
            &[("userId", "u"), ("page", "2"), ("size", "2")],
        )
        .await;
    assert_eq!(a.ok()["groups"], json!([{"id": "g3", "name": "g3"}]));
    // page=0 is the unpaged answer.
    let a = rc
        .form(
            USER_GROUPS,
            &[("userId", "u"), ("page", "0"), ("size", "1")],
        )
        .await;
    assert_eq!(a.ok()["groups"].as_array().unwrap().len(), 3);
    let a = rc.form(USER_GROUPS, &[("userId", "nobody")]).await;
    assert_eq!(a.ok()["groups"], json!([]));
    rc.form(USER_GROUPS, &[("page", "1")])
        .await
        .fails(400, 1002);
    rc.form(
        USER_GROUPS,
        &[("userId", "u"), ("page", "1"), ("size", "1001")],
    )
    .await
    .fails(400, 1002);
}

#[tokio::test]
async fn member_mutes_are_set_listed_and_lifted() {
    let rc = Rc::start().await;
    make(&rc, "g", &["a", "b", "c"]).await;
    let state = rc.emu.rongcloud_state();
    let before = rongcloud_support::now_ms();
    rc.form(
        GAG_ADD,
        &[
            ("userId", "a"),
            ("userId", "b"),
            ("groupId", "g"),
            ("minute", "30"),
        ],
    )
    .await
    .ok();
    // Comma-separated ids, and no groupId: muted in every group, 0 = permanent.
    rc.form(GAG_ADD, &[("userId", "c,d"), ("minute", "0")])
        .await
        .ok();

    let a = rc.form(GAG_LIST, &[("groupId", "g")]).await;
    let users = a.ok()["users"].as_array().unwrap().clone();
    assert_eq!(user_ids(a.ok()), ["a", "b"]);
    let fields: Vec<&String> = users[0].as_object().unwrap().keys().collect();
    assert_eq!(fields, ["startTime", "time", "userId"]);
    for u in &users {
        assert_eq!(u["time"].as_str().unwrap().len(), 19, "{u}");
        assert_eq!(u["startTime"].as_str().unwrap().as_bytes()[10], b' ');
    }
    let gag = state
        .gags()
        .into_iter()
        .find(|g| g.group_id == "g" && g.user_id == "a")
        .unwrap();
    assert!(gag.start_ms >= before);
    assert_eq!(gag.end_ms, Some(gag.start_ms + 30 * 60_000));

    // The every-group list, with an empty body (as rc-server-sdk sends it).
    let a = rc.post(GAG_LIST, rongcloud_support::FORM, "").await;
    assert_eq!(user_ids(a.ok()), ["c", "d"]);
    assert_eq!(
        a.ok()["users"][0]["time"],
        "",
        "a permanent mute has no end"
    );
    assert_eq!(
        rc.form(GAG_LIST, &[("groupId", "unknown")]).await.ok()["users"],
        json!([])
    );

    rc.form(GAG_ROLLBACK, &[("userId", "a"), ("groupId", "g")])
        .await
        .ok();
    assert_eq!(
        user_ids(rc.form(GAG_LIST, &[("groupId", "g")]).await.ok()),
        ["b"]
    );
    rc.form(GAG_ROLLBACK, &[("userId", "c")]).await.ok();
    assert_eq!(
        user_ids(rc.post(GAG_LIST, rongcloud_support::FORM, "").await.ok()),
        ["d"]
    );

    // Limits.
    let twenty_one: Vec<String> = (0..21).map(|i| format!("u{i}")).collect();
    rc.form(
        GAG_ADD,
        &[
            ("userId", &twenty_one.join(",")),
            ("groupId", "g"),
            ("minute", "1"),
        ],
    )
    .await
    .fails(400, 1002);
    rc.form(
        GAG_ADD,
        &[("userId", "a"), ("groupId", "g"), ("minute", "43201")],
    )
    .await
    .fails(400, 1002);
    rc.form(GAG_ADD, &[("userId", "a"), ("groupId", "g")])
        .await
        .fails(400, 1002);
    rc.form(GAG_ADD, &[("groupId", "g"), ("minute", "1")])
        .await
        .fails(400, 1002);
    rc.form(GAG_ROLLBACK, &[("groupId", "g")])
        .await
        .fails(400, 1002);
    // Mutes survive a dismissal.
    rc.form(DISMISS, &[("userId", "a"), ("groupId", "g")])
        .await
        .ok();
    assert_eq!(
        user_ids(rc.form(GAG_LIST, &[("groupId", "g")]).await.ok()),
        ["b"]
    );
}

#[tokio::test]
async fn whole_group_mutes_and_their_allowlist() {
    let rc = Rc::start().await;
    let state = rc.emu.rongcloud_state();
    rc.form(
        BAN_ADD,
        &[("groupId", "g1"), ("groupId", "g2"), ("groupId", "g3")],
    )
    .await
    .ok();
    assert!(state.group_banned("g2"));
    let a = rc
        .form(BAN_QUERY, &[("groupId", "g1"), ("groupId", "g9")])
        .await;
    assert_eq!(
        a.text,
        r#"{"code":200,"groupinfo":[{"groupId":"g1","stat":1},{"groupId":"g9","stat":0}]}"#
    );
    // No groupId (an empty body): every muted group, by id; page and size win over groupId.
    let a = rc.post(BAN_QUERY, rongcloud_support::FORM, "").await;
    assert_eq!(
        a.ok()["groupinfo"],
        json!([{"groupId": "g1", "stat": 1}, {"groupId": "g2", "stat": 1}, {"groupId": "g3", "stat": 1}])
    );
    let a = rc
        .form(
            BAN_QUERY,
            &[("groupId", "g9"), ("page", "2"), ("size", "2")],
        )
        .await;
    assert_eq!(a.ok()["groupinfo"], json!([{"groupId": "g3", "stat": 1}]));
    rc.form(BAN_QUERY, &[("size", "201")])
        .await
        .fails(400, 1002);

    rc.form(BAN_ROLLBACK, &[("groupId", "g1,g2")]).await.ok();
    assert!(!state.group_banned("g1"));
    assert_eq!(
        rc.form(BAN_QUERY, &[("groupId", "g1")]).await.ok()["groupinfo"],
        json!([{"groupId": "g1", "stat": 0}])
    );
    rc.post(BAN_ADD, rongcloud_support::FORM, "groupId=")
        .await
        .fails(400, 1002);
    let many: Vec<String> = (0..21).map(|i| format!("g{i}")).collect();
    rc.form(BAN_ADD, &[("groupId", &many.join(","))])
        .await
        .fails(400, 1002);

    rc.form(
        WHITELIST_ADD,
        &[("userId", "a"), ("userId", "b"), ("groupId", "g3")],
    )
    .await
    .ok();
    let a = rc.form(WHITELIST_QUERY, &[("groupId", "g3")]).await;
    assert_eq!(a.text, r#"{"code":200,"userIds":["a","b"]}"#);
    assert_eq!(state.ban_whitelist("g3"), ["a", "b"]);
    rc.form(WHITELIST_ROLLBACK, &[("userId", "a"), ("groupId", "g3")])
        .await
        .ok();
    assert_eq!(
        rc.form(WHITELIST_QUERY, &[("groupId", "g3")]).await.ok()["userIds"],
        json!(["b"])
    );
    rc.form(WHITELIST_ADD, &[("userId", "a")])
        .await
        .fails(400, 1002);
    rc.form(WHITELIST_QUERY, &[("userId", "a")])
        .await
        .fails(400, 1002);
}

#[tokio::test]
async fn mutes_do_not_stop_server_api_sends_and_show_in_the_control_api() {
    let rc = Rc::start().await;
    make(&rc, "g", &["a"]).await;
    rc.form(
        GAG_ADD,
        &[("userId", "a"), ("groupId", "g"), ("minute", "5")],
    )
    .await
    .ok();
    rc.form(BAN_ADD, &[("groupId", "g")]).await.ok();
    rc.form(WHITELIST_ADD, &[("userId", "b"), ("groupId", "g")])
        .await
        .ok();
    // The vendor: messages sent through the Server API are not restricted by mutes.
    rc.form(
        "/message/group/publish.json",
        &[
            ("fromUserId", "a"),
            ("toGroupId", "g"),
            ("objectName", "RC:TxtMsg"),
            ("content", r#"{"content":"hi"}"#),
        ],
    )
    .await
    .ok();
    let state: serde_json::Value = rc
        .http
        .get(format!("{}/_emulator/state", rc.emu.url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let r = &state["rongcloud"];
    assert_eq!(r["group_hosting"], false);
    assert_eq!(r["banned_groups"], json!(["g"]));
    assert_eq!(r["ban_whitelist"], json!({"g": ["b"]}));
    assert_eq!(r["gags"][0]["group_id"], "g");
    assert_eq!(r["gags"][0]["user_id"], "a");
    assert!(r["gags"][0]["end_ms"].as_u64().is_some());
    assert!(r["groups"][0]["joined_at_ms"]["a"].as_u64().is_some());
}
