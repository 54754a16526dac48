//! `imbridge message …` on both vendors against the in-process emulator: the receipt with its
//! "ref" and the ref accepted by `message recall`, the push flags on the wire, usage errors
//! (exit 2) for bad combinations before anything is sent, the batch, system, recall, history
//! and import commands, `call` on the new operations, and no secret in any output.
//!
//! RongCloud's history needs the app's cloud storage, which the emulated app has here (and a
//! test checks the refusal without it).

mod family;

use std::process::Output;

use family::*;
use imbridge_emulator::{Emulator, Vendor};
use serde_json::{Value, json};

const VENDORS: [Vendor; 2] = [Vendor::Tencent, Vendor::RongCloud];

fn prefix(v: Vendor) -> &'static str {
    match v {
        Vendor::Tencent => "tencent:",
        Vendor::RongCloud => "rongcloud:",
    }
}

/// Whether `v` does the step named `step` (`recall`, `history`, `group_history`, `batch`,
/// `system`, `import`): everything but RongCloud's import, which the vendor has no API for.
fn supported(v: Vendor, step: &str) -> bool {
    !(v == Vendor::RongCloud && step == "import")
}

/// Runs a step on `v`: its JSON (exit `code`) where [`supported`], else checks that it was
/// refused before sending (exit 1, error[unsupported]) and returns `None`.
async fn step(emu: &Emulator, v: Vendor, name: &str, args: &[&str], code: i32) -> Option<Value> {
    let before = sent(emu);
    let out = run(emu, v, args).await;
    if supported(v, name) {
        return Some(json(&out, code));
    }
    let err = failed(&out, "unsupported");
    assert!(err.contains("no endpoint to import"), "{v:?} {name}: {err}");
    assert_eq!(sent(emu), before, "{v:?} {name}: nothing was sent");
    None
}

/// The bodies of the vendor requests received so far.
fn bodies(emu: &Emulator, v: Vendor) -> Vec<String> {
    match v {
        Vendor::Tencent => emu.state().requests().into_iter().map(|r| r.body).collect(),
        Vendor::RongCloud => emu
            .rongcloud_state()
            .requests()
            .into_iter()
            .map(|r| r.body)
            .collect(),
    }
}

/// `imbridge … ARGS` on `v` that exits 0: its JSON.
async fn ok(emu: &Emulator, v: Vendor, args: &[&str]) -> Value {
    json(&run(emu, v, args).await, 0)
}

/// An emulator with the users alice, bob and carol and the group g1 (alice, bob) on both
/// vendors, and RongCloud's cloud message storage on.
async fn with_users() -> Emulator {
    let emu = emulator().await;
    emu.set_rongcloud_message_storage(true);
    for v in VENDORS {
        ok(&emu, v, &["user", "import", "alice", "bob", "carol"]).await;
        let create = [
            "group", "create", "--owner", "alice", "--name", "G", "--id", "g1", "--member", "bob",
        ];
        ok(&emu, v, &create).await;
    }
    emu
}

/// `message send --from alice ARGS`: the receipt, its ref checked.
async fn send(emu: &Emulator, v: Vendor, args: &[&str]) -> Value {
    let mut all = vec!["message", "send", "--from", "alice"];
    all.extend(args);
    let receipt = ok(emu, v, &all).await;
    let r = receipt["ref"].as_str().unwrap();
    assert!(r.starts_with(prefix(v)), "{v:?}: {receipt}");
    receipt
}

