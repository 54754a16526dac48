//! Sending messages: to one user or group, to many users, as the system.

use std::time::SystemTime;

use super::{MessageContent, PushInfo, Recipient};
use crate::options::call_options;
use crate::{CallOptions, MessageRef};

/// Send one message to a user or a group.
///
/// A `SendMessage` is one logical message. Where the vendor de-duplicates (Tencent's `MsgRandom`
/// and `Random`), the backend picks a fresh de-duplication key for each call and reuses it for the
/// retries of that call. To resend the *same* message later without risking a duplicate, set
/// [`SendMessage::dedup_key`] yourself and send the same request again.
///
/// ```
/// use imbridge_core::{MessageContent, Recipient, SendMessage};
///
/// let dm = SendMessage::to_user("lilei", "hanmeimei", MessageContent::text("hi"));
/// assert_eq!(dm.to, Recipient::User("hanmeimei".into()));
/// let group = SendMessage::to_group("lilei", "@TGS#2J4SZEAEL", MessageContent::text("hello all"));
/// assert!(matches!(group.to, Recipient::Group(_)));
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub struct SendMessage {
    /// The sender's user id.
    pub from: String,
    /// The recipient.
    pub to: Recipient,
    /// The content.
    pub content: MessageContent,
    /// A caller-chosen de-duplication key; `None` lets the backend pick a fresh one per call.
    pub dedup_key: Option<u32>,
    /// Whether the message is also synced to the sender's other devices (one-to-one only;
    /// `None` keeps the vendor's default).
    pub sync_to_sender: Option<bool>,
    /// Group members the message mentions (`@`); group messages only.
    #[cfg_attr(feature = "serde", serde(default))]
    pub mentions: Vec<String>,
    /// Whether the message mentions everyone (`@all`); group messages only.
    #[cfg_attr(feature = "serde", serde(default))]
    pub mention_all: bool,
    /// The offline-push notification; `None` keeps the vendor's default.
    #[cfg_attr(feature = "serde", serde(default))]
    pub push: Option<PushInfo>,
    /// Options for this call.
    #[cfg_attr(feature = "serde", serde(skip))]
    pub options: CallOptions,
}

impl SendMessage {
    /// A message from `from` to `recipient`.
    pub fn new(from: impl Into<String>, to: Recipient, content: MessageContent) -> Self {
        SendMessage {
            from: from.into(),
            to,
            content,
            dedup_key: None,
            sync_to_sender: None,
            mentions: Vec::new(),
            mention_all: false,
            push: None,
            options: CallOptions::new(),
        }
    }

    /// Mentions `user_id` (group messages).
    pub fn mention(mut self, user_id: impl Into<String>) -> Self {
        self.mentions.push(user_id.into());
        self
    }

    /// Mentions everyone (group messages).
    pub fn mention_all(mut self) -> Self {
        self.mention_all = true;
        self
    }

    /// Sets the offline-push notification.
    pub fn push(mut self, push: PushInfo) -> Self {
        self.push = Some(push);
        self
    }

    /// A one-to-one message.
    pub fn to_user(
        from: impl Into<String>,
        to: impl Into<String>,
        content: MessageContent,
    ) -> Self {
        SendMessage::new(from, Recipient::User(to.into()), content)
    }

    /// A group message.
    pub fn to_group(
        from: impl Into<String>,
        group_id: impl Into<String>,
        content: MessageContent,
    ) -> Self {
        SendMessage::new(from, Recipient::Group(group_id.into()), content)
    }

    /// Sets the de-duplication key, for resending the same logical message.
    pub fn dedup_key(mut self, key: u32) -> Self {
        self.dedup_key = Some(key);
        self
    }

    /// Sets whether the message is synced to the sender's other devices.
    pub fn sync_to_sender(mut self, sync: bool) -> Self {
        self.sync_to_sender = Some(sync);
        self
    }
}

/// The vendor's acknowledgement of a sent message.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct MessageReceipt {
    /// The reference to the message, unique across the app, for recall and history
    /// (serialized as `"ref"`).
    #[cfg_attr(feature = "serde", serde(rename = "ref"))]
    pub message_ref: MessageRef,
    /// The vendor's id of the message (Tencent one-to-one: `MsgKey`; Tencent group: the
    /// `MsgSeq`, unique only within its group; RongCloud: `messageUID`).
    pub message_id: String,
    /// When the vendor stored the message, if it said so (serialized as Unix seconds).
    #[cfg_attr(feature = "serde", serde(with = "crate::serde_secs::option_time"))]
    pub sent_at: Option<SystemTime>,
    /// The message's sequence number in its conversation, where the vendor has one.
    pub sequence: Option<u64>,
    /// The de-duplication key the message was sent with, if the vendor uses one.
    pub dedup_key: Option<u32>,
}

