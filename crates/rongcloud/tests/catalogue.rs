//! Drift tests for the endpoint catalogue: a golden operation → endpoint table written out by
//! hand from the vendor's documentation (so a wrong path cannot slip in unnoticed), and the
//! table in docs/mapping.md equal to the catalogue (`IMBRIDGE_BLESS=1` rewrites it).

use imbridge_core::Operation::{self, *};
use imbridge_rongcloud::endpoints::CATALOGUE;

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
    (SendMessage, "/message/private/publish.json"),
    (SendMessage, "/message/group/publish.json"),
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
    if let Err(why) = CATALOGUE.check_doc(path.as_ref(), "rongcloud") {
        panic!("{why}");
    }
}
