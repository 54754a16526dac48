//! History (`/v3/message/{private,group}/query.json`, JSON bodies) and reading references back.
//!
//! The vendor answers the messages of a time window between `startTime` and `endTime` (Unix
//! ms), at most `pageSize` (1–100) a call, from `startTime` towards `endTime`. imbridge asks
//! the window backwards (`startTime` = `until`, else now; `endTime` = `since`, else 180 days
//! earlier — the vendor keeps history six months by default), so pages run **newest first**
//! as the trait says; the next page starts at the last (oldest) message's `msgTime` with
//! `includeStart=false`, and the cursor carries that time and the window's far end. That a
//! window whose `startTime` is after its `endTime` is read backwards comes from rc-go's own
//! example query (unconfirmed in the documentation). Two messages stored in the same
//! millisecond across a page boundary could be skipped by the vendor's continuation rule.
//!
//! A one-to-one history is read from `user`'s side (`userId` = user, `targetId` = peer); a
//! group's as the request's `viewer` (`as_user`), else the client's `group_operator`, else its
//! `system_account` (the vendor's query needs a `userId`; without any it is refused before
//! sending, naming `viewer`).

use imbridge_core::{
    Conversation, Cursor, Error, HistoryMessage, MessageHistory, MessageRef, Operation, Page,
    Recipient, Result, Vendor,
};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{at, content, message_ref};
use crate::client::{RongCloudClient, tagged};
use crate::endpoints;
use crate::validate;

/// The page size when the request gives none.
pub const DEFAULT_HISTORY_PAGE: u32 = 50;
/// The largest page the vendor answers.
pub const MAX_HISTORY_PAGE: u32 = 100;
/// How far back the window starts without `since`: 180 days.
const DEFAULT_WINDOW_MS: u64 = 180 * 24 * 3600 * 1000;
/// The `objectName` of the vendor's recall notice, which replaces a recalled message.
const RECALL_NOTICE: &str = "RC:RcNtf";
/// The `objectName` of the vendor's recall command (its content names the recalled UID).
const RECALL_COMMAND: &str = "RC:RcCmd";

/// The body of a v3 history query.
#[derive(Serialize)]
pub(crate) struct Query<'a> {
    #[serde(rename = "userId")]
    pub user_id: &'a str,
    #[serde(rename = "targetId")]
    pub target_id: &'a str,
    #[serde(rename = "startTime")]
    pub start_time: u64,
    #[serde(rename = "endTime")]
    pub end_time: u64,
    #[serde(rename = "pageSize")]
    pub page_size: u32,
    #[serde(rename = "includeStart")]
    pub include_start: bool,
}

/// One stored message.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct Stored {
    #[serde(rename = "targetId")]
    pub target_id: String,
    #[serde(rename = "fromUserId")]
    pub from_user_id: String,
    #[serde(rename = "messageUID")]
    pub message_uid: String,
    #[serde(rename = "msgTime")]
    pub msg_time: Value,
    #[serde(rename = "objectName")]
    pub object_name: String,
    pub content: Value,
}

impl Stored {
    /// `msgTime` in milliseconds (a number, or a string of digits).
    pub fn time_ms(&self) -> u64 {
        match &self.msg_time {
            Value::Number(n) => n.as_u64().unwrap_or(0),
            Value::String(s) => s.parse().unwrap_or(0),
            _ => 0,
        }
    }

    /// `content` as the JSON string it was sent as.
    pub fn content_text(&self) -> String {
        match &self.content {
            Value::String(s) => s.clone(),
            Value::Null => String::new(),
            other => other.to_string(),
        }
    }
}

#[derive(Default, Deserialize)]
#[serde(default)]
pub(crate) struct QueryAnswer {
    pub data: Vec<Stored>,
}

/// The conversation kinds of references.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Private,
    Group,
    System,
}

impl Kind {
    /// The conversation part of a reference.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Private => "private",
            Kind::Group => "group",
            Kind::System => "system",
        }
    }

    /// `conversationType` of `/message/recall.json`.
    pub fn recall_type(self) -> u8 {
        match self {
            Kind::Private => 1,
            Kind::Group => 3,
            Kind::System => 6,
        }
    }
}

/// A RongCloud reference read back.
pub(crate) struct RefParts {
    pub conversation: Kind,
    pub from: String,
    pub target: String,
    pub uid: String,
    pub sent_ms: u64,
}

