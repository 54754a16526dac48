//! Presence: whether a user is online, as the emulator's presence answers read it.
//!
//! The emulator has no client connections, so users are offline until a test says otherwise:
//! [`crate::Emulator::set_online`], [`crate::TencentState::set_presence`],
//! [`crate::RongCloudState::set_presence`], or `POST /_emulator/presence` (see
//! [`crate::control`]). Kicked (Tencent), blocked and deactivated (RongCloud) users read as
//! offline.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A user's online state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Presence {
    /// Connected (Tencent `Online`, RongCloud `status` `"1"`).
    Online,
    /// Not connected but reachable by offline push (Tencent `PushOnline`; RongCloud has no such
    /// state and reads it as offline, `"0"`).
    PushOnline,
    /// Not connected (Tencent `Offline`, RongCloud `"0"`). The default.
    #[default]
    Offline,
}

impl Presence {
    /// Parses `online`, `push_online` or `offline` (ASCII case and `-`/`_` ignored, so Tencent's
    /// `PushOnline` is accepted too).
    pub fn parse(text: &str) -> Option<Presence> {
        let norm: String = text
            .chars()
            .filter(|c| *c != '_' && *c != '-')
            .map(|c| c.to_ascii_lowercase())
            .collect();
        match norm.as_str() {
            "online" => Some(Presence::Online),
            "pushonline" => Some(Presence::PushOnline),
            "offline" => Some(Presence::Offline),
            _ => None,
        }
    }

    /// The name in the control API: `online`, `push_online` or `offline`.
    pub fn as_str(self) -> &'static str {
        match self {
            Presence::Online => "online",
            Presence::PushOnline => "push_online",
            Presence::Offline => "offline",
        }
    }

    /// Tencent's name: `Online`, `PushOnline` or `Offline`.
    pub fn tencent_name(self) -> &'static str {
        match self {
            Presence::Online => "Online",
            Presence::PushOnline => "PushOnline",
            Presence::Offline => "Offline",
        }
    }
}

impl fmt::Display for Presence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One of the two emulated vendors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Vendor {
    /// Tencent Cloud IM (REST API v4, `/v4/...`).
    Tencent,
    /// RongCloud (Server API, `/....json`).
    #[serde(rename = "rongcloud")]
    RongCloud,
}

impl Vendor {
    /// Parses `tencent` or `rongcloud` (ASCII case ignored).
    pub fn parse(text: &str) -> Option<Vendor> {
        if text.eq_ignore_ascii_case("tencent") {
            Some(Vendor::Tencent)
        } else if text.eq_ignore_ascii_case("rongcloud") {
            Some(Vendor::RongCloud)
        } else {
            None
        }
    }

    /// `tencent` or `rongcloud`.
    pub fn as_str(self) -> &'static str {
        match self {
            Vendor::Tencent => "tencent",
            Vendor::RongCloud => "rongcloud",
        }
    }
}

impl fmt::Display for Vendor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_names() {
        assert_eq!(Presence::parse("online"), Some(Presence::Online));
        assert_eq!(Presence::parse("push_online"), Some(Presence::PushOnline));
        assert_eq!(Presence::parse("PushOnline"), Some(Presence::PushOnline));
        assert_eq!(Presence::parse("OFFLINE"), Some(Presence::Offline));
        assert_eq!(Presence::parse("away"), None);
        assert_eq!(Vendor::parse("RongCloud"), Some(Vendor::RongCloud));
        assert_eq!(Vendor::parse("x"), None);
        assert_eq!(
            serde_json::to_string(&Presence::PushOnline).unwrap(),
            "\"push_online\""
        );
        assert_eq!(
            serde_json::to_string(&Vendor::RongCloud).unwrap(),
            "\"rongcloud\""
        );
    }
}
