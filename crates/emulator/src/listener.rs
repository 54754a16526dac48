//! Listeners: sockets on 127.0.0.1 that serve the same emulated apps, each with its own faults,
//! for failover tests.

use std::fmt;
use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use tokio::net::{TcpListener, TcpSocket};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// A fault a [`Listener`] injects into the requests that arrive after [`Listener::set_fault`].
///
/// A faulted request is not processed: the emulated apps' state does not change, and the
/// request is not in the state's request log (it still counts in
/// [`Listener::requests_served`]).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// Answer this HTTP status with the vendor's JSON error: for RongCloud paths
    /// `{"code":N,"errorMessage":"emulated fault: HTTP S"}` (N = 1008 for 429, 1050 for 504,
    /// 1004 for 401, 1002 for 400, 404 for 404, else 1000); for Tencent paths (`/v4/...`) the
    /// envelope with `ErrorCode` 60007 for 429, else 60008.
    Status(u16),
    /// Answer this HTTP status with a non-JSON HTML page, like an nginx gateway error page.
    GatewayPage(u16),
    /// Wait this long (`tokio::time::sleep`), then serve the request normally.
    Delay(Duration),
}

/// What a listener's middleware shares with its handles.
#[derive(Debug, Default)]
struct Control {
    fault: Mutex<Option<Fault>>,
    served: AtomicU64,
}

impl Control {
    fn fault(&self) -> MutexGuard<'_, Option<Fault>> {
        self.fault.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// A running server on the listener's socket.
struct Running {
    stop: oneshot::Sender<()>,
    task: JoinHandle<()>,
}

struct Inner {
    addr: SocketAddr,
    control: Arc<Control>,
    /// The emulator's router with this listener's fault layer.
    app: Router,
    running: Mutex<Option<Running>>,
}

/// A handle on one listening socket of an [`crate::Emulator`] (cheap to clone): every listener
/// serves the same state, for both vendors.
#[derive(Clone)]
pub struct Listener {
    inner: Arc<Inner>,
}

impl Listener {
    /// Binds 127.0.0.1:`port` (0 = any free port) and serves `app` there.
    pub(crate) fn bind(port: u16, app: Router) -> io::Result<Listener> {
        let tcp = bind_loopback(port)?;
        let addr = tcp.local_addr()?;
        let control = Arc::new(Control::default());
        let app = app.layer(middleware::from_fn_with_state(
            Arc::clone(&control),
            fault_layer,
        ));
        let listener = Listener {
            inner: Arc::new(Inner {
                addr,
                control,
                app,
                running: Mutex::new(None),
            }),
        };
        let mut running = listener.running();
        *running = Some(listener.spawn(tcp));
        drop(running);
        tracing::info!(%addr, "emulator listening");
        Ok(listener)
    }

    fn running(&self) -> MutexGuard<'_, Option<Running>> {
        self.inner.running.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn spawn(&self, tcp: TcpListener) -> Running {
        let app = self.inner.app.clone();
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let serve = axum::serve(tcp, app).with_graceful_shutdown(async move {
                // Either an explicit stop or the sender being dropped ends the server.
                let _ = stopped.await;
            });
            if let Err(e) = serve.await {
                tracing::warn!(error = %e, "emulator listener stopped with an error");
            }
        });
        Running { stop, task }
    }

    /// The base URL, `http://127.0.0.1:PORT` (no trailing slash).
    pub fn url(&self) -> String {
        format!("http://{}", self.inner.addr)
    }

    /// The bound address (always 127.0.0.1).
    pub fn addr(&self) -> SocketAddr {
        self.inner.addr
    }

    /// Injects `fault` into every request that arrives from now on (replacing any fault).
    pub fn set_fault(&self, fault: Fault) {
        *self.inner.control.fault() = Some(fault);
    }

    /// Serves normally again, from the next request on.
    pub fn clear_fault(&self) {
        *self.inner.control.fault() = None;
    }

    /// Stops listening: new connections are refused, idle keep-alive connections are closed and
    /// requests in flight finish. Returns when all of that is done. Does nothing when already
    /// down.
    pub async fn take_down(&self) {
        let running = self.running().take();
        if let Some(Running { stop, task }) = running {
            let _ = stop.send(());
            let _ = task.await;
            tracing::info!(addr = %self.inner.addr, "emulator listener taken down");
        }
    }

    /// Listens again on the same port (127.0.0.1). Does nothing when already up. Fails when the
    /// port was taken by something else meanwhile.
    pub async fn bring_up(&self) -> io::Result<()> {
        let mut running = self.running();
        if running.is_none() {
            let tcp = bind_loopback(self.inner.addr.port())?;
            *running = Some(self.spawn(tcp));
            tracing::info!(addr = %self.inner.addr, "emulator listener up again");
        }
        Ok(())
    }

    /// Whether the listener is accepting connections (not taken down).
    pub fn is_up(&self) -> bool {
        self.running().is_some()
    }

    /// How many requests reached this listener (faulted ones included), since it was made.
    pub fn requests_served(&self) -> u64 {
        self.inner.control.served.load(Ordering::SeqCst)
    }

    /// Signals the server to stop without waiting (for `Drop`).
    pub(crate) fn signal_stop(&self) {
        if let Some(Running { stop, .. }) = self.running().take() {
            let _ = stop.send(());
        }
    }
}

impl fmt::Debug for Listener {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Listener")
            .field("addr", &self.inner.addr)
            .field("up", &self.is_up())
            .field("fault", &*self.inner.control.fault())
            .field("requests_served", &self.requests_served())
            .finish()
    }
}

/// A listening socket on 127.0.0.1:`port`, with `SO_REUSEADDR` so the port can be bound again
/// right after being closed.
fn bind_loopback(port: u16) -> io::Result<TcpListener> {
    let socket = TcpSocket::new_v4()?;
    socket.set_reuseaddr(true)?;
    socket.bind(SocketAddr::from((Ipv4Addr::LOCALHOST, port)))?;
    socket.listen(1024)
}

async fn fault_layer(
    State(control): State<Arc<Control>>,
    request: Request,
    next: Next,
) -> Response {
    control.served.fetch_add(1, Ordering::SeqCst);
    let fault = control.fault().clone();
    match fault {
        None => next.run(request).await,
        Some(Fault::Delay(delay)) => {
            tokio::time::sleep(delay).await;
            next.run(request).await
        }
        Some(Fault::Status(status)) => {
            if request.uri().path().starts_with("/v4/") {
                crate::tencent::fault_response(status)
            } else {
                crate::rongcloud::fault_response(status)
            }
        }
        Some(Fault::GatewayPage(status)) => gateway_page(status),
    }
}

/// An nginx-like HTML error page.
fn gateway_page(status: u16) -> Response {
    let code = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_GATEWAY);
    let title = format!(
        "{} {}",
        code.as_u16(),
        code.canonical_reason().unwrap_or("Error")
    );
    let body = format!(
        "<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n<center><h1>{title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
    );
    (code, [(header::CONTENT_TYPE, "text/html")], body).into_response()
}
