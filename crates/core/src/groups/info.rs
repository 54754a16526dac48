//! Groups as a whole: reading, listing, changing, dismissing, transferring, muting everyone.

use std::time::SystemTime;

use super::{GroupKind, page_request};
use crate::CallOptions;
use crate::options::call_options;

/// Who may join a group without an invitation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum JoinOption {
    /// Anyone may join (Tencent `FreeAccess`).
    FreeAccess,
    /// A request to join needs an admin's approval (Tencent `NeedPermission`).
    NeedPermission,
    /// No one may ask to join (Tencent `DisableApply`).
    DisableApply,
}

/// What a vendor says about a group; fields it does not keep are `None`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct GroupInfo {
    /// The group's id.
    pub group_id: String,
    /// Its display name.
    pub name: Option<String>,
    /// Its kind.
    pub kind: Option<GroupKind>,
    /// Its owner.
    pub owner: Option<String>,
    /// Introduction text.
    pub introduction: Option<String>,
    /// Notice shown to members.
    pub notification: Option<String>,
    /// Avatar URL.
    pub avatar_url: Option<String>,
    /// The most members it may have.
    pub max_members: Option<u32>,
    /// How many members it has.
    pub member_count: Option<u32>,
    /// When it was created (serialized as Unix seconds).
    #[cfg_attr(feature = "serde", serde(with = "crate::serde_secs::option_time"))]
    pub created_at: Option<SystemTime>,
    /// Whether everyone is muted.
    pub mute_all: Option<bool>,
    /// Who may join.
    pub join_option: Option<JoinOption>,
}

impl GroupInfo {
    /// What is known of `group_id`: nothing yet.
    pub fn new(group_id: impl Into<String>) -> Self {
        GroupInfo {
            group_id: group_id.into(),
            ..GroupInfo::default()
        }
    }
}

/// Read several groups.
///
/// ```
/// use imbridge_core::GetGroups;
///
/// assert_eq!(GetGroups::new(["g1", "g2"]).group_ids.len(), 2);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub struct GetGroups {
    /// The groups, in order.
    pub group_ids: Vec<String>,
    /// Options for this call.
    #[cfg_attr(feature = "serde", serde(skip))]
    pub options: CallOptions,
}

impl GetGroups {
    /// Reads these groups.
    pub fn new<I, S>(group_ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        GetGroups {
            group_ids: group_ids.into_iter().map(Into::into).collect(),
            options: CallOptions::new(),
        }
    }
}

page_request!(
    /// List the ids of every group of the app, a page at a time.
    ListGroups {}
);

impl ListGroups {
    /// The first page, of the backend's default size.
    pub fn new() -> Self {
        ListGroups {
            limit: None,
            cursor: None,
            options: CallOptions::new(),
        }
    }
}

impl Default for ListGroups {
    fn default() -> Self {
        ListGroups::new()
    }
}

/// Change some of a group's profile fields; fields left `None` stay as they are.
///
/// ```
/// use imbridge_core::{JoinOption, UpdateGroup};
///
/// let req = UpdateGroup::new("g1").name("Team").join_option(JoinOption::NeedPermission);
/// assert!(!req.is_empty());
/// assert!(UpdateGroup::new("g1").is_empty());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub struct UpdateGroup {
    /// The group.
    pub group_id: String,
    /// A new display name.
    #[cfg_attr(feature = "serde", serde(default))]
    pub name: Option<String>,
    /// A new introduction.
    #[cfg_attr(feature = "serde", serde(default))]
    pub introduction: Option<String>,
    /// A new notice.
    #[cfg_attr(feature = "serde", serde(default))]
    pub notification: Option<String>,
    /// A new avatar URL.
    #[cfg_attr(feature = "serde", serde(default))]
    pub avatar_url: Option<String>,
    /// A new member limit.
    #[cfg_attr(feature = "serde", serde(default))]
    pub max_members: Option<u32>,
    /// Who may join.
    #[cfg_attr(feature = "serde", serde(default))]
    pub join_option: Option<JoinOption>,
    /// Options for this call.
    #[cfg_attr(feature = "serde", serde(skip))]
    pub options: CallOptions,
}

