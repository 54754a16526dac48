//! The trait every backend implements: the families, reached through accessors.

use std::fmt;

use crate::{Capabilities, Groups, Messages, Profiles, Users, Vendor};

/// The accessors of the families, implemented for every type that implements them all.
///
/// [`ImProvider`] has it as a supertrait, so `im.users()`, `im.profiles()`, `im.groups()` and
/// `im.messages()` work on any provider, `Arc<dyn ImProvider>` included.
pub trait Families {
    /// Accounts, client tokens, presence and login bans.
    fn users(&self) -> &dyn Users;
    /// User profiles.
    fn profiles(&self) -> &dyn Profiles;
    /// Groups and their members.
    fn groups(&self) -> &dyn Groups;
    /// Sending messages.
    fn messages(&self) -> &dyn Messages;
}

impl<T: Users + Profiles + Groups + Messages> Families for T {
    fn users(&self) -> &dyn Users {
        self
    }
    fn profiles(&self) -> &dyn Profiles {
        self
    }
    fn groups(&self) -> &dyn Groups {
        self
    }
    fn messages(&self) -> &dyn Messages {
        self
    }
}

/// A server-side connection to one IM cloud: every family of operations, the vendor, and what
/// it supports.
///
/// The trait is dyn-compatible, so an app can hold an `Arc<dyn ImProvider>` and switch vendors
/// by configuration. Operations live in family traits reached through accessors
/// ([`users`](Families::users), [`profiles`](Families::profiles), [`groups`](Families::groups),
/// [`messages`](Families::messages)); each operation's name is its registry name
/// ([`Operation`](crate::Operation)). Requests are taken by reference, so a caller can retry or
/// mirror the same request without cloning it. Every method checks the backend's
/// [`Capabilities`] and validates its request before anything is sent, and returns
/// [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput) naming the field at fault or
/// [`ErrorKind::Unsupported`](crate::ErrorKind::Unsupported).
///
/// ```no_run
/// use std::sync::Arc;
/// use imbridge_core::{ImProvider, MessageContent, RegisterUser, SendMessage};
///
/// async fn welcome(im: Arc<dyn ImProvider>) -> imbridge_core::Result<()> {
///     let token = im.users().register_user(&RegisterUser::new("lilei").nickname("李雷")).await?;
///     // hand `token` to the client app, then:
///     let msg = SendMessage::to_user("admin", token.user_id(), MessageContent::text("welcome"));
///     im.messages().send_message(&msg).await?;
///     Ok(())
/// }
/// ```
pub trait ImProvider: Families + Users + Profiles + Groups + Messages + fmt::Debug {
    /// The vendor behind this provider.
    fn vendor(&self) -> Vendor;

    /// What this provider supports.
    fn capabilities(&self) -> &Capabilities;
}
