//! Message content on the wire: `MsgBody` elements (`TIM*Elem`) both ways, mentions
//! (`GroupAtInfo`) and offline push (`OfflinePushInfo`).

use imbridge_core::{
    CustomPayload, Error, FileContent, ImageContent, LocationContent, MediaContent, MessageContent,
    PushInfo, Result,
};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// `Download_Flag` / `VideoDownloadFlag` 2: the recipient downloads straight from the URL.
const DOWNLOAD_FROM_URL: u8 = 2;

/// One `MsgBody` element.
#[derive(Debug, Serialize)]
pub(crate) struct MsgElement<'a> {
    #[serde(rename = "MsgType")]
    msg_type: &'static str,
    #[serde(rename = "MsgContent")]
    msg_content: MsgContent<'a>,
}

/// `ImageInfoArray` entry: `Type` 1 original, 2 large, 3 thumbnail.
#[derive(Debug, Serialize)]
struct ImageInfo<'a> {
    #[serde(rename = "Type")]
    kind: u8,
    #[serde(rename = "Size")]
    size: u64,
    #[serde(rename = "Width")]
    width: u32,
    #[serde(rename = "Height")]
    height: u32,
    #[serde(rename = "URL")]
    url: &'a str,
}

#[derive(Debug, Serialize)]
#[serde(untagged)]
enum MsgContent<'a> {
    Text {
        #[serde(rename = "Text")]
        text: &'a str,
    },
    Custom {
        #[serde(rename = "Data")]
        data: &'a str,
        #[serde(rename = "Desc", skip_serializing_if = "Option::is_none")]
        desc: Option<&'a str>,
        #[serde(rename = "Ext", skip_serializing_if = "Option::is_none")]
        ext: Option<&'a str>,
    },
    Image {
        #[serde(rename = "UUID")]
        uuid: String,
        #[serde(rename = "ImageFormat")]
        image_format: u16,
        #[serde(rename = "ImageInfoArray")]
        image_info_array: Vec<ImageInfo<'a>>,
    },
    File {
        #[serde(rename = "Url")]
        url: &'a str,
        #[serde(rename = "UUID")]
        uuid: String,
        #[serde(rename = "FileSize")]
        file_size: u64,
        #[serde(rename = "FileName")]
        file_name: &'a str,
        #[serde(rename = "Download_Flag")]
        download_flag: u8,
    },
    Location {
        #[serde(rename = "Desc")]
        desc: &'a str,
        #[serde(rename = "Latitude")]
        latitude: f64,
        #[serde(rename = "Longitude")]
        longitude: f64,
    },
    Sound {
        #[serde(rename = "Url")]
        url: &'a str,
        #[serde(rename = "UUID")]
        uuid: String,
        #[serde(rename = "Size")]
        size: u64,
        #[serde(rename = "Second")]
        second: u32,
        #[serde(rename = "Download_Flag")]
        download_flag: u8,
    },
    Video {
        #[serde(rename = "VideoUrl")]
        video_url: &'a str,
        #[serde(rename = "VideoUUID")]
        video_uuid: String,
        #[serde(rename = "VideoSize")]
        video_size: u64,
        #[serde(rename = "VideoSecond")]
        video_second: u32,
        #[serde(rename = "VideoFormat")]
        video_format: String,
        #[serde(rename = "VideoDownloadFlag")]
        video_download_flag: u8,
    },
}

/// A stable id for a file known by its URL (`UUID`, `VideoUUID`): the first 128 bits of the
/// URL's SHA-256, in hex, so that the same URL always gets the same id.
pub(crate) fn uuid_of(url: &str) -> String {
    let digest = Sha256::digest(url.as_bytes());
    hex::encode(&digest[..16])
}

/// The extension of the URL's last path segment, lower-cased (`""` when there is none).
fn extension(url: &str) -> String {
    let path = url.split(['?', '#']).next().unwrap_or_default();
    let last = path.rsplit('/').next().unwrap_or_default();
    match last.rsplit_once('.') {
        Some((_, ext)) if !ext.is_empty() && ext.len() <= 5 => ext.to_ascii_lowercase(),
        _ => String::new(),
    }
}

/// `ImageFormat`: 1 JPG, 2 GIF, 3 PNG, 4 BMP, 255 other, from the URL's extension.
fn image_format(url: &str) -> u16 {
    match extension(url).as_str() {
        "jpg" | "jpeg" => 1,
        "gif" => 2,
        "png" => 3,
        "bmp" => 4,
        _ => 255,
    }
}

