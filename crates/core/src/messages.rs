//! The messages family.

use std::time::SystemTime;

use async_trait::async_trait;

use crate::options::call_options;
use crate::{CallOptions, Result};

/// Where a message goes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Recipient {
    /// One user (one-to-one chat).
    User(String),
    /// A group.
    Group(String),
}

/// An app-defined message payload (Tencent `TIMCustomElem`).
///
/// ```
/// use imbridge_core::CustomPayload;
///
/// let payload = CustomPayload::new(r#"{"order":42}"#).description("order update");
/// assert_eq!(payload.description.as_deref(), Some("order update"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub struct CustomPayload {
    /// The payload, often JSON.
    pub data: String,
    /// A description, shown by some clients and used for offline push.
    pub description: Option<String>,
    /// An extension field.
    pub extension: Option<String>,
    /// The app's name for this kind of payload, where the vendor types custom messages by name
    /// (RongCloud `objectName`, e.g. `App:OrderMsg`); Tencent ignores it.
    pub message_type: Option<String>,
}

impl CustomPayload {
    /// A payload carrying `data`.
    pub fn new(data: impl Into<String>) -> Self {
        CustomPayload {
            data: data.into(),
            description: None,
            extension: None,
            message_type: None,
        }
    }

    /// Sets the app's type name for this payload (RongCloud `objectName`).
    pub fn message_type(mut self, name: impl Into<String>) -> Self {
        self.message_type = Some(name.into());
        self
    }

    /// Sets the description.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// Sets the extension.
    pub fn extension(mut self, extension: impl Into<String>) -> Self {
        self.extension = Some(extension.into());
        self
    }
}

/// What a message says.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum MessageContent {
    /// Plain text.
    Text(String),
    /// An app-defined payload.
    Custom(CustomPayload),
}

impl MessageContent {
    /// A text message.
    pub fn text(text: impl Into<String>) -> Self {
        MessageContent::Text(text.into())
    }

    /// A custom message with only `data` set.
    pub fn custom(data: impl Into<String>) -> Self {
        MessageContent::Custom(CustomPayload::new(data))
    }
}

impl From<CustomPayload> for MessageContent {
    fn from(payload: CustomPayload) -> Self {
        MessageContent::Custom(payload)
    }
}

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
#[derive(Debug, Clone, PartialEq, Eq)]
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
            options: CallOptions::new(),
        }
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
    /// The vendor's id of the message (Tencent one-to-one: `MsgKey`; Tencent group: the `MsgSeq`).
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
    /// A receipt for `message_id` with nothing else known.
    pub fn new(message_id: impl Into<String>) -> Self {
        MessageReceipt {
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

call_options!(SendMessage);

/// The messages family. Reached through [`ImProvider::messages`](crate::Families::messages).
#[async_trait]
pub trait Messages: Send + Sync {
    /// Sends one message to a user or a group.
    async fn send_message(&self, request: &SendMessage) -> Result<MessageReceipt>;
}
