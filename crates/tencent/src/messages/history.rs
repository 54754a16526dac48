//! Reading history (`openim/admin_getroammsg`, `group_open_http_svc/group_msg_get_simple`) and
//! importing it (`openim/importmsg`, `group_open_http_svc/import_group_msg`).

use std::time::UNIX_EPOCH;

use imbridge_core::{
    Batch, Conversation, Cursor, Error, ErrorKind, HistoryMessage, ImportMessages, ImportedMessage,
    MessageHistory, MessageRef, Operation, Page, Recipient, Result, Vendor,
};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::content::{MsgElement, ReadElement, msg_element, read_content};
use super::{c2c_ref, group_ref, unix_time};
use crate::client::TencentClient;
use crate::endpoints;
use crate::run::{item_error, tagged};
use crate::validate::{self, MAX_GROUP_HISTORY_PAGE, MAX_GROUP_IMPORT, MAX_ROAM_PAGE};
use crate::wire::{Empty, answer};

/// `MsgFlagBits` bit of a recalled one-to-one message.
const RECALLED_FLAG: u64 = 8;
/// `IsPlaceMsg` of a recalled group message (1: deleted or expired, body empty).
const PLACE_RECALLED: u8 = 2;

#[derive(Debug, Serialize)]
pub(super) struct GetRoamMsg<'a> {
    #[serde(rename = "Operator_Account")]
    pub operator_account: &'a str,
    #[serde(rename = "Peer_Account")]
    pub peer_account: &'a str,
    #[serde(rename = "MaxCnt")]
    pub max_cnt: u32,
    #[serde(rename = "MinTime")]
    pub min_time: u64,
    #[serde(rename = "MaxTime")]
    pub max_time: u64,
    #[serde(rename = "LastMsgKey", skip_serializing_if = "Option::is_none")]
    pub last_msg_key: Option<&'a str>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct RoamMsg {
    #[serde(rename = "From_Account")]
    pub from_account: String,
    #[serde(rename = "To_Account")]
    pub to_account: String,
    #[serde(rename = "MsgRandom")]
    pub msg_random: u32,
    #[serde(rename = "MsgTimeStamp")]
    pub msg_time_stamp: u64,
    #[serde(rename = "MsgFlagBits")]
    pub msg_flag_bits: u64,
    #[serde(rename = "MsgKey")]
    pub msg_key: String,
    #[serde(rename = "MsgBody")]
    pub msg_body: Vec<ReadElement>,
}

answer!(pub(super) GetRoamMsgResponse {
    #[serde(rename = "Complete")]
    pub complete: u8,
    #[serde(rename = "LastMsgKey")]
    pub last_msg_key: Option<String>,
    #[serde(rename = "MsgList")]
    pub msg_list: Vec<RoamMsg>,
});

#[derive(Debug, Serialize)]
struct GroupMsgGetSimple<'a> {
    #[serde(rename = "GroupId")]
    group_id: &'a str,
    #[serde(rename = "ReqMsgNumber")]
    req_msg_number: u32,
    #[serde(rename = "ReqMsgSeq", skip_serializing_if = "Option::is_none")]
    req_msg_seq: Option<u64>,
    #[serde(rename = "WithRecalledMsg")]
    with_recalled_msg: u8,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct GroupMsg {
    #[serde(rename = "From_Account")]
    from_account: String,
    #[serde(rename = "IsPlaceMsg")]
    is_place_msg: u8,
    #[serde(rename = "MsgRandom")]
    msg_random: u32,
    #[serde(rename = "MsgSeq")]
    msg_seq: u64,
    #[serde(rename = "MsgTimeStamp")]
    msg_time_stamp: u64,
    #[serde(rename = "MsgBody")]
    msg_body: Vec<ReadElement>,
}

answer!(GroupMsgGetSimpleResponse {
    #[serde(rename = "IsFinished")]
    is_finished: u8,
    #[serde(rename = "RspMsgList")]
    rsp_msg_list: Vec<GroupMsg>,
});

