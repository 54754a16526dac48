//! The operation registry: every operation imbridge offers, listed once.
//!
//! An operation's canonical snake_case name is the trait method's name, the CLI's
//! `imbridge call` name, the `operation` field of tracing spans and errors, the key of its rate
//! limit in the configuration, and its row in the docs, so one grep finds it in every layer.
//! Each operation belongs to a [`Family`] (the trait that holds its method, reached through an
//! accessor such as `im.users()`) and has an [`Access`] (whether it changes state), which the
//! wrappers use to decide what to mirror or send elsewhere.
//!
//! ```
//! use imbridge_core::{Access, Family, Operation};
//!
//! let op = Operation::from_name("query_online").unwrap();
//! assert_eq!(op, Operation::QueryOnline);
//! assert_eq!(op.family(), Some(Family::Users));
//! assert_eq!(op.access(), Access::Read);
//! assert!(Operation::ALL.iter().all(|op| Operation::from_name(op.as_str()) == Some(*op)));
//! ```

use std::fmt;

/// A family of operations: one trait, reached through one accessor of
/// [`ImProvider`](crate::ImProvider).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Family {
    /// Accounts, tokens, presence and login bans: [`Users`](crate::Users).
    Users,
    /// User profiles: [`Profiles`](crate::Profiles).
    Profiles,
    /// Groups and their members: [`Groups`](crate::Groups).
    Groups,
    /// Sending and managing messages: [`Messages`](crate::Messages).
    Messages,
}

impl Family {
    /// Every family, in the order the docs list them.
    pub const ALL: [Family; 4] = [
        Family::Users,
        Family::Profiles,
        Family::Groups,
        Family::Messages,
    ];

    /// The lower-case name, which is also the accessor's name (`"users"`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Family::Users => "users",
            Family::Profiles => "profiles",
            Family::Groups => "groups",
            Family::Messages => "messages",
        }
    }
}

impl fmt::Display for Family {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether an operation changes state at the vendor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Access {
    /// It only reads (or makes something locally): repeating it or sending it elsewhere is
    /// harmless, and a mirror asks only its primary.
    Read,
    /// It changes state: a mirror sends it to both vendors.
    Write,
}

impl Access {
    /// `"read"` or `"write"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Access::Read => "read",
            Access::Write => "write",
        }
    }
}

