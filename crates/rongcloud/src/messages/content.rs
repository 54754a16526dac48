//! Message content on the wire: each [`MessageContent`] kind as an `objectName` and its
//! `content` JSON string, and back (history).
//!
//! | kind | `objectName` | `content` |
//! |---|---|---|
//! | text | `RC:TxtMsg` | `{"content": text}` |
//! | custom | its `message_type`, else `IMB:Custom` | `{"data", "desc"?, "ext"?}` |
//! | image | `RC:ImgMsg` | `{"content": "" (base64 thumbnail; none), "imageUri": url}` |
//! | file | `RC:FileMsg` | `{"name", "size", "type" (the name's extension), "fileUrl"}` |
//! | location | `RC:LBSMsg` | `{"content": "", "latitude", "longitude", "poi": description}` |
//! | sound | `RC:HQVCMsg` | `{"remoteUrl", "duration"}` |
//! | video | `RC:SightMsg` | `{"sightUrl", "content": "", "duration", "size", "name"}` |
//!
//! Fields imbridge keeps that the vendor's type lacks (an image's thumbnail URL, width, height
//! and size; a sound's size) travel in the content's `extra` member as a JSON object
//! (`thumbnailUrl`, `width`, `height`, `size`), so nothing is dropped and history reads them
//! back. Field names follow rongcloud/server-sdk-go `sdk/message.go` (`ImgMsg`, `FileMsg`,
//! `LBSMsg`, `HQVCMsg`, `SightMsg`).

use imbridge_core::{
    CustomPayload, Error, FileContent, ImageContent, LocationContent, MediaContent, MessageContent,
    Result,
};
use serde_json::{Map, Value, json};

/// The `objectName` of text messages.
pub const TEXT_OBJECT_NAME: &str = "RC:TxtMsg";
/// The `objectName` used for custom payloads that name no type of their own.
pub const DEFAULT_CUSTOM_OBJECT_NAME: &str = "IMB:Custom";
/// The `objectName` of image messages.
pub const IMAGE_OBJECT_NAME: &str = "RC:ImgMsg";
/// The `objectName` of file messages.
pub const FILE_OBJECT_NAME: &str = "RC:FileMsg";
/// The `objectName` of location messages.
pub const LOCATION_OBJECT_NAME: &str = "RC:LBSMsg";
/// The `objectName` of (high-quality) voice messages.
pub const SOUND_OBJECT_NAME: &str = "RC:HQVCMsg";
/// The `objectName` of short video messages.
pub const VIDEO_OBJECT_NAME: &str = "RC:SightMsg";

/// Who a group message mentions: the content's `mentionedInfo`.
pub(crate) enum Mentions<'a> {
    None,
    All,
    Some(&'a [String]),
}

/// The `objectName` and `content` (a JSON string) of a message.
pub fn encode_content(content: &MessageContent) -> Result<(String, String)> {
    encode(content, &Mentions::None)
}

