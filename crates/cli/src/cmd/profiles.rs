//! `imbridge profile …`: the profiles family (`im.profiles()`).
//!
//! | command | operation |
//! |---|---|
//! | `profile set ID [--name N] [--avatar URL] [--gender G] …` | `set_profile` |
//! | `profile get ID... [--field NAME]...` | `get_profiles` |

use clap::{Args, Subcommand};
use imbridge::prelude::*;
use imbridge::{Gender, GetProfiles, SetProfile};
use serde_json::json;

use crate::cmd::emit;
use crate::failure::Failure;
use crate::print_json;

#[derive(Debug, Subcommand)]
pub enum ProfileCommand {
    /// Set some of a user's profile fields (`set_profile`); prints {"user_id","updated":true}.
    Set(SetArgs),
    /// Read users' profiles (`get_profiles`); prints the batch of profiles. An unknown user is
    /// a failed item.
    Get(GetArgs),
}

/// `profile set`.
#[derive(Debug, Args)]
pub struct SetArgs {
    /// The user's id.
    id: String,
    /// Display name.
    #[arg(long)]
    name: Option<String>,
    /// Avatar URL.
    #[arg(long)]
    avatar: Option<String>,
    /// Gender: unknown, female or male.
    #[arg(long)]
    gender: Option<String>,
    /// Birthday as YYYYMMDD.
    #[arg(long)]
    birthday: Option<u32>,
    /// Location.
    #[arg(long)]
    location: Option<String>,
    /// Signature line.
    #[arg(long)]
    signature: Option<String>,
}

impl TryFrom<SetArgs> for SetProfile {
    type Error = Failure;

    fn try_from(a: SetArgs) -> Result<Self, Failure> {
        let mut req = SetProfile::new(a.id);
        req.nickname = a.name;
        req.avatar_url = a.avatar;
        req.gender = a.gender.as_deref().map(parse_gender).transpose()?;
        req.birthday = a.birthday;
        req.location = a.location;
        req.signature = a.signature;
        Ok(req)
    }
}

fn parse_gender(s: &str) -> Result<Gender, Failure> {
    match s.to_ascii_lowercase().as_str() {
        "unknown" => Ok(Gender::Unknown),
        "female" | "f" => Ok(Gender::Female),
        "male" | "m" => Ok(Gender::Male),
        other => Err(Failure::Usage(format!(
            "--gender `{other}` must be unknown, female or male"
        ))),
    }
}

/// `profile get`.
#[derive(Debug, Args)]
pub struct GetArgs {
    /// The users' ids.
    #[arg(required = true, value_name = "ID")]
    ids: Vec<String>,
    /// Also read this app-defined (custom) field, by name without the vendor's prefix; repeat
    /// for more (Tencent only: RongCloud has no custom profile fields).
    #[arg(long = "field", value_name = "NAME")]
    fields: Vec<String>,
}

impl From<GetArgs> for GetProfiles {
    fn from(a: GetArgs) -> Self {
        let mut req = GetProfiles::new(a.ids);
        req.custom_fields = a.fields;
        req
    }
}

pub(crate) async fn run(im: &dyn ImProvider, cmd: ProfileCommand) -> Result<(), Failure> {
    match cmd {
        ProfileCommand::Set(a) => {
            let req = SetProfile::try_from(a)?;
            im.profiles().set_profile(&req).await?;
            print_json(&json!({"user_id": req.user_id, "updated": true}));
            Ok(())
        }
        ProfileCommand::Get(a) => emit(&im.profiles().get_profiles(&a.into()).await?),
    }
}
