//! Users: registration, client tokens and profiles.

use crate::policy::RetryPolicy;
use std::fmt;
use std::time::{Duration, SystemTime};

use secrecy::SecretString;

use crate::Vendor;

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
#[non_exhaustive]
pub struct RegisterUser {
    /// The app's id for the user.
    pub user_id: String,
    /// Display name.
    pub nickname: Option<String>,
    /// Avatar image URL.
    pub avatar_url: Option<String>,
    /// How long the returned token should stay valid, where the vendor lets the caller choose.
    pub token_ttl: Option<Duration>,
    /// A retry policy for this call, instead of the client's.
    pub retry: Option<RetryPolicy>,
}

impl RegisterUser {
    /// A registration of `user_id` with no profile fields.
    pub fn new(user_id: impl Into<String>) -> Self {
        RegisterUser {
            user_id: user_id.into(),
            nickname: None,
            avatar_url: None,
            token_ttl: None,
            retry: None,
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

    /// Sets the lifetime of the returned token (see [`Capabilities::token_ttl`](crate::Capabilities::token_ttl)).
    pub fn token_ttl(mut self, ttl: Duration) -> Self {
        self.token_ttl = Some(ttl);
        self
    }

    /// Uses this retry policy for this call instead of the client's.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
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
#[non_exhaustive]
pub struct IssueToken {
    /// The user the token is for.
    pub user_id: String,
    /// How long the token should stay valid, where the vendor lets the caller choose.
    pub ttl: Option<Duration>,
    /// A retry policy for this call, instead of the client's.
    pub retry: Option<RetryPolicy>,
}

impl IssueToken {
    /// A token request for `user_id` with the client's default lifetime.
    pub fn new(user_id: impl Into<String>) -> Self {
        IssueToken {
            user_id: user_id.into(),
            ttl: None,
            retry: None,
        }
    }

    /// Sets the lifetime of the token.
    pub fn ttl(mut self, ttl: Duration) -> Self {
        self.ttl = Some(ttl);
        self
    }

    /// Uses this retry policy for this call instead of the client's.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
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

/// A user's gender, as profile systems record it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Gender {
    /// Not said.
    Unknown,
    /// Female.
    Female,
    /// Male.
    Male,
}

/// The value of a custom profile field.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ProfileValue {
    /// A text value.
    Text(String),
    /// An unsigned integer value.
    Integer(u64),
}

impl From<&str> for ProfileValue {
    fn from(value: &str) -> Self {
        ProfileValue::Text(value.to_owned())
    }
}

impl From<String> for ProfileValue {
    fn from(value: String) -> Self {
        ProfileValue::Text(value)
    }
}

impl From<u64> for ProfileValue {
    fn from(value: u64) -> Self {
        ProfileValue::Integer(value)
    }
}

/// Set some of a user's profile fields; fields left `None` stay as they are.
///
/// Nickname and avatar work on every vendor; the other fields need
/// [`Capabilities::extended_profile`](crate::Capabilities::extended_profile) and custom fields
/// [`Capabilities::custom_profile_fields`](crate::Capabilities::custom_profile_fields).
///
/// ```
/// use imbridge_core::{Gender, SetProfile};
///
/// let req = SetProfile::new("lilei").nickname("李雷").gender(Gender::Male).custom("Level", 3u64);
/// assert_eq!(req.custom.len(), 1);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SetProfile {
    /// The user whose profile changes.
    pub user_id: String,
    /// Display name.
    pub nickname: Option<String>,
    /// Avatar image URL.
    pub avatar_url: Option<String>,
    /// Gender.
    pub gender: Option<Gender>,
    /// Birthday as the number `YYYYMMDD` (e.g. `19900101`).
    pub birthday: Option<u32>,
    /// Free-text location.
    pub location: Option<String>,
    /// The user's signature ("what's up" line).
    pub signature: Option<String>,
    /// Language code as the vendor numbers it.
    pub language: Option<u32>,
    /// Level, as the app defines it.
    pub level: Option<u32>,
    /// Role, as the app defines it.
    pub role: Option<u32>,
    /// App-defined fields by name, in the order given.
    pub custom: Vec<(String, ProfileValue)>,
    /// A retry policy for this call, instead of the client's.
    pub retry: Option<RetryPolicy>,
}

impl SetProfile {
    /// A profile change for `user_id` that changes nothing yet.
    pub fn new(user_id: impl Into<String>) -> Self {
        SetProfile {
            user_id: user_id.into(),
            nickname: None,
            avatar_url: None,
            gender: None,
            birthday: None,
            location: None,
            signature: None,
            language: None,
            level: None,
            role: None,
            custom: Vec::new(),
            retry: None,
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

    /// Sets the gender.
    pub fn gender(mut self, gender: Gender) -> Self {
        self.gender = Some(gender);
        self
    }

    /// Sets the birthday as `YYYYMMDD`.
    pub fn birthday(mut self, yyyymmdd: u32) -> Self {
        self.birthday = Some(yyyymmdd);
        self
    }

    /// Sets the location.
    pub fn location(mut self, location: impl Into<String>) -> Self {
        self.location = Some(location.into());
        self
    }

    /// Sets the signature line.
    pub fn signature(mut self, signature: impl Into<String>) -> Self {
        self.signature = Some(signature.into());
        self
    }

    /// Sets the language code.
    pub fn language(mut self, language: u32) -> Self {
        self.language = Some(language);
        self
    }

    /// Sets the level.
    pub fn level(mut self, level: u32) -> Self {
        self.level = Some(level);
        self
    }

    /// Sets the role.
    pub fn role(mut self, role: u32) -> Self {
        self.role = Some(role);
        self
    }

    /// Adds an app-defined field.
    pub fn custom(mut self, name: impl Into<String>, value: impl Into<ProfileValue>) -> Self {
        self.custom.push((name.into(), value.into()));
        self
    }

    /// Whether the request changes nothing at all.
    pub fn is_empty(&self) -> bool {
        self.nickname.is_none()
            && self.avatar_url.is_none()
            && !self.has_extended_fields()
            && self.custom.is_empty()
    }

    /// Whether any field beyond nickname, avatar and custom fields is set.
    pub fn has_extended_fields(&self) -> bool {
        self.gender.is_some()
            || self.birthday.is_some()
            || self.location.is_some()
            || self.signature.is_some()
            || self.language.is_some()
            || self.level.is_some()
            || self.role.is_some()
    }

    /// Uses this retry policy for this call instead of the client's.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }
}
