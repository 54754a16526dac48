//! Running one scenario on every compiled-in backend, and the assertions scenarios share.

use std::any::Any;
use std::fmt::Debug;
use std::future::Future;

use imbridge::{ClientToken, Error, ErrorKind, RegisterUser, Result};

use crate::backend::{Backend, Setup, group_setups, setups};

/// Runs `scenario` once per compiled-in vendor, each on a fresh emulator, and fails naming every
/// vendor it failed on (all vendors run even when one fails).
pub async fn run<F, Fut>(name: &str, scenario: F)
where
    F: Fn(Backend) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    run_on(name, setups(), scenario).await;
}

/// Like [`run`], on every group model (RongCloud's hosted groups too).
pub async fn run_group_models<F, Fut>(name: &str, scenario: F)
where
    F: Fn(Backend) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    run_on(name, group_setups(), scenario).await;
}

async fn run_on<F, Fut>(name: &str, setups: Vec<Setup>, scenario: F)
where
    F: Fn(Backend) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    assert!(
        !setups.is_empty(),
        "no vendor backend is compiled in: enable the `tencent` and/or `rongcloud` feature"
    );
    let mut failures = Vec::new();
    for vendor in setups {
        let backend = Backend::start(vendor).await;
        // A task of its own, so that a failed assertion is caught and attributed to the vendor.
        if let Err(e) = tokio::spawn(scenario(backend)).await {
            let why = if e.is_panic() {
                panic_text(e.into_panic())
            } else {
                e.to_string()
            };
            failures.push(format!("[{vendor}] {why}"));
        }
    }
    assert!(
        failures.is_empty(),
        "scenario `{name}` failed on {} backend(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn panic_text(payload: Box<dyn Any + Send>) -> String {
    match payload.downcast::<String>() {
        Ok(s) => *s,
        Err(payload) => payload.downcast_ref::<&str>().map_or_else(
            || "(a panic without a message)".to_owned(),
            |s| (*s).to_owned(),
        ),
    }
}

/// The value of a call that must succeed.
#[track_caller]
pub fn ok<T>(result: Result<T>, what: &str) -> T {
    match result {
        Ok(value) => value,
        Err(e) => panic!("{what}: expected success, got: {e}\n  {e:?}"),
    }
}

/// The error of a call that must fail with `kind`.
#[track_caller]
pub fn err<T: Debug>(result: Result<T>, kind: ErrorKind, what: &str) -> Error {
    match result {
        Ok(value) => panic!("{what}: expected a `{kind}` error, got Ok({value:?})"),
        Err(e) => {
            assert_eq!(e.kind(), kind, "{what}: wrong error kind: {e}\n  {e:?}");
            e
        }
    }
}

/// The error of a call that must fail with `kind` without sending anything to the vendor.
pub async fn refused<T: Debug>(
    b: &Backend,
    call: impl Future<Output = Result<T>>,
    kind: ErrorKind,
    what: &str,
) -> Error {
    let before = b.requests();
    let e = err(call.await, kind, what);
    assert_eq!(
        b.requests(),
        before,
        "{what}: refused with `{kind}`, but only after sending a request"
    );
    e
}

/// Like [`refused`] with [`ErrorKind::InvalidInput`], and the error names `field`.
pub async fn invalid<T: Debug>(
    b: &Backend,
    call: impl Future<Output = Result<T>>,
    field: &str,
    what: &str,
) -> Error {
    let e = refused(b, call, ErrorKind::InvalidInput, what).await;
    assert_eq!(e.field(), Some(field), "{what}: wrong field in {e:?}");
    e
}

/// Registers `user` (no profile) and returns their token.
pub async fn register(b: &Backend, user: &str) -> ClientToken {
    ok(
        b.im.register_user(&RegisterUser::new(user)).await,
        &format!("register `{user}`"),
    )
}
