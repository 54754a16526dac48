//! Checks run before anything is sent, with the vendor's documented limits. Options RongCloud
//! does not have are refused as [`ErrorKind::Unsupported`] rather than silently dropped.

use std::time::Duration;

use imbridge_core::{
    CreateGroup, Error, ErrorKind, GroupKind, IssueToken, MessageContent, NewUser, Recipient,
    RegisterUser, Result, SendMessage, SetProfile, UpdateGroup, Vendor, check,
};

use crate::GroupMode;

/// Longest user id, in bytes.
pub const MAX_USER_ID_BYTES: usize = 64;
/// Longest user name, in characters.
pub const MAX_NAME_CHARS: usize = 64;
/// Longest portrait URI, in bytes.
pub const MAX_PORTRAIT_BYTES: usize = 1024;
/// Longest group id, in bytes.
pub const MAX_GROUP_ID_BYTES: usize = 64;
/// Longest group name of a basic group, in characters.
pub const MAX_GROUP_NAME_CHARS: usize = 128;
/// Longest group name of a hosted group, in characters.
pub const MAX_HOSTED_GROUP_NAME_CHARS: usize = 64;
/// Longest hosted group introduction, in characters.
pub const MAX_INTRODUCTION_CHARS: usize = 512;
/// Longest hosted group announcement (imbridge's notification), in characters.
pub const MAX_ANNOUNCEMENT_CHARS: usize = 1024;
/// Longest hosted group avatar URL (`portraitUrl`), in characters.
pub const MAX_GROUP_PORTRAIT_CHARS: usize = 128;
/// Most members, besides the owner, of one hosted group creation (`userIds`).
pub const MAX_HOSTED_INITIAL_MEMBERS: usize = 30;
/// Most users of one hosted join or kick call; longer lists are split.
pub const MAX_HOSTED_MEMBERS_PER_CALL: usize = 100;
/// Most groups of one `/entrust/group/profile/query.json` call; longer lists are split.
pub const MAX_PROFILE_QUERY: usize = 50;
/// Most users of one `/group/user/gag/add.json` or `rollback.json` call; longer lists are split.
pub const MAX_GAG_USERS: usize = 20;
/// Most members of a group (basic groups; the listing's largest page).
pub const MAX_GROUP_MEMBERS: u32 = 3000;
/// Largest page of `/user/group/query.json` and `/entrust/group/query.json`.
pub const MAX_GROUP_PAGE: u32 = 1000;
/// Largest page of `/entrust/group/member/query.json` and `/entrust/joined/group/query.json`.
pub const MAX_HOSTED_MEMBER_PAGE: u32 = 100;
/// The longest member mute: 43 200 minutes (30 days).
pub const MAX_MUTE: Duration = Duration::from_secs(43_200 * 60);
/// Most user ids in one call.
pub const MAX_USERS_PER_CALL: usize = 1000;
/// Largest message `content` (the JSON string), in bytes.
pub const MAX_CONTENT_BYTES: usize = 128 * 1024;
/// Longest message type name (`objectName`), in characters.
pub const MAX_OBJECT_NAME_CHARS: usize = 32;
/// Most tags per user.
pub const MAX_TAGS: usize = 20;
/// Longest tag, in characters.
pub const MAX_TAG_CHARS: usize = 40;
/// Most users of one `/user/block.json`, `/user/unblock.json` or `/user/token/expire.json`
/// call; longer lists are split.
pub const MAX_BLOCK_USERS: usize = 20;
/// Most users of one `/user/tags/get.json` call.
pub const MAX_TAG_QUERY: usize = 50;
/// Most users of one `/user/deactivate.json` call; longer lists are split.
pub const MAX_DEACTIVATE_USERS: usize = 100;
/// The longest login ban: 43 200 minutes (30 days); the vendor has no permanent ban.
pub const MAX_BAN: Duration = Duration::from_secs(43_200 * 60);
/// Most banned users one `/user/block/query.json` page holds, as imbridge asks for them.
pub const MAX_BLOCK_PAGE: u32 = 1000;

/// A list of user ids for a batch call: the shared rules, then each id's.
pub(crate) fn user_ids(field: &'static str, ids: &[String]) -> Result<()> {
    check::ids_each(field, ids, user_id)
}

pub(crate) fn new_users(users: &[NewUser]) -> Result<()> {
    let ids: Vec<String> = users.iter().map(|u| u.user_id.clone()).collect();
    user_ids("users", &ids)?;
    for u in users {
        u.nickname
            .as_deref()
            .map_or(Ok(()), |n| name("nickname", n))?;
        u.avatar_url
            .as_deref()
            .map_or(Ok(()), |p| portrait("avatar_url", p))?;
    }
    Ok(())
}

