//! Drift tests for the endpoint catalogue: a golden operation → endpoint table written out by
//! hand from the vendor's documentation (so a wrong path cannot slip in unnoticed), and the
//! table in docs/mapping.md equal to the catalogue (`IMBRIDGE_BLESS=1` rewrites it).

use imbridge_core::Operation::{self, *};
use imbridge_core::{Family, OperationSet};
use imbridge_rongcloud::GroupMode::{self, Basic, Hosted};
use imbridge_rongcloud::endpoints::{CATALOGUE, GROUP_MODE_ONLY, group_mode_of, operations};

/// Every (operation, endpoint) pair, from the vendor's documentation.
const GOLDEN: &[(Operation, &str)] = &[
    (RegisterUser, "/user/getToken.json"),
    (RegisterUser, "/user/info.json"),
    (RegisterUsers, "/user/getToken.json"),
    (RegisterUsers, "/user/info.json"),
    (IssueToken, "/user/getToken.json"),
    (IssueToken, "/user/info.json"),
    (CheckUsers, "/user/info.json"),
    (GetProfiles, "/user/info.json"),
    (DeleteUsers, "/user/deactivate.json"),
    (QueryOnline, "/user/checkOnline.json"),
    (ForceLogout, "/user/token/expire.json"),
    (ForceLogout, "/user/block.json"),
    (BanUsers, "/user/block.json"),
    (UnbanUsers, "/user/unblock.json"),
    (ListBannedUsers, "/user/block/query.json"),
    (SetProfile, "/user/refresh.json"),
    (CreateGroup, "/group/create.json"),
    (CreateGroup, "/group/user/query.json"),
    (CreateGroup, "/entrust/group/create.json"),
    (CreateGroup, "/entrust/group/profile/query.json"),
    (GetGroups, "/entrust/group/profile/query.json"),
    (ListGroups, "/entrust/group/query.json"),
    (UpdateGroup, "/group/refresh.json"),
    (UpdateGroup, "/entrust/group/profile/update.json"),
    (DismissGroup, "/group/dismiss.json"),
    (DismissGroup, "/entrust/group/dismiss.json"),
    (TransferGroup, "/entrust/group/transfer/owner.json"),
    (AddGroupMembers, "/group/join.json"),
    (AddGroupMembers, "/entrust/group/join.json"),
    (RemoveGroupMembers, "/group/quit.json"),
    (RemoveGroupMembers, "/entrust/group/member/kick.json"),
    (ListGroupMembers, "/group/user/query.json"),
    (ListGroupMembers, "/entrust/group/member/query.json"),
    (ListJoinedGroups, "/user/group/query.json"),
    (ListJoinedGroups, "/entrust/joined/group/query.json"),
    (MuteGroupMembers, "/group/user/gag/add.json"),
    (MuteGroupMembers, "/group/user/gag/rollback.json"),
    (ListMutedMembers, "/group/user/gag/list.json"),
    (SetGroupMuteAll, "/group/ban/add.json"),
    (SetGroupMuteAll, "/group/ban/rollback.json"),
    (SendMessage, "/message/private/publish.json"),
    (SendMessage, "/message/group/publish.json"),
    (SendMessage, "/v3/message/private/query.json"),
    (SendMessage, "/v3/message/group/query.json"),
    (SendBatch, "/message/private/publish.json"),
    (SendSystemMessage, "/message/system/publish.json"),
    (RecallMessage, "/message/recall.json"),
    (MessageHistory, "/v3/message/private/query.json"),
    (MessageHistory, "/v3/message/group/query.json"),
];

#[test]
fn the_catalogue_maps_operations_to_the_documented_endpoints() {
    let mut golden = GOLDEN.to_vec();
    golden.sort_by_key(|(op, path)| (op.as_str(), *path));
    assert_eq!(CATALOGUE.operation_endpoints(), golden);
}

/// The group endpoints of each model, from the vendor's documentation: the legacy API for
/// basic groups, the profile-hosting service (`/entrust/`) for hosted ones; mutes are shared.
const BASIC_ONLY: &[&str] = &[
    "/group/create.json",
    "/group/user/query.json",
    "/group/join.json",
    "/group/quit.json",
    "/group/dismiss.json",
    "/group/refresh.json",
    "/user/group/query.json",
];

#[test]
fn each_group_endpoint_belongs_to_its_model() {
    for (path, _) in GROUP_MODE_ONLY {
        assert!(
            CATALOGUE.get(path).is_some(),
            "{path} is not in the catalogue"
        );
    }
    for e in CATALOGUE.endpoints() {
        let expected = if BASIC_ONLY.contains(&e.path) {
            Some(Basic)
        } else if e.path.starts_with("/entrust/") {
            Some(Hosted)
        } else {
            None
        };
        assert_eq!(group_mode_of(e.path), expected, "{}", e.path);
    }
}

#[test]
fn each_mode_offers_the_groups_family_it_can_serve() {
    let groups = |mode: GroupMode| -> Vec<Operation> {
        operations(mode)
            .iter()
            .filter(|op| op.family() == Some(Family::Groups))
            .collect()
    };
    let every: Vec<Operation> = Operation::ALL
        .iter()
        .copied()
        .filter(|op| op.family() == Some(Family::Groups))
        .collect();
    assert_eq!(groups(Hosted), every, "hosted groups do everything");
    let missing: Vec<Operation> = every
        .into_iter()
        .filter(|op| !groups(Basic).contains(op))
        .collect();
    assert_eq!(missing, [GetGroups, ListGroups, TransferGroup]);
    // Outside the groups family, both modes offer the same.
    let others = |mode: GroupMode| -> OperationSet {
        operations(mode)
            .iter()
            .filter(|op| op.family() != Some(Family::Groups))
            .fold(OperationSet::empty(), OperationSet::with)
    };
    assert_eq!(others(Basic), others(Hosted));
    assert_eq!(
        imbridge_rongcloud::capabilities_for(Basic).operations,
        operations(Basic)
    );
}

#[test]
fn docs_mapping_shows_the_catalogue() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/mapping.md");
    if let Err(why) = CATALOGUE.check_doc(path.as_ref(), "rongcloud") {
        panic!("{why}");
    }
}

#[test]
fn the_messages_family_offers_all_but_import() {
    let caps = imbridge_rongcloud::capabilities();
    for op in [
        SendMessage,
        SendBatch,
        SendSystemMessage,
        RecallMessage,
        MessageHistory,
    ] {
        assert!(caps.supports(op), "{op}");
    }
    assert!(
        !caps.supports(ImportMessages),
        "RongCloud has no import API"
    );
}
