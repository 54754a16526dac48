use std::fmt;

/// An IM cloud that imbridge can talk to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Vendor {
    /// Tencent Cloud IM (REST API v4).
    Tencent,
    /// RongCloud (Server API).
    RongCloud,
}

impl Vendor {
    /// Every vendor imbridge knows, whether or not its backend is compiled in.
    pub const ALL: [Vendor; 2] = [Vendor::Tencent, Vendor::RongCloud];

    /// The lower-case name used in configuration, logs and error texts (`"tencent"`, `"rongcloud"`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Vendor::Tencent => "tencent",
            Vendor::RongCloud => "rongcloud",
        }
    }
}

impl Vendor {
    /// The vendor's own name for people (`"Tencent Cloud IM"`, `"RongCloud"`).
    pub const fn display_name(self) -> &'static str {
        match self {
            Vendor::Tencent => "Tencent Cloud IM",
            Vendor::RongCloud => "RongCloud",
        }
    }
}

impl fmt::Display for Vendor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
