//! Running the emulator: binding 127.0.0.1, serving in background tasks, stopping.

use std::fmt;
use std::net::SocketAddr;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use crate::callbacks::{CallbackConfig, CallbackLog, CallbackUrlError, Hub};
use crate::clock::Clock;
use crate::control::{self, ControlApi};
use crate::faults::{FaultRule, Scripted};
use crate::listener::Listener;
use crate::presence::{Presence, Vendor};
use crate::rongcloud::{DEFAULT_TIMESTAMP_WINDOW, RongCloudApp, RongCloudState};
use crate::router;
use crate::tencent::{TencentApp, TencentState};

/// How to start an [`Emulator`].
#[derive(Debug, Clone)]
pub struct EmulatorConfig {
    /// The emulated Tencent app.
    pub tencent: TencentApp,
    /// The emulated RongCloud app.
    pub rongcloud: RongCloudApp,
    /// How far a RongCloud request's `Timestamp` may be from the server's clock, either way.
    pub rongcloud_timestamp_window: Duration,
    /// The port of the main listener on 127.0.0.1; 0 picks any free port.
    pub port: u16,
    /// Whether the RongCloud app has the profile hosting service (hosted groups,
    /// `/entrust/*`), which the vendor enables by a support ticket; off by default, when those
    /// paths answer 1009 "service not enabled". Can be switched later with
    /// [`Emulator::set_rongcloud_group_hosting`] or `POST /_emulator/settings`.
    pub rongcloud_group_hosting: bool,
    /// Whether the RongCloud app has the `msgRandom` idempotency feature, which the vendor
    /// enables by a support ticket: a message publish repeating a `msgRandom` accepted less
    /// than a minute before is refused and not delivered again. Off by default, when RongCloud
    /// de-duplicates nothing. Can be switched later with
    /// [`Emulator::set_rongcloud_msg_random_dedup`] or `POST /_emulator/settings`.
    pub rongcloud_msg_random_dedup: bool,
    /// Whether the RongCloud app has cloud storage for one-to-one and group messages, a paid
    /// feature the vendor leaves off by default: the history queries
    /// (`/v3/message/private/query.json`, `/v3/message/group/query.json`) answer only then,
    /// otherwise 1009 "service not enabled". Off by default. Can be switched later with
    /// [`Emulator::set_rongcloud_message_storage`] or `POST /_emulator/settings`.
    pub rongcloud_message_storage: bool,
}

impl Default for EmulatorConfig {
    /// Freshly generated apps ([`TencentApp::generate`], [`RongCloudApp::generate`]), a ±5 minute
    /// timestamp window, on any free port, RongCloud profile hosting and `msgRandom`
    /// idempotency off.
    fn default() -> Self {
        EmulatorConfig {
            tencent: TencentApp::generate(),
            rongcloud: RongCloudApp::generate(),
            rongcloud_timestamp_window: DEFAULT_TIMESTAMP_WINDOW,
            port: 0,
            rongcloud_group_hosting: false,
            rongcloud_msg_random_dedup: false,
            rongcloud_message_storage: false,
        }
    }
}

/// A running emulator, serving on 127.0.0.1 until [`shutdown`](Self::shutdown) or drop.
///
/// It has a main listener and, on demand, more ([`add_listener`](Self::add_listener)); all serve
/// the same state, for both vendors.
pub struct Emulator {
    tencent: TencentApp,
    rongcloud: RongCloudApp,
    state: TencentState,
    rongcloud_state: RongCloudState,
    app: axum::Router,
    scripted: Arc<Scripted>,
    main: Listener,
    /// Every listener, the main one first (shared with the control API).
    all: Arc<Mutex<Vec<Listener>>>,
    hub: Arc<Hub>,
    clock: Clock,
}

impl Emulator {
    /// Binds 127.0.0.1 on the configured port (only the loopback address) and serves in a
    /// background task. Must be called inside a Tokio runtime.
    pub async fn start(config: EmulatorConfig) -> std::io::Result<Emulator> {
        let hub = Arc::new(Hub::default());
        let clock = Clock::new();
        let state = TencentState::with_parts(Arc::clone(&hub), clock.clone());
        let rongcloud_state = RongCloudState::with_parts(Arc::clone(&hub), clock.clone());
        let scripted = Arc::new(Scripted::new(state.clone(), rongcloud_state.clone()));
        let all = Arc::new(Mutex::new(Vec::new()));
        let control = control::router(Arc::new(ControlApi {
            tencent: state.clone(),
            rongcloud: rongcloud_state.clone(),
            scripted: Arc::clone(&scripted),
            listeners: Arc::clone(&all),
            hub: Arc::clone(&hub),
            clock: clock.clone(),
        }));
        let app = router(&config, state.clone(), rongcloud_state.clone()).merge(control);
        let main = Listener::bind(config.port, app.clone(), Arc::clone(&scripted))?;
        all.lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(main.clone());
        Ok(Emulator {
            tencent: config.tencent,
            rongcloud: config.rongcloud,
            state,
            rongcloud_state,
            app,
            scripted,
            main,
            all,
            hub,
            clock,
        })
    }