#[derive(Debug, Serialize)]
struct ImportMsg<'a> {
    /// 2: a history import, not counted as unread and not pushed.
    #[serde(rename = "SyncFromOldSystem")]
    sync_from_old_system: u8,
    #[serde(rename = "From_Account")]
    from_account: &'a str,
    #[serde(rename = "To_Account")]
    to_account: &'a str,
    #[serde(rename = "MsgRandom")]
    msg_random: u32,
    #[serde(rename = "MsgTimeStamp")]
    msg_time_stamp: u64,
    #[serde(rename = "MsgBody")]
    msg_body: [MsgElement<'a>; 1],
}

#[derive(Debug, Serialize)]
struct ImportGroupItem<'a> {
    #[serde(rename = "From_Account")]
    from_account: &'a str,
    #[serde(rename = "SendTime")]
    send_time: u64,
    #[serde(rename = "Random")]
    random: u32,
    #[serde(rename = "MsgBody")]
    msg_body: [MsgElement<'a>; 1],
}

#[derive(Debug, Serialize)]
struct ImportGroupMsg<'a> {
    #[serde(rename = "GroupId")]
    group_id: &'a str,
    #[serde(rename = "MsgList")]
    msg_list: Vec<ImportGroupItem<'a>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ImportResult {
    #[serde(rename = "MsgSeq")]
    msg_seq: u64,
    #[serde(rename = "MsgTime")]
    msg_time: u64,
    #[serde(rename = "Result")]
    result: i64,
}

answer!(ImportGroupMsgResponse {
    #[serde(rename = "ImportMsgResult")]
    import_msg_result: Vec<ImportResult>,
});

