//! The messages family on Tencent Cloud IM: one-to-one and group sends (`openim/sendmsg`,
//! `group_open_http_svc/send_group_msg`), batch and system sends (`openim/batchsendmsg`),
//! recall, history and import.
//!
//! A message reference carries what recall and history need: one-to-one
//! `["c2c", from, to, MsgKey]`, group `["group", group_id, MsgSeq]`.

mod content;
mod history;
mod reconcile;

use std::time::{Duration, UNIX_EPOCH};

use async_trait::async_trait;
use imbridge_core::batch::in_chunks;
use imbridge_core::{
    Batch, CallOptions, Delivery, Error, ErrorKind, HistoryMessage, ImportMessages, MessageContent,
    MessageHistory, MessageReceipt, MessageRef, Messages, Operation, Page, PushInfo, RecallMessage,
    Recipient, Result, SendBatch, SendMessage, SendSystemMessage, Vendor,
};
use serde::{Deserialize, Serialize};

use crate::client::TencentClient;
use crate::endpoints;
use crate::run::{item_error, tagged};
use crate::validate::{self, MAX_BATCH_RECIPIENTS};
use crate::wire::{Empty, answer};
use content::{GroupAt, MsgElement, OfflinePushInfo, group_at_info, msg_element, offline_push};

#[derive(Debug, Serialize)]
struct SendMsg<'a> {
    #[serde(rename = "SyncOtherMachine", skip_serializing_if = "Option::is_none")]
    sync_other_machine: Option<u8>,
    #[serde(rename = "From_Account")]
    from_account: &'a str,
    #[serde(rename = "To_Account")]
    to_account: &'a str,
    #[serde(rename = "MsgRandom")]
    msg_random: u32,
    #[serde(rename = "MsgBody")]
    msg_body: [MsgElement<'a>; 1],
    #[serde(rename = "OfflinePushInfo", skip_serializing_if = "Option::is_none")]
    offline_push_info: Option<OfflinePushInfo<'a>>,
}

answer!(SendMsgResponse {
    #[serde(rename = "MsgTime")]
    msg_time: Option<u64>,
    #[serde(rename = "MsgKey")]
    msg_key: Option<String>,
    #[serde(rename = "MsgId")]
    msg_id: Option<String>,
});

#[derive(Debug, Serialize)]
struct SendGroupMsg<'a> {
    #[serde(rename = "GroupId")]
    group_id: &'a str,
    #[serde(rename = "Random")]
    random: u32,
    #[serde(rename = "From_Account")]
    from_account: &'a str,
    #[serde(rename = "MsgBody")]
    msg_body: [MsgElement<'a>; 1],
    #[serde(rename = "GroupAtInfo", skip_serializing_if = "Vec::is_empty")]
    group_at_info: Vec<GroupAt<'a>>,
    #[serde(rename = "OfflinePushInfo", skip_serializing_if = "Option::is_none")]
    offline_push_info: Option<OfflinePushInfo<'a>>,
}

answer!(SendGroupMsgResponse {
    #[serde(rename = "MsgTime")]
    msg_time: Option<u64>,
    #[serde(rename = "MsgSeq")]
    msg_seq: Option<u64>,
});

#[derive(Debug, Serialize)]
struct BatchSendMsg<'a> {
    #[serde(rename = "SyncOtherMachine")]
    sync_other_machine: u8,
    #[serde(rename = "From_Account")]
    from_account: &'a str,
    #[serde(rename = "To_Account")]
    to_account: &'a [String],
    #[serde(rename = "MsgRandom")]
    msg_random: u32,
    #[serde(rename = "MsgBody")]
    msg_body: [MsgElement<'a>; 1],
    #[serde(rename = "OfflinePushInfo", skip_serializing_if = "Option::is_none")]
    offline_push_info: Option<OfflinePushInfo<'a>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RecipientError {
    #[serde(rename = "To_Account")]
    to_account: String,
    #[serde(rename = "ErrorCode")]
    error_code: i64,
}

answer!(BatchSendMsgResponse {
    #[serde(rename = "MsgKey")]
    msg_key: Option<String>,
    #[serde(rename = "MsgId")]
    msg_id: Option<String>,
    #[serde(rename = "ErrorList")]
    error_list: Vec<RecipientError>,
});

#[derive(Debug, Serialize)]
struct AdminMsgWithdraw<'a> {
    #[serde(rename = "From_Account")]
    from_account: &'a str,
    #[serde(rename = "To_Account")]
    to_account: &'a str,
    #[serde(rename = "MsgKey")]
    msg_key: &'a str,
}

