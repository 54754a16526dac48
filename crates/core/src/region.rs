//! Vendor regions: each vendor has a table of data centers with a primary and a backup domain.
//! The shape, the name parsing and the choice between a region and caller-given base URLs are
//! the same for every vendor, so they live here.

use std::fmt;

use url::Url;

use crate::endpoint::parse_base_url;
use crate::{Error, Result, Vendor};

/// A vendor's data-center region. Implemented by each vendor crate's `Region` enum.
///
/// ```
/// use imbridge_core::{Vendor, VendorRegion};
///
/// #[derive(Debug, Clone, Copy, PartialEq, Default)]
/// enum Demo { #[default] Home, Away }
///
/// impl std::fmt::Display for Demo {
///     fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { f.write_str(self.name()) }
/// }
///
/// impl VendorRegion for Demo {
///     const VENDOR: Vendor = Vendor::Tencent;
///     const ALL: &'static [Self] = &[Demo::Home, Demo::Away];
///     fn name(self) -> &'static str { match self { Demo::Home => "home", Demo::Away => "far-away" } }
///     fn primary_host(self) -> &'static str { "a.example.com" }
///     fn backup_host(self) -> &'static str { "b.example.com" }
///     fn aliases(self) -> &'static [&'static str] { match self { Demo::Away => &["fa"], _ => &[] } }
/// }
///
/// assert_eq!(imbridge_core::region::parse::<Demo>("Far Away").unwrap(), Demo::Away);
/// assert_eq!(imbridge_core::region::parse::<Demo>("FA").unwrap(), Demo::Away);
/// assert_eq!(Demo::Away.base_urls()[1], "https://b.example.com/");
/// ```
pub trait VendorRegion: Copy + Default + PartialEq + fmt::Display + 'static {
    /// The vendor the regions belong to.
    const VENDOR: Vendor;
    /// Every region.
    const ALL: &'static [Self];

    /// The name used in configuration (`"silicon-valley"`).
    fn name(self) -> &'static str;

    /// The region's primary domain.
    fn primary_host(self) -> &'static str;

    /// The region's backup domain.
    fn backup_host(self) -> &'static str;

    /// Other accepted spellings, in normalised form (lower case, no `-`, `_` or spaces).
    fn aliases(self) -> &'static [&'static str] {
        &[]
    }

    /// The base URLs to call, primary first: `https://{primary}/`, `https://{backup}/`.
    fn base_urls(self) -> [String; 2] {
        [
            format!("https://{}/", self.primary_host()),
            format!("https://{}/", self.backup_host()),
        ]
    }
}

/// Lower case without `-`, `_` and spaces, so `Silicon Valley`, `silicon-valley` and
/// `SILICON_VALLEY` compare equal.
fn normalise(s: &str) -> String {
    s.trim()
        .to_ascii_lowercase()
        .chars()
        .filter(|c| !matches!(c, '-' | '_' | ' '))
        .collect()
}

/// Parses a region by name or alias, case-insensitively; the error lists the valid names.
pub fn parse<R: VendorRegion>(s: &str) -> Result<R> {
    let wanted = normalise(s);
    R::ALL
        .iter()
        .copied()
        .find(|r| normalise(r.name()) == wanted || r.aliases().contains(&wanted.as_str()))
        .ok_or_else(|| {
            let names: Vec<&str> = R::ALL.iter().map(|r| r.name()).collect();
            Error::config(format!(
                "unknown {} region `{s}`; expected one of: {}",
                R::VENDOR.display_name(),
                names.join(", ")
            ))
        })
}

/// The base URLs a client uses: the caller's list when given (first is primary), else the
/// region's primary and backup (the default region when none is set). Setting both is an
/// error, and every URL must pass [`parse_base_url`].
pub fn resolve_base_urls<R: VendorRegion>(
    region: Option<R>,
    explicit: &[String],
    allow_insecure_http: bool,
) -> Result<Vec<Url>> {
    let raw: Vec<String> = match (region, explicit.is_empty()) {
        (Some(region), false) => {
            return Err(Error::config(format!(
                "both a region ({region}) and base URLs are set; set one of them"
            )));
        }
        (region, true) => region.unwrap_or_default().base_urls().to_vec(),
        (None, false) => explicit.to_vec(),
    };
    raw.iter()
        .map(|u| parse_base_url(u, allow_insecure_http))
        .collect()
}
