//! History (`/v3/message/{private,group}/query.json`, JSON bodies) and reading references back.
//!
//! The vendor answers the messages of a time window between `startTime` and `endTime` (Unix
//! ms), at most `pageSize` (1–100) a call, from `startTime` towards `endTime`. imbridge asks
//! the window backwards (`startTime` = `until`, else now; `endTime` = `since`, else 180 days
//! earlier — the vendor keeps history six months by default), so pages run **newest first**
//! as the trait says. The vendor's continuation rule (the last `msgTime` with
//! `includeStart=false`) would skip the other messages of that millisecond, so the next page
//! asks again from the last `msgTime` with `includeStart=true` and leaves out the UIDs already
//! returned at that time ([`Continue`]; the cursor carries the time, the window's far end and
//! those UIDs, and the query asks for that many more). Only a millisecond holding more than
//! 100 messages is moved past with `includeStart=false`. That a window whose `startTime` is after its `endTime` is read
//! backwards comes from rc-go's own example query (unconfirmed in the documentation).
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

/// Where the next page starts: the last message's time, the window's far end, and the UIDs
/// of the messages at that time already returned (asked again with `includeStart=true` and
/// left out, so messages of the same millisecond across a page boundary are not skipped);
/// the query asks for that many more. `skip_start` when one millisecond holds more messages
/// than the largest page: then `includeStart=false` moves past it (the rest of that
/// millisecond is skipped, as the vendor's own rule would).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Continue {
    pub last_ms: u64,
    pub end_ms: u64,
    pub seen: Vec<String>,
    pub skip_start: bool,
}

impl Continue {
    /// How many to ask for to get `page_size` new messages when `seen` will be left out.
    pub fn query_size(page_size: u32, seen: &[String]) -> u32 {
        let seen = u32::try_from(seen.len()).unwrap_or(u32::MAX);
        page_size.saturating_add(seen).min(MAX_HISTORY_PAGE)
    }

    /// The new messages of an answer `data` (asked `asked` at most from `start`, `seen` left
    /// out), at most `page_size`, and the position after them, or `None` when the window holds
    /// no more.
    pub fn page(
        data: Vec<Stored>,
        asked: u32,
        page_size: u32,
        start: u64,
        end: u64,
        seen: &[String],
    ) -> (Vec<Stored>, Option<Self>) {
        let full = data.len() >= asked as usize;
        let mut fresh: Vec<Stored> = data
            .into_iter()
            .filter(|s| !seen.contains(&s.message_uid))
            .collect();
        let more = full || fresh.len() > page_size as usize;
        fresh.truncate(page_size as usize);
        let Some(last) = fresh.last().map(Stored::time_ms) else {
            // Only messages already returned: a millisecond holding more than a page can ask.
            let next = (full && start != end).then(|| Continue {
                last_ms: start,
                end_ms: end,
                seen: Vec::new(),
                skip_start: true,
            });
            return (fresh, next);
        };
        if !more {
            return (fresh, None);
        }
        let mut at_last: Vec<String> = if last == start {
            seen.to_vec()
        } else {
            Vec::new()
        };
        at_last.extend(
            fresh
                .iter()
                .filter(|s| s.time_ms() == last)
                .map(|s| s.message_uid.clone()),
        );
        let skip_start = at_last.len() >= MAX_HISTORY_PAGE as usize;
        if skip_start {
            at_last.clear();
        }
        let next = Continue {
            last_ms: last,
            end_ms: end,
            seen: at_last,
            skip_start,
        };
        (fresh, Some(next))
    }

    fn cursor(&self) -> Cursor {
        let seen = if self.skip_start {
            "*".to_owned()
        } else {
            self.seen.join(",")
        };
        Cursor::new(format!("{}.{}.{seen}", self.last_ms, self.end_ms))
    }

