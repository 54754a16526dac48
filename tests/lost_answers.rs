//! Sends whose answer is lost after the vendor processed them: never delivered twice, never
//! reported sent when they were not. Many sends, each under an injected fault (the answer
//! dropped after processing, or never sent with a short client timeout), on each vendor; the
//! emulator's stored copies are counted per send. The figures are printed (run with
//! `--nocapture`) and recorded in docs/reliability.md.

use std::time::Duration;

use imbridge::policy::RetryPolicy;
use imbridge::{CreateGroup, MessageContent, RegisterUsers, SendMessage, Vendor};
use imbridge_emulator::{Emulator, EmulatorConfig, Fault, FaultRule};

/// Sends per vendor: a third without a fault, a third whose answer is dropped after the
/// vendor stored the message, a third whose answer never comes (the client times out).
const SENDS: usize = 30;

fn faults() -> [Option<Fault>; 3] {
    [
        None,
        Some(Fault::AfterProcessing(Box::new(Fault::DropConnection))),
        Some(Fault::AfterProcessing(Box::new(Fault::Hang))),
    ]
}

struct Figures {
    ok: usize,
    failed: usize,
    outcome_unknown: usize,
    copies_of_ok: Vec<usize>,
    copies_of_failed: Vec<usize>,
}

/// `history`: RongCloud's cloud message storage (the history the client checks a lost answer
/// against) is on.
async fn measure(vendor: Vendor, history: bool, to_group: bool) -> Figures {
    let emu = Emulator::start(EmulatorConfig {
        rongcloud_message_storage: history,
        ..EmulatorConfig::default()
    })
    .await
    .unwrap();
    let config = config(&emu, vendor);
    let im = imbridge::connect_vendor(&config, vendor).unwrap();
    im.users()
        .register_users(&RegisterUsers::new(["a", "b"]))
        .await
        .unwrap();
    im.groups()
        .create_group(&CreateGroup::new("G").group_id("g").owner("a").member("b"))
        .await
        .unwrap();
    let path = match (vendor, to_group) {
        (Vendor::Tencent, false) => "/v4/openim/sendmsg",
        (Vendor::Tencent, true) => "/v4/group_open_http_svc/send_group_msg",
        (_, false) => "/message/private/publish.json",
        (_, true) => "/message/group/publish.json",
    };
    let mut figures = Figures {
        ok: 0,
        failed: 0,
        outcome_unknown: 0,
        copies_of_ok: Vec::new(),
        copies_of_failed: Vec::new(),
    };
    for i in 0..SENDS {
        if let Some(fault) = faults()[i % 3].clone() {
            emu.inject(FaultRule::path(path, fault).times(1));
        }
        let text = format!("m{i}");
        let req = if to_group {
            SendMessage::to_group("a", "g", MessageContent::text(&text))
        } else {
            SendMessage::to_user("a", "b", MessageContent::text(&text))
        };
        let req = req.timeout(Duration::from_millis(400)).retry(
            RetryPolicy::default()
                .attempts(3)
                .backoff(Duration::from_millis(10), Duration::from_millis(20)),
        );
        let result = im.messages().send_message(&req).await;
        let copies = copies(&emu, vendor, to_group, &text);
        match result {
            Ok(_) => {
                figures.ok += 1;
                figures.copies_of_ok.push(copies);
            }
            Err(e) => {
                figures.failed += 1;
                if e.is_outcome_unknown() {
                    figures.outcome_unknown += 1;
                }
                figures.copies_of_failed.push(copies);
            }
        }
        emu.clear_faults();
    }
    figures
}

