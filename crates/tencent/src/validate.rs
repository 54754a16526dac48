//! Checks run before anything is sent, with the vendor's documented limits.
//!
//! Each failure is an [`ErrorKind::InvalidInput`](imbridge_core::ErrorKind::InvalidInput) error
//! naming the request field and the limit.

use imbridge_core::{
    CreateGroup, Error, GroupKind, MessageContent, NewUser, ProfileValue, Recipient, RegisterUser,
    Result, SendMessage, SetProfile, check,
};

/// Longest UserID, in bytes.
pub const MAX_USER_ID_BYTES: usize = 32;
/// Longest nickname, avatar URL and signature, in bytes.
pub const MAX_PROFILE_TEXT_BYTES: usize = 500;
/// Longest location, in bytes.
pub const MAX_LOCATION_BYTES: usize = 16;
/// Longest custom profile field name (letters only), in bytes.
pub const MAX_CUSTOM_TAG_BYTES: usize = 8;
/// Longest group name, in bytes.
pub const MAX_GROUP_NAME_BYTES: usize = 30;
/// Longest group introduction, in bytes.
pub const MAX_GROUP_INTRO_BYTES: usize = 240;
/// Longest group notification, in bytes.
pub const MAX_GROUP_NOTIFICATION_BYTES: usize = 300;
/// Longest group avatar URL, in bytes.
pub const MAX_GROUP_FACE_URL_BYTES: usize = 100;
/// Longest group id, in bytes.
pub const MAX_GROUP_ID_BYTES: usize = 48;
/// Most initial members of one create-group call.
pub const MAX_INITIAL_MEMBERS: usize = 500;
/// Largest message, in bytes of the `MsgBody` JSON (the vendor's 12 KB limit).
pub const MAX_MESSAGE_BYTES: usize = 12 * 1024;
/// Most accounts of one `multiaccount_import`, `account_delete`, `account_check` or
/// `portrait_get` call; longer lists are split.
pub const MAX_ACCOUNTS_PER_CALL: usize = 100;
/// Most accounts of one `query_online_status` call; longer lists are split.
pub const MAX_ONLINE_QUERY: usize = 500;
/// Most groups of one `get_group_info` call; longer lists are split.
pub const MAX_GROUP_INFO: usize = 50;
/// Most members of one `add_group_member` call; longer lists are split.
pub const MAX_ADD_MEMBERS: usize = 300;
/// Most members of one `delete_group_member` call, as imbridge splits them (the vendor's
/// limit is not documented).
pub const MAX_REMOVE_MEMBERS: usize = 100;
/// Most members of one `forbid_send_msg` call; longer lists are split.
pub const MAX_MUTE_MEMBERS: usize = 500;
/// Most group ids per `get_appid_group_list` page.
pub const MAX_GROUP_LIST_PAGE: u32 = 10_000;
/// Most members per `get_group_member_info` page.
pub const MAX_MEMBER_PAGE: u32 = 6_000;

/// The prefix of server-generated group ids, which callers may not use (Community ids use `@TGS#_`).
const SERVER_GROUP_ID_PREFIX: &str = "@TGS#";
const COMMUNITY_GROUP_ID_PREFIX: &str = "@TGS#_";

pub(crate) fn user_id(field: &'static str, id: &str) -> Result<()> {
    if id.is_empty() {
        return Err(Error::invalid_input(field, "must not be empty"));
    }
    if id.len() > MAX_USER_ID_BYTES {
        return Err(Error::invalid_input(
            field,
            format!(
                "is {} bytes; Tencent allows at most {MAX_USER_ID_BYTES}",
                id.len()
            ),
        ));
    }
    if id.chars().any(char::is_control) {
        return Err(Error::invalid_input(
            field,
            "must not contain control characters",
        ));
    }
    Ok(())
}

fn max_bytes(field: &'static str, value: &str, max: usize) -> Result<()> {
    if value.len() > max {
        return Err(Error::invalid_input(
            field,
            format!("is {} bytes; Tencent allows at most {max}", value.len()),
        ));
    }
    Ok(())
}

fn opt_max_bytes(field: &'static str, value: Option<&str>, max: usize) -> Result<()> {
    value.map_or(Ok(()), |v| max_bytes(field, v, max))
}

pub(crate) fn register(req: &RegisterUser) -> Result<()> {
    user_id("user_id", &req.user_id)?;
    opt_max_bytes("nickname", req.nickname.as_deref(), MAX_PROFILE_TEXT_BYTES)?;
    opt_max_bytes(
        "avatar_url",
        req.avatar_url.as_deref(),
        MAX_PROFILE_TEXT_BYTES,
    )
}

/// A list of user ids for a batch call: the shared rules, then each id's.
pub(crate) fn user_ids(field: &'static str, ids: &[String]) -> Result<()> {
    check::ids_each(field, ids, user_id)
}

