//! The users family: accounts, client tokens, presence and login bans.

use std::fmt;
use std::time::{Duration, SystemTime};

use async_trait::async_trait;
use secrecy::SecretString;

use crate::options::call_options;
use crate::{Batch, CallOptions, Cursor, Page, PageRequest, Result, Vendor};

/// Register (import) a user with the vendor and get a client token for them.
///
/// Registration is idempotent on both vendors: registering an existing user updates nothing that
/// was not given and still returns a token.
///
/// ```
/// use imbridge_core::RegisterUser;
///
/// let req = RegisterUser::new("lilei").nickname("李雷").avatar_url("https://example.com/l.png");
/// assert_eq!(req.user_id, "lilei");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub struct RegisterUser {
    /// The app's id for the user.
    pub user_id: String,
    /// Display name.
    #[cfg_attr(feature = "serde", serde(default))]
    pub nickname: Option<String>,
    /// Avatar image URL.
    #[cfg_attr(feature = "serde", serde(default))]
    pub avatar_url: Option<String>,
    /// How long the returned token should stay valid, where the vendor lets the caller choose.
    #[cfg_attr(feature = "serde", serde(default, with = "crate::serde_secs::option"))]
    pub token_ttl: Option<Duration>,
    /// Options for this call (retry policy, timeout).
    #[cfg_attr(feature = "serde", serde(skip))]
    pub options: CallOptions,
}

impl RegisterUser {
    /// A registration of `user_id` with no profile fields.
    pub fn new(user_id: impl Into<String>) -> Self {
        RegisterUser {
            user_id: user_id.into(),
            nickname: None,
            avatar_url: None,
            token_ttl: None,
            options: CallOptions::new(),
        }
    }

    /// Sets the display name.
    pub fn nickname(mut self, nickname: impl Into<String>) -> Self {
        self.nickname = Some(nickname.into());
        self
    }

    /// Sets the avatar URL.
    pub fn avatar_url(mut self, url: impl Into<String>) -> Self {
        self.avatar_url = Some(url.into());
        self
    }

    /// Sets the lifetime of the returned token (see [`UserCapabilities::token_ttl`](crate::UserCapabilities::token_ttl)).
    pub fn token_ttl(mut self, ttl: Duration) -> Self {
        self.token_ttl = Some(ttl);
        self
    }
}

/// Issue a client token for a user who is already registered.
///
/// ```
/// use std::time::Duration;
/// use imbridge_core::IssueToken;
///
/// let req = IssueToken::new("lilei").ttl(Duration::from_secs(3600));
/// assert_eq!(req.ttl, Some(Duration::from_secs(3600)));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub struct IssueToken {
    /// The user the token is for.
    pub user_id: String,
    /// How long the token should stay valid, where the vendor lets the caller choose.
    #[cfg_attr(feature = "serde", serde(default, with = "crate::serde_secs::option"))]
    pub ttl: Option<Duration>,
    /// Options for this call (retry policy, timeout).
    #[cfg_attr(feature = "serde", serde(skip))]
    pub options: CallOptions,
}

impl IssueToken {
    /// A token request for `user_id` with the client's default lifetime.
    pub fn new(user_id: impl Into<String>) -> Self {
        IssueToken {
            user_id: user_id.into(),
            ttl: None,
            options: CallOptions::new(),
        }
    }

    /// Sets the lifetime of the token.
    pub fn ttl(mut self, ttl: Duration) -> Self {
        self.ttl = Some(ttl);
        self
    }
}

/// A token an app server hands to its client app so that it can log in to the IM cloud.
///
/// The token is a secret: `Debug` shows `[REDACTED]`, and reading it takes an explicit call.
///
/// ```
/// use imbridge_core::{ClientToken, ExposeSecret};
///
/// let token = ClientToken::new("lilei", "eJy...secret".into(), None);
/// assert!(!format!("{token:?}").contains("secret"));
/// assert_eq!(token.token().expose_secret(), "eJy...secret");
/// ```
#[derive(Clone)]
pub struct ClientToken {
    user_id: String,
    token: SecretString,
    expires_at: Option<SystemTime>,
    vendor: Option<Vendor>,
}

impl ClientToken {
    /// A token for `user_id`, valid until `expires_at` when the vendor says so.
    pub fn new(
        user_id: impl Into<String>,
        token: SecretString,
        expires_at: Option<SystemTime>,
    ) -> Self {
        ClientToken {
            user_id: user_id.into(),
            token,
            expires_at,
            vendor: None,
        }
    }

