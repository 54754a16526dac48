//! A local stand-in for server-side IM clouds, for tests and development.
//!
//! The emulator serves, on 127.0.0.1 only, two vendors' wire protocols side by side on the same
//! port, each on its own in-memory state that tests can inspect:
//!
//! - Tencent Cloud IM's REST API v4 (`/v4/{servicename}/{command}`): the same URL checks
//!   (sdkappid, admin identifier, UserSig, random), the same JSON envelopes and the vendor's
//!   error codes ([`tencent`]);
//! - RongCloud's IM Server API (`/user/getToken.json`, `/message/private/publish.json`, ...):
//!   the same signature headers, form and JSON bodies, answers and codes ([`rongcloud`]).
//!
//! Any correct client can use it, not only imbridge: point the client's base URL at
//! [`Emulator::url`] and sign with the apps' secrets ([`Emulator::tencent`],
//! [`Emulator::rongcloud`]). For failover tests, [`Emulator::add_listener`] opens more sockets
//! on the same state, each of which can be taken down, brought back up on the same port, or
//! given a [`Fault`]. For retry tests, [`Emulator::inject`] scripts faults for chosen requests
//! ([`FaultRule`]): vendor error codes, hangs, dropped connections, truncated answers, or an
//! answer lost after the request was processed.
//!
//! For webhook tests, [`Emulator::set_callbacks`] makes the emulator POST signed callbacks to the
//! app's (loopback) URL after each state change, as the vendors do, and [`Emulator::callbacks`]
//! logs them ([`callbacks`]).
//!
//! Users have no client connections here, so presence is set by tests: [`Emulator::set_online`]
//! ([`presence`]). RongCloud's hosted groups (`/entrust/*`) need the app's profile hosting
//! service, which the vendor enables by a support ticket: turn it on with
//! [`EmulatorConfig::rongcloud_group_hosting`] or [`Emulator::set_rongcloud_group_hosting`]
//! (off, those paths answer 1009 "service not enabled"). Its `msgRandom` idempotency feature
//! (also enabled by a ticket) is off by default too: turn it on with
//! [`EmulatorConfig::rongcloud_msg_random_dedup`] or
//! [`Emulator::set_rongcloud_msg_random_dedup`]. So is its cloud storage for one-to-one and
//! group messages (a paid feature): the history queries answer 1009 until
//! [`EmulatorConfig::rongcloud_message_storage`] or [`Emulator::set_rongcloud_message_storage`]
//! turns it on.
//!
//! Message de-duplication follows each vendor's window: a Tencent one-to-one `MsgRandom` only
//! within the same second, a group `Random` with the same `MsgBody` within 5 minutes, and
//! RongCloud's `msgRandom` within 1 minute only while that feature is on. The windows (and every
//! time the state records) read the emulator's [`Clock`], which tests can freeze and move
//! forward ([`Emulator::clock`], `POST /_emulator/clock`) instead of sleeping.
//!
//! Endpoints that exist at a vendor but are not emulated are listed in
//! [`tencent::NOT_EMULATED`] and [`rongcloud::NOT_EMULATED`] and answered with HTTP 501 and the
//! header `x-imbridge-emulator: not-emulated`, never with the vendor's "unknown API" answer;
//! [`tencent::EMULATED`] and [`rongcloud::EMULATED`] list the others.
//!
//! Tests in any language drive it through the control API under `/_emulator/` on the same port
//! ([`control`]): state, request log, callbacks, faults, reset, presence, settings and the
//! clock, as JSON.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use imbridge_emulator::{Emulator, EmulatorConfig};
//!
//! let emulator = Emulator::start(EmulatorConfig::default()).await?;
//! println!("{}", emulator.startup_line());
//! // ... point a client at emulator.url() ...
//! let users = emulator.state().users();
//! let rc_users = emulator.rongcloud_state().users();
//! # let _ = (users, rc_users);
//! emulator.shutdown().await;
//! # Ok(())
//! # }
//! ```

#![warn(missing_docs)]

pub mod callbacks;
mod clock;
pub mod control;
mod faults;
mod listener;
pub mod presence;
pub mod rongcloud;
mod server;
pub mod tencent;

use axum::http::{HeaderValue, StatusCode};
use axum::response::Response;

pub use callbacks::{CallbackConfig, CallbackLog, CallbackUrlError, Delivery};
pub use clock::Clock;
pub use faults::{Fault, FaultRule};
pub use listener::Listener;
pub use presence::{Presence, Vendor};
pub use rongcloud::{
    HostedGroup, HostedMember, RongCloudApp, RongCloudGag, RongCloudGroup, RongCloudGroupMessage,
    RongCloudPrivateMessage, RongCloudRequest, RongCloudState, RongCloudUser, UserOperation,
};
pub use server::{Emulator, EmulatorConfig};
pub use tencent::{
    C2cMessage, GroupMember, GroupMessage, GroupRecord, RecordedRequest, TencentApp, TencentState,
    UserRecord,
};

/// The whole emulator as one router, to embed it in another server: the Tencent routes under
/// `/v4/` serving `config.tencent` on `tencent`, and every other path answered by the RongCloud
/// half serving `config.rongcloud` on `rongcloud` (`config.port` is not used). When
/// `config.rongcloud_group_hosting` (`config.rongcloud_msg_random_dedup`) is set, it turns
/// profile hosting (`msgRandom` idempotency) on in `rongcloud`. Each half reads its state's
/// [`Clock`]; make the states with [`TencentState::with_clock`] and
/// [`RongCloudState::with_clock`] to give both one clock.
pub fn router(
    config: &EmulatorConfig,
    tencent: TencentState,
    rongcloud: RongCloudState,
) -> axum::Router {
    if config.rongcloud_group_hosting {
        rongcloud.set_group_hosting(true);
    }
    if config.rongcloud_msg_random_dedup {
        rongcloud.set_msg_random_dedup(true);
    }
    if config.rongcloud_message_storage {
        rongcloud.set_message_storage(true);
    }
    tencent::router(config.tencent.clone(), tencent).merge(rongcloud::router(
        config.rongcloud.clone(),
        rongcloud,
        config.rongcloud_timestamp_window,
    ))
}

/// The response header that marks an answer of the emulator itself rather than a vendor's:
/// `x-imbridge-emulator: not-emulated` on answers for endpoints that exist at the vendor but are
/// not emulated.
pub const EMULATOR_HEADER: &str = "x-imbridge-emulator";

/// Turns a vendor-shaped error answer into the "not emulated" answer: HTTP 501 and
/// `x-imbridge-emulator: not-emulated`.
pub(crate) fn mark_not_emulated(response: &mut Response) {
    *response.status_mut() = StatusCode::NOT_IMPLEMENTED;
    response
        .headers_mut()
        .insert(EMULATOR_HEADER, HeaderValue::from_static("not-emulated"));
}
