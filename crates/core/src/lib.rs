//! Vendor-neutral core of [imbridge](https://github.com/imbridge/imbridge).
//!
//! This crate defines what every IM backend implements and what every caller programs against:
//!
//! * the operation registry ([`ops`]: [`Operation`], its [`Family`] and [`Access`]), where
//!   every operation is listed once under the name every layer uses;
//! * [`ImProvider`], the dyn-compatible trait of a backend, whose families are reached through
//!   accessors: [`Users`] (`im.users()`), [`Profiles`], [`Groups`], [`Messages`];
//! * the requests of each family, all `#[non_exhaustive]` with builder methods and a
//!   [`CallOptions`] field, and their results;
//! * shared result shapes: [`Page`] with an opaque [`Cursor`], and [`Batch`], whose failed items
//!   are errors ([`ItemError`]);
//! * one [`Error`] type with an [`ErrorKind`], the vendor's own code and message, the request id
//!   and [`Error::is_retryable`];
//! * [`Capabilities`], which says what a backend supports, checked centrally ([`check`]);
//! * helpers shared by backends: base-URL policy ([`endpoint`]), an injectable [`Clock`], the
//!   reliability policy ([`policy`]), and with the `http` feature the HTTP client they send
//!   with (`http`).
//!
//! With the `serde` feature, requests deserialize and results serialize (the CLI's
//! `imbridge call` uses it).
//!
//! Vendor details never live here: each vendor crate maps its wire protocol onto these types.
#![warn(missing_docs)]

pub mod batch;
mod capabilities;
pub mod catalogue;
pub mod check;
pub mod clock;
pub mod codes;
pub mod endpoint;
mod error;
mod groups;
#[cfg(feature = "http")]
pub mod http;
mod message_ref;
mod messages;
pub mod ops;
mod options;
mod page;
pub mod policy;
mod profiles;
mod provider;
pub mod region;
#[cfg(feature = "serde")]
mod serde_secs;
mod users;
mod vendor;
pub mod webhook;

pub use batch::{Batch, ItemError};
pub use capabilities::{
    Capabilities, GroupCapabilities, MessageCapabilities, ProfileCapabilities, UserCapabilities,
};
pub use clock::{Clock, ManualClock, SystemClock};
pub use error::{Error, ErrorKind, Result};
pub use groups::{
    AddGroupMembers, AddedMember, CreateGroup, CreatedGroup, DismissGroup, GetGroups, GroupInfo,
    GroupKind, GroupMember, Groups, JoinOption, ListGroupMembers, ListGroups, ListJoinedGroups,
    ListMutedMembers, MemberAddition, MemberRole, MuteGroupMembers, MutedMember,
    RemoveGroupMembers, SetGroupMuteAll, TransferGroup, UpdateGroup,
};
pub use message_ref::MessageRef;
pub use messages::{
    Conversation, CustomPayload, Delivery, FileContent, HistoryMessage, ImageContent,
    ImportMessages, ImportedMessage, LocationContent, MediaContent, MessageContent, MessageHistory,
    MessageReceipt, Messages, PushInfo, RecallMessage, Recipient, SendBatch, SendMessage,
    SendSystemMessage,
};
pub use ops::{Access, Family, Operation, OperationSet};
pub use options::CallOptions;
pub use page::{Cursor, Page, PageRequest};
pub use profiles::{Gender, GetProfiles, Profile, ProfileValue, Profiles, SetProfile};
pub use provider::{Families, ImProvider};
pub use region::VendorRegion;
pub use secrecy::{ExposeSecret, SecretString};
pub use users::{
    BanUsers, BannedUser, CheckUsers, ClientToken, DeleteUsers, DeletionStatus, ForceLogout,
    IssueToken, ListBannedUsers, NewUser, OnlineStatus, Presence, QueryOnline, RegisterUser,
    RegisterUsers, UnbanUsers, UserDeletion, UserExistence, Users,
};
pub use vendor::Vendor;

/// The traits, to call operations on concrete clients (`client.users().register_user(…)`)
/// and through `dyn ImProvider`: `use imbridge_core::prelude::*;`.
pub mod prelude {
    pub use crate::{Families, Groups, ImProvider, Messages, Profiles, Users};
}
