//! The scenarios: each is written once against `Arc<dyn ImProvider>` and the emulator views of
//! [`Backend`], and chooses what to check by [`Capabilities`](imbridge::Capabilities) only.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use imbridge::{
    CreateGroup, CustomPayload, ErrorKind, ExposeSecret, Gender, GroupKind, IssueToken,
    MessageContent, RegisterUser, SendMessage, SetProfile,
};

use crate::backend::Backend;
use crate::harness::{err, invalid, ok, refused, register};

/// A group request named `name` with the id `id` when the backend takes caller-chosen ids.
fn group(b: &Backend, id: &str, name: &str) -> CreateGroup {
    let req = CreateGroup::new(name);
    if b.im.capabilities().groups.custom_ids {
        req.group_id(id)
    } else {
        req
    }
}

/// Creates `req`, checks the id that came back, and returns it.
async fn create(b: &Backend, req: &CreateGroup) -> String {
    let created = ok(
        b.im.create_group(req).await,
        &format!("create group `{}`", req.name),
    );
    assert!(!created.group_id.is_empty(), "the group id is empty");
    if let Some(id) = &req.group_id {
        assert_eq!(&created.group_id, id, "the caller's group id was not kept");
    }
    created.group_id
}

fn members(ids: &[&str]) -> Vec<String> {
    let mut ids: Vec<String> = ids.iter().map(|s| (*s).to_owned()).collect();
    ids.sort();
    ids
}

// ---------------------------------------------------------------------------------------------
// 1. The seed walkthrough.

/// Register `lilei`, name him 李雷, create `MyFirstGroup` owned by him with a member, send a
/// group message and a one-to-one message.
pub async fn seed_walkthrough(b: Backend) {
    let token = ok(
        b.im.register_user(&RegisterUser::new("lilei")).await,
        "register lilei",
    );
    assert_eq!(token.user_id(), "lilei");
    assert!(b.profile("lilei").is_some(), "lilei was not stored");

    ok(
        b.im.set_profile(&SetProfile::new("lilei").nickname("李雷"))
            .await,
        "set lilei's nickname",
    );
    assert_eq!(b.nickname("lilei").as_deref(), Some("李雷"));

    register(&b, "hanmeimei").await;
    let req = group(&b, "MyFirstGroup", "MyFirstGroup")
        .owner("lilei")
        .member("hanmeimei");
    let gid = create(&b, &req).await;
    let stored = b.group(&gid).expect("MyFirstGroup was not stored");
    assert_eq!(stored.name, "MyFirstGroup");
    assert_eq!(stored.members, members(&["lilei", "hanmeimei"]));

    let receipt = ok(
        b.im.send_message(&SendMessage::to_group(
            "lilei",
            &gid,
            MessageContent::text("hello, everyone"),
        ))
        .await,
        "send the group message",
    );
    assert!(!receipt.message_id.is_empty(), "group receipt without id");
    let sent = b.group_messages(&gid);
    assert_eq!(sent.len(), 1, "group messages stored: {sent:?}");
    assert_eq!(sent[0].from, "lilei");
    assert!(sent[0].payload.contains("hello, everyone"), "{sent:?}");

    let receipt = ok(
        b.im.send_message(&SendMessage::to_user(
            "lilei",
            "hanmeimei",
            MessageContent::text("hi, Han Meimei"),
        ))
        .await,
        "send the one-to-one message",
    );
    assert!(
        !receipt.message_id.is_empty(),
        "one-to-one receipt without id"
    );
    let sent = b.direct_messages();
    assert_eq!(sent.len(), 1, "one-to-one messages stored: {sent:?}");
    assert_eq!(
        (sent[0].from.as_str(), sent[0].to.as_str()),
        ("lilei", "hanmeimei")
    );
    assert!(sent[0].payload.contains("hi, Han Meimei"), "{sent:?}");
}

// ---------------------------------------------------------------------------------------------
// 2. Tokens.

