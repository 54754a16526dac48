//! The `imbridge` command's contract: UserSig tools, every provider command against the
//! emulator (in-process, and `imbridge emulator` itself), and failure output.

use std::io::{BufRead, BufReader};
use std::process::{Command, Output, Stdio};

use imbridge_emulator::{Emulator, EmulatorConfig, TencentApp};
use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_imbridge");
const SECRET: &str = "cli-test-secret-key-0123456789abcdef";

fn imbridge(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .env_remove("IMBRIDGE_TENCENT_SECRET_KEY")
        .env_remove("IMBRIDGE_TENCENT_SDKAPPID")
        .env_remove("IMBRIDGE_TENCENT_ADMIN")
        .output()
        .expect("the imbridge binary runs")
}

fn stdout_json(out: &Output) -> Value {
    assert!(
        out.status.success(),
        "failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout.clone()).unwrap();
    assert_eq!(text.lines().count(), 1, "one JSON object on stdout: {text}");
    serde_json::from_str(&text).unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

async fn emulator() -> Emulator {
    let config = EmulatorConfig {
        tencent: TencentApp {
            sdkappid: 1400000000,
            secret_key: SECRET.into(),
            admin: "administrator".into(),
        },
        ..EmulatorConfig::default()
    };
    Emulator::start(config).await.unwrap()
}

fn conn(url: &str) -> Vec<String> {
    [
        "--provider",
        "tencent",
        "--sdkappid",
        "1400000000",
        "--secret-key",
        SECRET,
        "--admin",
        "administrator",
        "--base-url",
        url,
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

/// Runs the binary off the async runtime so the in-process emulator keeps serving.
async fn run(url: &str, args: &[&str]) -> Output {
    let mut all = conn(url);
    all.extend(args.iter().map(|s| s.to_string()));
    tokio::task::spawn_blocking(move || {
        let refs: Vec<&str> = all.iter().map(String::as_str).collect();
        imbridge(&refs)
    })
    .await
    .unwrap()
}

#[test]
fn usersig_gen_prints_the_sig_alone_and_verify_reads_it_back() {
    let out = imbridge(&[
        "usersig",
        "gen",
        "--sdkappid",
        "1400000000",
        "--secret-key",
        SECRET,
        "--identifier",
        "lilei",
        "--expire",
        "3600",
        "--time",
        "1700000000",
    ]);
    assert!(out.status.success());
    let sig = String::from_utf8(out.stdout).unwrap();
    let sig = sig.strip_suffix('\n').unwrap();
    assert!(
        !sig.is_empty() && !sig.contains(char::is_whitespace),
        "{sig:?}"
    );

    let verify = |now: &str, key: &str, id: &str| {
        imbridge(&[
            "usersig",
            "verify",
            "--sdkappid",
            "1400000000",
            "--secret-key",
            key,
            "--identifier",
            id,
            "--sig",
            sig,
            "--now",
            now,
        ])
    };
    let ok = stdout_json(&verify("1700000100", SECRET, "lilei"));
    assert_eq!(ok["identifier"], "lilei");
    assert_eq!(ok["sdkappid"], 1400000000u64);
    assert_eq!(ok["time"], 1700000000u64);
    assert_eq!(ok["expire"], 3600);
    assert_eq!(ok["valid"], true);

    for (now, key, id, reason) in [
        ("1700003601", SECRET, "lilei", "expired"),
        (
            "1700000100",
            "another-key",
            "lilei",
            "does not match the secret key",
        ),
        ("1700000100", SECRET, "hanmeimei", "identifier"),
    ] {
        let out = verify(now, key, id);
        assert_eq!(out.status.code(), Some(1));
        assert!(out.stdout.is_empty());
        assert!(stderr(&out).contains(reason), "{}", stderr(&out));
    }
}

#[test]
fn usersig_verify_accepts_the_official_vectors() {
    let vectors: Value =
        serde_json::from_str(include_str!("../../../tests/vectors/usersig_v2.json")).unwrap();
    for case in vectors["cases"]
        .as_array()
        .unwrap()
        .iter()
        .chain(vectors["cases_node"].as_array().unwrap())
    {
        let out = imbridge(&[
            "usersig",
            "verify",
            "--sdkappid",
            &case["sdkappid"].to_string(),
            "--secret-key",
            case["key"].as_str().unwrap(),
            "--identifier",
            case["identifier"].as_str().unwrap(),
            "--sig",
            case["usersig"].as_str().unwrap(),
            "--now",
            &case["time"].to_string(),
        ]);
        let json = stdout_json(&out);
        assert_eq!(json["userbuf"], case["userbuf_base64"]);
    }
}

#[test]
fn usersig_commands_need_the_app_credentials() {
    let out = imbridge(&["usersig", "gen", "--identifier", "x"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--sdkappid"));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_walkthrough_through_the_cli() {
    let emu = emulator().await;
    let url = emu.url();

    let reg = stdout_json(
        &run(
            &url,
            &[
                "user",
                "register",
                "lilei",
                "--name",
                "李雷",
                "--avatar",
                "https://x.test/a.png",
            ],
        )
        .await,
    );
    assert_eq!(reg["user_id"], "lilei");
    assert!(reg["token"].as_str().unwrap().len() > 100);
    assert!(reg["expires_at"].as_u64().unwrap() > 1_700_000_000);
    stdout_json(&run(&url, &["user", "register", "hanmeimei"]).await);

    let tok = stdout_json(&run(&url, &["user", "token", "lilei", "--ttl", "3600"]).await);
    assert_eq!(tok["user_id"], "lilei");
    assert!(tok["expires_at"].is_u64());

    let prof = stdout_json(
        &run(
            &url,
            &[
                "profile", "set", "lilei", "--name", "雷雷", "--gender", "male",
            ],
        )
        .await,
    );
    assert_eq!(prof["user_id"], "lilei");
    assert_eq!(emu.state().user("lilei").unwrap().nick, "雷雷");

    let group = stdout_json(
        &run(
            &url,
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
    assert_eq!(emu.state().group(&gid).unwrap().members.len(), 2);
    let fixed = stdout_json(
        &run(
            &url,
            &[
                "group", "create", "--owner", "lilei", "--name", "G", "--id", "my-group",
            ],
        )
        .await,
    );
    assert_eq!(fixed["group_id"], "my-group");

    let dm = stdout_json(
        &run(
            &url,
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
    assert!(!dm["message_id"].as_str().unwrap().is_empty());
    let gm = stdout_json(
        &run(
            &url,
            &[
                "message", "send", "--from", "lilei", "--group", &gid, "--text", "hello",
            ],
        )
        .await,
    );
    assert_eq!(gm["sequence"], 1);
    let custom = stdout_json(
        &run(
            &url,
            &[
                "message",
                "send",
                "--from",
                "lilei",
                "--to",
                "hanmeimei",
                "--custom",
                "{\"k\":1}",
            ],
        )
        .await,
    );
    assert!(custom["dedup_key"].is_u64());
    assert_eq!(emu.state().c2c_messages().len(), 2);

    let raw = stdout_json(
        &run(
            &url,
            &[
                "raw",
                "im_open_login_svc/account_check",
                "--body",
                r#"{"CheckItem":[{"UserID":"lilei"}]}"#,
            ],
        )
        .await,
    );
    assert_eq!(raw["ResultItem"][0]["AccountStatus"], "Imported");
}

#[tokio::test(flavor = "multi_thread")]
async fn failures_print_kind_vendor_code_and_message_but_no_secret() {
    let emu = emulator().await;
    let url = emu.url();
    stdout_json(
        &run(
            &url,
            &[
                "group",
                "create",
                "--owner",
                "administrator",
                "--name",
                "G",
                "--id",
                "dup",
            ],
        )
        .await,
    );

    let out = run(
        &url,
        &[
            "group",
            "create",
            "--owner",
            "administrator",
            "--name",
            "G",
            "--id",
            "dup",
        ],
    )
    .await;
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let err = stderr(&out);
    assert!(err.contains("error[already_exists]"), "{err}");
    assert!(err.contains("vendor code: 10021"), "{err}");
    assert!(err.contains("vendor message: "), "{err}");
    assert!(!err.contains(SECRET) && !err.contains("usersig="), "{err}");

    let out = run(
        &url,
        &[
            "message",
            "send",
            "--from",
            "administrator",
            "--to",
            "ghost",
            "--text",
            "x",
        ],
    )
    .await;
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("error[not_found]"),
        "{}",
        stderr(&out)
    );

    let out = run(&url, &["user", "register", &"x".repeat(33)]).await;
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("error[invalid_input]") && stderr(&out).contains("at most 32"));

    // A wrong secret key is refused by the server; the key never shows.
    let out = tokio::task::spawn_blocking(move || {
        imbridge(&[
            "--provider",
            "tencent",
            "--sdkappid",
            "1400000000",
            "--secret-key",
            "the-wrong-secret",
            "--admin",
            "administrator",
            "--base-url",
            &url,
            "user",
            "register",
            "x",
        ])
    })
    .await
    .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("error[auth]") && err.contains("vendor code: 70009"),
        "{err}"
    );
    assert!(!err.contains("the-wrong-secret"), "{err}");
}

#[test]
fn connection_flags_are_checked_before_anything_is_sent() {
    let out = imbridge(&["user", "register", "x"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--provider"));

    let mut args = conn("http://10.0.0.1:8080");
    args.extend(["user", "register", "x"].map(String::from));
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = imbridge(&refs);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("error[config]") && stderr(&out).contains("plain http"));

    let out = imbridge(&[
        "--provider",
        "tencent",
        "--sdkappid",
        "1",
        "--secret-key",
        "k",
        "--admin",
        "a",
        "--region",
        "mars",
        "user",
        "token",
        "x",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("unknown Tencent Cloud IM region"));

    // A local token needs no network, so any region works.
    let out = imbridge(&[
        "--provider",
        "tencent",
        "--sdkappid",
        "1",
        "--secret-key",
        "k",
        "--admin",
        "a",
        "--region",
        "frankfurt",
        "user",
        "token",
        "x",
    ]);
    assert_eq!(stdout_json(&out)["user_id"], "x");
}

#[test]
fn the_secret_key_can_come_from_the_environment_and_help_does_not_show_it() {
    let out = Command::new(BIN)
        .args([
            "usersig",
            "gen",
            "--sdkappid",
            "1400000000",
            "--identifier",
            "a",
            "--time",
            "1",
            "--expire",
            "60",
        ])
        .env("IMBRIDGE_TENCENT_SECRET_KEY", SECRET)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let help = Command::new(BIN)
        .arg("--help")
        .env("IMBRIDGE_TENCENT_SECRET_KEY", SECRET)
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&help.stdout).contains(SECRET));
}

#[test]
fn the_emulator_command_prints_its_json_line_first_and_serves() {
    let mut child = Command::new(BIN)
        .args(["emulator", "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let info: Value = serde_json::from_str(&line).unwrap();
    let url = info["url"].as_str().unwrap().to_owned();
    assert!(url.starts_with("http://127.0.0.1:"));
    let t = &info["tencent"];
    let (sdkappid, key, admin) = (
        t["sdkappid"].to_string(),
        t["secret_key"].as_str().unwrap(),
        t["admin"].as_str().unwrap(),
    );

    let out = imbridge(&[
        "--provider",
        "tencent",
        "--sdkappid",
        &sdkappid,
        "--secret-key",
        key,
        "--admin",
        admin,
        "--base-url",
        &url,
        "user",
        "register",
        "lilei",
    ]);
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(stdout_json(&out)["user_id"], "lilei");
}
