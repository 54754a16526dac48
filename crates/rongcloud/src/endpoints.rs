//! The Server API paths imbridge calls, listed once: the operations each serves, whether it may
//! be repeated, the vendor's documented rate and its body kind. Default rate limits, the
//! supported operations, body kinds and the table in `docs/mapping.md` are derived from
//! [`CATALOGUE`]. Paths with a JSON body that only [`call_json`](crate::RongCloudClient::call_json)
//! or vendor-specific methods reach are listed too, without an operation.
//!
//! The group endpoints belong to one of RongCloud's two group models ([`GroupMode`]) or to both:
//! [`GROUP_MODE_ONLY`] names, once, each endpoint that only one model calls, and the operations
//! a client offers in a mode are those of the endpoints it calls ([`operations`]).

use imbridge_core::Operation::*;
use imbridge_core::OperationSet;
use imbridge_core::catalogue::{BodyKind, Catalogue, Endpoint};
use imbridge_core::policy::Idempotency::{self, Idempotent, NotIdempotent};

use crate::GroupMode::{self, Basic, Hosted};

const fn form(path: &'static str, idempotency: Idempotency) -> Endpoint {
    Endpoint::new(path, idempotency, BodyKind::Form)
}

const fn json(path: &'static str, idempotency: Idempotency) -> Endpoint {
    Endpoint::new(path, idempotency, BodyKind::Json)
}

/// Register a user and get a token (200/s).
pub const GET_TOKEN: Endpoint = form("/user/getToken.json", Idempotent)
    .serves(&[RegisterUser, RegisterUsers, IssueToken])
    .rate(200);
/// A user's name, portrait and creation time (100/s).
pub const USER_INFO: Endpoint = form("/user/info.json", Idempotent)
    .serves(&[
        RegisterUser,
        RegisterUsers,
        IssueToken,
        CheckUsers,
        GetProfiles,
    ])
    .rate(100);
/// Deactivate users (asynchronous: answers an `operateId`).
pub const DEACTIVATE: Endpoint = form("/user/deactivate.json", Idempotent)
    .serves(&[DeleteUsers])
    .rate(100);
/// Whether one user is online (100/s).
pub const CHECK_ONLINE: Endpoint = form("/user/checkOnline.json", Idempotent)
    .serves(&[QueryOnline])
    .rate(100);
/// Invalidate tokens issued before a time (100/s).
pub const TOKEN_EXPIRE: Endpoint = form("/user/token/expire.json", Idempotent)
    .serves(&[ForceLogout])
    .rate(100);
/// Ban users from connecting for some minutes; drops their connections.
pub const BLOCK: Endpoint = form("/user/block.json", Idempotent)
    .serves(&[BanUsers, ForceLogout])
    .rate(100);
/// Lift bans.
pub const UNBLOCK: Endpoint = form("/user/unblock.json", Idempotent)
    .serves(&[UnbanUsers])
    .rate(100);
/// The banned users, by page.
pub const BLOCK_QUERY: Endpoint = form("/user/block/query.json", Idempotent)
    .serves(&[ListBannedUsers])
    .rate(100);
/// Change a user's push name or portrait (100/s).
pub const REFRESH_USER: Endpoint = form("/user/refresh.json", Idempotent)
    .serves(&[SetProfile])
    .rate(100);
/// Create a basic group with its users (100/s); the same id with the same users again is
/// harmless (the vendor adds users already present once).
pub const GROUP_CREATE: Endpoint = form("/group/create.json", Idempotent)
    .serves(&[CreateGroup])
    .rate(100);
/// A basic group's member ids, all at once (used to refuse taken group ids, and paged locally).
pub const GROUP_USER_QUERY: Endpoint = form("/group/user/query.json", Idempotent)
    .serves(&[CreateGroup, ListGroupMembers])
    .rate(100);
/// Add users to a basic group, at most 1000 per call.
pub const GROUP_JOIN: Endpoint = form("/group/join.json", Idempotent)
    .serves(&[AddGroupMembers])
    .rate(100);