    fn all(&self) -> MutexGuard<'_, Vec<Listener>> {
        self.all.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The main listener's base URL, `http://127.0.0.1:PORT` (no trailing slash).
    pub fn url(&self) -> String {
        self.main.url()
    }

    /// The main listener's address.
    pub fn addr(&self) -> SocketAddr {
        self.main.addr()
    }

    /// The emulated Tencent app's credentials.
    pub fn tencent(&self) -> &TencentApp {
        &self.tencent
    }

    /// A handle on the Tencent state, for inspection.
    pub fn state(&self) -> TencentState {
        self.state.clone()
    }

    /// The emulated RongCloud app's credentials.
    pub fn rongcloud(&self) -> &RongCloudApp {
        &self.rongcloud
    }

    /// A handle on the RongCloud state, for inspection.
    pub fn rongcloud_state(&self) -> RongCloudState {
        self.rongcloud_state.clone()
    }

    /// A handle on the main listener (its [`Listener::url`] is [`Emulator::url`]).
    pub fn main_listener(&self) -> Listener {
        self.main.clone()
    }

    /// Opens another listener on 127.0.0.1 (any free port) serving the same state, for both
    /// vendors, with its own faults.
    pub async fn add_listener(&self) -> std::io::Result<Listener> {
        let listener = Listener::bind(0, self.app.clone(), Arc::clone(&self.scripted))?;
        self.all().push(listener.clone());
        Ok(listener)
    }

    /// Every listener: the main one first, then the added ones in order.
    pub fn listeners(&self) -> Vec<Listener> {
        self.all().clone()
    }

    /// Sets `user`'s presence at `vendor`, as the presence answers read it (Tencent
    /// `openim/query_online_status`, RongCloud `/user/checkOnline.json`); the emulator has no
    /// client connections, so everyone is offline until set. Same as
    /// [`TencentState::set_presence`] / [`RongCloudState::set_presence`] and
    /// `POST /_emulator/presence`.
    pub fn set_online(&self, vendor: Vendor, user: &str, presence: Presence) {
        match vendor {
            Vendor::Tencent => self.state.set_presence(user, presence),
            Vendor::RongCloud => self.rongcloud_state.set_presence(user, presence),
        }
    }

    /// Turns the RongCloud app's profile hosting service (hosted groups, `/entrust/*`) on or off,
    /// as `POST /_emulator/settings {"rongcloud_group_hosting":…}` does; see
    /// [`RongCloudState::set_group_hosting`].
    pub fn set_rongcloud_group_hosting(&self, on: bool) {
        self.rongcloud_state.set_group_hosting(on);
    }

    /// Turns the RongCloud app's `msgRandom` idempotency feature on or off, as
    /// `POST /_emulator/settings {"rongcloud_msg_random_dedup":…}` does; see
    /// [`RongCloudState::msg_random_dedup`].
    pub fn set_rongcloud_msg_random_dedup(&self, on: bool) {
        self.rongcloud_state.set_msg_random_dedup(on);
    }

    /// Turns the RongCloud app's cloud message storage (the history queries) on or off, as
    /// `POST /_emulator/settings {"rongcloud_message_storage":…}` does; see
    /// [`RongCloudState::message_storage`].
    pub fn set_rongcloud_message_storage(&self, on: bool) {
        self.rongcloud_state.set_message_storage(on);
    }

    /// The emulated servers' clock, shared by both vendors: the time every operation reads
    /// (`MsgTime`, `sent_at_ms`, the message de-duplication windows, mute and block ends). Real
    /// time until a test moves it: [`Clock::freeze`], [`Clock::advance`], ...; the same as
    /// `GET`/`POST /_emulator/clock`. Request signatures are still checked against real time.
    pub fn clock(&self) -> Clock {
        self.clock.clone()
    }

