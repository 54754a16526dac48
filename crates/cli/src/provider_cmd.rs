//! The commands that call a vendor through `ImProvider`.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use imbridge_core::{
    ClientToken, CreateGroup, ExposeSecret, Gender, GroupKind, ImProvider, IssueToken,
    MessageContent, RegisterUser, SendMessage, SetProfile,
};
use serde_json::json;

use crate::args::{Connection, GroupCommand, MessageCommand, ProfileCommand, UserCommand};
use crate::connect;
use crate::failure::Failure;
use crate::print_json;

pub(crate) async fn user(
    im: &std::sync::Arc<dyn ImProvider>,
    cmd: UserCommand,
) -> Result<(), Failure> {
    let token = match cmd {
        UserCommand::Register { id, name, avatar } => {
            let mut req = RegisterUser::new(id);
            req.nickname = name;
            req.avatar_url = avatar;
            im.register_user(&req).await?
        }
        UserCommand::Token { id, ttl } => {
            let mut req = IssueToken::new(id);
            req.ttl = ttl.map(Duration::from_secs);
            im.issue_token(&req).await?
        }
    };
    print_json(&token_json(&token));
    Ok(())
}

fn token_json(token: &ClientToken) -> serde_json::Value {
    json!({
        "user_id": token.user_id(),
        "token": token.token().expose_secret(),
        "expires_at": token.expires_at().map(unix),
    })
}

pub(crate) async fn profile(
    im: &std::sync::Arc<dyn ImProvider>,
    cmd: ProfileCommand,
) -> Result<(), Failure> {
    let ProfileCommand::Set {
        id,
        name,
        avatar,
        gender,
        birthday,
        location,
        signature,
    } = cmd;
    let mut req = SetProfile::new(&id);
    req.nickname = name;
    req.avatar_url = avatar;
    req.gender = gender.as_deref().map(parse_gender).transpose()?;
    req.birthday = birthday;
    req.location = location;
    req.signature = signature;
    im.set_profile(&req).await?;
    print_json(&json!({"user_id": id, "updated": true}));
    Ok(())
}

fn parse_gender(s: &str) -> Result<Gender, Failure> {
    match s.to_ascii_lowercase().as_str() {
        "unknown" => Ok(Gender::Unknown),
        "female" | "f" => Ok(Gender::Female),
        "male" | "m" => Ok(Gender::Male),
        other => Err(Failure::Usage(format!(
            "--gender `{other}` must be unknown, female or male"
        ))),
    }
}

pub(crate) async fn group(
    im: &std::sync::Arc<dyn ImProvider>,
    cmd: GroupCommand,
) -> Result<(), Failure> {
    let GroupCommand::Create {
        owner,
        name,
        id,
        members,
        kind,
    } = cmd;
    let kind = GroupKind::parse(&kind).ok_or_else(|| {
        Failure::Usage(format!(
            "--kind `{kind}` must be public, work, meeting, av_chat_room or community"
        ))
    })?;
    let mut req = CreateGroup::new(name)
        .owner(owner)
        .kind(kind)
        .members(members);
    req.group_id = id;
    let created = im.create_group(&req).await?;
    print_json(&json!({"group_id": created.group_id}));
    Ok(())
}

pub(crate) async fn message(
    im: &std::sync::Arc<dyn ImProvider>,
    cmd: MessageCommand,
) -> Result<(), Failure> {
    let MessageCommand::Send {
        from,
        to,
        group,
        text,
        custom,
    } = cmd;
    let content = match (text, custom) {
        (Some(text), None) => MessageContent::text(text),
        (None, Some(data)) => MessageContent::custom(data),
        _ => {
            return Err(Failure::Usage(
                "give exactly one of --text and --custom".into(),
            ));
        }
    };
    let req = match (to, group) {
        (Some(to), None) => SendMessage::to_user(from, to, content),
        (None, Some(group)) => SendMessage::to_group(from, group, content),
        _ => {
            return Err(Failure::Usage(
                "give exactly one of --to and --group".into(),
            ));
        }
    };
    let receipt = im.send_message(&req).await?;
    print_json(&json!({
        "message_id": receipt.message_id,
        "sent_at": receipt.sent_at.map(unix),
        "sequence": receipt.sequence,
        "dedup_key": receipt.dedup_key,
    }));
    Ok(())
}

pub(crate) async fn raw(conn: &Connection, endpoint: &str, body: &str) -> Result<(), Failure> {
    let body: serde_json::Value = serde_json::from_str(body)
        .map_err(|e| Failure::Usage(format!("--body is not JSON: {e}")))?;
    let answer = match connect::config(conn)?.provider {
        Some(imbridge::Vendor::Tencent) => {
            connect::tencent(conn)?.call_json(endpoint, &body).await?
        }
        Some(imbridge::Vendor::RongCloud) => {
            connect::rongcloud(conn)?.call_json(endpoint, &body).await?
        }
        _ => return Err(connect::missing_provider()),
    };
    print_json(&answer);
    Ok(())
}

fn unix(t: SystemTime) -> u64 {
    t.duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}
