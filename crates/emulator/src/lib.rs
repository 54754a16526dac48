//! A local stand-in for server-side IM clouds, for tests and development.
//!
//! The emulator serves, on 127.0.0.1 only, the wire protocol of Tencent Cloud IM's REST API v4
//! (`/v4/{servicename}/{command}`): the same URL checks (sdkappid, admin identifier, UserSig,
//! random), the same JSON envelopes and the vendor's error codes, on in-memory state that tests
//! can inspect. Any correct client can use it, not only imbridge: point the client's base URL
//! at [`Emulator::url`] and sign the admin UserSig with the app's secret key.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use imbridge_emulator::{Emulator, EmulatorConfig};
//!
//! let emulator = Emulator::start(EmulatorConfig::default()).await?;
//! println!("{}", emulator.startup_line());
//! // ... point a client at emulator.url() ...
//! let users = emulator.state().users();
//! # let _ = users;
//! emulator.shutdown().await;
//! # Ok(())
//! # }
//! ```

#![warn(missing_docs)]

mod server;
pub mod tencent;

pub use server::{Emulator, EmulatorConfig};
pub use tencent::{
    C2cMessage, GroupMember, GroupMessage, GroupRecord, RecordedRequest, TencentApp, TencentState,
    UserRecord,
};

/// The whole emulator as one router (today: the Tencent routes under `/v4/`), serving `tencent`
/// on `state`, to embed it in another server.
pub fn router(tencent: TencentApp, state: TencentState) -> axum::Router {
    tencent::router(tencent, state)
}