/// Remove users from a basic group, at most 1000 per call.
pub const GROUP_QUIT: Endpoint = form("/group/quit.json", Idempotent)
    .serves(&[RemoveGroupMembers])
    .rate(100);
/// Dismiss a basic group; needs a user id as the operator.
pub const GROUP_DISMISS: Endpoint = form("/group/dismiss.json", Idempotent)
    .serves(&[DismissGroup])
    .rate(100);
/// Change a basic group's push name.
pub const GROUP_REFRESH: Endpoint = form("/group/refresh.json", Idempotent)
    .serves(&[UpdateGroup])
    .rate(100);
/// The basic groups a user belongs to, by page.
pub const USER_GROUP_QUERY: Endpoint = form("/user/group/query.json", Idempotent)
    .serves(&[ListJoinedGroups])
    .rate(100);
/// Mute members of a group for some minutes, at most 20 per call (both group models).
pub const GAG_ADD: Endpoint = form("/group/user/gag/add.json", Idempotent)
    .serves(&[MuteGroupMembers])
    .rate(100);
/// Lift members' mutes, at most 20 per call (both group models).
pub const GAG_ROLLBACK: Endpoint = form("/group/user/gag/rollback.json", Idempotent)
    .serves(&[MuteGroupMembers])
    .rate(100);
/// The muted members of a group, all at once (both group models).
pub const GAG_LIST: Endpoint = form("/group/user/gag/list.json", Idempotent)
    .serves(&[ListMutedMembers])
    .rate(100);
/// Mute a whole group (both group models).
pub const BAN_ADD: Endpoint = form("/group/ban/add.json", Idempotent)
    .serves(&[SetGroupMuteAll])
    .rate(100);
/// Lift a whole group's mute (both group models).
pub const BAN_ROLLBACK: Endpoint = form("/group/ban/rollback.json", Idempotent)
    .serves(&[SetGroupMuteAll])
    .rate(100);
/// Create a hosted group with its owner and up to 30 members. Repeating it is harmless: the
/// same id again is refused as taken, and `create_group` then reads the group back and reports
/// success when owner and name are the ones it sent.
pub const ENTRUST_CREATE: Endpoint = form("/entrust/group/create.json", Idempotent)
    .serves(&[CreateGroup])
    .rate(100);
/// Hosted groups' profiles, at most 50 per call (also read back after a create's retry).
pub const ENTRUST_PROFILE_QUERY: Endpoint = form("/entrust/group/profile/query.json", Idempotent)
    .serves(&[GetGroups, CreateGroup])
    .rate(100);
/// Every hosted group of the app, by page token.
pub const ENTRUST_QUERY: Endpoint = form("/entrust/group/query.json", Idempotent)
    .serves(&[ListGroups])
    .rate(100);
/// Change a hosted group's name, profile and join permission.
pub const ENTRUST_PROFILE_UPDATE: Endpoint = form("/entrust/group/profile/update.json", Idempotent)
    .serves(&[UpdateGroup])
    .rate(100);
/// Dismiss a hosted group.
pub const ENTRUST_DISMISS: Endpoint = form("/entrust/group/dismiss.json", Idempotent)
    .serves(&[DismissGroup])
    .rate(100);
/// Make a member the owner of a hosted group.
pub const ENTRUST_TRANSFER_OWNER: Endpoint = form("/entrust/group/transfer/owner.json", Idempotent)
    .serves(&[TransferGroup])
    .rate(100);
/// Add users to a hosted group, at most 100 per call.
pub const ENTRUST_JOIN: Endpoint = form("/entrust/group/join.json", Idempotent)
    .serves(&[AddGroupMembers])
    .rate(100);
/// Remove users from a hosted group, at most 100 per call.
pub const ENTRUST_KICK: Endpoint = form("/entrust/group/member/kick.json", Idempotent)
    .serves(&[RemoveGroupMembers])
    .rate(100);
