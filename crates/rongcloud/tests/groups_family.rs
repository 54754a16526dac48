//! The groups family on RongCloud against the emulator, in both group models: the paths
//! called, form bodies (repeated `userId` keys for basic groups, comma-joined `userIds` for
//! hosted ones), chunking, all-or-nothing and per-item results, paging through more than one
//! page, what a mode cannot do refused before sending, and retry-safe creation.

mod support;

use std::time::{Duration, SystemTime};

use imbridge_core::policy::RetryPolicy;
use imbridge_core::prelude::*;
use imbridge_core::{
    AddGroupMembers, CreateGroup, Cursor, DismissGroup, ErrorKind, GetGroups, GroupMember,
    JoinOption, ListGroupMembers, ListGroups, ListJoinedGroups, ListMutedMembers, MemberAddition,
    MemberRole, MuteGroupMembers, Operation, Page, PageRequest, RemoveGroupMembers,
    SetGroupMuteAll, TransferGroup, UpdateGroup,
};
use imbridge_emulator::{Emulator, Fault, FaultRule};
use imbridge_rongcloud::{GroupMode, RongCloudClient};
use support::*;

/// The bodies of the requests to `path`, in order.
fn bodies(emu: &Emulator, path: &str) -> Vec<String> {
    emu.rongcloud_state()
        .requests()
        .into_iter()
        .filter(|r| r.path == path)
        .map(|r| r.body)
        .collect()
}

fn ids(prefix: &str, n: usize) -> Vec<String> {
    (0..n).map(|i| format!("{prefix}{i:04}")).collect()
}

fn builder(emu: &Emulator) -> imbridge_rongcloud::RongCloudClientBuilder {
    RongCloudClient::builder(APP_KEY, APP_SECRET)
        .base_url(emu.url())
        .retry_policy(
            RetryPolicy::default().backoff(Duration::from_millis(5), Duration::from_millis(20)),
        )
}

async fn basic() -> (Emulator, RongCloudClient) {
    let emu = emulator().await;
    let im = builder(&emu).build().unwrap();
    (emu, im)
}

async fn hosted() -> (Emulator, RongCloudClient) {
    let emu = emulator().await;
    emu.set_rongcloud_group_hosting(true);
    let im = builder(&emu).group_mode(GroupMode::Hosted).build().unwrap();
    (emu, im)
}

/// Every item of a listing, following its cursors from `req`, and how many pages it took.
async fn walk<R, T, F, Fut>(mut req: R, list: F) -> (Vec<T>, usize)
where
    R: PageRequest + Clone,
    F: Fn(R) -> Fut,
    Fut: Future<Output = imbridge_core::Result<Page<T>>>,
{
    let mut items = Vec::new();
    let mut pages = 0;
    loop {
        let page = list(req.clone()).await.unwrap();
        pages += 1;
        items.extend(page.items);
        match page.next {
            Some(next) => req.set_cursor(Some(next)),
            None => return (items, pages),
        }
    }
}

async fn all_members(im: &RongCloudClient, group: &str, limit: u32) -> (Vec<GroupMember>, usize) {
    let groups = im.groups();
    walk(ListGroupMembers::new(group).limit(limit), |r| async move {
        groups.list_group_members(&r).await
    })
    .await
}

async fn all_joined(im: &RongCloudClient, user: &str, limit: u32) -> (Vec<String>, usize) {
    let groups = im.groups();
    walk(ListJoinedGroups::new(user).limit(limit), |r| async move {
        groups.list_joined_groups(&r).await
    })
    .await
}

/// The next request to `path` is processed, and its answer lost.
fn lost_answer(path: &str) -> FaultRule {
    FaultRule::path(
        path,
        Fault::AfterProcessing(Box::new(Fault::DropConnection)),
    )
    .times(1)
}

/// Creates each of `group_ids` with `owner`.
async fn create_owned(im: &RongCloudClient, group_ids: &[String], owner: &str) {
    for g in group_ids {
        im.groups()
            .create_group(&CreateGroup::new("Team").group_id(g).owner(owner))
            .await
            .unwrap();
    }
}

