//! Callback verification against `tests/vectors/tencent_callback_sign.json` (the first is the
//! vendor's own example), every way a callback is refused, typed events and replies.

use imbridge_core::webhook::{WebhookError, WebhookRequest};
use imbridge_tencent::callback::{CallbackVerifier, Event, Reply, StateAction, sign};
use serde_json::{Value, json};

const VECTORS: &str = include_str!("../../../tests/vectors/tencent_callback_sign.json");
const NOW: u64 = 1669872112;

fn verifier() -> CallbackVerifier {
    CallbackVerifier::new(1400000000, "xxxxyyyy").now_fn(|| NOW)
}

fn request(command: &str, time: u64, sign_with: &str, body: &Value) -> WebhookRequest {
    let query = format!(
        "SdkAppid=1400000000&CallbackCommand={command}&contenttype=json&ClientIP=1.2.3.4&OptPlatform=RESTAPI&Sign={}&RequestTime={time}",
        sign(sign_with, &time.to_string())
    );
    WebhookRequest::new("POST", query, serde_json::to_vec(body).unwrap())
}

#[test]
fn every_vector_signs_to_its_sign() {
    let v: Value = serde_json::from_str(VECTORS).unwrap();
    let cases = v["cases"].as_array().unwrap();
    assert_eq!(
        cases[0]["sign"],
        "17773bc39a671d7b9aa835458704d2a6db81360a5940292b587d6d760d484061"
    );
    for case in cases {
        let s = |k: &str| case[k].as_str().unwrap();
        assert_eq!(sign(s("token"), s("request_time")), s("sign"));
    }
}

#[test]
fn the_vendors_example_verifies() {
    let body = json!({"CallbackCommand": "State.StateChange", "Info": {"Action": "Login", "To_Account": "lilei", "Reason": "Register"}, "EventTime": 1669872112000u64});
    let callback = verifier()
        .verify(&request("State.StateChange", NOW, "xxxxyyyy", &body))
        .unwrap();
    assert_eq!(callback.verified.request_time, Some(NOW));
    assert_eq!(callback.verified.client_ip.as_deref(), Some("1.2.3.4"));
    assert_eq!(
        callback.event,
        Event::StateChange {
            user: "lilei".into(),
            action: StateAction::Login,
            reason: Some("Register".into()),
            event_time_ms: Some(1669872112000)
        }
    );
}

#[test]
fn refusals_each_have_their_own_error() {
    let body = json!({"CallbackCommand": "State.StateChange"});
    let v = verifier();
    // Tampered: signed with another token.
    assert_eq!(
        v.verify(&request("State.StateChange", NOW, "other", &body))
            .unwrap_err(),
        WebhookError::BadSignature
    );
    // Tampered: RequestTime changed after signing.
    let mut req = request("State.StateChange", NOW, "xxxxyyyy", &body);
    let query = req.query().replace(
        &format!("RequestTime={NOW}"),
        &format!("RequestTime={}", NOW + 1),
    );
    req = WebhookRequest::new("POST", query, req.body().to_vec());
    assert_eq!(v.verify(&req).unwrap_err(), WebhookError::BadSignature);
    // Stale, both ways.
    assert!(matches!(
        v.verify(&request("State.StateChange", NOW - 61, "xxxxyyyy", &body)),
        Err(WebhookError::Stale { skew_secs: 61, .. })
    ));
    assert!(matches!(
        v.verify(&request("State.StateChange", NOW + 61, "xxxxyyyy", &body)),
        Err(WebhookError::Stale { .. })
    ));
    assert!(
        v.verify(&request("State.StateChange", NOW - 60, "xxxxyyyy", &body))
            .is_ok()
    );
    // Wrong app.
    let wrong = request("State.StateChange", NOW, "xxxxyyyy", &body);
    let wrong = WebhookRequest::new(
        "POST",
        wrong
            .query()
            .replace("SdkAppid=1400000000", "SdkAppid=1400000001"),
        wrong.body().to_vec(),
    );
    assert!(matches!(
        v.verify(&wrong),
        Err(WebhookError::WrongApp { .. })
    ));
    // Oversized.
    let big = json!({"CallbackCommand": "C2C.CallbackAfterSendMsg", "pad": "x".repeat(2000)});
    assert!(matches!(
        v.clone().max_body(1000).verify(&request(
            "C2C.CallbackAfterSendMsg",
            NOW,
            "xxxxyyyy",
            &big
        )),
        Err(WebhookError::TooLarge { limit: 1000, .. })
    ));
    // Unsigned, badly timed, not POST, not JSON.
    let unsigned = WebhookRequest::new(
        "POST",
        "SdkAppid=1400000000&CallbackCommand=x",
        b"{}".to_vec(),
    );
    assert_eq!(
        v.verify(&unsigned).unwrap_err(),
        WebhookError::MissingSignature
    );
    let untimed = WebhookRequest::new(
        "POST",
        format!("SdkAppid=1400000000&Sign={}", sign("xxxxyyyy", "")),
        b"{}".to_vec(),
    );
    assert_eq!(v.verify(&untimed).unwrap_err(), WebhookError::BadTimestamp);
    let get = request("x", NOW, "xxxxyyyy", &body);
    assert!(matches!(
        v.verify(&WebhookRequest::new("GET", get.query(), vec![])),
        Err(WebhookError::MethodNotAllowed(_))
    ));
    let garbage = request("x", NOW, "xxxxyyyy", &body);
    assert!(matches!(
        v.verify(&WebhookRequest::new(
            "POST",
            garbage.query(),
            b"<html>".to_vec()
        )),
        Err(WebhookError::BadBody(_))
    ));
    // A verifier without a token checks the app only.
    assert!(
        CallbackVerifier::without_token(1400000000)
            .verify(&unsigned)
            .is_ok()
    );
    assert!(!format!("{v:?}").contains("xxxxyyyy"));
}

