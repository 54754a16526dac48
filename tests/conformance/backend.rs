//! One backend under test: a fresh emulator, the facade configuration pointing at it, the provider
//! `imbridge::connect` made from that configuration, and a few vendor-neutral views of what the
//! emulator stored. Only this file knows how each vendor's emulator state is shaped.

use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use imbridge::{ImProvider, ProviderConfig, RongCloudSettings, TencentSettings, Vendor};
use imbridge_emulator::{Emulator, EmulatorConfig};

/// Every vendor whose backend is compiled into the facade. The only place that looks at features.
pub fn vendors() -> Vec<Vendor> {
    [
        #[cfg(feature = "tencent")]
        Vendor::Tencent,
        #[cfg(feature = "rongcloud")]
        Vendor::RongCloud,
    ]
    .to_vec()
}

/// One backend set-up: a vendor and, for RongCloud, its group model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Setup {
    /// The vendor.
    pub vendor: Vendor,
    /// RongCloud with its profile-hosting service (`group_mode = "hosted"`).
    pub hosted_groups: bool,
}

impl std::fmt::Display for Setup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.hosted_groups {
            write!(f, "{} (hosted groups)", self.vendor)
        } else {
            write!(f, "{}", self.vendor)
        }
    }
}

/// The set-ups every scenario runs on: each compiled vendor, RongCloud with basic groups.
pub fn setups() -> Vec<Setup> {
    vendors()
        .into_iter()
        .map(|vendor| Setup {
            vendor,
            hosted_groups: false,
        })
        .collect()
}

/// The set-ups of the groups scenarios: every group model, RongCloud's hosted one too.
pub fn group_setups() -> Vec<Setup> {
    let mut all = setups();
    if vendors().contains(&Vendor::RongCloud) {
        all.push(Setup {
            vendor: Vendor::RongCloud,
            hosted_groups: true,
        });
    }
    all
}

/// A user's profile as the emulator stores it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredProfile {
    /// The display name (`""` when never set).
    pub nickname: String,
    /// The avatar URL (`""` when never set).
    pub avatar: String,
    /// Every other stored field as (vendor's name, value as text).
    pub extra: Vec<(String, String)>,
}

/// A group as the emulator stores it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredGroup {
    /// The group's name.
    pub name: String,
    /// The members' user ids, sorted (the owner included when there is one).
    pub members: Vec<String>,
}

/// A message as the emulator stores it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredMessage {
    /// The sender.
    pub from: String,
    /// The recipient user, or the group id.
    pub to: String,
    /// The wire payload as text (type and body), for `contains` checks.
    pub payload: String,
}

/// One vendor's backend on its own emulator.
pub struct Backend {
    /// The vendor behind [`Backend::im`].
    pub vendor: Vendor,
    /// The emulator the provider talks to (127.0.0.1, any free port).
    pub emulator: Emulator,
    /// The provider under test, from `imbridge::connect`.
    pub im: Arc<dyn ImProvider>,
}

impl Backend {
    /// Starts an emulator (with RongCloud's profile hosting when the set-up asks) and connects
    /// the set-up's backend to it through the facade.
    pub async fn start(setup: Setup) -> Backend {
        let vendor = setup.vendor;
        // Apps that read message history enable RongCloud's cloud message storage.
        let emulator = Emulator::start(EmulatorConfig {
            rongcloud_group_hosting: setup.hosted_groups,
            rongcloud_message_storage: true,
            ..EmulatorConfig::default()
        })
        .await
        .unwrap_or_else(|e| panic!("[{setup}] the emulator did not start: {e}"));
        let mut config = config_for(&emulator, vendor, None);
        if setup.hosted_groups
            && let Some(rc) = config.rongcloud.as_mut()
        {
            rc.group_mode = Some("hosted".to_owned());
        }
        let im =
            imbridge::connect(&config).unwrap_or_else(|e| panic!("[{vendor}] connect failed: {e}"));
        assert_eq!(im.vendor(), vendor, "connect built the wrong vendor");
        Backend {
            vendor,
            emulator,
            im,
        }
    }

    /// The same configuration with another secret (app secret key / app secret).
    pub fn config_with_secret(&self, secret: &str) -> ProviderConfig {
        config_for(&self.emulator, self.vendor, Some(secret))
    }

    /// How many requests this vendor's half of the emulator has received so far.
    pub fn requests(&self) -> usize {
        match self.vendor {
            Vendor::Tencent => self.emulator.state().requests().len(),
            Vendor::RongCloud => self.emulator.rongcloud_state().requests().len(),
            other => unknown(other),
        }
    }