/// Tokens from registration and from `issue_token`: for the right user, accepted by the emulated
/// app, expiring as the capabilities say, never shown by `Debug`; unknown users and token
/// lifetimes as the capabilities say.
pub async fn tokens(b: Backend) {
    let caps = b.im.capabilities().clone();
    let now = SystemTime::now();

    let registered = register(&b, "alice").await;
    let issued = {
        let before = b.requests();
        let t = ok(
            b.im.issue_token(&IssueToken::new("alice")).await,
            "issue a token for alice",
        );
        if caps.users.local_tokens {
            assert_eq!(b.requests(), before, "local tokens must not send requests");
        }
        t
    };
    for (what, token) in [("registered", &registered), ("issued", &issued)] {
        let secret = token.token().expose_secret();
        assert_eq!(token.user_id(), "alice", "{what} token for the wrong user");
        assert!(!secret.is_empty(), "{what} token is empty");
        assert!(
            b.token_is_for(secret, "alice"),
            "{what} token is not accepted by the app for alice"
        );
        assert!(
            !format!("{token:?}").contains(secret),
            "{what} token appears in Debug"
        );
        if caps.users.token_expiry {
            let at = token
                .expires_at()
                .expect("tokens expire but no expiry given");
            assert!(at > now, "{what} token expires in the past: {at:?}");
        } else {
            assert_eq!(token.expires_at(), None, "{what} token has an expiry");
        }
    }

    if !caps.users.local_tokens {
        err(
            b.im.issue_token(&IssueToken::new("nobody")).await,
            ErrorKind::NotFound,
            "issue a token for an unknown user",
        );
    }

    match caps.users.token_ttl {
        Some((min, max)) => {
            let t = ok(
                b.im.issue_token(&IssueToken::new("alice").ttl(min)).await,
                "issue a token with the shortest lifetime",
            );
            if let Some(at) = t.expires_at() {
                let expected = SystemTime::now() + min;
                let diff = expected.duration_since(at).unwrap_or_else(|e| e.duration());
                assert!(
                    diff <= Duration::from_secs(5),
                    "expiry {at:?} is not now + {min:?}"
                );
            }
            let too_long = max + Duration::from_secs(1);
            invalid(
                &b,
                b.im.issue_token(&IssueToken::new("alice").ttl(too_long)),
                "ttl",
                "issue a token with a lifetime over the maximum",
            )
            .await;
        }
        None => {
            let hour = Duration::from_secs(3600);
            refused(
                &b,
                b.im.issue_token(&IssueToken::new("alice").ttl(hour)),
                ErrorKind::Unsupported,
                "issue a token with a lifetime",
            )
            .await;
            refused(
                &b,
                b.im.register_user(&RegisterUser::new("alice").token_ttl(hour)),
                ErrorKind::Unsupported,
                "register with a token lifetime",
            )
            .await;
        }
    }

    // Issuing a token never changes the profile.
    ok(
        b.im.set_profile(&SetProfile::new("alice").nickname("Alice"))
            .await,
        "set alice's nickname",
    );
    ok(
        b.im.issue_token(&IssueToken::new("alice")).await,
        "issue another token for alice",
    );
    assert_eq!(b.nickname("alice").as_deref(), Some("Alice"));
}

/// `RegisterUser` says registration is idempotent and "updates nothing that was not given":
/// registering a user again without a nickname or avatar keeps the stored ones.
pub async fn registration_is_idempotent(b: Backend) {
    let first = RegisterUser::new("bob")
        .nickname("Bob")
        .avatar_url("https://example.com/bob.png");
    ok(b.im.register_user(&first).await, "register bob");
    let token = ok(
        b.im.register_user(&RegisterUser::new("bob")).await,
        "register bob again without profile fields",
    );
    assert_eq!(token.user_id(), "bob");
    let profile = b.profile("bob").expect("bob is not stored");
    assert_eq!(
        (profile.nickname.as_str(), profile.avatar.as_str()),
        ("Bob", "https://example.com/bob.png"),
        "registering again without fields changed the profile"
    );
}

// ---------------------------------------------------------------------------------------------
// 3. Profiles.

