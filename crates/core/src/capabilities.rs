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
    /// A call naming an unregistered user (a message's recipient or sender, a group's initial
    /// member) or a missing group (a group message) fails with
    /// [`ErrorKind::NotFound`](crate::ErrorKind::NotFound). Vendors without it accept such
    /// calls: RongCloud creates the group or stores the message anyway.
    pub rejects_unknown_ids: bool,
    /// The group kinds the vendor has.
    pub group_kinds: Vec<GroupKind>,
    /// The most initial members, besides the owner, one create-group call takes.
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
    /// The largest message, in bytes, as the vendor counts it: the encoded message (Tencent:
    /// the JSON of `MsgBody`; RongCloud: the `content` JSON string), so the text or payload
    /// itself must be somewhat smaller. Larger messages are refused before sending.
    pub max_message_bytes: usize,
}

impl Capabilities {
    /// What both `self` and `other` support: flags AND-ed, limits and ranges narrowed, group
    /// kinds in both. For providers that send to two vendors at once.
    ///
    /// ```
    /// use imbridge_core::{Capabilities, GroupKind};
    ///
    /// let mut a = Capabilities::default();
    /// a.direct_messages = true;
    /// a.group_kinds = vec![GroupKind::Public, GroupKind::Work];
    /// a.max_message_bytes = 12 * 1024;
    /// let mut b = a.clone();
    /// b.group_kinds = vec![GroupKind::Public];
    /// b.max_message_bytes = 128 * 1024;
    /// let both = a.intersect(&b);
    /// assert!(both.direct_messages);
    /// assert_eq!(both.group_kinds, [GroupKind::Public]);
    /// assert_eq!(both.max_message_bytes, 12 * 1024);
    /// ```
    pub fn intersect(&self, other: &Capabilities) -> Capabilities {
        let token_ttl = match (self.token_ttl, other.token_ttl) {
            (Some((a0, a1)), Some((b0, b1))) if a0.max(b0) <= a1.min(b1) => {
                Some((a0.max(b0), a1.min(b1)))
            }
            _ => None,
        };
        Capabilities {
            local_tokens: self.local_tokens && other.local_tokens,
            token_expiry: self.token_expiry && other.token_expiry,
            token_ttl,
            server_generated_group_ids: self.server_generated_group_ids
                && other.server_generated_group_ids,
            client_generated_group_ids: self.client_generated_group_ids
                || other.client_generated_group_ids,
            custom_group_ids: self.custom_group_ids && other.custom_group_ids,
            rejects_taken_group_ids: self.rejects_taken_group_ids && other.rejects_taken_group_ids,
            rejects_unknown_ids: self.rejects_unknown_ids && other.rejects_unknown_ids,
            group_kinds: self
                .group_kinds
                .iter()
                .copied()
                .filter(|k| other.group_kinds.contains(k))
                .collect(),
            max_initial_group_members: self
                .max_initial_group_members
                .min(other.max_initial_group_members),
            extended_profile: self.extended_profile && other.extended_profile,
            custom_profile_fields: self.custom_profile_fields && other.custom_profile_fields,
            direct_messages: self.direct_messages && other.direct_messages,
            group_messages: self.group_messages && other.group_messages,
            custom_messages: self.custom_messages && other.custom_messages,
            message_dedup: self.message_dedup && other.message_dedup,
            max_message_bytes: self.max_message_bytes.min(other.max_message_bytes),
        }
    }

    /// Every capability as a stable `snake_case` name and a printable value, in declaration
    /// order; for capability matrices.
    ///
    /// ```
    /// let rows = imbridge_core::Capabilities::default().describe();
    /// assert_eq!(rows[0], ("local_tokens", "no".to_owned()));
    /// ```
    pub fn describe(&self) -> Vec<(&'static str, String)> {
        let yes = |b: bool| if b { "yes" } else { "no" }.to_owned();
        let ttl = match self.token_ttl {
            Some((min, max)) => format!("{}s..{}s", min.as_secs(), max.as_secs()),
            None => "no".to_owned(),
        };
        let kinds: Vec<&str> = self.group_kinds.iter().map(|k| k.as_str()).collect();
        vec![
            ("local_tokens", yes(self.local_tokens)),
            ("token_expiry", yes(self.token_expiry)),
            ("token_ttl", ttl),
            (
                "server_generated_group_ids",
                yes(self.server_generated_group_ids),
            ),
            (
                "client_generated_group_ids",
                yes(self.client_generated_group_ids),
            ),
            ("custom_group_ids", yes(self.custom_group_ids)),
            ("rejects_taken_group_ids", yes(self.rejects_taken_group_ids)),
            ("rejects_unknown_ids", yes(self.rejects_unknown_ids)),
            ("group_kinds", kinds.join(", ")),
            (
                "max_initial_group_members",
                self.max_initial_group_members.to_string(),
            ),
            ("extended_profile", yes(self.extended_profile)),
            ("custom_profile_fields", yes(self.custom_profile_fields)),
            ("direct_messages", yes(self.direct_messages)),
            ("group_messages", yes(self.group_messages)),
            ("custom_messages", yes(self.custom_messages)),
            ("message_dedup", yes(self.message_dedup)),
            ("max_message_bytes", self.max_message_bytes.to_string()),
        ]
    }

    /// Whether groups of `kind` can be created.
    pub fn supports_group_kind(&self, kind: GroupKind) -> bool {
        self.group_kinds.contains(&kind)
    }
}