macro_rules! operations {
    ($( $(#[$doc:meta])* $variant:ident = $name:literal, $family:ident, $access:ident; )*) => {
        /// An operation of imbridge: what a request or an error belongs to.
        ///
        /// The list is the registry (see the [module docs](crate::ops)); [`Operation::Other`]
        /// names vendor-specific calls outside the common traits.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum Operation {
            $( $(#[$doc])* $variant, )*
            /// A vendor-specific call outside the common traits, named by the vendor crate.
            Other(&'static str),
        }

        impl Operation {
            /// Every operation of the common traits, family by family, in the docs' order.
            pub const ALL: &'static [Operation] = &[ $( Operation::$variant, )* ];

            /// The canonical snake_case name (`"send_message"`), or the vendor crate's own name
            /// for [`Operation::Other`].
            pub const fn as_str(self) -> &'static str {
                match self {
                    $( Operation::$variant => $name, )*
                    Operation::Other(name) => name,
                }
            }

            /// The family (trait) the operation belongs to; `None` for [`Operation::Other`].
            pub const fn family(self) -> Option<Family> {
                match self {
                    $( Operation::$variant => Some(Family::$family), )*
                    Operation::Other(_) => None,
                }
            }

            /// Whether the operation changes state; vendor-specific calls count as writes.
            pub const fn access(self) -> Access {
                match self {
                    $( Operation::$variant => Access::$access, )*
                    Operation::Other(_) => Access::Write,
                }
            }

            /// The operation with canonical name `name`.
            pub fn from_name(name: &str) -> Option<Operation> {
                match name {
                    $( $name => Some(Operation::$variant), )*
                    _ => None,
                }
            }

            /// The operation's position in [`Operation::ALL`]; `None` for [`Operation::Other`].
            pub fn index(self) -> Option<usize> {
                Operation::ALL.iter().position(|op| *op == self)
            }
        }
    };
}

operations! {
    /// [`Users::register_user`](crate::Users::register_user).
    RegisterUser = "register_user", Users, Write;
    /// [`Users::register_users`](crate::Users::register_users).
    RegisterUsers = "register_users", Users, Write;
    /// [`Users::issue_token`](crate::Users::issue_token).
    IssueToken = "issue_token", Users, Read;
    /// [`Users::delete_users`](crate::Users::delete_users).
    DeleteUsers = "delete_users", Users, Write;
    /// [`Users::check_users`](crate::Users::check_users).
    CheckUsers = "check_users", Users, Read;
    /// [`Users::query_online`](crate::Users::query_online).
    QueryOnline = "query_online", Users, Read;
    /// [`Users::force_logout`](crate::Users::force_logout).
    ForceLogout = "force_logout", Users, Write;
    /// [`Users::ban_users`](crate::Users::ban_users).
    BanUsers = "ban_users", Users, Write;
    /// [`Users::unban_users`](crate::Users::unban_users).
    UnbanUsers = "unban_users", Users, Write;
    /// [`Users::list_banned_users`](crate::Users::list_banned_users).
    ListBannedUsers = "list_banned_users", Users, Read;
    /// [`Profiles::set_profile`](crate::Profiles::set_profile).
    SetProfile = "set_profile", Profiles, Write;
    /// [`Profiles::get_profiles`](crate::Profiles::get_profiles).
    GetProfiles = "get_profiles", Profiles, Read;
    /// [`Groups::create_group`](crate::Groups::create_group).
    CreateGroup = "create_group", Groups, Write;
    /// [`Groups::get_groups`](crate::Groups::get_groups).
    GetGroups = "get_groups", Groups, Read;
    /// [`Groups::list_groups`](crate::Groups::list_groups).
    ListGroups = "list_groups", Groups, Read;
    /// [`Groups::update_group`](crate::Groups::update_group).
    UpdateGroup = "update_group", Groups, Write;
    /// [`Groups::dismiss_group`](crate::Groups::dismiss_group).
    DismissGroup = "dismiss_group", Groups, Write;
    /// [`Groups::transfer_group`](crate::Groups::transfer_group).
    TransferGroup = "transfer_group", Groups, Write;
    /// [`Groups::add_group_members`](crate::Groups::add_group_members).
    AddGroupMembers = "add_group_members", Groups, Write;
    /// [`Groups::remove_group_members`](crate::Groups::remove_group_members).
    RemoveGroupMembers = "remove_group_members", Groups, Write;
    /// [`Groups::list_group_members`](crate::Groups::list_group_members).
    ListGroupMembers = "list_group_members", Groups, Read;
    /// [`Groups::list_joined_groups`](crate::Groups::list_joined_groups).
    ListJoinedGroups = "list_joined_groups", Groups, Read;
    /// [`Groups::mute_group_members`](crate::Groups::mute_group_members).
    MuteGroupMembers = "mute_group_members", Groups, Write;
    /// [`Groups::list_muted_members`](crate::Groups::list_muted_members).
    ListMutedMembers = "list_muted_members", Groups, Read;
    /// [`Groups::set_group_mute_all`](crate::Groups::set_group_mute_all).
    SetGroupMuteAll = "set_group_mute_all", Groups, Write;
    /// [`Messages::send_message`](crate::Messages::send_message).
    SendMessage = "send_message", Messages, Write;
    /// [`Messages::send_batch`](crate::Messages::send_batch).
    SendBatch = "send_batch", Messages, Write;
    /// [`Messages::send_system_message`](crate::Messages::send_system_message).
    SendSystemMessage = "send_system_message", Messages, Write;
    /// [`Messages::recall_message`](crate::Messages::recall_message).
    RecallMessage = "recall_message", Messages, Write;
    /// [`Messages::message_history`](crate::Messages::message_history).
    MessageHistory = "message_history", Messages, Read;
    /// [`Messages::import_messages`](crate::Messages::import_messages).
    ImportMessages = "import_messages", Messages, Write;
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Operation {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for Operation {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let name = String::deserialize(d)?;
        Operation::from_name(&name)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown operation `{name}`")))
    }
}

/// A set of operations of the registry (vendor-specific calls are never members).
///
/// ```
/// use imbridge_core::{Operation, OperationSet};
///
/// let set = OperationSet::from_ops(&[Operation::SendMessage, Operation::BanUsers]);
/// assert!(set.contains(Operation::BanUsers));
/// assert!(!set.contains(Operation::QueryOnline));
/// assert_eq!(set.iter().collect::<Vec<_>>(), [Operation::BanUsers, Operation::SendMessage]);
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct OperationSet(u128);

impl OperationSet {
    /// No operation.
    pub const fn empty() -> Self {
        OperationSet(0)
    }

    /// Every operation of the registry.
    pub fn all() -> Self {
        OperationSet::from_ops(Operation::ALL)
    }

    /// The set of `ops`.
    pub fn from_ops(ops: &[Operation]) -> Self {
        ops.iter().fold(OperationSet::empty(), |s, op| s.with(*op))
    }

    /// The set with `op` added.
    pub fn with(mut self, op: Operation) -> Self {
        if let Some(i) = op.index() {
            self.0 |= 1 << i;
        }
        self
    }

    /// The set without `op`.
    pub fn without(mut self, op: Operation) -> Self {
        if let Some(i) = op.index() {
            self.0 &= !(1 << i);
        }
        self
    }

    /// Whether `op` is in the set.
    pub fn contains(self, op: Operation) -> bool {
        op.index().is_some_and(|i| self.0 & (1 << i) != 0)
    }

    /// The operations in both sets.
    pub fn intersect(self, other: OperationSet) -> Self {
        OperationSet(self.0 & other.0)
    }

    /// The members, in registry order.
    pub fn iter(self) -> impl Iterator<Item = Operation> {
        Operation::ALL
            .iter()
            .copied()
            .filter(move |op| self.contains(*op))
    }

    /// The operations of the registry that are not in the set.
    pub fn missing(self) -> impl Iterator<Item = Operation> {
        Operation::ALL
            .iter()
            .copied()
            .filter(move |op| !self.contains(*op))
    }
}

impl fmt::Debug for OperationSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set()
            .entries(self.iter().map(Operation::as_str))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_snake_case_and_fit_the_set() {
        assert!(Operation::ALL.len() <= 128);
        let mut names: Vec<&str> = Operation::ALL.iter().map(|op| op.as_str()).collect();
        assert!(
            names
                .iter()
                .all(|n| n.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'))
        );
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Operation::ALL.len());
    }

    #[test]
    fn every_family_has_operations_and_other_is_outside() {
        for family in Family::ALL {
            assert!(Operation::ALL.iter().any(|op| op.family() == Some(family)));
        }
        let other = Operation::Other("call_json");
        assert_eq!(other.family(), None);
        assert_eq!(other.index(), None);
        assert!(!OperationSet::all().contains(other));
        assert_eq!(OperationSet::all().with(other), OperationSet::all());
    }

    #[test]
    fn set_operations() {
        let a = OperationSet::from_ops(&[Operation::RegisterUser, Operation::BanUsers]);
        let b = OperationSet::from_ops(&[Operation::BanUsers, Operation::SendMessage]);
        assert_eq!(
            a.intersect(b).iter().collect::<Vec<_>>(),
            [Operation::BanUsers]
        );
        assert!(!a.without(Operation::BanUsers).contains(Operation::BanUsers));
        assert_eq!(
            OperationSet::all().missing().count(),
            0,
            "all() holds every operation"
        );
    }
}
