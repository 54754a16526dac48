//! The groups family on Tencent against the emulator: endpoints, chunking, per-member results,
//! paging, units, and the retry-safe create with a caller-chosen id.

mod support;

use std::time::{Duration, SystemTime};

use imbridge_core::prelude::*;
use imbridge_core::{
    AddGroupMembers, CreateGroup, DismissGroup, ErrorKind, GetGroups, GroupKind, JoinOption,
    ListGroupMembers, ListGroups, ListJoinedGroups, ListMutedMembers, MemberAddition, MemberRole,
    MuteGroupMembers, RegisterUsers, RemoveGroupMembers, SetGroupMuteAll, TransferGroup,
    UpdateGroup,
};
use imbridge_emulator::{Emulator, Fault, FaultRule};
use imbridge_tencent::TencentClient;
use support::*;

fn last_path(emu: &Emulator) -> String {
    emu.state()
        .requests()
        .last()
        .map(|r| r.path.clone())
        .unwrap_or_default()
}

async fn users(im: &TencentClient, n: usize) -> Vec<String> {
    let ids: Vec<String> = (0..n).map(|i| format!("u{i:03}")).collect();
    im.users()
        .register_users(&RegisterUsers::new(ids.clone()))
        .await
        .unwrap();
    ids
}

async fn group(im: &TencentClient, id: &str, owner: &str) {
    im.groups()
        .create_group(&CreateGroup::new("Team").group_id(id).owner(owner))
        .await
        .unwrap();
}

#[tokio::test]
async fn add_members_reports_each_and_lists_by_page() {
    let emu = emulator().await;
    let im = client(&emu);
    let ids = users(&im, 350).await;
    group(&im, "g1", &ids[0]).await;
    emu.state().clear_requests();
    let out = im
        .groups()
        .add_group_members(&AddGroupMembers::new("g1", ids.clone()))
        .await
        .unwrap();
    assert_eq!(
        emu.state().requests().len(),
        2,
        "350 members: two calls of at most 300"
    );
    assert_eq!(out.succeeded.len(), 350);
    assert_eq!(
        out.succeeded[0].outcome,
        MemberAddition::AlreadyMember,
        "the owner"
    );
    assert!(
        out.succeeded[1..]
            .iter()
            .all(|m| m.outcome == MemberAddition::Added)
    );

    let ghost = im
        .groups()
        .add_group_members(&AddGroupMembers::new("g1", ["ghost"]))
        .await;
    match ghost {
        Ok(b) => assert_eq!(
            b.failed[0].item, "ghost",
            "an unknown user is a failed item"
        ),
        Err(e) => assert_eq!(e.kind(), ErrorKind::NotFound),
    }

    let mut all = Vec::new();
    let mut req = ListGroupMembers::new("g1").limit(100);
    loop {
        let page = im.groups().list_group_members(&req).await.unwrap();
        assert_eq!(page.total, Some(350));
        all.extend(page.items);
        match page.next {
            Some(c) => req = req.cursor(c),
            None => break,
        }
    }
    assert_eq!(all.len(), 350, "four pages");
    let owner = all.iter().find(|m| m.user_id == ids[0]).unwrap();
    assert_eq!(owner.role, Some(MemberRole::Owner));
    assert!(all.iter().all(|m| m.joined_at.is_some()));

    let removed = im
        .groups()
        .remove_group_members(&RemoveGroupMembers::new("g1", ids[300..].to_vec()))
        .await
        .unwrap();
    assert_eq!(removed.succeeded.len(), 50);
    let first = im
        .groups()
        .list_group_members(&ListGroupMembers::new("g1").limit(1))
        .await
        .unwrap();
    assert_eq!(first.total, Some(300));
}

