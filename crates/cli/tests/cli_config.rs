//! `--config`, the environment and flags, in that order of precedence; `capabilities` and
//! `compare`.

use std::process::{Command, Output};

use imbridge_emulator::{Emulator, EmulatorConfig};
use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_imbridge");

fn run(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(BIN);
    cmd.args(args);
    for (k, _) in std::env::vars().filter(|(k, _)| k.starts_with("IMBRIDGE_")) {
        cmd.env_remove(k);
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("the imbridge binary runs")
}

async fn run_async(args: Vec<String>, env: Vec<(String, String)>) -> Output {
    tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        run(&args, &env)
    })
    .await
    .unwrap()
}

fn config_file(emu: &Emulator, provider: &str) -> tempfile_path::TempFile {
    let (t, r) = (emu.tencent(), emu.rongcloud());
    let text = format!(
        "provider = \"{provider}\"\n[tencent]\nsdkappid = {}\nsecret_key = \"{}\"\nadmin = \"{}\"\nbase_urls = [\"{}\"]\n\
         [rongcloud]\napp_key = \"{}\"\napp_secret = \"{}\"\nbase_urls = [\"{}\"]\n",
        t.sdkappid,
        t.secret_key,
        t.admin,
        emu.url(),
        r.app_key,
        r.app_secret,
        emu.url()
    );
    tempfile_path::TempFile::new(&text)
}

/// A file under the system temp dir, removed on drop.
mod tempfile_path {
    pub struct TempFile(pub std::path::PathBuf);
    impl TempFile {
        pub fn new(text: &str) -> Self {
            use std::sync::atomic::{AtomicU32, Ordering};
            static N: AtomicU32 = AtomicU32::new(0);
            let path = std::env::temp_dir().join(format!(
                "imbridge-cli-{}-{}.toml",
                std::process::id(),
                N.fetch_add(1, Ordering::Relaxed)
            ));
            std::fs::write(&path, text).unwrap();
            TempFile(path)
        }
        pub fn path(&self) -> String {
            self.0.display().to_string()
        }
    }
    impl Drop for TempFile {
        fn drop(&mut self) {
            let _ = std::fs::remove_file(&self.0);
        }
    }
}

