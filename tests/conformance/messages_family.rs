//! The messages family beyond a single send, read back through the SDK's own history:
//! send → history → recall → history; batches with an unknown recipient; paging; import.

use std::time::{Duration, SystemTime};

use futures_util::TryStreamExt;
use imbridge::{
    CreateGroup, ErrorKind, HistoryMessage, ImportMessages, ImportedMessage, MessageContent,
    MessageHistory, Operation, RecallMessage, Recipient, RegisterUsers, SendBatch, SendMessage,
};

use crate::backend::Backend;
use crate::harness::{ok, refused};

async fn users(b: &Backend, ids: &[&str]) {
    ok(
        b.im.users()
            .register_users(&RegisterUsers::new(ids.iter().copied()))
            .await,
        "register",
    );
}

/// Every message of a conversation, two a page.
async fn history(b: &Backend, req: MessageHistory) -> Vec<HistoryMessage> {
    let im = b.im.clone();
    let pages: Vec<_> = imbridge::pages(req.limit(2), |req| {
        let im = im.clone();
        async move { im.messages().message_history(&req).await }
    })
    .try_collect()
    .await
    .unwrap_or_else(|e| panic!("read the history: {e}"));
    pages.into_iter().flat_map(|p| p.items).collect()
}

fn text(m: &HistoryMessage) -> Option<&str> {
    match &m.content {
        Some(MessageContent::Text(t)) => Some(t),
        _ => None,
    }
}

/// The history entry of a sent message, by the vendor's id its receipt had.
fn find<'a>(all: &'a [HistoryMessage], id: &str) -> Option<&'a HistoryMessage> {
    all.iter().find(|m| m.message_id == id)
}

/// One-to-one: send three, read them back over two pages, recall one, read it back recalled
/// (or gone, as the vendor does).
pub async fn messages_history_and_recall(b: Backend) {
    let caps = b.im.capabilities().clone();
    if !caps.supports(Operation::MessageHistory) {
        return; // unsupported.rs checks the refusal
    }
    users(&b, &["ann", "bob"]).await;
    let mut refs = Vec::new();
    for t in ["one", "two", "three"] {
        let sent = ok(
            b.im.messages()
                .send_message(&SendMessage::to_user("ann", "bob", MessageContent::text(t)))
                .await,
            "send",
        );
        refs.push((sent.message_ref, sent.message_id));
    }
    let all = history(&b, MessageHistory::direct("ann", "bob")).await;
    for ((_, id), t) in refs.iter().zip(["one", "two", "three"]) {
        let m = find(&all, id).unwrap_or_else(|| panic!("{t} is not in the history: {all:?}"));
        assert_eq!(text(m), Some(t));
        assert_eq!(m.from, "ann");
        assert!(!m.recalled);
    }
    assert_eq!(all.len(), 3, "three messages over two pages");

    if caps.supports(Operation::RecallMessage) {
        ok(
            b.im.messages()
                .recall_message(&RecallMessage::new(refs[1].0.clone()))
                .await,
            "recall",
        );
        let after = history(&b, MessageHistory::direct("ann", "bob")).await;
        match find(&after, &refs[1].1) {
            Some(m) => assert!(m.recalled, "the recalled message is marked: {m:?}"),
            None => assert_eq!(after.len(), 2, "or it is gone"),
        }
        assert!(find(&after, &refs[0].1).is_some_and(|m| !m.recalled));
    }
}

/// A group's history, and a recall there.
pub async fn messages_group_history(b: Backend) {
    let caps = b.im.capabilities().clone();
    if !caps.supports(Operation::MessageHistory) {
        return;
    }
    users(&b, &["gia", "gus"]).await;
    ok(
        b.im.groups()
            .create_group(
                &CreateGroup::new("Chat")
                    .group_id("gchat")
                    .owner("gia")
                    .member("gus"),
            )
            .await,
        "create the group",
    );
    let mut refs = Vec::new();
    for t in ["a", "b", "c"] {
        let sent = ok(
            b.im.messages()
                .send_message(&SendMessage::to_group(
                    "gia",
                    "gchat",
                    MessageContent::text(t),
                ))
                .await,
            "group send",
        );
        refs.push((sent.message_ref, sent.message_id));
    }
    let all = history(&b, MessageHistory::group("gchat").as_user("gus")).await;
    for (r, id) in &refs {
        assert!(
            find(&all, id).is_some(),
            "{r} is not in the group's history"
        );
    }
    if caps.supports(Operation::RecallMessage) {
        ok(
            b.im.messages()
                .recall_message(&RecallMessage::new(refs[0].0.clone()))
                .await,
            "recall in the group",
        );
        let after = history(&b, MessageHistory::group("gchat").as_user("gus")).await;
        if let Some(m) = find(&after, &refs[0].1) {
            assert!(m.recalled);
        }
    }
}

/// One message to many: each recipient has its own reference; an unknown recipient is a
/// failed item where the vendor tells.
pub async fn messages_batch(b: Backend) {
    let caps = b.im.capabilities().clone();
    if !caps.supports(Operation::SendBatch) {
        return;
    }
    users(&b, &["sam", "r1", "r2"]).await;
    let out = ok(
        b.im.messages()
            .send_batch(&SendBatch::new(
                "sam",
                ["r1", "r2", "ghost"],
                MessageContent::text("news"),
            ))
            .await,
        "send_batch",
    );
    let got: Vec<&str> = out.succeeded.iter().map(|d| d.user_id.as_str()).collect();
    assert!(got.contains(&"r1") && got.contains(&"r2"), "{got:?}");
    if caps.rejects_unknown_ids {
        assert_eq!(out.failed.len(), 1);
        assert_eq!(out.failed[0].item, "ghost");
        assert_eq!(out.failed[0].error.kind(), ErrorKind::NotFound);
    }
    if caps.supports(Operation::MessageHistory) {
        let r1 = out.succeeded.iter().find(|d| d.user_id == "r1").unwrap();
        let all = history(&b, MessageHistory::direct("r1", "sam")).await;
        assert!(
            all.iter().any(|m| text(m) == Some("news")),
            "r1's history has the batch message ({})",
            r1.message_ref
        );
    }
}

/// Importing history from another system, where the vendor can.
pub async fn messages_import(b: Backend) {
    users(&b, &["old1", "old2"]).await;
    let when = SystemTime::now() - Duration::from_secs(3600);
    let one = ImportedMessage::new(
        "old1",
        Recipient::User("old2".to_owned()),
        MessageContent::text("from the old system"),
        when,
    );
    let req = ImportMessages::new(vec![one]);
    if !b.im.capabilities().supports(Operation::ImportMessages) {
        refused(
            &b,
            b.im.messages().import_messages(&req),
            ErrorKind::Unsupported,
            "import",
        )
        .await;
        return;
    }
    let out = ok(b.im.messages().import_messages(&req).await, "import");
    assert_eq!(out.succeeded.len(), 1);
    ok(b.im.messages().import_messages(&req).await, "import again");
    if b.im.capabilities().supports(Operation::MessageHistory) {
        let all = history(&b, MessageHistory::direct("old1", "old2")).await;
        let copies = all
            .iter()
            .filter(|m| text(m) == Some("from the old system"))
            .count();
        assert_eq!(copies, 1, "an import repeated is stored once");
    }
}