impl UpdateGroup {
    /// A change of `group_id` that changes nothing yet.
    pub fn new(group_id: impl Into<String>) -> Self {
        UpdateGroup {
            group_id: group_id.into(),
            name: None,
            introduction: None,
            notification: None,
            avatar_url: None,
            max_members: None,
            join_option: None,
            options: CallOptions::new(),
        }
    }

    /// Sets the name.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Sets the introduction.
    pub fn introduction(mut self, text: impl Into<String>) -> Self {
        self.introduction = Some(text.into());
        self
    }

    /// Sets the notice.
    pub fn notification(mut self, text: impl Into<String>) -> Self {
        self.notification = Some(text.into());
        self
    }

    /// Sets the avatar URL.
    pub fn avatar_url(mut self, url: impl Into<String>) -> Self {
        self.avatar_url = Some(url.into());
        self
    }

    /// Sets the member limit.
    pub fn max_members(mut self, max: u32) -> Self {
        self.max_members = Some(max);
        self
    }

    /// Sets who may join.
    pub fn join_option(mut self, option: JoinOption) -> Self {
        self.join_option = Some(option);
        self
    }

    /// Whether the request changes nothing.
    pub fn is_empty(&self) -> bool {
        self.name.is_none() && !self.changes_profile()
    }

    /// Whether it changes anything beyond the name.
    pub fn changes_profile(&self) -> bool {
        self.introduction.is_some()
            || self.notification.is_some()
            || self.avatar_url.is_some()
            || self.max_members.is_some()
            || self.join_option.is_some()
    }
}

/// Dismiss (delete) a group. RongCloud's basic groups need a user id as the operator: this
/// request's, else the client's configured default.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub struct DismissGroup {
    /// The group.
    pub group_id: String,
    /// The user who dismisses it, where the vendor needs one.
    #[cfg_attr(feature = "serde", serde(default))]
    pub operator: Option<String>,
    /// Options for this call.
    #[cfg_attr(feature = "serde", serde(skip))]
    pub options: CallOptions,
}

impl DismissGroup {
    /// Dismisses `group_id`.
    pub fn new(group_id: impl Into<String>) -> Self {
        DismissGroup {
            group_id: group_id.into(),
            operator: None,
            options: CallOptions::new(),
        }
    }

    /// Sets the operator.
    pub fn operator(mut self, user_id: impl Into<String>) -> Self {
        self.operator = Some(user_id.into());
        self
    }
}

/// Make another member a group's owner.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub struct TransferGroup {
    /// The group.
    pub group_id: String,
    /// The new owner (a member).
    pub new_owner: String,
    /// Options for this call.
    #[cfg_attr(feature = "serde", serde(skip))]
    pub options: CallOptions,
}

impl TransferGroup {
    /// Makes `new_owner` the owner of `group_id`.
    pub fn new(group_id: impl Into<String>, new_owner: impl Into<String>) -> Self {
        TransferGroup {
            group_id: group_id.into(),
            new_owner: new_owner.into(),
            options: CallOptions::new(),
        }
    }
}

/// Mute or unmute a whole group.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub struct SetGroupMuteAll {
    /// The group.
    pub group_id: String,
    /// `true` mutes everyone, `false` lifts it.
    pub on: bool,
    /// Options for this call.
    #[cfg_attr(feature = "serde", serde(skip))]
    pub options: CallOptions,
}

impl SetGroupMuteAll {
    /// Mutes (`on`) or unmutes `group_id`.
    pub fn new(group_id: impl Into<String>, on: bool) -> Self {
        SetGroupMuteAll {
            group_id: group_id.into(),
            on,
            options: CallOptions::new(),
        }
    }
}

call_options!(
    GetGroups,
    UpdateGroup,
    DismissGroup,
    TransferGroup,
    SetGroupMuteAll
);
