//! Running the emulator: binding 127.0.0.1, serving in a background task, stopping.

use std::fmt;
use std::net::{Ipv4Addr, SocketAddr};

use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::router;
use crate::tencent::{TencentApp, TencentState};

/// How to start an [`Emulator`].
#[derive(Debug, Clone)]
pub struct EmulatorConfig {
    /// The emulated Tencent app.
    pub tencent: TencentApp,
    /// The port on 127.0.0.1; 0 picks any free port.
    pub port: u16,
}

impl Default for EmulatorConfig {
    /// A freshly generated Tencent app ([`TencentApp::generate`]) on any free port.
    fn default() -> Self {
        EmulatorConfig {
            tencent: TencentApp::generate(),
            port: 0,
        }
    }
}

/// A running emulator, serving on 127.0.0.1 until [`shutdown`](Self::shutdown) or drop.
pub struct Emulator {
    addr: SocketAddr,
    tencent: TencentApp,
    state: TencentState,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl Emulator {
    /// Binds 127.0.0.1 on the configured port (only the loopback address) and serves in a
    /// background task. Must be called inside a Tokio runtime.
    pub async fn start(config: EmulatorConfig) -> std::io::Result<Emulator> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, config.port)).await?;
        let addr = listener.local_addr()?;
        let state = TencentState::new();
        let app = router(config.tencent.clone(), state.clone());
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let serve = axum::serve(listener, app).with_graceful_shutdown(async move {
                // Either an explicit stop or the sender being dropped ends the server.
                let _ = stopped.await;
            });
            if let Err(e) = serve.await {
                tracing::warn!(error = %e, "emulator server stopped with an error");
            }
        });
        tracing::info!(%addr, "emulator listening");
        Ok(Emulator {
            addr,
            tencent: config.tencent,
            state,
            stop: Some(stop),
            task: Some(task),
        })
    }

    /// The base URL, `http://127.0.0.1:PORT` (no trailing slash).
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The emulated Tencent app's credentials.
    pub fn tencent(&self) -> &TencentApp {
        &self.tencent
    }

    /// A handle on the Tencent state, for inspection.
    pub fn state(&self) -> TencentState {
        self.state.clone()
    }

    /// One JSON object on one line (no newline) telling a client how to connect:
    /// `{"url":"http://127.0.0.1:PORT","tencent":{"sdkappid":N,"secret_key":"...","admin":"..."}}`.
    pub fn startup_line(&self) -> String {
        let s = |v: &str| serde_json::to_string(v).unwrap_or_else(|_| "\"\"".to_owned());
        format!(
            r#"{{"url":{},"tencent":{{"sdkappid":{},"secret_key":{},"admin":{}}}}}"#,
            s(&self.url()),
            self.tencent.sdkappid,
            s(&self.tencent.secret_key),
            s(&self.tencent.admin),
        )
    }

    /// Stops accepting connections, lets requests in flight finish, and waits for the server.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for Emulator {
    /// Signals the server to stop; it winds down in the background.
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

impl fmt::Debug for Emulator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Emulator")
            .field("addr", &self.addr)
            .field("tencent", &self.tencent)
            .finish()
    }
}
