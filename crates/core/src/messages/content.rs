//! What a message says, and where it goes.

/// Where a message goes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Recipient {
    /// One user (one-to-one chat).
    User(String),
    /// A group.
    Group(String),
}

/// An app-defined message payload (Tencent `TIMCustomElem`).
///
/// ```
/// use imbridge_core::CustomPayload;
///
/// let payload = CustomPayload::new(r#"{"order":42}"#).description("order update");
/// assert_eq!(payload.description.as_deref(), Some("order update"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub struct CustomPayload {
    /// The payload, often JSON.
    pub data: String,
    /// A description, shown by some clients and used for offline push.
    pub description: Option<String>,
    /// An extension field.
    pub extension: Option<String>,
    /// The app's name for this kind of payload, where the vendor types custom messages by name
    /// (RongCloud `objectName`, e.g. `App:OrderMsg`); Tencent ignores it.
    pub message_type: Option<String>,
}

impl CustomPayload {
    /// A payload carrying `data`.
    pub fn new(data: impl Into<String>) -> Self {
        CustomPayload {
            data: data.into(),
            description: None,
            extension: None,
            message_type: None,
        }
    }

    /// Sets the app's type name for this payload (RongCloud `objectName`).
    pub fn message_type(mut self, name: impl Into<String>) -> Self {
        self.message_type = Some(name.into());
        self
    }

    /// Sets the description.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// Sets the extension.
    pub fn extension(mut self, extension: impl Into<String>) -> Self {
        self.extension = Some(extension.into());
        self
    }
}

/// An image, by URL (the vendors' image messages carry links, not the bytes).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub struct ImageContent {
    /// The full image's URL.
    pub url: String,
    /// A thumbnail's URL, where the caller has one.
    #[cfg_attr(feature = "serde", serde(default))]
    pub thumbnail_url: Option<String>,
    /// Width in pixels.
    #[cfg_attr(feature = "serde", serde(default))]
    pub width: Option<u32>,
    /// Height in pixels.
    #[cfg_attr(feature = "serde", serde(default))]
    pub height: Option<u32>,
    /// Size in bytes.
    #[cfg_attr(feature = "serde", serde(default))]
    pub size: Option<u64>,
}

impl ImageContent {
    /// An image at `url`.
    pub fn new(url: impl Into<String>) -> Self {
        ImageContent {
            url: url.into(),
            thumbnail_url: None,
            width: None,
            height: None,
            size: None,
        }
    }
}

/// A file, by URL.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub struct FileContent {
    /// Where to download it.
    pub url: String,
    /// Its name.
    pub name: String,
    /// Size in bytes.
    #[cfg_attr(feature = "serde", serde(default))]
    pub size: Option<u64>,
}

impl FileContent {
    /// The file `name` at `url`.
    pub fn new(url: impl Into<String>, name: impl Into<String>) -> Self {
        FileContent {
            url: url.into(),
            name: name.into(),
            size: None,
        }
    }
}

/// A place on the map.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub struct LocationContent {
    /// Latitude in degrees.
    pub latitude: f64,
    /// Longitude in degrees.
    pub longitude: f64,
    /// What is there.
    #[cfg_attr(feature = "serde", serde(default))]
    pub description: Option<String>,
}

impl LocationContent {
    /// The point at `latitude`, `longitude`.
    pub fn new(latitude: f64, longitude: f64) -> Self {
        LocationContent {
            latitude,
            longitude,
            description: None,
        }
    }
}

/// A sound or video clip, by URL.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub struct MediaContent {
    /// Where to download it.
    pub url: String,
    /// Its length in whole seconds.
    #[cfg_attr(feature = "serde", serde(default))]
    pub duration_secs: Option<u32>,
    /// Size in bytes.
    #[cfg_attr(feature = "serde", serde(default))]
    pub size: Option<u64>,
}

impl MediaContent {
    /// The clip at `url`.
    pub fn new(url: impl Into<String>) -> Self {
        MediaContent {
            url: url.into(),
            duration_secs: None,
            size: None,
        }
    }
}

/// What a message says: one vendor-neutral model, mapped to each vendor's message types
/// (Tencent `TIM*Elem`, RongCloud `RC:*Msg`); a kind a vendor lacks is refused before sending.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum MessageContent {
    /// Plain text.
    Text(String),
    /// An app-defined payload.
    Custom(CustomPayload),
    /// An image.
    Image(ImageContent),
    /// A file.
    File(FileContent),
    /// A location.
    Location(LocationContent),
    /// A voice or sound clip.
    Sound(MediaContent),
    /// A video clip.
    Video(MediaContent),
}

/// The offline-push notification of a message: what a device that is not connected shows.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields, default))]
#[non_exhaustive]
pub struct PushInfo {
    /// The notification's title.
    pub title: Option<String>,
    /// Its text.
    pub body: Option<String>,
    /// App data delivered with it (often JSON).
    pub extras: Option<String>,
}

impl PushInfo {
    /// A notification with a title and text.
    pub fn new(title: impl Into<String>, body: impl Into<String>) -> Self {
        PushInfo {
            title: Some(title.into()),
            body: Some(body.into()),
            extras: None,
        }
    }
}

impl MessageContent {
    /// A text message.
    pub fn text(text: impl Into<String>) -> Self {
        MessageContent::Text(text.into())
    }

    /// A custom message with only `data` set.
    pub fn custom(data: impl Into<String>) -> Self {
        MessageContent::Custom(CustomPayload::new(data))
    }
}

impl From<CustomPayload> for MessageContent {
    fn from(payload: CustomPayload) -> Self {
        MessageContent::Custom(payload)
    }
}
