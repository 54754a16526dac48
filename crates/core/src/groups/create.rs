//! Creating groups, and the kinds of group.

use std::fmt;

use crate::CallOptions;
use crate::options::call_options;

/// The kind of a group, which decides its rules (who may join, history, size).
///
/// Not every vendor has every kind; see [`GroupCapabilities::kinds`](crate::GroupCapabilities::kinds).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum GroupKind {
    /// Anyone may find it and ask to join (Tencent `Public`).
    #[default]
    Public,
    /// Members are invited; like a work group chat (Tencent `Work`, formerly `Private`).
    Work,
    /// Join and leave freely; for meetings (Tencent `Meeting`, formerly `ChatRoom`).
    Meeting,
    /// Large audio/video chat room without a member list (Tencent `AVChatRoom`).
    AvChatRoom,
    /// A community with topics (Tencent `Community`).
    Community,
}

impl GroupKind {
    /// All kinds, in declaration order.
    pub const ALL: [GroupKind; 5] = [
        GroupKind::Public,
        GroupKind::Work,
        GroupKind::Meeting,
        GroupKind::AvChatRoom,
        GroupKind::Community,
    ];

    /// A stable lower-case name (`"av_chat_room"`).
    pub const fn as_str(self) -> &'static str {
        match self {
            GroupKind::Public => "public",
            GroupKind::Work => "work",
            GroupKind::Meeting => "meeting",
            GroupKind::AvChatRoom => "av_chat_room",
            GroupKind::Community => "community",
        }
    }

    /// Parses [`GroupKind::as_str`] names, case-insensitively; `-` and `_` are interchangeable.
    pub fn parse(name: &str) -> Option<GroupKind> {
        let wanted = name.trim().to_ascii_lowercase().replace('-', "_");
        GroupKind::ALL
            .into_iter()
            .find(|k| k.as_str() == wanted || k.as_str().replace('_', "") == wanted)
    }
}

impl fmt::Display for GroupKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Create a group, optionally with a caller-chosen id and initial members.
///
/// ```
/// use imbridge_core::{CreateGroup, GroupKind};
///
/// let req = CreateGroup::new("MyFirstGroup")
///     .owner("lilei")
///     .kind(GroupKind::Public)
///     .member("hanmeimei");
/// assert_eq!(req.members, ["hanmeimei"]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub struct CreateGroup {
    /// The group's display name.
    pub name: String,
    /// The group's kind.
    #[cfg_attr(feature = "serde", serde(default))]
    pub kind: GroupKind,
    /// The owner; `None` lets the vendor decide (Tencent: the app admin owns it).
    pub owner: Option<String>,
    /// A caller-chosen group id; `None` lets the vendor (or the backend) generate one.
    pub group_id: Option<String>,
    /// Initial members besides the owner.
    #[cfg_attr(feature = "serde", serde(default))]
    pub members: Vec<String>,
    /// Introduction text.
    pub introduction: Option<String>,
    /// Notice shown to members.
    pub notification: Option<String>,
    /// Group avatar URL.
    pub avatar_url: Option<String>,
    /// Maximum number of members, where the vendor lets the caller choose.
    pub max_members: Option<u32>,
    /// Options for this call.
    #[cfg_attr(feature = "serde", serde(skip))]
    pub options: CallOptions,
}

impl CreateGroup {
    /// A public group named `name` with no owner, id or members set.
    pub fn new(name: impl Into<String>) -> Self {
        CreateGroup {
            name: name.into(),
            kind: GroupKind::default(),
            owner: None,
            group_id: None,
            members: Vec::new(),
            introduction: None,
            notification: None,
            avatar_url: None,
            max_members: None,
            options: CallOptions::new(),
        }
    }

    /// Sets the kind.
    pub fn kind(mut self, kind: GroupKind) -> Self {
        self.kind = kind;
        self
    }

    /// Sets the owner.
    pub fn owner(mut self, owner: impl Into<String>) -> Self {
        self.owner = Some(owner.into());
        self
    }

    /// Sets a caller-chosen group id.
    pub fn group_id(mut self, group_id: impl Into<String>) -> Self {
        self.group_id = Some(group_id.into());
        self
    }

    /// Adds one initial member.
    pub fn member(mut self, user_id: impl Into<String>) -> Self {
        self.members.push(user_id.into());
        self
    }

    /// Adds initial members.
    pub fn members<I, S>(mut self, user_ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.members.extend(user_ids.into_iter().map(Into::into));
        self
    }

    /// Sets the introduction.
    pub fn introduction(mut self, text: impl Into<String>) -> Self {
        self.introduction = Some(text.into());
        self
    }

    /// Sets the notification.
    pub fn notification(mut self, text: impl Into<String>) -> Self {
        self.notification = Some(text.into());
        self
    }

    /// Sets the avatar URL.
    pub fn avatar_url(mut self, url: impl Into<String>) -> Self {
        self.avatar_url = Some(url.into());
        self
    }

    /// Sets the maximum number of members.
    pub fn max_members(mut self, max: u32) -> Self {
        self.max_members = Some(max);
        self
    }
}

/// The result of [`Groups::create_group`](crate::Groups::create_group).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct CreatedGroup {
    /// The id of the new group (the caller's, or the one the vendor generated).
    pub group_id: String,
}

impl CreatedGroup {
    /// A result for `group_id`.
    pub fn new(group_id: impl Into<String>) -> Self {
        CreatedGroup {
            group_id: group_id.into(),
        }
    }
}

call_options!(CreateGroup);
