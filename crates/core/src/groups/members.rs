//! Group membership: adding, removing, listing, muting.

use std::time::{Duration, SystemTime};

use super::page_request;
use crate::CallOptions;
use crate::options::call_options;

/// A member's role in a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum MemberRole {
    /// The owner.
    Owner,
    /// An admin.
    Admin,
    /// An ordinary member.
    Member,
}

/// One member of a group.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct GroupMember {
    /// The member.
    pub user_id: String,
    /// Their role, when the vendor says.
    pub role: Option<MemberRole>,
    /// When they joined, when the vendor says (serialized as Unix seconds).
    #[cfg_attr(feature = "serde", serde(with = "crate::serde_secs::option_time"))]
    pub joined_at: Option<SystemTime>,
    /// When their mute ends, if they are muted and the vendor says (serialized as Unix seconds).
    #[cfg_attr(feature = "serde", serde(with = "crate::serde_secs::option_time"))]
    pub muted_until: Option<SystemTime>,
}

impl GroupMember {
    /// `user_id`, with nothing else known.
    pub fn new(user_id: impl Into<String>) -> Self {
        GroupMember {
            user_id: user_id.into(),
            role: None,
            joined_at: None,
            muted_until: None,
        }
    }
}

/// What adding one user did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum MemberAddition {
    /// The user is a member now.
    Added,
    /// The user was a member already.
    AlreadyMember,
    /// The user was invited and must accept, or an admin must approve.
    Pending,
}

/// One user of an [`AddGroupMembers`] call.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct AddedMember {
    /// The user.
    pub user_id: String,
    /// What adding them did.
    pub outcome: MemberAddition,
}

impl AddedMember {
    /// `user_id` with `outcome`.
    pub fn new(user_id: impl Into<String>, outcome: MemberAddition) -> Self {
        AddedMember {
            user_id: user_id.into(),
            outcome,
        }
    }
}

/// Declares a request naming one group and a list of users.
macro_rules! group_users_request {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
        #[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
        #[non_exhaustive]
        pub struct $name {
            /// The group.
            pub group_id: String,
            /// The users, in order.
            pub user_ids: Vec<String>,
            /// Options for this call.
            #[cfg_attr(feature = "serde", serde(skip))]
            pub options: CallOptions,
        }

        impl $name {
            /// A request about these users of `group_id`.
            pub fn new<I, S>(group_id: impl Into<String>, user_ids: I) -> Self
            where
                I: IntoIterator<Item = S>,
                S: Into<String>,
            {
                $name {
                    group_id: group_id.into(),
                    user_ids: user_ids.into_iter().map(Into::into).collect(),
                    options: CallOptions::new(),
                }
            }
        }
    };
}

group_users_request!(
    /// Add users to a group; the backend splits the list into the vendor's per-call size.
    AddGroupMembers
);
group_users_request!(
    /// Remove users from a group.
    RemoveGroupMembers
);

/// Mute members of a group for a while; a zero duration unmutes them.
///
/// ```
/// use std::time::Duration;
/// use imbridge_core::MuteGroupMembers;
///
/// let req = MuteGroupMembers::new("g1", ["spammer"], Duration::from_secs(600));
/// assert!(!req.is_unmute());
/// assert!(MuteGroupMembers::unmute("g1", ["spammer"]).is_unmute());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub struct MuteGroupMembers {
    /// The group.
    pub group_id: String,
    /// The members.
    pub user_ids: Vec<String>,
    /// How long they stay muted (zero: unmute). Tencent counts seconds; RongCloud whole
    /// minutes up to 30 days: what a vendor cannot express is refused before sending.
    #[cfg_attr(
        feature = "serde",
        serde(rename = "seconds", with = "crate::serde_secs")
    )]
    pub duration: Duration,
    /// Options for this call.
    #[cfg_attr(feature = "serde", serde(skip))]
    pub options: CallOptions,
}

impl MuteGroupMembers {
    /// Mutes these members of `group_id` for `duration`.
    pub fn new<I, S>(group_id: impl Into<String>, user_ids: I, duration: Duration) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        MuteGroupMembers {
            group_id: group_id.into(),
            user_ids: user_ids.into_iter().map(Into::into).collect(),
            duration,
            options: CallOptions::new(),
        }
    }

    /// Unmutes these members.
    pub fn unmute<I, S>(group_id: impl Into<String>, user_ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        MuteGroupMembers::new(group_id, user_ids, Duration::ZERO)
    }

    /// Whether this lifts the mute.
    pub fn is_unmute(&self) -> bool {
        self.duration.is_zero()
    }
}

/// A muted member.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct MutedMember {
    /// The member.
    pub user_id: String,
    /// When the mute ends, when the vendor says (serialized as Unix seconds).
    #[cfg_attr(feature = "serde", serde(with = "crate::serde_secs::option_time"))]
    pub until: Option<SystemTime>,
}

impl MutedMember {
    /// `user_id` muted until `until`.
    pub fn new(user_id: impl Into<String>, until: Option<SystemTime>) -> Self {
        MutedMember {
            user_id: user_id.into(),
            until,
        }
    }
}

page_request!(
    /// List a group's members, a page at a time.
    ListGroupMembers {
        /// The group.
        group_id: String,
    }
);

impl ListGroupMembers {
    /// The first page of `group_id`'s members.
    pub fn new(group_id: impl Into<String>) -> Self {
        ListGroupMembers {
            group_id: group_id.into(),
            limit: None,
            cursor: None,
            options: CallOptions::new(),
        }
    }
}

page_request!(
    /// List the groups a user belongs to, a page at a time.
    ListJoinedGroups {
        /// The user.
        user_id: String,
    }
);

impl ListJoinedGroups {
    /// The first page of `user_id`'s groups.
    pub fn new(user_id: impl Into<String>) -> Self {
        ListJoinedGroups {
            user_id: user_id.into(),
            limit: None,
            cursor: None,
            options: CallOptions::new(),
        }
    }
}

/// List the members muted in a group (one page: the vendors return them all at once).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub struct ListMutedMembers {
    /// The group.
    pub group_id: String,
    /// Options for this call.
    #[cfg_attr(feature = "serde", serde(skip))]
    pub options: CallOptions,
}

impl ListMutedMembers {
    /// The muted members of `group_id`.
    pub fn new(group_id: impl Into<String>) -> Self {
        ListMutedMembers {
            group_id: group_id.into(),
            options: CallOptions::new(),
        }
    }
}

call_options!(
    AddGroupMembers,
    RemoveGroupMembers,
    MuteGroupMembers,
    ListMutedMembers
);