/// Nickname and avatar everywhere; extended and custom fields only where the capabilities say,
/// else `Unsupported` with nothing sent; an unknown user is `NotFound`.
pub async fn profiles(b: Backend) {
    let caps = b.im.capabilities().clone();
    register(&b, "carol").await;

    let set = SetProfile::new("carol")
        .nickname("Carol")
        .avatar_url("https://example.com/carol.png");
    ok(b.im.set_profile(&set).await, "set nickname and avatar");
    let p = b.profile("carol").expect("carol is not stored");
    assert_eq!(p.nickname, "Carol");
    assert_eq!(p.avatar, "https://example.com/carol.png");

    let set = SetProfile::new("carol").avatar_url("https://example.com/carol2.png");
    ok(b.im.set_profile(&set).await, "set the avatar only");
    let p = b.profile("carol").expect("carol is not stored");
    assert_eq!(
        p.nickname, "Carol",
        "setting the avatar changed the nickname"
    );
    assert_eq!(p.avatar, "https://example.com/carol2.png");

    let extended = SetProfile::new("carol")
        .nickname("Carol C.")
        .gender(Gender::Female)
        .location("Beijing")
        .signature("hello from carol");
    if caps.profiles.extended_fields {
        ok(b.im.set_profile(&extended).await, "set extended fields");
        let p = b.profile("carol").expect("carol is not stored");
        assert_eq!(p.nickname, "Carol C.");
        for value in ["Beijing", "hello from carol"] {
            assert!(
                p.extra.iter().any(|(_, v)| v == value),
                "`{value}` was not stored: {:?}",
                p.extra
            );
        }
    } else {
        refused(
            &b,
            b.im.set_profile(&extended),
            ErrorKind::Unsupported,
            "set extended fields",
        )
        .await;
        assert_eq!(
            b.nickname("carol").as_deref(),
            Some("Carol"),
            "a refused request changed the nickname"
        );
    }

    let custom = SetProfile::new("carol").custom("Hobby", "chess");
    if caps.profiles.custom_fields {
        ok(b.im.set_profile(&custom).await, "set a custom field");
        let p = b.profile("carol").expect("carol is not stored");
        assert!(
            p.extra.iter().any(|(_, v)| v == "chess"),
            "the custom field was not stored: {:?}",
            p.extra
        );
    } else {
        refused(
            &b,
            b.im.set_profile(&custom),
            ErrorKind::Unsupported,
            "set a custom field",
        )
        .await;
    }

    invalid(
        &b,
        b.im.set_profile(&SetProfile::new("carol")),
        "profile",
        "set no field",
    )
    .await;

    err(
        b.im.set_profile(&SetProfile::new("nobody").nickname("Nobody"))
            .await,
        ErrorKind::NotFound,
        "set the profile of an unknown user",
    );
    assert!(
        b.profile("nobody").is_none(),
        "the unknown user was created"
    );
}

// ---------------------------------------------------------------------------------------------
// 4. Groups.

/// Owner and members stored; caller-chosen and generated ids; every supported kind and no other;
/// a taken id refused with the first group unchanged; a group needs a name.
pub async fn groups(b: Backend) {
    let caps = b.im.capabilities().clone();
    for user in ["dave", "erin", "frank"] {
        register(&b, user).await;
    }

    // Owner + members.
    let req = group(&b, "team-1", "Team")
        .owner("dave")
        .members(["erin", "frank"]);
    let gid = create(&b, &req).await;
    let stored = b.group(&gid).expect("the group was not stored");
    assert_eq!(stored.name, "Team");
    assert_eq!(stored.members, members(&["dave", "erin", "frank"]));

    // A caller-chosen id.
    let custom = CreateGroup::new("Custom")
        .group_id("custom-1")
        .owner("dave");
    if caps.groups.custom_ids {
        assert_eq!(create(&b, &custom).await, "custom-1");
        assert!(b.group("custom-1").is_some(), "custom-1 was not stored");
    } else {
        refused(
            &b,
            b.im.create_group(&custom),
            ErrorKind::Unsupported,
            "create a group with a caller-chosen id",
        )
        .await;
    }

    // No id given.
    let anonymous = CreateGroup::new("No id").owner("dave").member("erin");
    if caps.groups.server_generated_ids || caps.groups.client_generated_ids {
        let gid = create(&b, &anonymous).await;
        let stored = b
            .group(&gid)
            .expect("the group with a generated id was not stored");
        assert_eq!(stored.members, members(&["dave", "erin"]));
    } else {
        assert!(
            b.im.create_group(&anonymous).await.is_err(),
            "a group without id was accepted though no ids are generated"
        );
    }

    // Every kind: the supported ones work, the others are refused before sending. Ids are
    // left to the vendor where it can make them (some kinds restrict caller-chosen ids).
    let generated = caps.groups.server_generated_ids || caps.groups.client_generated_ids;
    for (i, kind) in GroupKind::ALL.into_iter().enumerate() {
        let name = format!("kind {kind}");
        let req = if generated {
            CreateGroup::new(name)
        } else {
            group(&b, &format!("kind-{i}"), &name)
        };
        let req = req.kind(kind).owner("dave");
        if caps.supports_group_kind(kind) {
            let gid = create(&b, &req).await;
            let stored = b
                .group(&gid)
                .unwrap_or_else(|| panic!("the {kind} group was not stored"));
            assert!(
                stored.members.contains(&"dave".to_owned()),
                "the owner is not a member of the {kind} group: {stored:?}"
            );
        } else {
            refused(
                &b,
                b.im.create_group(&req),
                ErrorKind::Unsupported,
                &format!("create a {kind} group"),
            )
            .await;
        }
    }

    // A taken id.
    if caps.groups.custom_ids && caps.groups.rejects_taken_ids {
        let first = CreateGroup::new("First")
            .group_id("taken-1")
            .owner("dave")
            .member("erin");
        create(&b, &first).await;
        let before = b.group("taken-1").expect("taken-1 was not stored");
        let second = CreateGroup::new("Second")
            .group_id("taken-1")
            .owner("frank")
            .member("erin");
        err(
            b.im.create_group(&second).await,
            ErrorKind::AlreadyExists,
            "create a group with a taken id",
        );
        assert_eq!(
            b.group("taken-1"),
            Some(before),
            "the refused create changed the first group"
        );
    }

    invalid(
        &b,
        b.im.create_group(&group(&b, "noname-1", "").owner("dave")),
        "name",
        "create a group without a name",
    )
    .await;
}