#[tokio::test]
async fn groups_read_back_after_update_transfer_and_listing() {
    let emu = emulator().await;
    let im = client(&emu);
    let ids = users(&im, 3).await;
    for g in ["ga", "gb", "gc"] {
        group(&im, g, &ids[0]).await;
    }
    im.groups()
        .add_group_members(&AddGroupMembers::new("ga", [ids[1].clone()]))
        .await
        .unwrap();
    im.groups()
        .update_group(
            &UpdateGroup::new("ga")
                .name("Renamed")
                .introduction("intro")
                .notification("notice")
                .avatar_url("https://example.com/g.png")
                .join_option(JoinOption::NeedPermission),
        )
        .await
        .unwrap();
    assert_eq!(
        last_path(&emu),
        "/v4/group_open_http_svc/modify_group_base_info"
    );
    im.groups()
        .transfer_group(&TransferGroup::new("ga", &ids[1]))
        .await
        .unwrap();
    let got = im
        .groups()
        .get_groups(&GetGroups::new(["ga", "nope"]))
        .await
        .unwrap();
    let g = &got.succeeded[0];
    assert_eq!(g.name.as_deref(), Some("Renamed"));
    assert_eq!(g.introduction.as_deref(), Some("intro"));
    assert_eq!(g.notification.as_deref(), Some("notice"));
    assert_eq!(g.avatar_url.as_deref(), Some("https://example.com/g.png"));
    assert_eq!(g.owner.as_deref(), Some(ids[1].as_str()));
    assert_eq!(g.kind, Some(GroupKind::Public));
    assert_eq!(g.join_option, Some(JoinOption::NeedPermission));
    assert_eq!(g.member_count, Some(2));
    assert!(g.created_at.is_some());
    assert_eq!(got.failed[0].item, "nope");
    assert_eq!(got.failed[0].error.kind(), ErrorKind::NotFound);

    let mut listed = Vec::new();
    let mut req = ListGroups::new().limit(2);
    loop {
        let page = im.groups().list_groups(&req).await.unwrap();
        listed.extend(page.items);
        match page.next {
            Some(c) => req = req.cursor(c),
            None => break,
        }
    }
    listed.sort();
    assert_eq!(listed, ["ga", "gb", "gc"]);

    let joined = im
        .groups()
        .list_joined_groups(&ListJoinedGroups::new(&ids[0]).limit(2))
        .await
        .unwrap();
    assert_eq!(joined.items.len(), 2);
    assert_eq!(joined.total, Some(3));
    assert!(joined.next.is_some());

    im.groups()
        .dismiss_group(&DismissGroup::new("gc"))
        .await
        .unwrap();
    let gone = im
        .groups()
        .get_groups(&GetGroups::new(["gc"]))
        .await
        .unwrap();
    assert_eq!(gone.failed[0].error.kind(), ErrorKind::NotFound);
}

#[tokio::test]
async fn mutes_are_whole_seconds_and_read_back() {
    let emu = emulator().await;
    let im = client(&emu);
    let ids = users(&im, 3).await;
    group(&im, "gm", &ids[0]).await;
    im.groups()
        .add_group_members(&AddGroupMembers::new("gm", ids[1..].to_vec()))
        .await
        .unwrap();
    emu.state().clear_requests();
    let bad = MuteGroupMembers::new("gm", [&ids[1]], Duration::from_millis(1500));
    let err = im.groups().mute_group_members(&bad).await.unwrap_err();
    assert_eq!(err.field(), Some("duration"));
    assert!(emu.state().requests().is_empty(), "refused before sending");

    let mute = MuteGroupMembers::new("gm", [&ids[1], &ids[2]], Duration::from_secs(600));
    im.groups().mute_group_members(&mute).await.unwrap();
    let request = emu.state().requests().pop().unwrap();
    assert_eq!(request.path, "/v4/group_open_http_svc/forbid_send_msg");
    assert!(
        request.body.contains("\"MuteTime\":600"),
        "{}",
        request.body
    );
    let muted = im
        .groups()
        .list_muted_members(&ListMutedMembers::new("gm"))
        .await
        .unwrap();
    assert_eq!(muted.items.len(), 2);
    let until = muted.items[0].until.unwrap();
    let left = until.duration_since(SystemTime::now()).unwrap();
    assert!(left <= Duration::from_secs(601) && left > Duration::from_secs(590));

    im.groups()
        .mute_group_members(&MuteGroupMembers::unmute("gm", [&ids[1]]))
        .await
        .unwrap();
    let muted = im
        .groups()
        .list_muted_members(&ListMutedMembers::new("gm"))
        .await
        .unwrap();
    assert_eq!(muted.items.len(), 1);

    im.groups()
        .set_group_mute_all(&SetGroupMuteAll::new("gm", true))
        .await
        .unwrap();
    let info = im
        .groups()
        .get_groups(&GetGroups::new(["gm"]))
        .await
        .unwrap();
    assert_eq!(info.succeeded[0].mute_all, Some(true));
    im.groups()
        .set_group_mute_all(&SetGroupMuteAll::new("gm", false))
        .await
        .unwrap();
    let info = im
        .groups()
        .get_groups(&GetGroups::new(["gm"]))
        .await
        .unwrap();
    assert_eq!(info.succeeded[0].mute_all, Some(false));
}

