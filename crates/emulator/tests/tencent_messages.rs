//! `openim/sendmsg`, `openim/admin_getroammsg` and `group_open_http_svc/send_group_msg`.

mod common;

use std::time::Duration;

use common::{Harness, assert_ok, code, text};
use serde_json::{Value, json};

async fn send(h: &Harness, body: Value) -> Value {
    h.call("openim/sendmsg", body).await
}

#[tokio::test]
async fn sendmsg_stores_and_answers_keys() {
    let h = Harness::start().await;
    h.import(&["alice", "bob"]).await;
    let r = send(
        &h,
        json!({
            "SyncOtherMachine": 2, "From_Account": "alice", "To_Account": "bob", "MsgLifeTime": 60,
            "MsgRandom": 1287657, "MsgBody": [
                {"MsgType": "TIMTextElem", "MsgContent": {"Text": "hello"}},
                {"MsgType": "TIMCustomElem", "MsgContent": {"Data": "d", "Desc": "notification", "Ext": "e", "Sound": "s.mp3"}}
            ],
            "CloudCustomData": "ccd", "OfflinePushInfo": {"PushFlag": 0, "Title": "t", "Desc": "d"}, "Unknown": true
        }),
    )
    .await;
    assert_ok(&r);
    let key = r["MsgKey"].as_str().unwrap();
    let time = r["MsgTime"].as_u64().unwrap();
    assert!(
        key.starts_with("1287657_") && key.ends_with(&format!("_{time}")),
        "{key}"
    );
    assert!(r["MsgId"].is_string());

    let msgs = h.emu.state().c2c_messages();
    assert_eq!(msgs.len(), 1);
    let m = &msgs[0];
    assert_eq!(
        (m.from.as_str(), m.to.as_str(), m.msg_random),
        ("alice", "bob", 1287657)
    );
    assert_eq!(m.msg_key, key);
    assert_eq!(m.time, time);
    assert_eq!(m.msg_body[1]["MsgContent"]["Desc"], "notification");
    assert_eq!(m.sync_other_machine, 2);
    assert_eq!(m.msg_lifetime, Some(60));
    assert_eq!(m.cloud_custom_data.as_deref(), Some("ccd"));

    // Without From_Account the admin sends.
    let r = send(
        &h,
        json!({"To_Account": "bob", "MsgRandom": 1, "MsgBody": text("from admin")}),
    )
    .await;
    assert_ok(&r);
    let msgs = h.emu.state().c2c_messages();
    assert_eq!(msgs[1].from, "administrator");
    assert!(msgs[1].seq > msgs[0].seq);
}