/// A ban's length in whole minutes, 1 to 43 200: what the vendor can express.
pub(crate) fn ban_minutes(duration: Duration) -> Result<u32> {
    minutes(duration, MAX_BAN, "ban")
}

/// A member mute's length in whole minutes, 1 to 43 200 (a zero duration unmutes instead).
pub(crate) fn mute_minutes(duration: Duration) -> Result<u32> {
    minutes(duration, MAX_MUTE, "mute")
}

fn minutes(duration: Duration, max: Duration, what: &str) -> Result<u32> {
    let secs = duration.as_secs();
    if duration.subsec_nanos() != 0 || !secs.is_multiple_of(60) || secs == 0 {
        return Err(Error::invalid_input(
            "duration",
            format!(
                "must be a whole number of minutes, at least one: RongCloud sets a {what} by the minute"
            ),
        ));
    }
    if duration > max {
        return Err(Error::invalid_input(
            "duration",
            format!(
                "is longer than RongCloud's {} minutes; it has no permanent {what}",
                max.as_secs() / 60
            ),
        ));
    }
    u32::try_from(secs / 60).map_err(|_| Error::invalid_input("duration", "is too long"))
}

fn unsupported(field: &'static str, what: &str) -> Error {
    Error::new(
        ErrorKind::Unsupported,
        format!("`{field}`: RongCloud has no {what}"),
    )
    .with_vendor(Vendor::RongCloud)
}

fn id_chars_ok(id: &str) -> bool {
    id.bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'=' | b'-' | b'_'))
}

/// A user id: 1–64 bytes of letters, digits, `+ = - _`.
pub fn user_id(field: &'static str, id: &str) -> Result<()> {
    identifier(field, id, MAX_USER_ID_BYTES)
}

/// A group id: 1–64 bytes of letters, digits, `+ = - _`.
pub fn group_id(field: &'static str, id: &str) -> Result<()> {
    identifier(field, id, MAX_GROUP_ID_BYTES)
}

fn identifier(field: &'static str, id: &str, max: usize) -> Result<()> {
    if id.is_empty() {
        return Err(Error::invalid_input(field, "must not be empty"));
    }
    if id.len() > max {
        return Err(Error::invalid_input(
            field,
            format!("is {} bytes; RongCloud allows at most {max}", id.len()),
        ));
    }
    if !id_chars_ok(id) {
        return Err(Error::invalid_input(
            field,
            "may only hold letters, digits and `+ = - _`",
        ));
    }
    Ok(())
}

fn max_chars(field: &'static str, value: &str, max: usize) -> Result<()> {
    let n = value.chars().count();
    if n > max {
        return Err(Error::invalid_input(
            field,
            format!("is {n} characters; RongCloud allows at most {max}"),
        ));
    }
    Ok(())
}

fn name(field: &'static str, value: &str) -> Result<()> {
    if value.trim().is_empty() {
        return Err(Error::invalid_input(field, "must not be blank"));
    }
    max_chars(field, value, MAX_NAME_CHARS)
}

fn portrait(field: &'static str, value: &str) -> Result<()> {
    if value.len() > MAX_PORTRAIT_BYTES {
        return Err(Error::invalid_input(
            field,
            format!(
                "is {} bytes; RongCloud allows at most {MAX_PORTRAIT_BYTES}",
                value.len()
            ),
        ));
    }
    Ok(())
}

pub(crate) fn register(req: &RegisterUser) -> Result<()> {
    user_id("user_id", &req.user_id)?;
    if req.token_ttl.is_some() {
        return Err(unsupported(
            "token_ttl",
            "per-token lifetime (set it in the console)",
        ));
    }
    req.nickname
        .as_deref()
        .map_or(Ok(()), |n| name("nickname", n))?;
    req.avatar_url
        .as_deref()
        .map_or(Ok(()), |p| portrait("avatar_url", p))
}

pub(crate) fn issue_token(req: &IssueToken) -> Result<()> {
    user_id("user_id", &req.user_id)?;
    if req.ttl.is_some() {
        return Err(unsupported(
            "ttl",
            "per-token lifetime (set it in the console)",
        ));
    }
    Ok(())
}

pub(crate) fn profile(req: &SetProfile) -> Result<()> {
    user_id("user_id", &req.user_id)?;
    if req.has_extended_fields() {
        return Err(unsupported(
            "profile",
            "profile fields beyond nickname and avatar",
        ));
    }
    if !req.custom.is_empty() {
        return Err(unsupported("custom", "custom profile fields"));
    }
    if req.nickname.is_none() && req.avatar_url.is_none() {
        return Err(Error::invalid_input(
            "profile",
            "sets no field; give a nickname or an avatar",
        ));
    }
    req.nickname
        .as_deref()
        .map_or(Ok(()), |n| name("nickname", n))?;
    req.avatar_url
        .as_deref()
        .map_or(Ok(()), |p| portrait("avatar_url", p))
}