#[tokio::test]
async fn a_retried_create_with_our_id_is_not_a_false_already_exists() {
    let emu = emulator().await;
    let im = client(&emu);
    let ids = users(&im, 1).await;
    // The first attempt creates the group, then its answer is lost; the retry is answered
    // "id taken", and the client sees that the group is the one it created.
    emu.inject(
        FaultRule::path(
            "/v4/group_open_http_svc/create_group",
            Fault::AfterProcessing(Box::new(Fault::DropConnection)),
        )
        .times(1),
    );
    let created = im
        .groups()
        .create_group(&CreateGroup::new("Team").group_id("gr").owner(&ids[0]))
        .await
        .unwrap();
    assert_eq!(created.group_id, "gr");
    let creates = emu
        .state()
        .requests()
        .iter()
        .filter(|r| r.path.ends_with("/create_group"))
        .count();
    assert_eq!(creates, 2, "the retry reached the vendor");
    assert_eq!(emu.state().groups().len(), 1);

    // A real collision (someone else's group under that id) stays AlreadyExists.
    let err = im
        .groups()
        .create_group(&CreateGroup::new("Other").group_id("gr").owner(&ids[0]))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::AlreadyExists);

    // Without an id, a lost answer is not retried: a second group could be made.
    emu.inject(
        FaultRule::path(
            "/v4/group_open_http_svc/create_group",
            Fault::AfterProcessing(Box::new(Fault::DropConnection)),
        )
        .times(1),
    );
    let err = im
        .groups()
        .create_group(&CreateGroup::new("Auto").owner(&ids[0]))
        .await
        .unwrap_err();
    assert!(err.is_outcome_unknown(), "{err:?}");
}

#[tokio::test]
async fn bad_group_input_is_refused_before_sending() {
    let emu = emulator().await;
    let im = client(&emu);
    let groups = im.groups();
    let e = groups
        .update_group(&UpdateGroup::new("g"))
        .await
        .unwrap_err();
    assert_eq!(e.field(), Some("update"));
    let e = groups
        .update_group(&UpdateGroup::new("g").name("x".repeat(31)))
        .await
        .unwrap_err();
    assert_eq!(e.field(), Some("name"));
    let e = groups
        .add_group_members(&AddGroupMembers::new("g", ["a", "a"]))
        .await
        .unwrap_err();
    assert_eq!(e.field(), Some("user_ids"));
    let e = groups
        .list_group_members(&ListGroupMembers::new("g").limit(6001))
        .await
        .unwrap_err();
    assert_eq!(e.field(), Some("limit"));
    let e = groups
        .list_groups(&ListGroups::new().cursor(imbridge_core::Cursor::new("x")))
        .await
        .unwrap_err();
    assert_eq!(e.field(), Some("cursor"));
    assert!(emu.state().requests().is_empty());
}
