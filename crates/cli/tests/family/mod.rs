//! Shared helpers of the CLI tests of the operation families (`cli_users`, `cli_groups`,
//! `cli_call`): the binary run against the in-process emulator with no `IMBRIDGE_*` variable of
//! the caller's, the connection flags of each vendor, and the checks on its output.

#![allow(dead_code)]

use std::io::Write;
use std::process::{Command, Output, Stdio};

use imbridge_emulator::{Emulator, EmulatorConfig, Vendor};
use serde_json::Value;

pub const BIN: &str = env!("CARGO_BIN_EXE_imbridge");

pub async fn emulator() -> Emulator {
    Emulator::start(EmulatorConfig::default()).await.unwrap()
}

pub fn strings(args: &[&str]) -> Vec<String> {
    args.iter().map(|s| s.to_string()).collect()
}

/// The connection flags of `vendor` on the emulator.
pub fn conn(emu: &Emulator, vendor: Vendor) -> Vec<String> {
    let mut args = match vendor {
        Vendor::Tencent => {
            let t = emu.tencent();
            strings(&[
                "--provider",
                "tencent",
                "--sdkappid",
                &t.sdkappid.to_string(),
                "--secret-key",
                &t.secret_key,
                "--admin",
                &t.admin,
            ])
        }
        Vendor::RongCloud => {
            let r = emu.rongcloud();
            strings(&[
                "--provider",
                "rongcloud",
                "--app-key",
                &r.app_key,
                "--app-secret",
                &r.app_secret,
            ])
        }
    };
    args.extend(["--base-url".to_owned(), emu.url()]);
    args
}

/// `imbridge ARGS` with no `IMBRIDGE_*` variable of the caller's but `env`, and `stdin` piped
/// in (none: stdin is closed at once). Blocks until the command exits.
pub fn imbridge(args: &[String], env: &[(&str, &str)], stdin: Option<&str>) -> Output {
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (key, _) in std::env::vars() {
        if key.starts_with("IMBRIDGE_") {
            cmd.env_remove(key);
        }
    }
    cmd.envs(env.iter().copied());
    let mut child = cmd.spawn().expect("the imbridge binary runs");
    let mut input = child.stdin.take().unwrap();
    if let Some(text) = stdin {
        input.write_all(text.as_bytes()).unwrap();
    }
    drop(input);
    child.wait_with_output().unwrap()
}

/// [`imbridge`] off the runtime (so the emulator keeps serving), checking that no secret of the
/// emulator's shows in its output.
pub async fn exec(
    emu: &Emulator,
    args: Vec<String>,
    env: &[(&str, &str)],
    stdin: Option<&str>,
) -> Output {
    let env: Vec<(String, String)> = env
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let stdin = stdin.map(str::to_owned);
    let out = tokio::task::spawn_blocking(move || {
        let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        imbridge(&args, &env, stdin.as_deref())
    })
    .await
    .unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), stderr(&out));
    for secret in [&emu.tencent().secret_key, &emu.rongcloud().app_secret] {
        assert!(!text.contains(secret.as_str()), "a secret in: {text}");
    }
    out
}

/// Runs `imbridge` with `vendor`'s connection flags and `args` (see [`exec`]).
pub async fn run(emu: &Emulator, vendor: Vendor, args: &[&str]) -> Output {
    let mut all = conn(emu, vendor);
    all.extend(strings(args));
    exec(emu, all, &[], None).await
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The one JSON value on stdout of a command that exited with `code`.
pub fn json(out: &Output, code: i32) -> Value {
    assert_eq!(out.status.code(), Some(code), "stderr: {}", stderr(out));
    let text = String::from_utf8(out.stdout.clone()).unwrap();
    assert_eq!(text.lines().count(), 1, "one JSON value on stdout: {text}");
    serde_json::from_str(&text).unwrap()
}

/// A failed call: exit 1, nothing on stdout, the error kind on stderr.
pub fn failed(out: &Output, kind: &str) -> String {
    assert_eq!(out.status.code(), Some(1), "stderr: {}", stderr(out));
    assert!(
        out.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let err = stderr(out);
    assert!(err.contains(&format!("error[{kind}]")), "{err}");
    err
}

/// A usage error: exit 2, nothing on stdout.
pub fn usage(out: &Output) -> String {
    assert_eq!(out.status.code(), Some(2), "stderr: {}", stderr(out));
    assert!(out.stdout.is_empty());
    stderr(out)
}

/// How many vendor requests the emulator has received.
pub fn sent(emu: &Emulator) -> usize {
    emu.state().requests().len() + emu.rongcloud_state().requests().len()
}

/// The ids of a list of ids or of objects with a `user_id`.
pub fn ids(items: &Value) -> Vec<&str> {
    items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i.as_str().or_else(|| i["user_id"].as_str()).unwrap())
        .collect()
}