// ---------------------------------------------------------------------------------------------
// Basic groups
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn basic_members_join_and_quit_in_thousands_and_list_by_offset() {
    let (emu, im) = basic().await;
    im.groups()
        .create_group(
            &CreateGroup::new("Team")
                .group_id("g1")
                .owner("lilei")
                .member("hanmeimei"),
        )
        .await
        .unwrap();
    assert_eq!(
        paths(&emu),
        ["/group/user/query.json", "/group/create.json"]
    );
    assert!(
        bodies(&emu, "/group/create.json")[0].contains("userId=lilei&userId=hanmeimei"),
        "repeated keys"
    );

    emu.rongcloud_state().clear_requests();
    let users = ids("u", 1500);
    let added = im
        .groups()
        .add_group_members(&AddGroupMembers::new("g1", users.clone()))
        .await
        .unwrap();
    assert_eq!(added.succeeded.len(), 1500);
    assert!(added.failed.is_empty());
    assert!(
        added
            .succeeded
            .iter()
            .all(|a| a.outcome == MemberAddition::Added)
    );
    assert_eq!(count(&emu, "/group/join.json"), 2, "1000 users per call");
    let join = &emu.rongcloud_state().requests()[0];
    assert!(
        join.body.starts_with("userId=u0000&userId=u0001&"),
        "{}",
        join.body
    );
    assert_eq!(join.form_param("groupId").as_deref(), Some("g1"));
    assert_eq!(
        join.form_param("groupName"),
        None,
        "join would rename the group"
    );

    emu.rongcloud_state().clear_requests();
    let (members, pages) = all_members(&im, "g1", 400).await;
    assert_eq!(members.len(), 1502);
    assert_eq!(pages, 4);
    assert_eq!(members[0].user_id, "lilei");
    assert_eq!(
        count(&emu, "/group/user/query.json"),
        4,
        "the vendor answers every id at once; imbridge cuts the pages"
    );
    let first = im
        .groups()
        .list_group_members(&ListGroupMembers::new("g1").limit(2))
        .await
        .unwrap();
    assert_eq!(first.total, Some(1502));
    assert_eq!(first.next, Some(Cursor::new("2")));
    assert_eq!(first.items[0].role, None, "basic groups have no roles");
    let beyond = ListGroupMembers::new("g1").cursor(Cursor::new("5000"));
    let empty = im.groups().list_group_members(&beyond).await.unwrap();
    assert!(empty.items.is_empty() && empty.next.is_none());
    let bad = ListGroupMembers::new("g1").cursor(Cursor::new("next"));
    let err = im.groups().list_group_members(&bad).await.unwrap_err();
    assert_eq!(err.field(), Some("cursor"));

    emu.rongcloud_state().clear_requests();
    let removed = im
        .groups()
        .remove_group_members(&RemoveGroupMembers::new("g1", users[..1200].to_vec()))
        .await
        .unwrap();
    assert_eq!(removed.succeeded.len(), 1200);
    assert_eq!(count(&emu, "/group/quit.json"), 2);
    assert_eq!(
        emu.rongcloud_state().group("g1").unwrap().members.len(),
        302
    );
}

