//! Tencent Cloud IM data-center regions and their REST API domains.

use std::fmt;
use std::str::FromStr;

use imbridge_core::{Error, Vendor, VendorRegion};

/// A Tencent Cloud IM region; an app's region is fixed when the app is created.
///
/// ```
/// use imbridge_tencent::{Region, VendorRegion};
///
/// let r: Region = "singapore".parse().unwrap();
/// assert_eq!(r.primary_host(), "adminapisgp.im.qcloud.com");
/// assert_eq!(r.backup_host(), "adminapisgp.my-imcloud.com");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Region {
    /// China (the default).
    #[default]
    China,
    /// Singapore.
    Singapore,
    /// Seoul.
    Seoul,
    /// Tokyo.
    Tokyo,
    /// Frankfurt.
    Frankfurt,
    /// Silicon Valley.
    SiliconValley,
    /// Jakarta.
    Jakarta,
    /// Mumbai.
    Mumbai,
}

impl VendorRegion for Region {
    const VENDOR: Vendor = Vendor::Tencent;
    const ALL: &'static [Self] = &[
        Region::China,
        Region::Singapore,
        Region::Seoul,
        Region::Tokyo,
        Region::Frankfurt,
        Region::SiliconValley,
        Region::Jakarta,
        Region::Mumbai,
    ];

    fn name(self) -> &'static str {
        match self {
            Region::China => "china",
            Region::Singapore => "singapore",
            Region::Seoul => "seoul",
            Region::Tokyo => "tokyo",
            Region::Frankfurt => "frankfurt",
            Region::SiliconValley => "silicon-valley",
            Region::Jakarta => "jakarta",
            Region::Mumbai => "mumbai",
        }
    }

    fn primary_host(self) -> &'static str {
        match self {
            Region::China => "console.tim.qq.com",
            Region::Singapore => "adminapisgp.im.qcloud.com",
            Region::Seoul => "adminapikr.im.qcloud.com",
            Region::Tokyo => "adminapijpn.im.qcloud.com",
            Region::Frankfurt => "adminapiger.im.qcloud.com",
            Region::SiliconValley => "adminapiusa.im.qcloud.com",
            Region::Jakarta => "adminapiidn.im.qcloud.com",
            Region::Mumbai => "adminapiind.im.qcloud.com",
        }
    }

    /// Mumbai's backup is not confirmed by the vendor.
    fn backup_host(self) -> &'static str {
        match self {
            Region::China => "adminapi.my-imcloud.com",
            Region::Singapore => "adminapisgp.my-imcloud.com",
            Region::Seoul => "adminapikr.my-imcloud.com",
            Region::Tokyo => "adminapijpn.my-imcloud.com",
            Region::Frankfurt => "adminapiger.my-imcloud.com",
            Region::SiliconValley => "adminapiusa.my-imcloud.com",
            Region::Jakarta => "adminapiidn.my-imcloud.com",
            Region::Mumbai => "adminapiind.my-imcloud.com",
        }
    }

    fn aliases(self) -> &'static [&'static str] {
        match self {
            Region::China => &["cn", "default"],
            Region::Singapore => &["sgp", "sg"],
            Region::Seoul => &["korea", "kr"],
            Region::Tokyo => &["japan", "jp", "jpn"],
            Region::Frankfurt => &["germany", "de", "ger"],
            Region::SiliconValley => &["usa", "us"],
            Region::Jakarta => &["indonesia", "id", "idn"],
            Region::Mumbai => &["india", "in", "ind"],
        }
    }
}

impl FromStr for Region {
    type Err = Error;

    /// Parses a region name, case-insensitively; `-`, `_` and spaces are interchangeable and a
    /// few common aliases (`cn`, `sgp`, `kr`, `jp`, `de`, `us`/`usa`, `id`, `in`) are accepted.
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
            ("china", "console.tim.qq.com", "adminapi.my-imcloud.com"),
            (
                "singapore",
                "adminapisgp.im.qcloud.com",
                "adminapisgp.my-imcloud.com",
            ),
            (
                "seoul",
                "adminapikr.im.qcloud.com",
                "adminapikr.my-imcloud.com",
            ),
            (
                "tokyo",
                "adminapijpn.im.qcloud.com",
                "adminapijpn.my-imcloud.com",
            ),
            (
                "frankfurt",
                "adminapiger.im.qcloud.com",
                "adminapiger.my-imcloud.com",
            ),
            (
                "silicon-valley",
                "adminapiusa.im.qcloud.com",
                "adminapiusa.my-imcloud.com",
            ),
            (
                "jakarta",
                "adminapiidn.im.qcloud.com",
                "adminapiidn.my-imcloud.com",
            ),
            (
                "mumbai",
                "adminapiind.im.qcloud.com",
                "adminapiind.my-imcloud.com",
            ),
        ];
        assert_eq!(table.len(), <Region as VendorRegion>::ALL.len());
        for (name, primary, backup) in table {
            let r: Region = name.parse().unwrap();
            assert_eq!(
                (r.name(), r.primary_host(), r.backup_host()),
                (name, primary, backup)
            );
            assert_eq!(r.base_urls()[0], format!("https://{primary}/"));
        }
        assert_eq!(
            "Silicon Valley".parse::<Region>().unwrap(),
            Region::SiliconValley
        );
        assert_eq!("SGP".parse::<Region>().unwrap(), Region::Singapore);
        let err = "mars".parse::<Region>().unwrap_err();
        assert!(
            err.message().contains("mars")
                && err.message().contains("frankfurt")
                && err.message().contains("Tencent")
        );
    }
}