/// The `MsgBody` element of `content`.
pub(crate) fn msg_element(content: &MessageContent) -> Result<MsgElement<'_>> {
    let (msg_type, msg_content) = match content {
        MessageContent::Text(text) => ("TIMTextElem", MsgContent::Text { text }),
        MessageContent::Custom(p) => (
            "TIMCustomElem",
            MsgContent::Custom {
                data: &p.data,
                desc: p.description.as_deref(),
                ext: p.extension.as_deref(),
            },
        ),
        MessageContent::Image(i) => {
            let original = |kind| ImageInfo {
                kind,
                size: i.size.unwrap_or(0),
                width: i.width.unwrap_or(0),
                height: i.height.unwrap_or(0),
                url: &i.url,
            };
            let thumbnail = ImageInfo {
                kind: 3,
                size: 0,
                width: 0,
                height: 0,
                url: i.thumbnail_url.as_deref().unwrap_or(&i.url),
            };
            (
                "TIMImageElem",
                MsgContent::Image {
                    uuid: uuid_of(&i.url),
                    image_format: image_format(&i.url),
                    image_info_array: vec![original(1), original(2), thumbnail],
                },
            )
        }
        MessageContent::File(f) => (
            "TIMFileElem",
            MsgContent::File {
                url: &f.url,
                uuid: uuid_of(&f.url),
                file_size: f.size.unwrap_or(0),
                file_name: &f.name,
                download_flag: DOWNLOAD_FROM_URL,
            },
        ),
        MessageContent::Location(l) => (
            "TIMLocationElem",
            MsgContent::Location {
                desc: l.description.as_deref().unwrap_or_default(),
                latitude: l.latitude,
                longitude: l.longitude,
            },
        ),
        MessageContent::Sound(m) => (
            "TIMSoundElem",
            MsgContent::Sound {
                url: &m.url,
                uuid: uuid_of(&m.url),
                size: m.size.unwrap_or(0),
                second: m.duration_secs.unwrap_or(0),
                download_flag: DOWNLOAD_FROM_URL,
            },
        ),
        MessageContent::Video(m) => (
            "TIMVideoFileElem",
            MsgContent::Video {
                video_url: &m.url,
                video_uuid: uuid_of(&m.url),
                video_size: m.size.unwrap_or(0),
                video_second: m.duration_secs.unwrap_or(0),
                video_format: extension(&m.url),
                video_download_flag: DOWNLOAD_FROM_URL,
            },
        ),
        _ => {
            return Err(Error::invalid_input(
                "content",
                "is a content kind this backend does not know",
            ));
        }
    };
    Ok(MsgElement {
        msg_type,
        msg_content,
    })
}

/// A `MsgBody` element as read back (history): every field any element kind has, defaulted.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct ReadElement {
    #[serde(rename = "MsgType")]
    msg_type: String,
    #[serde(rename = "MsgContent")]
    msg_content: ReadContent,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ReadImageInfo {
    #[serde(rename = "Type")]
    kind: u8,
    #[serde(rename = "Size")]
    size: u64,
    #[serde(rename = "Width")]
    width: u32,
    #[serde(rename = "Height")]
    height: u32,
    #[serde(rename = "URL")]
    url: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ReadContent {
    #[serde(rename = "Text")]
    text: String,
    #[serde(rename = "Data")]
    data: String,
    #[serde(rename = "Desc")]
    desc: Option<String>,
    #[serde(rename = "Ext")]
    ext: Option<String>,
    #[serde(rename = "ImageInfoArray")]
    image_info_array: Vec<ReadImageInfo>,
    #[serde(rename = "Url")]
    url: String,
    #[serde(rename = "FileSize")]
    file_size: u64,
    #[serde(rename = "FileName")]
    file_name: String,
    #[serde(rename = "Latitude")]
    latitude: f64,
    #[serde(rename = "Longitude")]
    longitude: f64,
    #[serde(rename = "Size")]
    size: u64,
    #[serde(rename = "Second")]
    second: u32,
    #[serde(rename = "VideoUrl")]
    video_url: String,
    #[serde(rename = "VideoSize")]
    video_size: u64,
    #[serde(rename = "VideoSecond")]
    video_second: u32,
}

fn nonzero<T: Default + PartialEq>(value: T) -> Option<T> {
    (value != T::default()).then_some(value)
}

/// The content of a message read back: its first element this SDK knows, `None` otherwise.
pub(crate) fn read_content(body: &[ReadElement]) -> Option<MessageContent> {
    body.iter().find_map(read_element)
}

fn read_element(e: &ReadElement) -> Option<MessageContent> {
    let c = &e.msg_content;
    Some(match e.msg_type.as_str() {
        "TIMTextElem" => MessageContent::Text(c.text.clone()),
        "TIMCustomElem" => {
            let mut p = CustomPayload::new(c.data.clone());
            p.description = c.desc.clone().filter(|d| !d.is_empty());
            p.extension = c.ext.clone().filter(|x| !x.is_empty());
            MessageContent::Custom(p)
        }
        "TIMImageElem" => {
            let original = c
                .image_info_array
                .iter()
                .find(|i| i.kind == 1)
                .or_else(|| c.image_info_array.first())?;
            let mut image = ImageContent::new(original.url.clone());
            image.size = nonzero(original.size);
            image.width = nonzero(original.width);
            image.height = nonzero(original.height);
            image.thumbnail_url = c
                .image_info_array
                .iter()
                .find(|i| i.kind == 3 && i.url != original.url)
                .map(|i| i.url.clone());
            MessageContent::Image(image)
        }
        "TIMFileElem" => {
            let mut file = FileContent::new(c.url.clone(), c.file_name.clone());
            file.size = nonzero(c.file_size);
            MessageContent::File(file)
        }
        "TIMLocationElem" => {
            let mut at = LocationContent::new(c.latitude, c.longitude);
            at.description = c.desc.clone().filter(|d| !d.is_empty());
            MessageContent::Location(at)
        }
        "TIMSoundElem" => {
            let mut clip = MediaContent::new(c.url.clone());
            clip.size = nonzero(c.size);
            clip.duration_secs = nonzero(c.second);
            MessageContent::Sound(clip)
        }
        "TIMVideoFileElem" => {
            let mut clip = MediaContent::new(c.video_url.clone());
            clip.size = nonzero(c.video_size);
            clip.duration_secs = nonzero(c.video_second);
            MessageContent::Video(clip)
        }
        _ => return None,
    })
}

/// `GroupAtInfo` entry: `GroupAtAllFlag` 1 mentions everyone, else `GroupAt_Account`.
#[derive(Debug, Serialize)]
pub(crate) struct GroupAt<'a> {
    #[serde(rename = "GroupAtAllFlag")]
    all: u8,
    #[serde(rename = "GroupAt_Account", skip_serializing_if = "Option::is_none")]
    account: Option<&'a str>,
}