/// The parts of a reference a RongCloud send or history returned; anything else is refused
/// as invalid input naming `message_ref`.
pub(crate) fn parse_ref(r: &MessageRef) -> Result<RefParts> {
    let bad = |why: &str| Error::invalid_input("message_ref", why.to_owned());
    if r.vendor() != Vendor::RongCloud {
        return Err(bad(&format!(
            "refers to a {} message; only RongCloud's own references can be recalled here",
            r.vendor().display_name()
        )));
    }
    let parts = r.parts();
    let [conversation, from, target, uid, sent] = parts.as_slice() else {
        return Err(bad("is not in the form RongCloud sends return"));
    };
    let conversation = match conversation.as_str() {
        "private" => Kind::Private,
        "group" => Kind::Group,
        "system" => Kind::System,
        _ => return Err(bad("names an unknown conversation type")),
    };
    let ok_from = validate::user_id("message_ref", from).is_ok();
    let ok_target = match conversation {
        Kind::Group => validate::group_id("message_ref", target).is_ok(),
        _ => validate::user_id("message_ref", target).is_ok(),
    };
    if !ok_from || !ok_target {
        return Err(bad("names a sender or target that is not a RongCloud id"));
    }
    if uid.is_empty() {
        return Err(bad(
            "has no messageUID (the vendor's answer named none), so the message cannot be found",
        ));
    }
    let sent_ms = sent
        .parse::<u64>()
        .map_err(|_| bad("has no valid send time"))?;
    Ok(RefParts {
        conversation,
        from: from.clone(),
        target: target.clone(),
        uid: uid.clone(),
        sent_ms,
    })
}

