//! The messages family on RongCloud: `/message/private/publish.json` and
//! `/message/group/publish.json`.

use async_trait::async_trait;
use imbridge_core::{
    Error, MessageContent, MessageReceipt, MessageRef, Messages, Operation, Recipient, Result,
    SendMessage, Vendor,
};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::client::{RongCloudClient, tagged};
use crate::endpoints;
use crate::validate;

/// The `objectName` of text messages.
pub const TEXT_OBJECT_NAME: &str = "RC:TxtMsg";
/// The `objectName` used for custom payloads that name no type of their own.
pub const DEFAULT_CUSTOM_OBJECT_NAME: &str = "IMB:Custom";

/// The `objectName` and `content` (a JSON string) of a message.
pub fn encode_content(content: &MessageContent) -> Result<(String, String)> {
    match content {
        MessageContent::Text(text) => Ok((
            TEXT_OBJECT_NAME.to_owned(),
            json!({"content": text}).to_string(),
        )),
        MessageContent::Custom(p) => {
            let mut body = json!({"data": p.data});
            if let Some(d) = &p.description {
                body["desc"] = json!(d);
            }
            if let Some(e) = &p.extension {
                body["ext"] = json!(e);
            }
            let name = p
                .message_type
                .clone()
                .unwrap_or_else(|| DEFAULT_CUSTOM_OBJECT_NAME.to_owned());
            Ok((name, body.to_string()))
        }
        _ => Err(Error::invalid_input(
            "content",
            "is a content kind this backend does not know",
        )),
    }
}

#[derive(Serialize)]
struct Publish<'a> {
    #[serde(rename = "fromUserId")]
    from_user_id: &'a str,
    #[serde(rename = "toUserId", skip_serializing_if = "Option::is_none")]
    to_user_id: Option<&'a str>,
    #[serde(rename = "toGroupId", skip_serializing_if = "Option::is_none")]
    to_group_id: Option<&'a str>,
    #[serde(rename = "objectName")]
    object_name: &'a str,
    content: &'a str,
    #[serde(rename = "msgRandom", skip_serializing_if = "Option::is_none")]
    msg_random: Option<u32>,
    #[serde(rename = "isIncludeSender", skip_serializing_if = "Option::is_none")]
    is_include_sender: Option<u8>,
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct MessageUid {
    #[serde(rename = "messageUID")]
    message_uid: String,
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct PublishAnswer {
    #[serde(rename = "messageUIDs")]
    message_uids: Vec<MessageUid>,
    #[serde(rename = "messageUID")]
    message_uid: Option<String>,
}

#[async_trait]
impl Messages for RongCloudClient {
    /// `/message/private/publish.json` or `/message/group/publish.json`. Text is `RC:TxtMsg`
    /// with `{"content": text}`; custom payloads use their `message_type` as `objectName`.
    async fn send_message(&self, req: &SendMessage) -> Result<MessageReceipt> {
        let op = Operation::SendMessage;
        self.begin(op, || validate::send_message(req))?;
        let (object_name, content) = tagged(op, encode_content(&req.content))?;
        tagged(op, validate::content_size(&content))?;
        let mut body = Publish {
            from_user_id: &req.from,
            to_user_id: None,
            to_group_id: None,
            object_name: &object_name,
            content: &content,
            msg_random: req.dedup_key,
            is_include_sender: None,
        };
        let (endpoint, conversation, target) = match &req.to {
            Recipient::User(to) => {
                body.to_user_id = Some(to);
                body.is_include_sender = req.sync_to_sender.map(u8::from);
                (&endpoints::PRIVATE_PUBLISH, "private", to)
            }
            Recipient::Group(gid) => {
                body.to_group_id = Some(gid);
                (&endpoints::GROUP_PUBLISH, "group", gid)
            }
            _ => {
                return tagged(
                    op,
                    Err(Error::invalid_input("to", "is an unknown recipient kind")),
                );
            }
        };
        // The vendor does not return the send time, which recall needs: record it here.
        let sent_ms = self.now_ms();
        let answer: PublishAnswer = self.run(op, endpoint, &req.options, &body).await?;
        let uid = answer
            .message_uids
            .into_iter()
            .next()
            .map(|m| m.message_uid)
            .or(answer.message_uid)
            .unwrap_or_default();
        let sent = sent_ms.to_string();
        let message_ref = MessageRef::new(
            Vendor::RongCloud,
            &[conversation, &req.from, target, &uid, &sent],
        );
        let mut receipt = MessageReceipt::new(message_ref, uid);
        receipt.dedup_key = req.dedup_key;
        receipt.sent_at = Some(std::time::UNIX_EPOCH + std::time::Duration::from_millis(sent_ms));
        Ok(receipt)
    }

    async fn send_batch(
        &self,
        _req: &imbridge_core::SendBatch,
    ) -> Result<imbridge_core::Batch<imbridge_core::Delivery>> {
        Err(imbridge_core::check::unsupported(
            Vendor::RongCloud,
            Operation::SendBatch,
            "not mapped yet",
        ))
    }

    async fn send_system_message(
        &self,
        _req: &imbridge_core::SendSystemMessage,
    ) -> Result<imbridge_core::Batch<imbridge_core::Delivery>> {
        Err(imbridge_core::check::unsupported(
            Vendor::RongCloud,
            Operation::SendSystemMessage,
            "not mapped yet",
        ))
    }

    async fn recall_message(&self, _req: &imbridge_core::RecallMessage) -> Result<()> {
        Err(imbridge_core::check::unsupported(
            Vendor::RongCloud,
            Operation::RecallMessage,
            "not mapped yet",
        ))
    }

    async fn message_history(
        &self,
        _req: &imbridge_core::MessageHistory,
    ) -> Result<imbridge_core::Page<imbridge_core::HistoryMessage>> {
        Err(imbridge_core::check::unsupported(
            Vendor::RongCloud,
            Operation::MessageHistory,
            "not mapped yet",
        ))
    }

    async fn import_messages(
        &self,
        _req: &imbridge_core::ImportMessages,
    ) -> Result<imbridge_core::Batch<imbridge_core::MessageRef>> {
        Err(imbridge_core::check::unsupported(
            Vendor::RongCloud,
            Operation::ImportMessages,
            "not mapped yet",
        ))
    }
}
