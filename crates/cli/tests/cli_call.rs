//! `imbridge call OPERATION --json '{…}'` and `imbridge call --list`: every operation of the
//! registry is reachable, bodies are checked before anything is sent, results print through
//! serde with the same exit codes as the family commands, on both vendors.

mod family;

use std::process::Output;

use family::*;
use imbridge_core::Operation;
use imbridge_emulator::{Emulator, Vendor};
use serde_json::{Value, json};

/// `imbridge <vendor's flags> call OP --json BODY` (see [`run`]).
async fn call(emu: &Emulator, vendor: Vendor, op: &str, body: &str) -> Output {
    run(emu, vendor, &["call", op, "--json", body]).await
}

#[test]
fn list_prints_the_registry_with_the_vendors_that_support_each_operation() {
    let list = json(&imbridge(&strings(&["call", "--list"]), &[], None), 0);
    let list = list.as_array().unwrap();
    let names: Vec<&str> = list.iter().map(|o| o["name"].as_str().unwrap()).collect();
    let expected: Vec<&str> = Operation::ALL.iter().map(|op| op.as_str()).collect();
    assert_eq!(names, expected);
    let matrix = imbridge::compare::capability_matrix();
    for (row, op) in list.iter().zip(Operation::ALL) {
        let keys: Vec<&String> = row.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["access", "family", "name", "vendors"]);
        assert_eq!(row["family"], op.family().unwrap().as_str());
        assert_eq!(row["access"], op.access().as_str());
        let vendors: Vec<&str> = matrix
            .iter()
            .filter(|c| c.capabilities.supports(*op))
            .map(|c| c.key)
            .collect();
        assert_eq!(row["vendors"], json!(vendors), "{op}");
    }
    let ban = list.iter().find(|o| o["name"] == "ban_users").unwrap();
    assert_eq!(ban["vendors"], json!(["rongcloud", "rongcloud_hosted"]));
    let transfer = list.iter().find(|o| o["name"] == "transfer_group").unwrap();
    assert_eq!(transfer["vendors"], json!(["tencent", "rongcloud_hosted"]));
}