    /// Records which vendor's client SDK the token is for (backends set it).
    pub fn for_vendor(mut self, vendor: Vendor) -> Self {
        self.vendor = Some(vendor);
        self
    }

    /// The vendor whose client SDK the token logs in to, when the backend said so.
    pub fn vendor(&self) -> Option<Vendor> {
        self.vendor
    }

    /// The user the token is for.
    pub fn user_id(&self) -> &str {
        &self.user_id
    }

    /// The token itself; use [`ExposeSecret::expose_secret`](crate::ExposeSecret) to read it.
    pub fn token(&self) -> &SecretString {
        &self.token
    }

    /// When the token stops working, if the vendor's tokens expire.
    pub fn expires_at(&self) -> Option<SystemTime> {
        self.expires_at
    }
}

impl fmt::Debug for ClientToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientToken")
            .field("user_id", &self.user_id)
            .field("token", &"[REDACTED]")
            .field("expires_at", &self.expires_at)
            .field("vendor", &self.vendor)
            .finish()
    }
}

/// A client token serializes with the token itself in clear (`token`), since handing it to a
/// client app is its purpose, with `expires_at` in Unix seconds.
#[cfg(feature = "serde")]
impl serde::Serialize for ClientToken {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use secrecy::ExposeSecret;
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("user_id", &self.user_id)?;
        m.serialize_entry("token", self.token.expose_secret())?;
        m.serialize_entry(
            "expires_at",
            &self.expires_at.map(crate::serde_secs::unix_seconds),
        )?;
        m.serialize_entry("vendor", &self.vendor.map(Vendor::as_str))?;
        m.end()
    }
}

/// One user of a batch registration.
///
/// ```
/// use imbridge_core::NewUser;
///
/// let user = NewUser::new("lilei").nickname("李雷");
/// assert_eq!(user.nickname.as_deref(), Some("李雷"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub struct NewUser {
    /// The app's id for the user.
    pub user_id: String,
    /// Display name.
    #[cfg_attr(feature = "serde", serde(default))]
    pub nickname: Option<String>,
    /// Avatar image URL.
    #[cfg_attr(feature = "serde", serde(default))]
    pub avatar_url: Option<String>,
}

impl NewUser {
    /// A user with only an id.
    pub fn new(user_id: impl Into<String>) -> Self {
        NewUser {
            user_id: user_id.into(),
            nickname: None,
            avatar_url: None,
        }
    }

    /// Sets the display name.
    pub fn nickname(mut self, nickname: impl Into<String>) -> Self {
        self.nickname = Some(nickname.into());
        self
    }

    /// Sets the avatar URL.
    pub fn avatar_url(mut self, url: impl Into<String>) -> Self {
        self.avatar_url = Some(url.into());
        self
    }
}

impl From<&str> for NewUser {
    fn from(id: &str) -> Self {
        NewUser::new(id)
    }
}

impl From<String> for NewUser {
    fn from(id: String) -> Self {
        NewUser::new(id)
    }
}

/// Register (import) many users at once, without tokens (issue them with
/// [`Users::issue_token`] when a user logs in). Idempotent; the backend splits the list into
/// the vendor's per-call size.
///
/// ```
/// use imbridge_core::{NewUser, RegisterUsers};
///
/// let req = RegisterUsers::new(["lilei", "hanmeimei"]).user(NewUser::new("lucy").nickname("Lucy"));
/// assert_eq!(req.users.len(), 3);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub struct RegisterUsers {
    /// The users, in order.
    pub users: Vec<NewUser>,
    /// Options for this call.
    #[cfg_attr(feature = "serde", serde(skip))]
    pub options: CallOptions,
}

impl RegisterUsers {
    /// Registers these users (ids, or [`NewUser`]s with profile fields).
    pub fn new<I, U>(users: I) -> Self
    where
        I: IntoIterator<Item = U>,
        U: Into<NewUser>,
    {
        RegisterUsers {
            users: users.into_iter().map(Into::into).collect(),
            options: CallOptions::new(),
        }
    }

    /// Adds a user.
    pub fn user(mut self, user: NewUser) -> Self {
        self.users.push(user);
        self
    }

    /// The user ids, in order.
    pub fn user_ids(&self) -> Vec<String> {
        self.users.iter().map(|u| u.user_id.clone()).collect()
    }
}

