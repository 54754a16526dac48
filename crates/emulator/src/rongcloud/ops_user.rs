//! Users: `/user/getToken.json`, `/user/refresh.json`, `/user/info.json`, tags
//! (`/user/tag/set.json`, `/user/tag/batch/set.json`, `/user/tags/get.json`), presence
//! (`/user/checkOnline.json`), token expiry (`/user/token/expire.json`), blocking
//! (`/user/block.json`, `/user/unblock.json`, `/user/block/query.json`) and deactivation
//! (`/user/deactivate.json`, `/user/deactivate/query.json`, `/user/reactivate.json`).

use serde_json::{Map, Value, json};

use super::Ctx;
use super::clock::format_create_time;
use super::form::{Form, check_bytes, check_user_id, id_list, opt_number, page_window};
use super::reply::{Fail, OpResult, echo};
use super::state::{Inner, RongCloudUser, UserOperation, deactivated_in_order};
use crate::callbacks::USER_DEACTIVATION;

/// The longest user name, in characters (documented: 64 characters, whatever the script).
const MAX_NAME_CHARS: usize = 64;
/// The longest portrait URI, in bytes (documented).
const MAX_PORTRAIT_BYTES: usize = 1024;
/// The longest user id, in bytes (documented).
const MAX_USER_ID_BYTES: usize = 64;
/// The most tags per user (documented).
const MAX_TAGS: usize = 20;
/// The longest tag, in bytes (documented).
const MAX_TAG_BYTES: usize = 40;
/// The most users in `/user/tag/batch/set.json` (documented).
const MAX_BATCH_TAG_USERS: usize = 1000;
/// The most users in `/user/tags/get.json` (documented).
const MAX_TAGS_GET_USERS: usize = 50;

/// `/user/getToken.json`: `userId`, `name`, `portraitUri`. Registers a new user; for an existing
/// user, overwrites the name, and the portrait when one is given (the vendor: "在重新获取 Token
/// 时如果传入新的数据，则会覆盖旧的名称与头像数据"). Every call issues a new token; older ones
/// stay valid (the vendor: "同一个用户 ID 可多次获取 Token").
pub(crate) fn get_token(inner: &mut Inner, ctx: &Ctx<'_>, form: &Form) -> OpResult {
    let user_id = form.required("userId", usize::MAX)?;
    check_user_id("userId", user_id)?;
    let name = form.required("name", MAX_NAME_CHARS)?;
    let portrait = form.optional("portraitUri", usize::MAX)?;
    if let Some(p) = portrait {
        check_bytes("portraitUri", p, MAX_PORTRAIT_BYTES)?;
    }
    if inner.deactivated.contains_key(user_id) {
        // The vendor: a deactivated user "can no longer get a token" (the code is unconfirmed).
        return Err(deactivated(user_id));
    }
    let token = inner.new_token(ctx.app_key);
    inner.token_issued_ms.insert(token.clone(), ctx.now_ms);
    let user = inner
        .users
        .entry(user_id.to_owned())
        .or_insert_with(|| RongCloudUser {
            id: user_id.to_owned(),
            name: String::new(),
            portrait_uri: String::new(),
            tags: Vec::new(),
            tokens: Vec::new(),
            created_at: ctx.now_ms / 1000,
        });
    user.name = name.to_owned();
    if let Some(p) = portrait {
        user.portrait_uri = p.to_owned();
    }
    user.tokens.push(token.clone());
    Ok(vec![
        ("userId", Value::from(user_id)),
        ("token", Value::from(token)),
    ])
}

/// 1002 for a deactivated user (unconfirmed: the vendor documents that such a user can no longer
/// get a token and that its profile is deleted, not the code).
fn deactivated(id: &str) -> Fail {
    Fail::param(format!(
        "user `{}` is deactivated: reactivate it with /user/reactivate.json first",
        echo(id)
    ))
}