/// More initial members than `Capabilities::max_initial_group_members` ("besides the owner"),
/// with or without an owner, are refused as `InvalidInput` naming `members`, before sending.
pub async fn groups_too_many_members(b: Backend) {
    let caps = b.im.capabilities().clone();
    register(&b, "dave").await;
    let max = caps.groups.max_initial_members;
    let crowd: Vec<String> = (0..=max).map(|i| format!("m{i}")).collect();
    let without_owner = group(&b, "crowd-1", "Crowd").members(crowd.iter().cloned());
    invalid(
        &b,
        b.im.create_group(&without_owner),
        "members",
        "create a group with max_initial_group_members + 1 members",
    )
    .await;
    let with_owner = without_owner.clone().owner("dave");
    invalid(
        &b,
        b.im.create_group(&with_owner),
        "members",
        "create a group with an owner and max_initial_group_members + 1 members",
    )
    .await;
    assert!(b.group("crowd-1").is_none(), "the crowd group was stored");
}

/// `Capabilities::max_initial_group_members` counts the members besides the owner: an owner
/// plus exactly that many members is accepted, and all are stored.
pub async fn groups_owner_plus_max_members(b: Backend) {
    let max = b.im.capabilities().groups.max_initial_members;
    let crowd: Vec<String> = (0..max).map(|i| format!("m{i}")).collect();
    register(&b, "owner").await;
    // Register everyone (some vendors require members to exist), a few at a time.
    for chunk in crowd.chunks(25) {
        let handles: Vec<_> = chunk
            .iter()
            .map(|u| {
                let im = Arc::clone(&b.im);
                let u = u.clone();
                tokio::spawn(async move { im.register_user(&RegisterUser::new(u)).await })
            })
            .collect();
        for h in handles {
            ok(h.await.expect("register task"), "register a member");
        }
    }
    let req = group(&b, "full-1", "Full")
        .owner("owner")
        .members(crowd.iter().cloned());
    let gid = create(&b, &req).await;
    let stored = b.group(&gid).expect("the full group was not stored");
    assert_eq!(stored.members.len(), max + 1, "owner + {max} members");
}

/// A group naming an unregistered member: `NotFound` with nothing stored where the vendor
/// checks ids (`rejects_unknown_ids`), created with the member where it does not.
pub async fn groups_with_unregistered_member(b: Backend) {
    register(&b, "owner").await;
    let req = group(&b, "ghosts-1", "Ghosts")
        .owner("owner")
        .member("ghost");
    let result = b.im.create_group(&req).await;
    if b.im.capabilities().rejects_unknown_ids {
        let e = result.expect_err("an unregistered member is refused");
        assert_eq!(e.kind(), ErrorKind::NotFound, "wrong kind: {e}");
        assert!(b.group("ghosts-1").is_none(), "a refused group was stored");
    } else {
        let created = result.expect("the vendor accepts unregistered members");
        let stored = b
            .group(&created.group_id)
            .expect("the group was not stored");
        assert_eq!(stored.members, members(&["owner", "ghost"]));
    }
}

// ---------------------------------------------------------------------------------------------
// 5. Messages.