    fn parse(c: &Cursor) -> Result<Self> {
        let bad =
            || Error::invalid_input("cursor", "is not a cursor this backend's history returned");
        let mut parts = c.as_str().splitn(3, '.');
        let last_ms = parts.next().and_then(|p| p.parse().ok()).ok_or_else(bad)?;
        let end_ms = parts.next().and_then(|p| p.parse().ok()).ok_or_else(bad)?;
        let rest = parts.next().ok_or_else(bad)?;
        let skip_start = rest == "*";
        let seen = if skip_start || rest.is_empty() {
            Vec::new()
        } else {
            rest.split(',').map(str::to_owned).collect()
        };
        Ok(Continue {
            last_ms,
            end_ms,
            seen,
            skip_start,
        })
    }
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
        Continue::parse(c)?;
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
        let (start, include_start, end, seen) = match &req.cursor {
            Some(c) => {
                let c = tagged(op, Continue::parse(c))?;
                (c.last_ms, !c.skip_start, c.end_ms, c.seen)
            }
            None => {
                let start = req.until.map_or_else(|| self.now_ms(), ms);
                let end = req
                    .since
                    .map_or_else(|| start.saturating_sub(DEFAULT_WINDOW_MS), ms)
                    .max(1);
                (start, true, end, Vec::new())
            }
        };
        let asked = Continue::query_size(page_size, &seen);
        let body = Query {
            user_id: user,
            target_id: target,
            start_time: start,
            end_time: end,
            page_size: asked,
            include_start,
        };
        let answer: QueryAnswer = self.run(op, endpoint, &req.options, &body).await?;
        let (fresh, next) = Continue::page(answer.data, asked, page_size, start, end, &seen);
        let next = next.map(|c| c.cursor());
        let items = to_history(kind, user, target, fresh);
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
            let mut m = HistoryMessage::new(r, s.message_uid.clone(), s.from_user_id.clone(), to);
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
        for c in [
            Continue {
                last_ms: 5,
                end_ms: 1,
                seen: vec!["A-B".into(), "C".into()],
                skip_start: false,
            },
            Continue {
                last_ms: 5,
                end_ms: 1,
                seen: Vec::new(),
                skip_start: true,
            },
            Continue {
                last_ms: 5,
                end_ms: 1,
                seen: Vec::new(),
                skip_start: false,
            },
        ] {
            assert_eq!(Continue::parse(&c.cursor()).unwrap(), c);
        }
        let err = Continue::parse(&Cursor::new("page-2")).unwrap_err();
        assert_eq!(err.field(), Some("cursor"));
    }

    /// A fake vendor answer: the messages from `start` (inclusive or not) backwards, `n` at most.
    fn answer(all: &[(u64, &str)], start: u64, include: bool, n: u32) -> Vec<Stored> {
        let mut v: Vec<Stored> = all
            .iter()
            .filter(|(t, _)| *t < start || (include && *t == start))
            .map(|(t, uid)| stored("a", uid, *t, "RC:TxtMsg", "{}"))
            .collect();
        v.sort_by_key(|s| std::cmp::Reverse(s.time_ms()));
        v.truncate(n as usize);
        v
    }

    #[test]
    fn paging_through_messages_of_one_millisecond_skips_none() {
        let all = [(9, "A"), (7, "B"), (7, "C"), (7, "D"), (7, "E"), (3, "F")];
        let (mut start, mut include, mut seen) = (10, true, Vec::new());
        let mut got = Vec::new();
        for _ in 0..10 {
            let asked = Continue::query_size(2, &seen);
            let data = answer(&all, start, include, asked);
            let (items, next) = Continue::page(data, asked, 2, start, 1, &seen);
            got.extend(items.iter().map(|s| s.message_uid.clone()));
            match next {
                Some(c) => {
                    start = c.last_ms;
                    include = !c.skip_start;
                    seen = c.seen;
                }
                None => break,
            }
        }
        got.sort();
        assert_eq!(got, ["A", "B", "C", "D", "E", "F"]);
    }

    #[test]
    fn times_may_come_as_strings() {
        let s: Stored =
            serde_json::from_value(json!({"msgTime": "42", "content": {"a": 1}})).unwrap();
        assert_eq!(s.time_ms(), 42);
        assert_eq!(s.content_text(), r#"{"a":1}"#);
    }
}