    /// The stored profile of `user`, if the vendor knows the user.
    pub fn profile(&self, user: &str) -> Option<StoredProfile> {
        match self.vendor {
            Vendor::Tencent => self.emulator.state().user(user).map(|u| StoredProfile {
                nickname: u.nick.clone(),
                avatar: u.face_url.clone(),
                extra: u
                    .profile
                    .iter()
                    .filter(|(tag, _)| {
                        *tag != "Tag_Profile_IM_Nick" && *tag != "Tag_Profile_IM_Image"
                    })
                    .map(|(tag, v)| {
                        let text = v.as_str().map_or_else(|| v.to_string(), str::to_owned);
                        (tag.clone(), text)
                    })
                    .collect(),
            }),
            Vendor::RongCloud => {
                self.emulator
                    .rongcloud_state()
                    .user(user)
                    .map(|u| StoredProfile {
                        nickname: u.name,
                        avatar: u.portrait_uri,
                        extra: Vec::new(),
                    })
            }
            other => unknown(other),
        }
    }

    /// The stored nickname of `user`.
    pub fn nickname(&self, user: &str) -> Option<String> {
        self.profile(user).map(|p| p.nickname)
    }

    /// Whether `token` lets `user` log in to the emulated app.
    pub fn token_is_for(&self, token: &str, user: &str) -> bool {
        match self.vendor {
            Vendor::Tencent => {
                let now = SystemTime::now()
                    .duration_since(UNIX_EPOCH)
                    .map_or(0, |d| d.as_secs());
                self.emulator
                    .tencent()
                    .usersig_key()
                    .verify(token, user, now)
                    .is_ok()
            }
            Vendor::RongCloud => {
                self.emulator
                    .rongcloud_state()
                    .token_owner(token)
                    .as_deref()
                    == Some(user)
            }
            other => unknown(other),
        }
    }

    /// The stored group `group_id`, if it exists.
    pub fn group(&self, group_id: &str) -> Option<StoredGroup> {
        let (name, mut members) = match self.vendor {
            Vendor::Tencent => {
                let g = self.emulator.state().group(group_id)?;
                let members = g.members.iter().map(|m| m.account.clone()).collect();
                (g.name, members)
            }
            Vendor::RongCloud => {
                let g = self.emulator.rongcloud_state().group(group_id)?;
                (g.name, g.members)
            }
            other => unknown(other),
        };
        members.sort();
        Some(StoredGroup { name, members })
    }

    /// Every stored one-to-one message, in sending order.
    pub fn direct_messages(&self) -> Vec<StoredMessage> {
        match self.vendor {
            Vendor::Tencent => self
                .emulator
                .state()
                .c2c_messages()
                .into_iter()
                .map(|m| StoredMessage {
                    from: m.from,
                    to: m.to,
                    payload: m.msg_body.to_string(),
                })
                .collect(),
            Vendor::RongCloud => self
                .emulator
                .rongcloud_state()
                .private_messages()
                .into_iter()
                .map(|m| StoredMessage {
                    from: m.from,
                    to: m.to,
                    payload: format!("{} {}", m.object_name, m.content),
                })
                .collect(),
            other => unknown(other),
        }
    }

    /// Every stored message of the group `group_id`, in sending order.
    pub fn group_messages(&self, group_id: &str) -> Vec<StoredMessage> {
        match self.vendor {
            Vendor::Tencent => self
                .emulator
                .state()
                .group_messages(group_id)
                .into_iter()
                .map(|m| StoredMessage {
                    from: m.from,
                    to: m.group_id,
                    payload: m.msg_body.to_string(),
                })
                .collect(),
            Vendor::RongCloud => self
                .emulator
                .rongcloud_state()
                .group_messages(group_id)
                .into_iter()
                .map(|m| StoredMessage {
                    from: m.from,
                    to: m.group_id,
                    payload: format!("{} {}", m.object_name, m.content),
                })
                .collect(),
            other => unknown(other),
        }
    }
}

/// The facade configuration for `vendor` on `emulator`, with its real secret or `secret`.
fn config_for(emulator: &Emulator, vendor: Vendor, secret: Option<&str>) -> ProviderConfig {
    let url = emulator.url();
    match vendor {
        Vendor::Tencent => {
            let app = emulator.tencent();
            let key = secret.map_or_else(|| app.secret_key.clone(), str::to_owned);
            let mut settings = TencentSettings::new(app.sdkappid, key, app.admin.clone());
            settings.base_urls = vec![url];
            ProviderConfig::tencent(settings)
        }
        Vendor::RongCloud => {
            let app = emulator.rongcloud();
            let key = secret.map_or_else(|| app.app_secret.clone(), str::to_owned);
            let mut settings = RongCloudSettings::new(app.app_key.clone(), key);
            settings.base_urls = vec![url];
            ProviderConfig::rongcloud(settings)
        }
        other => unknown(other),
    }
}

fn unknown(vendor: Vendor) -> ! {
    panic!("the conformance suite has no emulator view for vendor `{vendor}`")
}
