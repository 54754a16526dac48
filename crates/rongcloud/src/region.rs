//! RongCloud data-center regions and their Server API domains.

use std::fmt;
use std::str::FromStr;

use imbridge_core::{Error, Vendor, VendorRegion};

/// A RongCloud data center; an app's region is fixed when the app is created.
///
/// ```
/// use imbridge_rongcloud::{Region, VendorRegion};
///
/// let r: Region = "north-america".parse().unwrap();
/// assert_eq!(r.primary_host(), "api.us-light-api.com");
/// assert_eq!(r.backup_host(), "api-b.us-light-api.com");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Region {
    /// Beijing (the default).
    #[default]
    Beijing,
    /// Singapore.
    Singapore,
    /// Singapore B.
    SingaporeB,
    /// North America.
    NorthAmerica,
    /// Saudi Arabia.
    SaudiArabia,
}

impl VendorRegion for Region {
    const VENDOR: Vendor = Vendor::RongCloud;
    const ALL: &'static [Self] = &[
        Region::Beijing,
        Region::Singapore,
        Region::SingaporeB,
        Region::NorthAmerica,
        Region::SaudiArabia,
    ];

    fn name(self) -> &'static str {
        match self {
            Region::Beijing => "beijing",
            Region::Singapore => "singapore",
            Region::SingaporeB => "singapore-b",
            Region::NorthAmerica => "north-america",
            Region::SaudiArabia => "saudi-arabia",
        }
    }

    fn primary_host(self) -> &'static str {
        match self {
            Region::Beijing => "api.rong-api.com",
            Region::Singapore => "api.sg-light-api.com",
            Region::SingaporeB => "api.sg-b-light-api.com",
            Region::NorthAmerica => "api.us-light-api.com",
            Region::SaudiArabia => "api.sau-light-api.com",
        }
    }

    fn backup_host(self) -> &'static str {
        match self {
            Region::Beijing => "api-b.rong-api.com",
            Region::Singapore => "api-b.sg-light-api.com",
            Region::SingaporeB => "api-b.sg-b-light-api.com",
            Region::NorthAmerica => "api-b.us-light-api.com",
            Region::SaudiArabia => "api-b.sau-light-api.com",
        }
    }

    fn aliases(self) -> &'static [&'static str] {
        match self {
            Region::Beijing => &["cn", "china", "default"],
            Region::Singapore => &["sg"],
            Region::SingaporeB => &["sgb"],
            Region::NorthAmerica => &["na", "us", "usa"],
            Region::SaudiArabia => &["sa", "sau"],
        }
    }
}

impl FromStr for Region {
    type Err = Error;

    /// Parses a region name, case-insensitively; `-`, `_` and spaces are interchangeable, and
    /// `cn`, `sg`, `sg-b`, `us`/`na`, `sa` are accepted too.
    fn from_str(s: &str) -> Result<Self, Error> {
        imbridge_core::region::parse(s)
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_region_of_the_spec_table() {
        let table = [
            ("beijing", "api.rong-api.com", "api-b.rong-api.com"),
            (
                "singapore",
                "api.sg-light-api.com",
                "api-b.sg-light-api.com",
            ),
            (
                "singapore-b",
                "api.sg-b-light-api.com",
                "api-b.sg-b-light-api.com",
            ),
            (
                "north-america",
                "api.us-light-api.com",
                "api-b.us-light-api.com",
            ),
            (
                "saudi-arabia",
                "api.sau-light-api.com",
                "api-b.sau-light-api.com",
            ),
        ];
        assert_eq!(table.len(), <Region as VendorRegion>::ALL.len());
        for (name, primary, backup) in table {
            let r: Region = name.parse().unwrap();
            assert_eq!(
                (r.name(), r.primary_host(), r.backup_host()),
                (name, primary, backup)
            );
        }
        assert!(
            "atlantis"
                .parse::<Region>()
                .unwrap_err()
                .message()
                .contains("saudi-arabia")
        );
    }
}
