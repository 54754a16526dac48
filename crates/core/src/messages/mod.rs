//! The messages family: sending (one, to many, as the system), recalling, history, import.

mod content;
mod history;
mod send;

use async_trait::async_trait;

pub use content::{
    CustomPayload, FileContent, ImageContent, LocationContent, MediaContent, MessageContent,
    PushInfo, Recipient,
};
pub use history::{
    Conversation, HistoryMessage, ImportMessages, ImportedMessage, MessageHistory, RecallMessage,
};
pub use send::{Delivery, MessageReceipt, SendBatch, SendMessage, SendSystemMessage};

use crate::{Batch, MessageRef, Page, Result};

/// The messages family. Reached through [`ImProvider::messages`](crate::Families::messages).
///
/// Every send returns a [`MessageRef`] that recall and history take. A send is never delivered
/// twice by a retry and never reported as sent when it was not: where the vendor de-duplicates,
/// the key stays the same across attempts; where an answer was lost after the vendor may have
/// processed the message, the backend checks before resending or reports the outcome unknown.
#[async_trait]
pub trait Messages: Send + Sync {
    /// Sends one message to a user or a group.
    async fn send_message(&self, request: &SendMessage) -> Result<MessageReceipt>;

    /// Sends one message to many users; each recipient succeeds with its own reference, and an
    /// unknown recipient is a failed item where the vendor tells.
    async fn send_batch(&self, request: &SendBatch) -> Result<Batch<Delivery>>;

    /// Sends a system message to users (see [`SendSystemMessage`] for what each vendor does).
    async fn send_system_message(&self, request: &SendSystemMessage) -> Result<Batch<Delivery>>;

    /// Recalls a sent message.
    async fn recall_message(&self, request: &RecallMessage) -> Result<()>;

    /// One page of a conversation's history, in the vendor's order (Tencent newest first,
    /// RongCloud oldest first); the cursor continues in that order.
    async fn message_history(&self, request: &MessageHistory) -> Result<Page<HistoryMessage>>;

    /// Imports messages into history; each succeeds with its reference.
    async fn import_messages(&self, request: &ImportMessages) -> Result<Batch<MessageRef>>;
}