/// A hosted group's members with roles and join times, by page token (at most 100 a page).
pub const ENTRUST_MEMBER_QUERY: Endpoint = form("/entrust/group/member/query.json", Idempotent)
    .serves(&[ListGroupMembers])
    .rate(100);
/// The hosted groups a user belongs to, by page token (at most 100 a page).
pub const ENTRUST_JOINED_QUERY: Endpoint = form("/entrust/joined/group/query.json", Idempotent)
    .serves(&[ListJoinedGroups])
    .rate(100);
/// Send one-to-one messages to up to 1000 users (6000 messages a minute, counted per
/// recipient: 100/s, and a batch takes one per recipient from its operation's limit).
pub const PRIVATE_PUBLISH: Endpoint = form("/message/private/publish.json", NotIdempotent)
    .serves(&[SendMessage, SendBatch])
    .rate(100);
/// Send group messages (20 messages a second, counted per group).
pub const GROUP_PUBLISH: Endpoint = form("/message/group/publish.json", NotIdempotent)
    .serves(&[SendMessage])
    .rate(20);
/// Send system messages to up to 100 users (100 messages a second, counted per recipient).
pub const SYSTEM_PUBLISH: Endpoint = form("/message/system/publish.json", NotIdempotent)
    .serves(&[SendSystemMessage])
    .rate(100);
/// Recall a one-to-one, group or system message (100/s); recalling it again changes nothing.
pub const RECALL: Endpoint = form("/message/recall.json", Idempotent)
    .serves(&[RecallMessage])
    .rate(100);
/// One-to-one history (JSON body; needs the app's cloud storage). Also read after a send whose
/// answer was lost, to learn whether the vendor stored it.
pub const PRIVATE_QUERY: Endpoint = json("/v3/message/private/query.json", Idempotent)
    .serves(&[MessageHistory, SendMessage])
    .rate(100);
/// Group history (JSON body; needs the app's cloud storage). Also read after a group send
/// whose answer was lost.
pub const GROUP_QUERY: Endpoint = json("/v3/message/group/query.json", Idempotent)
    .serves(&[MessageHistory, SendMessage])
    .rate(100);

/// Set a user's tags (JSON body; `set_user_tags`).
pub const TAG_SET: Endpoint = json("/user/tag/set.json", Idempotent);
/// Users' tags (`user_tags`).
pub const TAGS_GET: Endpoint = form("/user/tags/get.json", Idempotent);

/// Every path imbridge calls or knows the body kind of, in the docs' order.
pub const CATALOGUE: Catalogue = Catalogue::new(&[
    GET_TOKEN,
    USER_INFO,
    DEACTIVATE,
    CHECK_ONLINE,
    TOKEN_EXPIRE,
    BLOCK,
    UNBLOCK,
    BLOCK_QUERY,
    REFRESH_USER,
    GROUP_CREATE,
    GROUP_USER_QUERY,
    GROUP_JOIN,
    GROUP_QUIT,
    GROUP_DISMISS,
    GROUP_REFRESH,
    USER_GROUP_QUERY,
    GAG_ADD,
    GAG_ROLLBACK,
    GAG_LIST,
    BAN_ADD,
    BAN_ROLLBACK,
    ENTRUST_CREATE,
    ENTRUST_PROFILE_QUERY,
    ENTRUST_QUERY,
    ENTRUST_PROFILE_UPDATE,
    ENTRUST_DISMISS,
    ENTRUST_TRANSFER_OWNER,
    ENTRUST_JOIN,
    ENTRUST_KICK,
    ENTRUST_MEMBER_QUERY,
    ENTRUST_JOINED_QUERY,
    PRIVATE_PUBLISH,
    GROUP_PUBLISH,
    SYSTEM_PUBLISH,
    RECALL,
    PRIVATE_QUERY,
    GROUP_QUERY,
    TAGS_GET,
    TAG_SET,
    json("/user/tag/batch/set.json", Idempotent),
    json("/message/private/publish_template.json", NotIdempotent),
    json("/message/system/publish_template.json", NotIdempotent),
    json("/message/ultragroup/publish.json", NotIdempotent),
    json("/push.json", NotIdempotent),
    json("/push/user.json", NotIdempotent),
    json("/push/custom.json", NotIdempotent),
    json("/sensitiveword/batch/add.json", Idempotent),
    json("/v3/message/ultragroup/query.json", Idempotent),
    json("/v3/message/chatroom/query.json", Idempotent),
    json("/v3/message/private/publish_stream.json", NotIdempotent),
    json("/v3/message/group/publish_stream.json", NotIdempotent),
    json("/v3/message/get_stream.json", Idempotent),
]);

