//! The profiles family: users' display names, avatars and other profile fields.

use async_trait::async_trait;

use crate::options::call_options;
use crate::{Batch, CallOptions, Result};

/// A user's gender, as profile systems record it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
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
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(untagged))]
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
/// [`ProfileCapabilities::extended_fields`](crate::ProfileCapabilities::extended_fields) and custom fields
/// [`ProfileCapabilities::custom_fields`](crate::ProfileCapabilities::custom_fields).
///
/// ```
/// use imbridge_core::{Gender, SetProfile};
///
/// let req = SetProfile::new("lilei").nickname("李雷").gender(Gender::Male).custom("Level", 3u64);
/// assert_eq!(req.custom.len(), 1);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub struct SetProfile {
    /// The user whose profile changes.
    pub user_id: String,
    /// Display name.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub nickname: Option<String>,
    /// Avatar image URL.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub avatar_url: Option<String>,
    /// Gender.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub gender: Option<Gender>,
    /// Birthday as the number `YYYYMMDD` (e.g. `19900101`).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub birthday: Option<u32>,
    /// Free-text location.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub location: Option<String>,
    /// The user's signature ("what's up" line).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub signature: Option<String>,
    /// Language code as the vendor numbers it.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub language: Option<u32>,
    /// Level, as the app defines it.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub level: Option<u32>,
    /// Role, as the app defines it.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub role: Option<u32>,
    /// App-defined fields by name, in the order given.
    #[cfg_attr(
        feature = "serde",
        serde(default, with = "custom_fields", skip_serializing_if = "Vec::is_empty")
    )]
    pub custom: Vec<(String, ProfileValue)>,
    /// Options for this call.
    #[cfg_attr(feature = "serde", serde(skip))]
    pub options: CallOptions,
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
}

/// Read users' profiles: the standard fields, and the custom fields named in
/// [`custom_fields`](Self::custom_fields) where the vendor has custom fields.
///
/// ```
/// use imbridge_core::GetProfiles;
///
/// let req = GetProfiles::new(["lilei", "hanmeimei"]).custom_field("Level");
/// assert_eq!(req.custom_fields, ["Level"]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub struct GetProfiles {
    /// The users, in order.
    pub user_ids: Vec<String>,
    /// App-defined fields to read, by name.
    #[cfg_attr(feature = "serde", serde(default))]
    pub custom_fields: Vec<String>,
    /// Options for this call.
    #[cfg_attr(feature = "serde", serde(skip))]
    pub options: CallOptions,
}

impl GetProfiles {
    /// The standard profile fields of these users.
    pub fn new<I, S>(user_ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        GetProfiles {
            user_ids: user_ids.into_iter().map(Into::into).collect(),
            custom_fields: Vec::new(),
            options: CallOptions::new(),
        }
    }

    /// Also reads the app-defined field `name`.
    pub fn custom_field(mut self, name: impl Into<String>) -> Self {
        self.custom_fields.push(name.into());
        self
    }
}

/// A user's profile as the vendor keeps it; fields the vendor does not have or the user never
/// set are `None`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Profile {
    /// The user.
    pub user_id: String,
    /// Display name.
    pub nickname: Option<String>,
    /// Avatar image URL.
    pub avatar_url: Option<String>,
    /// Gender.
    pub gender: Option<Gender>,
    /// Birthday as `YYYYMMDD`.
    pub birthday: Option<u32>,
    /// Free-text location.
    pub location: Option<String>,
    /// Signature line.
    pub signature: Option<String>,
    /// Language code.
    pub language: Option<u32>,
    /// Level.
    pub level: Option<u32>,
    /// Role.
    pub role: Option<u32>,
    /// App-defined fields by name.
    #[cfg_attr(feature = "serde", serde(default, with = "custom_fields"))]
    pub custom: Vec<(String, ProfileValue)>,
}

impl Profile {
    /// An empty profile of `user_id`.
    pub fn new(user_id: impl Into<String>) -> Self {
        Profile {
            user_id: user_id.into(),
            ..Profile::default()
        }
    }
}

call_options!(SetProfile, GetProfiles);

/// The profiles family. Reached through [`ImProvider::profiles`](crate::Families::profiles).
#[async_trait]
pub trait Profiles: Send + Sync {
    /// Sets some of a user's profile fields.
    async fn set_profile(&self, request: &SetProfile) -> Result<()>;

    /// Reads users' profiles; an unknown user is a failed item
    /// ([`ErrorKind::NotFound`](crate::ErrorKind::NotFound)).
    async fn get_profiles(&self, request: &GetProfiles) -> Result<Batch<Profile>>;
}

/// Custom fields as a JSON object (`{"Level": 3}`), in order.
#[cfg(feature = "serde")]
mod custom_fields {
    use super::ProfileValue;
    use serde::de::{MapAccess, Visitor};
    use serde::ser::SerializeMap;
    use serde::{Deserializer, Serializer};

    pub(crate) fn serialize<S: Serializer>(
        fields: &[(String, ProfileValue)],
        s: S,
    ) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(fields.len()))?;
        for (k, v) in fields {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Vec<(String, ProfileValue)>, D::Error> {
        struct Fields;
        impl<'de> Visitor<'de> for Fields {
            type Value = Vec<(String, ProfileValue)>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object of custom profile fields")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    out.push(entry);
                }
                Ok(out)
            }
        }
        d.deserialize_map(Fields)
    }
}
