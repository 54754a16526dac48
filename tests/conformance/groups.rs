//! The groups family, read back through the SDK's own read operations (`get_groups`,
//! `list_group_members`, `list_joined_groups`, `list_muted_members`, `list_groups`), chosen by
//! capability. Runs on every group model: Tencent, RongCloud basic and RongCloud hosted.

use std::time::{Duration, SystemTime};

use futures_util::TryStreamExt;
use imbridge::{
    AddGroupMembers, CreateGroup, DismissGroup, ErrorKind, GetGroups, ListGroupMembers, ListGroups,
    ListJoinedGroups, ListMutedMembers, MemberAddition, MemberRole, MuteGroupMembers, Operation,
    RegisterUsers, RemoveGroupMembers, SetGroupMuteAll, TransferGroup, UpdateGroup,
};

use crate::backend::Backend;
use crate::harness::{invalid, ok, refused};

async fn users(b: &Backend, prefix: &str, n: usize) -> Vec<String> {
    let ids: Vec<String> = (0..n).map(|i| format!("{prefix}{i:02}")).collect();
    ok(
        b.im.users()
            .register_users(&RegisterUsers::new(ids.clone()))
            .await,
        "register members",
    );
    ids
}

async fn create(b: &Backend, id: &str, owner: &str, members: &[String]) {
    let req = CreateGroup::new("Team")
        .group_id(id)
        .owner(owner)
        .members(members.iter().cloned());
    ok(b.im.groups().create_group(&req).await, "create_group");
}

/// Every member, through `pages()`, two at a time.
async fn all_members(b: &Backend, group: &str) -> Vec<String> {
    let im = b.im.clone();
    let pages: Vec<_> = imbridge::pages(ListGroupMembers::new(group).limit(2), |req| {
        let im = im.clone();
        async move { im.groups().list_group_members(&req).await }
    })
    .try_collect()
    .await
    .unwrap_or_else(|e| panic!("list the members of {group}: {e}"));
    let mut ids: Vec<String> = pages
        .into_iter()
        .flat_map(|p| p.items)
        .map(|m| m.user_id)
        .collect();
    ids.sort();
    ids
}

async fn joined(b: &Backend, user: &str) -> Vec<String> {
    let im = b.im.clone();
    let pages: Vec<_> = imbridge::pages(ListJoinedGroups::new(user).limit(1), |req| {
        let im = im.clone();
        async move { im.groups().list_joined_groups(&req).await }
    })
    .try_collect()
    .await
    .unwrap_or_else(|e| panic!("list {user}'s groups: {e}"));
    pages.into_iter().flat_map(|p| p.items).collect()
}

/// Add, list (more than one page), remove, and the user's side of it.
pub async fn groups_membership(b: Backend) {
    let ids = users(&b, "m", 7).await;
    create(&b, "gmem", &ids[0], &ids[1..2]).await;

    let added = ok(
        b.im.groups()
            .add_group_members(&AddGroupMembers::new("gmem", ids[1..].to_vec()))
            .await,
        "add_group_members",
    );
    assert!(added.is_complete(), "{:?}", added.failed);
    assert_eq!(added.succeeded.len(), 6);
    for m in &added.succeeded[1..] {
        assert_eq!(m.outcome, MemberAddition::Added, "{}", m.user_id);
    }
    assert!(
        matches!(
            added.succeeded[0].outcome,
            MemberAddition::Added | MemberAddition::AlreadyMember
        ),
        "a member added again"
    );
    let mut expected = ids.clone();
    expected.sort();
    assert_eq!(all_members(&b, "gmem").await, expected, "four pages of two");

    if b.im.capabilities().groups.member_details {
        let page = ok(
            b.im.groups()
                .list_group_members(&ListGroupMembers::new("gmem").limit(100))
                .await,
            "list with details",
        );
        let owner = page.items.iter().find(|m| m.user_id == ids[0]).unwrap();
        assert_eq!(owner.role, Some(MemberRole::Owner));
        assert!(page.items.iter().all(|m| m.joined_at.is_some()));
    }

    assert!(joined(&b, &ids[3]).await.contains(&"gmem".to_owned()));
    let removed = ok(
        b.im.groups()
            .remove_group_members(&RemoveGroupMembers::new("gmem", ids[5..].to_vec()))
            .await,
        "remove_group_members",
    );
    assert_eq!(removed.succeeded, &ids[5..]);
    expected.retain(|id| !ids[5..].contains(id));
    assert_eq!(all_members(&b, "gmem").await, expected);
    assert!(!joined(&b, &ids[6]).await.contains(&"gmem".to_owned()));
}

