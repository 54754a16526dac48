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
