//! RongCloud (Server API) backend for [imbridge](https://github.com/imbridge/imbridge).
//!
//! [`RongCloudClient`] implements [`imbridge_core::ImProvider`] and every family trait. Each
//! operation maps onto the paths listed once in [`endpoints::CATALOGUE`] (which also gives the
//! default rate limits, each path's body kind and the table in `docs/mapping.md`). Requests and
//! answers are typed serde structs; lists go out as repeated form keys (the hosting service's
//! `userIds` and `groupIds` as one comma-separated value, as the vendor's SDKs send them).
//! Calls the vendor takes for one user only (`/user/info.json`, `/user/checkOnline.json`,
//! `/user/getToken.json`) are fanned out with bounded concurrency for batch operations.
//!
//! Every request is signed afresh (`App-Key`, a new `Nonce`, `Timestamp` in milliseconds,
//! `Signature`), carries an `X-Request-ID` that ends up in errors and traces, and a form body
//! (percent-encoded, lists as repeated keys) or, on the vendor's JSON endpoints, a JSON body.
//!
//! ## Groups
//!
//! RongCloud has two group models, and an app uses one ([`GroupMode`], chosen with
//! [`RongCloudClientBuilder::group_mode`]): basic (legacy) groups keep members and a push name
//! only; the profile-hosting service adds owners, profiles, member roles and paged listings.
//! The operations and [`Capabilities`](imbridge_core::Capabilities) of a client follow its mode
//! ([`capabilities_for`]); what the mode lacks is refused as unsupported before sending.
//!
//! ## Failover
//!
//! A client knows its domains (a region's primary and backup, or the caller's list). When a
//! domain proves unhealthy — the connection cannot be made, DNS fails, no answer comes in time,
//! the answer is HTTP 5xx or a page that is not a RongCloud answer — the domain is avoided for a
//! cool-down and **the same call** moves to the next domain at once, if sending it again is
//! safe: always when nothing was sent (connect and DNS failures) or the server said 503
//! (not handled); for requests that may have been processed, only when repeating them is
//! harmless (tokens, profiles, group creation, tags). A message send that may have reached a
//! failing domain is not sent twice: its error says the outcome is unknown. Business errors
//! (a vendor code with HTTP 4xx) never switch domains. After the cool-down the primary is tried
//! first again.
#![warn(missing_docs)]

pub mod body;
pub mod callback;
mod client;
pub mod codes;
mod config;
mod domains;
pub mod endpoints;
mod group_mode;
mod groups;
mod messages;
mod profiles;
mod region;
mod run;
pub mod sign;
mod users;
pub mod validate;

pub use client::{RongCloudClient, capabilities, capabilities_for};
pub use config::{
    DEFAULT_CONNECT_TIMEOUT, DEFAULT_COOLDOWN, DEFAULT_TIMEOUT, POOL_IDLE_TIMEOUT,
    RongCloudClientBuilder, default_rate_limits,
};
pub use endpoints::endpoint;
pub use group_mode::GroupMode;
pub use imbridge_core::VendorRegion;
pub use messages::{
    DEFAULT_CUSTOM_OBJECT_NAME, FILE_OBJECT_NAME, IMAGE_OBJECT_NAME, LOCATION_OBJECT_NAME,
    MAX_SYSTEM_RECIPIENTS, SOUND_OBJECT_NAME, TEXT_OBJECT_NAME, VIDEO_OBJECT_NAME, encode_content,
};
pub use region::Region;
