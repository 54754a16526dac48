//! What a backend supports: the operations it offers, and per family the facts that change how
//! they behave.

use std::time::Duration;

use crate::{GroupKind, Operation, OperationSet};

/// How two backends' values of one capability combine into what both support.
trait Combine {
    /// Both `a` and `b` hold (flags: AND; limits: the smaller; sets: the common members).
    fn both(&self, other: &Self) -> Self;
    /// The value as printed in capability matrices.
    fn show(&self) -> String;
}

impl Combine for bool {
    fn both(&self, other: &Self) -> Self {
        *self && *other
    }
    fn show(&self) -> String {
        if *self { "yes" } else { "no" }.to_owned()
    }
}

impl Combine for usize {
    fn both(&self, other: &Self) -> Self {
        (*self).min(*other)
    }
    fn show(&self) -> String {
        self.to_string()
    }
}

impl Combine for Vec<GroupKind> {
    fn both(&self, other: &Self) -> Self {
        self.iter().copied().filter(|k| other.contains(k)).collect()
    }
    fn show(&self) -> String {
        let kinds: Vec<&str> = self.iter().map(|k| k.as_str()).collect();
        kinds.join(", ")
    }
}

/// A range of durations: the overlap, or nothing when they do not overlap.
impl Combine for Option<(Duration, Duration)> {
    fn both(&self, other: &Self) -> Self {
        match (self, other) {
            (Some((a0, a1)), Some((b0, b1))) if a0.max(b0) <= a1.min(b1) => {
                Some((*a0.max(b0), *a1.min(b1)))
            }
            _ => None,
        }
    }
    fn show(&self) -> String {
        match self {
            Some((min, max)) => format!("{}s..{}s", min.as_secs(), max.as_secs()),
            None => "no".to_owned(),
        }
    }
}

/// A longest duration: the shorter one; `None` (no limit) yields to a limit.
impl Combine for Option<Duration> {
    fn both(&self, other: &Self) -> Self {
        match (self, other) {
            (Some(a), Some(b)) => Some(*a.min(b)),
            (a, b) => a.or(*b),
        }
    }
    fn show(&self) -> String {
        match self {
            Some(d) => format!("{}s", d.as_secs()),
            None => "no limit".to_owned(),
        }
    }
}

