//! The profiles family on Tencent Cloud IM: `profile/portrait_set` and `profile/portrait_get`
//! with the standard `Tag_Profile_IM_*` tags and `Tag_Profile_Custom_*` fields.

use std::borrow::Cow;

use async_trait::async_trait;
use imbridge_core::batch::in_chunks;
use imbridge_core::{
    Batch, Error, Gender, GetProfiles, Operation, Profile, ProfileValue, Profiles, Result,
    SetProfile,
};
use serde::{Deserialize, Serialize};

use crate::client::TencentClient;
use crate::endpoints;
use crate::run::{item_error, tagged};
use crate::validate::{self, MAX_ACCOUNTS_PER_CALL};
use crate::wire::{Empty, answer};

const NICK: &str = "Tag_Profile_IM_Nick";
const IMAGE: &str = "Tag_Profile_IM_Image";
const GENDER: &str = "Tag_Profile_IM_Gender";
const BIRTHDAY: &str = "Tag_Profile_IM_BirthDay";
const LOCATION: &str = "Tag_Profile_IM_Location";
const SIGNATURE: &str = "Tag_Profile_IM_SelfSignature";
const LANGUAGE: &str = "Tag_Profile_IM_Language";
const LEVEL: &str = "Tag_Profile_IM_Level";
const ROLE: &str = "Tag_Profile_IM_Role";
const CUSTOM_PREFIX: &str = "Tag_Profile_Custom_";
/// The standard tags `get_profiles` reads.
const STANDARD_TAGS: [&str; 9] = [
    NICK, IMAGE, GENDER, BIRTHDAY, LOCATION, SIGNATURE, LANGUAGE, LEVEL, ROLE,
];

#[derive(Debug, Serialize)]
struct PortraitSet<'a> {
    #[serde(rename = "From_Account")]
    from_account: &'a str,
    #[serde(rename = "ProfileItem")]
    profile_item: Vec<ProfileItem<'a>>,
}

#[derive(Debug, Serialize)]
struct ProfileItem<'a> {
    #[serde(rename = "Tag")]
    tag: Cow<'a, str>,
    #[serde(rename = "Value")]
    value: TagValue<'a>,
}

#[derive(Debug, Serialize)]
#[serde(untagged)]
enum TagValue<'a> {
    Text(&'a str),
    Integer(u64),
}

#[derive(Serialize)]
struct PortraitGet<'a> {
    #[serde(rename = "To_Account")]
    to_account: &'a [String],
    #[serde(rename = "TagList")]
    tag_list: &'a [String],
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ProfileAnswerItem {
    #[serde(rename = "Tag")]
    tag: String,
    #[serde(rename = "Value")]
    value: serde_json::Value,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct UserProfileItem {
    #[serde(rename = "To_Account")]
    to_account: String,
    #[serde(rename = "ProfileItem")]
    profile_item: Vec<ProfileAnswerItem>,
    #[serde(rename = "ResultCode")]
    result_code: i64,
    #[serde(rename = "ResultInfo")]
    result_info: String,
}

answer!(PortraitGetAnswer {
    #[serde(rename = "UserProfileItem")]
    user_profile_item: Vec<UserProfileItem>,
    #[serde(rename = "Fail_Account")]
    fail_account: Vec<String>,
});

fn gender_value(gender: Gender) -> &'static str {
    match gender {
        Gender::Female => "Gender_Type_Female",
        Gender::Male => "Gender_Type_Male",
        _ => "Gender_Type_Unknown",
    }
}

fn gender_from(value: &str) -> Option<Gender> {
    match value {
        "Gender_Type_Female" => Some(Gender::Female),
        "Gender_Type_Male" => Some(Gender::Male),
        "Gender_Type_Unknown" => Some(Gender::Unknown),
        _ => None,
    }
}

fn profile_items(req: &SetProfile) -> Result<Vec<ProfileItem<'_>>> {
    let mut items = Vec::new();
    if let Some(v) = req.nickname.as_deref() {
        items.push(ProfileItem {
            tag: Cow::Borrowed("Tag_Profile_IM_Nick"),
            value: TagValue::Text(v),
        });
    }
    if let Some(v) = req.avatar_url.as_deref() {
        items.push(ProfileItem {
            tag: Cow::Borrowed("Tag_Profile_IM_Image"),
            value: TagValue::Text(v),
        });
    }
    if let Some(g) = req.gender {
        items.push(ProfileItem {
            tag: Cow::Borrowed("Tag_Profile_IM_Gender"),
            value: TagValue::Text(gender_value(g)),
        });
    }
    let numbers = [
        ("Tag_Profile_IM_BirthDay", req.birthday),
        ("Tag_Profile_IM_Language", req.language),
        ("Tag_Profile_IM_Level", req.level),
        ("Tag_Profile_IM_Role", req.role),
    ];
    for (tag, value) in numbers {
        if let Some(n) = value {
            items.push(ProfileItem {
                tag: Cow::Borrowed(tag),
                value: TagValue::Integer(n.into()),
            });
        }
    }
    if let Some(v) = req.location.as_deref() {
        items.push(ProfileItem {
            tag: Cow::Borrowed("Tag_Profile_IM_Location"),
            value: TagValue::Text(v),
        });
    }
    if let Some(v) = req.signature.as_deref() {
        items.push(ProfileItem {
            tag: Cow::Borrowed("Tag_Profile_IM_SelfSignature"),
            value: TagValue::Text(v),
        });
    }
    for (name, value) in &req.custom {
        let bare = validate::custom_tag_name(name)?;
        let value = match value {
            ProfileValue::Text(t) => TagValue::Text(t),
            ProfileValue::Integer(n) => TagValue::Integer(*n),
            _ => {
                return Err(Error::invalid_input(
                    "custom",
                    "has a value kind this backend does not know",
                ));
            }
        };
        items.push(ProfileItem {
            tag: Cow::Owned(format!("Tag_Profile_Custom_{bare}")),
            value,
        });
    }
    Ok(items)
}