#[tokio::test]
async fn basic_all_or_nothing_chunks_fail_their_users() {
    let (emu, im) = basic().await;
    // A refusal that is not about the call as a whole (here 1009, permission denied) fails the
    // users of its call only; the next call still goes.
    emu.inject(FaultRule::path("/group/join.json", Fault::VendorCode { code: 1009 }).times(1));
    let users = ids("u", 1200);
    let out = im
        .groups()
        .add_group_members(&AddGroupMembers::new("g2", users.clone()))
        .await
        .unwrap();
    assert_eq!(out.failed.len(), 1000);
    assert_eq!(out.succeeded.len(), 200);
    assert_eq!(out.failed[0].item, "u0000");
    assert_eq!(out.failed[0].error.vendor_code(), Some(1009));
    assert_eq!(
        emu.rongcloud_state().group("g2").unwrap().members.len(),
        200
    );

    // An error about the call (a parameter error) stops the later calls: their users fail too,
    // and when no call went through, the call fails as a whole.
    emu.rongcloud_state().clear_requests();
    emu.inject(FaultRule::path("/group/join.json", Fault::VendorCode { code: 1002 }).times(1));
    let err = im
        .groups()
        .add_group_members(&AddGroupMembers::new("g2", users))
        .await
        .unwrap_err();
    assert_eq!(err.vendor_code(), Some(1002));
    assert_eq!(count(&emu, "/group/join.json"), 1);
}

#[tokio::test]
async fn basic_dismiss_needs_an_operator_and_update_a_name() {
    let emu = emulator().await;
    let plain = builder(&emu).build().unwrap();
    let configured = builder(&emu).group_operator("admin").build().unwrap();
    create_owned(&plain, &["g1", "g2", "g3"].map(String::from), "lilei").await;
    emu.rongcloud_state().clear_requests();

    // No operator anywhere: refused before sending, naming the field.
    let err = plain
        .groups()
        .dismiss_group(&DismissGroup::new("g1"))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert_eq!(err.field(), Some("operator"));
    assert!(paths(&emu).is_empty());

    plain
        .groups()
        .dismiss_group(&DismissGroup::new("g1").operator("lilei"))
        .await
        .unwrap();
    configured
        .groups()
        .dismiss_group(&DismissGroup::new("g2"))
        .await
        .unwrap();
    let dismissals = emu.rongcloud_state().requests();
    assert_eq!(dismissals[0].form_param("userId").as_deref(), Some("lilei"));
    assert_eq!(dismissals[1].form_param("userId").as_deref(), Some("admin"));
    assert_eq!(dismissals[1].form_param("groupId").as_deref(), Some("g2"));
    assert!(emu.rongcloud_state().group("g2").is_none());
    assert!(emu.rongcloud_state().group("g3").is_some());

    // The name is all a basic group has to change.
    emu.rongcloud_state().clear_requests();
    plain
        .groups()
        .update_group(&UpdateGroup::new("g3").name("Renamed"))
        .await
        .unwrap();
    assert_eq!(paths(&emu), ["/group/refresh.json"]);
    assert_eq!(
        emu.rongcloud_state().requests()[0]
            .form_param("groupName")
            .as_deref(),
        Some("Renamed")
    );
    assert_eq!(emu.rongcloud_state().group("g3").unwrap().name, "Renamed");

    emu.rongcloud_state().clear_requests();
    for req in [
        UpdateGroup::new("g3").name("X").introduction("hello"),
        UpdateGroup::new("g3").join_option(JoinOption::FreeAccess),
        UpdateGroup::new("g3").max_members(10),
    ] {
        let err = plain.groups().update_group(&req).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Unsupported, "{req:?}");
    }
    let err = plain
        .groups()
        .update_group(&UpdateGroup::new("g3"))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert!(paths(&emu).is_empty(), "refused before sending");
}

#[tokio::test]
async fn basic_refuses_what_only_hosted_groups_have_with_nothing_sent() {
    let (emu, im) = basic().await;
    let caps = im.capabilities();
    assert!(!caps.groups.owners && !caps.groups.profile_fields && !caps.groups.member_details);
    assert_eq!(caps.groups.max_initial_members, 999);
    assert_eq!(caps.groups.max_mute, Some(Duration::from_secs(43_200 * 60)));
    for op in [
        Operation::GetGroups,
        Operation::ListGroups,
        Operation::TransferGroup,
    ] {
        assert!(!caps.supports(op), "{op}");
    }

    let err = im
        .groups()
        .get_groups(&GetGroups::new(["g1"]))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unsupported);
    assert_eq!(err.operation(), Some(Operation::GetGroups));
    let err = im
        .groups()
        .list_groups(&ListGroups::new())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unsupported);
    let err = im
        .groups()
        .transfer_group(&TransferGroup::new("g1", "lilei"))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unsupported);
    assert!(err.is_unsent());
    let err = im
        .groups()
        .create_group(&CreateGroup::new("Team").owner("lilei").introduction("hi"))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unsupported);
    assert!(paths(&emu).is_empty());
}

