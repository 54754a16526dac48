//! `group_open_http_svc` operations (group messages are in `tencent_messages.rs`).

mod common;

use common::{Harness, assert_ok, code};
use serde_json::{Value, json};

async fn create(h: &Harness, body: Value) -> Value {
    h.call("group_open_http_svc/create_group", body).await
}

#[tokio::test]
async fn create_group_with_owner_members_and_custom_fields() {
    let h = Harness::start().await;
    h.import(&["owner", "m1", "m2"]).await;
    let r = create(
        &h,
        json!({
            "Type": "Public", "Name": "Chess club", "Owner_Account": "owner",
            "Introduction": "intro", "Notification": "notice", "FaceUrl": "http://f",
            "MaxMemberCount": 50, "ApplyJoinOption": "FreeAccess",
            "AppDefinedData": [{"Key": "k", "Value": "v"}],
            "MemberList": [{"Member_Account": "m1", "Role": "Admin"}, {"Member_Account": "m2"}, {"Member_Account": "owner"}]
        }),
    )
    .await;
    assert_ok(&r);
    let id = r["GroupId"].as_str().unwrap();
    assert!(id.starts_with("@TGS#2"), "{id}");
    let g = h.emu.state().group(id).unwrap();
    assert_eq!(g.group_type, "Public");
    assert_eq!(g.name, "Chess club");
    assert_eq!(g.owner.as_deref(), Some("owner"));
    let roles: Vec<(&str, &str)> = g
        .members
        .iter()
        .map(|m| (m.account.as_str(), m.role.as_str()))
        .collect();
    assert_eq!(
        roles,
        [("owner", "Owner"), ("m1", "Admin"), ("m2", "Member")]
    );
    assert_eq!(
        (
            g.introduction.as_str(),
            g.notification.as_str(),
            g.face_url.as_str()
        ),
        ("intro", "notice", "http://f")
    );
    assert_eq!(g.max_member_count, 50);
    assert_eq!(g.apply_join_option, "FreeAccess");
    assert_eq!(h.emu.state().groups().len(), 1);
}

#[tokio::test]
async fn create_group_types_and_ids() {
    let h = Harness::start().await;
    // Legacy names, no owner.
    let r = create(&h, json!({"Type": "Private", "Name": "w"})).await;
    assert_ok(&r);
    let g = h.emu.state().group(r["GroupId"].as_str().unwrap()).unwrap();
    assert_eq!((g.group_type.as_str(), g.owner.clone()), ("Work", None));
    assert!(g.members.is_empty());
    let r = create(&h, json!({"Type": "ChatRoom", "Name": "m"})).await;
    assert_eq!(
        h.emu
            .state()
            .group(r["GroupId"].as_str().unwrap())
            .unwrap()
            .group_type,
        "Meeting"
    );
    let r = create(&h, json!({"Type": "Community", "Name": "c"})).await;
    assert!(r["GroupId"].as_str().unwrap().starts_with("@TGS#_"));

    // Custom ids.
    assert_ok(
        &create(
            &h,
            json!({"Type": "Work", "Name": "x", "GroupId": "team-1"}),
        )
        .await,
    );
    assert!(h.emu.state().group("team-1").is_some());
    assert_eq!(
        code(
            &create(
                &h,
                json!({"Type": "Public", "Name": "y", "GroupId": "team-1"})
            )
            .await
        ),
        10021
    );
    assert_eq!(
        code(
            &create(
                &h,
                json!({"Type": "Public", "Name": "y", "GroupId": "@TGS#mine"})
            )
            .await
        ),
        10015
    );
    assert_eq!(
        code(
            &create(
                &h,
                json!({"Type": "Community", "Name": "y", "GroupId": "plain"})
            )
            .await
        ),
        10015
    );
    assert_ok(
        &create(
            &h,
            json!({"Type": "Community", "Name": "y", "GroupId": "@TGS#_mine"}),
        )
        .await,
    );
}