/// Declares a request that names a list of users and nothing else.
macro_rules! user_list_request {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
        #[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
        #[non_exhaustive]
        pub struct $name {
            /// The users, in order.
            pub user_ids: Vec<String>,
            /// Options for this call.
            #[cfg_attr(feature = "serde", serde(skip))]
            pub options: CallOptions,
        }

        impl $name {
            /// A request about these users.
            pub fn new<I, S>(user_ids: I) -> Self
            where
                I: IntoIterator<Item = S>,
                S: Into<String>,
            {
                $name {
                    user_ids: user_ids.into_iter().map(Into::into).collect(),
                    options: CallOptions::new(),
                }
            }
        }
    };
}

user_list_request!(
    /// Delete users and their data at the vendor. Tencent deletes at once (and a deleted id
    /// cannot be registered again for a while); RongCloud deactivates asynchronously, so each
    /// item says [`DeletionStatus::Pending`] (see [`Capabilities`](crate::Capabilities)).
    DeleteUsers
);
user_list_request!(
    /// Check which users are registered.
    CheckUsers
);
user_list_request!(
    /// Ask whether users are online.
    QueryOnline
);
user_list_request!(
    /// Lift users' login bans.
    UnbanUsers
);

/// What happened to one deleted user.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "status", rename_all = "snake_case"))]
#[non_exhaustive]
pub enum DeletionStatus {
    /// The user and their data are gone.
    Deleted,
    /// The vendor accepted the deletion and carries it out later; its per-user result arrives
    /// by webhook. `operation_id` is the vendor's handle on the request.
    Pending {
        /// The vendor's id of the deletion request (RongCloud `operateId`).
        operation_id: String,
    },
}

/// One user of a [`DeleteUsers`] call.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct UserDeletion {
    /// The user.
    pub user_id: String,
    /// Done, or accepted to be done later.
    #[cfg_attr(feature = "serde", serde(flatten))]
    pub status: DeletionStatus,
}

impl UserDeletion {
    /// `user_id` is in `status`.
    pub fn new(user_id: impl Into<String>, status: DeletionStatus) -> Self {
        UserDeletion {
            user_id: user_id.into(),
            status,
        }
    }
}

/// Whether one user is registered.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct UserExistence {
    /// The user.
    pub user_id: String,
    /// Whether the vendor knows the user.
    pub exists: bool,
}

impl UserExistence {
    /// `user_id` exists or not.
    pub fn new(user_id: impl Into<String>, exists: bool) -> Self {
        UserExistence {
            user_id: user_id.into(),
            exists,
        }
    }
}

/// Whether a user is connected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum OnlineStatus {
    /// Connected now.
    Online,
    /// Not connected, but reachable by offline push (Tencent `PushOnline`).
    PushOnline,
    /// Not connected (or, on Tencent, not logged in for 7 days).
    Offline,
}

impl OnlineStatus {
    /// `"online"`, `"push_online"` or `"offline"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            OnlineStatus::Online => "online",
            OnlineStatus::PushOnline => "push_online",
            OnlineStatus::Offline => "offline",
        }
    }
}

/// One user's presence.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Presence {
    /// The user.
    pub user_id: String,
    /// Whether they are connected.
    pub status: OnlineStatus,
}

impl Presence {
    /// `user_id` is `status`.
    pub fn new(user_id: impl Into<String>, status: OnlineStatus) -> Self {
        Presence {
            user_id: user_id.into(),
            status,
        }
    }
}

/// Log a user out everywhere now: their current connections drop and their current tokens
/// stop working (a newly issued token works).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub struct ForceLogout {
    /// The user.
    pub user_id: String,
    /// Options for this call.
    #[cfg_attr(feature = "serde", serde(skip))]
    pub options: CallOptions,
}

impl ForceLogout {
    /// Logs `user_id` out.
    pub fn new(user_id: impl Into<String>) -> Self {
        ForceLogout {
            user_id: user_id.into(),
            options: CallOptions::new(),
        }
    }
}

/// Ban users from logging in for a while: they are disconnected at once and cannot connect
/// until the ban ends or is lifted.
///
/// ```
/// use std::time::Duration;
/// use imbridge_core::BanUsers;
///
/// let req = BanUsers::new(["spammer"], Duration::from_secs(3600));
/// assert_eq!(req.duration.as_secs(), 3600);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub struct BanUsers {
    /// The users.
    pub user_ids: Vec<String>,
    /// How long the ban lasts (RongCloud: whole minutes, 1 minute to 30 days).
    #[cfg_attr(
        feature = "serde",
        serde(rename = "seconds", with = "crate::serde_secs")
    )]
    pub duration: Duration,
    /// Options for this call.
    #[cfg_attr(feature = "serde", serde(skip))]
    pub options: CallOptions,
}

