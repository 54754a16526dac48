//! `imbridge user …` and `imbridge profile get` on both vendors against the in-process emulator:
//! the batch and page output, exit codes 0 / 1 / 2 / 3, unsupported operations refused before
//! anything is sent, and no secret in any output.

mod family;

use family::*;
use imbridge_emulator::{Presence, Vendor};
use serde_json::{Value, json};

#[tokio::test(flavor = "multi_thread")]
async fn the_users_family_on_tencent() {
    let emu = emulator().await;
    let t = Vendor::Tencent;

    let out = json(
        &run(
            &emu,
            t,
            &["user", "import", "alice", "bob", "--name", "Test"],
        )
        .await,
        0,
    );
    assert_eq!(out, json!({"succeeded": ["alice", "bob"], "failed": []}));
    assert_eq!(emu.state().user("bob").unwrap().nick, "Test");

    // Tencent answers an unknown account as not imported: no failed item.
    let out = json(
        &run(&emu, t, &["user", "check", "alice", "nobody"]).await,
        0,
    );
    assert_eq!(
        out,
        json!({"succeeded": [{"user_id": "alice", "exists": true},
                             {"user_id": "nobody", "exists": false}], "failed": []})
    );

    // An unknown account is a failed item of query_online: exit 3, both lists printed.
    emu.set_online(Vendor::Tencent, "alice", Presence::Online);
    let out = run(&emu, t, &["user", "online", "alice", "bob", "nobody"]).await;
    let batch = json(&out, 3);
    assert_eq!(
        batch["succeeded"],
        json!([{"user_id": "alice", "status": "online"}, {"user_id": "bob", "status": "offline"}])
    );
    let failed_item = &batch["failed"][0];
    assert_eq!(failed_item["item"], "nobody");
    assert_eq!(failed_item["error"]["kind"], "not_found");
    assert_eq!(failed_item["error"]["vendor_code"], 70107);
    assert_eq!(batch["failed"].as_array().unwrap().len(), 1);
    assert!(
        stderr(&out).contains("error[partial]: 1 of 3 items failed"),
        "{}",
        stderr(&out)
    );

    let out = json(&run(&emu, t, &["user", "kick", "alice"]).await, 0);
    assert_eq!(out, json!({"ok": true}));
    assert!(emu.state().kicked_at("alice").is_some());
    let out = json(&run(&emu, t, &["user", "online", "alice"]).await, 0);
    assert_eq!(out["succeeded"][0]["status"], "offline");

    // Tencent has no login ban: refused before anything is sent.
    let before = sent(&emu);
    for args in [
        &["user", "ban", "alice", "--minutes", "5"][..],
        &["user", "unban", "alice"],
        &["user", "banned"],
        &["user", "banned", "--all", "--limit", "10"],
    ] {
        let err = failed(&run(&emu, t, args).await, "unsupported");
        assert!(err.contains("no login ban"), "{err}");
    }
    assert_eq!(sent(&emu), before, "nothing was sent");

    // Bad input is refused by the SDK before sending: exit 1, invalid_input.
    let long = "x".repeat(33);
    let err = failed(
        &run(&emu, t, &["user", "check", "alice", &long]).await,
        "invalid_input",
    );
    assert!(err.contains("user_ids"), "{err}");
    assert_eq!(sent(&emu), before, "nothing was sent");

    // Profiles: an unknown user is a failed item; custom fields by name.
    let set = json(
        &run(
            &emu,
            t,
            &[
                "call",
                "set_profile",
                "--json",
                r#"{"user_id":"alice","custom":{"Hobby":"chess"}}"#,
            ],
        )
        .await,
        0,
    );
    assert_eq!(set, json!({"ok": true}));
    let out = run(&emu, t, &["profile", "get", "alice", "nobody"]).await;
    let batch = json(&out, 3);
    assert_eq!(batch["succeeded"][0]["user_id"], "alice");
    assert_eq!(batch["succeeded"][0]["nickname"], "Test");
    assert_eq!(batch["succeeded"][0]["custom"], json!({}));
    assert_eq!(batch["failed"][0]["item"], "nobody");
    assert_eq!(batch["failed"][0]["error"]["kind"], "not_found");
    let batch = json(
        &run(&emu, t, &["profile", "get", "alice", "--field", "Hobby"]).await,
        0,
    );
    assert_eq!(batch["succeeded"][0]["custom"], json!({"Hobby": "chess"}));

    // Tencent deletes at once; an unknown account is a failed item.
    let out = run(&emu, t, &["user", "delete", "bob", "nobody"]).await;
    let batch = json(&out, 3);
    assert_eq!(
        batch["succeeded"],
        json!([{"user_id": "bob", "status": "deleted"}])
    );
    assert_eq!(batch["failed"][0]["item"], "nobody");
    assert_eq!(batch["failed"][0]["error"]["vendor_code"], 70107);
    let out = json(&run(&emu, t, &["user", "check", "bob"]).await, 0);
    assert_eq!(out["succeeded"][0]["exists"], false);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_users_family_on_rongcloud() {
    let emu = emulator().await;
    let r = Vendor::RongCloud;

    let out = json(
        &run(
            &emu,
            r,
            &["user", "import", "alice", "bob", "carol", "--name", "Test"],
        )
        .await,
        0,
    );
    assert_eq!(
        out,
        json!({"succeeded": ["alice", "bob", "carol"], "failed": []})
    );
    assert_eq!(emu.rongcloud_state().user("carol").unwrap().name, "Test");

    // RongCloud's user info answers an unknown user with a parameter error: exists false.
    let out = json(
        &run(&emu, r, &["user", "check", "alice", "nobody"]).await,
        0,
    );
    assert_eq!(
        out,
        json!({"succeeded": [{"user_id": "alice", "exists": true},
                             {"user_id": "nobody", "exists": false}], "failed": []})
    );

    // checkOnline reads an unknown user as offline: no failed item.
    emu.set_online(Vendor::RongCloud, "alice", Presence::Online);
    let out = json(
        &run(&emu, r, &["user", "online", "alice", "bob", "nobody"]).await,
        0,
    );
    assert_eq!(
        out,
        json!({"succeeded": [{"user_id": "alice", "status": "online"},
                             {"user_id": "bob", "status": "offline"},
                             {"user_id": "nobody", "status": "offline"}], "failed": []})
    );

    let out = json(&run(&emu, r, &["user", "kick", "alice"]).await, 0);
    assert_eq!(out, json!({"ok": true}));
    assert!(!emu.rongcloud_state().is_online("alice"));
    // The kick blocks alice for a minute (to drop her connections); lift it.
    json(&run(&emu, r, &["user", "unban", "alice"]).await, 0);

    let out = json(
        &run(
            &emu,
            r,
            &["user", "ban", "alice", "bob", "carol", "--minutes", "10"],
        )
        .await,
        0,
    );
    assert_eq!(
        out,
        json!({"succeeded": ["alice", "bob", "carol"], "failed": []})
    );
    assert!(emu.rongcloud_state().blocked_until_ms("bob").is_some());

    let page = json(&run(&emu, r, &["user", "banned"]).await, 0);
    assert_eq!(ids(&page["items"]), ["alice", "bob", "carol"]);
    assert!(page["items"][0]["until"].as_u64().unwrap() > 1_700_000_000);
    assert_eq!(page["next"], Value::Null);
    assert!(page.as_object().unwrap().contains_key("total"));

    let page = json(&run(&emu, r, &["user", "banned", "--limit", "2"]).await, 0);
    assert_eq!(ids(&page["items"]), ["alice", "bob"]);
    let next = page["next"].as_str().unwrap().to_owned();
    let page = json(
        &run(
            &emu,
            r,
            &["user", "banned", "--limit", "2", "--cursor", &next],
        )
        .await,
        0,
    );
    assert_eq!(ids(&page["items"]), ["carol"]);
    assert_eq!(page["next"], Value::Null);

    let page = json(
        &run(&emu, r, &["user", "banned", "--limit", "1", "--all"]).await,
        0,
    );
    assert_eq!(ids(&page["items"]), ["alice", "bob", "carol"]);
    assert_eq!(page["next"], Value::Null);

    let out = json(&run(&emu, r, &["user", "unban", "alice", "bob"]).await, 0);
    assert_eq!(out, json!({"succeeded": ["alice", "bob"], "failed": []}));
    let page = json(&run(&emu, r, &["user", "banned"]).await, 0);
    assert_eq!(ids(&page["items"]), ["carol"]);

    // Bad input: clap's (exit 2), the SDK's (exit 1); nothing sent either way.
    let before = sent(&emu);
    let out = run(&emu, r, &["user", "ban", "alice", "--minutes", "0"]).await;
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let out = run(&emu, r, &["user", "ban", "alice"]).await;
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("--minutes"), "{}", stderr(&out));
    let out = run(&emu, r, &["user", "delete"]).await;
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    failed(
        &run(&emu, r, &["user", "ban", "alice", "--minutes", "43201"]).await,
        "invalid_input",
    );
    // RongCloud has no custom profile fields.
    failed(
        &run(&emu, r, &["profile", "get", "alice", "--field", "Hobby"]).await,
        "unsupported",
    );
    assert_eq!(sent(&emu), before, "nothing was sent");

    let out = run(&emu, r, &["profile", "get", "alice", "nobody"]).await;
    let batch = json(&out, 3);
    assert_eq!(batch["succeeded"][0]["user_id"], "alice");
    assert_eq!(batch["succeeded"][0]["nickname"], "Test");
    assert_eq!(batch["failed"][0]["item"], "nobody");
    assert_eq!(batch["failed"][0]["error"]["kind"], "not_found");
    assert_eq!(batch["failed"][0]["error"]["vendor"], "rongcloud");

    // RongCloud deactivates later: every user is pending with the vendor's operation id.
    let batch = json(&run(&emu, r, &["user", "delete", "bob", "carol"]).await, 0);
    let done = batch["succeeded"].as_array().unwrap();
    assert_eq!(done.len(), 2);
    for (item, id) in done.iter().zip(["bob", "carol"]) {
        assert_eq!(item["user_id"], id);
        assert_eq!(item["status"], "pending");
        assert!(!item["operation_id"].as_str().unwrap().is_empty());
    }
    assert!(emu.rongcloud_state().is_deactivated("bob"));
}