#[tokio::test]
async fn sendmsg_deduplicates_on_msg_random_within_the_same_second_only() {
    let h = Harness::start().await;
    h.import(&["alice", "bob"]).await;
    let clock = h.emu.clock();
    // 250 ms into a second: 749 ms later is still the same second, 750 ms later is the next.
    clock.freeze_at_ms(1_700_000_000_250);
    let body = json!({"From_Account": "alice", "To_Account": "bob", "MsgRandom": 42, "MsgBody": text("once")});
    let first = send(&h, body.clone()).await;
    assert_ok(&first);
    assert_eq!(first["MsgTime"], 1_700_000_000u64);
    clock.advance(Duration::from_millis(749));
    let second = send(&h, body.clone()).await;
    assert_ok(&second);
    assert_eq!(first["MsgKey"], second["MsgKey"]);
    assert_eq!(first["MsgTime"], second["MsgTime"]);
    assert_eq!(first["MsgId"], second["MsgId"]);
    assert_eq!(h.emu.state().c2c_messages().len(), 1);

    // Another random, another recipient or another MsgSeq, in the same second, is another
    // message.
    assert_ok(&send(&h, json!({"From_Account": "alice", "To_Account": "bob", "MsgRandom": 43, "MsgBody": text("x")})).await);
    assert_ok(&send(&h, json!({"From_Account": "bob", "To_Account": "alice", "MsgRandom": 42, "MsgBody": text("x")})).await);
    let mut with_seq = body.clone();
    with_seq["MsgSeq"] = json!(9);
    let seq9 = send(&h, with_seq.clone()).await;
    assert_ok(&seq9);
    assert_ne!(seq9["MsgKey"], first["MsgKey"]);
    assert_eq!(h.emu.state().c2c_messages().len(), 4);
    // The same MsgSeq and MsgRandom in the same second is the same message.
    assert_eq!(send(&h, with_seq).await["MsgKey"], seq9["MsgKey"]);
    assert_eq!(h.emu.state().c2c_messages().len(), 4);

    // The next second, a retry with the same MsgRandom is delivered again, as at the vendor.
    clock.advance(Duration::from_millis(1));
    let retry = send(&h, body.clone()).await;
    assert_ok(&retry);
    assert_eq!(retry["MsgTime"], 1_700_000_001u64);
    assert_ne!(retry["MsgKey"], first["MsgKey"]);
    let msgs = h.emu.state().c2c_messages();
    assert_eq!(msgs.len(), 5);
    let copies = msgs
        .iter()
        .filter(|m| m.from == "alice" && m.msg_random == 42 && m.msg_seq.is_none());
    assert_eq!(copies.count(), 2);
    assert_eq!(msgs[3].msg_seq, Some(9));
    // ... and is itself de-duplicated within its own second.
    assert_eq!(send(&h, body).await["MsgKey"], retry["MsgKey"]);
    assert_eq!(h.emu.state().c2c_messages().len(), 5);
}

#[tokio::test]
async fn sendmsg_refuses_a_msg_seq_out_of_range() {
    let h = Harness::start().await;
    h.import(&["alice", "bob"]).await;
    for bad in [json!(-1), json!(4_294_967_296u64), json!("7")] {
        let r = send(&h, json!({"From_Account": "alice", "To_Account": "bob", "MsgRandom": 1, "MsgSeq": bad, "MsgBody": text("x")})).await;
        assert_eq!(code(&r), 90010, "{bad}: {r}");
    }
    assert!(h.emu.state().c2c_messages().is_empty());
}

#[tokio::test]
async fn sendmsg_refusals() {
    let h = Harness::start().await;
    h.import(&["alice", "bob"]).await;
    let ok =
        json!({"From_Account": "alice", "To_Account": "bob", "MsgRandom": 7, "MsgBody": text("x")});
    let with = |key: &str, value: Value| {
        let mut b = ok.clone();
        b[key] = value;
        b
    };
    let without = |key: &str| {
        let mut b = ok.clone();
        b.as_object_mut().unwrap().remove(key);
        b
    };
    let cases: Vec<(Value, i64)> = vec![
        (without("To_Account"), 90003),
        (with("To_Account", json!(12)), 60015),
        (with("To_Account", json!("zed")), 90012),
        (with("From_Account", json!("zed")), 90008),
        (with("From_Account", json!(["alice"])), 60015),
        (without("MsgRandom"), 90005),
        (with("MsgRandom", json!("7")), 90005),
        (with("MsgRandom", json!(-1)), 90005),
        (with("MsgRandom", json!(4294967296u64)), 90005),
        (without("MsgBody"), 90007),
        (with("MsgBody", json!({"MsgType": "TIMTextElem"})), 90007),
        (with("MsgBody", json!([])), 90002),
        (
            with(
                "MsgBody",
                json!([{"MsgType": "TIMMagicElem", "MsgContent": {}}]),
            ),
            90002,
        ),
        (
            with(
                "MsgBody",
                json!([{"MsgType": "TIMTextElem", "MsgContent": {"Text": 1}}]),
            ),
            90002,
        ),
        (with("MsgBody", text(&"x".repeat(13 * 1024))), 80002),
        (with("SyncOtherMachine", json!("1")), 90031),
        (with("SyncOtherMachine", json!(3)), 90031),
        (with("MsgLifeTime", json!("60")), 90044),
        (with("MsgLifeTime", json!(604801)), 90026),
        (with("OfflinePushInfo", json!("push")), 90043),
        (with("CloudCustomData", json!({"a": 1})), 90010),
    ];
    for (body, want) in cases {
        let r = send(&h, body.clone()).await;
        assert_eq!(code(&r), want, "{body} -> {r}");
    }
    assert!(h.emu.state().c2c_messages().is_empty());
}