/// The registered user `id`, or 1002 (the vendor's code for an unknown user is undocumented);
/// a deactivated user is refused the same way (its profile was deleted).
fn registered<'a>(inner: &'a mut Inner, id: &str) -> Result<&'a mut RongCloudUser, Fail> {
    if inner.deactivated.contains_key(id) {
        return Err(deactivated(id));
    }
    inner.users.get_mut(id).ok_or_else(|| {
        Fail::param(format!(
            "user `{}` does not exist: register it with /user/getToken.json first",
            echo(id)
        ))
    })
}

/// `/user/refresh.json`: `userId`, `name`, `portraitUri`; an omitted (or empty) `name` and an
/// omitted `portraitUri` leave the value unchanged; `portraitUri=` clears the portrait.
pub(crate) fn refresh(inner: &mut Inner, _ctx: &Ctx<'_>, form: &Form) -> OpResult {
    let user_id = form.required("userId", usize::MAX)?;
    check_bytes("userId", user_id, MAX_USER_ID_BYTES)?;
    let name = form
        .optional("name", MAX_NAME_CHARS)?
        .filter(|n| !n.is_empty());
    let portrait = form.optional("portraitUri", usize::MAX)?;
    if let Some(p) = portrait {
        check_bytes("portraitUri", p, MAX_PORTRAIT_BYTES)?;
    }
    let user = registered(inner, user_id)?;
    if let Some(name) = name {
        user.name = name.to_owned();
    }
    if let Some(p) = portrait {
        user.portrait_uri = p.to_owned();
    }
    Ok(Vec::new())
}

/// `/user/info.json`: `userId` → `userName`, `userPortrait`, `createTime`.
pub(crate) fn info(inner: &mut Inner, _ctx: &Ctx<'_>, form: &Form) -> OpResult {
    let user_id = form.required("userId", usize::MAX)?;
    check_bytes("userId", user_id, MAX_USER_ID_BYTES)?;
    let user = registered(inner, user_id)?;
    Ok(vec![
        ("userName", Value::from(user.name.clone())),
        ("userPortrait", Value::from(user.portrait_uri.clone())),
        (
            "createTime",
            Value::from(format_create_time(user.created_at)),
        ),
    ])
}

/// The `tags` member of a JSON body: an array of at most 20 strings of at most 40 bytes.
fn json_tags(body: &Map<String, Value>) -> Result<Vec<String>, Fail> {
    let Some(tags) = body.get("tags").filter(|v| !v.is_null()) else {
        return Err(Fail::param("`tags` is required (an array of strings)"));
    };
    let Some(tags) = tags.as_array() else {
        return Err(Fail::param("`tags` must be an array of strings"));
    };
    if tags.len() > MAX_TAGS {
        return Err(Fail::param(format!(
            "too many `tags`: {} given, at most {MAX_TAGS} per user",
            tags.len()
        )));
    }
    let mut out = Vec::with_capacity(tags.len());
    for tag in tags {
        let Some(tag) = tag.as_str() else {
            return Err(Fail::param("every tag must be a string"));
        };
        if tag.is_empty() {
            return Err(Fail::param("a tag must not be empty"));
        }
        check_bytes("tags", tag, MAX_TAG_BYTES)?;
        if !out.iter().any(|t| t == tag) {
            out.push(tag.to_owned());
        }
    }
    Ok(out)
}

/// A JSON member that must be a non-empty string no longer than 64 bytes.
fn json_user_id<'a>(value: Option<&'a Value>, name: &str) -> Result<&'a str, Fail> {
    match value {
        Some(Value::String(s)) if !s.is_empty() => {
            check_bytes(name, s, MAX_USER_ID_BYTES)?;
            Ok(s)
        }
        Some(Value::String(_)) | None | Some(Value::Null) => {
            Err(Fail::param(format!("`{name}` is required")))
        }
        Some(_) => Err(Fail::param(format!("`{name}` must be a string"))),
    }
}