#[tokio::test]
async fn basic_joined_groups_go_by_page_number() {
    let (emu, im) = basic().await;
    let groups = ids("g", 25);
    create_owned(&im, &groups, "lilei").await;
    emu.rongcloud_state().clear_requests();
    let (mut joined, pages) = all_joined(&im, "lilei", 10).await;
    joined.sort();
    assert_eq!(joined, groups);
    assert_eq!(pages, 3);
    let first = &emu.rongcloud_state().requests()[0];
    assert_eq!(first.path, "/user/group/query.json");
    assert_eq!(
        first.form_param("page").as_deref(),
        Some("1"),
        "always sent"
    );
    assert_eq!(first.form_param("size").as_deref(), Some("10"));
    let err = im
        .groups()
        .list_joined_groups(&ListJoinedGroups::new("lilei").limit(1001))
        .await
        .unwrap_err();
    assert_eq!(err.field(), Some("limit"));
}

#[tokio::test]
async fn basic_create_is_safe_to_retry_after_a_lost_answer() {
    let (emu, im) = basic().await;
    // The first create is processed, then its answer is lost; the retry creates the same
    // group again, which changes nothing. The taken-id check runs once, before it.
    emu.inject(lost_answer("/group/create.json"));
    let created = im
        .groups()
        .create_group(
            &CreateGroup::new("Team")
                .group_id("g1")
                .owner("lilei")
                .member("a"),
        )
        .await
        .unwrap();
    assert_eq!(created.group_id, "g1");
    assert_eq!(
        paths(&emu),
        [
            "/group/user/query.json",
            "/group/create.json",
            "/group/create.json"
        ]
    );
    assert_eq!(
        emu.rongcloud_state().group("g1").unwrap().members,
        ["lilei", "a"]
    );
    // A new call with the same id is refused: the group is taken.
    let err = im
        .groups()
        .create_group(&CreateGroup::new("Team").group_id("g1").owner("lilei"))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::AlreadyExists);
}

// ---------------------------------------------------------------------------------------------
// Mutes (both models)
// ---------------------------------------------------------------------------------------------

