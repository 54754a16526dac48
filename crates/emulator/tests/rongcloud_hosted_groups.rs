//! Hosted groups of the RongCloud half (profile hosting, `/entrust/*`): the hosting switch and
//! every hosted-group endpoint, with hand-built requests.

mod rongcloud_support;

use imbridge_emulator::EmulatorConfig;
use rongcloud_support::{FORM, Rc};
use serde_json::{Value, json};

const CREATE: &str = "/entrust/group/create.json";
const IMPORT: &str = "/entrust/group/import.json";
const UPDATE: &str = "/entrust/group/profile/update.json";
const PROFILES: &str = "/entrust/group/profile/query.json";
const DISMISS: &str = "/entrust/group/dismiss.json";
const JOIN: &str = "/entrust/group/join.json";
const QUIT: &str = "/entrust/group/quit.json";
const KICK: &str = "/entrust/group/member/kick.json";
const KICK_ALL: &str = "/entrust/group/member/kick/all.json";
const TRANSFER: &str = "/entrust/group/transfer/owner.json";
const MANAGER_ADD: &str = "/entrust/group/manager/add.json";
const MANAGER_REMOVE: &str = "/entrust/group/manager/remove.json";
const MEMBERS: &str = "/entrust/group/member/query.json";
const SPECIFIC: &str = "/entrust/group/member/specific/query.json";
const MEMBER_SET: &str = "/entrust/group/member/set.json";
const GROUPS: &str = "/entrust/group/query.json";
const JOINED: &str = "/entrust/joined/group/query.json";

async fn hosting() -> Rc {
    Rc::start_with(EmulatorConfig {
        rongcloud_group_hosting: true,
        ..EmulatorConfig::default()
    })
    .await
}

/// A hosted group `id` owned by `owner` with `users` (comma-separated, as rc-go sends them).
async fn make(rc: &Rc, id: &str, owner: &str, users: &[&str]) {
    let users = users.join(",");
    rc.form(
        CREATE,
        &[
            ("groupId", id),
            ("name", id),
            ("owner", owner),
            ("userIds", &users),
        ],
    )
    .await
    .ok();
}

fn ids(list: &Value, key: &str) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|v| v[key].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn hosted_paths_answer_1009_until_hosting_is_on() {
    let rc = Rc::start().await;
    let state = rc.emu.rongcloud_state();
    assert!(!state.group_hosting());
    let create = [("groupId", "g"), ("name", "G"), ("owner", "o")];
    let a = rc.form(CREATE, &create).await;
    a.fails(430, 1009);
    assert!(
        a.json["errorMessage"]
            .as_str()
            .unwrap()
            .contains("--rongcloud-group-hosting")
    );
    rc.form(GROUPS, &[]).await.fails(430, 1009);
    assert!(state.groups().is_empty());

    // The Rust API.
    rc.emu.set_rongcloud_group_hosting(true);
    rc.form(CREATE, &create).await.ok();
    // The control API.
    let (status, body) = rc
        .control(reqwest::Method::GET, "/_emulator/settings", None)
        .await;
    assert_eq!(
        (status, body),
        (
            200,
            json!({"rongcloud_group_hosting": true, "rongcloud_msg_random_dedup": false, "rongcloud_message_storage": false})
        )
    );
    let (status, body) = rc
        .control(
            reqwest::Method::POST,
            "/_emulator/settings",
            Some(json!({"rongcloud_group_hosting": false})),
        )
        .await;
    assert_eq!(
        (status, body),
        (
            200,
            json!({"rongcloud_group_hosting": false, "rongcloud_msg_random_dedup": false, "rongcloud_message_storage": false})
        )
    );
    rc.form(PROFILES, &[("groupIds", "g")])
        .await
        .fails(430, 1009);
    // The group made while hosting was on stays, and basic APIs still see it.
    assert_eq!(
        rc.form("/group/user/query.json", &[("groupId", "g")])
            .await
            .ok()["users"],
        json!([{"id": "o"}])
    );
    for bad in [
        json!({"rongcloud_group_hosting": "yes"}),
        json!({"other": true}),
        json!([]),
    ] {
        let (status, body) = rc
            .control(reqwest::Method::POST, "/_emulator/settings", Some(bad))
            .await;
        assert_eq!(status, 400);
        assert!(body["error"].is_string());
    }
    // A reset keeps the app's settings.
    rc.emu.set_rongcloud_group_hosting(true);
    rc.emu.reset();
    assert!(state.group_hosting());
    assert!(state.groups().is_empty());
}