fn set_tags(inner: &mut Inner, user_id: &str, tags: Vec<String>) {
    if tags.is_empty() {
        inner.tags.remove(user_id);
    } else {
        inner.tags.insert(user_id.to_owned(), tags);
    }
}

/// `/user/tag/set.json` (JSON): `{"userId":"..","tags":[..]}`; replaces the user's tags, an
/// empty array clears them. Users need not be registered (undocumented either way).
pub(crate) fn tag_set(inner: &mut Inner, _ctx: &Ctx<'_>, body: &Map<String, Value>) -> OpResult {
    let user_id = json_user_id(body.get("userId"), "userId")?;
    let tags = json_tags(body)?;
    set_tags(inner, user_id, tags);
    Ok(Vec::new())
}

/// `/user/tag/batch/set.json` (JSON): `{"userIds":[..],"tags":[..]}` (at most 1000 users).
pub(crate) fn tag_batch_set(
    inner: &mut Inner,
    _ctx: &Ctx<'_>,
    body: &Map<String, Value>,
) -> OpResult {
    let ids = match body.get("userIds").filter(|v| !v.is_null()) {
        None => return Err(Fail::param("`userIds` is required (an array of user ids)")),
        Some(Value::Array(ids)) => ids,
        Some(_) => return Err(Fail::param("`userIds` must be an array of user ids")),
    };
    if ids.is_empty() {
        return Err(Fail::param("`userIds` must not be empty"));
    }
    if ids.len() > MAX_BATCH_TAG_USERS {
        return Err(Fail::param(format!(
            "too many `userIds`: {} given, at most {MAX_BATCH_TAG_USERS}",
            ids.len()
        )));
    }
    let ids = ids
        .iter()
        .map(|v| json_user_id(Some(v), "userIds"))
        .collect::<Result<Vec<&str>, Fail>>()?;
    let tags = json_tags(body)?;
    for id in ids {
        set_tags(inner, id, tags.clone());
    }
    Ok(Vec::new())
}

/// `/user/tags/get.json` (form): `userIds` repeated (at most 50) → `result` {id: [tags]}; every
/// requested id is in `result`, with `[]` when it has no tags (unconfirmed).
pub(crate) fn tags_get(inner: &mut Inner, _ctx: &Ctx<'_>, form: &Form) -> OpResult {
    let ids = form.required_list("userIds", MAX_TAGS_GET_USERS, usize::MAX)?;
    let mut result = Map::new();
    for id in ids {
        check_bytes("userIds", &id, MAX_USER_ID_BYTES)?;
        let tags = inner.tags.get(&id).cloned().unwrap_or_default();
        result.insert(id, Value::from(tags));
    }
    Ok(vec![("result", Value::Object(result))])
}

/// The most users in `/user/block.json`, `/user/unblock.json` and `/user/token/expire.json`
/// (documented).
const MAX_USERS_20: usize = 20;
/// The most users in `/user/deactivate.json` and `/user/reactivate.json` (documented for
/// reactivation; the same is assumed for deactivation).
const MAX_USERS_100: usize = 100;
/// The longest block, in minutes (30 days, documented).
const MAX_BLOCK_MINUTES: u64 = 43_200;
/// What `/user/block/query.json` answers without `page` (documented: the first 1000).
const BLOCK_QUERY_UNPAGED: usize = 1000;
/// The default and largest `size` of `/user/block/query.json` with `page` (unconfirmed).
const BLOCK_QUERY_DEFAULT_SIZE: usize = 50;
const BLOCK_QUERY_MAX_SIZE: usize = 1000;
/// The default and largest `pageSize` of `/user/deactivate/query.json` (documented).
const DEACTIVATE_QUERY_MAX_SIZE: usize = 50;

/// The user ids of `userId` (see [`id_list`]).
fn user_list(form: &Form, max: usize) -> Result<Vec<String>, Fail> {
    id_list(form, "userId", max, MAX_USER_ID_BYTES)
}