/// The ref of `message send --from alice --to bob --text TEXT`.
async fn send_ref(emu: &Emulator, v: Vendor, text: &str) -> String {
    let receipt = send(emu, v, &["--to", "bob", "--text", text]).await;
    receipt["ref"].as_str().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn send_prints_a_ref_that_recall_accepts() {
    let emu = with_users().await;
    for v in VENDORS {
        let receipt = send(&emu, v, &["--to", "bob", "--text", "hi"]).await;
        let mut keys: Vec<&str> = receipt
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        keys.sort_unstable();
        assert_eq!(
            keys,
            ["dedup_key", "message_id", "ref", "sent_at", "sequence"],
            "{v:?}"
        );
        assert!(!receipt["message_id"].as_str().unwrap().is_empty());
        let r = receipt["ref"].as_str().unwrap().to_owned();

        // --custom still works, and gets a ref of its own; a group send has a ref too.
        let custom = send(&emu, v, &["--to", "bob", "--custom", r#"{"k":1}"#]).await;
        assert_ne!(custom["ref"], receipt["ref"], "{v:?}");
        send(&emu, v, &["--group", "g1", "--text", "all"]).await;

        // The push flags reach the wire.
        let push = ["--push-title", "PushTitle42", "--push-body", "PushBody42"];
        send(
            &emu,
            v,
            &[&["--to", "bob", "--text", "ping"][..], &push].concat(),
        )
        .await;
        let last = bodies(&emu, v).pop().unwrap();
        assert!(last.contains("ping"), "{v:?}: {last}");
        assert!(
            last.contains("PushTitle42") && last.contains("PushBody42"),
            "{v:?}: {last}"
        );

        // `message recall REF` takes the ref as printed: not a usage error.
        let recalled = step(&emu, v, "recall", &["message", "recall", &r], 0).await;
        if let Some(out) = recalled {
            assert_eq!(out, json!({"ok": true}), "{v:?}");
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_combinations_are_usage_errors_before_anything_is_sent() {
    let emu = emulator().await;
    let r = "tencent:c2c:alice:bob:1_2_3";
    for v in VENDORS {
        let before = sent(&emu);
        for args in [
            &["message", "send", "--from", "a", "--text", "t"][..],
            &[
                "message", "send", "--from", "a", "--to", "b", "--group", "g", "--text", "t",
            ],
            &["message", "send", "--from", "a", "--to", "b"],
            &[
                "message", "send", "--from", "a", "--to", "b", "--text", "t", "--custom", "c",
            ],
            &["message", "send", "--to", "b", "--text", "t"],
            &["message", "batch", "--from", "a", "--text", "t"],
            &["message", "batch", "--to", "b", "--text", "t"],
            &["message", "batch", "--from", "a", "--to", "b"],
            &["message", "system", "--text", "t"],
            &["message", "system", "--to", "b"],
            &["message", "recall"],
            &["message", "recall", "nonsense"],
            &["message", "recall", "nobody:1:2"],
            &["message", "recall", r, r],
            &["message", "history"],
            &["message", "history", "--from", "a"],
            &["message", "history", "--to", "b"],
            &[
                "message", "history", "--group", "g", "--from", "a", "--to", "b",
            ],
            &["message", "history", "--group", "g", "--since", "1"],
            &["message", "history", "--group", "g", "--until", "1"],
            &[
                "message", "history", "--from", "a", "--to", "b", "--as", "a",
            ],
            &[
                "message", "history", "--from", "a", "--to", "b", "--since", "200", "--until",
                "100",
            ],
            &["message", "history", "--group", "g", "--limit", "x"],
            &[
                "message", "import", "--from", "a", "--to", "b", "--text", "t",
            ],
            &[
                "message", "import", "--from", "a", "--to", "b", "--text", "t", "--time", "-1",
            ],
            &[
                "message", "import", "--from", "a", "--time", "1", "--text", "t",
            ],
        ] {
            let err = usage(&run(&emu, v, args).await);
            assert!(!err.is_empty(), "{args:?}");
        }
        assert_eq!(sent(&emu), before, "{v:?}: nothing was sent");
    }
    let err = usage(&run(&emu, Vendor::Tencent, &["message", "recall", "nonsense"]).await);
    assert!(
        err.contains("not a message reference imbridge made"),
        "{err}"
    );
    let err = usage(
        &run(
            &emu,
            Vendor::Tencent,
            &[
                "message", "history", "--from", "a", "--to", "b", "--since", "9", "--until", "9",
            ],
        )
        .await,
    );
    assert!(
        err.contains("--until (9) must be after --since (9)"),
        "{err}"
    );
}

/// The one-to-one history of alice and bob as alice sees it, every page; `None` while the
/// step does not work.
async fn direct_history(emu: &Emulator, v: Vendor, extra: &[&str]) -> Option<Vec<Value>> {
    let mut args = vec![
        "message", "history", "--from", "alice", "--to", "bob", "--all",
    ];
    args.extend(extra);
    let page = step(emu, v, "history", &args, 0).await?;
    assert_eq!(page["next"], Value::Null, "{v:?}: {page}");
    Some(page["items"].as_array().unwrap().clone())
}

/// The messages of `items` that say `text`.
fn saying<'a>(items: &'a [Value], text: &str) -> Vec<&'a Value> {
    items
        .iter()
        .filter(|m| m["content"] == json!({ "text": text }))
        .collect()
}

/// Checks that the history item `listed` is the message `receipt` is for: the same ref on
/// Tencent; on RongCloud the same messageUID (its ref ends with the send time, which the send
/// answer does not carry: a send's ref has the SDK's clock, the history's the vendor's).
fn same_message(v: Vendor, listed: &Value, receipt: &Value) {
    let (listed, sent) = (listed["ref"].as_str().unwrap(), &receipt["ref"]);
    match v {
        Vendor::Tencent => assert_eq!(listed, sent, "the ref the send printed"),
        Vendor::RongCloud => {
            let uid = receipt["message_id"].as_str().unwrap();
            assert!(listed.contains(&format!(":{uid}:")), "{listed} vs {sent}");
        }
    }
}

/// The new commands on `v`: send → history shows it → recall → history shows it recalled or
/// gone; batch and system messages with a ref per recipient (Tencent: an unknown recipient is
/// a failed item, exit 3); import with its original time, read back by --since/--until; a
/// group's history; RongCloud's import refused before sending.
async fn new_commands(emu: &Emulator, v: Vendor) {
    let receipt = send(emu, v, &["--to", "bob", "--text", "to recall"]).await;
    let r = receipt["ref"].as_str().unwrap().to_owned();
    if let Some(items) = direct_history(emu, v, &[]).await {
        let found = saying(&items, "to recall");
        assert_eq!(found.len(), 1, "{v:?}: {items:?}");
        let m = found[0];
        same_message(v, m, &receipt);
        assert_eq!(m["from"], "alice");
        assert_eq!(m["to"], json!({"user": "bob"}));
        assert_eq!(m["recalled"], false);
        assert!(m["sent_at"].as_u64().unwrap() > 1_700_000_000);
        // A page at a time: --limit 1 without --all gives a cursor to go on with.
        ok(
            emu,
            v,
            &[
                "message", "send", "--from", "bob", "--to", "alice", "--text", "re",
            ],
        )
        .await;
        let page = ok(
            emu,
            v,
            &[
                "message", "history", "--from", "alice", "--to", "bob", "--limit", "1",
            ],
        )
        .await;
        assert_eq!(page["items"].as_array().unwrap().len(), 1, "{v:?}: {page}");
        let next = page["next"].as_str().expect("a next cursor");
        let more = ok(
            emu,
            v,
            &[
                "message", "history", "--from", "alice", "--to", "bob", "--limit", "1", "--cursor",
                next,
            ],
        )
        .await;
        assert_eq!(more["items"].as_array().unwrap().len(), 1, "{v:?}: {more}");
        assert_ne!(more["items"][0]["ref"], page["items"][0]["ref"]);
    }

    if let Some(out) = step(emu, v, "recall", &["message", "recall", &r], 0).await {
        assert_eq!(out, json!({"ok": true}));
        if let Some(items) = direct_history(emu, v, &[]).await {
            for m in saying(&items, "to recall") {
                assert_eq!(m["recalled"], true, "{v:?}: recalled or gone: {m}");
            }
        }
    }

    let batch = [
        "message", "batch", "--from", "alice", "--to", "bob", "carol", "--to", "nobody", "--text",
        "hello",
    ];
    // Tencent tells an unknown recipient: a failed item, exit 3.
    let code = if v == Vendor::Tencent { 3 } else { 0 };
    if let Some(out) = step(emu, v, "batch", &batch, code).await {
        // Each recipient's ref names its one-to-one conversation with alice.
        let kind = if v == Vendor::Tencent {
            "c2c"
        } else {
            "private"
        };
        for d in out["succeeded"].as_array().unwrap() {
            let to = d["user_id"].as_str().unwrap();
            let want = format!("{}{kind}:alice:{to}:", prefix(v));
            assert!(d["ref"].as_str().unwrap().starts_with(&want), "{d}");
        }
        let delivered = ids(&out["succeeded"]);
        match v {
            Vendor::Tencent => {
                assert_eq!(delivered, ["bob", "carol"], "{out}");
                assert_eq!(out["failed"].as_array().unwrap().len(), 1, "{out}");
                assert_eq!(out["failed"][0]["item"], "nobody");
                assert_eq!(out["failed"][0]["error"]["kind"], "not_found");
                assert_eq!(out["failed"][0]["error"]["vendor_code"], 90012);
            }
            // RongCloud does not check recipients: every one gets a ref.
            Vendor::RongCloud => assert_eq!(delivered, ["bob", "carol", "nobody"], "{out}"),
        }
    }

    let system = [
        "message", "system", "--to", "bob", "carol", "--text", "notice",
    ];
    match v {
        // Tencent has no system conversation: a one-to-one message from the app admin.
        Vendor::Tencent => {
            let out = ok(emu, v, &system).await;
            assert_eq!(ids(&out["succeeded"]), ["bob", "carol"], "{out}");
            let admin = emu.tencent().admin.clone();
            let last = emu.state().c2c_messages().pop().unwrap();
            assert_eq!((last.from, last.to), (admin, "carol".to_owned()));
        }
        // RongCloud sends system messages from a user id: --from, or the configured
        // system_account; without either, refused before sending.
        Vendor::RongCloud => {
            let before = sent(emu);
            let err = failed(&run(emu, v, &system).await, "invalid_input");
            assert!(err.contains("`from` is required"), "{err}");
            assert_eq!(sent(emu), before, "nothing was sent");
        }
    }
    let system = [&system[..], &["--from", "alice"]].concat();
    if let Some(out) = step(emu, v, "system", &system, 0).await {
        assert_eq!(ids(&out["succeeded"]), ["bob", "carol"], "{v:?}: {out}");
        for d in out["succeeded"].as_array().unwrap() {
            assert!(d["ref"].as_str().unwrap().starts_with(prefix(v)), "{d}");
        }
    }

    let import = [
        "message",
        "import",
        "--from",
        "alice",
        "--to",
        "bob",
        "--text",
        "old",
        "--time",
        "1600000000",
    ];
    if let Some(out) = step(emu, v, "import", &import, 0).await {
        assert_eq!(out["failed"], json!([]), "{v:?}: {out}");
        let imported = out["succeeded"][0].as_str().unwrap();
        assert!(imported.starts_with(prefix(v)), "{out}");
        let window = ["--since", "1599999999", "--until", "1600000001"];
        if let Some(items) = direct_history(emu, v, &window).await {
            let found = saying(&items, "old");
            assert_eq!(found.len(), 1, "{v:?}: {items:?}");
            assert_eq!(found[0]["sent_at"], 1_600_000_000);
        }
    }

    let sent_to_group = send(emu, v, &["--group", "g1", "--text", "to the group"]).await;
    let group = [
        "message", "history", "--group", "g1", "--as", "alice", "--limit", "5", "--all",
    ];
    if let Some(page) = step(emu, v, "group_history", &group, 0).await {
        let items = page["items"].as_array().unwrap();
        let found = saying(items, "to the group");
        assert_eq!(found.len(), 1, "{v:?}: {page}");
        same_message(v, found[0], &sent_to_group);
        assert_eq!(found[0]["to"], json!({"group": "g1"}));
        // A group message recalled: the group's history shows it recalled or leaves it out.
        let r = sent_to_group["ref"].as_str().unwrap();
        if step(emu, v, "recall", &["message", "recall", r], 0)
            .await
            .is_some()
        {
            let page = ok(emu, v, &group).await;
            for m in saying(page["items"].as_array().unwrap(), "to the group") {
                assert_eq!(m["recalled"], true, "{v:?}: recalled or gone: {m}");
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_new_commands_on_tencent() {
    let emu = with_users().await;
    new_commands(&emu, Vendor::Tencent).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_new_commands_on_rongcloud() {
    let emu = with_users().await;
    new_commands(&emu, Vendor::RongCloud).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn refusals_keep_the_vendors_code_and_send_nothing_they_need_not() {
    let emu = emulator().await;
    let rc = Vendor::RongCloud;
    ok(&emu, rc, &["user", "import", "alice", "bob"]).await;
    // RongCloud's history needs the app's cloud storage (off here): exit 1 with its code.
    let err = failed(
        &run(
            &emu,
            rc,
            &["message", "history", "--from", "alice", "--to", "bob"],
        )
        .await,
        "permission_denied",
    );
    assert!(err.contains("vendor code: 1009"), "{err}");
    // A reference of the other vendor is refused before sending, both ways; so is RongCloud's
    // group history without --as (nor a configured group_operator or system_account).
    let tencent_ref = "tencent:c2c:alice:bob:1_2_3";
    let rongcloud_ref = send_ref(&emu, rc, "hi").await;
    let before = sent(&emu);
    let err = failed(
        &run(&emu, rc, &["message", "history", "--group", "g1"]).await,
        "invalid_input",
    );
    assert!(err.contains("`viewer` is required"), "{err}");
    for (v, r) in [(rc, tencent_ref), (Vendor::Tencent, rongcloud_ref.as_str())] {
        failed(
            &run(&emu, v, &["message", "recall", r]).await,
            "invalid_input",
        );
    }
    assert_eq!(sent(&emu), before, "nothing was sent");
}

async fn call(emu: &Emulator, v: Vendor, op: &str, body: &str) -> Output {
    run(emu, v, &["call", op, "--json", body]).await
}

#[tokio::test(flavor = "multi_thread")]
async fn call_takes_the_new_operations() {
    let emu = with_users().await;
    for v in VENDORS {
        let r = send_ref(&emu, v, "hi").await;
        let recall = json!({ "ref": r }).to_string();
        for (name, op, body) in [
            (
                "batch",
                "send_batch",
                r#"{"from":"alice","to":["bob"],"content":{"text":"t"}}"#,
            ),
            (
                "system",
                "send_system_message",
                r#"{"from":"alice","to":["bob"],"content":{"text":"t"},"push":{"title":"T"}}"#,
            ),
            ("recall", "recall_message", recall.as_str()),
            (
                "history",
                "message_history",
                r#"{"conversation":{"direct":{"user":"alice","peer":"bob"}},"limit":5}"#,
            ),
            (
                "import",
                "import_messages",
                r#"{"messages":[{"from":"alice","to":{"user":"bob"},"content":{"text":"old"},"sent_at":1600000000}]}"#,
            ),
        ] {
            let args = ["call", op, "--json", body];
            if let Some(out) = step(&emu, v, name, &args, 0).await {
                match op {
                    "recall_message" => assert_eq!(out, json!({"ok": true})),
                    "message_history" => assert!(out["items"].is_array(), "{out}"),
                    _ => assert_eq!(out["failed"], json!([]), "{v:?} {op}: {out}"),
                }
            }
        }
        // Bodies that are not the request are usage errors.
        for (op, body) in [
            ("recall_message", r#"{"ref":"nonsense"}"#),
            (
                "send_batch",
                r#"{"from":"alice","to":"bob","content":{"text":"t"}}"#,
            ),
            (
                "message_history",
                r#"{"conversation":{"direct":{"user":"a"}}}"#,
            ),
            ("import_messages", r#"{"messages":[{"from":"a"}]}"#),
        ] {
            let err = usage(&call(&emu, v, op, body).await);
            assert!(
                err.contains(&format!("--json is not a `{op}` request")),
                "{err}"
            );
        }
    }
}