pub(crate) fn new_users(users: &[NewUser]) -> Result<()> {
    let ids: Vec<String> = users.iter().map(|u| u.user_id.clone()).collect();
    user_ids("users", &ids)?;
    for u in users {
        opt_max_bytes("nickname", u.nickname.as_deref(), MAX_PROFILE_TEXT_BYTES)?;
        opt_max_bytes(
            "avatar_url",
            u.avatar_url.as_deref(),
            MAX_PROFILE_TEXT_BYTES,
        )?;
    }
    Ok(())
}

pub(crate) fn profile(req: &SetProfile) -> Result<()> {
    user_id("user_id", &req.user_id)?;
    if req.is_empty() {
        return Err(Error::invalid_input(
            "profile",
            "sets no field; give at least one",
        ));
    }
    opt_max_bytes("nickname", req.nickname.as_deref(), MAX_PROFILE_TEXT_BYTES)?;
    opt_max_bytes(
        "avatar_url",
        req.avatar_url.as_deref(),
        MAX_PROFILE_TEXT_BYTES,
    )?;
    opt_max_bytes("location", req.location.as_deref(), MAX_LOCATION_BYTES)?;
    opt_max_bytes(
        "signature",
        req.signature.as_deref(),
        MAX_PROFILE_TEXT_BYTES,
    )?;
    if let Some(day) = req.birthday {
        let (month, dom) = (day / 100 % 100, day % 100);
        if day > 99_991_231 || !(1..=12).contains(&month) || !(1..=31).contains(&dom) {
            return Err(Error::invalid_input(
                "birthday",
                format!("{day} is not a YYYYMMDD date"),
            ));
        }
    }
    for (name, value) in &req.custom {
        custom_tag_name(name)?;
        if let ProfileValue::Text(text) = value {
            max_bytes("custom", text, MAX_PROFILE_TEXT_BYTES)?;
        }
    }
    Ok(())
}

/// The custom field name without Tencent's `Tag_Profile_Custom_` prefix, if given with it.
pub(crate) fn custom_tag_name(name: &str) -> Result<&str> {
    let bare = name.strip_prefix("Tag_Profile_Custom_").unwrap_or(name);
    if bare.is_empty()
        || bare.len() > MAX_CUSTOM_TAG_BYTES
        || !bare.bytes().all(|b| b.is_ascii_alphabetic())
    {
        return Err(Error::invalid_input(
            "custom",
            format!("field name `{name}` must be 1 to {MAX_CUSTOM_TAG_BYTES} ASCII letters"),
        ));
    }
    Ok(bare)
}

pub(crate) fn group_id(field: &'static str, id: &str) -> Result<()> {
    if id.is_empty() {
        return Err(Error::invalid_input(field, "must not be empty"));
    }
    max_bytes(field, id, MAX_GROUP_ID_BYTES)?;
    if !id.bytes().all(|b| (0x20..=0x7e).contains(&b)) {
        return Err(Error::invalid_input(field, "must be printable ASCII"));
    }
    Ok(())
}

/// The profile fields of a group change, with the vendor's limits.
pub(crate) fn update_group(req: &imbridge_core::UpdateGroup) -> Result<()> {
    group_id("group_id", &req.group_id)?;
    if req.is_empty() {
        return Err(Error::invalid_input(
            "update",
            "changes no field; give at least one",
        ));
    }
    if let Some(name) = &req.name {
        if name.is_empty() {
            return Err(Error::invalid_input("name", "must not be empty"));
        }
        max_bytes("name", name, MAX_GROUP_NAME_BYTES)?;
    }
    opt_max_bytes(
        "introduction",
        req.introduction.as_deref(),
        MAX_GROUP_INTRO_BYTES,
    )?;
    opt_max_bytes(
        "notification",
        req.notification.as_deref(),
        MAX_GROUP_NOTIFICATION_BYTES,
    )?;
    opt_max_bytes(
        "avatar_url",
        req.avatar_url.as_deref(),
        MAX_GROUP_FACE_URL_BYTES,
    )?;
    if req.max_members == Some(0) {
        return Err(Error::invalid_input("max_members", "must be at least 1"));
    }
    Ok(())
}

/// A group id and a list of user ids.
pub(crate) fn group_users(group: &str, users: &[String]) -> Result<()> {
    group_id("group_id", group)?;
    user_ids("user_ids", users)
}

/// A mute's length in whole seconds, up to `u32::MAX` (the vendor's "forever").
pub(crate) fn mute_seconds(duration: std::time::Duration) -> Result<u32> {
    if duration.subsec_nanos() != 0 {
        return Err(Error::invalid_input(
            "duration",
            "must be a whole number of seconds: Tencent mutes by the second",
        ));
    }
    u32::try_from(duration.as_secs()).map_err(|_| {
        Error::invalid_input(
            "duration",
            format!(
                "is longer than Tencent's {} seconds (its \"forever\")",
                u32::MAX
            ),
        )
    })
}