/// `/user/checkOnline.json`: `userId` → `status` `"1"` (online) or `"0"` (offline). Blocked
/// and deactivated users are offline; an id never registered is offline too (unconfirmed: the
/// vendor does not say).
pub(crate) fn check_online(inner: &mut Inner, ctx: &Ctx<'_>, form: &Form) -> OpResult {
    let user_id = form.required("userId", usize::MAX)?;
    check_bytes("userId", user_id, MAX_USER_ID_BYTES)?;
    let status = if inner.is_online(user_id, ctx.now_ms) {
        "1"
    } else {
        "0"
    };
    Ok(vec![("status", Value::from(status))])
}

/// `/user/token/expire.json`: `userId` (at most 20), `time` (Unix milliseconds, required):
/// tokens of these users issued before `time` stop working. Connections are not dropped (the
/// vendor: connected users stay connected until they reconnect), so presence is unchanged.
pub(crate) fn token_expire(inner: &mut Inner, _ctx: &Ctx<'_>, form: &Form) -> OpResult {
    let users = user_list(form, MAX_USERS_20)?;
    let time = match opt_number(form, "time")? {
        Some(t) if t > 0 => t,
        _ => {
            return Err(Fail::param(
                "`time` is required: a Unix timestamp in milliseconds",
            ));
        }
    };
    for user in users {
        inner.token_expiry_ms.insert(user, time);
    }
    Ok(Vec::new())
}

/// `/user/block.json`: `userId` (at most 20), `minute` (1 to 43200, required). Blocked users are
/// disconnected at once (they read as offline) and cannot connect until the block ends; a new
/// block replaces an earlier one. Users need not be registered (unconfirmed).
pub(crate) fn block(inner: &mut Inner, ctx: &Ctx<'_>, form: &Form) -> OpResult {
    let users = user_list(form, MAX_USERS_20)?;
    let minute = match opt_number(form, "minute")? {
        Some(m) if (1..=MAX_BLOCK_MINUTES).contains(&m) => m,
        Some(m) => {
            return Err(Fail::param(format!(
                "`minute` must be between 1 and {MAX_BLOCK_MINUTES} (30 days), not {m}"
            )));
        }
        None => {
            return Err(Fail::param(format!(
                "`minute` is required: the block's length, 1 to {MAX_BLOCK_MINUTES} minutes"
            )));
        }
    };
    let end = ctx.now_ms.saturating_add(minute.saturating_mul(60_000));
    for user in users {
        inner.presence.remove(&user);
        inner.blocked.insert(user, end);
    }
    Ok(Vec::new())
}

/// `/user/unblock.json`: `userId` (at most 20); users that are not blocked are ignored.
pub(crate) fn unblock(inner: &mut Inner, _ctx: &Ctx<'_>, form: &Form) -> OpResult {
    for user in user_list(form, MAX_USERS_20)? {
        inner.blocked.remove(&user);
    }
    Ok(Vec::new())
}

/// `/user/block/query.json`: optional `page` (from 1) and `size` → `users`
/// [{`userId`, `blockEndTime` "YYYY-MM-DD HH:MM:SS"}], ordered by user id. Without `page`, the
/// first 1000 (documented); with it, `size` per page (default 50, at most 1000; unconfirmed).
/// An empty body is accepted (official SDKs send none).
pub(crate) fn block_query(inner: &mut Inner, ctx: &Ctx<'_>, form: &Form) -> OpResult {
    let now = ctx.now_ms;
    inner.blocked.retain(|_, end| *end > now);
    let (skip, take) = if form.first("page").is_none_or(|p| p.trim().is_empty()) {
        (0, BLOCK_QUERY_UNPAGED)
    } else {
        page_window(
            form,
            ("page", "size"),
            BLOCK_QUERY_DEFAULT_SIZE,
            BLOCK_QUERY_MAX_SIZE,
        )?
    };
    let users: Vec<Value> = inner
        .blocked
        .iter()
        .skip(skip)
        .take(take)
        .map(|(id, end)| json!({"userId": id, "blockEndTime": format_create_time(end / 1000)}))
        .collect();
    Ok(vec![("users", Value::Array(users))])
}

