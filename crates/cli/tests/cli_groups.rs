//! `imbridge group …` on both vendors against the in-process emulator: the batch, page and
//! `{"ok":true}` output, `--all` across pages, exit codes 0 / 1 / 2 / 3, operations RongCloud's
//! basic groups cannot do refused before anything is sent, `call --list` on the group
//! operations, and no secret in any output.

mod family;

use std::process::Output;

use family::*;
use imbridge_emulator::{Emulator, Vendor};
use serde_json::{Value, json};

/// Runs `imbridge` on RongCloud with hosted groups (the profile-hosting service).
async fn run_hosted(emu: &Emulator, args: &[&str]) -> Output {
    let mut all = conn(emu, Vendor::RongCloud);
    all.extend(strings(args));
    exec(
        emu,
        all,
        &[("IMBRIDGE_RONGCLOUD_GROUP_MODE", "hosted")],
        None,
    )
    .await
}

fn sorted(mut ids: Vec<&str>) -> Vec<&str> {
    ids.sort_unstable();
    ids
}

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

const USERS: [&str; 7] = ["alice", "bob", "carol", "dave", "erin", "frank", "gina"];

#[tokio::test(flavor = "multi_thread")]
async fn the_groups_family_on_tencent() {
    let emu = emulator().await;
    let t = Vendor::Tencent;
    let mut import = vec!["user", "import"];
    import.extend(USERS);
    json(&run(&emu, t, &import).await, 0);

    let out = json(
        &run(
            &emu,
            t,
            &[
                "group", "create", "--owner", "alice", "--name", "Team", "--id", "g1", "--member",
                "bob",
            ],
        )
        .await,
        0,
    );
    assert_eq!(out, json!({"group_id": "g1"}));
    json(
        &run(
            &emu,
            t,
            &[
                "group", "create", "--owner", "bob", "--name", "Other", "--id", "g2",
            ],
        )
        .await,
        0,
    );

    // Per-member outcomes: added, already a member; an account Tencent did not add (Result 0,
    // no reason given) is a failed item.
    let out = run(
        &emu,
        t,
        &[
            "group",
            "add-members",
            "g1",
            "--member",
            "carol",
            "dave",
            "--member",
            "erin",
            "--member",
            "bob",
            "--member",
            "nobody",
        ],
    )
    .await;
    let batch = json(&out, 3);
    assert_eq!(
        batch["succeeded"],
        json!([{"user_id": "carol", "outcome": "added"},
               {"user_id": "dave", "outcome": "added"},
               {"user_id": "erin", "outcome": "added"},
               {"user_id": "bob", "outcome": "already_member"}])
    );
    assert_eq!(batch["failed"].as_array().unwrap().len(), 1, "{batch}");
    assert_eq!(batch["failed"][0]["item"], "nobody");
    assert_eq!(batch["failed"][0]["error"]["vendor"], "tencent");
    assert_eq!(
        batch["failed"][0]["error"]["operation"],
        "add_group_members"
    );
    assert!(stderr(&out).contains("error[partial]: 1 of 5 items failed"));
    assert_eq!(emu.state().group("g1").unwrap().members.len(), 5);
    // bob joins g1's sibling too, for `group joined`.
    let out = json(
        &run(
            &emu,
            t,
            &["group", "add-members", "g2", "--member", "carol"],
        )
        .await,
        0,
    );
    assert_eq!(
        out,
        json!({"succeeded": [{"user_id": "carol", "outcome": "added"}], "failed": []})
    );

    // info: the group's profile; an unknown group is a failed item.
    let out = run(&emu, t, &["group", "info", "g1", "nope"]).await;
    let batch = json(&out, 3);
    let info = &batch["succeeded"][0];
    assert_eq!(info["group_id"], "g1");
    assert_eq!(info["name"], "Team");
    assert_eq!(info["kind"], "public");
    assert_eq!(info["owner"], "alice");
    assert_eq!(info["member_count"], 5);
    assert!(info["created_at"].as_u64().unwrap() > 1_700_000_000);
    assert_eq!(batch["failed"][0]["item"], "nope");
    assert_eq!(batch["failed"][0]["error"]["kind"], "not_found");
    assert_eq!(batch["failed"][0]["error"]["vendor"], "tencent");

    // update: every profile field.
    let out = json(
        &run(
            &emu,
            t,
            &[
                "group",
                "update",
                "g1",
                "--name",
                "Team 2",
                "--introduction",
                "who we are",
                "--notification",
                "be nice",
                "--avatar",
                "https://example.com/g1.png",
                "--max-members",
                "100",
                "--join-option",
                "need_permission",
            ],
        )
        .await,
        0,
    );
    assert_eq!(out, json!({"ok": true}));
    let g1 = emu.state().group("g1").unwrap();
    assert_eq!(
        (
            g1.name.as_str(),
            g1.introduction.as_str(),
            g1.notification.as_str(),
            g1.face_url.as_str(),
            g1.max_member_count,
            g1.apply_join_option.as_str()
        ),
        (
            "Team 2",
            "who we are",
            "be nice",
            "https://example.com/g1.png",
            100,
            "NeedPermission"
        )
    );
    let batch = json(&run(&emu, t, &["group", "info", "g1"]).await, 0);
    let info = &batch["succeeded"][0];
    assert_eq!(info["name"], "Team 2");
    assert_eq!(info["introduction"], "who we are");
    assert_eq!(info["notification"], "be nice");
    assert_eq!(info["avatar_url"], "https://example.com/g1.png");
    assert_eq!(info["max_members"], 100);
    assert_eq!(info["join_option"], "need_permission");

    // list: one page, then every page.
    let page = json(&run(&emu, t, &["group", "list"]).await, 0);
    assert_eq!(sorted(ids(&page["items"])), ["g1", "g2"]);
    let page = json(&run(&emu, t, &["group", "list", "--limit", "1"]).await, 0);
    assert_eq!(page["items"].as_array().unwrap().len(), 1);
    assert!(page["next"].is_string(), "{page}");
    let page = json(
        &run(&emu, t, &["group", "list", "--limit", "1", "--all"]).await,
        0,
    );
    assert_eq!(sorted(ids(&page["items"])), ["g1", "g2"]);
    assert_eq!(page["next"], Value::Null);

    // members: pages of 2 by cursor, and all of them with --all.
    let page = json(
        &run(&emu, t, &["group", "members", "g1", "--limit", "2"]).await,
        0,
    );
    assert_eq!(ids(&page["items"]), ["alice", "bob"]);
    assert_eq!(page["items"][0]["role"], "owner");
    assert_eq!(page["items"][1]["role"], "member");
    assert!(page["items"][0]["joined_at"].as_u64().unwrap() > 1_700_000_000);
    let next = page["next"].as_str().unwrap().to_owned();
    let page = json(
        &run(
            &emu,
            t,
            &["group", "members", "g1", "--limit", "2", "--cursor", &next],
        )
        .await,
        0,
    );
    assert_eq!(ids(&page["items"]), ["carol", "dave"]);
    let page = json(
        &run(
            &emu,
            t,
            &["group", "members", "g1", "--limit", "2", "--all"],
        )
        .await,
        0,
    );
    assert_eq!(
        ids(&page["items"]),
        ["alice", "bob", "carol", "dave", "erin"]
    );
    assert_eq!(page["next"], Value::Null);
    // `call` prints what the command prints.
    let call = json(
        &run(
            &emu,
            t,
            &[
                "call",
                "list_group_members",
                "--json",
                r#"{"group_id":"g1","limit":2}"#,
            ],
        )
        .await,
        0,
    );
    assert_eq!(ids(&call["items"]), ["alice", "bob"]);

    // joined: carol is in both groups.
    let page = json(&run(&emu, t, &["group", "joined", "carol"]).await, 0);
    assert_eq!(sorted(ids(&page["items"])), ["g1", "g2"]);
    let page = json(
        &run(
            &emu,
            t,
            &["group", "joined", "carol", "--limit", "1", "--all"],
        )
        .await,
        0,
    );
    assert_eq!(sorted(ids(&page["items"])), ["g1", "g2"]);
    assert_eq!(page["next"], Value::Null);
    let page = json(&run(&emu, t, &["group", "joined", "frank"]).await, 0);
    assert_eq!(page["items"], json!([]));

    // mute, muted, unmute.
    let out = json(
        &run(
            &emu,
            t,
            &[
                "group",
                "mute",
                "g1",
                "--member",
                "bob",
                "carol",
                "--seconds",
                "600",
            ],
        )
        .await,
        0,
    );
    assert_eq!(out, json!({"succeeded": ["bob", "carol"], "failed": []}));
    let page = json(&run(&emu, t, &["group", "muted", "g1"]).await, 0);
    assert_eq!(sorted(ids(&page["items"])), ["bob", "carol"]);
    let until = page["items"][0]["until"].as_u64().unwrap();
    assert!(until > now() + 500 && until <= now() + 601, "{page}");
    let out = json(
        &run(
            &emu,
            t,
            &["group", "mute", "g1", "--member", "bob", "--seconds", "0"],
        )
        .await,
        0,
    );
    assert_eq!(out, json!({"succeeded": ["bob"], "failed": []}));
    let page = json(&run(&emu, t, &["group", "muted", "g1"]).await, 0);
    assert_eq!(ids(&page["items"]), ["carol"]);

    // mute-all on and off.
    for (flag, state) in [("--on", true), ("--off", false)] {
        let out = json(&run(&emu, t, &["group", "mute-all", "g1", flag]).await, 0);
        assert_eq!(out, json!({"ok": true}));
        let batch = json(&run(&emu, t, &["group", "info", "g1"]).await, 0);
        assert_eq!(batch["succeeded"][0]["mute_all"], state, "{batch}");
    }

    // transfer, remove, dismiss.
    let out = json(
        &run(&emu, t, &["group", "transfer", "g1", "--to", "bob"]).await,
        0,
    );
    assert_eq!(out, json!({"ok": true}));
    assert_eq!(
        emu.state().group("g1").unwrap().owner.as_deref(),
        Some("bob")
    );
    let batch = json(&run(&emu, t, &["group", "info", "g1"]).await, 0);
    assert_eq!(batch["succeeded"][0]["owner"], "bob");

    let out = json(
        &run(
            &emu,
            t,
            &["group", "remove-members", "g1", "--member", "erin", "dave"],
        )
        .await,
        0,
    );
    assert_eq!(out, json!({"succeeded": ["erin", "dave"], "failed": []}));
    let members: Vec<String> = emu
        .state()
        .group("g1")
        .unwrap()
        .members
        .into_iter()
        .map(|m| m.account)
        .collect();
    assert_eq!(members, ["alice", "bob", "carol"]);

    let out = json(&run(&emu, t, &["group", "dismiss", "g1"]).await, 0);
    assert_eq!(out, json!({"ok": true}));
    assert!(emu.state().group("g1").is_none());
    let page = json(&run(&emu, t, &["group", "joined", "carol"]).await, 0);
    assert_eq!(ids(&page["items"]), ["g2"]);

    // A missing group: exit 1 with the vendor's code.
    let err = failed(
        &run(&emu, t, &["group", "members", "g1"]).await,
        "not_found",
    );
    assert!(err.contains("vendor code: 10010"), "{err}");

    // Usage errors (exit 2), nothing sent.
    let before = sent(&emu);
    for args in [
        &["group", "mute-all", "g2"][..],
        &["group", "mute-all", "g2", "--on", "--off"],
        &["group", "update", "g2"],
        &["group", "update", "g2", "--join-option", "anyone"],
        &["group", "mute", "g2", "--member", "carol"],
        &["group", "mute", "g2", "--seconds", "60"],
        &["group", "add-members", "g2"],
        &["group", "transfer", "g2"],
        &["group", "info"],
    ] {
        usage(&run(&emu, t, args).await);
    }
    assert_eq!(sent(&emu), before, "nothing was sent");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_groups_family_on_rongcloud() {
    let emu = emulator().await;
    let r = Vendor::RongCloud;
    let mut import = vec!["user", "import"];
    import.extend(USERS);
    json(&run(&emu, r, &import).await, 0);

    let out = json(
        &run(
            &emu,
            r,
            &[
                "group", "create", "--owner", "alice", "--name", "Team", "--id", "g1", "--member",
                "bob",
            ],
        )
        .await,
        0,
    );
    assert_eq!(out, json!({"group_id": "g1"}));
    json(
        &run(
            &emu,
            r,
            &[
                "group", "create", "--owner", "bob", "--name", "Other", "--id", "g2",
            ],
        )
        .await,
        0,
    );

    let out = json(
        &run(
            &emu,
            r,
            &[
                "group",
                "add-members",
                "g1",
                "--member",
                "carol",
                "dave",
                "--member",
                "erin",
            ],
        )
        .await,
        0,
    );
    assert_eq!(ids(&out["succeeded"]), ["carol", "dave", "erin"]);
    assert_eq!(out["failed"], json!([]));
    assert_eq!(
        emu.rongcloud_state().group("g1").unwrap().members,
        ["alice", "bob", "carol", "dave", "erin"]
    );
    json(
        &run(
            &emu,
            r,
            &["group", "add-members", "g2", "--member", "carol"],
        )
        .await,
        0,
    );

    // Basic groups keep no profile or owner: refused before anything is sent.
    let before = sent(&emu);
    for args in [
        &["group", "info", "g1"][..],
        &["group", "list"],
        &["group", "list", "--all", "--limit", "1"],
        &["group", "transfer", "g1", "--to", "bob"],
        &["call", "get_groups", "--json", r#"{"group_ids":["g1"]}"#],
        &["group", "update", "g1", "--introduction", "who we are"],
    ] {
        failed(&run(&emu, r, args).await, "unsupported");
    }
    // A basic group is dismissed by a user: without --operator (or a configured
    // group_operator) the SDK refuses before sending.
    let err = failed(
        &run(&emu, r, &["group", "dismiss", "g1"]).await,
        "invalid_input",
    );
    assert!(err.contains("operator"), "{err}");
    assert_eq!(sent(&emu), before, "nothing was sent");

    // update: the name is all a basic group keeps.
    let out = json(
        &run(&emu, r, &["group", "update", "g1", "--name", "Team 2"]).await,
        0,
    );
    assert_eq!(out, json!({"ok": true}));
    assert_eq!(emu.rongcloud_state().group("g1").unwrap().name, "Team 2");

    // members: every member across pages of 2.
    let page = json(
        &run(
            &emu,
            r,
            &["group", "members", "g1", "--limit", "2", "--all"],
        )
        .await,
        0,
    );
    assert_eq!(
        ids(&page["items"]),
        ["alice", "bob", "carol", "dave", "erin"]
    );
    assert_eq!(page["next"], Value::Null);

    // joined: carol is in both groups.
    let page = json(
        &run(
            &emu,
            r,
            &["group", "joined", "carol", "--limit", "1", "--all"],
        )
        .await,
        0,
    );
    assert_eq!(sorted(ids(&page["items"])), ["g1", "g2"]);
    assert_eq!(page["next"], Value::Null);

    // mute (RongCloud counts whole minutes), muted, unmute.
    let out = json(
        &run(
            &emu,
            r,
            &[
                "group",
                "mute",
                "g1",
                "--member",
                "bob",
                "carol",
                "--seconds",
                "600",
            ],
        )
        .await,
        0,
    );
    assert_eq!(out, json!({"succeeded": ["bob", "carol"], "failed": []}));
    let page = json(&run(&emu, r, &["group", "muted", "g1"]).await, 0);
    assert_eq!(sorted(ids(&page["items"])), ["bob", "carol"]);
    let out = json(
        &run(
            &emu,
            r,
            &["group", "mute", "g1", "--member", "bob", "--seconds", "0"],
        )
        .await,
        0,
    );
    assert_eq!(out, json!({"succeeded": ["bob"], "failed": []}));
    let page = json(&run(&emu, r, &["group", "muted", "g1"]).await, 0);
    assert_eq!(ids(&page["items"]), ["carol"]);
    // Not whole minutes: refused by the SDK before sending.
    let before = sent(&emu);
    failed(
        &run(
            &emu,
            r,
            &["group", "mute", "g1", "--member", "bob", "--seconds", "90"],
        )
        .await,
        "invalid_input",
    );
    assert_eq!(sent(&emu), before, "nothing was sent");

    for flag in ["--on", "--off"] {
        let out = json(&run(&emu, r, &["group", "mute-all", "g1", flag]).await, 0);
        assert_eq!(out, json!({"ok": true}));
    }

    let out = json(
        &run(
            &emu,
            r,
            &["group", "remove-members", "g1", "--member", "erin", "dave"],
        )
        .await,
        0,
    );
    assert_eq!(out, json!({"succeeded": ["erin", "dave"], "failed": []}));
    assert_eq!(
        emu.rongcloud_state().group("g1").unwrap().members,
        ["alice", "bob", "carol"]
    );

    let out = json(
        &run(&emu, r, &["group", "dismiss", "g1", "--operator", "alice"]).await,
        0,
    );
    assert_eq!(out, json!({"ok": true}));
    assert!(emu.rongcloud_state().group("g1").is_none());
}

#[tokio::test(flavor = "multi_thread")]
async fn call_list_shows_the_group_operations() {
    let emu = emulator().await;
    let out = exec(&emu, strings(&["call", "--list"]), &[], None).await;
    let list = json(&out, 0);
    let groups: Vec<&Value> = list
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["family"] == "groups")
        .collect();
    let names: Vec<&str> = groups.iter().map(|o| o["name"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        [
            "create_group",
            "get_groups",
            "list_groups",
            "update_group",
            "dismiss_group",
            "transfer_group",
            "add_group_members",
            "remove_group_members",
            "list_group_members",
            "list_joined_groups",
            "mute_group_members",
            "list_muted_members",
            "set_group_mute_all",
        ]
    );
    for op in &groups {
        let vendors = op["vendors"].as_array().unwrap();
        assert!(vendors.contains(&json!("tencent")), "{op}");
        let name = op["name"].as_str().unwrap();
        let basic_cannot = ["get_groups", "list_groups", "transfer_group"].contains(&name);
        assert_eq!(vendors.contains(&json!("rongcloud")), !basic_cannot, "{op}");
        let write = !name.starts_with("get_") && !name.starts_with("list_");
        assert_eq!(op["access"], if write { "write" } else { "read" }, "{op}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn hosted_groups_on_rongcloud_have_profiles_owners_and_pages() {
    let emu = emulator().await;
    emu.set_rongcloud_group_hosting(true);
    let mut import = vec!["user", "import"];
    import.extend(USERS);
    json(&run(&emu, Vendor::RongCloud, &import).await, 0);

    for (id, owner, members) in [
        ("h1", "alice", &["bob", "carol", "dave", "erin"][..]),
        ("h2", "bob", &["carol"]),
    ] {
        let mut args = vec![
            "group", "create", "--owner", owner, "--name", "Hosted", "--id", id, "--member",
        ];
        args.extend(members);
        let out = json(&run_hosted(&emu, &args).await, 0);
        assert_eq!(out["group_id"], id);
    }

    let out = json(
        &run_hosted(
            &emu,
            &[
                "group",
                "update",
                "h1",
                "--name",
                "H1",
                "--introduction",
                "who we are",
                "--join-option",
                "free_access",
            ],
        )
        .await,
        0,
    );
    assert_eq!(out, json!({"ok": true}));
    let out = run_hosted(&emu, &["group", "info", "h1", "nope"]).await;
    let batch = json(&out, 3);
    let info = &batch["succeeded"][0];
    assert_eq!(info["name"], "H1");
    assert_eq!(info["owner"], "alice");
    assert_eq!(info["introduction"], "who we are");
    assert_eq!(info["join_option"], "free_access");
    assert_eq!(info["member_count"], 5);
    assert_eq!(batch["failed"][0]["item"], "nope");
    assert_eq!(batch["failed"][0]["error"]["kind"], "not_found");

    let page = json(
        &run_hosted(&emu, &["group", "list", "--limit", "1", "--all"]).await,
        0,
    );
    assert_eq!(sorted(ids(&page["items"])), ["h1", "h2"]);
    assert_eq!(page["next"], Value::Null);

    let page = json(
        &run_hosted(&emu, &["group", "members", "h1", "--limit", "2"]).await,
        0,
    );
    assert_eq!(page["items"].as_array().unwrap().len(), 2);
    assert!(page["next"].is_string(), "{page}");
    let page = json(
        &run_hosted(&emu, &["group", "members", "h1", "--limit", "2", "--all"]).await,
        0,
    );
    assert_eq!(
        sorted(ids(&page["items"])),
        ["alice", "bob", "carol", "dave", "erin"]
    );
    let owner = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["role"] == "owner")
        .unwrap();
    assert_eq!(owner["user_id"], "alice");
    assert_eq!(page["next"], Value::Null);

    let out = json(
        &run_hosted(&emu, &["group", "transfer", "h1", "--to", "bob"]).await,
        0,
    );
    assert_eq!(out, json!({"ok": true}));
    let batch = json(&run_hosted(&emu, &["group", "info", "h1"]).await, 0);
    assert_eq!(batch["succeeded"][0]["owner"], "bob");

    // No per-group member limit on RongCloud: refused before sending.
    let before = sent(&emu);
    failed(
        &run_hosted(&emu, &["group", "update", "h1", "--max-members", "50"]).await,
        "unsupported",
    );
    assert_eq!(sent(&emu), before, "nothing was sent");

    let out = json(&run_hosted(&emu, &["group", "dismiss", "h1"]).await, 0);
    assert_eq!(out, json!({"ok": true}));
    let page = json(&run_hosted(&emu, &["group", "joined", "carol"]).await, 0);
    assert_eq!(ids(&page["items"]), ["h2"]);
}