#[derive(Debug, Serialize)]
struct MsgSeqItem {
    #[serde(rename = "MsgSeq")]
    msg_seq: u64,
}

#[derive(Debug, Serialize)]
struct GroupMsgRecall<'a> {
    #[serde(rename = "GroupId")]
    group_id: &'a str,
    #[serde(rename = "MsgSeqList")]
    msg_seq_list: [MsgSeqItem; 1],
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RecallRet {
    #[serde(rename = "MsgSeq")]
    msg_seq: u64,
    #[serde(rename = "RetCode")]
    ret_code: i64,
}

answer!(GroupMsgRecallResponse {
    #[serde(rename = "RecallRetList")]
    recall_ret_list: Vec<RecallRet>,
});

/// The length of `value`'s JSON, counted without building it.
fn json_len<T: serde::Serialize + ?Sized>(value: &T) -> usize {
    struct Count(usize);
    impl std::io::Write for Count {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0 += buf.len();
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut count = Count(0);
    match serde_json::to_writer(&mut count, value) {
        Ok(()) => count.0,
        Err(_) => 0,
    }
}

/// Encodes a send's `body` and checks the size of its `MsgBody` before anything is sent. The
/// `MsgBody` JSON is part of the body, so it is counted exactly only when the body is too big.
fn encode_message<B: serde::Serialize>(
    op: Operation,
    body: &B,
    msg_body: &[MsgElement<'_>],
) -> Result<bytes::Bytes> {
    let encoded = crate::client::encode(op, body)?;
    if encoded.len() > validate::MAX_MESSAGE_BYTES {
        tagged(op, validate::encoded_message_size(json_len(msg_body)))?;
    }
    Ok(encoded)
}

pub(crate) fn unix_time(secs: Option<u64>) -> Option<std::time::SystemTime> {
    secs.filter(|s| *s > 0)
        .map(|s| UNIX_EPOCH + Duration::from_secs(s))
}

/// The reference of a one-to-one message.
pub(crate) fn c2c_ref(from: &str, to: &str, msg_key: &str) -> MessageRef {
    MessageRef::new(Vendor::Tencent, &["c2c", from, to, msg_key])
}

/// The reference of a group message.
pub(crate) fn group_ref(group_id: &str, seq: u64) -> MessageRef {
    MessageRef::new(Vendor::Tencent, &["group", group_id, &seq.to_string()])
}

/// What a Tencent reference points at.
enum Target {
    C2c {
        from: String,
        to: String,
        msg_key: String,
    },
    Group {
        group_id: String,
        seq: u64,
    },
}

/// Reads a reference this crate made; anything else is invalid input naming `message_ref`.
fn parse_ref(r: &MessageRef) -> Result<Target> {
    let bad = |why: &str| Error::invalid_input("message_ref", why.to_owned());
    if r.vendor() != Vendor::Tencent {
        return Err(bad(
            "was made by another vendor's backend; Tencent cannot find that message",
        ));
    }
    let parts = r.parts();
    match parts.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["c2c", from, to, key] if !from.is_empty() && !to.is_empty() && !key.is_empty() => {
            Ok(Target::C2c {
                from: from.to_owned(),
                to: to.to_owned(),
                msg_key: key.to_owned(),
            })
        }
        ["group", group_id, seq] if !group_id.is_empty() => match seq.parse::<u64>() {
            Ok(seq) if seq > 0 => Ok(Target::Group {
                group_id: group_id.to_owned(),
                seq,
            }),
            _ => Err(bad("has a group message sequence that is not a number")),
        },
        _ => Err(bad("is not a Tencent message reference imbridge made")),
    }
}

/// One recipient the vendor's answer did not mention as failed took the message.
fn recipient_failed(op: Operation, e: &RecipientError) -> Error {
    item_error(op, e.error_code, "")
}

impl TencentClient {
    /// `content` from `from` to each of `to` by `openim/batchsendmsg`, 500 recipients per call
    /// with one `MsgRandom` per call (the same on that call's retries).
    async fn batch_send(
        &self,
        op: Operation,
        from: &str,
        to: &[String],
        content: &MessageContent,
        push: Option<&PushInfo>,
        options: &CallOptions,
    ) -> Result<Batch<Delivery>> {
        let element = tagged(op, msg_element(content))?;
        let size = json_len(&[&element]);
        tagged(op, validate::encoded_message_size(size))?;
        in_chunks(
            to,
            MAX_BATCH_RECIPIENTS,
            String::clone,
            |chunk| async move {
                let body = BatchSendMsg {
                    // 2: the sender's own devices and roaming do not get a copy per recipient.
                    sync_other_machine: 2,
                    from_account: from,
                    to_account: chunk,
                    msg_random: rand::random(),
                    msg_body: [tagged(op, msg_element(content))?],
                    offline_push_info: offline_push(push),
                };
                let answer: BatchSendMsgResponse = self
                    .run(op, &endpoints::BATCH_SEND_MSG, options, &body)
                    .await?;
                let key = answer.msg_key.or(answer.msg_id).unwrap_or_default();
                let mut batch = Batch::new();
                for id in chunk {
                    match answer.error_list.iter().find(|e| &e.to_account == id) {
                        Some(e) => batch.fail(id, recipient_failed(op, e)),
                        None if key.is_empty() => batch.fail(
                            id,
                            Error::new(
                                ErrorKind::Decode,
                                "Tencent's answer carried no MsgKey for this recipient",
                            )
                            .with_vendor(Vendor::Tencent)
                            .with_operation(op),
                        ),
                        None => batch.push(Delivery::new(id, c2c_ref(from, id, &key))),
                    }
                }
                Ok(batch)
            },
        )
        .await
    }
}

#[async_trait]
impl Messages for TencentClient {
    /// `openim/sendmsg` (`MsgRandom`) or `group_open_http_svc/send_group_msg` (`Random`,
    /// `GroupAtInfo` for mentions); `OfflinePushInfo` for `push`. The de-duplication key is
    /// fresh per call unless the request sets one, and the same on every retry.
    ///
    /// Tencent de-duplicates `MsgRandom` only within the same second, so a one-to-one send
    /// whose answer was lost after it may have reached the server is never resent blindly:
    /// the sender's recent history is searched for its `MsgRandom` first, and a message found
    /// there is the answer (see `docs/tencent.md`, "Sends are never duplicated").
    async fn send_message(&self, req: &SendMessage) -> Result<MessageReceipt> {
        let op = Operation::SendMessage;
        self.begin(op, || validate::send_message(req))?;
        let element = tagged(op, msg_element(&req.content))?;
        let random = req.dedup_key.unwrap_or_else(rand::random);
        match &req.to {
            Recipient::Group(group_id) => {
                let body = SendGroupMsg {
                    group_id,
                    random,
                    from_account: &req.from,
                    msg_body: [element],
                    group_at_info: group_at_info(&req.mentions, req.mention_all),
                    offline_push_info: offline_push(req.push.as_ref()),
                };
                let encoded = encode_message(op, &body, &body.msg_body)?;
                let answer: SendGroupMsgResponse = self
                    .run_encoded(op, &endpoints::SEND_GROUP_MSG, &req.options, encoded)
                    .await?;
                let seq = answer.msg_seq.unwrap_or_default();
                let mut receipt = MessageReceipt::new(group_ref(group_id, seq), seq.to_string())
                    .sequence(seq)
                    .dedup_key(random);
                receipt.sent_at = unix_time(answer.msg_time);
                Ok(receipt)
            }
            Recipient::User(to) => {
                let body = SendMsg {
                    sync_other_machine: req.sync_to_sender.map(|sync| if sync { 1 } else { 2 }),
                    from_account: &req.from,
                    to_account: to,
                    msg_random: random,
                    msg_body: [element],
                    offline_push_info: offline_push(req.push.as_ref()),
                };
                let encoded = encode_message(op, &body, &body.msg_body)?;
                let sent = reconcile::Sent {
                    from: &req.from,
                    to,
                    random,
                    synced_to_sender: req.sync_to_sender != Some(false),
                };
                let (key, time) = self.send_c2c(op, &sent, &req.options, encoded).await?;
                let mut receipt =
                    MessageReceipt::new(c2c_ref(&req.from, to, &key), key).dedup_key(random);
                receipt.sent_at = unix_time(time);
                Ok(receipt)
            }
            _ => Err(
                Error::invalid_input("to", "is a recipient kind this backend does not know")
                    .with_vendor(Vendor::Tencent)
                    .with_operation(op),
            ),
        }
    }

    /// `openim/batchsendmsg`: 500 recipients per call, one `MsgRandom` per call; the answer's
    /// `MsgKey` makes each recipient's reference, `ErrorList` entries are failed items. The
    /// vendor states no de-duplication window for it, so a call whose answer was lost after it
    /// reached the server is not resent: its recipients fail with an outcome-unknown error.
    async fn send_batch(&self, req: &SendBatch) -> Result<Batch<Delivery>> {
        let op = Operation::SendBatch;
        self.begin(op, || {
            validate::batch_send(&req.from, &req.to, &req.content)
        })?;
        self.batch_send(
            op,
            &req.from,
            &req.to,
            &req.content,
            req.push.as_ref(),
            &req.options,
        )
        .await
    }

    /// Tencent has no system conversation: `openim/batchsendmsg` from `req.from`, else from
    /// the client's [system account](crate::TencentClientBuilder::system_account), else from
    /// the app admin. Users see it as a one-to-one message from that account (and can reply),
    /// unlike RongCloud's system conversation.
    async fn send_system_message(&self, req: &SendSystemMessage) -> Result<Batch<Delivery>> {
        let op = Operation::SendSystemMessage;
        let from = req.from.as_deref().unwrap_or_else(|| self.system_account());
        self.begin(op, || validate::batch_send(from, &req.to, &req.content))?;
        self.batch_send(
            op,
            from,
            &req.to,
            &req.content,
            req.push.as_ref(),
            &req.options,
        )
        .await
    }

    /// `openim/admin_msgwithdraw` (`From_Account`, `To_Account`, `MsgKey`) for a one-to-one
    /// reference, `group_open_http_svc/group_msg_recall` (`GroupId`, `MsgSeqList`) for a group
    /// one; a `RecallRetList` entry with a non-zero `RetCode` is the error.
    async fn recall_message(&self, req: &RecallMessage) -> Result<()> {
        let op = Operation::RecallMessage;
        let mut target = None;
        self.begin(op, || {
            target = Some(parse_ref(&req.message_ref)?);
            Ok(())
        })?;
        match target {
            Some(Target::C2c { from, to, msg_key }) => {
                let body = AdminMsgWithdraw {
                    from_account: &from,
                    to_account: &to,
                    msg_key: &msg_key,
                };
                let _: Empty = self
                    .run(op, &endpoints::ADMIN_MSGWITHDRAW, &req.options, &body)
                    .await?;
                Ok(())
            }
            Some(Target::Group { group_id, seq }) => {
                let body = GroupMsgRecall {
                    group_id: &group_id,
                    msg_seq_list: [MsgSeqItem { msg_seq: seq }],
                };
                let answer: GroupMsgRecallResponse = self
                    .run(op, &endpoints::GROUP_MSG_RECALL, &req.options, &body)
                    .await?;
                match answer.recall_ret_list.iter().find(|r| r.msg_seq == seq) {
                    Some(r) if r.ret_code != 0 => Err(item_error(op, r.ret_code, "")),
                    _ => Ok(()),
                }
            }
            None => Err(Error::invalid_input("message_ref", "is missing")),
        }
    }

    /// `openim/admin_getroammsg` (one-to-one, `LastMsgKey` as the cursor, ≤ 100 per page) or
    /// `group_open_http_svc/group_msg_get_simple` (group, `ReqMsgSeq` walking down as the
    /// cursor, ≤ 20 per page).
    async fn message_history(&self, req: &MessageHistory) -> Result<Page<HistoryMessage>> {
        self.history(req).await
    }

    /// `openim/importmsg` per one-to-one message (`SyncFromOldSystem` 2), then its `MsgKey`
    /// read back from history; `group_open_http_svc/import_group_msg` for group messages, 7 per
    /// call. Each message's random is derived from the message itself, so importing it again
    /// is de-duplicated by the vendor.
    async fn import_messages(&self, req: &ImportMessages) -> Result<Batch<MessageRef>> {
        self.import(req).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_parse_back() {
        assert!(matches!(
            parse_ref(&c2c_ref("a", "b", "1_2_3")),
            Ok(Target::C2c { .. })
        ));
        assert!(matches!(
            parse_ref(&group_ref("g", 7)),
            Ok(Target::Group { seq: 7, .. })
        ));
        let other = MessageRef::new(Vendor::RongCloud, &["c2c", "a", "b", "k"]);
        assert_eq!(
            parse_ref(&other).err().map(|e| e.kind()),
            Some(ErrorKind::InvalidInput)
        );
        let bad = MessageRef::new(Vendor::Tencent, &["group", "g", "x"]);
        assert!(parse_ref(&bad).is_err());
    }
}