async fn mutes_in(emu: &Emulator, im: &RongCloudClient) {
    let users = ids("u", 25);
    let mut create = CreateGroup::new("Team").group_id("gm").owner("lilei");
    if im.group_mode() == GroupMode::Basic {
        create = create.members(users.clone());
    }
    im.groups().create_group(&create).await.unwrap();
    if im.group_mode() == GroupMode::Hosted {
        im.groups()
            .add_group_members(&AddGroupMembers::new("gm", users.clone()))
            .await
            .unwrap();
    }
    emu.rongcloud_state().clear_requests();

    // What the vendor cannot express is refused before sending.
    for bad in [
        Duration::from_secs(90),
        Duration::from_millis(60_500),
        Duration::from_secs(43_201 * 60),
    ] {
        let err = im
            .groups()
            .mute_group_members(&MuteGroupMembers::new("gm", ["u0000"], bad))
            .await
            .unwrap_err();
        assert_eq!(err.field(), Some("duration"), "{bad:?}");
    }
    assert!(paths(emu).is_empty());

    let muted = im
        .groups()
        .mute_group_members(&MuteGroupMembers::new(
            "gm",
            users.clone(),
            Duration::from_secs(600),
        ))
        .await
        .unwrap();
    assert_eq!(muted.succeeded, users);
    assert_eq!(
        paths(emu),
        vec!["/group/user/gag/add.json"; 2],
        "20 per call"
    );
    let first = &emu.rongcloud_state().requests()[0];
    assert_eq!(first.form_param("minute").as_deref(), Some("10"));
    assert!(
        first.body.starts_with("userId=u0000&userId=u0001&"),
        "{}",
        first.body
    );

    let list = im
        .groups()
        .list_muted_members(&ListMutedMembers::new("gm"))
        .await
        .unwrap();
    assert_eq!(list.items.len(), 25);
    assert!(list.next.is_none());
    let until = list.items[0].until.expect("the vendor says when it ends");
    let left = until.duration_since(SystemTime::now()).unwrap();
    assert!(
        left > Duration::from_secs(590) && left <= Duration::from_secs(601),
        "{left:?}"
    );

    emu.rongcloud_state().clear_requests();
    im.groups()
        .mute_group_members(&MuteGroupMembers::unmute("gm", users))
        .await
        .unwrap();
    assert_eq!(paths(emu), vec!["/group/user/gag/rollback.json"; 2]);
    assert_eq!(
        emu.rongcloud_state().requests()[0].form_param("minute"),
        None
    );
    let list = im
        .groups()
        .list_muted_members(&ListMutedMembers::new("gm"))
        .await
        .unwrap();
    assert!(list.items.is_empty());

    emu.rongcloud_state().clear_requests();
    im.groups()
        .set_group_mute_all(&SetGroupMuteAll::new("gm", true))
        .await
        .unwrap();
    assert!(emu.rongcloud_state().group_banned("gm"));
    im.groups()
        .set_group_mute_all(&SetGroupMuteAll::new("gm", false))
        .await
        .unwrap();
    assert!(!emu.rongcloud_state().group_banned("gm"));
    assert_eq!(
        paths(emu),
        ["/group/ban/add.json", "/group/ban/rollback.json"]
    );
    assert_eq!(
        emu.rongcloud_state().requests()[0]
            .form_param("groupId")
            .as_deref(),
        Some("gm")
    );
}

#[tokio::test]
async fn mutes_go_by_the_minute_in_twenties_in_basic_groups() {
    let (emu, im) = basic().await;
    mutes_in(&emu, &im).await;
}

#[tokio::test]
async fn mutes_go_by_the_minute_in_twenties_in_hosted_groups() {
    let (emu, im) = hosted().await;
    mutes_in(&emu, &im).await;
}

// ---------------------------------------------------------------------------------------------
// Hosted groups
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn hosted_create_and_get_groups_with_profiles() {
    let (emu, im) = hosted().await;
    let caps = im.capabilities();
    assert!(caps.groups.owners && caps.groups.profile_fields && caps.groups.member_details);
    assert_eq!(caps.groups.max_initial_members, 30);
    // Everything but importing messages, which RongCloud has no API for.
    assert!(
        Operation::ALL
            .iter()
            .filter(|op| **op != Operation::ImportMessages)
            .all(|op| caps.supports(*op))
    );

    im.groups()
        .create_group(
            &CreateGroup::new("Team")
                .group_id("g1")
                .owner("lilei")
                .members(["lilei", "a", "b"])
                .introduction("We ship")
                .notification("Stand-up at 10")
                .avatar_url("https://example.com/g.png"),
        )
        .await
        .unwrap();
    assert_eq!(paths(&emu), ["/entrust/group/create.json"]);
    let create = &emu.rongcloud_state().requests()[0];
    assert_eq!(create.form_param("owner").as_deref(), Some("lilei"));
    assert_eq!(create.form_param("name").as_deref(), Some("Team"));
    assert_eq!(
        create.form_param("userIds").as_deref(),
        Some("a,b"),
        "comma-joined, without the owner"
    );
    let profile: serde_json::Value =
        serde_json::from_str(&create.form_param("groupProfile").unwrap()).unwrap();
    assert_eq!(profile["announcement"], "Stand-up at 10");
    assert_eq!(profile["portraitUrl"], "https://example.com/g.png");

    emu.rongcloud_state().clear_requests();
    let got = im
        .groups()
        .get_groups(&GetGroups::new(["g1", "ghost"]))
        .await
        .unwrap();
    assert_eq!(paths(&emu), ["/entrust/group/profile/query.json"]);
    assert_eq!(
        emu.rongcloud_state().requests()[0]
            .form_param("groupIds")
            .as_deref(),
        Some("g1,ghost")
    );
    let info = &got.succeeded[0];
    assert_eq!(info.group_id, "g1");
    assert_eq!(info.name.as_deref(), Some("Team"));
    assert_eq!(info.owner.as_deref(), Some("lilei"));
    assert_eq!(info.introduction.as_deref(), Some("We ship"));
    assert_eq!(info.notification.as_deref(), Some("Stand-up at 10"));
    assert_eq!(
        info.avatar_url.as_deref(),
        Some("https://example.com/g.png")
    );
    assert_eq!(info.member_count, Some(3));
    assert!(info.created_at.is_some());
    assert_eq!(got.failed.len(), 1);
    assert_eq!(got.failed[0].item, "ghost");
    assert_eq!(got.failed[0].error.kind(), ErrorKind::NotFound);

    // 120 groups go in calls of 50.
    emu.rongcloud_state().clear_requests();
    let many = im
        .groups()
        .get_groups(&GetGroups::new(ids("x", 120)))
        .await
        .unwrap();
    assert_eq!(many.failed.len(), 120);
    assert_eq!(count(&emu, "/entrust/group/profile/query.json"), 3);
}

