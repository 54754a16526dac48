//! The messages family on Tencent Cloud IM: `openim/sendmsg` and
//! `group_open_http_svc/send_group_msg`.

use std::time::{Duration, UNIX_EPOCH};

use async_trait::async_trait;
use imbridge_core::{
    Error, MessageContent, MessageReceipt, MessageRef, Messages, Operation, Recipient, Result,
    SendMessage, Vendor,
};
use serde::Serialize;

use crate::client::TencentClient;
use crate::endpoints;
use crate::run::tagged;
use crate::validate;
use crate::wire::answer;

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
}

answer!(SendGroupMsgResponse {
    #[serde(rename = "MsgTime")]
    msg_time: Option<u64>,
    #[serde(rename = "MsgSeq")]
    msg_seq: Option<u64>,
});

#[derive(Debug, Serialize)]
struct MsgElement<'a> {
    #[serde(rename = "MsgType")]
    msg_type: &'static str,
    #[serde(rename = "MsgContent")]
    msg_content: MsgContent<'a>,
}

#[derive(Debug, Serialize)]
#[serde(untagged)]
enum MsgContent<'a> {
    Text {
        #[serde(rename = "Text")]
        text: &'a str,
    },
    Custom {
        #[serde(rename = "Data")]
        data: &'a str,
        #[serde(rename = "Desc", skip_serializing_if = "Option::is_none")]
        desc: Option<&'a str>,
        #[serde(rename = "Ext", skip_serializing_if = "Option::is_none")]
        ext: Option<&'a str>,
    },
}
fn msg_element(content: &MessageContent) -> Result<MsgElement<'_>> {
    Ok(match content {
        MessageContent::Text(text) => MsgElement {
            msg_type: "TIMTextElem",
            msg_content: MsgContent::Text { text },
        },
        MessageContent::Custom(p) => MsgElement {
            msg_type: "TIMCustomElem",
            msg_content: MsgContent::Custom {
                data: &p.data,
                desc: p.description.as_deref(),
                ext: p.extension.as_deref(),
            },
        },
        _ => {
            return Err(Error::invalid_input(
                "content",
                "is a content kind this backend does not know",
            ));
        }
    })
}

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

fn unix_time(secs: Option<u64>) -> Option<std::time::SystemTime> {
    secs.map(|s| UNIX_EPOCH + Duration::from_secs(s))
}

#[async_trait]
impl Messages for TencentClient {
    /// `openim/sendmsg` (`MsgRandom`) or `group_open_http_svc/send_group_msg` (`Random`); the
    /// de-duplication key is fresh per call unless the request sets one.
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
                };
                let encoded = encode_message(op, &body, &body.msg_body)?;
                let answer: SendGroupMsgResponse = self
                    .run_encoded(op, &endpoints::SEND_GROUP_MSG, &req.options, encoded)
                    .await?;
                let seq = answer.msg_seq.unwrap_or_default();
                let seq_text = seq.to_string();
                let message_ref = MessageRef::new(Vendor::Tencent, &["group", group_id, &seq_text]);
                let mut receipt = MessageReceipt::new(message_ref, seq_text)
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
                };
                let encoded = encode_message(op, &body, &body.msg_body)?;
                let answer: SendMsgResponse = self
                    .run_encoded(op, &endpoints::SEND_MSG, &req.options, encoded)
                    .await?;
                let id = answer.msg_key.or(answer.msg_id).unwrap_or_default();
                let message_ref = MessageRef::new(Vendor::Tencent, &["c2c", &req.from, to, &id]);
                let mut receipt = MessageReceipt::new(message_ref, id).dedup_key(random);
                receipt.sent_at = unix_time(answer.msg_time);
                Ok(receipt)
            }
            _ => Err(
                Error::invalid_input("to", "is a recipient kind this backend does not know")
                    .with_vendor(Vendor::Tencent)
                    .with_operation(op),
            ),
        }
    }

    async fn send_batch(
        &self,
        _req: &imbridge_core::SendBatch,
    ) -> Result<imbridge_core::Batch<imbridge_core::Delivery>> {
        Err(imbridge_core::check::unsupported(
            Vendor::Tencent,
            Operation::SendBatch,
            "not mapped yet",
        ))
    }

    async fn send_system_message(
        &self,
        _req: &imbridge_core::SendSystemMessage,
    ) -> Result<imbridge_core::Batch<imbridge_core::Delivery>> {
        Err(imbridge_core::check::unsupported(
            Vendor::Tencent,
            Operation::SendSystemMessage,
            "not mapped yet",
        ))
    }

    async fn recall_message(&self, _req: &imbridge_core::RecallMessage) -> Result<()> {
        Err(imbridge_core::check::unsupported(
            Vendor::Tencent,
            Operation::RecallMessage,
            "not mapped yet",
        ))
    }

    async fn message_history(
        &self,
        _req: &imbridge_core::MessageHistory,
    ) -> Result<imbridge_core::Page<imbridge_core::HistoryMessage>> {
        Err(imbridge_core::check::unsupported(
            Vendor::Tencent,
            Operation::MessageHistory,
            "not mapped yet",
        ))
    }

    async fn import_messages(
        &self,
        _req: &imbridge_core::ImportMessages,
    ) -> Result<imbridge_core::Batch<imbridge_core::MessageRef>> {
        Err(imbridge_core::check::unsupported(
            Vendor::Tencent,
            Operation::ImportMessages,
            "not mapped yet",
        ))
    }
}
