//! Listeners: sockets on 127.0.0.1 that serve the same emulated apps, each with its own faults,
//! for failover tests.

use std::fmt;
use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use axum::extract::{Request, State};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::{Extension, Router};
use tokio::net::{TcpListener, TcpSocket};
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::faults::{self, Fault, FaultRule, Rules, Scripted, Source, StopSignal};

/// What a listener's middleware shares with its handles.
#[derive(Debug)]
struct Control {
    fault: Mutex<Option<Fault>>,
    served: AtomicU64,
    /// This listener's rules (checked before the emulator's).
    rules: Rules,
    /// How many requests on this listener a rule (this listener's or the emulator's) applied to.
    fired: AtomicU64,
    /// The emulator's rules, and the states.
    scripted: Arc<Scripted>,
}

impl Control {
    fn fault(&self) -> MutexGuard<'_, Option<Fault>> {
        self.fault.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// A running server on the listener's socket.
struct Running {
    /// Set to `true` to stop the server (graceful shutdown) and end the requests that hang.
    stopping: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl Running {
    fn signal(&self) {
        self.stopping.send_replace(true);
    }
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
    pub(crate) fn bind(port: u16, app: Router, scripted: Arc<Scripted>) -> io::Result<Listener> {
        let tcp = bind_loopback(port)?;
        let addr = tcp.local_addr()?;
        let control = Arc::new(Control {
            fault: Mutex::new(None),
            served: AtomicU64::new(0),
            rules: Rules::default(),
            fired: AtomicU64::new(0),
            scripted,
        });
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
        let (stopping, stopped) = watch::channel(false);
        let app = self
            .inner
            .app
            .clone()
            .layer(Extension(StopSignal(stopped.clone())));
        let task = tokio::spawn(async move {
            let mut stopped = stopped;
            let serve = axum::serve(tcp, app).with_graceful_shutdown(async move {
                // Either an explicit stop or the sender being dropped ends the server.
                let _ = stopped.wait_for(|stopping| *stopping).await;
            });
            if let Err(e) = serve.await {
                tracing::warn!(error = %e, "emulator listener stopped with an error");
            }
        });
        Running { stopping, task }
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
    ///
    /// Requests this fault keeps from being processed are not put in the request logs; `Delay`
    /// and `AfterProcessing` ones are processed and logged (with their `fault` field set). A
    /// `Delay` is followed by this listener's and the emulator's rules ([`Listener::inject`]);
    /// the other faults replace them.
    pub fn set_fault(&self, fault: Fault) {
        *self.inner.control.fault() = Some(fault);
    }

    /// Serves normally again, from the next request on.
    pub fn clear_fault(&self) {
        *self.inner.control.fault() = None;
    }

    /// Stops listening: new connections are refused, idle keep-alive connections are closed,
    /// requests in flight finish and hanging ones ([`Fault::Hang`]) are cut off (their
    /// connections closed without an answer). Returns when all of that is done. Does nothing
    /// when already down.
    pub async fn take_down(&self) {
        let running = self.running().take();
        if let Some(running) = running {
            running.signal();
            let _ = running.task.await;
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

    /// Adds a scripted fault for this listener only: its rules are checked after the listener's
    /// own fault ([`set_fault`](Self::set_fault)) and before the emulator-wide ones
    /// ([`crate::Emulator::inject`]); the first rule that matches and has uses left applies.
    pub fn inject(&self, rule: FaultRule) {
        self.inner.control.rules.push(rule);
    }

    /// Removes this listener's scripted faults (not the emulator-wide ones, not
    /// [`set_fault`](Self::set_fault)'s).
    pub fn clear_faults(&self) {
        self.inner.control.rules.clear();
    }

    /// How many requests on this listener a rule (this listener's or the emulator's) applied
    /// to, since it was made.
    pub fn faults_fired(&self) -> u64 {
        self.inner.control.fired.load(Ordering::SeqCst)
    }

    /// How many requests reached this listener (faulted ones included), since it was made.
    pub fn requests_served(&self) -> u64 {
        self.inner.control.served.load(Ordering::SeqCst)
    }

    /// Signals the server to stop without waiting (for `Drop`).
    pub(crate) fn signal_stop(&self) {
        if let Some(running) = self.running().take() {
            running.signal();
        }
    }
}

impl fmt::Debug for Listener {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Listener")
            .field("addr", &self.inner.addr)
            .field("up", &self.is_up())
            .field("fault", &*self.inner.control.fault())
            .field("rules", &self.inner.control.rules.len())
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
    // The control API is never faulted, logged or counted: it must keep working whatever
    // faults a test scripted.
    if request.uri().path().starts_with(crate::control::PREFIX) {
        return next.run(request).await;
    }
    control.served.fetch_add(1, Ordering::SeqCst);
    let per_listener = control.fault().clone();
    let source = Source {
        per_listener,
        listener_rules: &control.rules,
        scripted: &control.scripted,
        listener_fired: &control.fired,
    };
    faults::serve(source, request, next).await
}