#[tokio::test]
async fn hosted_create_refuses_what_the_service_cannot_take_before_sending() {
    let (emu, im) = hosted().await;
    let err = im
        .groups()
        .create_group(&CreateGroup::new("Team").group_id("g1").member("a"))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert_eq!(err.field(), Some("owner"));
    let err = im
        .groups()
        .create_group(
            &CreateGroup::new("Team")
                .owner("lilei")
                .members(ids("u", 31)),
        )
        .await
        .unwrap_err();
    assert_eq!(err.field(), Some("members"));
    let err = im
        .groups()
        .create_group(&CreateGroup::new("x".repeat(65)).owner("lilei"))
        .await
        .unwrap_err();
    assert_eq!(err.field(), Some("name"));
    let err = im
        .groups()
        .create_group(&CreateGroup::new("Team").owner("lilei").max_members(10))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unsupported);
    assert!(paths(&emu).is_empty());
}

#[tokio::test]
async fn hosted_groups_list_by_page_token() {
    let (emu, im) = hosted().await;
    let groups = ids("g", 7);
    create_owned(&im, &groups, "lilei").await;
    emu.rongcloud_state().clear_requests();
    let g = im.groups();
    let (mut all, pages) = walk(ListGroups::new().limit(3), |r| async move {
        g.list_groups(&r).await
    })
    .await;
    all.sort();
    assert_eq!(all, groups);
    assert!(pages >= 3, "{pages} pages");
    let requests = emu.rongcloud_state().requests();
    assert_eq!(requests[0].path, "/entrust/group/query.json");
    assert_eq!(requests[0].form_param("size").as_deref(), Some("3"));
    assert_eq!(requests[0].form_param("pageToken"), None);
    assert!(requests[1].form_param("pageToken").is_some());
    let err = im
        .groups()
        .list_groups(&ListGroups::new().limit(1001))
        .await
        .unwrap_err();
    assert_eq!(err.field(), Some("limit"));
}

