//! Drift tests for the endpoint catalogue: a golden operation → endpoint table written out by
//! hand from the vendor's documentation (so a wrong path cannot slip in unnoticed), and the
//! table in docs/mapping.md equal to the catalogue (`IMBRIDGE_BLESS=1` rewrites it).

use imbridge_core::Operation::{self, *};
use imbridge_tencent::endpoints::CATALOGUE;

/// Every (operation, endpoint) pair, from the vendor's documentation.
const GOLDEN: &[(Operation, &str)] = &[
    (RegisterUser, "im_open_login_svc/account_import"),
    (RegisterUsers, "im_open_login_svc/multiaccount_import"),
    (DeleteUsers, "im_open_login_svc/account_delete"),
    (CheckUsers, "im_open_login_svc/account_check"),
    (ForceLogout, "im_open_login_svc/kick"),
    (QueryOnline, "openim/query_online_status"),
    (SetProfile, "profile/portrait_set"),
    (GetProfiles, "profile/portrait_get"),
    (CreateGroup, "group_open_http_svc/create_group"),
    (CreateGroup, "group_open_http_svc/get_group_info"),
    (GetGroups, "group_open_http_svc/get_group_info"),
    (ListGroups, "group_open_http_svc/get_appid_group_list"),
    (UpdateGroup, "group_open_http_svc/modify_group_base_info"),
    (
        SetGroupMuteAll,
        "group_open_http_svc/modify_group_base_info",
    ),
    (DismissGroup, "group_open_http_svc/destroy_group"),
    (TransferGroup, "group_open_http_svc/change_group_owner"),
    (AddGroupMembers, "group_open_http_svc/add_group_member"),
    (
        RemoveGroupMembers,
        "group_open_http_svc/delete_group_member",
    ),
    (
        ListGroupMembers,
        "group_open_http_svc/get_group_member_info",
    ),
    (
        ListJoinedGroups,
        "group_open_http_svc/get_joined_group_list",
    ),
    (MuteGroupMembers, "group_open_http_svc/forbid_send_msg"),
    (
        ListMutedMembers,
        "group_open_http_svc/get_group_muted_account",
    ),
    (SendMessage, "openim/sendmsg"),
    (SendMessage, "group_open_http_svc/send_group_msg"),
    (SendMessage, "openim/admin_getroammsg"),
    (SendBatch, "openim/batchsendmsg"),
    (SendSystemMessage, "openim/batchsendmsg"),
    (RecallMessage, "openim/admin_msgwithdraw"),
    (RecallMessage, "group_open_http_svc/group_msg_recall"),
    (MessageHistory, "openim/admin_getroammsg"),
    (MessageHistory, "group_open_http_svc/group_msg_get_simple"),
    (ImportMessages, "openim/importmsg"),
    (ImportMessages, "openim/admin_getroammsg"),
    (ImportMessages, "group_open_http_svc/import_group_msg"),
];

#[test]
fn the_catalogue_maps_operations_to_the_documented_endpoints() {
    let mut golden = GOLDEN.to_vec();
    golden.sort_by_key(|(op, path)| (op.as_str(), *path));
    assert_eq!(CATALOGUE.operation_endpoints(), golden);
}

#[test]
fn docs_mapping_shows_the_catalogue() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/mapping.md");
    if let Err(why) = CATALOGUE.check_doc(path.as_ref(), "tencent") {
        panic!("{why}");
    }
}
