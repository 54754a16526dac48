//! Cross-vendor conformance: the same scenarios against every backend compiled into the facade,
//! each on its own local emulator, through `imbridge::connect` and `Arc<dyn ImProvider>` only.
//!
//! What each scenario checks is chosen by the provider's `Capabilities`, never by vendor name.
//! A failure names the vendor(s) it happened on. Run with any feature set:
//!
//! ```text
//! cargo test -p imbridge --test conformance
//! cargo test -p imbridge --no-default-features --features tencent --test conformance
//! cargo test -p imbridge --no-default-features --features rongcloud --test conformance
//! ```
//!
//! Layout: `conformance/backend.rs` (the emulator, the configuration and the vendor-neutral views
//! of what the emulator stored), `conformance/harness.rs` (running a scenario on every backend,
//! shared assertions), `conformance/scenarios.rs` (the scenarios).

#[path = "conformance/backend.rs"]
mod backend;
#[path = "conformance/harness.rs"]
mod harness;
#[path = "conformance/scenarios.rs"]
mod scenarios;

/// One `#[tokio::test]` per scenario, running it on every compiled-in backend.
macro_rules! conformance {
    ($($(#[$meta:meta])* $name:ident),* $(,)?) => {$(
        $(#[$meta])*
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $name() {
            harness::run(stringify!($name), scenarios::$name).await;
        }
    )*};
}

conformance! {
    seed_walkthrough,
    tokens,
    profiles,
    groups,
    groups_with_unregistered_member,
    messages,
    messages_to_unknown_group,
    error_paths,
    concurrent_sends,
    groups_too_many_members,
    registration_is_idempotent,
    groups_owner_plus_max_members,
    messages_near_max_bytes,
    messages_from_unknown_sender,
}
