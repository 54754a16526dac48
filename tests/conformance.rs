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
//! shared assertions), `conformance/scenarios.rs` (the first five operations' scenarios),
//! `conformance/users.rs` (the users and profiles families, read back through the SDK's own
//! read operations) and `conformance/unsupported.rs` (every operation a backend lacks is
//! refused, nothing sent).

#[path = "conformance/backend.rs"]
mod backend;
#[path = "conformance/groups.rs"]
mod groups;
#[path = "conformance/harness.rs"]
mod harness;
#[path = "conformance/messages_family.rs"]
mod messages_family;
#[path = "conformance/scenarios.rs"]
mod scenarios;
#[path = "conformance/unsupported.rs"]
mod unsupported;
#[path = "conformance/users.rs"]
mod users;

/// One `#[tokio::test]` per scenario, running it on every compiled-in backend.
macro_rules! conformance {
    ($($(#[$meta:meta])* $module:ident::$name:ident),* $(,)?) => {$(
        $(#[$meta])*
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $name() {
            harness::run(stringify!($name), $module::$name).await;
        }
    )*};
}

conformance! {
    scenarios::seed_walkthrough,
    scenarios::tokens,
    scenarios::profiles,
    scenarios::groups,
    scenarios::groups_with_unregistered_member,
    scenarios::messages,
    scenarios::messages_to_unknown_group,
    scenarios::error_paths,
    scenarios::concurrent_sends,
    scenarios::groups_too_many_members,
    scenarios::registration_is_idempotent,
    scenarios::groups_owner_plus_max_members,
    scenarios::messages_near_max_bytes,
    scenarios::messages_from_unknown_sender,
    users::users_register_and_read_back,
    users::users_large_batches,
    users::users_logout_and_delete,
    users::users_login_bans,
    users::users_bad_input,
    unsupported::unsupported_operations,
    messages_family::messages_history_and_recall,
    messages_family::messages_group_history,
    messages_family::messages_batch,
    messages_family::messages_import,
}

/// The groups scenarios, on every group model (RongCloud's hosted groups too).
macro_rules! group_conformance {
    ($($name:ident),* $(,)?) => {$(
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $name() {
            harness::run_group_models(stringify!($name), groups::$name).await;
        }
    )*};
}

group_conformance! {
    groups_membership,
    groups_profiles_and_owners,
    groups_mutes,
    groups_dismiss,
}