#[tokio::test]
async fn create_group_refusals() {
    let h = Harness::start().await;
    h.import(&["m1"]).await;
    assert_eq!(code(&create(&h, json!({"Name": "x"})).await), 10004);
    assert_eq!(
        code(&create(&h, json!({"Type": "Bogus", "Name": "x"})).await),
        10004
    );
    assert_eq!(code(&create(&h, json!({"Type": "Public"})).await), 10004);
    assert_eq!(
        code(&create(&h, json!({"Type": "Public", "Name": "n".repeat(31)})).await),
        10004
    );
    assert_eq!(
        code(
            &create(
                &h,
                json!({"Type": "Public", "Name": "x", "Owner_Account": "zed"})
            )
            .await
        ),
        10019
    );
    assert_eq!(
        code(
            &create(
                &h,
                json!({"Type": "Public", "Name": "x", "Owner_Account": 5})
            )
            .await
        ),
        60015
    );
    assert_eq!(
        code(
            &create(
                &h,
                json!({"Type": "Public", "Name": "x", "MemberList": [{"Member_Account": "zed"}]})
            )
            .await
        ),
        10019
    );
    assert_eq!(
        code(
            &create(
                &h,
                json!({"Type": "AVChatRoom", "Name": "x", "MemberList": [{"Member_Account": "m1"}]})
            )
            .await
        ),
        10007
    );
    assert_eq!(
        code(
            &create(
                &h,
                json!({"Type": "Public", "Name": "x", "ApplyJoinOption": "Maybe"})
            )
            .await
        ),
        10004
    );
    let many: Vec<Value> = (0..501)
        .map(|i| json!({"Member_Account": format!("u{i}")}))
        .collect();
    assert_eq!(
        code(
            &create(
                &h,
                json!({"Type": "Public", "Name": "x", "MemberList": many})
            )
            .await
        ),
        10005
    );
    assert!(h.emu.state().groups().is_empty());
}

#[tokio::test]
async fn get_group_info_with_and_without_filters() {
    let h = Harness::start().await;
    h.import(&["owner", "m1"]).await;
    let r = create(&h, json!({"Type": "Work", "Name": "w", "Owner_Account": "owner", "MemberList": [{"Member_Account": "m1"}]})).await;
    let id = r["GroupId"].as_str().unwrap().to_owned();

    let r = h
        .call(
            "group_open_http_svc/get_group_info",
            json!({"GroupIdList": [id, "nope"]}),
        )
        .await;
    assert_ok(&r);
    let info = &r["GroupInfo"][0];
    assert_eq!(info["ErrorCode"], 0);
    assert_eq!(info["Type"], "Work");
    assert_eq!(info["Name"], "w");
    assert_eq!(info["Owner_Account"], "owner");
    assert_eq!(info["MemberNum"], 2);
    assert!(info["CreateTime"].as_u64().unwrap() > 0);
    assert_eq!(info["MemberList"][0]["Member_Account"], "owner");
    assert_eq!(info["MemberList"][0]["Role"], "Owner");
    assert_eq!(r["GroupInfo"][1]["GroupId"], "nope");
    assert_eq!(r["GroupInfo"][1]["ErrorCode"], 10015);

    let r = h
        .call(
            "group_open_http_svc/get_group_info",
            json!({"GroupIdList": [id], "ResponseFilter": {"GroupBaseInfoFilter": ["Name", "MemberNum"]}}),
        )
        .await;
    let info = r["GroupInfo"][0].as_object().unwrap();
    let mut keys: Vec<&str> = info.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        ["ErrorCode", "ErrorInfo", "GroupId", "MemberNum", "Name"]
    );

    assert_eq!(
        code(
            &h.call("group_open_http_svc/get_group_info", json!({}))
                .await
        ),
        10004
    );
    assert_eq!(
        code(
            &h.call(
                "group_open_http_svc/get_group_info",
                json!({"GroupIdList": []})
            )
            .await
        ),
        10004
    );
}

