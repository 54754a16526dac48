//! The messages family on RongCloud.
//!
//! | operation | endpoint |
//! |---|---|
//! | `send_message` | `/message/private/publish.json` (one `toUserId`) or `/message/group/publish.json` |
//! | `send_batch` | `/message/private/publish.json`, at most 1000 repeated `toUserId` a call |
//! | `send_system_message` | `/message/system/publish.json`, at most 100 `toUserId` a call |
//! | `recall_message` | `/message/recall.json` |
//! | `message_history` | `/v3/message/private/query.json`, `/v3/message/group/query.json` (JSON) |
//! | `import_messages` | none: RongCloud has no import API ([`ErrorKind::Unsupported`](imbridge_core::ErrorKind::Unsupported)) |
//!
//! Every send's reference is `[conversation, from, target, messageUID, sent_ms]` with the
//! conversation `private`, `group` or `system` and the send time recorded by the client (the
//! vendor's answer has none, and recall needs one).
//!
//! RongCloud counts a one-to-one or system send as one message per recipient (6000 a minute
//! for one-to-one, 100 a second for system): a batch call waits for one unit of its
//! operation's client-side limit per recipient. The limits are per operation, so
//! `send_message` to users and `send_batch` each have their own budget while the vendor's is
//! shared: configure them to add up to the app's quota when both run at full rate.

mod content;
mod history;
mod lost;

use async_trait::async_trait;
use imbridge_core::batch::in_chunks;
use imbridge_core::{
    Batch, Delivery, Error, HistoryMessage, ImportMessages, MessageHistory, MessageReceipt,
    MessageRef, Messages, Operation, Page, PushInfo, RecallMessage, Recipient, Result, SendBatch,
    SendMessage, SendSystemMessage, Vendor, check,
};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::client::{RongCloudClient, tagged};
use crate::endpoints;
use crate::validate;
use content::Mentions;
pub use content::{
    DEFAULT_CUSTOM_OBJECT_NAME, FILE_OBJECT_NAME, IMAGE_OBJECT_NAME, LOCATION_OBJECT_NAME,
    SOUND_OBJECT_NAME, TEXT_OBJECT_NAME, VIDEO_OBJECT_NAME, encode_content,
};

/// Most recipients of one `/message/system/publish.json` call; longer lists are split.
pub const MAX_SYSTEM_RECIPIENTS: usize = 100;

#[derive(Serialize)]
struct Publish<'a> {
    #[serde(rename = "fromUserId")]
    from_user_id: &'a str,
    #[serde(rename = "toUserId", skip_serializing_if = "Vec::is_empty")]
    to_user_id: Vec<&'a str>,
    #[serde(rename = "toGroupId", skip_serializing_if = "Option::is_none")]
    to_group_id: Option<&'a str>,
    #[serde(rename = "objectName")]
    object_name: &'a str,
    content: &'a str,
    #[serde(rename = "pushContent", skip_serializing_if = "Option::is_none")]
    push_content: Option<&'a str>,
    #[serde(rename = "pushData", skip_serializing_if = "Option::is_none")]
    push_data: Option<&'a str>,
    #[serde(rename = "pushExt", skip_serializing_if = "Option::is_none")]
    push_ext: Option<String>,
    #[serde(rename = "isMentioned", skip_serializing_if = "Option::is_none")]
    is_mentioned: Option<u8>,
    #[serde(rename = "msgRandom", skip_serializing_if = "Option::is_none")]
    msg_random: Option<u32>,
    #[serde(rename = "isIncludeSender", skip_serializing_if = "Option::is_none")]
    is_include_sender: Option<u8>,
}

