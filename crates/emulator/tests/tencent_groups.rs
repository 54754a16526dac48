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

/// A Public group `g1` owned by `owner` with members `m1` and `m2` (and `m3` imported, not a
/// member); answers its id.
async fn club(h: &Harness) -> String {
    h.import(&["owner", "m1", "m2", "m3"]).await;
    let r = create(
        h,
        json!({"Type": "Public", "Name": "club", "GroupId": "g1", "Owner_Account": "owner",
               "MemberList": [{"Member_Account": "m1"}, {"Member_Account": "m2"}]}),
    )
    .await;
    assert_ok(&r);
    "g1".to_owned()
}

async fn info(h: &Harness, id: &str) -> Value {
    let r = h
        .call(
            "group_open_http_svc/get_group_info",
            json!({"GroupIdList": [id]}),
        )
        .await;
    assert_ok(&r);
    r["GroupInfo"][0].clone()
}

async fn send(h: &Harness, id: &str, from: &str, random: u32) -> Value {
    h.call(
        "group_open_http_svc/send_group_msg",
        json!({"GroupId": id, "From_Account": from, "Random": random, "MsgBody": common::text("hi")}),
    )
    .await
}

#[tokio::test]
async fn get_group_info_answers_every_base_field_and_per_group_codes() {
    let h = Harness::start().await;
    let id = club(&h).await;
    let g = info(&h, &id).await;
    for (key, value) in [
        ("GroupId", json!("g1")),
        ("ErrorCode", json!(0)),
        ("ErrorInfo", json!("")),
        ("Type", json!("Public")),
        ("Name", json!("club")),
        ("Owner_Account", json!("owner")),
        ("Introduction", json!("")),
        ("Notification", json!("")),
        ("FaceUrl", json!("")),
        ("MemberNum", json!(3)),
        ("MaxMemberNum", json!(2000)),
        ("ApplyJoinOption", json!("NeedPermission")),
        ("ShutUpAllMember", json!("Off")),
        ("MuteAllMember", json!("Off")),
        ("NextMsgSeq", json!(1)),
        ("InfoSeq", json!(1)),
    ] {
        assert_eq!(g[key], value, "{key}: {g}");
    }
    assert!(g["CreateTime"].as_u64().unwrap() > 0);
    let member = &g["MemberList"][1];
    assert_eq!(member["Member_Account"], "m1");
    assert_eq!(member["Role"], "Member");
    assert_eq!(member["MuteUntil"], 0);
    assert_eq!(member["ShutUpUntil"], 0);

    assert_ok(
        &h.call("group_open_http_svc/destroy_group", json!({"GroupId": id}))
            .await,
    );
    let r = h
        .call(
            "group_open_http_svc/get_group_info",
            json!({"GroupIdList": ["g1", "never"]}),
        )
        .await;
    assert_ok(&r);
    assert_eq!(r["GroupInfo"][0]["ErrorCode"], 10010);
    assert_eq!(r["GroupInfo"][1]["ErrorCode"], 10015);
    assert!(r["GroupInfo"][1]["ErrorInfo"].as_str().unwrap().len() > 5);
    let many: Vec<String> = (0..51).map(|i| format!("g{i}")).collect();
    assert_eq!(
        code(
            &h.call(
                "group_open_http_svc/get_group_info",
                json!({"GroupIdList": many})
            )
            .await
        ),
        10004
    );
}

