//! References to sent messages, for recall and history.

use std::fmt;
use std::str::FromStr;

use crate::{Error, Vendor};

/// A reference to one sent message, unique across the app, that carries what the vendor needs
/// to find it again (recall, history): Tencent one-to-one `from`, `to` and `MsgKey`; Tencent
/// group the group id and `MsgSeq`; RongCloud the conversation type, sender, target,
/// `messageUID` and the send time. Every send returns one.
///
/// It is opaque to callers and travels as one string (`vendor:part:part:…`, each part
/// percent-encoded), so it can be stored in a database or handed to a client and parsed back
/// with [`FromStr`]. Only the vendor crate that made it reads its parts.
///
/// ```
/// use imbridge_core::{MessageRef, Vendor};
///
/// let r = MessageRef::new(Vendor::Tencent, &["c2c", "li:lei", "han", "12_34"]);
/// assert_eq!(r.to_string(), "tencent:c2c:li%3Alei:han:12_34");
/// let back: MessageRef = r.to_string().parse().unwrap();
/// assert_eq!(back, r);
/// assert_eq!(back.vendor(), Vendor::Tencent);
/// assert_eq!(back.parts(), ["c2c", "li:lei", "han", "12_34"]);
/// assert!("nonsense".parse::<MessageRef>().is_err());
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct MessageRef {
    vendor: Vendor,
    text: String,
}

impl MessageRef {
    /// A reference of `vendor` made of `parts` (for vendor crates).
    pub fn new(vendor: Vendor, parts: &[&str]) -> Self {
        let mut text = vendor.as_str().to_owned();
        for part in parts {
            text.push(':');
            for b in part.bytes() {
                if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'@' | b'#' | b'~')
                {
                    text.push(b as char);
                } else {
                    text.push_str(&format!("%{b:02X}"));
                }
            }
        }
        MessageRef { vendor, text }
    }

    /// The vendor that sent the message.
    pub fn vendor(&self) -> Vendor {
        self.vendor
    }

    /// The vendor's parts, decoded (for vendor crates).
    pub fn parts(&self) -> Vec<String> {
        self.text
            .split(':')
            .skip(1)
            .map(|p| decode(p).unwrap_or_default())
            .collect()
    }

    /// The reference as one string.
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

/// A percent-decoded part, or `None` when it is not valid.
fn decode(part: &str) -> Option<String> {
    let bytes = part.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = part.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

impl FromStr for MessageRef {
    type Err = Error;

    fn from_str(text: &str) -> Result<Self, Error> {
        let bad =
            || Error::invalid_input("message_ref", "is not a message reference imbridge made");
        let (vendor, rest) = text.split_once(':').ok_or_else(bad)?;
        let vendor = Vendor::ALL
            .into_iter()
            .find(|v| v.as_str() == vendor)
            .ok_or_else(bad)?;
        if rest.split(':').any(|p| decode(p).is_none()) {
            return Err(bad());
        }
        Ok(MessageRef {
            vendor,
            text: text.to_owned(),
        })
    }
}

impl fmt::Display for MessageRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl fmt::Debug for MessageRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "MessageRef({:?})", self.text)
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for MessageRef {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.text)
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for MessageRef {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        text.parse()
            .map_err(|e: Error| serde::de::Error::custom(e.message().to_owned()))
    }
}
