//! `imbridge webhook verify`: valid callbacks exit 0 with what was verified, refused ones exit 1
//! with the reason.

use std::process::{Command, Output};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_imbridge");

fn imbridge(args: &[&str]) -> Output {
    let mut cmd = Command::new(BIN);
    for (k, _) in std::env::vars().filter(|(k, _)| k.starts_with("IMBRIDGE_")) {
        cmd.env_remove(k);
    }
    cmd.args(args).output().expect("the imbridge binary runs")
}

/// The vendor's documented example: token `xxxxyyyy`, RequestTime 1669872112.
const TENCENT_URL: &str = "https://app.example.com/im/callback?SdkAppid=1400000000&CallbackCommand=State.StateChange&contenttype=json&ClientIP=1.2.3.4&OptPlatform=RESTAPI&Sign=17773bc39a671d7b9aa835458704d2a6db81360a5940292b587d6d760d484061&RequestTime=1669872112";

fn tencent(extra: &[&str]) -> Output {
    let mut args = vec![
        "webhook",
        "verify",
        "--provider",
        "tencent",
        "--token",
        "xxxxyyyy",
        "--url",
        TENCENT_URL,
    ];
    args.extend_from_slice(extra);
    imbridge(&args)
}

#[test]
fn tencent_the_vendors_example_verifies() {
    let out = tencent(&["--now", "1669872112", "--sdkappid", "1400000000"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["valid"], true);
    assert_eq!(json["command"], "State.StateChange");
    assert_eq!(json["request_time"], 1669872112);
    assert_eq!(json["sdkappid"], 1400000000u64);
}

#[test]
fn tencent_refusals_exit_1_with_the_reason() {
    let cases: [(&[&str], &str); 2] = [
        (&["--now", "1669872200"], "away from now"),
        (
            &["--now", "1669872112", "--sdkappid", "1400000001"],
            "is for app `1400000000`",
        ),
    ];
    for (extra, reason) in cases {
        let out = tencent(extra);
        assert_eq!(out.status.code(), Some(1), "{extra:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("callback refused") && err.contains(reason),
            "{extra:?}: {err}"
        );
        assert!(
            !err.contains("xxxxyyyy") && !err.contains("wrong"),
            "no token in the output: {err}"
        );
    }
    let wrong_token = imbridge(&[
        "webhook",
        "verify",
        "--provider",
        "tencent",
        "--token",
        "wrong",
        "--url",
        TENCENT_URL,
        "--now",
        "1669872112",
    ]);
    assert_eq!(wrong_token.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&wrong_token.stderr).contains("signature does not match"));
    let tampered = TENCENT_URL.replace("RequestTime=1669872112", "RequestTime=1669872113");
    let out = imbridge(&[
        "webhook",
        "verify",
        "--provider",
        "tencent",
        "--token",
        "xxxxyyyy",
        "--url",
        &tampered,
        "--now",
        "1669872112",
    ]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn rongcloud_signature_verifies_and_refusals_exit_1() {
    let sig = imbridge_rongcloud::sign::signature("app-secret", "n1", "1700000000000");
    let url = format!(
        "https://app.example.com/rc?appKey=k&nonce=n1&signTimestamp=1700000000000&signature={sig}"
    );
    let ok = imbridge(&[
        "webhook",
        "verify",
        "--provider",
        "rongcloud",
        "--app-secret",
        "app-secret",
        "--url",
        &url,
        "--now",
        "1700000000",
    ]);
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let json: Value = serde_json::from_slice(&ok.stdout).unwrap();
    assert_eq!(
        (
            json["valid"].clone(),
            json["nonce"].clone(),
            json["app_key"].clone()
        ),
        (Value::Bool(true), "n1".into(), "k".into())
    );

    let stale = imbridge(&[
        "webhook",
        "verify",
        "--provider",
        "rongcloud",
        "--app-secret",
        "app-secret",
        "--url",
        &url,
        "--now",
        "1700001000",
    ]);
    assert_eq!(stale.status.code(), Some(1));
    let wrong = imbridge(&[
        "webhook",
        "verify",
        "--provider",
        "rongcloud",
        "--app-secret",
        "other",
        "--url",
        &url,
        "--now",
        "1700000000",
    ]);
    assert_eq!(wrong.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("signature does not match"));
    let other_app = imbridge(&[
        "webhook",
        "verify",
        "--provider",
        "rongcloud",
        "--app-key",
        "mine",
        "--app-secret",
        "app-secret",
        "--url",
        &url,
        "--now",
        "1700000000",
    ]);
    assert_eq!(other_app.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&other_app.stderr).contains("is for app `k`"));
}