#[tokio::test]
async fn modify_group_base_info_changes_the_profile_and_mutes_everyone() {
    let h = Harness::start().await;
    let id = club(&h).await;
    let modify = |b| h.call("group_open_http_svc/modify_group_base_info", b);
    assert_ok(
        &modify(json!({
            "GroupId": id, "Name": "Chess", "Introduction": "intro", "Notification": "notice",
            "FaceUrl": "http://face", "MaxMemberNum": 10, "ApplyJoinOption": "FreeAccess",
            "MuteAllMember": "On", "AppDefinedData": [{"Key": "k", "Value": "v"}]
        }))
        .await,
    );
    let g = info(&h, &id).await;
    assert_eq!(g["Name"], "Chess");
    assert_eq!(g["Introduction"], "intro");
    assert_eq!(g["Notification"], "notice");
    assert_eq!(g["FaceUrl"], "http://face");
    assert_eq!(g["MaxMemberNum"], 10);
    assert_eq!(g["ApplyJoinOption"], "FreeAccess");
    assert_eq!(g["ShutUpAllMember"], "On");
    assert_eq!(g["MuteAllMember"], "On");
    assert_eq!(g["InfoSeq"], 2);
    assert_eq!(g["AppDefinedData"], json!([{"Key": "k", "Value": "v"}]));
    assert!(h.emu.state().group(&id).unwrap().mute_all);

    // The earlier field name and the True/False spelling; a key given again is replaced.
    assert_ok(&modify(json!({"GroupId": id, "ShutUpAllMember": "Off"})).await);
    assert_eq!(info(&h, &id).await["MuteAllMember"], "Off");
    assert_ok(&modify(json!({"GroupId": id, "MuteAllMember": "True"})).await);
    assert_eq!(info(&h, &id).await["ShutUpAllMember"], "On");
    assert_ok(&modify(json!({"GroupId": id, "MuteAllMember": "False", "AppDefinedData": [{"Key": "k", "Value": "w"}]})).await);
    let g = info(&h, &id).await;
    assert_eq!(g["MuteAllMember"], "Off");
    assert_eq!(g["AppDefinedData"], json!([{"Key": "k", "Value": "w"}]));
    assert_eq!(g["Name"], "Chess", "fields not given stay");

    for bad in [
        json!({"GroupId": id, "MuteAllMember": "Maybe"}),
        json!({"GroupId": id, "ApplyJoinOption": "Anyone"}),
        json!({"GroupId": id, "Name": "x".repeat(31)}),
        json!({"GroupId": id, "Name": ""}),
        json!({"GroupId": id, "MaxMemberNum": 2}),
        json!({"Name": "no id"}),
    ] {
        assert_eq!(code(&modify(bad.clone()).await), 10004, "{bad}");
    }
    assert_eq!(
        code(&modify(json!({"GroupId": "never", "Name": "n"})).await),
        10015
    );
}

#[tokio::test]
async fn change_group_owner_swaps_the_roles() {
    let h = Harness::start().await;
    let id = club(&h).await;
    let change = |b| h.call("group_open_http_svc/change_group_owner", b);
    assert_ok(&change(json!({"GroupId": id, "NewOwner_Account": "m1"})).await);
    let g = h.emu.state().group(&id).unwrap();
    assert_eq!(g.owner.as_deref(), Some("m1"));
    assert_eq!(g.member("m1").unwrap().role, "Owner");
    assert_eq!(g.member("owner").unwrap().role, "Member");
    assert_eq!(info(&h, &id).await["Owner_Account"], "m1");

    assert_eq!(
        code(&change(json!({"GroupId": id, "NewOwner_Account": "m3"})).await),
        10007,
        "not a member"
    );
    assert_eq!(
        code(&change(json!({"GroupId": id, "NewOwner_Account": "ghost"})).await),
        10019,
        "never imported"
    );
    assert_eq!(code(&change(json!({"GroupId": id})).await), 10004);
    assert_eq!(
        code(&change(json!({"GroupId": id, "NewOwner_Account": 5})).await),
        60015
    );
    assert_eq!(
        code(&change(json!({"GroupId": "never", "NewOwner_Account": "m1"})).await),
        10015
    );
    let av = create(
        &h,
        json!({"Type": "AVChatRoom", "Name": "live", "Owner_Account": "owner"}),
    )
    .await["GroupId"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        code(&change(json!({"GroupId": av, "NewOwner_Account": "owner"})).await),
        10007
    );
}