/// The `GroupAtInfo` of a group send (empty when it mentions no one).
pub(crate) fn group_at_info<'a>(mentions: &'a [String], all: bool) -> Vec<GroupAt<'a>> {
    let everyone = all.then_some(GroupAt {
        all: 1,
        account: None,
    });
    everyone
        .into_iter()
        .chain(mentions.iter().map(|m| GroupAt {
            all: 0,
            account: Some(m),
        }))
        .collect()
}

/// `OfflinePushInfo` {`Title`, `Desc`, `Ext`}.
#[derive(Debug, Serialize)]
pub(crate) struct OfflinePushInfo<'a> {
    #[serde(rename = "Title", skip_serializing_if = "Option::is_none")]
    title: Option<&'a str>,
    #[serde(rename = "Desc", skip_serializing_if = "Option::is_none")]
    desc: Option<&'a str>,
    #[serde(rename = "Ext", skip_serializing_if = "Option::is_none")]
    ext: Option<&'a str>,
}

/// The `OfflinePushInfo` of `push`.
pub(crate) fn offline_push(push: Option<&PushInfo>) -> Option<OfflinePushInfo<'_>> {
    push.map(|p| OfflinePushInfo {
        title: p.title.as_deref(),
        desc: p.body.as_deref(),
        ext: p.extras.as_deref(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_ids_come_from_the_url() {
        assert_eq!(image_format("https://x/a/b.PNG?size=2"), 3);
        assert_eq!(image_format("https://x/a/b"), 255);
        assert_eq!(extension("https://x/v.mp4#t"), "mp4");
        assert_eq!(uuid_of("u"), uuid_of("u"));
        assert_eq!(uuid_of("u").len(), 32);
    }

    #[test]
    fn every_kind_reads_back_as_written() {
        let mut image = ImageContent::new("https://x/i.jpg");
        image.thumbnail_url = Some("https://x/t.jpg".into());
        image.width = Some(10);
        let mut file = FileContent::new("https://x/f.pdf", "f.pdf");
        file.size = Some(9);
        let mut clip = MediaContent::new("https://x/v.mp4");
        clip.duration_secs = Some(3);
        let mut at = LocationContent::new(1.5, -2.0);
        at.description = Some("here".into());
        for content in [
            MessageContent::text("hi"),
            MessageContent::Custom(CustomPayload::new("d").description("x")),
            MessageContent::Image(image),
            MessageContent::File(file),
            MessageContent::Location(at),
            MessageContent::Sound(clip.clone()),
            MessageContent::Video(clip),
        ] {
            let json = serde_json::to_value([msg_element(&content).unwrap()]).unwrap();
            let back: Vec<ReadElement> = serde_json::from_value(json).unwrap();
            assert_eq!(read_content(&back), Some(content));
        }
    }
}