impl BanUsers {
    /// Bans these users for `duration`.
    pub fn new<I, S>(user_ids: I, duration: Duration) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        BanUsers {
            user_ids: user_ids.into_iter().map(Into::into).collect(),
            duration,
            options: CallOptions::new(),
        }
    }
}

/// List the users whose login is banned, a page at a time.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields, default))]
#[non_exhaustive]
pub struct ListBannedUsers {
    /// The most users per page (the backend's default when `None`).
    pub limit: Option<u32>,
    /// Where to start; `None` for the first page.
    pub cursor: Option<Cursor>,
    /// Options for this call.
    #[cfg_attr(feature = "serde", serde(skip))]
    pub options: CallOptions,
}

impl ListBannedUsers {
    /// The first page, of the backend's default size.
    pub fn new() -> Self {
        ListBannedUsers::default()
    }

    /// Sets the page size.
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }

    /// Starts at `cursor` (from the previous page's [`Page::next`]).
    pub fn cursor(mut self, cursor: Cursor) -> Self {
        self.cursor = Some(cursor);
        self
    }
}

impl PageRequest for ListBannedUsers {
    fn cursor(&self) -> Option<&Cursor> {
        self.cursor.as_ref()
    }

    fn set_cursor(&mut self, cursor: Option<Cursor>) {
        self.cursor = cursor;
    }
}

/// A user whose login is banned.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct BannedUser {
    /// The user.
    pub user_id: String,
    /// When the ban ends, when the vendor says.
    #[cfg_attr(feature = "serde", serde(with = "crate::serde_secs::option_time"))]
    pub until: Option<SystemTime>,
}

impl BannedUser {
    /// `user_id` is banned until `until`.
    pub fn new(user_id: impl Into<String>, until: Option<SystemTime>) -> Self {
        BannedUser {
            user_id: user_id.into(),
            until,
        }
    }
}

call_options!(
    RegisterUser,
    IssueToken,
    RegisterUsers,
    DeleteUsers,
    CheckUsers,
    QueryOnline,
    ForceLogout,
    BanUsers,
    UnbanUsers,
    ListBannedUsers,
);

/// The users family: accounts, client tokens, presence and login bans. Reached through
/// [`ImProvider::users`](crate::Families::users).
///
/// Every method checks its request and the backend's [capabilities](crate::Capabilities)
/// before anything is sent. Batch methods take any number of users: the backend splits them
/// into the vendor's per-call size where that is safe, and reports each failed user in the
/// [`Batch`].
#[async_trait]
pub trait Users: Send + Sync {
    /// Registers (imports) a user and returns a client token for them. Idempotent.
    async fn register_user(&self, request: &RegisterUser) -> Result<ClientToken>;

    /// Registers many users; the registered ids succeed. Idempotent.
    async fn register_users(&self, request: &RegisterUsers) -> Result<Batch<String>>;

    /// Issues a client token for an existing user.
    async fn issue_token(&self, request: &IssueToken) -> Result<ClientToken>;

    /// Deletes users (at once, or accepted to be done later: see [`DeletionStatus`]).
    async fn delete_users(&self, request: &DeleteUsers) -> Result<Batch<UserDeletion>>;

    /// Says which users are registered.
    async fn check_users(&self, request: &CheckUsers) -> Result<Batch<UserExistence>>;

    /// Says which users are online; an unknown user is a failed item
    /// ([`ErrorKind::NotFound`](crate::ErrorKind::NotFound)) where the vendor tells.
    async fn query_online(&self, request: &QueryOnline) -> Result<Batch<Presence>>;

    /// Logs a user out everywhere now.
    async fn force_logout(&self, request: &ForceLogout) -> Result<()>;

    /// Bans users from logging in for a while; the banned ids succeed.
    async fn ban_users(&self, request: &BanUsers) -> Result<Batch<String>>;

    /// Lifts login bans; the ids succeed.
    async fn unban_users(&self, request: &UnbanUsers) -> Result<Batch<String>>;

    /// One page of the users whose login is banned.
    async fn list_banned_users(&self, request: &ListBannedUsers) -> Result<Page<BannedUser>>;
}