#[tokio::test]
async fn hosted_members_join_in_hundreds_and_list_with_roles() {
    let (emu, im) = hosted().await;
    im.groups()
        .create_group(
            &CreateGroup::new("Team")
                .group_id("g1")
                .owner("lilei")
                .members(["a", "b"]),
        )
        .await
        .unwrap();
    emu.rongcloud_state().clear_requests();

    let users = ids("u", 150);
    let added = im
        .groups()
        .add_group_members(&AddGroupMembers::new("g1", users.clone()))
        .await
        .unwrap();
    assert_eq!(added.succeeded.len(), 150);
    assert_eq!(
        paths(&emu),
        vec!["/entrust/group/join.json"; 2],
        "100 per call"
    );
    let join = bodies(&emu, "/entrust/group/join.json");
    assert!(join[0].contains("userIds=u0000%2Cu0001%2C"), "{}", join[0]);

    emu.rongcloud_state().clear_requests();
    let (members, pages) = all_members(&im, "g1", 40).await;
    assert_eq!(members.len(), 153);
    assert!(pages >= 4, "{pages} pages");
    assert_eq!(count(&emu, "/entrust/group/member/query.json"), pages);
    let (everyone, _) = all_members(&im, "g1", 100).await;
    let role = |id: &str| everyone.iter().find(|m| m.user_id == id).unwrap().role;
    assert_eq!(role("lilei"), Some(MemberRole::Owner));
    assert_eq!(role("a"), Some(MemberRole::Member));
    assert_eq!(role("u0149"), Some(MemberRole::Member));
    assert!(everyone.iter().all(|m| m.joined_at.is_some()));
    let err = im
        .groups()
        .list_group_members(&ListGroupMembers::new("g1").limit(101))
        .await
        .unwrap_err();
    assert_eq!(err.field(), Some("limit"));

    emu.rongcloud_state().clear_requests();
    let removed = im
        .groups()
        .remove_group_members(&RemoveGroupMembers::new("g1", users[..120].to_vec()))
        .await
        .unwrap();
    assert_eq!(removed.succeeded.len(), 120);
    assert_eq!(paths(&emu), vec!["/entrust/group/member/kick.json"; 2]);
    assert_eq!(emu.rongcloud_state().group("g1").unwrap().members.len(), 33);
}

#[tokio::test]
async fn hosted_joined_groups_go_by_page_token() {
    let (emu, im) = hosted().await;
    let groups = ids("g", 7);
    create_owned(&im, &groups, "lilei").await;
    emu.rongcloud_state().clear_requests();
    let (mut joined, pages) = all_joined(&im, "lilei", 3).await;
    joined.sort();
    assert_eq!(joined, groups);
    assert!(pages >= 3, "{pages} pages");
    let first = &emu.rongcloud_state().requests()[0];
    assert_eq!(first.path, "/entrust/joined/group/query.json");
    assert_eq!(first.form_param("userId").as_deref(), Some("lilei"));
}

#[tokio::test]
async fn hosted_update_transfer_and_dismiss() {
    let (emu, im) = hosted().await;
    im.groups()
        .create_group(
            &CreateGroup::new("Team")
                .group_id("g1")
                .owner("lilei")
                .member("hanmeimei"),
        )
        .await
        .unwrap();
    emu.rongcloud_state().clear_requests();

    im.groups()
        .update_group(
            &UpdateGroup::new("g1")
                .name("Renamed")
                .introduction("New intro")
                .notification("New notice")
                .avatar_url("https://example.com/n.png")
                .join_option(JoinOption::FreeAccess),
        )
        .await
        .unwrap();
    assert_eq!(paths(&emu), ["/entrust/group/profile/update.json"]);
    let update = &emu.rongcloud_state().requests()[0];
    let profile: serde_json::Value =
        serde_json::from_str(&update.form_param("groupProfile").unwrap()).unwrap();
    assert_eq!(profile["announcement"], "New notice");
    let permissions: serde_json::Value =
        serde_json::from_str(&update.form_param("permissions").unwrap()).unwrap();
    assert_eq!(permissions["joinPerm"], 1);

    let info = im
        .groups()
        .get_groups(&GetGroups::new(["g1"]))
        .await
        .unwrap()
        .succeeded
        .remove(0);
    assert_eq!(info.name.as_deref(), Some("Renamed"));
    assert_eq!(info.introduction.as_deref(), Some("New intro"));
    assert_eq!(info.notification.as_deref(), Some("New notice"));
    assert_eq!(info.join_option, Some(JoinOption::FreeAccess));

    emu.rongcloud_state().clear_requests();
    let err = im
        .groups()
        .update_group(&UpdateGroup::new("g1").max_members(50))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unsupported);
    assert!(paths(&emu).is_empty());

    im.groups()
        .transfer_group(&TransferGroup::new("g1", "hanmeimei"))
        .await
        .unwrap();
    let transfer = &emu.rongcloud_state().requests()[0];
    assert_eq!(transfer.path, "/entrust/group/transfer/owner.json");
    assert_eq!(
        transfer.form_param("newOwner").as_deref(),
        Some("hanmeimei")
    );
    let info = im
        .groups()
        .get_groups(&GetGroups::new(["g1"]))
        .await
        .unwrap()
        .succeeded
        .remove(0);
    assert_eq!(info.owner.as_deref(), Some("hanmeimei"));

    // Hosted groups need no operator.
    emu.rongcloud_state().clear_requests();
    im.groups()
        .dismiss_group(&DismissGroup::new("g1"))
        .await
        .unwrap();
    assert_eq!(paths(&emu), ["/entrust/group/dismiss.json"]);
    let gone = im
        .groups()
        .get_groups(&GetGroups::new(["g1"]))
        .await
        .unwrap();
    assert_eq!(gone.failed[0].error.kind(), ErrorKind::NotFound);
}