impl<'a> Publish<'a> {
    /// A message from `from` with its content and offline push: `pushContent` is the push's
    /// text, `pushData` its extras, and the title goes in `pushExt` as `{"title": …}`.
    fn new(
        from: &'a str,
        object_name: &'a str,
        content: &'a str,
        push: Option<&'a PushInfo>,
    ) -> Self {
        Publish {
            from_user_id: from,
            to_user_id: Vec::new(),
            to_group_id: None,
            object_name,
            content,
            push_content: push.and_then(|p| p.body.as_deref()),
            push_data: push.and_then(|p| p.extras.as_deref()),
            push_ext: push
                .and_then(|p| p.title.as_deref())
                .map(|t| json!({ "title": t }).to_string()),
            is_mentioned: None,
            msg_random: None,
            is_include_sender: None,
        }
    }
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct MessageUid {
    #[serde(rename = "userId")]
    user_id: Option<String>,
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

impl PublishAnswer {
    /// The message UID of the only (or first) recipient.
    fn first(&self) -> String {
        self.message_uids
            .first()
            .map(|m| m.message_uid.clone())
            .or_else(|| self.message_uid.clone())
            .unwrap_or_default()
    }

    /// Each recipient's message UID, in the order asked: by `userId`, else by position when
    /// the answer lists one per recipient; empty when the answer names none (the documented
    /// answer is only `code`).
    fn per_recipient(&self, to: &[String]) -> Vec<String> {
        let by_position = self.message_uids.len() == to.len();
        to.iter()
            .enumerate()
            .map(|(i, id)| {
                self.message_uids
                    .iter()
                    .find(|m| m.user_id.as_deref() == Some(id.as_str()))
                    .or_else(|| by_position.then(|| &self.message_uids[i]))
                    .map(|m| m.message_uid.clone())
                    .unwrap_or_default()
            })
            .collect()
    }
}

/// A reference in the form every send returns.
pub(crate) fn message_ref(
    conversation: &str,
    from: &str,
    target: &str,
    uid: &str,
    ms: u64,
) -> MessageRef {
    MessageRef::new(
        Vendor::RongCloud,
        &[conversation, from, target, uid, &ms.to_string()],
    )
}

fn at(ms: u64) -> std::time::SystemTime {
    std::time::UNIX_EPOCH + std::time::Duration::from_millis(ms)
}

impl RongCloudClient {
    /// One call of a send to many users (one-to-one or system): waits for one unit of the
    /// operation's rate per recipient, sends, and gives each recipient its reference.
    #[allow(clippy::too_many_arguments)]
    async fn publish_to_users(
        &self,
        op: Operation,
        endpoint: &imbridge_core::catalogue::Endpoint,
        conversation: &str,
        from: &str,
        to: &[String],
        object_name: &str,
        content: &str,
        push: Option<&PushInfo>,
        options: &imbridge_core::CallOptions,
    ) -> Result<Batch<Delivery>> {
        self.acquire_extra(op, to.len().saturating_sub(1)).await;
        let mut body = Publish::new(from, object_name, content, push);
        body.to_user_id = to.iter().map(String::as_str).collect();
        let sent_ms = self.now_ms();
        let answer: PublishAnswer = self.run(op, endpoint, options, &body).await?;
        let mut batch = Batch::new();
        for (id, uid) in to.iter().zip(answer.per_recipient(to)) {
            batch.push(Delivery::new(
                id,
                message_ref(conversation, from, id, &uid, sent_ms),
            ));
        }
        Ok(batch)
    }
}

#[async_trait]
impl Messages for RongCloudClient {
    /// `/message/private/publish.json` or `/message/group/publish.json` (see the module docs
    /// for the content kinds). Mentions (group messages only; refused on one-to-one messages
    /// before sending) go in the content's `mentionedInfo` with `isMentioned=1`; the push in
    /// `pushContent`, `pushData` and `pushExt` `{"title"}`.
    ///
    /// A send is not idempotent at RongCloud (`msgRandom` de-duplicates only where the app had
    /// it enabled by a ticket), so it is never resent blind. When an attempt may have reached
    /// the vendor and its answer was lost, the conversation's history is read for it (a short
    /// window around the send time; same sender, target, type and content): found, the send
    /// succeeded with that message's UID; not there while history answered, the vendor stored
    /// nothing and the message is sent once more; history unavailable (cloud storage off, or
    /// down), the error says the outcome is unknown ([`Error::is_outcome_unknown`]).
    async fn send_message(&self, req: &SendMessage) -> Result<MessageReceipt> {
        let op = Operation::SendMessage;
        self.begin(op, || validate::send_message(req))?;
        let mentions = if req.mention_all {
            Mentions::All
        } else if req.mentions.is_empty() {
            Mentions::None
        } else {
            Mentions::Some(&req.mentions)
        };
        let (object_name, content) = tagged(op, content::encode(&req.content, &mentions))?;
        tagged(op, validate::content_size(&content))?;
        let mut body = Publish::new(&req.from, &object_name, &content, req.push.as_ref());
        body.msg_random = req.dedup_key;
        let (endpoint, conversation, target) = match &req.to {
            Recipient::User(to) => {
                body.to_user_id = vec![to];
                body.is_include_sender = req.sync_to_sender.map(u8::from);
                (&endpoints::PRIVATE_PUBLISH, history::Kind::Private, to)
            }
            Recipient::Group(gid) => {
                body.to_group_id = Some(gid);
                if !matches!(mentions, Mentions::None) {
                    body.is_mentioned = Some(1);
                }
                (&endpoints::GROUP_PUBLISH, history::Kind::Group, gid)
            }
            _ => {
                return tagged(
                    op,
                    Err(Error::invalid_input("to", "is an unknown recipient kind")),
                );
            }
        };
        let sent = lost::Sent {
            conversation,
            from: &req.from,
            target,
            object_name: &object_name,
            content: &content,
        };
        let (uid, sent_ms) = self
            .publish_checked(op, endpoint, &req.options, &body, &sent)
            .await?;
        let message_ref = message_ref(conversation.as_str(), &req.from, target, &uid, sent_ms);
        let mut receipt = MessageReceipt::new(message_ref, uid);
        receipt.dedup_key = req.dedup_key;
        receipt.sent_at = Some(at(sent_ms));
        Ok(receipt)
    }

    /// `/message/private/publish.json` with up to 1000 repeated `toUserId` a call; each
    /// recipient's reference carries its own `messageUID` from the answer's `messageUIDs`.
    /// RongCloud does not report unknown recipients (any user id is accepted), so no item
    /// fails for that. A call whose answer was lost after it may have reached the vendor fails
    /// its recipients with [`Error::is_outcome_unknown`] and is not resent.
    async fn send_batch(&self, req: &SendBatch) -> Result<Batch<Delivery>> {
        let op = Operation::SendBatch;
        self.begin(op, || {
            validate::send_to_users(Some(&req.from), &req.to, &req.content)
        })?;
        let (object_name, content) = tagged(op, encode_content(&req.content))?;
        tagged(op, validate::content_size(&content))?;
        in_chunks(
            &req.to,
            validate::MAX_USERS_PER_CALL,
            String::clone,
            |chunk| {
                let (object_name, content) = (&object_name, &content);
                async move {
                    self.publish_to_users(
                        op,
                        &endpoints::PRIVATE_PUBLISH,
                        "private",
                        &req.from,
                        chunk,
                        object_name,
                        content,
                        req.push.as_ref(),
                        &req.options,
                    )
                    .await
                }
            },
        )
        .await
    }

    /// `/message/system/publish.json` with up to 100 `toUserId` a call, from `from`, else the
    /// client's [`system_account`](crate::RongCloudClientBuilder::system_account); without
    /// either it is refused before sending (the vendor needs a `fromUserId`). References have
    /// the conversation `system`. Lost answers are handled as in [`Self::send_batch`].
    async fn send_system_message(&self, req: &SendSystemMessage) -> Result<Batch<Delivery>> {
        let op = Operation::SendSystemMessage;
        self.begin(op, || {
            validate::send_to_users(req.from.as_deref(), &req.to, &req.content)
        })?;
        let from = match req.from.as_deref().or(self.system_account()) {
            Some(from) => from,
            None => {
                return tagged(
                    op,
                    Err(Error::invalid_input(
                        "from",
                        "is required: RongCloud sends system messages from a user id; name one \
                         or configure the client's system_account",
                    )),
                );
            }
        };
        let (object_name, content) = tagged(op, encode_content(&req.content))?;
        tagged(op, validate::content_size(&content))?;
        in_chunks(&req.to, MAX_SYSTEM_RECIPIENTS, String::clone, |chunk| {
            let (object_name, content) = (&object_name, &content);
            async move {
                self.publish_to_users(
                    op,
                    &endpoints::SYSTEM_PUBLISH,
                    "system",
                    from,
                    chunk,
                    object_name,
                    content,
                    req.push.as_ref(),
                    &req.options,
                )
                .await
            }
        })
        .await
    }

    /// `/message/recall.json`: `fromUserId`, `conversationType` (1 one-to-one, 3 group, 6
    /// system), `targetId`, `messageUID` and `sentTime`, all from the reference a send (or
    /// history) returned. A reference of another vendor or not in that form is refused before
    /// sending.
    async fn recall_message(&self, req: &RecallMessage) -> Result<()> {
        let op = Operation::RecallMessage;
        let mut parsed = None;
        self.begin(op, || {
            parsed = Some(history::parse_ref(&req.message_ref)?);
            Ok(())
        })?;
        let Some(r) = parsed else {
            return tagged(op, Err(Error::invalid_input("message_ref", "is missing")));
        };
        #[derive(Serialize)]
        struct Recall<'a> {
            #[serde(rename = "fromUserId")]
            from_user_id: &'a str,
            #[serde(rename = "conversationType")]
            conversation_type: u8,
            #[serde(rename = "targetId")]
            target_id: &'a str,
            #[serde(rename = "messageUID")]
            message_uid: &'a str,
            #[serde(rename = "sentTime")]
            sent_time: u64,
        }
        let body = Recall {
            from_user_id: &r.from,
            conversation_type: r.conversation.recall_type(),
            target_id: &r.target,
            message_uid: &r.uid,
            sent_time: r.sent_ms,
        };
        let _: crate::run::Done = self
            .run(op, &endpoints::RECALL, &req.options, &body)
            .await?;
        Ok(())
    }

    /// `/v3/message/private/query.json` or `/v3/message/group/query.json` (JSON bodies) for a
    /// window `[since, until]` (default: the 180 days up to now), `pageSize` 1–100 (default 50).
    ///
    /// Pages run newest first: the window is asked backwards (`startTime` = until, `endTime` =
    /// since; rc-go's own example does so), and the next page asks again from the last
    /// message's `msgTime`, leaving out the messages of that millisecond already returned (the
    /// cursor carries them). A one-to-one history is read from `user`'s side; a group's as the
    /// request's `viewer` (`as_user`), else the client's `group_operator`, else its
    /// `system_account` (the query needs a `userId`; without any it is refused before sending).
    ///
    /// References have the send's form with the vendor's `msgTime` (a send's reference holds
    /// the client's recorded time instead, so the two differ in that part; the `messageUID` is
    /// the same). Content is read back from `objectName`/`content` (`None` for kinds imbridge
    /// does not read); the vendor's recall notice (`RC:RcNtf`) and messages named by a recall
    /// command (`RC:RcCmd`) in the page are `recalled`.
    ///
    /// Needs the app's "cloud storage for one-to-one and group messages" (off by default; in
    /// production only on the Premium and Ultimate plans); without it the vendor refuses the
    /// query (code 1009, service not enabled — the code is unconfirmed).
    async fn message_history(&self, req: &MessageHistory) -> Result<Page<HistoryMessage>> {
        self.history_page(req).await
    }

    /// Refused: RongCloud has no API to import messages into history.
    async fn import_messages(&self, _req: &ImportMessages) -> Result<Batch<MessageRef>> {
        Err(check::unsupported(
            Vendor::RongCloud,
            Operation::ImportMessages,
            "RongCloud's Server API has no endpoint to import messages into history (none in \
             its documentation or official SDKs); send them instead, or keep them in your own \
             store",
        ))
    }
}