/// One-to-one text and custom, group text, receipts and de-duplication keys, unknown recipients
/// as the capabilities say, oversize and empty content refused before sending.
pub async fn messages(b: Backend) {
    let caps = b.im.capabilities().clone();
    register(&b, "gina").await;
    register(&b, "hank").await;

    // One-to-one text.
    let text = SendMessage::to_user("gina", "hank", MessageContent::text("hello hank"));
    let receipt = ok(b.im.send_message(&text).await, "send one-to-one text");
    assert!(!receipt.message_id.is_empty(), "receipt without id");
    if caps.messages.dedup {
        assert!(
            receipt.dedup_key.is_some(),
            "no de-duplication key in {receipt:?}"
        );
    }
    let sent = b.direct_messages();
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!(
        (sent[0].from.as_str(), sent[0].to.as_str()),
        ("gina", "hank")
    );
    assert!(sent[0].payload.contains("hello hank"), "{sent:?}");

    // One-to-one custom.
    let payload = CustomPayload::new("note-42").message_type("App:Note");
    let custom = SendMessage::to_user("gina", "hank", payload.into());
    if caps.messages.custom {
        let receipt = ok(b.im.send_message(&custom).await, "send a custom message");
        assert!(!receipt.message_id.is_empty(), "receipt without id");
        let sent = b.direct_messages();
        assert_eq!(sent.len(), 2, "{sent:?}");
        assert!(sent[1].payload.contains("note-42"), "{sent:?}");
    } else {
        refused(
            &b,
            b.im.send_message(&custom),
            ErrorKind::Unsupported,
            "send a custom message",
        )
        .await;
    }
    let direct = b.direct_messages().len();

    // A caller-chosen de-duplication key comes back in the receipt; where the vendor
    // de-duplicates, sending the same request again stores it once. Tencent de-duplicates a
    // one-to-one resend only within the same second: the emulator's clock is held still so
    // that the resend lands in it.
    b.emulator.clock().freeze();
    let keyed = SendMessage::to_user("gina", "hank", MessageContent::text("once")).dedup_key(7);
    let receipt = ok(b.im.send_message(&keyed).await, "send with a dedup key");
    assert_eq!(receipt.dedup_key, Some(7), "{receipt:?}");
    if caps.messages.dedup {
        ok(
            b.im.send_message(&keyed).await,
            "resend with the same dedup key",
        );
        assert_eq!(
            b.direct_messages().len(),
            direct + 1,
            "a resent message with the same key was stored twice"
        );
    }
    b.emulator.clock().resume();
    let direct = b.direct_messages().len();

    // Group text.
    let req = group(&b, "chat-1", "Chat").owner("gina").member("hank");
    let gid = create(&b, &req).await;
    let to_group = SendMessage::to_group("gina", &gid, MessageContent::text("hello group"));
    let receipt = ok(b.im.send_message(&to_group).await, "send group text");
    assert!(!receipt.message_id.is_empty(), "group receipt without id");
    let sent = b.group_messages(&gid);
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!(sent[0].from, "gina");
    assert!(sent[0].payload.contains("hello group"), "{sent:?}");

    // An unknown recipient.
    let to_nobody = SendMessage::to_user("gina", "nobody", MessageContent::text("anyone?"));
    if caps.rejects_unknown_ids {
        err(
            b.im.send_message(&to_nobody).await,
            ErrorKind::NotFound,
            "send to an unknown user",
        );
        assert_eq!(
            b.direct_messages().len(),
            direct,
            "a refused message was stored"
        );
    } else {
        ok(
            b.im.send_message(&to_nobody).await,
            "send to an unknown user",
        );
        let sent = b.direct_messages();
        assert_eq!(sent.len(), direct + 1, "{sent:?}");
        assert_eq!(sent[direct].to, "nobody");
    }

    // Oversize and empty content: refused before sending.
    let big = "a".repeat(caps.messages.max_bytes + 1);
    invalid(
        &b,
        b.im.send_message(&SendMessage::to_user(
            "gina",
            "hank",
            MessageContent::text(big.clone()),
        )),
        "content",
        "send max_message_bytes + 1 bytes of text",
    )
    .await;
    invalid(
        &b,
        b.im.send_message(&SendMessage::to_group(
            "gina",
            &gid,
            MessageContent::custom(big),
        )),
        "content",
        "send max_message_bytes + 1 bytes of custom data",
    )
    .await;
    invalid(
        &b,
        b.im.send_message(&SendMessage::to_user(
            "gina",
            "hank",
            MessageContent::text(""),
        )),
        "content",
        "send empty text",
    )
    .await;
}