fn ms(t: std::time::SystemTime) -> u64 {
    t.duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

/// The cursor of the page after one ending at `last_ms`, in a window reaching back to
/// `end_ms`.
fn cursor(last_ms: u64, end_ms: u64) -> Cursor {
    Cursor::new(format!("{last_ms}.{end_ms}"))
}

fn parse_cursor(c: &Cursor) -> Result<(u64, u64)> {
    c.as_str()
        .split_once('.')
        .and_then(|(a, b)| Some((a.parse().ok()?, b.parse().ok()?)))
        .ok_or_else(|| {
            Error::invalid_input("cursor", "is not a cursor this backend's history returned")
        })
}

fn validate(req: &MessageHistory) -> Result<()> {
    match &req.conversation {
        Conversation::Direct { user, peer } => {
            validate::user_id("conversation", user)?;
            validate::user_id("conversation", peer)?;
        }
        Conversation::Group(g) => {
            validate::group_id("conversation", g)?;
            if let Some(v) = &req.viewer {
                validate::user_id("viewer", v)?;
            }
        }
        _ => {
            return Err(Error::invalid_input(
                "conversation",
                "is a conversation kind this backend does not know",
            ));
        }
    }
    if let Some(limit) = req.limit
        && !(1..=MAX_HISTORY_PAGE).contains(&limit)
    {
        return Err(Error::invalid_input(
            "limit",
            format!("must be 1 to {MAX_HISTORY_PAGE}: RongCloud's largest history page"),
        ));
    }
    if let (Some(s), Some(u)) = (req.since, req.until)
        && s >= u
    {
        return Err(Error::invalid_input("since", "must be before `until`"));
    }
    if let Some(c) = &req.cursor {
        parse_cursor(c)?;
    }
    Ok(())
}

impl RongCloudClient {
    pub(super) async fn history_page(&self, req: &MessageHistory) -> Result<Page<HistoryMessage>> {
        let op = Operation::MessageHistory;
        self.begin(op, || validate(req))?;
        let (endpoint, kind, user, target) = match &req.conversation {
            Conversation::Direct { user, peer } => (
                &endpoints::PRIVATE_QUERY,
                Kind::Private,
                user.as_str(),
                peer.as_str(),
            ),
            Conversation::Group(g) => {
                let reader = req
                    .viewer
                    .as_deref()
                    .or(self.group_operator())
                    .or(self.system_account());
                let Some(reader) = reader else {
                    return tagged(
                        op,
                        Err(Error::invalid_input(
                            "viewer",
                            "is required: RongCloud reads a group's history as one of its \
                             users; name one (`as_user`) or configure the client's \
                             group_operator or system_account",
                        )),
                    );
                };
                (&endpoints::GROUP_QUERY, Kind::Group, reader, g.as_str())
            }
            _ => unreachable!("validated"),
        };
        let page_size = req.limit.unwrap_or(DEFAULT_HISTORY_PAGE);
        // Backwards: from the newest end of the window (`start`) towards its oldest (`end`).
        let (start, include_start, end) = match &req.cursor {
            Some(c) => {
                let (last, end) = tagged(op, parse_cursor(c))?;
                (last, false, end)
            }
            None => {
                let start = req.until.map_or_else(|| self.now_ms(), ms);
                let end = req
                    .since
                    .map_or_else(|| start.saturating_sub(DEFAULT_WINDOW_MS), ms)
                    .max(1);
                (start, true, end)
            }
        };
        let body = Query {
            user_id: user,
            target_id: target,
            start_time: start,
            end_time: end,
            page_size,
            include_start,
        };
        let answer: QueryAnswer = self.run(op, endpoint, &req.options, &body).await?;
        let full = answer.data.len() >= page_size as usize;
        let last = answer.data.last().map(Stored::time_ms);
        let items = to_history(kind, user, target, answer.data);
        let next = match last {
            Some(last) if full && last > end => Some(cursor(last, end)),
            _ => None,
        };
        Ok(Page::new(items).next(next))
    }
}

/// The messages of a page as [`HistoryMessage`]s, references in the send's form. Recall
/// commands in the page mark the message they name as recalled and are not listed; the
/// vendor's recall notice is listed as a recalled message without content (how the vendor
/// keeps recalled messages in history is unconfirmed).
fn to_history(kind: Kind, user: &str, target: &str, data: Vec<Stored>) -> Vec<HistoryMessage> {
    let recalled: Vec<String> = data
        .iter()
        .filter(|s| s.object_name == RECALL_COMMAND)
        .filter_map(|s| {
            let v: Value = serde_json::from_str(&s.content_text()).ok()?;
            let uid = v.get("messageUId").or_else(|| v.get("messageUID"))?;
            uid.as_str().map(str::to_owned)
        })
        .collect();
    data.into_iter()
        .filter(|s| s.object_name != RECALL_COMMAND)
        .map(|s| {
            let sent_ms = s.time_ms();
            let (conversation, to_id, to) = match kind {
                Kind::Group => (
                    "group",
                    target.to_owned(),
                    Recipient::Group(target.to_owned()),
                ),
                _ => {
                    // Seen from `user`'s side: a message from the peer is to `user`.
                    let other = if s.from_user_id == user { target } else { user };
                    (
                        "private",
                        other.to_owned(),
                        Recipient::User(other.to_owned()),
                    )
                }
            };
            let r = message_ref(
                conversation,
                &s.from_user_id,
                &to_id,
                &s.message_uid,
                sent_ms,
            );
            let mut m = HistoryMessage::new(r, s.from_user_id.clone(), to);
            m.sent_at = Some(at(sent_ms));
            if s.object_name == RECALL_NOTICE || recalled.contains(&s.message_uid) {
                m.recalled = true;
            } else {
                m.content = content::decode(&s.object_name, &s.content_text());
            }
            m
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use imbridge_core::MessageContent;
    use serde_json::json;

    fn stored(from: &str, uid: &str, ms: u64, name: &str, content: &str) -> Stored {
        serde_json::from_value(json!({
            "targetId": "x", "fromUserId": from, "messageUID": uid, "msgTime": ms,
            "objectName": name, "content": content,
        }))
        .unwrap()
    }

    #[test]
    fn history_items_have_send_form_references_and_their_content() {
        let items = to_history(
            Kind::Private,
            "han",
            "lei",
            vec![
                stored("lei", "U1", 10, "RC:TxtMsg", r#"{"content":"hi"}"#),
                stored("han", "U2", 11, "RC:TxtMsg", r#"{"content":"yo"}"#),
                stored("lei", "U3", 12, "RC:RcNtf", r#"{"messageUId":"U0"}"#),
                stored("lei", "U4", 13, "RC:TxtMsg", r#"{"content":"gone"}"#),
                stored("lei", "U5", 14, "RC:RcCmd", r#"{"messageUId":"U4"}"#),
            ],
        );
        assert_eq!(items.len(), 4, "the recall command is not listed");
        assert_eq!(
            items[0].message_ref.parts(),
            ["private", "lei", "han", "U1", "10"]
        );
        assert_eq!(items[0].content, Some(MessageContent::text("hi")));
        assert_eq!(
            items[1].message_ref.parts(),
            ["private", "han", "lei", "U2", "11"]
        );
        assert_eq!(items[1].to, Recipient::User("lei".into()));
        assert!(items[2].recalled && items[2].content.is_none());
        assert!(items[3].recalled, "named by a recall command");
        let refs = parse_ref(&items[0].message_ref).unwrap();
        assert_eq!((refs.uid.as_str(), refs.sent_ms), ("U1", 10));
    }

    #[test]
    fn cursors_round_trip_and_strangers_are_refused() {
        let c = cursor(5, 9);
        assert_eq!(parse_cursor(&c).unwrap(), (5, 9));
        let err = parse_cursor(&Cursor::new("page-2")).unwrap_err();
        assert_eq!(err.field(), Some("cursor"));
    }

    #[test]
    fn times_may_come_as_strings() {
        let s: Stored =
            serde_json::from_value(json!({"msgTime": "42", "content": {"a": 1}})).unwrap();
        assert_eq!(s.time_ms(), 42);
        assert_eq!(s.content_text(), r#"{"a":1}"#);
    }
}
