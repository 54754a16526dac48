//! The Server API paths imbridge calls, listed once: the operations each serves, whether it may
//! be repeated, the vendor's documented rate and its body kind. Default rate limits, the
//! supported operations, body kinds and the table in `docs/mapping.md` are derived from
//! [`CATALOGUE`]. Paths with a JSON body that only [`call_json`](crate::RongCloudClient::call_json)
//! or vendor-specific methods reach are listed too, without an operation.

use imbridge_core::Operation::*;
use imbridge_core::catalogue::{BodyKind, Catalogue, Endpoint};
use imbridge_core::policy::Idempotency::{self, Idempotent, NotIdempotent};

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
/// Create a group with its users (100/s); the same id with the same users again is harmless.
pub const GROUP_CREATE: Endpoint = form("/group/create.json", Idempotent)
    .serves(&[CreateGroup])
    .rate(100);
/// A group's members (used to refuse taken group ids).
pub const GROUP_USER_QUERY: Endpoint = form("/group/user/query.json", Idempotent)
    .serves(&[CreateGroup])
    .rate(100);
/// Send one-to-one messages (6000 messages a minute, counted per recipient).
pub const PRIVATE_PUBLISH: Endpoint = form("/message/private/publish.json", NotIdempotent)
    .serves(&[SendMessage])
    .rate(100);
/// Send group messages (20 messages a second, counted per group).
pub const GROUP_PUBLISH: Endpoint = form("/message/group/publish.json", NotIdempotent)
    .serves(&[SendMessage])
    .rate(20);

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
    PRIVATE_PUBLISH,
    GROUP_PUBLISH,
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
    json("/v3/message/private/query.json", Idempotent),
    json("/v3/message/group/query.json", Idempotent),
    json("/v3/message/ultragroup/query.json", Idempotent),
    json("/v3/message/chatroom/query.json", Idempotent),
    json("/v3/message/private/publish_stream.json", NotIdempotent),
    json("/v3/message/group/publish_stream.json", NotIdempotent),
    json("/v3/message/get_stream.json", Idempotent),
]);

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