    /// Clears both vendors' state and request logs, the callback log and every fault (the
    /// emulator's rules, the listeners' rules and faults), as `POST /_emulator/reset` does. The
    /// apps' credentials and settings (RongCloud profile hosting and `msgRandom` idempotency),
    /// the clock and the callback configuration stay.
    pub fn reset(&self) {
        self.state.reset();
        self.rongcloud_state.reset();
        self.hub.log().clear();
        self.scripted.rules.clear();
        for listener in self.listeners() {
            listener.clear_faults();
            listener.clear_fault();
        }
    }

    /// Adds a scripted fault for every listener (present and future), for both vendors.
    ///
    /// For each request, a listener checks its own fault ([`Listener::set_fault`]) first, then
    /// its own rules ([`Listener::inject`]), then the emulator's, in the order they were
    /// injected: the first rule that matches the request and has uses left applies (and uses
    /// one). A request a rule applied to is in its vendor's request log with its `fault` field
    /// set ([`crate::RecordedRequest::fault`], [`crate::RongCloudRequest::fault`]).
    pub fn inject(&self, rule: FaultRule) {
        self.scripted.rules.push(rule);
    }

    /// Removes every scripted fault: the emulator's and every listener's rules (not the
    /// listeners' own faults, see [`Listener::clear_fault`]). [`faults_fired`](Self::faults_fired)
    /// keeps counting from where it was.
    pub fn clear_faults(&self) {
        self.scripted.rules.clear();
        for listener in self.listeners() {
            listener.clear_faults();
        }
    }

    /// How many requests a rule (the emulator's or a listener's) applied to, on any listener,
    /// since the emulator started.
    pub fn faults_fired(&self) -> u64 {
        self.scripted.fired.load(Ordering::SeqCst)
    }

    /// Turns callbacks (webhooks) on, to `config.url`, or off (`None`), from the next state
    /// change on; see [`crate::callbacks`] for what is sent.
    ///
    /// Each callback is sent once (no retries), asynchronously, in order, with a 5 s timeout,
    /// and logged in [`callbacks`](Self::callbacks) whatever the outcome.
    ///
    /// # Panics
    ///
    /// When `config.url` is not an HTTP(S) URL on the loopback interface: the emulator never
    /// sends traffic to another host. [`try_set_callbacks`](Self::try_set_callbacks) returns
    /// the refusal instead.
    pub fn set_callbacks(&self, config: Option<CallbackConfig>) {
        if let Err(e) = self.try_set_callbacks(config) {
            panic!("{e}");
        }
    }

    /// [`set_callbacks`](Self::set_callbacks), answering a refused URL with an error (the
    /// previous configuration stays).
    pub fn try_set_callbacks(
        &self,
        config: Option<CallbackConfig>,
    ) -> Result<(), CallbackUrlError> {
        self.hub.configure(config)
    }

    /// The log of the callbacks attempted so far (shared: it keeps filling up).
    pub fn callbacks(&self) -> CallbackLog {
        self.hub.log()
    }

    /// One JSON object on one line (no newline) telling a client how to connect:
    /// `{"url":"http://127.0.0.1:PORT","tencent":{"sdkappid":N,"secret_key":"...","admin":"..."},"rongcloud":{"app_key":"...","app_secret":"..."}}`.
    pub fn startup_line(&self) -> String {
        let s = |v: &str| serde_json::to_string(v).unwrap_or_else(|_| "\"\"".to_owned());
        format!(
            r#"{{"url":{},"tencent":{{"sdkappid":{},"secret_key":{},"admin":{}}},"rongcloud":{{"app_key":{},"app_secret":{}}}}}"#,
            s(&self.url()),
            self.tencent.sdkappid,
            s(&self.tencent.secret_key),
            s(&self.tencent.admin),
            s(&self.rongcloud.app_key),
            s(&self.rongcloud.app_secret),
        )
    }

    /// Stops every listener (no new connections, idle ones closed), lets requests in flight
    /// finish, and waits for the servers.
    pub async fn shutdown(self) {
        for listener in self.listeners() {
            listener.take_down().await;
        }
    }
}

impl Drop for Emulator {
    /// Signals every listener to stop; they wind down in the background.
    fn drop(&mut self) {
        for listener in self.listeners() {
            listener.signal_stop();
        }
    }
}

impl fmt::Debug for Emulator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Emulator")
            .field("addr", &self.addr())
            .field("tencent", &self.tencent)
            .field("rongcloud", &self.rongcloud)
            .field("listeners", &self.listeners().len())
            .field("rules", &self.scripted.rules.len())
            .finish()
    }
}