/// Profiles, owners and listing, as far as the group model keeps them.
pub async fn groups_profiles_and_owners(b: Backend) {
    let caps = b.im.capabilities().clone();
    let ids = users(&b, "p", 2).await;
    create(&b, "gpro", &ids[0], &ids[1..]).await;

    ok(
        b.im.groups()
            .update_group(&UpdateGroup::new("gpro").name("Renamed"))
            .await,
        "rename",
    );
    let profile = UpdateGroup::new("gpro").introduction("about us");
    if caps.groups.profile_fields {
        ok(
            b.im.groups().update_group(&profile).await,
            "set the introduction",
        );
    } else {
        refused(
            &b,
            b.im.groups().update_group(&profile),
            ErrorKind::Unsupported,
            "set the introduction",
        )
        .await;
    }

    if caps.supports(Operation::GetGroups) {
        let got = ok(
            b.im.groups()
                .get_groups(&GetGroups::new(["gpro", "nosuchgroup"]))
                .await,
            "get_groups",
        );
        let g = &got.succeeded[0];
        assert_eq!(g.group_id, "gpro");
        assert_eq!(g.name.as_deref(), Some("Renamed"));
        if caps.groups.profile_fields {
            assert_eq!(g.introduction.as_deref(), Some("about us"));
        }
        if caps.groups.owners {
            assert_eq!(g.owner.as_deref(), Some(ids[0].as_str()));
        }
        assert_eq!(got.failed.len(), 1, "an unknown group is a failed item");
        assert_eq!(got.failed[0].item, "nosuchgroup");
        assert_eq!(got.failed[0].error.kind(), ErrorKind::NotFound);
    }

    if caps.supports(Operation::TransferGroup) {
        ok(
            b.im.groups()
                .transfer_group(&TransferGroup::new("gpro", &ids[1]))
                .await,
            "transfer_group",
        );
        let got = ok(
            b.im.groups().get_groups(&GetGroups::new(["gpro"])).await,
            "read the owner back",
        );
        assert_eq!(got.succeeded[0].owner.as_deref(), Some(ids[1].as_str()));
    }

    if caps.supports(Operation::ListGroups) {
        for g in ["glist1", "glist2", "glist3"] {
            create(&b, g, &ids[0], &[]).await;
        }
        let im = b.im.clone();
        let pages: Vec<_> = imbridge::pages(ListGroups::new().limit(2), |req| {
            let im = im.clone();
            async move { im.groups().list_groups(&req).await }
        })
        .try_collect()
        .await
        .unwrap_or_else(|e| panic!("list every group: {e}"));
        assert!(pages.len() >= 2, "more than one page of groups");
        let listed: Vec<String> = pages.into_iter().flat_map(|p| p.items).collect();
        for g in ["gpro", "glist1", "glist2", "glist3"] {
            assert!(
                listed.contains(&g.to_owned()),
                "{g} is not listed: {listed:?}"
            );
        }
    }
}

/// Muting members (and lifting it), and muting everyone.
pub async fn groups_mutes(b: Backend) {
    let caps = b.im.capabilities().clone();
    let ids = users(&b, "q", 3).await;
    create(&b, "gmute", &ids[0], &ids[1..]).await;
    let ten_minutes = Duration::from_secs(600);
    ok(
        b.im.groups()
            .mute_group_members(&MuteGroupMembers::new("gmute", &ids[1..], ten_minutes))
            .await,
        "mute two",
    );
    let muted = ok(
        b.im.groups()
            .list_muted_members(&ListMutedMembers::new("gmute"))
            .await,
        "list_muted_members",
    );
    let mut who: Vec<&str> = muted.items.iter().map(|m| m.user_id.as_str()).collect();
    who.sort();
    assert_eq!(who, [ids[1].as_str(), ids[2].as_str()]);
    for m in &muted.items {
        if let Some(until) = m.until {
            let left = until.duration_since(SystemTime::now()).unwrap_or_default();
            assert!(
                left > Duration::from_secs(480) && left <= Duration::from_secs(660),
                "{} muted for {left:?}",
                m.user_id
            );
        }
    }
    ok(
        b.im.groups()
            .mute_group_members(&MuteGroupMembers::unmute("gmute", [&ids[1]]))
            .await,
        "unmute one",
    );
    let muted = ok(
        b.im.groups()
            .list_muted_members(&ListMutedMembers::new("gmute"))
            .await,
        "list after unmute",
    );
    assert_eq!(muted.items.len(), 1);
    assert_eq!(muted.items[0].user_id, ids[2]);

    if let Some(max) = caps.groups.max_mute {
        let too_long = MuteGroupMembers::new("gmute", [&ids[1]], max + Duration::from_secs(60));
        invalid(
            &b,
            b.im.groups().mute_group_members(&too_long),
            "duration",
            "a mute longer than the vendor's longest",
        )
        .await;
    }

    for on in [true, false] {
        ok(
            b.im.groups()
                .set_group_mute_all(&SetGroupMuteAll::new("gmute", on))
                .await,
            "set_group_mute_all",
        );
        if caps.supports(Operation::GetGroups) {
            let got = ok(
                b.im.groups().get_groups(&GetGroups::new(["gmute"])).await,
                "read mute-all back",
            );
            if let Some(state) = got.succeeded[0].mute_all {
                assert_eq!(state, on);
            }
        }
    }
}

/// Dismissing a group: it is gone for the SDK's reads.
pub async fn groups_dismiss(b: Backend) {
    let ids = users(&b, "d", 2).await;
    create(&b, "gbye", &ids[0], &ids[1..]).await;
    ok(
        b.im.groups()
            .dismiss_group(&DismissGroup::new("gbye").operator(&ids[0]))
            .await,
        "dismiss_group",
    );
    assert!(!joined(&b, &ids[1]).await.contains(&"gbye".to_owned()));
    if b.im.capabilities().supports(Operation::GetGroups) {
        let got = ok(
            b.im.groups().get_groups(&GetGroups::new(["gbye"])).await,
            "get a dismissed group",
        );
        assert_eq!(got.failed[0].error.kind(), ErrorKind::NotFound);
    }
    invalid(
        &b,
        b.im.groups()
            .add_group_members(&AddGroupMembers::new("gbye", ["a", "a"])),
        "user_ids",
        "a repeated member",
    )
    .await;
}