/// A group creation in `mode`: a basic group takes a name and 1 to 1000 users (owner and
/// members) and nothing else; a hosted group needs an owner, takes up to 30 members besides
/// it, a name of up to 64 characters and the profile fields the service keeps.
pub(crate) fn create_group(req: &CreateGroup, mode: GroupMode) -> Result<()> {
    if req.kind != GroupKind::Public {
        return Err(unsupported(
            "kind",
            "group kinds other than the default (Public)",
        ));
    }
    if req.max_members.is_some() {
        return Err(unsupported("max_members", "per-group member limit"));
    }
    if mode == GroupMode::Basic {
        hosted_only(&[
            ("introduction", req.introduction.is_some()),
            ("notification", req.notification.is_some()),
            ("avatar_url", req.avatar_url.is_some()),
        ])?;
    }
    group_name(&req.name, mode)?;
    if let Some(id) = &req.group_id {
        group_id("group_id", id)?;
    }
    if let Some(owner) = &req.owner {
        user_id("owner", owner)?;
    }
    for m in &req.members {
        user_id("members", m)?;
    }
    match mode {
        GroupMode::Basic => basic_create_users(req),
        GroupMode::Hosted => {
            if req.owner.is_none() {
                return Err(Error::invalid_input(
                    "owner",
                    "is required: RongCloud's hosted groups are created with their owner",
                ));
            }
            let members = req
                .members
                .iter()
                .filter(|m| Some(*m) != req.owner.as_ref())
                .collect::<std::collections::HashSet<_>>()
                .len();
            if members > MAX_HOSTED_INITIAL_MEMBERS {
                return Err(Error::invalid_input(
                    "members",
                    format!(
                        "has {members} members besides the owner; RongCloud's hosted groups take at most {MAX_HOSTED_INITIAL_MEMBERS} at creation (add the rest with add_group_members)"
                    ),
                ));
            }
            hosted_profile(
                req.introduction.as_deref(),
                req.notification.as_deref(),
                req.avatar_url.as_deref(),
            )
        }
    }
}

/// Refuses, in basic groups, a field set (`true`) that only hosted groups keep.
fn hosted_only(fields: &[(&'static str, bool)]) -> Result<()> {
    match fields.iter().find(|(_, set)| *set) {
        Some((field, _)) => Err(unsupported(
            field,
            "such group field in basic groups, which keep a name only (the profile-hosting \
             service, group_mode = \"hosted\", keeps it)",
        )),
        None => Ok(()),
    }
}

fn basic_create_users(req: &CreateGroup) -> Result<()> {
    if req.members.len() > MAX_USERS_PER_CALL - 1 {
        return Err(Error::invalid_input(
            "members",
            format!(
                "has {} members; RongCloud takes at most {} besides the owner ({MAX_USERS_PER_CALL} users in all)",
                req.members.len(),
                MAX_USERS_PER_CALL - 1
            ),
        ));
    }
    let users = req.owner.iter().chain(&req.members).count();
    if users == 0 {
        return Err(Error::invalid_input(
            "members",
            "RongCloud needs at least one user: give an owner or members",
        ));
    }
    if users > MAX_USERS_PER_CALL {
        return Err(Error::invalid_input(
            "members",
            format!(
                "has {users} users with the owner; RongCloud takes at most {MAX_USERS_PER_CALL}"
            ),
        ));
    }
    Ok(())
}

/// A group name: not blank, within the mode's length.
fn group_name(name: &str, mode: GroupMode) -> Result<()> {
    if name.trim().is_empty() {
        return Err(Error::invalid_input("name", "must not be blank"));
    }
    let max = match mode {
        GroupMode::Basic => MAX_GROUP_NAME_CHARS,
        GroupMode::Hosted => MAX_HOSTED_GROUP_NAME_CHARS,
    };
    max_chars("name", name, max)
}

/// The hosted profile fields within the service's lengths.
fn hosted_profile(
    introduction: Option<&str>,
    notification: Option<&str>,
    avatar_url: Option<&str>,
) -> Result<()> {
    for (field, value, max) in [
        ("introduction", introduction, MAX_INTRODUCTION_CHARS),
        ("notification", notification, MAX_ANNOUNCEMENT_CHARS),
        ("avatar_url", avatar_url, MAX_GROUP_PORTRAIT_CHARS),
    ] {
        if let Some(value) = value {
            max_chars(field, value, max)?;
        }
    }
    Ok(())
}

/// A group change in `mode`: basic groups change their push name only; hosted groups their
/// name, profile and join option, not a member limit.
pub(crate) fn update_group(req: &UpdateGroup, mode: GroupMode) -> Result<()> {
    group_id("group_id", &req.group_id)?;
    if req.is_empty() {
        return Err(Error::invalid_input(
            "group",
            "changes nothing; set a name or another field",
        ));
    }
    if req.max_members.is_some() {
        return Err(unsupported("max_members", "per-group member limit"));
    }
    if mode == GroupMode::Basic {
        hosted_only(&[
            ("introduction", req.introduction.is_some()),
            ("notification", req.notification.is_some()),
            ("avatar_url", req.avatar_url.is_some()),
            ("join_option", req.join_option.is_some()),
        ])?;
    }
    if let Some(name) = &req.name {
        group_name(name, mode)?;
    }
    hosted_profile(
        req.introduction.as_deref(),
        req.notification.as_deref(),
        req.avatar_url.as_deref(),
    )
}

/// A custom message type name: 1–32 characters of letters, digits and `: _ - .`, with a `:`,
/// not in the vendor's reserved `RC:` namespace.
pub fn object_name(field: &'static str, name: &str) -> Result<()> {
    let ok_chars = name
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b':' | b'_' | b'-' | b'.'));
    if name.is_empty()
        || name.chars().count() > MAX_OBJECT_NAME_CHARS
        || !ok_chars
        || !name.contains(':')
    {
        return Err(Error::invalid_input(
            field,
            format!(
                "`{name}` must look like `App:Name`: 1 to {MAX_OBJECT_NAME_CHARS} letters, digits and `: _ - .`"
            ),
        ));
    }
    if name.starts_with("RC:") {
        return Err(Error::invalid_input(
            field,
            format!("`{name}` is in the vendor's reserved `RC:` namespace"),
        ));
    }
    Ok(())
}