/// The `objectName` and `content` of a message, with its mentions in `mentionedInfo`
/// (`type` 1 everyone, 2 the listed `userIdList`).
pub(crate) fn encode(
    content: &MessageContent,
    mentions: &Mentions<'_>,
) -> Result<(String, String)> {
    let (name, mut body) = match content {
        MessageContent::Text(text) => (TEXT_OBJECT_NAME.to_owned(), json!({"content": text})),
        MessageContent::Custom(p) => {
            let mut body = json!({"data": p.data});
            if let Some(d) = &p.description {
                body["desc"] = json!(d);
            }
            if let Some(e) = &p.extension {
                body["ext"] = json!(e);
            }
            let name = p
                .message_type
                .clone()
                .unwrap_or_else(|| DEFAULT_CUSTOM_OBJECT_NAME.to_owned());
            (name, body)
        }
        MessageContent::Image(i) => {
            let mut body = json!({"content": "", "imageUri": i.url});
            extra(
                &mut body,
                &[
                    ("thumbnailUrl", i.thumbnail_url.as_ref().map(|u| json!(u))),
                    ("width", i.width.map(|w| json!(w))),
                    ("height", i.height.map(|h| json!(h))),
                    ("size", i.size.map(|s| json!(s))),
                ],
            );
            (IMAGE_OBJECT_NAME.to_owned(), body)
        }
        MessageContent::File(f) => (
            FILE_OBJECT_NAME.to_owned(),
            json!({
                "name": f.name,
                "size": f.size.unwrap_or(0),
                "type": extension(&f.name),
                "fileUrl": f.url,
            }),
        ),
        MessageContent::Location(l) => (
            LOCATION_OBJECT_NAME.to_owned(),
            json!({
                "content": "",
                "latitude": l.latitude,
                "longitude": l.longitude,
                "poi": l.description.clone().unwrap_or_default(),
            }),
        ),
        MessageContent::Sound(m) => {
            let mut body = json!({"remoteUrl": m.url, "duration": m.duration_secs.unwrap_or(0)});
            extra(&mut body, &[("size", m.size.map(|s| json!(s)))]);
            (SOUND_OBJECT_NAME.to_owned(), body)
        }
        MessageContent::Video(m) => (
            VIDEO_OBJECT_NAME.to_owned(),
            json!({
                "sightUrl": m.url,
                "content": "",
                "duration": m.duration_secs.unwrap_or(0),
                "size": m.size.unwrap_or(0),
                "name": file_name(&m.url),
            }),
        ),
        _ => {
            return Err(Error::invalid_input(
                "content",
                "is a content kind this backend does not know",
            ));
        }
    };
    match mentions {
        Mentions::None => {}
        Mentions::All => body["mentionedInfo"] = json!({"type": 1, "userIdList": []}),
        Mentions::Some(ids) => body["mentionedInfo"] = json!({"type": 2, "userIdList": ids}),
    }
    Ok((name, body.to_string()))
}

/// Sets `extra` to a JSON object of the given fields, when any is set.
fn extra(body: &mut Value, fields: &[(&str, Option<Value>)]) {
    let map: Map<String, Value> = fields
        .iter()
        .filter_map(|(k, v)| v.clone().map(|v| ((*k).to_owned(), v)))
        .collect();
    if !map.is_empty() {
        body["extra"] = json!(Value::Object(map).to_string());
    }
}

/// A file name's extension (RC:FileMsg `type`), lower case; empty without one.
fn extension(name: &str) -> String {
    match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => ext.to_ascii_lowercase(),
        _ => String::new(),
    }
}

/// The last path segment of a URL, without query or fragment.
fn file_name(url: &str) -> String {
    let path = url.split(['?', '#']).next().unwrap_or_default();
    path.rsplit('/').next().unwrap_or_default().to_owned()
}

/// The content of a stored message, read back from its `objectName` and `content`; `None` for
/// a vendor type imbridge does not read (notifications, commands) or a malformed built-in one.
pub(crate) fn decode(object_name: &str, content: &str) -> Option<MessageContent> {
    let parsed: Option<Value> = serde_json::from_str(content).ok();
    if !object_name.starts_with("RC:") {
        let mut payload = match parsed.as_ref().and_then(Value::as_object) {
            Some(obj) if obj.get("data").is_some_and(Value::is_string) => {
                let mut p = CustomPayload::new(str_of(obj, "data"));
                p.description = obj.get("desc").and_then(Value::as_str).map(str::to_owned);
                p.extension = obj.get("ext").and_then(Value::as_str).map(str::to_owned);
                p
            }
            // A payload another sender shaped its own way: the whole content is the data.
            _ => CustomPayload::new(content),
        };
        if object_name != DEFAULT_CUSTOM_OBJECT_NAME {
            payload.message_type = Some(object_name.to_owned());
        }
        return Some(MessageContent::Custom(payload));
    }
    let obj = parsed?.as_object()?.clone();
    let extra: Map<String, Value> = obj
        .get("extra")
        .and_then(Value::as_str)
        .and_then(|e| serde_json::from_str::<Value>(e).ok())
        .and_then(|v| v.as_object().cloned())
        .unwrap_or_default();
    match object_name {
        TEXT_OBJECT_NAME => Some(MessageContent::Text(
            obj.get("content")?.as_str()?.to_owned(),
        )),
        IMAGE_OBJECT_NAME => {
            let mut i = ImageContent::new(str_of(&obj, "imageUri"));
            i.thumbnail_url = extra
                .get("thumbnailUrl")
                .and_then(Value::as_str)
                .map(str::to_owned);
            i.width = num(&extra, "width").and_then(|n| u32::try_from(n).ok());
            i.height = num(&extra, "height").and_then(|n| u32::try_from(n).ok());
            i.size = num(&extra, "size");
            Some(MessageContent::Image(i))
        }
        FILE_OBJECT_NAME => {
            let mut f = FileContent::new(str_of(&obj, "fileUrl"), str_of(&obj, "name"));
            f.size = num(&obj, "size").filter(|s| *s > 0);
            Some(MessageContent::File(f))
        }
        LOCATION_OBJECT_NAME => {
            let mut l = LocationContent::new(
                obj.get("latitude").and_then(Value::as_f64)?,
                obj.get("longitude").and_then(Value::as_f64)?,
            );
            l.description = obj
                .get("poi")
                .and_then(Value::as_str)
                .filter(|p| !p.is_empty())
                .map(str::to_owned);
            Some(MessageContent::Location(l))
        }
        SOUND_OBJECT_NAME => {
            let mut m = MediaContent::new(str_of(&obj, "remoteUrl"));
            m.duration_secs = duration(&obj);
            m.size = num(&extra, "size");
            Some(MessageContent::Sound(m))
        }
        VIDEO_OBJECT_NAME => {
            let mut m = MediaContent::new(str_of(&obj, "sightUrl"));
            m.duration_secs = duration(&obj);
            m.size = num(&obj, "size").filter(|s| *s > 0);
            Some(MessageContent::Video(m))
        }
        _ => None,
    }
}