#[tokio::test]
async fn admin_getroammsg_pages_newest_first() {
    let h = Harness::start().await;
    h.import(&["alice", "bob", "carol"]).await;
    for (i, (from, to)) in [
        ("alice", "bob"),
        ("bob", "alice"),
        ("alice", "carol"),
        ("alice", "bob"),
    ]
    .iter()
    .enumerate()
    {
        let r = send(&h, json!({"From_Account": from, "To_Account": to, "MsgRandom": i, "MsgBody": text(&format!("m{i}"))})).await;
        assert_ok(&r);
    }
    let roam = |extra: Value| {
        let mut b = json!({"Operator_Account": "alice", "Peer_Account": "bob", "MaxCnt": 2, "MinTime": 0, "MaxTime": u32::MAX});
        for (k, v) in extra.as_object().unwrap() {
            b[k] = v.clone();
        }
        h.call("openim/admin_getroammsg", b)
    };
    let r = roam(json!({})).await;
    assert_ok(&r);
    assert_eq!(r["Complete"], 0);
    assert_eq!(r["MsgCnt"], 2);
    let texts: Vec<&str> = r["MsgList"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["MsgBody"][0]["MsgContent"]["Text"].as_str().unwrap())
        .collect();
    assert_eq!(texts, ["m3", "m1"]);
    let r = roam(json!({"LastMsgKey": r["LastMsgKey"]})).await;
    assert_eq!(r["Complete"], 1);
    assert_eq!(r["MsgList"][0]["MsgBody"][0]["MsgContent"]["Text"], "m0");
    assert_eq!(r["MsgList"][0]["From_Account"], "alice");

    assert_eq!(code(&roam(json!({"Peer_Account": "zed"})).await), 90012);
    assert_eq!(code(&roam(json!({"LastMsgKey": "garbage"})).await), 90054);
    assert_eq!(
        code(
            &h.call(
                "openim/admin_getroammsg",
                json!({"Operator_Account": "alice", "Peer_Account": "bob"})
            )
            .await
        ),
        90010
    );
}

