//! The groups family: creating groups, their profiles and owners, membership, muting, and
//! listing groups and members a page at a time.

mod create;
mod info;
mod members;

use async_trait::async_trait;

pub use create::{CreateGroup, CreatedGroup, GroupKind};
pub use info::{
    DismissGroup, GetGroups, GroupInfo, JoinOption, ListGroups, SetGroupMuteAll, TransferGroup,
    UpdateGroup,
};
pub use members::{
    AddGroupMembers, AddedMember, GroupMember, ListGroupMembers, ListJoinedGroups,
    ListMutedMembers, MemberAddition, MemberRole, MuteGroupMembers, MutedMember,
    RemoveGroupMembers,
};

use crate::{Batch, Page, Result};

/// Declares a request for one page of a listing: `limit`, `cursor`, `options`, the builders
/// and [`PageRequest`](crate::PageRequest), besides the fields given.
macro_rules! page_request {
    ($(#[$doc:meta])* $name:ident { $( $(#[$fdoc:meta])* $field:ident: $ty:ty ),* $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
        #[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
        #[non_exhaustive]
        pub struct $name {
            $( $(#[$fdoc])* pub $field: $ty, )*
            /// The most items per page (the backend's default when `None`).
            #[cfg_attr(feature = "serde", serde(default))]
            pub limit: Option<u32>,
            /// Where to start; `None` for the first page.
            #[cfg_attr(feature = "serde", serde(default))]
            pub cursor: Option<crate::Cursor>,
            /// Options for this call.
            #[cfg_attr(feature = "serde", serde(skip))]
            pub options: crate::CallOptions,
        }

        impl $name {
            /// Sets the page size.
            pub fn limit(mut self, limit: u32) -> Self {
                self.limit = Some(limit);
                self
            }

            /// Starts at `cursor` (from the previous page's [`Page::next`](crate::Page::next)).
            pub fn cursor(mut self, cursor: crate::Cursor) -> Self {
                self.cursor = Some(cursor);
                self
            }
        }

        impl crate::PageRequest for $name {
            fn cursor(&self) -> Option<&crate::Cursor> {
                self.cursor.as_ref()
            }

            fn set_cursor(&mut self, cursor: Option<crate::Cursor>) {
                self.cursor = cursor;
            }
        }

        crate::options::call_options!($name);
    };
}
pub(crate) use page_request;

/// The groups family. Reached through [`ImProvider::groups`](crate::Families::groups).
///
/// The vendors' group models differ: Tencent hosts the whole group (owner, roles, profile,
/// mute state); RongCloud's basic groups keep only membership and a push name, and its
/// profile-hosting service (an app setting, `rongcloud.group_mode = "hosted"`) adds owners,
/// profiles and paging. Operations a backend cannot do are refused as
/// [`Unsupported`](crate::ErrorKind::Unsupported) before anything is sent;
/// [`Capabilities`](crate::Capabilities) says which up front.
#[async_trait]
pub trait Groups: Send + Sync {
    /// Creates a group with its initial members and returns its id. With a caller-chosen id
    /// the call is safe to retry: a retry answered "id taken" reads the group and reports
    /// success when it is the one this call created (same owner and name).
    async fn create_group(&self, request: &CreateGroup) -> Result<CreatedGroup>;

    /// Reads several groups; an unknown group is a failed item
    /// ([`NotFound`](crate::ErrorKind::NotFound)).
    async fn get_groups(&self, request: &GetGroups) -> Result<Batch<GroupInfo>>;

    /// One page of the ids of every group of the app.
    async fn list_groups(&self, request: &ListGroups) -> Result<Page<String>>;

    /// Changes some of a group's profile fields.
    async fn update_group(&self, request: &UpdateGroup) -> Result<()>;

    /// Dismisses (deletes) a group.
    async fn dismiss_group(&self, request: &DismissGroup) -> Result<()>;

    /// Makes another member the group's owner.
    async fn transfer_group(&self, request: &TransferGroup) -> Result<()>;

    /// Adds members; each says whether it was added, was a member already, or awaits
    /// approval.
    async fn add_group_members(&self, request: &AddGroupMembers) -> Result<Batch<AddedMember>>;

    /// Removes members; the removed ids succeed.
    async fn remove_group_members(&self, request: &RemoveGroupMembers) -> Result<Batch<String>>;

    /// One page of a group's members, with role and join time where the vendor gives them.
    async fn list_group_members(&self, request: &ListGroupMembers) -> Result<Page<GroupMember>>;

    /// One page of the ids of the groups a user belongs to.
    async fn list_joined_groups(&self, request: &ListJoinedGroups) -> Result<Page<String>>;

    /// Mutes members for a while (a zero duration unmutes them); the ids succeed.
    async fn mute_group_members(&self, request: &MuteGroupMembers) -> Result<Batch<String>>;

    /// The members muted now, with when their mute ends.
    async fn list_muted_members(&self, request: &ListMutedMembers) -> Result<Page<MutedMember>>;

    /// Mutes or unmutes the whole group (the owner and admins can still speak where the
    /// vendor says so).
    async fn set_group_mute_all(&self, request: &SetGroupMuteAll) -> Result<()>;
}