#[tokio::test]
async fn hosted_create_is_safe_to_retry_after_a_lost_answer() {
    let (emu, im) = hosted().await;
    // The first create is processed and its answer lost; the retry is refused because the
    // group exists; reading it back shows this call's owner and name, so the create succeeded.
    emu.inject(lost_answer("/entrust/group/create.json"));
    let created = im
        .groups()
        .create_group(&CreateGroup::new("Team").group_id("g1").owner("lilei"))
        .await
        .unwrap();
    assert_eq!(created.group_id, "g1");
    assert_eq!(
        paths(&emu),
        [
            "/entrust/group/create.json",
            "/entrust/group/create.json",
            "/entrust/group/profile/query.json"
        ]
    );

    // Without a retry, a taken id is refused, even with the same owner and name: someone
    // else's create made it.
    emu.rongcloud_state().clear_requests();
    let err = im
        .groups()
        .create_group(&CreateGroup::new("Team").group_id("g1").owner("lilei"))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::AlreadyExists);
    assert!(err.vendor_code().is_some(), "the vendor's code is kept");

    // A retry that finds another owner's group is refused too.
    im.groups()
        .create_group(&CreateGroup::new("Team").group_id("g2").owner("someone"))
        .await
        .unwrap();
    emu.inject(FaultRule::path("/entrust/group/create.json", Fault::Status(503)).times(1));
    let err = im
        .groups()
        .create_group(&CreateGroup::new("Team").group_id("g2").owner("lilei"))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::AlreadyExists);
    assert!(err.attempts() > 1);
}

#[tokio::test]
async fn hosted_create_is_safe_when_the_backup_domain_answers_taken() {
    let emu = emulator().await;
    emu.set_rongcloud_group_hosting(true);
    let backup = emu.add_listener().await.unwrap();
    // The primary processes the create and loses the answer; the same attempt moves to the
    // backup domain, which finds the group taken: the call was sent twice, so the group is
    // read back, and it is this call's.
    emu.main_listener()
        .inject(lost_answer("/entrust/group/create.json"));
    let im = RongCloudClient::builder(APP_KEY, APP_SECRET)
        .base_urls([emu.url(), backup.url()])
        .retry_policy(RetryPolicy::never())
        .group_mode(GroupMode::Hosted)
        .build()
        .unwrap();
    let created = im
        .groups()
        .create_group(&CreateGroup::new("Team").group_id("g1").owner("lilei"))
        .await
        .unwrap();
    assert_eq!(created.group_id, "g1");
    assert_eq!(count(&emu, "/entrust/group/create.json"), 2);
    assert_eq!(count(&emu, "/entrust/group/profile/query.json"), 1);
}
