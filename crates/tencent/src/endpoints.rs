//! The v4 endpoints imbridge calls, listed once: the operations each serves, whether it may be
//! repeated, the vendor's documented rate. Default rate limits, the supported operations and
//! the table in `docs/mapping.md` are derived from [`CATALOGUE`].

use imbridge_core::Operation::*;
use imbridge_core::catalogue::{BodyKind, Catalogue, Endpoint};
use imbridge_core::policy::Idempotency::{Deduplicated, Idempotent, NotIdempotent};

const fn json(path: &'static str, idempotency: imbridge_core::policy::Idempotency) -> Endpoint {
    Endpoint::new(path, idempotency, BodyKind::Json)
}

/// Import one account (200/s).
pub const ACCOUNT_IMPORT: Endpoint = json("im_open_login_svc/account_import", Idempotent)
    .serves(&[RegisterUser])
    .rate(200);
/// Import up to 100 accounts (100/s); answers `FailAccounts`.
pub const MULTIACCOUNT_IMPORT: Endpoint = json("im_open_login_svc/multiaccount_import", Idempotent)
    .serves(&[RegisterUsers])
    .rate(100);
/// Delete up to 100 accounts; answers a `ResultItem` per account.
pub const ACCOUNT_DELETE: Endpoint =
    json("im_open_login_svc/account_delete", Idempotent).serves(&[DeleteUsers]);
/// Check up to 100 accounts (100/s).
pub const ACCOUNT_CHECK: Endpoint = json("im_open_login_svc/account_check", Idempotent)
    .serves(&[CheckUsers])
    .rate(100);
/// Invalidate an account's login state (200/s).
pub const KICK: Endpoint = json("im_open_login_svc/kick", Idempotent)
    .serves(&[ForceLogout])
    .rate(200);
/// Online status of up to 500 accounts.
pub const QUERY_ONLINE_STATUS: Endpoint =
    json("openim/query_online_status", Idempotent).serves(&[QueryOnline]);
/// Set profile fields (200/s).
pub const PORTRAIT_SET: Endpoint = json("profile/portrait_set", Idempotent)
    .serves(&[SetProfile])
    .rate(200);
/// Read the profiles of up to 100 accounts.
pub const PORTRAIT_GET: Endpoint = json("profile/portrait_get", Idempotent).serves(&[GetProfiles]);
/// Create a group (a retry could create a second group when the vendor picks the id).
pub const CREATE_GROUP: Endpoint = json("group_open_http_svc/create_group", NotIdempotent)
    .serves(&[CreateGroup])
    .rate(200);
/// Read up to 50 groups (200/s); also reads back a group whose creation was retried.
pub const GET_GROUP_INFO: Endpoint = json("group_open_http_svc/get_group_info", Idempotent)
    .serves(&[GetGroups, CreateGroup])
    .rate(200);
/// The app's group ids, paged by a u64 `Next`.
pub const GET_APPID_GROUP_LIST: Endpoint =
    json("group_open_http_svc/get_appid_group_list", Idempotent).serves(&[ListGroups]);
/// Change a group's profile or mute everyone (`MuteAllMember`).
pub const MODIFY_GROUP_BASE_INFO: Endpoint =
    json("group_open_http_svc/modify_group_base_info", Idempotent)
        .serves(&[UpdateGroup, SetGroupMuteAll]);
/// Dismiss a group.
pub const DESTROY_GROUP: Endpoint =
    json("group_open_http_svc/destroy_group", Idempotent).serves(&[DismissGroup]);
/// Make a member the owner.
pub const CHANGE_GROUP_OWNER: Endpoint =
    json("group_open_http_svc/change_group_owner", Idempotent).serves(&[TransferGroup]);
/// Add up to 300 members (200/s); answers a `Result` per member.
pub const ADD_GROUP_MEMBER: Endpoint = json("group_open_http_svc/add_group_member", Idempotent)
    .serves(&[AddGroupMembers])
    .rate(200);
/// Remove members.
pub const DELETE_GROUP_MEMBER: Endpoint =
    json("group_open_http_svc/delete_group_member", Idempotent).serves(&[RemoveGroupMembers]);
/// A group's members, by `Offset` and `Limit` (≤ 6000).
pub const GET_GROUP_MEMBER_INFO: Endpoint =
    json("group_open_http_svc/get_group_member_info", Idempotent).serves(&[ListGroupMembers]);
/// The groups a user belongs to, by `Offset` and `Limit`.
pub const GET_JOINED_GROUP_LIST: Endpoint =
    json("group_open_http_svc/get_joined_group_list", Idempotent).serves(&[ListJoinedGroups]);
/// Mute up to 500 members for `MuteTime` seconds (0 unmutes).
pub const FORBID_SEND_MSG: Endpoint =
    json("group_open_http_svc/forbid_send_msg", Idempotent).serves(&[MuteGroupMembers]);