/// The profile of one `UserProfileItem`; values of an unexpected type are left out.
fn profile_from(item: &UserProfileItem) -> Profile {
    let mut p = Profile::new(&item.to_account);
    for ProfileAnswerItem { tag, value } in &item.profile_item {
        let text = || value.as_str().filter(|s| !s.is_empty()).map(str::to_owned);
        let number = || {
            value
                .as_u64()
                .and_then(|n| u32::try_from(n).ok())
                .filter(|n| *n != 0)
        };
        match tag.as_str() {
            NICK => p.nickname = text(),
            IMAGE => p.avatar_url = text(),
            GENDER => p.gender = value.as_str().and_then(gender_from),
            BIRTHDAY => p.birthday = number(),
            LOCATION => p.location = text(),
            SIGNATURE => p.signature = text(),
            LANGUAGE => p.language = number(),
            LEVEL => p.level = number(),
            ROLE => p.role = number(),
            custom => {
                if let Some(name) = custom.strip_prefix(CUSTOM_PREFIX) {
                    let value = match value {
                        serde_json::Value::String(s) => Some(ProfileValue::Text(s.clone())),
                        serde_json::Value::Number(n) => n.as_u64().map(ProfileValue::Integer),
                        _ => None,
                    };
                    if let Some(v) = value {
                        p.custom.push((name.to_owned(), v));
                    }
                }
            }
        }
    }
    p
}

#[async_trait]
impl Profiles for TencentClient {
    /// `profile/portrait_set` with one `ProfileItem` per field given.
    async fn set_profile(&self, req: &SetProfile) -> Result<()> {
        let op = Operation::SetProfile;
        self.begin(op, || validate::profile(req))?;
        let body = PortraitSet {
            from_account: &req.user_id,
            profile_item: tagged(op, profile_items(req))?,
        };
        let _: Empty = self
            .run(op, &endpoints::PORTRAIT_SET, &req.options, &body)
            .await?;
        Ok(())
    }

    /// `profile/portrait_get` with the standard tags and the custom fields asked for, 100
    /// accounts per call; an account's `ResultCode` (40003: unknown) is a failed item.
    async fn get_profiles(&self, req: &GetProfiles) -> Result<Batch<Profile>> {
        let op = Operation::GetProfiles;
        let mut tags: Vec<String> = STANDARD_TAGS.iter().map(|t| (*t).to_owned()).collect();
        self.begin(op, || {
            validate::user_ids("user_ids", &req.user_ids)?;
            for name in &req.custom_fields {
                tags.push(format!(
                    "{CUSTOM_PREFIX}{}",
                    validate::custom_tag_name(name)?
                ));
            }
            Ok(())
        })?;
        let tags = &tags;
        in_chunks(
            &req.user_ids,
            MAX_ACCOUNTS_PER_CALL,
            String::clone,
            |chunk| async move {
                let body = PortraitGet {
                    to_account: chunk,
                    tag_list: tags,
                };
                let answer: PortraitGetAnswer = self
                    .run(op, &endpoints::PORTRAIT_GET, &req.options, &body)
                    .await?;
                let mut batch = Batch::new();
                for id in chunk {
                    match answer
                        .user_profile_item
                        .iter()
                        .find(|i| &i.to_account == id)
                    {
                        Some(item) if item.result_code == 0 => batch.push(profile_from(item)),
                        Some(item) => {
                            batch.fail(id, item_error(op, item.result_code, &item.result_info))
                        }
                        None if answer.fail_account.contains(id) => {
                            batch.fail(id, item_error(op, 40003, ""))
                        }
                        None => batch.fail(
                            id,
                            Error::new(
                                imbridge_core::ErrorKind::Decode,
                                "Tencent's answer did not mention this account",
                            )
                            .with_vendor(imbridge_core::Vendor::Tencent)
                            .with_operation(op),
                        ),
                    }
                }
                Ok(batch)
            },
        )
        .await
    }
}