#[tokio::test]
async fn send_group_msg_sequences_and_dedup() {
    let h = Harness::start().await;
    h.import(&["owner", "m1", "outsider"]).await;
    let clock = h.emu.clock();
    clock.freeze_at_ms(1_700_000_000_000);
    let id = h
        .call(
            "group_open_http_svc/create_group",
            json!({"Type": "Public", "Name": "p", "Owner_Account": "owner", "MemberList": [{"Member_Account": "m1"}]}),
        )
        .await["GroupId"]
        .as_str()
        .unwrap()
        .to_owned();
    let gsend = |body: Value| h.call("group_open_http_svc/send_group_msg", body);

    let r1 =
        gsend(json!({"GroupId": id, "Random": 1, "MsgBody": text("one"), "From_Account": "m1"}))
            .await;
    assert_ok(&r1);
    assert_eq!(r1["MsgSeq"], 1);
    let r2 = gsend(json!({"GroupId": id, "Random": 2, "MsgBody": text("two")})).await;
    assert_eq!(r2["MsgSeq"], 2);
    // Same Random and same MsgBody in the same group within 5 minutes: the original seq, no
    // second copy (whoever sends it).
    clock.advance(Duration::from_secs(299));
    let dup =
        gsend(json!({"GroupId": id, "Random": 1, "MsgBody": text("one"), "From_Account": "owner"}))
            .await;
    assert_ok(&dup);
    assert_eq!(dup["MsgSeq"], 1);
    assert_eq!(dup["MsgTime"], r1["MsgTime"]);

    let msgs = h.emu.state().group_messages(&id);
    assert_eq!(msgs.len(), 2);
    assert_eq!(
        (msgs[0].from.as_str(), msgs[0].seq, msgs[0].random),
        ("m1", 1, 1)
    );
    assert_eq!(msgs[1].from, "administrator");
    assert_eq!(msgs[0].msg_body[0]["MsgContent"]["Text"], "one");
    assert_eq!(h.emu.state().group(&id).unwrap().next_msg_seq, 3);

    // The same Random with another body is a new message.
    let other_body = gsend(
        json!({"GroupId": id, "Random": 1, "MsgBody": text("one again"), "From_Account": "owner"}),
    )
    .await;
    assert_ok(&other_body);
    assert_eq!(other_body["MsgSeq"], 3);

    // 5 minutes after the original, the same Random and body is a new message too.
    clock.advance(Duration::from_secs(1));
    let later =
        gsend(json!({"GroupId": id, "Random": 1, "MsgBody": text("one"), "From_Account": "m1"}))
            .await;
    assert_ok(&later);
    assert_eq!(later["MsgSeq"], 4);
    assert_eq!(later["MsgTime"], 1_700_000_300u64);
    // ... which de-duplicates its own repeats (the latest copy answers).
    let again =
        gsend(json!({"GroupId": id, "Random": 1, "MsgBody": text("one"), "From_Account": "m1"}))
            .await;
    assert_eq!(again["MsgSeq"], 4);
    assert_eq!(h.emu.state().group_messages(&id).len(), 4);

    // Seqs are per group.
    let other = h
        .call(
            "group_open_http_svc/create_group",
            json!({"Type": "Work", "Name": "w"}),
        )
        .await["GroupId"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = gsend(json!({"GroupId": other, "Random": 1, "MsgBody": text("x")})).await;
    assert_eq!(r["MsgSeq"], 1);
}

#[tokio::test]
async fn send_group_msg_refusals() {
    let h = Harness::start().await;
    h.import(&["owner", "outsider"]).await;
    let id = h
        .call(
            "group_open_http_svc/create_group",
            json!({"Type": "Public", "Name": "p", "Owner_Account": "owner"}),
        )
        .await["GroupId"]
        .as_str()
        .unwrap()
        .to_owned();
    let gsend = |body: Value| h.call("group_open_http_svc/send_group_msg", body);
    let cases: Vec<(Value, i64)> = vec![
        (json!({"Random": 1, "MsgBody": text("x")}), 10004),
        (
            json!({"GroupId": "nope", "Random": 1, "MsgBody": text("x")}),
            10015,
        ),
        (json!({"GroupId": id, "MsgBody": text("x")}), 10004),
        (
            json!({"GroupId": id, "Random": "1", "MsgBody": text("x")}),
            10004,
        ),
        (json!({"GroupId": id, "Random": 1}), 10004),
        (
            json!({"GroupId": id, "Random": 1, "MsgBody": [{"MsgType": "TIMTextElem", "MsgContent": {}}]}),
            10004,
        ),
        (
            json!({"GroupId": id, "Random": 1, "MsgBody": text("x"), "From_Account": "outsider"}),
            10007,
        ),
        (
            json!({"GroupId": id, "Random": 1, "MsgBody": text("x"), "From_Account": "zed"}),
            10019,
        ),
        (
            json!({"GroupId": id, "Random": 1, "MsgBody": text("x"), "From_Account": 3}),
            60015,
        ),
        (
            json!({"GroupId": id, "Random": 1, "MsgBody": text(&"y".repeat(13 * 1024))}),
            80002,
        ),
    ];
    for (body, want) in cases {
        let r = gsend(body.clone()).await;
        assert_eq!(code(&r), want, "{body} -> {r}");
    }
    assert!(h.emu.state().group_messages(&id).is_empty());

    assert_ok(
        &h.call("group_open_http_svc/destroy_group", json!({"GroupId": id}))
            .await,
    );
    assert_eq!(
        code(&gsend(json!({"GroupId": id, "Random": 1, "MsgBody": text("x")})).await),
        10010
    );
}