fn secs(t: std::time::SystemTime) -> u64 {
    t.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

fn bad_cursor() -> Error {
    Error::invalid_input("cursor", "is not a cursor this backend returned")
}

/// A random fixed by the message itself (sender, recipient, time, content), so that importing
/// the same message again carries the same random and the vendor drops the copy.
fn import_random(m: &ImportedMessage) -> u32 {
    let mut h = Sha256::new();
    h.update(m.from.as_bytes());
    h.update([0]);
    match &m.to {
        Recipient::User(u) => h.update(format!("u:{u}")),
        Recipient::Group(g) => h.update(format!("g:{g}")),
        _ => {}
    }
    h.update([0]);
    h.update(secs(m.sent_at).to_be_bytes());
    if let Ok(element) = msg_element(&m.content)
        && let Ok(json) = serde_json::to_vec(&element)
    {
        h.update(json);
    }
    let d = h.finalize();
    u32::from_be_bytes([d[0], d[1], d[2], d[3]])
}

fn validate_history(req: &MessageHistory) -> Result<()> {
    match &req.conversation {
        Conversation::Direct { user, peer } => {
            validate::user_id("user", user)?;
            validate::user_id("peer", peer)?;
            check_limit(req.limit, MAX_ROAM_PAGE)
        }
        Conversation::Group(g) => {
            validate::group_id("conversation", g)?;
            check_limit(req.limit, MAX_GROUP_HISTORY_PAGE)?;
            if let Some(c) = &req.cursor {
                c.as_str().parse::<u64>().map_err(|_| bad_cursor())?;
            }
            Ok(())
        }
        _ => Err(Error::invalid_input(
            "conversation",
            "is a conversation kind this backend does not know",
        )),
    }
}

fn check_limit(limit: Option<u32>, max: u32) -> Result<()> {
    match limit {
        Some(n) if n == 0 || n > max => Err(Error::invalid_input(
            "limit",
            format!("must be within 1..={max} on Tencent"),
        )),
        _ => Ok(()),
    }
}

fn validate_import(req: &ImportMessages) -> Result<()> {
    if req.messages.is_empty() {
        return Err(Error::invalid_input("messages", "must not be empty"));
    }
    for m in &req.messages {
        validate::user_id("from", &m.from)?;
        match &m.to {
            Recipient::User(u) => validate::user_id("to", u)?,
            Recipient::Group(g) => validate::group_id("to", g)?,
            _ => {
                return Err(Error::invalid_input(
                    "to",
                    "is a recipient kind this backend does not know",
                ));
            }
        }
        validate::content(&m.content)?;
        if secs(m.sent_at) == 0 {
            return Err(Error::invalid_input("sent_at", "must be after 1970"));
        }
    }
    Ok(())
}

impl TencentClient {
    pub(super) async fn history(&self, req: &MessageHistory) -> Result<Page<HistoryMessage>> {
        let op = Operation::MessageHistory;
        self.begin(op, || validate_history(req))?;
        match &req.conversation {
            Conversation::Direct { user, peer } => {
                let body = GetRoamMsg {
                    operator_account: user,
                    peer_account: peer,
                    max_cnt: req.limit.unwrap_or(MAX_ROAM_PAGE),
                    min_time: req.since.map_or(0, secs),
                    // `until` is exclusive; MaxTime is inclusive.
                    max_time: req.until.map_or_else(
                        || self.unix_seconds() + 86_400,
                        |t| secs(t).saturating_sub(1),
                    ),
                    last_msg_key: req.cursor.as_ref().map(Cursor::as_str),
                };
                let answer: GetRoamMsgResponse = self
                    .run(op, &endpoints::ADMIN_GETROAMMSG, &req.options, &body)
                    .await?;
                let items = answer
                    .msg_list
                    .iter()
                    .map(|m| {
                        let mut h = HistoryMessage::new(
                            c2c_ref(&m.from_account, &m.to_account, &m.msg_key),
                            &m.msg_key,
                            &m.from_account,
                            Recipient::User(m.to_account.clone()),
                        );
                        h.content = read_content(&m.msg_body);
                        h.sent_at = unix_time(Some(m.msg_time_stamp));
                        h.recalled = m.msg_flag_bits & RECALLED_FLAG != 0;
                        h.dedup_key = Some(m.msg_random);
                        h
                    })
                    .collect();
                let next = match answer.last_msg_key {
                    Some(key) if answer.complete == 0 && !key.is_empty() => Some(Cursor::new(key)),
                    _ => None,
                };
                Ok(Page::new(items).next(next))
            }
            Conversation::Group(group_id) => {
                let body = GroupMsgGetSimple {
                    group_id,
                    req_msg_number: req.limit.unwrap_or(MAX_GROUP_HISTORY_PAGE),
                    req_msg_seq: match &req.cursor {
                        Some(c) => Some(tagged(op, c.as_str().parse().map_err(|_| bad_cursor()))?),
                        None => None,
                    },
                    with_recalled_msg: 1,
                };
                let answer: GroupMsgGetSimpleResponse = self
                    .run(op, &endpoints::GROUP_MSG_GET_SIMPLE, &req.options, &body)
                    .await?;
                let since = req.since.map(secs);
                let until = req.until.map(secs);
                let lowest = answer.rsp_msg_list.iter().map(|m| m.msg_seq).min();
                let reached_since = answer
                    .rsp_msg_list
                    .iter()
                    .any(|m| since.is_some_and(|s| m.msg_time_stamp < s));
                let items = answer
                    .rsp_msg_list
                    .iter()
                    .filter(|m| m.is_place_msg != 1)
                    .filter(|m| since.is_none_or(|s| m.msg_time_stamp >= s))
                    .filter(|m| until.is_none_or(|u| m.msg_time_stamp < u))
                    .map(|m| {
                        let mut h = HistoryMessage::new(
                            group_ref(group_id, m.msg_seq),
                            m.msg_seq.to_string(),
                            &m.from_account,
                            Recipient::Group(group_id.clone()),
                        );
                        h.content = read_content(&m.msg_body);
                        h.sent_at = unix_time(Some(m.msg_time_stamp));
                        h.recalled = m.is_place_msg == PLACE_RECALLED;
                        h.dedup_key = Some(m.msg_random);
                        h
                    })
                    .collect();
                let next = match lowest {
                    Some(seq) if answer.is_finished != 1 && seq > 1 && !reached_since => {
                        Some(Cursor::new((seq - 1).to_string()))
                    }
                    _ => None,
                };
                Ok(Page::new(items).next(next))
            }
            _ => Err(Error::invalid_input(
                "conversation",
                "is a conversation kind this backend does not know",
            )
            .with_vendor(Vendor::Tencent)
            .with_operation(op)),
        }
    }

    pub(super) async fn import(&self, req: &ImportMessages) -> Result<Batch<MessageRef>> {
        let op = Operation::ImportMessages;
        self.begin(op, || validate_import(req))?;
        let mut chunks: Vec<(Vec<String>, Result<Batch<MessageRef>>)> = Vec::new();
        let mut i = 0;
        while i < req.messages.len() {
            let m = &req.messages[i];
            match &m.to {
                Recipient::Group(group_id) => {
                    // Consecutive messages of one group, 7 per call, keep their order.
                    let mut end = i + 1;
                    while end < req.messages.len()
                        && end - i < MAX_GROUP_IMPORT
                        && matches!(&req.messages[end].to, Recipient::Group(g) if g == group_id)
                    {
                        end += 1;
                    }
                    let names: Vec<String> = (i..end).map(|n| n.to_string()).collect();
                    let result = self
                        .import_group(group_id, i, &req.messages[i..end], req)
                        .await;
                    chunks.push((names, result));
                    i = end;
                }
                _ => {
                    let result = self.import_c2c(i, m, req).await;
                    chunks.push((vec![i.to_string()], result));
                    i += 1;
                }
            }
        }
        Batch::from_chunks(chunks)
    }

    /// One `importmsg`, then the message's `MsgKey` from the sender's history at its time.
    async fn import_c2c(
        &self,
        index: usize,
        m: &ImportedMessage,
        req: &ImportMessages,
    ) -> Result<Batch<MessageRef>> {
        let op = Operation::ImportMessages;
        let Recipient::User(to) = &m.to else {
            return Err(Error::invalid_input("to", "is not a user").with_operation(op));
        };
        let random = import_random(m);
        let time = secs(m.sent_at);
        let body = ImportMsg {
            sync_from_old_system: 2,
            from_account: &m.from,
            to_account: to,
            msg_random: random,
            msg_time_stamp: time,
            msg_body: [tagged(op, msg_element(&m.content))?],
        };
        let _: Empty = self
            .run(op, &endpoints::IMPORTMSG, &req.options, &body)
            .await?;
        // importmsg answers no MsgKey; the reference needs it for recall and history.
        let lookup = GetRoamMsg {
            operator_account: &m.from,
            peer_account: to,
            max_cnt: MAX_ROAM_PAGE,
            min_time: time,
            max_time: time,
            last_msg_key: None,
        };
        let answer: GetRoamMsgResponse = self
            .run(op, &endpoints::ADMIN_GETROAMMSG, &req.options, &lookup)
            .await?;
        let mut batch = Batch::new();
        match answer
            .msg_list
            .iter()
            .find(|r| r.msg_random == random && r.from_account == m.from)
        {
            Some(r) => batch.push(c2c_ref(&m.from, to, &r.msg_key)),
            None => batch.fail(
                index.to_string(),
                Error::new(
                    ErrorKind::NotFound,
                    "Tencent accepted the import but its history does not show the message \
                     (older than the roaming window?), so it has no reference",
                )
                .with_vendor(Vendor::Tencent)
                .with_operation(op),
            ),
        }
        Ok(batch)
    }

    /// One `import_group_msg` for up to 7 messages of one group; `ImportMsgResult` per message.
    async fn import_group(
        &self,
        group_id: &str,
        first: usize,
        messages: &[ImportedMessage],
        req: &ImportMessages,
    ) -> Result<Batch<MessageRef>> {
        let op = Operation::ImportMessages;
        let mut msg_list = Vec::with_capacity(messages.len());
        for m in messages {
            msg_list.push(ImportGroupItem {
                from_account: &m.from,
                send_time: secs(m.sent_at),
                random: import_random(m),
                msg_body: [tagged(op, msg_element(&m.content))?],
            });
        }
        let body = ImportGroupMsg { group_id, msg_list };
        let answer: ImportGroupMsgResponse = self
            .run(op, &endpoints::IMPORT_GROUP_MSG, &req.options, &body)
            .await?;
        let mut batch = Batch::new();
        for (n, _) in messages.iter().enumerate() {
            let name = (first + n).to_string();
            match answer.import_msg_result.get(n) {
                Some(r) if r.result == 0 && r.msg_seq > 0 => {
                    let _ = r.msg_time;
                    batch.push(group_ref(group_id, r.msg_seq));
                }
                Some(r) => batch.fail(name, item_error(op, r.result, "")),
                None => batch.fail(
                    name,
                    Error::new(
                        ErrorKind::Decode,
                        "Tencent's answer did not mention this message",
                    )
                    .with_vendor(Vendor::Tencent)
                    .with_operation(op),
                ),
            }
        }
        Ok(batch)
    }
}
