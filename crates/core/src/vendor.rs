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

/// The operation a request or an error belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Operation {
    /// [`ImProvider::register_user`](crate::ImProvider::register_user).
    RegisterUser,
    /// [`ImProvider::issue_token`](crate::ImProvider::issue_token).
    IssueToken,
    /// [`ImProvider::set_profile`](crate::ImProvider::set_profile).
    SetProfile,
    /// [`ImProvider::create_group`](crate::ImProvider::create_group).
    CreateGroup,
    /// [`ImProvider::send_message`](crate::ImProvider::send_message).
    SendMessage,
    /// A vendor-specific call outside the common trait, named by the vendor crate.
    Other(&'static str),
}

impl Operation {
    /// A stable snake_case name (`"send_message"`), or the vendor crate's own name for [`Operation::Other`].
    pub const fn as_str(self) -> &'static str {
        match self {
            Operation::RegisterUser => "register_user",
            Operation::IssueToken => "issue_token",
            Operation::SetProfile => "set_profile",
            Operation::CreateGroup => "create_group",
            Operation::SendMessage => "send_message",
            Operation::Other(name) => name,
        }
    }
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
