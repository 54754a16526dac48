//! Users: `/user/getToken.json`, `/user/refresh.json`, `/user/info.json`, and tags
//! (`/user/tag/set.json`, `/user/tag/batch/set.json`, `/user/tags/get.json`).

use serde_json::{Map, Value};

use super::Ctx;
use super::clock::format_create_time;
use super::form::{Form, check_bytes, check_user_id};
use super::reply::{Fail, OpResult, echo};
use super::state::{Inner, RongCloudUser};

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
    let token = inner.new_token(ctx.app_key);
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

/// The registered user `id`, or 1002 (the vendor's code for an unknown user is undocumented).
fn registered<'a>(inner: &'a mut Inner, id: &str) -> Result<&'a mut RongCloudUser, Fail> {
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