/// Declares one family's capabilities: the struct, its `intersect` and its `describe` rows
/// (`family.field`), from one list of fields.
macro_rules! family_capabilities {
    ($(#[$doc:meta])* $name:ident $prefix:literal {
        $( $(#[$fdoc:meta])* $field:ident: $ty:ty, )*
    }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Default)]
        #[non_exhaustive]
        pub struct $name {
            $( $(#[$fdoc])* pub $field: $ty, )*
        }

        impl $name {
            /// What both `self` and `other` support.
            pub fn intersect(&self, other: &Self) -> Self {
                $name { $( $field: Combine::both(&self.$field, &other.$field), )* }
            }

            fn describe(&self, rows: &mut Vec<(String, String)>) {
                $( rows.push((concat!($prefix, ".", stringify!($field)).to_owned(), Combine::show(&self.$field))); )*
            }
        }
    };
}

family_capabilities! {
    /// What the users family can do beyond which operations exist.
    UserCapabilities "users" {
        /// Client tokens are made locally, without a network call.
        local_tokens: bool,
        /// Client tokens expire, and [`ClientToken::expires_at`](crate::ClientToken::expires_at) says when.
        token_expiry: bool,
        /// The caller can choose a token's lifetime; the range allowed, when there is one.
        token_ttl: Option<(Duration, Duration)>,
        /// Deleted users are gone when the call returns (otherwise the vendor deletes them
        /// later and each item says [`DeletionStatus::Pending`](crate::DeletionStatus::Pending)).
        synchronous_deletion: bool,
        /// The longest login ban one call can set (`None`: no limit).
        max_ban: Option<Duration>,
    }
}

family_capabilities! {
    /// What the profiles family can do.
    ProfileCapabilities "profiles" {
        /// Profile fields beyond nickname and avatar (gender, birthday, location, signature, …).
        extended_fields: bool,
        /// App-defined profile fields.
        custom_fields: bool,
    }
}

family_capabilities! {
    /// What the groups family can do.
    GroupCapabilities "groups" {
        /// The vendor generates a group id when the caller gives none.
        server_generated_ids: bool,
        /// The backend generates a group id itself when the caller gives none, because the
        /// vendor needs one (RongCloud); the id is returned in [`CreatedGroup`](crate::CreatedGroup).
        client_generated_ids: bool,
        /// The caller can choose a group's id.
        custom_ids: bool,
        /// Creating a group with an id that is taken fails with
        /// [`ErrorKind::AlreadyExists`](crate::ErrorKind::AlreadyExists).
        rejects_taken_ids: bool,
        /// The group kinds the vendor has.
        kinds: Vec<GroupKind>,
        /// The most initial members, besides the owner, one create-group call takes.
        max_initial_members: usize,
        /// Groups have an owner the vendor keeps: readable in `get_groups` and transferable
        /// (RongCloud only with its profile-hosting service, `group_mode = "hosted"`).
        owners: bool,
        /// The vendor keeps group profiles beyond the name (introduction, notice, avatar,
        /// member limit, join option): `update_group` can set them and `get_groups` reads them.
        profile_fields: bool,
        /// Members' roles and join times are known (`list_group_members`).
        member_details: bool,
        /// The longest mute `mute_group_members` can set (`None`: no limit).
        max_mute: Option<Duration>,
    }
}

family_capabilities! {
    /// What the messages family can do.
    MessageCapabilities "messages" {
        /// One-to-one messages.
        direct: bool,
        /// Group messages.
        group: bool,
        /// App-defined (custom) message payloads.
        custom: bool,
        /// The vendor de-duplicates a resent message with the same de-duplication key.
        dedup: bool,
        /// The largest message, in bytes, as the vendor counts it: the encoded message
        /// (Tencent: the JSON of `MsgBody`; RongCloud: the `content` JSON string), so the text
        /// or payload itself must be somewhat smaller. Larger messages are refused before
        /// sending.
        max_bytes: usize,
    }
}

/// What a backend supports, so callers can choose at run time instead of failing at the
/// vendor: the operations it offers ([`supports`](Self::supports)), and per family the facts
/// that change how they behave.
///
/// Every backend implements every family trait; an operation it lacks is refused with
/// [`ErrorKind::Unsupported`](crate::ErrorKind::Unsupported) by one central check
/// ([`check::supported`](crate::check::supported)) before anything is sent.
///
/// ```
/// use imbridge_core::{Capabilities, GroupKind, Operation};
///
/// let mut caps = Capabilities::default();
/// assert!(!caps.supports(Operation::SendMessage));
/// caps.operations = caps.operations.with(Operation::SendMessage);
/// assert!(caps.supports(Operation::SendMessage));
/// caps.groups.kinds = vec![GroupKind::Public];
/// assert!(caps.supports_group_kind(GroupKind::Public));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct Capabilities {
    /// The operations of the registry the backend offers.
    pub operations: OperationSet,
    /// A call naming an unregistered user (a message's recipient or sender, a group's initial
    /// member) or a missing group (a group message) fails with
    /// [`ErrorKind::NotFound`](crate::ErrorKind::NotFound). Vendors without it accept such
    /// calls: RongCloud creates the group or stores the message anyway.
    pub rejects_unknown_ids: bool,
    /// The users family.
    pub users: UserCapabilities,
    /// The profiles family.
    pub profiles: ProfileCapabilities,
    /// The groups family.
    pub groups: GroupCapabilities,
    /// The messages family.
    pub messages: MessageCapabilities,
}

impl Capabilities {
    /// Whether the backend offers `op`.
    pub fn supports(&self, op: Operation) -> bool {
        self.operations.contains(op)
    }

    /// What both `self` and `other` support: operations in both, flags AND-ed, limits and
    /// ranges narrowed, group kinds in both. For providers that send to two vendors at once.
    ///
    /// ```
    /// use imbridge_core::{Capabilities, GroupKind, Operation, OperationSet};
    ///
    /// let mut a = Capabilities::default();
    /// a.operations = OperationSet::from_ops(&[Operation::SendMessage, Operation::BanUsers]);
    /// a.messages.direct = true;
    /// a.groups.kinds = vec![GroupKind::Public, GroupKind::Work];
    /// a.messages.max_bytes = 12 * 1024;
    /// let mut b = a.clone();
    /// b.operations = OperationSet::from_ops(&[Operation::SendMessage]);
    /// b.groups.kinds = vec![GroupKind::Public];
    /// b.messages.max_bytes = 128 * 1024;
    /// let both = a.intersect(&b);
    /// assert!(both.messages.direct && both.supports(Operation::SendMessage));
    /// assert!(!both.supports(Operation::BanUsers));
    /// assert_eq!(both.groups.kinds, [GroupKind::Public]);
    /// assert_eq!(both.messages.max_bytes, 12 * 1024);
    /// ```
    pub fn intersect(&self, other: &Capabilities) -> Capabilities {
        Capabilities {
            operations: self.operations.intersect(other.operations),
            rejects_unknown_ids: self.rejects_unknown_ids && other.rejects_unknown_ids,
            users: self.users.intersect(&other.users),
            profiles: self.profiles.intersect(&other.profiles),
            groups: self.groups.intersect(&other.groups),
            messages: self.messages.intersect(&other.messages),
        }
    }

    /// Every capability as a stable name and a printable value, for capability matrices:
    /// first each operation of the registry (`op.send_message`: `yes`/`no`), then
    /// `rejects_unknown_ids`, then the families' fields (`groups.kinds`, …).
    ///
    /// ```
    /// let rows = imbridge_core::Capabilities::default().describe();
    /// assert_eq!(rows[0], ("op.register_user".to_owned(), "no".to_owned()));
    /// assert!(rows.iter().any(|(k, _)| k == "messages.max_bytes"));
    /// ```
    pub fn describe(&self) -> Vec<(String, String)> {
        let mut rows: Vec<(String, String)> = Operation::ALL
            .iter()
            .map(|op| (format!("op.{op}"), self.supports(*op).show()))
            .collect();
        rows.push((
            "rejects_unknown_ids".to_owned(),
            self.rejects_unknown_ids.show(),
        ));
        self.users.describe(&mut rows);
        self.profiles.describe(&mut rows);
        self.groups.describe(&mut rows);
        self.messages.describe(&mut rows);
        rows
    }

    /// Whether groups of `kind` can be created.
    pub fn supports_group_kind(&self, kind: GroupKind) -> bool {
        self.groups.kinds.contains(&kind)
    }
}