fn str_of(obj: &Map<String, Value>, key: &str) -> String {
    obj.get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

/// A whole number, given as a JSON number or a string of digits (some SDKs send strings).
fn num(obj: &Map<String, Value>, key: &str) -> Option<u64> {
    match obj.get(key)? {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

/// A duration in whole seconds; 0 (what imbridge sends for an unknown one) reads as `None`.
fn duration(obj: &Map<String, Value>) -> Option<u32> {
    num(obj, "duration")
        .and_then(|d| u32::try_from(d).ok())
        .filter(|d| *d > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(content: MessageContent) {
        let (name, body) = encode_content(&content).unwrap();
        assert_eq!(decode(&name, &body), Some(content), "{name} {body}");
    }

    #[test]
    fn every_kind_reads_back_as_sent() {
        round_trip(MessageContent::text("hi"));
        round_trip(MessageContent::custom("x"));
        round_trip(MessageContent::Custom(
            CustomPayload::new("{}")
                .message_type("App:Order")
                .description("d"),
        ));
        let mut image = ImageContent::new("https://x/a.png");
        image.width = Some(10);
        image.thumbnail_url = Some("https://x/t.png".into());
        round_trip(MessageContent::Image(image));
        let mut file = FileContent::new("https://x/r.PDF", "r.PDF");
        file.size = Some(12);
        round_trip(MessageContent::File(file));
        let mut place = LocationContent::new(39.9, 116.4);
        place.description = Some("Tiananmen".into());
        round_trip(MessageContent::Location(place));
        let mut sound = MediaContent::new("https://x/v.aac");
        sound.duration_secs = Some(3);
        sound.size = Some(99);
        round_trip(MessageContent::Sound(sound));
        let mut video = MediaContent::new("https://x/v.mp4?sig=1");
        video.duration_secs = Some(7);
        video.size = Some(1000);
        round_trip(MessageContent::Video(video));
    }

    #[test]
    fn files_carry_their_extension_and_videos_their_name() {
        let (_, body) =
            encode_content(&MessageContent::File(FileContent::new("u", "a.tar.GZ"))).unwrap();
        assert!(body.contains(r#""type":"gz""#), "{body}");
        let (_, body) = encode_content(&MessageContent::Video(MediaContent::new(
            "https://x/c/v.mp4?a",
        )))
        .unwrap();
        assert!(body.contains(r#""name":"v.mp4""#), "{body}");
    }

    #[test]
    fn mentions_go_in_mentioned_info() {
        let ids = vec!["a".to_owned()];
        let (_, body) = encode(&MessageContent::text("hi"), &Mentions::Some(&ids)).unwrap();
        let v: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(v["mentionedInfo"], json!({"type": 2, "userIdList": ["a"]}));
        let (_, body) = encode(&MessageContent::text("hi"), &Mentions::All).unwrap();
        let v: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(v["mentionedInfo"]["type"], 1);
    }
}
