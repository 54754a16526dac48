//! The vendors' public Python SDKs (`timsdk`, `rc-server-sdk`), unmodified, against the
//! emulator: `tests/python/users_family.py` drives the users and profiles family through them,
//! `tests/python/groups_family.py` the groups family, `tests/python/messages_family.py` the
//! messages family (each against its own emulator).
//!
//! Runs only when `IMBRIDGE_TEST_PYTHON` names a Python interpreter with those packages, e.g.
//!
//! ```text
//! python3 -m venv /tmp/imb-venv
//! /tmp/imb-venv/bin/pip install timsdk tls-sig-api-v2 rc-server-sdk jinja2
//! IMBRIDGE_TEST_PYTHON=/tmp/imb-venv/bin/python cargo test -p imbridge-emulator --test python_sdks
//! ```
//!
//! Otherwise it prints "skipped: IMBRIDGE_TEST_PYTHON not set" and passes.

use std::process::Command;

use imbridge_emulator::{Emulator, EmulatorConfig};

/// Runs `tests/python/{script}` against a fresh emulator, when `IMBRIDGE_TEST_PYTHON` is set.
async fn run_script(script: &str) {
    let Some(python) = std::env::var_os("IMBRIDGE_TEST_PYTHON").filter(|p| !p.is_empty()) else {
        println!("skipped: IMBRIDGE_TEST_PYTHON not set");
        return;
    };
    let emu = Emulator::start(EmulatorConfig::default()).await.unwrap();
    let script = format!("{}/tests/python/{script}", env!("CARGO_MANIFEST_DIR"));
    let line = emu.startup_line();
    let output = tokio::task::spawn_blocking(move || {
        Command::new(python)
            .arg(script)
            .arg(line)
            .env("NO_PROXY", "127.0.0.1,localhost")
            .env("no_proxy", "127.0.0.1,localhost")
            .env("PYTHONDONTWRITEBYTECODE", "1")
            .output()
    })
    .await
    .unwrap()
    .expect("IMBRIDGE_TEST_PYTHON runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    println!("{stdout}");
    assert!(
        output.status.success(),
        "the Python SDK script failed:\n{stdout}\n{stderr}"
    );
    assert!(stdout.contains("checks passed"), "{stdout}");
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_official_python_sdks_work_against_the_emulator() {
    run_script("users_family.py").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_official_python_sdks_group_calls_work_against_the_emulator() {
    run_script("groups_family.py").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_official_python_sdks_message_calls_work_against_the_emulator() {
    run_script("messages_family.py").await;
}