fn copies(emu: &Emulator, vendor: Vendor, to_group: bool, text: &str) -> usize {
    let quoted = format!("\"{text}\"");
    match (vendor, to_group) {
        (Vendor::Tencent, true) => emu
            .state()
            .group_messages("g")
            .iter()
            .filter(|m| m.msg_body.to_string().contains(&quoted))
            .count(),
        (_, true) => emu
            .rongcloud_state()
            .group_messages("g")
            .iter()
            .filter(|m| m.content.contains(&quoted))
            .count(),
        (Vendor::Tencent, false) => emu
            .state()
            .c2c_messages()
            .iter()
            .filter(|m| m.msg_body.to_string().contains(&format!("\"{text}\"")))
            .count(),
        _ => emu
            .rongcloud_state()
            .private_messages()
            .iter()
            .filter(|m| m.content.contains(&format!("\"{text}\"")))
            .count(),
    }
}

fn config(emu: &Emulator, vendor: Vendor) -> imbridge::ProviderConfig {
    match vendor {
        Vendor::Tencent => {
            let t = emu.tencent();
            let mut s =
                imbridge::TencentSettings::new(t.sdkappid, t.secret_key.clone(), t.admin.clone());
            s.base_urls = vec![emu.url()];
            imbridge::ProviderConfig::tencent(s)
        }
        _ => {
            let r = emu.rongcloud();
            let mut s = imbridge::RongCloudSettings::new(r.app_key.clone(), r.app_secret.clone());
            s.base_urls = vec![emu.url()];
            imbridge::ProviderConfig::rongcloud(s)
        }
    }
}

fn report(label: &str, f: &Figures) {
    let hist = |v: &[usize]| {
        let mut h = [0usize; 3];
        for c in v {
            h[(*c).min(2)] += 1;
        }
        format!("0 copies: {}, 1 copy: {}, 2+ copies: {}", h[0], h[1], h[2])
    };
    println!(
        "[{label}] {SENDS} sends: {} reported sent ({}), {} failed ({} outcome unknown; {})",
        f.ok,
        hist(&f.copies_of_ok),
        f.failed,
        f.outcome_unknown,
        hist(&f.copies_of_failed)
    );
}

fn check(label: &str, f: &Figures) {
    report(label, f);
    assert!(
        f.copies_of_ok.iter().all(|c| *c == 1),
        "[{label}] a send reported sent must be delivered exactly once"
    );
    assert!(
        f.copies_of_failed.iter().all(|c| *c <= 1),
        "[{label}] a failed send is delivered at most once"
    );
    assert!(
        f.ok >= SENDS / 3,
        "[{label}] the sends without a fault went through"
    );
    // Failures may only be "outcome unknown": never a plain error after a possible delivery.
    assert_eq!(f.failed, f.outcome_unknown, "[{label}]");
}

#[cfg(feature = "tencent")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tencent_sends_under_lost_answers_are_delivered_once() {
    // One-to-one: a lost answer is looked up in history by its MsgRandom before any resend.
    let f = measure(Vendor::Tencent, false, false).await;
    check("tencent, one-to-one", &f);
    assert_eq!(
        f.ok, SENDS,
        "[tencent] every send is reconciled and reported sent"
    );
    // Group: the resend keeps its Random, which the vendor de-duplicates for 5 minutes.
    let f = measure(Vendor::Tencent, false, true).await;
    check("tencent, group", &f);
    assert_eq!(f.ok, SENDS, "[tencent] every group send is reported sent");
}

#[cfg(feature = "rongcloud")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rongcloud_sends_with_history_are_reconciled_and_delivered_once() {
    for (to_group, label) in [
        (false, "rongcloud, one-to-one, cloud storage on"),
        (true, "rongcloud, group, cloud storage on"),
    ] {
        let f = measure(Vendor::RongCloud, true, to_group).await;
        check(label, &f);
        assert_eq!(
            f.ok, SENDS,
            "[{label}] every lost answer is found in history"
        );
    }
}

#[cfg(feature = "rongcloud")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rongcloud_sends_without_history_are_never_resent_blind() {
    let f = measure(Vendor::RongCloud, false, false).await;
    check("rongcloud, one-to-one, cloud storage off", &f);
    assert_eq!(
        f.failed,
        2 * SENDS / 3,
        "[rongcloud] each lost answer is outcome unknown"
    );
}
