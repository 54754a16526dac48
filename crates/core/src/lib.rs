//! Vendor-neutral core of [imbridge](https://github.com/imbridge/imbridge).
//!
//! This crate defines what every IM backend implements and what every caller programs against:
//!
//! * [`ImProvider`], the dyn-compatible trait with the server-side operations (register a user,
//!   issue a client token, set a profile, create a group, send a message);
//! * the request types ([`RegisterUser`], [`IssueToken`], [`SetProfile`], [`CreateGroup`],
//!   [`SendMessage`]), all `#[non_exhaustive]` with builder methods so they can grow;
//! * the results ([`ClientToken`], [`CreatedGroup`], [`MessageReceipt`]);
//! * one [`Error`] type with an [`ErrorKind`], the vendor's own code and message, the request id
//!   and [`Error::is_retryable`];
//! * [`Capabilities`], which says what a backend supports, so callers can choose at run time;
//! * helpers shared by backends: base-URL policy ([`endpoint`]), an injectable [`Clock`], and
//!   with the `http` feature the HTTP client they send with (`http`).
//!
//! Vendor details never live here: each vendor crate maps its wire protocol onto these types.
#![warn(missing_docs)]

mod capabilities;
pub mod clock;
pub mod codes;
pub mod endpoint;
mod error;
mod group;
#[cfg(feature = "http")]
pub mod http;
mod message;
pub mod policy;
mod provider;
pub mod region;
mod user;
mod vendor;
pub mod webhook;

pub use capabilities::Capabilities;
pub use clock::{Clock, ManualClock, SystemClock};
pub use error::{Error, ErrorKind, Result};
pub use group::{CreateGroup, CreatedGroup, GroupKind};
pub use message::{CustomPayload, MessageContent, MessageReceipt, Recipient, SendMessage};
pub use provider::ImProvider;
pub use region::VendorRegion;
pub use secrecy::{ExposeSecret, SecretString};
pub use user::{ClientToken, Gender, IssueToken, ProfileValue, RegisterUser, SetProfile};
pub use vendor::{Operation, Vendor};
