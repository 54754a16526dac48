//! Tencent Cloud IM (REST API v4) backend for [imbridge](https://github.com/imbridge/imbridge).
//!
//! [`TencentClient`] implements [`imbridge_core::ImProvider`] and every family trait. Each
//! operation maps onto the v4 endpoints listed once in [`endpoints::CATALOGUE`] (which also
//! gives the default rate limits and the table in `docs/mapping.md`); issuing a token signs a
//! UserSig locally. Tencent has no login ban, so `ban_users`, `unban_users` and
//! `list_banned_users` are refused as `Unsupported` before anything is sent.
//!
//! Every request carries `sdkappid`, the admin `identifier`, a cached admin `usersig` (renewed
//! before it expires), a fresh uint32 `random` and `contenttype=json`. An answer with
//! `ActionStatus: FAIL` is always an `Err` that keeps `ErrorCode` and `ErrorInfo`.
//!
//! ```no_run
//! use imbridge_core::RegisterUser;
//! use imbridge_core::prelude::*;
//! use imbridge_tencent::TencentClient;
//!
//! # async fn f() -> imbridge_core::Result<()> {
//! let im = TencentClient::builder(1400000000, std::env::var("TENCENT_SECRET_KEY").unwrap(), "administrator")
//!     .build()?;
//! let token = im.users().register_user(&RegisterUser::new("lilei").nickname("李雷")).await?;
//! # Ok(()) }
//! ```
#![warn(missing_docs)]

pub mod admin_sig;
pub mod callback;
mod client;
pub mod codes;
mod config;
pub mod endpoints;
mod groups;
mod messages;
mod profiles;
mod region;
mod run;
mod users;
pub mod usersig;
pub mod validate;
mod wire;

pub use client::{TencentClient, capabilities};
pub use config::{
    DEFAULT_ADMIN_SIG_TTL, DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT, DEFAULT_USER_SIG_TTL,
    MAX_SIG_TTL, MIN_SIG_TTL, SERVER_TIMEOUT, TencentClientBuilder, default_rate_limits,
};
pub use endpoints::endpoint;
pub use groups::group_type;
pub use imbridge_core::VendorRegion;
pub use region::Region;