#[test]
fn typed_events_and_unknown_commands_kept_raw() {
    let v = verifier();
    let cases = [
        json!({"CallbackCommand": "C2C.CallbackAfterSendMsg", "From_Account": "a", "To_Account": "b", "MsgRandom": 7, "MsgSeq": 1, "MsgTime": 5, "MsgKey": "k", "MsgBody": [{"MsgType": "TIMTextElem", "MsgContent": {"Text": "hi"}}]}),
        json!({"CallbackCommand": "Group.CallbackAfterCreateGroup", "GroupId": "g", "Type": "Public", "Owner_Account": "a", "Name": "G", "MemberList": [{"Member_Account": "a"}, {"Member_Account": "b"}]}),
        json!({"CallbackCommand": "Group.CallbackAfterNewMemberJoin", "GroupId": "g", "NewMemberList": [{"Member_Account": "c"}], "Operator_Account": "a"}),
        json!({"CallbackCommand": "Group.CallbackAfterMemberExit", "GroupId": "g", "ExitMemberList": [{"Member_Account": "c"}], "ExitType": "Quit"}),
        json!({"CallbackCommand": "Group.CallbackAfterSendMsg", "GroupId": "g", "Type": "Public", "From_Account": "a", "Random": 9, "MsgSeq": 3, "MsgTime": 5, "MsgBody": []}),
        json!({"CallbackCommand": "Group.CallbackAfterGroupDestroyed", "GroupId": "g", "Owner_Account": "a"}),
        json!({"CallbackCommand": "Profile.CallbackPortraitSet", "From_Account": "a", "ProfileItem": [{"Tag": "Tag_Profile_IM_Nick", "Value": "A"}]}),
        json!({"CallbackCommand": "Sns.CallbackFriendAdd", "anything": 1}),
    ];
    let mut events = Vec::new();
    for body in &cases {
        let command = body["CallbackCommand"].as_str().unwrap();
        events.push(v.verify(&request(command, NOW, "xxxxyyyy", body)).unwrap());
    }
    match &events[0].event {
        Event::AfterSendC2c(m) => assert_eq!(
            (
                m.from.as_str(),
                m.to.as_str(),
                m.msg_random,
                m.msg_key.as_deref()
            ),
            ("a", "b", 7, Some("k"))
        ),
        e => panic!("{e:?}"),
    }
    assert_eq!(
        events[1].event,
        Event::AfterCreateGroup {
            group_id: "g".into(),
            group_type: "Public".into(),
            owner: "a".into(),
            name: "G".into(),
            members: vec!["a".into(), "b".into()]
        }
    );
    assert!(
        matches!(&events[2].event, Event::AfterNewMemberJoin { members, .. } if members == &["c"])
    );
    assert!(
        matches!(&events[3].event, Event::AfterMemberExit { exit_type: Some(t), .. } if t == "Quit")
    );
    assert!(
        matches!(&events[4].event, Event::AfterSendGroup(m) if m.msg_seq == Some(3) && m.random == 9)
    );
    assert!(
        matches!(&events[5].event, Event::AfterGroupDestroyed { group_id, .. } if group_id == "g")
    );
    assert!(
        matches!(&events[6].event, Event::PortraitSet { items, .. } if items[0].0 == "Tag_Profile_IM_Nick")
    );
    assert_eq!(
        events[7].event,
        Event::Other {
            command: "Sns.CallbackFriendAdd".into()
        }
    );
    assert_eq!(events[7].body["anything"], 1, "the raw body is kept");
}

#[test]
fn replies() {
    let parse = |r: Reply| serde_json::from_str::<Value>(&r.to_json()).unwrap();
    assert_eq!(
        parse(Reply::Allow),
        json!({"ActionStatus": "OK", "ErrorCode": 0, "ErrorInfo": ""})
    );
    assert_eq!(parse(Reply::Reject)["ErrorCode"], 1);
    assert_eq!(parse(Reply::RejectWithCode(120_005))["ErrorCode"], 120_005);
    assert_eq!(
        parse(Reply::RejectWithCode(5))["ErrorCode"],
        120_001,
        "kept within the vendor's range"
    );
    let body = json!([{"MsgType": "TIMTextElem", "MsgContent": {"Text": "***"}}]);
    let modified = parse(Reply::AllowWithBody(body.clone()));
    assert_eq!(
        (modified["ErrorCode"].clone(), modified["MsgBody"].clone()),
        (json!(0), body)
    );
}

#[test]
fn vectors_match_the_shared_copy_when_it_is_present() {
    let shared = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/vectors/tencent_callback_sign.json"
    );
    if let Ok(text) = std::fs::read_to_string(shared) {
        assert_eq!(text, VECTORS);
    }
}
