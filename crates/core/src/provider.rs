//! The trait every backend implements.

use std::fmt;

use async_trait::async_trait;

use crate::{
    Capabilities, ClientToken, CreateGroup, CreatedGroup, IssueToken, MessageReceipt, RegisterUser,
    Result, SendMessage, SetProfile, Vendor,
};

/// A server-side connection to one IM cloud.
///
/// The trait is dyn-compatible, so an app can hold an `Arc<dyn ImProvider>` and switch vendors
/// by configuration. Requests are taken by reference: a caller can retry or mirror the same
/// request without cloning it. Every method validates its request before anything is sent and
/// returns [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput) naming the field at fault.
///
/// ```no_run
/// use std::sync::Arc;
/// use imbridge_core::{ImProvider, MessageContent, RegisterUser, SendMessage};
///
/// async fn welcome(im: Arc<dyn ImProvider>) -> imbridge_core::Result<()> {
///     let token = im.register_user(&RegisterUser::new("lilei").nickname("李雷")).await?;
///     // hand `token` to the client app, then:
///     let msg = SendMessage::to_user("admin", token.user_id(), MessageContent::text("welcome"));
///     im.send_message(&msg).await?;
///     Ok(())
/// }
/// ```
#[async_trait]
pub trait ImProvider: Send + Sync + fmt::Debug {
    /// The vendor behind this provider.
    fn vendor(&self) -> Vendor;

    /// What this provider supports.
    fn capabilities(&self) -> &Capabilities;

    /// Registers (imports) a user and returns a client token for them. Idempotent.
    async fn register_user(&self, request: &RegisterUser) -> Result<ClientToken>;

    /// Issues a client token for an existing user.
    async fn issue_token(&self, request: &IssueToken) -> Result<ClientToken>;

    /// Sets some of a user's profile fields.
    async fn set_profile(&self, request: &SetProfile) -> Result<()>;

    /// Creates a group with its initial members and returns its id.
    async fn create_group(&self, request: &CreateGroup) -> Result<CreatedGroup>;

    /// Sends one message to a user or a group.
    async fn send_message(&self, request: &SendMessage) -> Result<MessageReceipt>;
}