#[tokio::test]
async fn create_and_query_profiles() {
    let rc = hosting().await;
    let a = rc
        .form(
            CREATE,
            &[
                ("groupId", "g1"),
                ("name", "Chess"),
                ("owner", "o"),
                ("userIds", "a,b"),
                ("userIds", "c"),
                (
                    "groupProfile",
                    r#"{"introduction":"intro","announcement":"news","portraitUrl":"http://p"}"#,
                ),
                ("permissions", r#"{"joinPerm":1,"removePerm":2}"#),
                ("groupExtProfile", r#"{"ext_level":"3"}"#),
            ],
        )
        .await;
    assert_eq!(a.text, r#"{"code":200}"#);
    let g = rc.emu.rongcloud_state().group("g1").unwrap();
    assert_eq!(g.members, ["o", "a", "b", "c"]);
    assert_eq!(g.role("o"), Some(3));
    assert_eq!(g.role("a"), Some(1));
    let h = g.hosted.as_ref().unwrap();
    assert_eq!((h.owner.as_str(), h.creator.as_str()), ("o", "o"));

    let a = rc.form(PROFILES, &[("groupIds", "g1,nope")]).await;
    let profiles = a.ok()["profiles"].as_array().unwrap().clone();
    assert_eq!(profiles.len(), 1, "unknown ids are left out");
    let p = &profiles[0];
    assert_eq!(p["groupId"], "g1");
    assert_eq!(p["groupName"], "Chess");
    assert_eq!(p["name"], "Chess");
    assert_eq!(p["owner"], "o");
    assert_eq!(p["memberCount"], 4);
    assert!(p["createTime"].as_u64().unwrap() > 1_700_000_000_000);
    // JSON parameters are answered as JSON text.
    let profile: Value = serde_json::from_str(p["groupProfile"].as_str().unwrap()).unwrap();
    assert_eq!(
        profile,
        json!({"introduction": "intro", "announcement": "news", "portraitUrl": "http://p"})
    );
    let perms: Value = serde_json::from_str(p["permissions"].as_str().unwrap()).unwrap();
    assert_eq!(perms, json!({"joinPerm": 1, "removePerm": 2}));
    assert_eq!(p["groupExtProfile"], r#"{"ext_level":"3"}"#);
    // The page's example repeats `groupId`.
    let a = rc.form(PROFILES, &[("groupId", "g1")]).await;
    assert_eq!(a.ok()["profiles"][0]["groupId"], "g1");

    // Refusals.
    let base = [("groupId", "g2"), ("name", "G"), ("owner", "o")];
    let with = |extra: (&'static str, &'static str)| {
        let mut pairs = base.to_vec();
        pairs.push(extra);
        pairs
    };
    rc.form(CREATE, &with(("groupProfile", r#"{"motto":"x"}"#)))
        .await
        .fails(400, 1002);
    rc.form(CREATE, &with(("groupProfile", "not json")))
        .await
        .fails(400, 1002);
    rc.form(CREATE, &with(("permissions", r#"{"joinPerm":4}"#)))
        .await
        .fails(400, 1002);
    rc.form(CREATE, &with(("groupExtProfile", r#"{"level":"3"}"#)))
        .await
        .fails(400, 1002);
    let thirty_one: Vec<String> = (0..31).map(|i| format!("u{i}")).collect();
    rc.form(
        CREATE,
        &[
            ("groupId", "g2"),
            ("name", "G"),
            ("owner", "o"),
            ("userIds", &thirty_one.join(",")),
        ],
    )
    .await
    .fails(400, 1002);
    rc.form(
        CREATE,
        &[("groupId", "g2"), ("name", &"n".repeat(65)), ("owner", "o")],
    )
    .await
    .fails(400, 1005);
    rc.form(CREATE, &[("groupId", "g2"), ("name", "G")])
        .await
        .fails(400, 1002);
    rc.form(CREATE, &[("groupId", "g1"), ("name", "G"), ("owner", "o")])
        .await
        .fails(400, 1002);
    let fifty_one: Vec<String> = (0..51).map(|i| format!("g{i}")).collect();
    rc.form(PROFILES, &[("groupIds", &fifty_one.join(","))])
        .await
        .fails(400, 1002);
    rc.form(PROFILES, &[("x", "y")]).await.fails(400, 1002);
    assert!(rc.emu.rongcloud_state().group("g2").is_none());
}

#[tokio::test]
async fn profile_update_merges_keys() {
    let rc = hosting().await;
    make(&rc, "g", "o", &[]).await;
    rc.form(
        UPDATE,
        &[
            ("groupId", "g"),
            ("groupProfile", r#"{"introduction":"one","name":"Renamed"}"#),
            ("groupExtProfile", r#"{"ext_a":"1"}"#),
        ],
    )
    .await
    .ok();
    rc.form(
        UPDATE,
        &[
            ("groupId", "g"),
            ("groupProfile", r#"{"announcement":"two"}"#),
            ("permissions", r#"{"invitePerm":1}"#),
        ],
    )
    .await
    .ok();
    // rc-java sends the name as its own parameter.
    rc.form(UPDATE, &[("groupId", "g"), ("name", "Again")])
        .await
        .ok();
    let g = rc.emu.rongcloud_state().group("g").unwrap();
    assert_eq!(g.name, "Again");
    let h = g.hosted.unwrap();
    assert_eq!(
        Value::Object(h.profile),
        json!({"introduction": "one", "announcement": "two"})
    );
    assert_eq!(Value::Object(h.permissions), json!({"invitePerm": 1}));
    let many: serde_json::Map<String, Value> =
        (0..10).map(|i| (format!("ext_k{i}"), json!("v"))).collect();
    rc.form(
        UPDATE,
        &[
            ("groupId", "g"),
            ("groupExtProfile", &Value::Object(many).to_string()),
        ],
    )
    .await
    .fails(400, 1002);
    rc.form(UPDATE, &[("groupId", "nope"), ("name", "x")])
        .await
        .fails(400, 1002);
    // A basic group is not a hosted one.
    rc.form(
        "/group/create.json",
        &[("userId", "a"), ("groupId", "basic"), ("groupName", "B")],
    )
    .await
    .ok();
    rc.form(UPDATE, &[("groupId", "basic"), ("name", "x")])
        .await
        .fails(400, 1002);
}

#[tokio::test]
async fn basic_and_hosted_groups_share_one_store() {
    let rc = hosting().await;
    make(&rc, "h", "o", &["a"]).await;
    // The basic APIs see and change the hosted group's members.
    assert_eq!(
        rc.form("/group/user/query.json", &[("groupId", "h")])
            .await
            .ok()["users"],
        json!([{"id": "o"}, {"id": "a"}])
    );
    rc.form("/group/join.json", &[("userId", "b"), ("groupId", "h")])
        .await
        .ok();
    assert_eq!(
        rc.form("/user/group/query.json", &[("userId", "b")])
            .await
            .ok()["groups"],
        json!([{"id": "h", "name": "h"}])
    );
    let a = rc
        .form(SPECIFIC, &[("groupId", "h"), ("userIds", "b")])
        .await;
    assert_eq!(a.ok()["members"][0]["role"], 1);

    // A basic group becomes hosted by import, keeping its members.
    rc.form(
        "/group/create.json",
        &[
            ("userId", "x"),
            ("userId", "y"),
            ("groupId", "basic"),
            ("groupName", "B"),
        ],
    )
    .await
    .ok();
    rc.form(JOIN, &[("groupId", "basic"), ("userIds", "z")])
        .await
        .fails(400, 1002);
    rc.form(
        IMPORT,
        &[
            ("groupId", "basic"),
            ("name", "Imported"),
            ("owner", "x"),
            ("groupProfile", r#"{"introduction":"i"}"#),
        ],
    )
    .await
    .ok();
    let g = rc.emu.rongcloud_state().group("basic").unwrap();
    assert_eq!(g.name, "Imported");
    assert_eq!(g.members, ["x", "y"]);
    assert_eq!(g.role("x"), Some(3));
    rc.form(
        IMPORT,
        &[("groupId", "basic"), ("name", "I"), ("owner", "x")],
    )
    .await
    .fails(400, 1002);
    // The basic dismissal removes a hosted group too.
    rc.form("/group/dismiss.json", &[("userId", "o"), ("groupId", "h")])
        .await
        .ok();
    rc.form(PROFILES, &[("groupIds", "h")]).await.ok();
    assert!(rc.emu.rongcloud_state().group("h").is_none());
}

#[tokio::test]
async fn join_quit_kick_and_the_leave_flags() {
    let rc = hosting().await;
    make(&rc, "g", "o", &["a"]).await;
    let a = rc
        .form(JOIN, &[("groupId", "g"), ("userIds", "b,c,d,e")])
        .await;
    let body = a.ok();
    assert_eq!(body["groupId"], "g");
    assert_eq!(body["name"], "g");
    assert_eq!(body["owner"], "o");
    assert_eq!(body["memberCount"], 6);
    assert_eq!(body["groupProfile"], "{}");
    assert_eq!(body["permissions"], "{}");
    assert!(body["createTime"].as_u64().is_some());

    // Mutes and the allowlist go with a member who leaves, unless the flags say otherwise.
    for user in ["a", "b", "c"] {
        rc.form(
            "/group/user/gag/add.json",
            &[("userId", user), ("groupId", "g"), ("minute", "5")],
        )
        .await
        .ok();
    }
    rc.form(
        "/group/user/ban/whitelist/add.json",
        &[("userId", "a,b"), ("groupId", "g")],
    )
    .await
    .ok();
    rc.form(QUIT, &[("groupId", "g"), ("userIds", "a")])
        .await
        .ok();
    rc.form(
        KICK,
        &[
            ("groupId", "g"),
            ("userIds", "b"),
            ("isDelBan", "0"),
            ("isDelWhite", "0"),
        ],
    )
    .await
    .ok();
    let g = rc.emu.rongcloud_state().group("g").unwrap();
    assert_eq!(g.members, ["o", "c", "d", "e"]);
    let gagged: Vec<String> = rc
        .emu
        .rongcloud_state()
        .gags()
        .into_iter()
        .map(|g| g.user_id)
        .collect();
    assert_eq!(gagged, ["b", "c"]);
    assert_eq!(rc.emu.rongcloud_state().ban_whitelist("g"), ["b"]);

    // The owner cannot leave; kick/all leaves every hosted group but the owned ones.
    rc.form(QUIT, &[("groupId", "g"), ("userIds", "o")])
        .await
        .fails(400, 1002);
    make(&rc, "owned", "c", &[]).await;
    rc.form(KICK_ALL, &[("userId", "c")]).await.ok();
    assert!(!rc.emu.rongcloud_state().group("g").unwrap().is_member("c"));
    assert!(
        rc.emu
            .rongcloud_state()
            .group("owned")
            .unwrap()
            .is_member("c")
    );

    let hundred_one: Vec<String> = (0..101).map(|i| format!("u{i}")).collect();
    rc.form(
        JOIN,
        &[("groupId", "g"), ("userIds", &hundred_one.join(","))],
    )
    .await
    .fails(400, 1002);
    rc.form(JOIN, &[("groupId", "g")]).await.fails(400, 1002);
    rc.form(
        QUIT,
        &[("groupId", "g"), ("userIds", "d"), ("isDelBan", "2")],
    )
    .await
    .fails(400, 1002);
    rc.form(JOIN, &[("groupId", "nope"), ("userIds", "a")])
        .await
        .fails(400, 1002);
}

#[tokio::test]
async fn owners_and_administrators() {
    let rc = hosting().await;
    make(&rc, "g", "o", &["a", "b", "c"]).await;
    let a = rc
        .form(
            MANAGER_ADD,
            &[("groupId", "g"), ("userIds", "a,b,stranger,o")],
        )
        .await;
    assert_eq!(a.text, r#"{"code":200,"userIds":["stranger"]}"#);
    let g = rc.emu.rongcloud_state().group("g").unwrap();
    assert_eq!(
        (g.role("a"), g.role("b"), g.role("o")),
        (Some(2), Some(2), Some(3))
    );
    let a = rc
        .form(MANAGER_ADD, &[("groupId", "g"), ("userIds", "c")])
        .await;
    assert_eq!(a.text, r#"{"code":200}"#);
    rc.form(MANAGER_REMOVE, &[("groupId", "g"), ("userIds", "c")])
        .await
        .ok();
    assert_eq!(
        rc.emu.rongcloud_state().group("g").unwrap().role("c"),
        Some(1)
    );

    // At most 10 administrators.
    let members: Vec<String> = (0..10).map(|i| format!("m{i}")).collect();
    rc.form(JOIN, &[("groupId", "g"), ("userIds", &members.join(","))])
        .await
        .ok();
    rc.form(
        MANAGER_ADD,
        &[("groupId", "g"), ("userIds", &members.join(","))],
    )
    .await
    .fails(400, 1002);

    // Transfer to an administrator, the old owner staying as a member.
    rc.form(TRANSFER, &[("groupId", "g"), ("newOwner", "a")])
        .await
        .ok();
    let g = rc.emu.rongcloud_state().group("g").unwrap();
    assert_eq!(g.hosted.as_ref().unwrap().owner, "a");
    assert_eq!((g.role("a"), g.role("o")), (Some(3), Some(1)));
    // isQuit=1: the old owner leaves.
    rc.form(
        TRANSFER,
        &[("groupId", "g"), ("newOwner", "b"), ("isQuit", "1")],
    )
    .await
    .ok();
    let g = rc.emu.rongcloud_state().group("g").unwrap();
    assert_eq!(g.role("b"), Some(3));
    assert!(!g.is_member("a"));
    rc.form(TRANSFER, &[("groupId", "g"), ("newOwner", "stranger")])
        .await
        .fails(400, 1002);
    rc.form(TRANSFER, &[("groupId", "g")])
        .await
        .fails(400, 1002);
}

#[tokio::test]
async fn member_queries_page_with_tokens() {
    let rc = hosting().await;
    make(&rc, "g", "o", &["a", "b", "c", "d"]).await;
    rc.form(MANAGER_ADD, &[("groupId", "g"), ("userIds", "b")])
        .await
        .ok();
    rc.form(
        MEMBER_SET,
        &[
            ("groupId", "g"),
            ("userId", "a"),
            ("nickname", "Ann"),
            ("extra", "x"),
        ],
    )
    .await
    .ok();

    // Ascending by joining, two per page, until the token is empty.
    let mut seen = Vec::new();
    let mut token = String::new();
    loop {
        let a = rc
            .form(
                MEMBERS,
                &[
                    ("groupId", "g"),
                    ("order", "0"),
                    ("size", "2"),
                    ("pageToken", &token),
                ],
            )
            .await;
        let body = a.ok().clone();
        assert_eq!(body["totalCount"], 5);
        seen.extend(ids(&body["members"], "userId"));
        token = body["pageToken"].as_str().unwrap().to_owned();
        if token.is_empty() {
            break;
        }
    }
    assert_eq!(seen, ["o", "a", "b", "c", "d"]);

    // The default order is descending; the type filter.
    let a = rc.form(MEMBERS, &[("groupId", "g")]).await;
    assert_eq!(ids(&a.ok()["members"], "userId"), ["d", "c", "b", "a", "o"]);
    assert_eq!(a.ok()["pageToken"], "");
    let a = rc.form(MEMBERS, &[("groupId", "g"), ("type", "2")]).await;
    assert_eq!(a.ok()["totalCount"], 1);
    let member = &a.ok()["members"][0];
    assert_eq!(member["userId"], "b");
    assert_eq!(member["role"], 2);
    assert!(member["time"].as_u64().unwrap() > 1_700_000_000_000);
    let keys: Vec<&String> = member.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["extra", "nickname", "role", "time", "userId"]);
    let a = rc.form(MEMBERS, &[("groupId", "g"), ("type", "3")]).await;
    assert_eq!(ids(&a.ok()["members"], "userId"), ["o"]);

    let a = rc
        .form(SPECIFIC, &[("groupId", "g"), ("userIds", "a,stranger")])
        .await;
    assert_eq!(
        a.ok()["members"],
        json!([{"userId": "a", "nickname": "Ann", "role": 1, "time": a.ok()["members"][0]["time"], "extra": "x"}])
    );

    rc.form(MEMBERS, &[("groupId", "g"), ("size", "101")])
        .await
        .fails(400, 1002);
    rc.form(MEMBERS, &[("groupId", "g"), ("pageToken", "bogus")])
        .await
        .fails(400, 1002);
    rc.form(MEMBERS, &[("groupId", "g"), ("type", "4")])
        .await
        .fails(400, 1002);
    rc.form(MEMBERS, &[("groupId", "g"), ("order", "2")])
        .await
        .fails(400, 1002);
    rc.form(
        MEMBER_SET,
        &[("groupId", "g"), ("userId", "stranger"), ("nickname", "n")],
    )
    .await
    .fails(400, 1002);
}

#[tokio::test]
async fn app_and_joined_group_queries_page_with_tokens() {
    let rc = hosting().await;
    for (id, owner) in [("g1", "o"), ("g2", "u"), ("g3", "o")] {
        rc.form(
            CREATE,
            &[
                ("groupId", id),
                ("name", id),
                ("owner", owner),
                ("userIds", "u"),
                ("groupProfile", r#"{"portraitUrl":"http://p"}"#),
            ],
        )
        .await
        .ok();
    }
    make(&rc, "g4", "o", &[]).await;
    rc.form(
        "/group/create.json",
        &[("userId", "u"), ("groupId", "basic"), ("groupName", "B")],
    )
    .await
    .ok();

    // Every hosted group of the app (not the basic one), newest first by default.
    let a = rc.post(GROUPS, FORM, "").await;
    let body = a.ok();
    assert_eq!(ids(&body["groups"], "groupId"), ["g4", "g3", "g2", "g1"]);
    assert_eq!(body["pageToken"], "");
    let g = &body["groups"][3];
    assert_eq!(g["name"], "g1");
    assert_eq!(
        (g["owner"].as_str(), g["creator"].as_str()),
        (Some("o"), Some("o"))
    );
    assert_eq!(g["portraitUrl"], "http://p");
    assert_eq!(g["groupProfile"], r#"{"portraitUrl":"http://p"}"#);
    assert!(g["time"].as_u64().unwrap() > 1_700_000_000_000);
    let a = rc.form(GROUPS, &[("order", "0"), ("size", "3")]).await;
    assert_eq!(ids(&a.ok()["groups"], "groupId"), ["g1", "g2", "g3"]);
    let token = a.ok()["pageToken"].as_str().unwrap().to_owned();
    assert!(!token.is_empty());
    let a = rc
        .form(
            GROUPS,
            &[("order", "0"), ("size", "3"), ("pageToken", &token)],
        )
        .await;
    assert_eq!(ids(&a.ok()["groups"], "groupId"), ["g4"]);
    assert_eq!(a.ok()["pageToken"], "");
    rc.form(GROUPS, &[("size", "1001")]).await.fails(400, 1002);

    // The hosted groups a user is in, with its role.
    let a = rc.form(JOINED, &[("userId", "u"), ("order", "0")]).await;
    let body = a.ok();
    assert_eq!(body["totalCount"], 3);
    assert_eq!(ids(&body["groups"], "groupId"), ["g1", "g2", "g3"]);
    let g2 = &body["groups"][1];
    assert_eq!(g2["role"], 3);
    assert_eq!(g2["owner"], "u");
    assert_eq!(g2["count"], 1);
    assert!(g2["joinTime"].as_u64().is_some() && g2["createTime"].as_u64().is_some());
    for key in [
        "remarkName",
        "groupProfile",
        "groupExtProfile",
        "permissions",
    ] {
        assert!(g2[key].is_string(), "{key}");
    }
    let a = rc.form(JOINED, &[("userId", "u"), ("role", "1")]).await;
    assert_eq!(a.ok()["totalCount"], 2);
    assert_eq!(ids(&a.ok()["groups"], "groupId"), ["g3", "g1"]);
    let a = rc.form(JOINED, &[("userId", "u"), ("size", "1")]).await;
    assert_eq!(a.ok()["groups"].as_array().unwrap().len(), 1);
    assert!(!a.ok()["pageToken"].as_str().unwrap().is_empty());
    rc.form(JOINED, &[("userId", "u"), ("size", "101")])
        .await
        .fails(400, 1002);
    rc.form(JOINED, &[("role", "1")]).await.fails(400, 1002);

    rc.form(DISMISS, &[("groupId", "g2")]).await.ok();
    assert_eq!(
        rc.form(JOINED, &[("userId", "u")]).await.ok()["totalCount"],
        2
    );
    rc.form(DISMISS, &[("groupId", "g2")])
        .await
        .fails(400, 1002);
    rc.form(DISMISS, &[("groupId", "basic")])
        .await
        .fails(400, 1002);
}

#[tokio::test]
async fn the_control_api_shows_hosted_groups() {
    let rc = hosting().await;
    make(&rc, "g", "o", &["a", "b"]).await;
    rc.form(MANAGER_ADD, &[("groupId", "g"), ("userIds", "a")])
        .await
        .ok();
    let (status, state) = rc
        .control(reqwest::Method::GET, "/_emulator/state", None)
        .await;
    assert_eq!(status, 200);
    let r = &state["rongcloud"];
    assert_eq!(r["group_hosting"], true);
    let h = &r["hosted_groups"][0];
    assert_eq!(h["groupId"], "g");
    assert_eq!(h["owner"], "o");
    assert_eq!(h["roles"], json!({"o": 3, "a": 2, "b": 1}));
    assert_eq!(h["groupProfile"], json!({}));
    assert_eq!(r["groups"][0]["hosted"]["managers"], json!(["a"]));
    assert_eq!(r["members"]["g"], json!(["o", "a", "b"]));
}
