//! `openim/batchsendmsg`, `openim/admin_msgwithdraw`, `openim/importmsg`,
//! `group_open_http_svc/group_msg_recall`, `group_msg_get_simple` and `import_group_msg`.

mod common;

use common::{Harness, assert_ok, code, text};
use serde_json::{Value, json};

async fn group(h: &Harness, members: &[&str]) -> String {
    let members: Vec<Value> = members
        .iter()
        .map(|m| json!({"Member_Account": m}))
        .collect();
    let r = h
        .call(
            "group_open_http_svc/create_group",
            json!({"Type": "Public", "Name": "g", "Owner_Account": "alice", "MemberList": members}),
        )
        .await;
    assert_ok(&r);
    r["GroupId"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn batchsendmsg_delivers_to_known_accounts_and_lists_the_others() {
    let h = Harness::start().await;
    h.import(&["alice", "bob", "carol"]).await;
    let r = h
        .call(
            "openim/batchsendmsg",
            json!({"From_Account": "alice", "To_Account": ["bob", "ghost", "carol"], "MsgRandom": 9,
                   "MsgBody": [{"MsgType": "TIMLocationElem", "MsgContent": {"Desc": "here", "Latitude": 1.5, "Longitude": 2.5}}],
                   "OfflinePushInfo": {"Title": "t"}}),
        )
        .await;
    assert_ok(&r);
    let key = r["MsgKey"].as_str().unwrap();
    assert!(key.starts_with("9_"), "{key}");
    assert_eq!(
        r["ErrorList"],
        json!([{"To_Account": "ghost", "ErrorCode": 90012}])
    );
    let msgs = h.emu.state().c2c_messages();
    let to: Vec<&str> = msgs.iter().map(|m| m.to.as_str()).collect();
    assert_eq!(to, ["bob", "carol"]);
    assert!(msgs.iter().all(|m| m.msg_key == key));
    assert_eq!(msgs[0].offline_push_info, Some(json!({"Title": "t"})));

    let too_many: Vec<String> = (0..501).map(|i| format!("u{i}")).collect();
    let r = h
        .call(
            "openim/batchsendmsg",
            json!({"To_Account": too_many, "MsgRandom": 1, "MsgBody": text("x")}),
        )
        .await;
    assert_eq!(code(&r), 90011);
    let r = h
        .call(
            "openim/batchsendmsg",
            json!({"To_Account": [], "MsgRandom": 1, "MsgBody": text("x")}),
        )
        .await;
    assert_eq!(code(&r), 90003);
}

#[tokio::test]
async fn admin_msgwithdraw_recalls_once_and_roaming_shows_the_flag() {
    let h = Harness::start().await;
    h.import(&["alice", "bob"]).await;
    let sent = h
        .call(
            "openim/sendmsg",
            json!({"From_Account": "alice", "To_Account": "bob", "MsgRandom": 5, "MsgBody": text("oops")}),
        )
        .await;
    assert_ok(&sent);
    let key = sent["MsgKey"].as_str().unwrap().to_owned();
    let withdraw = |key: &str| {
        h.call(
            "openim/admin_msgwithdraw",
            json!({"From_Account": "alice", "To_Account": "bob", "MsgKey": key}),
        )
    };
    assert_ok(&withdraw(&key).await);
    assert_eq!(code(&withdraw(&key).await), 20023);
    assert_eq!(code(&withdraw("1_999_1").await), 20022);
    assert_eq!(code(&withdraw("nope").await), 90054);
    assert!(h.emu.state().c2c_messages()[0].recalled);

    let roam = h
        .call(
            "openim/admin_getroammsg",
            json!({"Operator_Account": "bob", "Peer_Account": "alice", "MaxCnt": 10, "MinTime": 0, "MaxTime": u32::MAX}),
        )
        .await;
    assert_ok(&roam);
    assert_eq!(roam["MsgList"][0]["MsgFlagBits"], 8);
    assert_eq!(roam["MsgList"][0]["MsgKey"], key.as_str());
}

#[tokio::test]
async fn importmsg_stores_once_at_the_given_time() {
    let h = Harness::start().await;
    h.import(&["alice", "bob"]).await;
    let body = json!({"SyncFromOldSystem": 2, "From_Account": "alice", "To_Account": "bob",
                      "MsgRandom": 77, "MsgTimeStamp": 1_600_000_000u64,
                      "MsgBody": [{"MsgType": "TIMFileElem", "MsgContent": {"Url": "https://f", "FileSize": 3, "FileName": "a.txt", "Download_Flag": 2}}]});
    assert_ok(&h.call("openim/importmsg", body.clone()).await);
    assert_ok(&h.call("openim/importmsg", body.clone()).await);
    let msgs = h.emu.state().c2c_messages();
    assert_eq!(msgs.len(), 1);
    assert_eq!(msgs[0].time, 1_600_000_000);
    // The same message seen from the other side is the same message.
    let mut swapped = body.clone();
    swapped["From_Account"] = json!("bob");
    swapped["To_Account"] = json!("alice");
    assert_ok(&h.call("openim/importmsg", swapped).await);
    assert_eq!(h.emu.state().c2c_messages().len(), 1);
    let mut later = body.clone();
    later["MsgTimeStamp"] = json!(1_600_000_001u64);
    assert_ok(&h.call("openim/importmsg", later).await);
    assert_eq!(h.emu.state().c2c_messages().len(), 2);

    let mut bad = body.clone();
    bad["SyncFromOldSystem"] = json!(3);
    assert_eq!(code(&h.call("openim/importmsg", bad).await), 90010);
    let mut ghost = body;
    ghost["To_Account"] = json!("ghost");
    assert_eq!(code(&h.call("openim/importmsg", ghost).await), 90012);
}

#[tokio::test]
async fn group_recall_and_history() {
    let h = Harness::start().await;
    h.import(&["alice", "bob"]).await;
    let id = group(&h, &["bob"]).await;
    for (i, body) in [
        text("one"),
        json!([{"MsgType": "TIMImageElem", "MsgContent": {"UUID": "u", "ImageFormat": 1, "ImageInfoArray": [{"Type": 1, "Size": 1, "Width": 1, "Height": 1, "URL": "https://i"}]}}]),
        json!([{"MsgType": "TIMSoundElem", "MsgContent": {"Url": "https://s", "Size": 1, "Second": 2, "Download_Flag": 2}}]),
        json!([{"MsgType": "TIMVideoFileElem", "MsgContent": {"VideoUrl": "https://v", "VideoSize": 1, "VideoSecond": 2, "VideoFormat": "mp4", "ThumbUrl": "https://t"}}]),
        json!([{"MsgType": "TIMFaceElem", "MsgContent": {"Index": 1, "Data": "x"}}]),
    ]
    .into_iter()
    .enumerate()
    {
        let r = h
            .call(
                "group_open_http_svc/send_group_msg",
                json!({"GroupId": id, "Random": i, "MsgBody": body, "From_Account": "bob",
                       "GroupAtInfo": [{"GroupAtAllFlag": 0, "GroupAt_Account": "alice"}],
                       "OfflinePushInfo": {"Title": "t"}, "MsgPriority": "High"}),
            )
            .await;
        assert_ok(&r);
    }
    let stored = h.emu.state().group_messages(&id);
    assert_eq!(
        stored[0].group_at_info,
        Some(json!([{"GroupAtAllFlag": 0, "GroupAt_Account": "alice"}]))
    );

    let r = h
        .call(
            "group_open_http_svc/group_msg_recall",
            json!({"GroupId": id, "MsgSeqList": [{"MsgSeq": 2}, {"MsgSeq": 99}]}),
        )
        .await;
    assert_ok(&r);
    assert_eq!(
        r["RecallRetList"],
        json!([{"MsgSeq": 2, "RetCode": 0}, {"MsgSeq": 99, "RetCode": 10030}])
    );
    let again = h
        .call(
            "group_open_http_svc/group_msg_recall",
            json!({"GroupId": id, "MsgSeqList": [{"MsgSeq": 2}]}),
        )
        .await;
    assert_eq!(again["RecallRetList"][0]["RetCode"], 10030);
    let eleven: Vec<Value> = (1..=11).map(|s| json!({"MsgSeq": s})).collect();
    let r = h
        .call(
            "group_open_http_svc/group_msg_recall",
            json!({"GroupId": id, "MsgSeqList": eleven}),
        )
        .await;
    assert_eq!(code(&r), 10004);
    assert!(h.emu.state().group_messages(&id)[1].recalled);

    let get = |body: Value| h.call("group_open_http_svc/group_msg_get_simple", body);
    let page = get(json!({"GroupId": id, "ReqMsgNumber": 2, "WithRecalledMsg": 1})).await;
    assert_ok(&page);
    assert_eq!(page["GroupId"], id.as_str());
    assert_eq!(page["IsFinished"], 0);
    let seqs: Vec<u64> = page["RspMsgList"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["MsgSeq"].as_u64().unwrap())
        .collect();
    assert_eq!(seqs, [5, 4]);
    assert_eq!(page["RspMsgList"][0]["From_Account"], "bob");
    assert_eq!(page["RspMsgList"][0]["MsgPriority"], "High");
    assert_eq!(page["RspMsgList"][0]["IsPlaceMsg"], 0);
    let rest =
        get(json!({"GroupId": id, "ReqMsgNumber": 20, "ReqMsgSeq": 3, "WithRecalledMsg": 1})).await;
    assert_eq!(rest["IsFinished"], 1);
    let list = rest["RspMsgList"].as_array().unwrap();
    assert_eq!(list.len(), 3);
    assert_eq!(list[1]["MsgSeq"], 2);
    assert_eq!(list[1]["IsPlaceMsg"], 2);
    assert_eq!(list[1]["MsgBody"], json!([]));
    assert_eq!(list[2]["MsgBody"], text("one"));
    let without = get(json!({"GroupId": id, "ReqMsgNumber": 20, "ReqMsgSeq": 3})).await;
    assert_eq!(without["RspMsgList"].as_array().unwrap().len(), 2);
    assert_eq!(
        code(&get(json!({"GroupId": id, "ReqMsgNumber": 21})).await),
        10004
    );
    assert_eq!(
        code(&get(json!({"GroupId": "@TGS#nope", "ReqMsgNumber": 1})).await),
        10015
    );
}

#[tokio::test]
async fn import_group_msg_in_ascending_time_order() {
    let h = Harness::start().await;
    h.import(&["alice", "bob"]).await;
    let clock = h.emu.clock();
    clock.freeze_at_ms(1_700_000_000_000);
    let id = group(&h, &["bob"]).await;
    clock.freeze_at_ms(1_700_000_100_000);
    let import = |list: Value| {
        h.call(
            "group_open_http_svc/import_group_msg",
            json!({"GroupId": id, "RecentContactFlag": 1, "MsgList": list}),
        )
    };
    let list = json!([
        {"From_Account": "alice", "SendTime": 1_700_000_010u64, "Random": 1, "MsgBody": text("a")},
        {"From_Account": "bob", "SendTime": 1_700_000_020u64, "MsgBody": text("b")},
        {"From_Account": "bob", "SendTime": 1_600_000_000u64, "Random": 3, "MsgBody": text("too old")},
    ]);
    let r = import(list.clone()).await;
    assert_ok(&r);
    assert_eq!(
        r["ImportMsgResult"],
        json!([
            {"MsgSeq": 1, "MsgTime": 1_700_000_010u64, "Result": 0},
            {"MsgSeq": 2, "MsgTime": 1_700_000_020u64, "Result": 0},
            {"MsgSeq": 0, "MsgTime": 1_600_000_000u64, "Result": 10004},
        ])
    );
    // Importing the same messages again stores no copies.
    let r = import(list).await;
    assert!(
        r["ImportMsgResult"]
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["Result"] == 10004)
    );
    assert_eq!(h.emu.state().group_messages(&id).len(), 2);
    let eight: Vec<Value> = (0..8)
        .map(|i| json!({"From_Account": "bob", "SendTime": 1_700_000_050u64 + i, "MsgBody": text("x")}))
        .collect();
    assert_eq!(code(&import(Value::Array(eight)).await), 10004);
    // A live message gets the next seq.
    let r = h
        .call(
            "group_open_http_svc/send_group_msg",
            json!({"GroupId": id, "Random": 9, "MsgBody": text("live")}),
        )
        .await;
    assert_eq!(r["MsgSeq"], 3);
}