pub(crate) fn create_group(req: &CreateGroup) -> Result<()> {
    if req.name.is_empty() {
        return Err(Error::invalid_input("name", "must not be empty"));
    }
    max_bytes("name", &req.name, MAX_GROUP_NAME_BYTES)?;
    if let Some(owner) = &req.owner {
        user_id("owner", owner)?;
    }
    if let Some(id) = &req.group_id {
        group_id("group_id", id)?;
        let community = req.kind == GroupKind::Community;
        if id.starts_with(SERVER_GROUP_ID_PREFIX)
            && !(community && id.starts_with(COMMUNITY_GROUP_ID_PREFIX))
        {
            return Err(Error::invalid_input(
                "group_id",
                "must not start with `@TGS#`, which is reserved for generated ids (Community ids may start with `@TGS#_`)",
            ));
        }
        if community && !id.starts_with(COMMUNITY_GROUP_ID_PREFIX) {
            return Err(Error::invalid_input(
                "group_id",
                "of a Community group must start with `@TGS#_`",
            ));
        }
    }
    opt_max_bytes(
        "introduction",
        req.introduction.as_deref(),
        MAX_GROUP_INTRO_BYTES,
    )?;
    opt_max_bytes(
        "notification",
        req.notification.as_deref(),
        MAX_GROUP_NOTIFICATION_BYTES,
    )?;
    opt_max_bytes(
        "avatar_url",
        req.avatar_url.as_deref(),
        MAX_GROUP_FACE_URL_BYTES,
    )?;
    if req.members.len() > MAX_INITIAL_MEMBERS {
        return Err(Error::invalid_input(
            "members",
            format!(
                "has {} entries; Tencent takes at most {MAX_INITIAL_MEMBERS}",
                req.members.len()
            ),
        ));
    }
    if req.kind == GroupKind::AvChatRoom && !req.members.is_empty() {
        return Err(Error::invalid_input(
            "members",
            "must be empty for an AVChatRoom group",
        ));
    }
    for member in &req.members {
        user_id("members", member)?;
    }
    if req.max_members == Some(0) {
        return Err(Error::invalid_input("max_members", "must be at least 1"));
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
                    "are for group messages; a one-to-one message cannot mention anyone",
                ));
            }
        }
        Recipient::Group(gid) => {
            group_id("to", gid)?;
            for m in &req.mentions {
                user_id("mentions", m)?;
            }
        }
        _ => {
            return Err(Error::invalid_input(
                "to",
                "is a recipient kind this backend does not know",
            ));
        }
    }
    content(&req.content)
}

/// Most recipients of one `batchsendmsg` call.
pub const MAX_BATCH_RECIPIENTS: usize = 500;
/// Most messages read per `admin_getroammsg` call (`MaxCnt`).
pub const MAX_ROAM_PAGE: u32 = 100;
/// Most messages read per `group_msg_get_simple` call (`ReqMsgNumber`).
pub const MAX_GROUP_HISTORY_PAGE: u32 = 20;
/// Most messages per `import_group_msg` call: sources say 7 ("一次最多导入7条") or 20; the
/// smaller works under both.
pub const MAX_GROUP_IMPORT: usize = 7;

/// A batch or system send: a sender, at least one valid recipient, valid content.
pub(crate) fn batch_send(from: &str, to: &[String], body: &MessageContent) -> Result<()> {
    user_id("from", from)?;
    if to.is_empty() {
        return Err(Error::invalid_input("to", "must name at least one user"));
    }
    for id in to {
        user_id("to", id)?;
    }
    content(body)
}

/// What the content kinds need: text, a URL, a file name, coordinates on the globe.
pub(crate) fn content(content: &MessageContent) -> Result<()> {
    let url = |url: &str| {
        if url.trim().is_empty() {
            Err(Error::invalid_input("content", "the URL must not be empty"))
        } else {
            Ok(())
        }
    };
    match content {
        MessageContent::Text(text) if text.is_empty() => {
            Err(Error::invalid_input("content", "text must not be empty"))
        }
        MessageContent::Text(_) | MessageContent::Custom(_) => Ok(()),
        MessageContent::Image(i) => url(&i.url),
        MessageContent::File(f) => {
            url(&f.url)?;
            if f.name.is_empty() {
                return Err(Error::invalid_input(
                    "content",
                    "the file name must not be empty",
                ));
            }
            Ok(())
        }
        MessageContent::Sound(m) | MessageContent::Video(m) => url(&m.url),
        MessageContent::Location(l) => {
            let ok = l.latitude.is_finite()
                && l.longitude.is_finite()
                && (-90.0..=90.0).contains(&l.latitude)
                && (-180.0..=180.0).contains(&l.longitude);
            if ok {
                Ok(())
            } else {
                Err(Error::invalid_input(
                    "content",
                    "latitude must be within -90..=90 and longitude within -180..=180",
                ))
            }
        }
        _ => Err(Error::invalid_input(
            "content",
            "is a content kind this backend does not know",
        )),
    }
}

/// The encoded `MsgBody` must fit the vendor's 12 KB message limit.
pub(crate) fn encoded_message_size(size: usize) -> Result<()> {
    if size > MAX_MESSAGE_BYTES {
        return Err(Error::invalid_input(
            "content",
            format!(
                "is {size} bytes as MsgBody JSON; Tencent allows at most {MAX_MESSAGE_BYTES} per message"
            ),
        ));
    }
    Ok(())
}