#[test]
fn every_operation_of_the_registry_is_accepted_and_its_body_checked() {
    // No provider is given: the body is checked before the CLI connects to anything.
    for op in Operation::ALL {
        let out = imbridge(
            &strings(&["call", op.as_str(), "--json", r#"{"no_such_field":1}"#]),
            &[],
            None,
        );
        assert_eq!(out.status.code(), Some(2), "{op}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(
            err.contains(&format!("--json is not a `{op}` request"))
                && err.contains("no_such_field"),
            "{op}: {err}"
        );
        assert!(!err.contains("unknown operation"), "{op}: {err}");
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn an_unknown_operation_is_a_usage_error_that_says_where_the_names_are() {
    let out = imbridge(
        &strings(&["call", "register_user_batch", "--json", "{}"]),
        &[],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("unknown operation `register_user_batch`")
            && err.contains("imbridge call --list"),
        "{err}"
    );
    assert!(out.stdout.is_empty());
    // Neither an operation nor --list: clap's usage error.
    assert_eq!(
        imbridge(&strings(&["call"]), &[], None).status.code(),
        Some(2)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn call_reaches_the_operations_on_both_vendors() {
    let emu = emulator().await;
    for vendor in [Vendor::Tencent, Vendor::RongCloud] {
        let v = vendor.as_str();
        let out = json(
            &call(
                &emu,
                vendor,
                "register_users",
                r#"{"users":[{"user_id":"a"}]}"#,
            )
            .await,
            0,
        );
        assert_eq!(out, json!({"succeeded": ["a"], "failed": []}), "{v}");

        let token = json(
            &call(
                &emu,
                vendor,
                "register_user",
                r#"{"user_id":"b","nickname":"B"}"#,
            )
            .await,
            0,
        );
        assert_eq!(token["user_id"], "b", "{v}");
        assert_eq!(token["vendor"], v);
        assert!(!token["token"].as_str().unwrap().is_empty(), "{v}");

        let out = json(
            &call(
                &emu,
                vendor,
                "check_users",
                r#"{"user_ids":["a","nobody"]}"#,
            )
            .await,
            0,
        );
        assert_eq!(
            out["succeeded"],
            json!([{"user_id": "a", "exists": true}, {"user_id": "nobody", "exists": false}]),
            "{v}"
        );

        // A batch with a failed item: exit 3, both lists printed.
        let out = call(
            &emu,
            vendor,
            "get_profiles",
            r#"{"user_ids":["b","nobody"]}"#,
        )
        .await;
        let batch = json(&out, 3);
        assert_eq!(batch["succeeded"][0]["nickname"], "B", "{v}");
        assert_eq!(batch["failed"][0]["item"], "nobody", "{v}");
        assert_eq!(batch["failed"][0]["error"]["kind"], "not_found", "{v}");
        assert!(stderr(&out).contains("error[partial]"), "{v}");

        let out = json(
            &call(&emu, vendor, "force_logout", r#"{"user_id":"a"}"#).await,
            0,
        );
        assert_eq!(out, json!({"ok": true}), "{v}");

        let group = json(
            &call(
                &emu,
                vendor,
                "create_group",
                r#"{"name":"G","owner":"a","group_id":"g1","members":["b"]}"#,
            )
            .await,
            0,
        );
        assert_eq!(group, json!({"group_id": "g1"}), "{v}");
        let receipt = json(
            &call(
                &emu,
                vendor,
                "send_message",
                r#"{"from":"a","to":{"user":"b"},"content":{"text":"hi"}}"#,
            )
            .await,
            0,
        );
        assert!(
            !receipt["message_id"].as_str().unwrap().is_empty(),
            "{v}: {receipt}"
        );

        // A bad body is refused before anything is sent.
        let before = sent(&emu);
        for body in [
            r#"{"users":[{"user_id":"a","name":"A"}]}"#,
            r#"{"users":"a"}"#,
            "{",
            "[]",
        ] {
            let out = call(&emu, vendor, "register_users", body).await;
            assert_eq!(out.status.code(), Some(2), "{v} {body}: {}", stderr(&out));
            assert!(stderr(&out).contains("--json is not a `register_users` request"));
        }
        // The SDK's own checks come before sending too (exit 1, invalid_input).
        let out = call(&emu, vendor, "check_users", r#"{"user_ids":[]}"#).await;
        assert_eq!(out.status.code(), Some(1), "{v}: {}", stderr(&out));
        assert!(stderr(&out).contains("error[invalid_input]"), "{v}");
        assert_eq!(sent(&emu), before, "{v}: nothing was sent");
    }

    // Login bans: RongCloud has them; Tencent refuses before sending.
    let out = json(
        &call(
            &emu,
            Vendor::RongCloud,
            "ban_users",
            r#"{"user_ids":["a"],"seconds":600}"#,
        )
        .await,
        0,
    );
    assert_eq!(out, json!({"succeeded": ["a"], "failed": []}));
    let page = json(
        &call(
            &emu,
            Vendor::RongCloud,
            "list_banned_users",
            r#"{"limit":10}"#,
        )
        .await,
        0,
    );
    assert_eq!(page["items"][0]["user_id"], "a");
    assert_eq!(page["next"], Value::Null);
    let before = sent(&emu);
    let out = call(
        &emu,
        Vendor::Tencent,
        "ban_users",
        r#"{"user_ids":["a"],"seconds":600}"#,
    )
    .await;
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("error[unsupported]"));
    assert_eq!(sent(&emu), before, "nothing was sent");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_body_can_come_from_stdin() {
    let emu = emulator().await;
    let mut args = conn(&emu, Vendor::Tencent);
    args.extend(strings(&["call", "register_users", "--json", "-"]));
    let out = exec(
        &emu,
        args,
        &[],
        Some(r#"{"users":[{"user_id":"a","nickname":"A"}]}"#),
    )
    .await;
    assert_eq!(json(&out, 0), json!({"succeeded": ["a"], "failed": []}));
    assert_eq!(emu.state().user("a").unwrap().nick, "A");
}
