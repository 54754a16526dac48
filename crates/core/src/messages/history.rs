//! After a send: recalling messages, reading history, importing history from another system.

use std::time::SystemTime;

use super::{MessageContent, Recipient};
use crate::options::call_options;
use crate::{CallOptions, MessageRef};

/// Recall (withdraw) a sent message, by the reference its send returned.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub struct RecallMessage {
    /// The message.
    #[cfg_attr(feature = "serde", serde(rename = "ref"))]
    pub message_ref: MessageRef,
    /// Options for this call.
    #[cfg_attr(feature = "serde", serde(skip))]
    pub options: CallOptions,
}

impl RecallMessage {
    /// Recalls the message `message_ref` refers to.
    pub fn new(message_ref: MessageRef) -> Self {
        RecallMessage {
            message_ref,
            options: CallOptions::new(),
        }
    }
}

/// A conversation whose history to read.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Conversation {
    /// The one-to-one conversation between two users, as `user` sees it.
    Direct {
        /// The user whose side is read.
        user: String,
        /// The other user.
        peer: String,
    },
    /// A group's conversation.
    Group(String),
}

/// Read a conversation's history a page at a time, in the vendor's order (Tencent newest
/// first, RongCloud oldest first). Both vendors keep history
/// only for a while (Tencent's roaming window, RongCloud's cloud storage, which must be enabled).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub struct MessageHistory {
    /// The conversation.
    pub conversation: Conversation,
    /// Only messages sent at or after this time (serialized as Unix seconds).
    #[cfg_attr(
        feature = "serde",
        serde(default, with = "crate::serde_secs::option_time")
    )]
    pub since: Option<SystemTime>,
    /// Only messages sent before this time (serialized as Unix seconds).
    #[cfg_attr(
        feature = "serde",
        serde(default, with = "crate::serde_secs::option_time")
    )]
    pub until: Option<SystemTime>,
    /// The most messages per page (the backend's default when `None`).
    #[cfg_attr(feature = "serde", serde(default))]
    pub limit: Option<u32>,
    /// Where to continue; `None` for the newest page.
    #[cfg_attr(feature = "serde", serde(default))]
    pub cursor: Option<crate::Cursor>,
    /// For a group: the member whose side is read, where the vendor reads group history as
    /// one of its users (RongCloud; else the client's configured default). Tencent ignores it.
    #[cfg_attr(feature = "serde", serde(default))]
    pub viewer: Option<String>,
    /// Options for this call.
    #[cfg_attr(feature = "serde", serde(skip))]
    pub options: CallOptions,
}

impl MessageHistory {
    /// The one-to-one history between `user` and `peer`, as `user` sees it.
    pub fn direct(user: impl Into<String>, peer: impl Into<String>) -> Self {
        MessageHistory::of(Conversation::Direct {
            user: user.into(),
            peer: peer.into(),
        })
    }

    /// A group's history.
    pub fn group(group_id: impl Into<String>) -> Self {
        MessageHistory::of(Conversation::Group(group_id.into()))
    }

    fn of(conversation: Conversation) -> Self {
        MessageHistory {
            conversation,
            since: None,
            until: None,
            limit: None,
            cursor: None,
            viewer: None,
            options: CallOptions::new(),
        }
    }

    /// Reads a group's history as member `user_id` (see [`viewer`](Self::viewer)).
    pub fn as_user(mut self, user_id: impl Into<String>) -> Self {
        self.viewer = Some(user_id.into());
        self
    }

    /// Only messages sent at or after `since`.
    pub fn since(mut self, since: SystemTime) -> Self {
        self.since = Some(since);
        self
    }

    /// Only messages sent before `until`.
    pub fn until(mut self, until: SystemTime) -> Self {
        self.until = Some(until);
        self
    }

    /// Sets the page size.
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }

    /// Continues at `cursor`.
    pub fn cursor(mut self, cursor: crate::Cursor) -> Self {
        self.cursor = Some(cursor);
        self
    }
}

impl crate::PageRequest for MessageHistory {
    fn cursor(&self) -> Option<&crate::Cursor> {
        self.cursor.as_ref()
    }

    fn set_cursor(&mut self, cursor: Option<crate::Cursor>) {
        self.cursor = cursor;
    }
}

/// One message of a conversation's history.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct HistoryMessage {
    /// The message (serialized as `"ref"`); the same reference its send returned where the
    /// vendor keeps what it needs.
    #[cfg_attr(feature = "serde", serde(rename = "ref"))]
    pub message_ref: MessageRef,
    /// The vendor's id of the message, as the send's receipt has it
    /// ([`MessageReceipt::message_id`](crate::MessageReceipt::message_id)): match a sent message
    /// in history by it. (The reference itself may differ from the send's in what the vendor
    /// recorded: RongCloud's send time is the client's at send, history's the vendor's.)
    pub message_id: String,
    /// The sender.
    pub from: String,
    /// The recipient.
    pub to: Recipient,
    /// What it says; `None` for a kind this SDK does not read.
    pub content: Option<MessageContent>,
    /// When the vendor stored it (serialized as Unix seconds).
    #[cfg_attr(feature = "serde", serde(with = "crate::serde_secs::option_time"))]
    pub sent_at: Option<SystemTime>,
    /// Whether it was recalled (where the vendor keeps recalled messages in history).
    pub recalled: bool,
    /// The de-duplication key it was sent with, where the vendor keeps one (Tencent
    /// `MsgRandom` / `Random`).
    pub dedup_key: Option<u32>,
}

impl HistoryMessage {
    /// The message `message_ref` (vendor id `message_id`) from `from` to `to`.
    pub fn new(
        message_ref: MessageRef,
        message_id: impl Into<String>,
        from: impl Into<String>,
        to: Recipient,
    ) -> Self {
        HistoryMessage {
            message_ref,
            message_id: message_id.into(),
            from: from.into(),
            to,
            content: None,
            sent_at: None,
            recalled: false,
            dedup_key: None,
        }
    }
}

/// One message to import into a conversation's history, with its original time.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub struct ImportedMessage {
    /// The sender.
    pub from: String,
    /// The recipient.
    pub to: Recipient,
    /// The content.
    pub content: MessageContent,
    /// When it was originally sent (serialized as Unix seconds).
    #[cfg_attr(feature = "serde", serde(with = "crate::serde_secs::time"))]
    pub sent_at: SystemTime,
}

impl ImportedMessage {
    /// A message from `from` to `to`, sent at `sent_at`.
    pub fn new(
        from: impl Into<String>,
        to: Recipient,
        content: MessageContent,
        sent_at: SystemTime,
    ) -> Self {
        ImportedMessage {
            from: from.into(),
            to,
            content,
            sent_at,
        }
    }
}

/// Import messages from another system into history (migration), without notifying anyone.
/// Importing the same message again is harmless where the vendor de-duplicates imports
/// (Tencent: same sender, recipient, time and random).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub struct ImportMessages {
    /// The messages, in order.
    pub messages: Vec<ImportedMessage>,
    /// Options for this call.
    #[cfg_attr(feature = "serde", serde(skip))]
    pub options: CallOptions,
}

impl ImportMessages {
    /// Imports `messages`.
    pub fn new(messages: Vec<ImportedMessage>) -> Self {
        ImportMessages {
            messages,
            options: CallOptions::new(),
        }
    }
}

call_options!(RecallMessage, MessageHistory, ImportMessages);
