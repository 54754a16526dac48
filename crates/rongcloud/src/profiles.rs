//! The profiles family on RongCloud: `/user/refresh.json` (the push name and portrait) and
//! `/user/info.json` per user. Profile fields beyond those two are not kept by the legacy API.

use async_trait::async_trait;
use imbridge_core::batch::fan_out;
use imbridge_core::{
    Batch, Error, GetProfiles, Operation, Profile, Profiles, Result, SetProfile, Vendor,
};
use serde::Serialize;

use crate::client::RongCloudClient;
use crate::endpoints;
use crate::run::Done;
use crate::users::unknown_user;
use crate::validate;

#[derive(Serialize)]
struct Refresh<'a> {
    #[serde(rename = "userId")]
    user_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
    #[serde(rename = "portraitUri", skip_serializing_if = "Option::is_none")]
    portrait_uri: Option<&'a str>,
}

#[async_trait]
impl Profiles for RongCloudClient {
    /// `/user/refresh.json` with `name` and/or `portraitUri`.
    async fn set_profile(&self, req: &SetProfile) -> Result<()> {
        let op = Operation::SetProfile;
        self.begin(op, || validate::profile(req))?;
        let body = Refresh {
            user_id: &req.user_id,
            name: req.nickname.as_deref(),
            portrait_uri: req.avatar_url.as_deref(),
        };
        let _: Done = self
            .run(op, &endpoints::REFRESH_USER, &req.options, &body)
            .await
            .map_err(|e| unknown_user(op, &req.user_id, e))?;
        Ok(())
    }

    /// `/user/info.json` per user: the name and portrait; an unknown user is a failed item.
    async fn get_profiles(&self, req: &GetProfiles) -> Result<Batch<Profile>> {
        let op = Operation::GetProfiles;
        self.begin(op, || {
            validate::user_ids("user_ids", &req.user_ids)?;
            if req.custom_fields.is_empty() {
                Ok(())
            } else {
                Err(Error::new(
                    imbridge_core::ErrorKind::Unsupported,
                    "`custom_fields`: RongCloud has no custom profile fields",
                ))
            }
        })?;
        fan_out(&req.user_ids, 16, String::clone, |id| async move {
            let Some(info) = self.user_info(op, id, &req.options).await? else {
                return Err(Error::new(
                    imbridge_core::ErrorKind::NotFound,
                    format!("user `{id}` is not registered"),
                )
                .with_vendor(Vendor::RongCloud)
                .with_operation(op));
            };
            let mut profile = Profile::new(id);
            profile.nickname = Some(info.user_name);
            profile.avatar_url = Some(info.user_portrait).filter(|p| !p.is_empty());
            Ok(profile)
        })
        .await
    }
}