#[tokio::test]
async fn forbid_send_msg_mutes_members_under_both_field_names() {
    let h = Harness::start().await;
    let id = club(&h).await;
    let forbid = |b| h.call("group_open_http_svc/forbid_send_msg", b);
    assert_ok(
        &forbid(json!({"GroupId": id, "Members_Account": ["m1", "m3"], "MuteTime": 600})).await,
    );
    assert_ok(&forbid(json!({"GroupId": id, "Members_Account": ["m2"], "ShutUpTime": 60})).await);

    let r = h
        .call(
            "group_open_http_svc/get_group_muted_account",
            json!({"GroupId": id}),
        )
        .await;
    assert_ok(&r);
    assert_eq!(r["GroupId"], "g1");
    let list = r["MutedAccountList"].as_array().unwrap();
    let accounts: Vec<&str> = list
        .iter()
        .map(|m| m["Member_Account"].as_str().unwrap())
        .collect();
    assert_eq!(accounts, ["m1", "m2"], "m3 is not a member: ignored");
    let until = list[0]["MutedUntil"].as_u64().unwrap();
    assert!(until >= common::now() + 590 && until <= common::now() + 610);

    // The earlier command answers the earlier field names.
    let r = h
        .call(
            "group_open_http_svc/get_group_shutted_uin",
            json!({"GroupId": id}),
        )
        .await;
    assert_ok(&r);
    assert_eq!(r["ShuttedUinList"][0]["Member_Account"], "m1");
    assert_eq!(r["ShuttedUinList"][0]["ShuttedUntil"], until);
    assert!(r.get("MutedAccountList").is_none());

    // Member info shows the mute end under both names.
    let r = h
        .call(
            "group_open_http_svc/get_group_member_info",
            json!({"GroupId": id, "MemberInfoFilter": ["MuteUntil", "ShutUpUntil"]}),
        )
        .await;
    assert_eq!(
        r["MemberList"][1],
        json!({"Member_Account": "m1", "MuteUntil": until, "ShutUpUntil": until})
    );
    assert_eq!(r["MemberList"][0]["MuteUntil"], 0);

    // A muted member cannot send; the App admin (no From_Account) and others can.
    assert_eq!(code(&send(&h, &id, "m1", 1).await), 10017);
    assert_ok(&send(&h, &id, "owner", 2).await);
    let r = h
        .call(
            "group_open_http_svc/send_group_msg",
            json!({"GroupId": id, "Random": 3, "MsgBody": common::text("from the admin")}),
        )
        .await;
    assert_ok(&r);

    // A mute outlives leaving and joining again.
    assert_ok(
        &h.call(
            "group_open_http_svc/delete_group_member",
            json!({"GroupId": id, "MemberToDel_Account": ["m1"]}),
        )
        .await,
    );
    assert_ok(
        &h.call(
            "group_open_http_svc/add_group_member",
            json!({"GroupId": id, "MemberList": [{"Member_Account": "m1"}]}),
        )
        .await,
    );
    assert_eq!(code(&send(&h, &id, "m1", 4).await), 10017);

    // MuteTime 0 unmutes.
    assert_ok(&forbid(json!({"GroupId": id, "Members_Account": ["m1"], "MuteTime": 0})).await);
    assert_ok(&send(&h, &id, "m1", 5).await);
    let g = h.emu.state().group(&id).unwrap();
    assert_eq!(g.muted_until("m1", common::now()), None);
    assert!(g.member("m1").unwrap().last_send_msg_time > 0);

    // Refusals.
    let many: Vec<String> = (0..501).map(|i| format!("u{i}")).collect();
    assert_eq!(
        code(&forbid(json!({"GroupId": id, "Members_Account": many, "MuteTime": 60})).await),
        10005
    );
    assert_eq!(
        code(&forbid(json!({"GroupId": id, "Members_Account": ["m1"]})).await),
        10004,
        "MuteTime is required"
    );
    assert_eq!(
        code(&forbid(json!({"GroupId": id, "Members_Account": [], "MuteTime": 60})).await),
        10004
    );
    assert_eq!(
        code(&forbid(json!({"GroupId": id, "Members_Account": [7], "MuteTime": 60})).await),
        60015
    );
    assert_eq!(
        code(&forbid(json!({"GroupId": id, "Members_Account": ["m1"], "MuteTime": -1})).await),
        10004
    );
    let work = create(&h, json!({"Type": "Work", "Name": "w", "Owner_Account": "owner", "MemberList": [{"Member_Account": "m1"}]}))
        .await["GroupId"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        code(&forbid(json!({"GroupId": work, "Members_Account": ["m1"], "MuteTime": 60})).await),
        10007,
        "Work groups do not support muting"
    );
    let r = h
        .call(
            "group_open_http_svc/get_group_muted_account",
            json!({"GroupId": work}),
        )
        .await;
    assert_eq!(r["MutedAccountList"], json!([]));
    assert_eq!(
        code(
            &h.call(
                "group_open_http_svc/get_group_muted_account",
                json!({"GroupId": "never"})
            )
            .await
        ),
        10015
    );
}

#[tokio::test]
async fn everyone_muted_blocks_plain_members_only() {
    let h = Harness::start().await;
    let id = club(&h).await;
    assert_ok(
        &h.call(
            "group_open_http_svc/modify_group_member_info",
            json!({"GroupId": id, "Member_Account": "m2", "Role": "Admin"}),
        )
        .await,
    );
    assert_ok(
        &h.call(
            "group_open_http_svc/modify_group_base_info",
            json!({"GroupId": id, "MuteAllMember": "On"}),
        )
        .await,
    );
    assert_eq!(code(&send(&h, &id, "m1", 1).await), 10017);
    assert_ok(&send(&h, &id, "m2", 2).await);
    assert_ok(&send(&h, &id, "owner", 3).await);
    assert_ok(
        &h.call(
            "group_open_http_svc/modify_group_base_info",
            json!({"GroupId": id, "MuteAllMember": "Off"}),
        )
        .await,
    );
    assert_ok(&send(&h, &id, "m1", 4).await);
}