impl MessageReceipt {
    /// A receipt for the message `message_ref` refers to, whose vendor id is `message_id`.
    pub fn new(message_ref: MessageRef, message_id: impl Into<String>) -> Self {
        MessageReceipt {
            message_ref,
            message_id: message_id.into(),
            sent_at: None,
            sequence: None,
            dedup_key: None,
        }
    }

    /// Sets the time the vendor stored the message.
    pub fn sent_at(mut self, at: SystemTime) -> Self {
        self.sent_at = Some(at);
        self
    }

    /// Sets the sequence number.
    pub fn sequence(mut self, seq: u64) -> Self {
        self.sequence = Some(seq);
        self
    }

    /// Sets the de-duplication key.
    pub fn dedup_key(mut self, key: u32) -> Self {
        self.dedup_key = Some(key);
        self
    }
}

/// One message to many users (each gets it in their one-to-one conversation with `from`). The
/// backend splits the list into the vendor's per-call size; RongCloud counts each recipient as
/// one message against its rate.
///
/// ```
/// use imbridge_core::{MessageContent, SendBatch};
///
/// let req = SendBatch::new("admin", ["lilei", "hanmeimei"], MessageContent::text("hello"));
/// assert_eq!(req.to.len(), 2);
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub struct SendBatch {
    /// The sender.
    pub from: String,
    /// The recipients.
    pub to: Vec<String>,
    /// The content.
    pub content: MessageContent,
    /// The offline-push notification.
    #[cfg_attr(feature = "serde", serde(default))]
    pub push: Option<PushInfo>,
    /// Options for this call.
    #[cfg_attr(feature = "serde", serde(skip))]
    pub options: CallOptions,
}

impl SendBatch {
    /// `content` from `from` to each of `to`.
    pub fn new<I, S>(from: impl Into<String>, to: I, content: MessageContent) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        SendBatch {
            from: from.into(),
            to: to.into_iter().map(Into::into).collect(),
            content,
            push: None,
            options: CallOptions::new(),
        }
    }
}

/// A system message to users: on RongCloud a message in the users' system conversation (they
/// cannot reply; `/message/system/publish.json`); on Tencent, which has no system conversation,
/// a one-to-one message from `from`, else from the client's configured system account, else from
/// the app admin.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub struct SendSystemMessage {
    /// The sending account, where the vendor needs one (`None`: the backend's default).
    #[cfg_attr(feature = "serde", serde(default))]
    pub from: Option<String>,
    /// The recipients.
    pub to: Vec<String>,
    /// The content.
    pub content: MessageContent,
    /// The offline-push notification.
    #[cfg_attr(feature = "serde", serde(default))]
    pub push: Option<PushInfo>,
    /// Options for this call.
    #[cfg_attr(feature = "serde", serde(skip))]
    pub options: CallOptions,
}

impl SendSystemMessage {
    /// `content` to each of `to`, from the backend's system sender.
    pub fn new<I, S>(to: I, content: MessageContent) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        SendSystemMessage {
            from: None,
            to: to.into_iter().map(Into::into).collect(),
            content,
            push: None,
            options: CallOptions::new(),
        }
    }

    /// Sends from `user_id`.
    pub fn from(mut self, user_id: impl Into<String>) -> Self {
        self.from = Some(user_id.into());
        self
    }
}

/// One recipient of a batch send.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Delivery {
    /// The recipient.
    pub user_id: String,
    /// The message as this recipient has it (serialized as `"ref"`).
    #[cfg_attr(feature = "serde", serde(rename = "ref"))]
    pub message_ref: MessageRef,
}

impl Delivery {
    /// `user_id` got the message `message_ref`.
    pub fn new(user_id: impl Into<String>, message_ref: MessageRef) -> Self {
        Delivery {
            user_id: user_id.into(),
            message_ref,
        }
    }
}

call_options!(SendMessage, SendBatch, SendSystemMessage);
