//! Mutes, the same in both group models: `/group/user/gag/*.json` for members and
//! `/group/ban/*.json` for the whole group. The profile-hosting service has no mute endpoints
//! of its own (neither the vendor's Go nor its Java SDK has any), and its documentation puts
//! group mutes under these legacy paths; its kick call even offers to lift a member's mute
//! (`isDelBan`), which is this mute list.

use imbridge_core::{
    Batch, ListMutedMembers, MuteGroupMembers, MutedMember, Operation, Page, Result,
    SetGroupMuteAll,
};
use serde::{Deserialize, Serialize};

use super::{GroupId, group_and_users};
use crate::client::RongCloudClient;
use crate::endpoints;
use crate::run::Done;
use crate::users::beijing_time;
use crate::validate::{self, MAX_GAG_USERS};

#[derive(Serialize)]
struct Gag<'a> {
    #[serde(rename = "userId")]
    user_id: &'a [String],
    #[serde(rename = "groupId")]
    group_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    minute: Option<u32>,
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct Gagged {
    #[serde(rename = "userId")]
    user_id: String,
    /// When the mute ends: `YYYY-MM-DD HH:MM:SS` in the data centre's time.
    time: String,
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct GagList {
    users: Vec<Gagged>,
}

impl RongCloudClient {
    /// `/group/user/gag/add.json` with `minute`, or `rollback.json` for a zero duration; 20
    /// users per call. The duration must be whole minutes, 1 to 43 200 (the vendor's `minute`
    /// of 0 meant "for ever" in older documentation, so imbridge never sends it).
    pub(super) async fn mute_members(&self, req: &MuteGroupMembers) -> Result<Batch<String>> {
        let op = Operation::MuteGroupMembers;
        let mut minute = None;
        self.begin(op, || {
            group_and_users(&req.group_id, &req.user_ids)?;
            if !req.is_unmute() {
                minute = Some(validate::mute_minutes(req.duration)?);
            }
            Ok(())
        })?;
        let endpoint = if minute.is_some() {
            &endpoints::GAG_ADD
        } else {
            &endpoints::GAG_ROLLBACK
        };
        self.users_in_chunks(
            (op, endpoint, &req.options),
            (&req.user_ids, MAX_GAG_USERS),
            |chunk| Gag {
                user_id: chunk,
                group_id: &req.group_id,
                minute,
            },
            String::clone,
        )
        .await
    }

    /// `/group/user/gag/list.json`: every muted member at once. The end times are read as
    /// Beijing time (UTC+8): the vendor gives them in the data centre's time, Beijing for the
    /// China data centre (UTC for the global ones, which imbridge cannot tell apart from a
    /// base URL).
    pub(super) async fn muted_members(&self, req: &ListMutedMembers) -> Result<Page<MutedMember>> {
        let op = Operation::ListMutedMembers;
        self.begin(op, || validate::group_id("group_id", &req.group_id))?;
        let body = GroupId {
            group_id: &req.group_id,
        };
        let answer: GagList = self
            .run(op, &endpoints::GAG_LIST, &req.options, &body)
            .await?;
        let items: Vec<MutedMember> = answer
            .users
            .into_iter()
            .map(|u| MutedMember::new(u.user_id, beijing_time(&u.time)))
            .collect();
        Ok(Page::new(items))
    }

    /// `/group/ban/add.json` to mute everyone, `/group/ban/rollback.json` to lift it.
    pub(super) async fn mute_all(&self, req: &SetGroupMuteAll) -> Result<()> {
        let op = Operation::SetGroupMuteAll;
        self.begin(op, || validate::group_id("group_id", &req.group_id))?;
        let endpoint = if req.on {
            &endpoints::BAN_ADD
        } else {
            &endpoints::BAN_ROLLBACK
        };
        let body = GroupId {
            group_id: &req.group_id,
        };
        let _: Done = self.run(op, endpoint, &req.options, &body).await?;
        Ok(())
    }
}