/// Queues one deactivation callback per user: form fields `userId`, `operateId`, `type` (0
/// deactivate, 1 reactivate), `code` (`"0"` = success), `time` (Unix milliseconds).
fn raise_user_operation(inner: &mut Inner, operation: &UserOperation) {
    let kind = if operation.kind == "deactivate" {
        "0"
    } else {
        "1"
    };
    for user in &operation.user_ids {
        inner.outbox.push((
            USER_DEACTIVATION,
            vec![
                ("userId", user.clone()),
                ("operateId", operation.operate_id.clone()),
                ("type", kind.to_owned()),
                ("code", "0".to_owned()),
                ("time", operation.at_ms.to_string()),
            ],
        ));
    }
}

/// Records a deactivation or reactivation (`kind`) of `users`, raises its callbacks and answers
/// its fresh `operateId`.
fn operate(inner: &mut Inner, ctx: &Ctx<'_>, kind: &'static str, users: Vec<String>) -> OpResult {
    let operate_id = inner.new_message_uid();
    let operation = UserOperation {
        operate_id: operate_id.clone(),
        kind,
        user_ids: users,
        at_ms: ctx.now_ms,
    };
    raise_user_operation(inner, &operation);
    inner.operations.push(operation);
    Ok(vec![("operateId", Value::from(operate_id))])
}

/// `/user/deactivate.json`: `userId` (at most 100, repeated or comma-separated) →
/// `operateId`. Asynchronous at the vendor (results within 15 minutes, through the
/// deactivation callback); the emulator deactivates at once and calls back right after
/// answering. A deactivated user is disconnected, its name, portrait, tags, block and token
/// expiry are deleted (its group memberships stay, as at the vendor), it can get no token and
/// `/user/info.json` no longer finds it.
pub(crate) fn deactivate(inner: &mut Inner, ctx: &Ctx<'_>, form: &Form) -> OpResult {
    let users = user_list(form, MAX_USERS_100)?;
    for user in &users {
        inner.presence.remove(user);
        inner.blocked.remove(user);
        inner.tags.remove(user);
        inner.token_expiry_ms.remove(user);
        if let Some(record) = inner.users.get_mut(user) {
            record.name.clear();
            record.portrait_uri.clear();
        }
        inner.deactivated.entry(user.clone()).or_insert(ctx.now_ms);
    }
    operate(inner, ctx, "deactivate", users)
}

/// `/user/reactivate.json`: `userId` (at most 100, repeated or comma-separated) →
/// `operateId`; the users can get tokens again (their deleted data is not restored). The
/// vendor's one-hour wait after a deactivation is not enforced.
pub(crate) fn reactivate(inner: &mut Inner, ctx: &Ctx<'_>, form: &Form) -> OpResult {
    let users = user_list(form, MAX_USERS_100)?;
    for user in &users {
        inner.deactivated.remove(user);
    }
    operate(inner, ctx, "reactivate", users)
}

/// `/user/deactivate/query.json`: `pageNo` (from 1, default 1), `pageSize` (1 to 50, default
/// 50) → `users` [user ids] in deactivation order. An empty body is accepted (both parameters
/// are optional).
pub(crate) fn deactivate_query(inner: &mut Inner, _ctx: &Ctx<'_>, form: &Form) -> OpResult {
    let (skip, size) = page_window(
        form,
        ("pageNo", "pageSize"),
        DEACTIVATE_QUERY_MAX_SIZE,
        DEACTIVATE_QUERY_MAX_SIZE,
    )?;
    let users: Vec<Value> = deactivated_in_order(inner)
        .into_iter()
        .skip(skip)
        .take(size)
        .map(Value::from)
        .collect();
    Ok(vec![("users", Value::Array(users))])
}