/// Messages near `Capabilities::max_message_bytes` (whether it counts the text or the encoded
/// message): each is either accepted and stored whole, or refused as `InvalidInput` naming
/// `content` before anything is sent, never refused by the vendor after sending.
pub async fn messages_near_max_bytes(b: Backend) {
    let max = b.im.capabilities().messages.max_bytes;
    register(&b, "gina").await;
    register(&b, "hank").await;
    for size in [max - 64, max - 16, max] {
        let text = "a".repeat(size);
        let req = SendMessage::to_user("gina", "hank", MessageContent::text(text.clone()));
        let (before, stored) = (b.requests(), b.direct_messages().len());
        match b.im.send_message(&req).await {
            Ok(_) => {
                let sent = b.direct_messages();
                assert_eq!(sent.len(), stored + 1, "{size} bytes: not stored");
                assert!(
                    sent[stored].payload.contains(&text),
                    "{size} bytes: the text was not stored whole"
                );
            }
            Err(e) => {
                assert_eq!(e.kind(), ErrorKind::InvalidInput, "{size} bytes: {e}");
                assert_eq!(
                    b.requests(),
                    before,
                    "{size} bytes (max_message_bytes {max}) passed the checks before sending \
                     but the vendor refused it: {e}"
                );
                assert_eq!(e.field(), Some("content"), "{size} bytes: {e:?}");
            }
        }
    }
}

/// A message to a group that does not exist: `NotFound` with nothing stored where the vendor
/// checks ids (`rejects_unknown_ids`), stored where it does not.
pub async fn messages_to_unknown_group(b: Backend) {
    register(&b, "hank").await;
    let req = SendMessage::to_group("hank", "nogroup-1", MessageContent::text("hello?"));
    let result = b.im.send_message(&req).await;
    if b.im.capabilities().rejects_unknown_ids {
        let e = result.expect_err("a missing group is refused");
        assert_eq!(e.kind(), ErrorKind::NotFound, "wrong kind: {e}");
        assert!(b.group_messages("nogroup-1").is_empty());
    } else {
        result.expect("the vendor accepts messages to missing groups");
        assert_eq!(b.group_messages("nogroup-1").len(), 1);
    }
}

/// A message from an unregistered sender: `NotFound` with nothing stored where the vendor checks
/// ids (`rejects_unknown_ids`), stored where it does not.
pub async fn messages_from_unknown_sender(b: Backend) {
    register(&b, "hank").await;
    let req = SendMessage::to_user("ghost", "hank", MessageContent::text("boo"));
    let result = b.im.send_message(&req).await;
    if b.im.capabilities().rejects_unknown_ids {
        let e = result.expect_err("an unregistered sender is refused");
        assert_eq!(e.kind(), ErrorKind::NotFound, "wrong kind: {e}");
        assert!(b.direct_messages().is_empty());
    } else {
        result.expect("the vendor accepts unregistered senders");
        assert_eq!(b.direct_messages().len(), 1);
    }
}

// ---------------------------------------------------------------------------------------------
// 6. Error paths with the same kinds on every vendor.