fn json(out: &Output) -> Value {
    assert!(
        out.status.success(),
        "failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn one_config_line_selects_the_vendor_and_the_environment_overrides_it() {
    let emu = Emulator::start(EmulatorConfig::default()).await.unwrap();
    let tencent = config_file(&emu, "tencent");
    json(
        &run_async(
            vec![
                "--config".into(),
                tencent.path(),
                "user".into(),
                "register".into(),
                "via-file".into(),
            ],
            vec![],
        )
        .await,
    );
    assert!(
        emu.state().user("via-file").is_some(),
        "provider = \"tencent\" drove Tencent traffic"
    );
    assert!(emu.rongcloud_state().user("via-file").is_none());

    let rongcloud = config_file(&emu, "rongcloud");
    json(
        &run_async(
            vec![
                "--config".into(),
                rongcloud.path(),
                "user".into(),
                "register".into(),
                "flipped".into(),
            ],
            vec![],
        )
        .await,
    );
    assert!(
        emu.rongcloud_state().user("flipped").is_some(),
        "flipping the line drove RongCloud traffic"
    );
    assert!(emu.state().user("flipped").is_none());

    let env = vec![("IMBRIDGE_PROVIDER".to_owned(), "rongcloud".to_owned())];
    json(
        &run_async(
            vec![
                "--config".into(),
                tencent.path(),
                "user".into(),
                "register".into(),
                "via-env".into(),
            ],
            env,
        )
        .await,
    );
    assert!(
        emu.rongcloud_state().user("via-env").is_some(),
        "IMBRIDGE_PROVIDER overrides the file"
    );

    let env = vec![("IMBRIDGE_PROVIDER".to_owned(), "rongcloud".to_owned())];
    let args = [
        "--config",
        &tencent.path(),
        "--provider",
        "tencent",
        "user",
        "register",
        "via-flag",
    ]
    .map(String::from)
    .to_vec();
    json(&run_async(args, env).await);
    assert!(
        emu.state().user("via-flag").is_some(),
        "--provider overrides both"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn credentials_from_the_environment_only() {
    let emu = Emulator::start(EmulatorConfig::default()).await.unwrap();
    let t = emu.tencent();
    let env = [
        ("IMBRIDGE_PROVIDER", "tencent".to_owned()),
        ("IMBRIDGE_TENCENT_SDKAPPID", t.sdkappid.to_string()),
        ("IMBRIDGE_TENCENT_SECRET_KEY", t.secret_key.clone()),
        ("IMBRIDGE_TENCENT_ADMIN", t.admin.clone()),
        ("IMBRIDGE_TENCENT_BASE_URLS", emu.url()),
    ]
    .map(|(k, v)| (k.to_owned(), v))
    .to_vec();
    json(
        &run_async(
            ["user", "register", "env-only"].map(String::from).to_vec(),
            env,
        )
        .await,
    );
    assert!(emu.state().user("env-only").is_some());
}

#[test]
fn config_errors_name_the_key_and_the_file() {
    let file = tempfile_path::TempFile::new(
        "provider = \"tencent\"\n[tencent]\nsdkappid = 1\nsecret_key = \"hidden-secret\"\nadmin = \"a\"\nregoin = \"x\"\n",
    );
    let out = run(&["--config", &file.path(), "user", "token", "x"], &[]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("unknown key `tencent.regoin`") && err.contains(&file.path()),
        "{err}"
    );
    assert!(!err.contains("hidden-secret"), "{err}");

    let out = run(
        &["--provider", "tencent", "user", "token", "x"],
        &[("IMBRIDGE_TENCENT_SDKAPID", "1")],
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("unknown environment variable `IMBRIDGE_TENCENT_SDKAPID`"),
        "{err}"
    );
}

/// README's walkthrough exports both vendors' secrets, then drives one vendor with flags: a
/// leftover variable of the other vendor must not break it.
#[tokio::test(flavor = "multi_thread")]
async fn a_leftover_variable_of_the_other_vendor_does_not_break_start_up() {
    let emu = Emulator::start(EmulatorConfig::default()).await.unwrap();
    let (t, r) = (emu.tencent(), emu.rongcloud());
    let env = vec![
        (
            "IMBRIDGE_TENCENT_SECRET_KEY".to_owned(),
            t.secret_key.clone(),
        ),
        (
            "IMBRIDGE_RONGCLOUD_APP_SECRET".to_owned(),
            r.app_secret.clone(),
        ),
    ];
    let rongcloud = [
        "--provider",
        "rongcloud",
        "--app-key",
        &r.app_key,
        "--base-url",
        &emu.url(),
        "user",
        "register",
        "stray-tencent-variable",
    ]
    .map(String::from)
    .to_vec();
    json(&run_async(rongcloud, env.clone()).await);
    assert!(
        emu.rongcloud_state()
            .user("stray-tencent-variable")
            .is_some()
    );

    let sdkappid = t.sdkappid.to_string();
    let tencent = [
        "--provider",
        "tencent",
        "--sdkappid",
        &sdkappid,
        "--admin",
        &t.admin,
        "--base-url",
        &emu.url(),
        "user",
        "register",
        "stray-rongcloud-variable",
    ]
    .map(String::from)
    .to_vec();
    json(&run_async(tencent, env.clone()).await);
    assert!(emu.state().user("stray-rongcloud-variable").is_some());

    // The other vendor's section is still read: a variable it does not know is an error.
    let mut env = env;
    env.push(("IMBRIDGE_TENCENT_SECRETKEY".to_owned(), "typo".to_owned()));
    let args = [
        "--provider",
        "rongcloud",
        "--app-key",
        &r.app_key,
        "--base-url",
        &emu.url(),
        "user",
        "register",
        "never",
    ]
    .map(String::from)
    .to_vec();
    let out = run_async(args, env).await;
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("unknown environment variable `IMBRIDGE_TENCENT_SECRETKEY`"),
        "{err}"
    );
    assert!(emu.rongcloud_state().user("never").is_none());
}

#[test]
fn usersig_gen_ignores_the_other_vendors_variables() {
    let out = run(
        &[
            "usersig",
            "gen",
            "--sdkappid",
            "1400000000",
            "--identifier",
            "lilei",
        ],
        &[
            ("IMBRIDGE_TENCENT_SECRET_KEY", "k"),
            ("IMBRIDGE_RONGCLOUD_APP_SECRET", "s"),
            ("IMBRIDGE_RONGCLOUD_TIMEOUT_SECS", "not-a-number"),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!String::from_utf8_lossy(&out.stdout).trim().is_empty());
}

#[test]
fn value_errors_name_the_key_and_origin_but_never_the_value() {
    // A secret of the wrong type in the file.
    let file = tempfile_path::TempFile::new(
        "provider = \"tencent\"\n[tencent]\nsdkappid = 1\nsecret_key = 987654321\nadmin = \"a\"\n",
    );
    let out = run(&["--config", &file.path(), "user", "token", "x"], &[]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("`tencent.secret_key`") && err.contains(&file.path()),
        "{err}"
    );
    assert!(!err.contains("987654321"), "{err}");

    // A rate limit from the environment that is not a number.
    let out = run(
        &[
            "--provider",
            "tencent",
            "--sdkappid",
            "1",
            "--secret-key",
            "hidden-secret",
            "--admin",
            "a",
            "user",
            "token",
            "x",
        ],
        &[("IMBRIDGE_TENCENT_RATE_LIMITS_SEND_MESSAGE", "hidden-value")],
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("`IMBRIDGE_TENCENT_RATE_LIMITS_SEND_MESSAGE` must be a whole number"),
        "{err}"
    );
    assert!(
        !err.contains("hidden-value") && !err.contains("hidden-secret"),
        "{err}"
    );

    // An operation name that does not exist, in the file.
    let file = tempfile_path::TempFile::new(
        "provider = \"tencent\"\n[tencent]\nsdkappid = 1\nsecret_key = \"k\"\nadmin = \"a\"\n\
         [tencent.rate_limits]\nsend_msg = 5\n",
    );
    let out = run(&["--config", &file.path(), "user", "token", "x"], &[]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("unknown operation `send_msg`")
            && err.contains(&file.path())
            && err.contains("send_message"),
        "{err}"
    );
}

#[test]
fn capabilities_prints_the_matrix_as_text_json_and_markdown() {
    let text = String::from_utf8(run(&["capabilities"], &[]).stdout).unwrap();
    assert!(
        text.starts_with("capability") && text.contains("tencent") && text.contains("rongcloud"),
        "{text}"
    );
    let json = json(&run(&["capabilities", "--json"], &[]));
    assert_eq!(json["tencent"]["users.local_tokens"], "yes");
    assert_eq!(json["rongcloud"]["users.local_tokens"], "no");
    let md = String::from_utf8(run(&["capabilities", "--markdown"], &[]).stdout).unwrap();
    assert!(
        include_str!("../../../docs/vendor-matrix.md").contains(&md),
        "docs/vendor-matrix.md shows the same table"
    );
}

#[test]
fn compare_runs_the_walkthrough_on_both_vendors() {
    let out = run(&["compare"], &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let table = String::from_utf8(out.stdout).unwrap();
    for needle in [
        "tencent endpoint",
        "rongcloud endpoint",
        "im_open_login_svc/account_import",
        "/user/getToken.json",
        "openim/sendmsg",
        "/message/private/publish.json",
    ] {
        assert!(table.contains(needle), "missing {needle}:\n{table}");
    }
    assert!(!table.contains("ERROR"), "{table}");
    let json = json(&run(&["compare", "--json"], &[]));
    for vendor in ["tencent", "rongcloud"] {
        let steps = json[vendor].as_array().unwrap();
        assert_eq!(steps.len(), 7);
        assert!(
            steps
                .iter()
                .all(|s| s["ok"] == true && s["latency_ms"].as_f64().unwrap() >= 0.0),
            "{json}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn compare_uses_the_vendors_of_the_config() {
    let emu = Emulator::start(EmulatorConfig::default()).await.unwrap();
    let file = config_file(&emu, "tencent");
    let out = run_async(
        vec![
            "compare".into(),
            "--json".into(),
            "--config".into(),
            file.path(),
        ],
        vec![],
    )
    .await;
    let json = json(&out);
    assert!(
        json["tencent"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["ok"] == true),
        "{json}"
    );
    assert!(
        json["rongcloud"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["ok"] == true),
        "{json}"
    );
    // Unique ids against configured vendors: the walkthrough's users carry a suffix.
    assert!(
        emu.state()
            .users()
            .iter()
            .any(|u| u.id.starts_with("lilei-"))
    );
    assert!(
        emu.rongcloud_state()
            .users()
            .iter()
            .any(|u| u.id.starts_with("lilei-"))
    );
}

#[test]
fn compare_reports_a_broken_section_instead_of_skipping_it() {
    // A valid [tencent] section and a [rongcloud] section missing its app key: `compare` runs
    // every vendor the file names, so it must say what is wrong with the second one.
    let file = tempfile_path::TempFile::new(
        "provider = \"tencent\"\n[tencent]\nsdkappid = 1400000000\nsecret_key = \"k\"\n\
         admin = \"administrator\"\nbase_urls = [\"http://127.0.0.1:9\"]\n\
         [rongcloud]\napp_secret = \"hidden-secret\"\n",
    );
    let path = file.0.to_str().unwrap();
    let out = run(&["compare", "--config", path], &[]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("app_key"), "{stderr}");
    assert!(!stderr.contains("hidden-secret"), "{stderr}");
}