/// The muted members (the newer name of `get_group_shutted_uin`).
pub const GET_GROUP_MUTED_ACCOUNT: Endpoint =
    json("group_open_http_svc/get_group_muted_account", Idempotent).serves(&[ListMutedMembers]);
/// Send a one-to-one message (200/s); `MsgRandom` de-duplicates within the same second.
pub const SEND_MSG: Endpoint = json("openim/sendmsg", Deduplicated)
    .serves(&[SendMessage])
    .rate(200);
/// Send a group message (200/s); `Random` de-duplicates for 5 minutes.
pub const SEND_GROUP_MSG: Endpoint = json("group_open_http_svc/send_group_msg", Deduplicated)
    .serves(&[SendMessage])
    .rate(200);
/// One message to up to 500 users (200/s, unconfirmed); one `MsgKey` and an `ErrorList` of
/// the recipients that failed. No de-duplication window is documented for its `MsgRandom`, so
/// a call whose answer was lost is not repeated.
pub const BATCH_SEND_MSG: Endpoint = json("openim/batchsendmsg", NotIdempotent)
    .serves(&[SendBatch, SendSystemMessage])
    .rate(200);
/// Recall a one-to-one message by `From_Account`, `To_Account` and `MsgKey`.
pub const ADMIN_MSGWITHDRAW: Endpoint =
    json("openim/admin_msgwithdraw", Idempotent).serves(&[RecallMessage]);
/// Recall group messages by `MsgSeq` (≤ 10); a `RecallRetList` entry per message.
pub const GROUP_MSG_RECALL: Endpoint =
    json("group_open_http_svc/group_msg_recall", Idempotent).serves(&[RecallMessage]);
/// One-to-one history as one side sees it, by time window and `LastMsgKey` (≤ 100 per page);
/// also searched before resending a one-to-one message whose answer was lost, and to read an
/// imported message's `MsgKey`.
pub const ADMIN_GETROAMMSG: Endpoint = json("openim/admin_getroammsg", Idempotent).serves(&[
    MessageHistory,
    SendMessage,
    ImportMessages,
]);
/// Group history walking down from `ReqMsgSeq` (≤ 20 per page).
pub const GROUP_MSG_GET_SIMPLE: Endpoint =
    json("group_open_http_svc/group_msg_get_simple", Idempotent).serves(&[MessageHistory]);
/// Import one one-to-one message; the vendor drops a copy with the same sender, recipient,
/// time and `MsgRandom`.
pub const IMPORTMSG: Endpoint = json("openim/importmsg", Idempotent).serves(&[ImportMessages]);
/// Import up to 7 messages of one group (some sources say 20), in time order; an `ImportMsgResult` per message.
pub const IMPORT_GROUP_MSG: Endpoint =
    json("group_open_http_svc/import_group_msg", Idempotent).serves(&[ImportMessages]);

/// Every endpoint imbridge calls, in the docs' order.
pub const CATALOGUE: Catalogue = Catalogue::new(&[
    ACCOUNT_IMPORT,
    MULTIACCOUNT_IMPORT,
    ACCOUNT_DELETE,
    ACCOUNT_CHECK,
    KICK,
    QUERY_ONLINE_STATUS,
    PORTRAIT_SET,
    PORTRAIT_GET,
    CREATE_GROUP,
    GET_GROUP_INFO,
    GET_APPID_GROUP_LIST,
    MODIFY_GROUP_BASE_INFO,
    DESTROY_GROUP,
    CHANGE_GROUP_OWNER,
    ADD_GROUP_MEMBER,
    DELETE_GROUP_MEMBER,
    GET_GROUP_MEMBER_INFO,
    GET_JOINED_GROUP_LIST,
    FORBID_SEND_MSG,
    GET_GROUP_MUTED_ACCOUNT,
    SEND_MSG,
    SEND_GROUP_MSG,
    BATCH_SEND_MSG,
    ADMIN_MSGWITHDRAW,
    GROUP_MSG_RECALL,
    IMPORTMSG,
    IMPORT_GROUP_MSG,
    ADMIN_GETROAMMSG,
    GROUP_MSG_GET_SIMPLE,
]);

/// Operations done locally, without an endpoint: issuing a token signs a UserSig.
pub const LOCAL: &[imbridge_core::Operation] = &[IssueToken];

/// The v4 endpoint (or local action) behind an operation, for comparisons and logs; a send
/// goes to `send_group_msg` when `to_group`.
pub fn endpoint(op: imbridge_core::Operation, to_group: bool) -> &'static str {
    match op {
        IssueToken => "(UserSig signed locally)",
        SendMessage if to_group => SEND_GROUP_MSG.path,
        RecallMessage if to_group => GROUP_MSG_RECALL.path,
        MessageHistory if to_group => GROUP_MSG_GET_SIMPLE.path,
        _ => CATALOGUE
            .for_operation(op)
            .next()
            .map_or("(other)", |e| e.path),
    }
}