pub(crate) fn send_message(req: &SendMessage) -> Result<()> {
    user_id("from", &req.from)?;
    match &req.to {
        Recipient::User(to) => {
            user_id("to", to)?;
            if !req.mentions.is_empty() || req.mention_all {
                return Err(Error::invalid_input(
                    "mentions",
                    "are for group messages; a one-to-one message mentions no one",
                ));
            }
        }
        Recipient::Group(gid) => group_id("to", gid)?,
        _ => {
            return Err(Error::invalid_input(
                "to",
                "is a recipient kind this backend does not know",
            ));
        }
    }
    for m in &req.mentions {
        user_id("mentions", m)?;
    }
    content(&req.content)
}

/// The content kinds' own rules: text not empty, a custom type name the vendor accepts.
pub(crate) fn content(content: &MessageContent) -> Result<()> {
    match content {
        MessageContent::Text(t) if t.is_empty() => {
            Err(Error::invalid_input("content", "text must not be empty"))
        }
        MessageContent::Custom(p) => p
            .message_type
            .as_deref()
            .map_or(Ok(()), |n| object_name("content", n)),
        MessageContent::Image(i) if i.url.is_empty() => {
            Err(Error::invalid_input("content", "an image needs its URL"))
        }
        MessageContent::File(f) if f.url.is_empty() || f.name.is_empty() => Err(
            Error::invalid_input("content", "a file needs its URL and its name"),
        ),
        MessageContent::Sound(m) | MessageContent::Video(m) if m.url.is_empty() => {
            Err(Error::invalid_input("content", "a clip needs its URL"))
        }
        MessageContent::Location(l)
            if !(-90.0..=90.0).contains(&l.latitude)
                || !(-180.0..=180.0).contains(&l.longitude) =>
        {
            Err(Error::invalid_input(
                "content",
                "a location needs a latitude within ±90 and a longitude within ±180",
            ))
        }
        _ => Ok(()),
    }
}

/// A send to many users: the sender (when given), 1 or more recipients, the content.
pub(crate) fn send_to_users(
    from: Option<&str>,
    to: &[String],
    body: &MessageContent,
) -> Result<()> {
    if let Some(from) = from {
        user_id("from", from)?;
    }
    user_ids("to", to)?;
    content(body)
}

/// The encoded `content` must fit the vendor's limit.
pub(crate) fn content_size(content: &str) -> Result<()> {
    if content.len() > MAX_CONTENT_BYTES {
        return Err(Error::invalid_input(
            "content",
            format!(
                "is {} bytes encoded; RongCloud allows at most {MAX_CONTENT_BYTES}",
                content.len()
            ),
        ));
    }
    Ok(())
}

pub(crate) fn tags(tags: &[String]) -> Result<()> {
    if tags.len() > MAX_TAGS {
        return Err(Error::invalid_input(
            "tags",
            format!(
                "has {} tags; RongCloud allows at most {MAX_TAGS}",
                tags.len()
            ),
        ));
    }
    for t in tags {
        if t.is_empty() {
            return Err(Error::invalid_input("tags", "a tag must not be empty"));
        }
        max_chars("tags", t, MAX_TAG_CHARS)?;
    }
    Ok(())
}