/// A wrong secret is `Auth` and never shown; empty and over-long ids are `InvalidInput` naming
/// the field, before sending; unknown users `NotFound`; taken group ids `AlreadyExists`.
pub async fn error_paths(b: Backend) {
    let caps = b.im.capabilities().clone();

    // Bad credentials.
    let wrong = "wrong-secret-5f0d8c1e2b7a";
    let bad = ok(
        imbridge::connect(&b.config_with_secret(wrong)),
        "connect with a wrong secret",
    );
    let e = err(
        bad.register_user(&RegisterUser::new("ivan")).await,
        ErrorKind::Auth,
        "register with a wrong secret",
    );
    assert!(
        !e.to_string().contains(wrong),
        "the secret is in Display: {e}"
    );
    assert!(
        !format!("{e:?}").contains(wrong),
        "the secret is in Debug: {e:?}"
    );
    assert!(
        b.profile("ivan").is_none(),
        "a rejected registration was stored"
    );

    // Invalid input: empty and over-long ids, before sending.
    let long = "x".repeat(65);
    register(&b, "judy").await;
    for id in ["", long.as_str()] {
        invalid(
            &b,
            b.im.register_user(&RegisterUser::new(id)),
            "user_id",
            &format!("register user id of {} bytes", id.len()),
        )
        .await;
        invalid(
            &b,
            b.im.issue_token(&IssueToken::new(id)),
            "user_id",
            &format!("issue a token for a user id of {} bytes", id.len()),
        )
        .await;
        invalid(
            &b,
            b.im.set_profile(&SetProfile::new(id).nickname("X")),
            "user_id",
            &format!("set the profile of a user id of {} bytes", id.len()),
        )
        .await;
        invalid(
            &b,
            b.im.send_message(&SendMessage::to_user(id, "judy", MessageContent::text("x"))),
            "from",
            &format!("send from a user id of {} bytes", id.len()),
        )
        .await;
        invalid(
            &b,
            b.im.send_message(&SendMessage::to_user("judy", id, MessageContent::text("x"))),
            "to",
            &format!("send to a user id of {} bytes", id.len()),
        )
        .await;
        invalid(
            &b,
            b.im.send_message(&SendMessage::to_group(
                "judy",
                id,
                MessageContent::text("x"),
            )),
            "to",
            &format!("send to a group id of {} bytes", id.len()),
        )
        .await;
        invalid(
            &b,
            b.im.create_group(&CreateGroup::new("G").owner(id)),
            "owner",
            &format!("create a group owned by a user id of {} bytes", id.len()),
        )
        .await;
        invalid(
            &b,
            b.im.create_group(&CreateGroup::new("G").owner("judy").member(id)),
            "members",
            &format!("create a group with a member id of {} bytes", id.len()),
        )
        .await;
        if caps.groups.custom_ids {
            invalid(
                &b,
                b.im.create_group(&CreateGroup::new("G").owner("judy").group_id(id)),
                "group_id",
                &format!("create a group with an id of {} bytes", id.len()),
            )
            .await;
        }
    }

    // Unknown users.
    err(
        b.im.set_profile(&SetProfile::new("nobody").nickname("N"))
            .await,
        ErrorKind::NotFound,
        "set the profile of an unknown user",
    );
    if !caps.users.local_tokens {
        err(
            b.im.issue_token(&IssueToken::new("nobody")).await,
            ErrorKind::NotFound,
            "issue a token for an unknown user",
        );
    }

    // A duplicate group id.
    if caps.groups.custom_ids && caps.groups.rejects_taken_ids {
        let req = CreateGroup::new("Dup").group_id("dup-1").owner("judy");
        create(&b, &req).await;
        err(
            b.im.create_group(&req).await,
            ErrorKind::AlreadyExists,
            "create the same group id twice",
        );
        assert_eq!(
            b.group("dup-1").map(|g| g.members),
            Some(members(&["judy"]))
        );
    }
}

// ---------------------------------------------------------------------------------------------
// 7. Concurrency.

/// 32 concurrent sends through one `Arc<dyn ImProvider>` all succeed and exactly 32 messages are
/// stored, one-to-one and in a group.
pub async fn concurrent_sends(b: Backend) {
    const N: usize = 32;
    register(&b, "kate").await;
    register(&b, "liam").await;
    let gid = create(
        &b,
        &group(&b, "busy-1", "Busy").owner("kate").member("liam"),
    )
    .await;

    for to_group in [false, true] {
        let handles: Vec<_> = (0..N)
            .map(|i| {
                let im = Arc::clone(&b.im);
                let content = MessageContent::text(format!("concurrent {i:02}"));
                let req = if to_group {
                    SendMessage::to_group("kate", &gid, content)
                } else {
                    SendMessage::to_user("kate", "liam", content)
                };
                tokio::spawn(async move { im.send_message(&req).await })
            })
            .collect();
        let mut ids = Vec::new();
        for h in handles {
            let receipt = ok(h.await.expect("send task"), "a concurrent send");
            assert!(!receipt.message_id.is_empty(), "receipt without id");
            ids.push(receipt.message_id);
        }
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), N, "receipts share message ids");

        let stored = if to_group {
            b.group_messages(&gid)
        } else {
            b.direct_messages()
        };
        assert_eq!(stored.len(), N, "stored messages (group: {to_group})");
        for i in 0..N {
            let text = format!("concurrent {i:02}");
            assert!(
                stored.iter().any(|m| m.payload.contains(&text)),
                "`{text}` was not stored (group: {to_group})"
            );
        }
    }
}