#[tokio::test]
async fn add_and_delete_members() {
    let h = Harness::start().await;
    h.import(&["owner", "m1", "m2"]).await;
    let id = create(&h, json!({"Type": "Public", "Name": "p", "Owner_Account": "owner", "MemberList": [{"Member_Account": "m1"}]}))
        .await["GroupId"]
        .as_str()
        .unwrap()
        .to_owned();

    let r = h
        .call(
            "group_open_http_svc/add_group_member",
            json!({"GroupId": id, "Silence": 1, "MemberList": [{"Member_Account": "m1"}, {"Member_Account": "m2"}, {"Member_Account": "zed"}]}),
        )
        .await;
    assert_ok(&r);
    assert_eq!(
        r["MemberList"],
        json!([
            {"Member_Account": "m1", "Result": 2},
            {"Member_Account": "m2", "Result": 1},
            {"Member_Account": "zed", "Result": 0}
        ])
    );
    assert_eq!(h.emu.state().group(&id).unwrap().members.len(), 3);

    let r = h
        .call(
            "group_open_http_svc/delete_group_member",
            json!({"GroupId": id, "MemberToDel_Account": ["m1", "zed"]}),
        )
        .await;
    assert_ok(&r);
    let members: Vec<String> = h
        .emu
        .state()
        .group(&id)
        .unwrap()
        .members
        .into_iter()
        .map(|m| m.account)
        .collect();
    assert_eq!(members, ["owner", "m2"]);

    let del = |b| h.call("group_open_http_svc/delete_group_member", b);
    assert_eq!(
        code(&del(json!({"GroupId": id, "MemberToDel_Account": ["owner"]})).await),
        10004
    );
    assert_eq!(
        code(&del(json!({"GroupId": id, "MemberToDel_Account": [1]})).await),
        60015
    );
    assert_eq!(
        code(&del(json!({"GroupId": "nope", "MemberToDel_Account": ["m2"]})).await),
        10015
    );

    let add = |b| h.call("group_open_http_svc/add_group_member", b);
    assert_eq!(
        code(&add(json!({"GroupId": "nope", "MemberList": [{"Member_Account": "m1"}]})).await),
        10015
    );
    assert_eq!(
        code(&add(json!({"GroupId": id, "MemberList": []})).await),
        10004
    );
    let av = create(&h, json!({"Type": "AVChatRoom", "Name": "live"})).await["GroupId"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        code(&add(json!({"GroupId": av, "MemberList": [{"Member_Account": "m1"}]})).await),
        10007
    );

    // The member limit.
    let small = create(
        &h,
        json!({"Type": "Public", "Name": "s", "MaxMemberCount": 1, "Owner_Account": "owner"}),
    )
    .await["GroupId"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        code(&add(json!({"GroupId": small, "MemberList": [{"Member_Account": "m1"}]})).await),
        10014
    );
}

#[tokio::test]
async fn get_group_member_info_pages() {
    let h = Harness::start().await;
    h.import(&["o", "a", "b"]).await;
    let id = create(&h, json!({"Type": "Public", "Name": "p", "Owner_Account": "o", "MemberList": [{"Member_Account": "a"}, {"Member_Account": "b"}]}))
        .await["GroupId"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = h
        .call(
            "group_open_http_svc/get_group_member_info",
            json!({"GroupId": id, "Limit": 1, "Offset": 1, "MemberInfoFilter": ["Role"]}),
        )
        .await;
    assert_ok(&r);
    assert_eq!(r["MemberNum"], 3);
    assert_eq!(
        r["MemberList"],
        json!([{"Member_Account": "a", "Role": "Member"}])
    );
}

#[tokio::test]
async fn destroy_group_and_missing_groups() {
    let h = Harness::start().await;
    let id = create(&h, json!({"Type": "Public", "Name": "p"})).await["GroupId"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_ok(
        &h.call("group_open_http_svc/destroy_group", json!({"GroupId": id}))
            .await,
    );
    assert!(h.emu.state().group(&id).is_none());
    // Once dismissed: 10010; never existed: 10015.
    assert_eq!(
        code(
            &h.call("group_open_http_svc/destroy_group", json!({"GroupId": id}))
                .await
        ),
        10010
    );
    assert_eq!(
        code(
            &h.call(
                "group_open_http_svc/destroy_group",
                json!({"GroupId": "never"})
            )
            .await
        ),
        10015
    );
    assert_eq!(
        code(&h.call("group_open_http_svc/destroy_group", json!({})).await),
        10004
    );
    let r = h
        .call(
            "group_open_http_svc/get_group_info",
            json!({"GroupIdList": [id]}),
        )
        .await;
    assert_eq!(r["GroupInfo"][0]["ErrorCode"], 10010);
}

#[tokio::test]
async fn get_appid_group_list_pages() {
    let h = Harness::start().await;
    let mut ids = Vec::new();
    for (t, n) in [("Public", "a"), ("Work", "b"), ("Public", "c")] {
        ids.push(
            create(&h, json!({"Type": t, "Name": n})).await["GroupId"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
    let list = |b| h.call("group_open_http_svc/get_appid_group_list", b);
    let r = list(json!({"Limit": 2})).await;
    assert_ok(&r);
    assert_eq!(r["TotalCount"], 3);
    assert_eq!(
        r["GroupIdList"],
        json!([{"GroupId": ids[0]}, {"GroupId": ids[1]}])
    );
    let next = r["Next"].as_u64().unwrap();
    assert_ne!(next, 0);
    let r = list(json!({"Limit": 2, "Next": next})).await;
    assert_eq!(r["GroupIdList"], json!([{"GroupId": ids[2]}]));
    assert_eq!(r["Next"], 0);
    let r = list(json!({"GroupType": "Public"})).await;
    assert_eq!(r["TotalCount"], 2);
    assert_eq!(code(&list(json!({"Limit": 10001})).await), 10004);
    assert_ok(&list(json!({})).await);
}