#[tokio::test]
async fn member_roles_name_cards_and_role_queries() {
    let h = Harness::start().await;
    let id = club(&h).await;
    let modify = |b| h.call("group_open_http_svc/modify_group_member_info", b);
    assert_ok(
        &modify(json!({"GroupId": id, "Member_Account": "m1", "Role": "Admin", "NameCard": "Mo"}))
            .await,
    );
    assert_ok(&modify(json!({"GroupId": id, "Member_Account": "m2", "ShutUpTime": 30})).await);
    let g = h.emu.state().group(&id).unwrap();
    assert_eq!(g.member("m1").unwrap().role, "Admin");
    assert_eq!(g.member("m1").unwrap().name_card, "Mo");
    assert!(g.muted_until("m2", common::now()).is_some());
    assert_eq!(
        code(&modify(json!({"GroupId": id, "Member_Account": "owner", "Role": "Member"})).await),
        10004
    );
    assert_eq!(
        code(&modify(json!({"GroupId": id, "Member_Account": "m3", "Role": "Admin"})).await),
        10007
    );
    assert_eq!(
        code(&modify(json!({"GroupId": id, "Member_Account": "m1", "Role": "Owner"})).await),
        10004
    );

    let r = h
        .call(
            "group_open_http_svc/get_role_in_group",
            json!({"GroupId": id, "User_Account": ["owner", "m1", "m2", "m3"]}),
        )
        .await;
    assert_ok(&r);
    assert_eq!(
        r["UserIdList"],
        json!([
            {"Member_Account": "owner", "Role": "Owner"},
            {"Member_Account": "m1", "Role": "Admin"},
            {"Member_Account": "m2", "Role": "Member"},
            {"Member_Account": "m3", "Role": "NotMember"}
        ])
    );
    let r = h
        .call(
            "group_open_http_svc/get_group_member_info",
            json!({"GroupId": id, "MemberRoleFilter": ["Admin"], "MemberInfoFilter": ["Role", "NameCard"]}),
        )
        .await;
    assert_eq!(
        r["MemberList"],
        json!([{"Member_Account": "m1", "Role": "Admin", "NameCard": "Mo"}])
    );
    assert_eq!(
        code(
            &h.call(
                "group_open_http_svc/get_group_member_info",
                json!({"GroupId": id, "Limit": 6001})
            )
            .await
        ),
        10004
    );
}

#[tokio::test]
async fn get_joined_group_list_pages_and_filters() {
    let h = Harness::start().await;
    h.import(&["u", "o"]).await;
    let mut ids = Vec::new();
    for (t, n) in [("Public", "a"), ("Work", "b"), ("Meeting", "c")] {
        ids.push(
            create(&h, json!({"Type": t, "Name": n, "Owner_Account": "o", "MemberList": [{"Member_Account": "u"}]}))
                .await["GroupId"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
    create(
        &h,
        json!({"Type": "Public", "Name": "other", "Owner_Account": "o"}),
    )
    .await;
    create(
        &h,
        json!({"Type": "AVChatRoom", "Name": "live", "Owner_Account": "u"}),
    )
    .await;
    let joined = |b| h.call("group_open_http_svc/get_joined_group_list", b);

    let r = joined(json!({"Member_Account": "u"})).await;
    assert_ok(&r);
    assert_eq!(
        r["TotalCount"], 3,
        "AVChatRoom groups are left out by default"
    );
    assert_eq!(
        r["GroupIdList"],
        json!([{"GroupId": ids[0]}, {"GroupId": ids[1]}, {"GroupId": ids[2]}])
    );
    let r = joined(json!({"Member_Account": "u", "Limit": 1, "Offset": 1})).await;
    assert_eq!(r["TotalCount"], 3);
    assert_eq!(r["GroupIdList"], json!([{"GroupId": ids[1]}]));
    let r = joined(json!({"Member_Account": "u", "GroupType": "Public"})).await;
    assert_eq!(r["GroupIdList"], json!([{"GroupId": ids[0]}]));

    let r = joined(
        json!({"Member_Account": "u", "Limit": 1, "ResponseFilter": {
            "GroupBaseInfoFilter": ["Type", "Name", "MemberNum"],
            "SelfInfoFilter": ["Role", "JoinTime"]
        }}),
    )
    .await;
    let g = &r["GroupIdList"][0];
    assert_eq!(g["GroupId"], ids[0].as_str());
    assert_eq!(g["Type"], "Public");
    assert_eq!(g["Name"], "a");
    assert_eq!(g["MemberNum"], 2);
    assert_eq!(g["SelfInfo"]["Role"], "Member");
    assert!(g["SelfInfo"]["JoinTime"].as_u64().unwrap() > 0);
    assert!(g["SelfInfo"].get("Member_Account").is_none());

    let r = joined(json!({"Member_Account": "nobody"})).await;
    assert_ok(&r);
    assert_eq!(
        (r["TotalCount"].clone(), r["GroupIdList"].clone()),
        (json!(0), json!([]))
    );
    assert_eq!(code(&joined(json!({})).await), 10004);
    assert_eq!(code(&joined(json!({"Member_Account": 1})).await), 60015);
    assert_eq!(
        code(&joined(json!({"Member_Account": "u", "GroupType": "Nope"})).await),
        10004
    );
}
