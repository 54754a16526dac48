//! # imbridge
//!
//! One set of traits for server-side instant-messaging clouds. An app server manages users,
//! profiles, groups and messages through [`ImProvider`], whichever vendor is behind it. The
//! operations come in families reached through accessors: [`Users`] (`im.users()`),
//! [`Profiles`], [`Groups`], [`Messages`]; [`ops`] lists every operation once.
//!
//! | vendor | feature | client |
//! |---|---|---|
//! | Tencent Cloud IM (REST API v4) | `tencent` (default) | [`tencent::TencentClient`] |
//! | RongCloud (Server API) | `rongcloud` (default) | [`rongcloud::RongCloudClient`] |
//!
//! Other features: `axum` (webhook routers), `serde` (requests deserialize, results serialize).
//!
//! ```no_run
//! use imbridge::{CheckUsers, MessageContent, ProviderConfig, RegisterUser, SendMessage, connect};
//!
//! # async fn demo() -> imbridge::Result<()> {
//! // imbridge.toml says `provider = "tencent"` (or "rongcloud") and holds the credentials;
//! // IMBRIDGE_* environment variables override it.
//! let im = connect(&ProviderConfig::load(Some("imbridge.toml".as_ref()))?)?;
//! let token = im.users().register_user(&RegisterUser::new("lilei").nickname("李雷")).await?;
//! im.messages()
//!     .send_message(&SendMessage::to_user("administrator", "lilei", MessageContent::text("welcome")))
//!     .await?;
//! let known = im.users().check_users(&CheckUsers::new(["lilei", "hanmeimei"])).await?;
//! # drop((token, known));
//! # Ok(()) }
//! ```
#![warn(missing_docs)]

pub use imbridge_core::*;

pub mod compare;
pub mod config;
mod connect;
mod fallback;
mod forward;
mod mirror;
mod pages;
pub mod webhook;

pub use fallback::Fallback;
pub use mirror::{Mirror, Mirrored, SecondaryFailureHook};
pub use pages::pages;

pub use config::{ProviderConfig, RongCloudSettings, TencentSettings};
#[cfg(feature = "rongcloud")]
pub use connect::rongcloud_client;
#[cfg(feature = "tencent")]
pub use connect::tencent_client;
pub use connect::{connect, connect_vendor};

/// The Tencent Cloud IM backend (feature `tencent`).
#[cfg(feature = "tencent")]
pub mod tencent {
    pub use imbridge_tencent::*;
}

/// The RongCloud backend (feature `rongcloud`).
#[cfg(feature = "rongcloud")]
pub mod rongcloud {
    pub use imbridge_rongcloud::*;
}

/// The configuration reference's Rust examples, compiled as doctests.
#[cfg(doctest)]
#[doc = include_str!("../docs/configuration.md")]
pub struct ConfigurationDoctests;

/// The README's Rust examples, compiled as doctests so they stay true to the code.
#[cfg(all(doctest, feature = "tencent", feature = "rongcloud"))]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