/// The endpoints only one group model calls, each with its model; every other endpoint of
/// [`CATALOGUE`] serves a client in either mode (users, messages, and the mutes, which both
/// models share).
pub const GROUP_MODE_ONLY: &[(&str, GroupMode)] = &[
    (GROUP_CREATE.path, Basic),
    (GROUP_USER_QUERY.path, Basic),
    (GROUP_JOIN.path, Basic),
    (GROUP_QUIT.path, Basic),
    (GROUP_DISMISS.path, Basic),
    (GROUP_REFRESH.path, Basic),
    (USER_GROUP_QUERY.path, Basic),
    (ENTRUST_CREATE.path, Hosted),
    (ENTRUST_PROFILE_QUERY.path, Hosted),
    (ENTRUST_QUERY.path, Hosted),
    (ENTRUST_PROFILE_UPDATE.path, Hosted),
    (ENTRUST_DISMISS.path, Hosted),
    (ENTRUST_TRANSFER_OWNER.path, Hosted),
    (ENTRUST_JOIN.path, Hosted),
    (ENTRUST_KICK.path, Hosted),
    (ENTRUST_MEMBER_QUERY.path, Hosted),
    (ENTRUST_JOINED_QUERY.path, Hosted),
];

/// The only group model that calls `path`, or `None` when a client in either mode does.
pub fn group_mode_of(path: &str) -> Option<GroupMode> {
    GROUP_MODE_ONLY
        .iter()
        .find(|(p, _)| *p == path)
        .map(|(_, mode)| *mode)
}

/// Whether a client in `mode` calls `endpoint`.
pub fn serves_mode(endpoint: &Endpoint, mode: GroupMode) -> bool {
    group_mode_of(endpoint.path).is_none_or(|m| m == mode)
}

/// The operations a client in `mode` offers: those of the catalogue's endpoints it calls.
///
/// ```
/// use imbridge_core::Operation;
/// use imbridge_rongcloud::GroupMode;
/// use imbridge_rongcloud::endpoints::operations;
///
/// assert!(!operations(GroupMode::Basic).contains(Operation::GetGroups));
/// assert!(operations(GroupMode::Hosted).contains(Operation::TransferGroup));
/// assert!(operations(GroupMode::Basic).contains(Operation::MuteGroupMembers));
/// ```
pub fn operations(mode: GroupMode) -> OperationSet {
    CATALOGUE
        .endpoints()
        .iter()
        .filter(|e| serves_mode(e, mode))
        .flat_map(|e| e.operations.iter().copied())
        .fold(OperationSet::empty(), OperationSet::with)
}

/// The body kind of `path`: the catalogue's, else a form (the vendor's default).
pub fn body_kind(path: &str) -> BodyKind {
    CATALOGUE.get(path).map_or(BodyKind::Form, |e| e.body)
}

/// The path(s) behind an operation, for comparisons and logs; a send goes to the group path
/// when `to_group`.
pub fn endpoint(op: imbridge_core::Operation, to_group: bool) -> &'static str {
    match op {
        IssueToken => "/user/info.json + /user/getToken.json",
        SendMessage if to_group => GROUP_PUBLISH.path,
        _ => CATALOGUE
            .for_operation(op)
            .next()
            .map_or("(other)", |e| e.path),
    }
}
