//! RongCloud's two group models, and which one a client speaks.

use std::fmt;
use std::str::FromStr;

use imbridge_core::{Error, Result};

/// Which of RongCloud's group models a client uses. An app has one or the other: the
/// profile-hosting service is switched on per app (by a ticket to the vendor), and groups made
/// through one API are not managed through the other.
///
/// * [`Basic`](GroupMode::Basic) (the default): the legacy `/group/*.json` API. The vendor keeps
///   a group's members and a name for push notifications, nothing else: no owner, no profile,
///   no roles, no listing of an app's groups. `get_groups`, `list_groups` and
///   `transfer_group` are unsupported; dismissing needs a user id as the operator
///   ([`group_operator`](crate::RongCloudClientBuilder::group_operator)).
/// * [`Hosted`](GroupMode::Hosted): the profile-hosting service (信息托管, `/entrust/group/*.json`):
///   owners, profiles (introduction, announcement, avatar, join permission), member roles and
///   join times, and paged listings. Creating a group needs an owner.
///
/// Mutes go through the same `/group/user/gag/*` and `/group/ban/*` endpoints in both models
/// (the hosting service has no mute endpoints of its own).
///
/// The [`Capabilities`](imbridge_core::Capabilities) of a client follow its mode
/// ([`capabilities_for`](crate::capabilities_for)).
///
/// ```
/// use imbridge_rongcloud::GroupMode;
///
/// let mode: GroupMode = "hosted".parse().unwrap();
/// assert_eq!(mode, GroupMode::Hosted);
/// assert_eq!(mode.as_str(), "hosted");
/// assert_eq!(GroupMode::default(), GroupMode::Basic);
/// assert!("entrust".parse::<GroupMode>().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum GroupMode {
    /// Legacy groups (`/group/*.json`): members and a push name only.
    #[default]
    Basic,
    /// Groups of the profile-hosting service (`/entrust/group/*.json`).
    Hosted,
}

impl GroupMode {
    /// Both modes, the default first.
    pub const ALL: [GroupMode; 2] = [GroupMode::Basic, GroupMode::Hosted];

    /// The mode's name in configuration: `"basic"` or `"hosted"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            GroupMode::Basic => "basic",
            GroupMode::Hosted => "hosted",
        }
    }
}

impl FromStr for GroupMode {
    type Err = Error;

    /// Parses [`GroupMode::as_str`] names, case-insensitively.
    fn from_str(s: &str) -> Result<Self> {
        let wanted = s.trim().to_ascii_lowercase();
        GroupMode::ALL
            .into_iter()
            .find(|m| m.as_str() == wanted)
            .ok_or_else(|| {
                Error::config(
                    "unknown RongCloud group mode; use \"basic\" (legacy groups) or \"hosted\" \
                     (the profile-hosting service)",
                )
            })
    }
}

impl fmt::Display for GroupMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for mode in GroupMode::ALL {
            assert_eq!(mode.as_str().parse::<GroupMode>().unwrap(), mode);
            assert_eq!(mode.to_string(), mode.as_str());
        }
        assert_eq!(" Hosted ".parse::<GroupMode>().unwrap(), GroupMode::Hosted);
        let err = "entrusted".parse::<GroupMode>().unwrap_err();
        assert!(err.message().contains("\"basic\""), "{err}");
        assert!(
            !err.message().contains("entrusted"),
            "values are not echoed"
        );
    }
}
