//! `imbridge emulator`: fixed credentials from the global flags, `--write-config`,
//! `--callback-url` / `--tencent-callback-token`, and the control API of the spawned process.
//! Servers are waited for by reading the startup line, never by sleeping.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_imbridge");

/// A spawned `imbridge emulator`, killed on drop.
struct Running {
    child: Child,
    info: Value,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn clean(command: &mut Command) -> &mut Command {
    for var in [
        "IMBRIDGE_PROVIDER",
        "IMBRIDGE_TENCENT_SDKAPPID",
        "IMBRIDGE_TENCENT_SECRET_KEY",
        "IMBRIDGE_TENCENT_ADMIN",
        "IMBRIDGE_RONGCLOUD_APP_KEY",
        "IMBRIDGE_RONGCLOUD_APP_SECRET",
    ] {
        command.env_remove(var);
    }
    command
}

/// Spawns `imbridge ARGS` and reads its first stdout line (the JSON startup line).
fn spawn(args: &[&str]) -> Running {
    let mut child = clean(&mut Command::new(BIN))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the imbridge binary runs");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let info: Value = serde_json::from_str(&line).unwrap_or_else(|e| panic!("{e}: {line:?}"));
    Running { child, info }
}

fn imbridge(args: &[&str]) -> Output {
    clean(&mut Command::new(BIN))
        .args(args)
        .output()
        .expect("the imbridge binary runs")
}

/// A plain HTTP/1.1 request to the emulator; answers (status, body as JSON).
fn http(url: &str, method: &str, path: &str, body: &str) -> (u16, Value) {
    let addr = url.trim_start_matches("http://");
    let mut stream = TcpStream::connect(addr).unwrap();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    let status = answer
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap();
    let body = answer.split_once("\r\n\r\n").map_or("", |(_, b)| b);
    (status, serde_json::from_str(body).unwrap_or(Value::Null))
}

fn temp_path(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("imbridge-cli-emulator-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

#[test]
fn fixed_credentials_a_usable_config_file_and_the_control_api() {
    let config = temp_path("emulator.toml");
    let config_arg = config.to_str().unwrap();
    let emu = spawn(&[
        "--sdkappid",
        "1400123456",
        "--secret-key",
        "fixed-secret-key-for-tests",
        "--admin",
        "boss",
        "emulator",
        "--port",
        "0",
        "--app-key",
        "fixedappkey01",
        "--app-secret",
        "FixedSecret01",
        "--write-config",
        config_arg,
    ]);
    let info = &emu.info;
    let url = info["url"].as_str().unwrap().to_owned();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    assert_eq!(info["tencent"]["sdkappid"], 1400123456);
    assert_eq!(info["tencent"]["secret_key"], "fixed-secret-key-for-tests");
    assert_eq!(info["tencent"]["admin"], "boss");
    assert_eq!(info["rongcloud"]["app_key"], "fixedappkey01");
    assert_eq!(info["rongcloud"]["app_secret"], "FixedSecret01");

    // The file exists once the line is out, holds the same values, and only its owner can
    // read it.
    let text = std::fs::read_to_string(&config).unwrap();
    for line in [
        "provider = \"tencent\"".to_owned(),
        "[tencent]".to_owned(),
        "sdkappid = 1400123456".to_owned(),
        "secret_key = \"fixed-secret-key-for-tests\"".to_owned(),
        "admin = \"boss\"".to_owned(),
        format!("base_urls = [\"{url}\"]"),
        "[rongcloud]".to_owned(),
        "app_key = \"fixedappkey01\"".to_owned(),
        "app_secret = \"FixedSecret01\"".to_owned(),
    ] {
        assert!(text.lines().any(|l| l == line), "no `{line}` in:\n{text}");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&config).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    // imbridge itself can use the file, for both vendors.
    let out = imbridge(&["--config", config_arg, "user", "register", "lilei"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = imbridge(&[
        "--config",
        config_arg,
        "--provider",
        "rongcloud",
        "user",
        "register",
        "hanmeimei",
        "--name",
        "Han",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // The control API answers on the same port and saw both registrations.
    let (status, state) = http(&url, "GET", "/_emulator/state", "");
    assert_eq!(status, 200);
    assert_eq!(state["tencent"]["users"][0]["id"], "lilei");
    assert_eq!(state["rongcloud"]["users"][0]["id"], "hanmeimei");
    let (status, rule) = http(
        &url,
        "POST",
        "/_emulator/faults",
        r#"{"path":"/user/getToken.json","fault":"status:503"}"#,
    );
    assert_eq!(status, 200, "{rule}");
    let (status, _) = http(&url, "POST", "/_emulator/reset", "");
    assert_eq!(status, 200);
    let (_, state) = http(&url, "GET", "/_emulator/state", "");
    assert_eq!(state["tencent"]["users"], serde_json::json!([]));
    let _ = std::fs::remove_file(&config);
}

#[test]
fn callbacks_go_to_the_given_loopback_url_signed_with_the_token() {
    // A one-shot app server: the first request it gets is sent back to the test.
    let sink = TcpListener::bind("127.0.0.1:0").unwrap();
    let sink_url = format!("http://{}/im/callback", sink.local_addr().unwrap());
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        if let Ok((mut stream, _)) = sink.accept() {
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut head = String::new();
            let mut line = String::new();
            while reader.read_line(&mut line).unwrap_or(0) > 2 {
                head.push_str(&line);
                line.clear();
            }
            let body = r#"{"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0}"#;
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = tx.send(head);
        }
    });
    let emu = spawn(&[
        "emulator",
        "--callback-url",
        &sink_url,
        "--tencent-callback-token",
        "cb-token",
    ]);
    let url = emu.info["url"].as_str().unwrap().to_owned();
    let t = &emu.info["tencent"];
    let sdkappid = t["sdkappid"].to_string();
    let conn = [
        "--provider",
        "tencent",
        "--sdkappid",
        &sdkappid,
        "--secret-key",
        t["secret_key"].as_str().unwrap(),
        "--admin",
        t["admin"].as_str().unwrap(),
        "--base-url",
        &url,
    ];
    let mut args = conn.to_vec();
    args.extend(["user", "register", "lilei"]);
    assert!(imbridge(&args).status.success());
    let mut args = conn.to_vec();
    args.extend(["profile", "set", "lilei", "--name", "Li Lei"]);
    let out = imbridge(&args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let head = rx
        .recv_timeout(Duration::from_secs(20))
        .expect("the emulator called back");
    let request_line = head.lines().next().unwrap();
    assert!(
        request_line.starts_with("POST /im/callback?"),
        "{request_line}"
    );
    assert!(
        request_line.contains("CallbackCommand=Profile.CallbackPortraitSet"),
        "{request_line}"
    );
    assert!(request_line.contains("Sign="), "{request_line}");
    assert!(request_line.contains("RequestTime="), "{request_line}");
}

#[test]
fn a_callback_url_off_the_loopback_interface_is_refused() {
    let out = imbridge(&["emulator", "--callback-url", "http://example.com/cb"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--callback-url"), "{err}");
    assert!(err.contains("loopback"), "{err}");
    assert!(out.stdout.is_empty());

    let out = imbridge(&["emulator", "--tencent-callback-token", "t"]);
    assert_eq!(out.status.code(), Some(2), "a token needs a URL");
    let out = imbridge(&["--secret-key", "", "emulator"]);
    assert_eq!(out.status.code(), Some(2), "an empty secret key");
}
