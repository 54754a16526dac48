//! What a backend supports.

use std::time::Duration;

use crate::GroupKind;

/// What a backend supports, so callers can choose at run time instead of failing at the vendor.
///
/// Calls that need a capability a backend lacks fail with
/// [`ErrorKind::Unsupported`](crate::ErrorKind::Unsupported) before anything is sent.
///
/// ```
/// use imbridge_core::{Capabilities, GroupKind};
///
/// let mut caps = Capabilities::default();
/// assert!(!caps.supports_group_kind(GroupKind::Public));
/// caps.group_kinds = vec![GroupKind::Public];
/// assert!(caps.supports_group_kind(GroupKind::Public));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct Capabilities {
    /// Client tokens are made locally, without a network call.
    pub local_tokens: bool,
    /// Client tokens expire, and [`ClientToken::expires_at`](crate::ClientToken::expires_at) says when.
    pub token_expiry: bool,
    /// The caller can choose a token's lifetime; the range allowed, when there is one.
    pub token_ttl: Option<(Duration, Duration)>,
    /// The vendor generates a group id when the caller gives none.
    pub server_generated_group_ids: bool,
    /// The backend generates a group id itself when the caller gives none, because the vendor
    /// needs one (RongCloud); the id is returned in [`CreatedGroup`](crate::CreatedGroup).
    pub client_generated_group_ids: bool,
    /// The caller can choose a group's id.
    pub custom_group_ids: bool,
    /// Creating a group with an id that is taken fails with
    /// [`ErrorKind::AlreadyExists`](crate::ErrorKind::AlreadyExists).
    pub rejects_taken_group_ids: bool,
    /// Sending to a user who is not registered fails with
    /// [`ErrorKind::NotFound`](crate::ErrorKind::NotFound) (some vendors accept it).
    pub rejects_unknown_recipients: bool,
    /// The group kinds the vendor has.
    pub group_kinds: Vec<GroupKind>,
    /// The most initial members one create-group call takes.
    pub max_initial_group_members: usize,
    /// Profile fields beyond nickname and avatar (gender, birthday, location, signature, …).
    pub extended_profile: bool,
    /// App-defined profile fields.
    pub custom_profile_fields: bool,
    /// One-to-one messages.
    pub direct_messages: bool,
    /// Group messages.
    pub group_messages: bool,
    /// App-defined (custom) message payloads.
    pub custom_messages: bool,
    /// The vendor de-duplicates a resent message with the same de-duplication key.
    pub message_dedup: bool,
    /// The largest message content, in bytes, the vendor accepts.
    pub max_message_bytes: usize,
}

impl Capabilities {
    /// Whether groups of `kind` can be created.
    pub fn supports_group_kind(&self, kind: GroupKind) -> bool {
        self.group_kinds.contains(&kind)
    }
}
