//! The `imbridge` command on RongCloud: the walkthrough against the emulator, a dead primary
//! with a live backup, failure output, and the emulator's first line.

use std::io::{BufRead, BufReader};
use std::process::{Command, Output, Stdio};

use imbridge_emulator::{Emulator, EmulatorConfig};
use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_imbridge");

fn imbridge(args: &[String]) -> Output {
    Command::new(BIN)
        .args(args)
        .env_remove("IMBRIDGE_RONGCLOUD_APP_KEY")
        .env_remove("IMBRIDGE_RONGCLOUD_APP_SECRET")
        .output()
        .expect("the imbridge binary runs")
}

fn json(out: &Output) -> Value {
    assert!(
        out.status.success(),
        "failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn dead_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    format!("http://{addr}")
}

/// Runs `imbridge --provider rongcloud …` off the runtime so the in-process emulator serves.
async fn run(emu: &Emulator, urls: &[String], args: &[&str]) -> Output {
    let app = emu.rongcloud();
    let mut all: Vec<String> = [
        "--provider",
        "rongcloud",
        "--app-key",
        &app.app_key,
        "--app-secret",
        &app.app_secret,
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for u in urls {
        all.extend(["--base-url".to_owned(), u.clone()]);
    }
    all.extend(args.iter().map(|s| s.to_string()));
    tokio::task::spawn_blocking(move || imbridge(&all))
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_walkthrough_on_rongcloud() {
    let emu = Emulator::start(EmulatorConfig::default()).await.unwrap();
    let urls = [emu.url()];
    let reg = json(
        &run(
            &emu,
            &urls,
            &["user", "register", "lilei", "--name", "李雷"],
        )
        .await,
    );
    assert_eq!(reg["user_id"], "lilei");
    assert!(!reg["token"].as_str().unwrap().is_empty());
    assert!(reg["expires_at"].is_null());
    json(&run(&emu, &urls, &["user", "register", "hanmeimei"]).await);
    let tok = json(&run(&emu, &urls, &["user", "token", "lilei"]).await);
    assert_eq!(tok["user_id"], "lilei");
    json(&run(&emu, &urls, &["profile", "set", "lilei", "--name", "雷"]).await);
    assert_eq!(emu.rongcloud_state().user("lilei").unwrap().name, "雷");
    let group = json(
        &run(
            &emu,
            &urls,
            &[
                "group",
                "create",
                "--owner",
                "lilei",
                "--name",
                "MyFirstGroup",
                "--member",
                "hanmeimei",
            ],
        )
        .await,
    );
    let gid = group["group_id"].as_str().unwrap().to_owned();
    assert_eq!(emu.rongcloud_state().group(&gid).unwrap().members.len(), 2);
    json(
        &run(
            &emu,
            &urls,
            &[
                "message",
                "send",
                "--from",
                "lilei",
                "--to",
                "hanmeimei",
                "--text",
                "hi",
            ],
        )
        .await,
    );
    json(
        &run(
            &emu,
            &urls,
            &[
                "message", "send", "--from", "lilei", "--group", &gid, "--text", "hello",
            ],
        )
        .await,
    );
    assert_eq!(emu.rongcloud_state().private_messages().len(), 1);
    assert_eq!(emu.rongcloud_state().group_messages(&gid).len(), 1);
    let info = json(
        &run(
            &emu,
            &urls,
            &["raw", "/user/info.json", "--body", r#"{"userId":"lilei"}"#],
        )
        .await,
    );
    assert_eq!(info["userName"], "雷");

    // Options RongCloud lacks are refused before sending.
    let out = run(
        &emu,
        &urls,
        &["profile", "set", "lilei", "--gender", "male"],
    )
    .await;
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("error[unsupported]"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_dead_primary_and_a_live_backup() {
    let emu = Emulator::start(EmulatorConfig::default()).await.unwrap();
    let urls = [dead_url(), emu.url()];
    for args in [
        &["user", "register", "lilei"][..],
        &["user", "register", "hanmeimei"],
        &["user", "token", "lilei"],
        &[
            "group", "create", "--owner", "lilei", "--name", "G", "--id", "g1",
        ],
        &[
            "message",
            "send",
            "--from",
            "lilei",
            "--to",
            "hanmeimei",
            "--text",
            "hi",
        ],
    ] {
        let out = run(&emu, &urls, args).await;
        json(&out);
        assert!(
            out.stderr.is_empty(),
            "no error shown: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert_eq!(emu.rongcloud_state().private_messages().len(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn failures_print_kind_code_and_message_but_no_secret() {
    let emu = Emulator::start(EmulatorConfig::default()).await.unwrap();
    let url = emu.url();
    let key = emu.rongcloud().app_key.clone();
    let out = tokio::task::spawn_blocking(move || {
        imbridge(
            &[
                "--provider",
                "rongcloud",
                "--app-key",
                &key,
                "--app-secret",
                "not-the-secret",
                "--base-url",
                &url,
                "user",
                "register",
                "lilei",
            ]
            .map(String::from),
        )
    })
    .await
    .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("error[auth]") && err.contains("vendor code: 1004"),
        "{err}"
    );
    assert!(!err.contains("not-the-secret"), "{err}");

    // No credentials anywhere: a configuration error naming what is missing.
    let out = imbridge(&["--provider", "rongcloud", "user", "register", "x"].map(String::from));
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("error[config]")
            && err.contains("[rongcloud]")
            && err.contains("IMBRIDGE_RONGCLOUD_"),
        "{err}"
    );
    // Half of them: the missing key is named.
    let out = imbridge(
        &[
            "--provider",
            "rongcloud",
            "--app-key",
            "k",
            "user",
            "register",
            "x",
        ]
        .map(String::from),
    );
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("`rongcloud.app_secret` is missing")
            && err.contains("IMBRIDGE_RONGCLOUD_APP_SECRET"),
        "{err}"
    );
}

#[test]
fn the_emulator_line_names_both_vendors() {
    let mut child = Command::new(BIN)
        .args(["emulator"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let _ = child.kill();
    let _ = child.wait();
    let info: Value = serde_json::from_str(&line).unwrap();
    assert!(
        info["url"]
            .as_str()
            .unwrap()
            .starts_with("http://127.0.0.1:")
    );
    assert!(info["tencent"]["sdkappid"].is_u64());
    assert!(!info["rongcloud"]["app_key"].as_str().unwrap().is_empty());
    assert!(!info["rongcloud"]["app_secret"].as_str().unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn the_timeout_flag_cuts_off_a_hung_server() {
    let emu = Emulator::start(EmulatorConfig::default()).await.unwrap();
    emu.inject(imbridge_emulator::FaultRule::any(
        imbridge_emulator::Fault::Hang,
    ));
    let started = std::time::Instant::now();
    let out = run(
        &emu,
        &[emu.url()],
        &[
            "--timeout",
            "0.3",
            "user",
            "register",
            "lilei",
            "--name",
            "L",
        ],
    )
    .await;
    let elapsed = started.elapsed();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("error[timeout]"), "{err}");
    // Three attempts of 0.3 s each plus short backoffs; the default 10 s would take over 30 s.
    assert!(
        elapsed < std::time::Duration::from_secs(5),
        "took {elapsed:?}"
    );
    emu.clear_faults();
}
