//! The groups family on RongCloud, in the app's group model ([`GroupMode`]): basic (legacy)
//! groups in [`basic`] (`/group/*.json`), the profile-hosting service's groups in [`hosted`]
//! (`/entrust/group/*.json`), and the mutes both models share in [`mutes`]. Operations a mode
//! lacks (basic: `get_groups`, `list_groups`, `transfer_group`) are not in its capabilities and
//! are refused by the runner's central check before anything is sent.

mod basic;
mod hosted;
mod mutes;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use async_trait::async_trait;
use imbridge_core::batch::in_chunks;
use imbridge_core::catalogue::Endpoint;
use imbridge_core::{
    AddGroupMembers, AddedMember, Batch, CallOptions, CreateGroup, CreatedGroup, Cursor,
    DismissGroup, Error, GetGroups, GroupInfo, GroupMember, Groups, ListGroupMembers, ListGroups,
    ListJoinedGroups, ListMutedMembers, MuteGroupMembers, MutedMember, Operation, Page,
    RemoveGroupMembers, Result, SetGroupMuteAll, TransferGroup, UpdateGroup,
};
use rand::Rng;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use crate::GroupMode;
use crate::client::RongCloudClient;
use crate::run::Done;
use crate::validate;

/// The page size of group listings when the caller gives none.
const DEFAULT_PAGE: u32 = 100;

#[derive(Serialize)]
struct GroupId<'a> {
    #[serde(rename = "groupId")]
    group_id: &'a str,
}

/// A fresh group id for callers that give none: `g` and 21 random letters and digits.
fn generate_group_id() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut rng = rand::rng();
    let mut id = String::with_capacity(22);
    id.push('g');
    id.extend((0..21).map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char));
    id
}

/// The group id of the create: the caller's, or a generated one. It is chosen once per call,
/// so every attempt of the call creates the same group.
fn group_id_of(req: &CreateGroup) -> String {
    req.group_id.clone().unwrap_or_else(generate_group_id)
}

/// A group id and a list of user ids for a batch call.
fn group_and_users(group_id: &str, user_ids: &[String]) -> Result<()> {
    validate::group_id("group_id", group_id)?;
    validate::user_ids("user_ids", user_ids)
}

/// A cursor holding a number of at least `min` (a page number or an offset).
fn numeric_cursor(cursor: Option<&Cursor>, min: u64) -> Result<u64> {
    match cursor {
        None => Ok(min),
        Some(c) => c
            .as_str()
            .parse::<u64>()
            .ok()
            .filter(|n| *n >= min)
            .ok_or_else(|| Error::invalid_input("cursor", "is not a cursor of this listing")),
    }
}

/// Serializes ids as one comma-separated value: the hosting service's `userIds` and
/// `groupIds`, as the vendor's Go and Java SDKs send them.
fn comma_joined<S: Serializer>(ids: &[&str], s: S) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_str(&ids.join(","))
}

/// Serializes a value as a JSON text inside a form field (`groupProfile`, `permissions`).
fn json_text<T: Serialize, S: Serializer>(value: &T, s: S) -> std::result::Result<S::Ok, S::Error> {
    let text = serde_json::to_string(value).map_err(serde::ser::Error::custom)?;
    s.serialize_str(&text)
}

/// Reads a number the vendor documents as a number or a string (`role`, `time`,
/// `totalCount`); anything else is `None`.
fn lenient_number<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<i64>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    })
}

/// Reads a field holding JSON: a JSON text (as the vendor documents `groupProfile` and
/// `permissions`) or an object; anything unreadable is the default.
fn json_field<'de, D, T>(d: D) -> std::result::Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: serde::de::DeserializeOwned + Default,
{
    Ok(match Value::deserialize(d)? {
        Value::String(text) => serde_json::from_str(&text).unwrap_or_default(),
        value @ Value::Object(_) => serde_json::from_value(value).unwrap_or_default(),
        _ => T::default(),
    })
}

/// Unix milliseconds as a time; `None` for nothing or a non-positive value.
fn unix_ms(ms: Option<i64>) -> Option<SystemTime> {
    let ms = u64::try_from(ms?).ok().filter(|ms| *ms > 0)?;
    Some(UNIX_EPOCH + Duration::from_millis(ms))
}

/// An empty string as `None`.
fn non_empty(text: String) -> Option<String> {
    (!text.is_empty()).then_some(text)
}

impl RongCloudClient {
    /// Sends `user_ids` to `endpoint` in calls of at most `size`, each call's body made by
    /// `body`. The vendor answers a call only with its `code`, so a call's users succeed (as
    /// `item(id)`) or fail together; an error about the call stops the later calls
    /// ([`in_chunks`]).
    async fn users_in_chunks<'a, B, T>(
        &'a self,
        (op, endpoint, options): (Operation, &'static Endpoint, &'a CallOptions),
        (user_ids, size): (&'a [String], usize),
        body: impl Fn(&'a [String]) -> B,
        item: impl Fn(&String) -> T,
    ) -> Result<Batch<T>>
    where
        B: Serialize,
    {
        let item = &item;
        in_chunks(user_ids, size, String::clone, |chunk| {
            let body = body(chunk);
            async move {
                let _: Done = self.run(op, endpoint, options, &body).await?;
                Ok(Batch {
                    succeeded: chunk.iter().map(item).collect(),
                    ..Batch::new()
                })
            }
        })
        .await
    }
}

#[async_trait]
impl Groups for RongCloudClient {
    /// Basic: `/group/user/query.json` to refuse a caller-chosen id that is taken, then
    /// `/group/create.json` with the owner and members as repeated `userId`. Hosted:
    /// `/entrust/group/create.json` with the owner (required) and up to 30 members; a refusal
    /// after a retry reads the group back (`/entrust/group/profile/query.json`) and succeeds
    /// when owner and name are the ones sent. A group id is generated when none is given (the
    /// vendor requires one).
    async fn create_group(&self, req: &CreateGroup) -> Result<CreatedGroup> {
        match self.group_mode() {
            GroupMode::Basic => self.create_basic(req).await,
            GroupMode::Hosted => self.create_hosted(req).await,
        }
    }

    /// Hosted only: `/entrust/group/profile/query.json`, 50 groups per call; a group the
    /// answer lacks is a failed item (`NotFound`).
    async fn get_groups(&self, req: &GetGroups) -> Result<Batch<GroupInfo>> {
        self.hosted_get_groups(req).await
    }

    /// Hosted only: `/entrust/group/query.json` by page token, at most 1000 a page.
    async fn list_groups(&self, req: &ListGroups) -> Result<Page<String>> {
        self.hosted_list_groups(req).await
    }

    /// Basic: `/group/refresh.json`, the name only (other fields are unsupported). Hosted:
    /// `/entrust/group/profile/update.json` with the name, profile and join permission.
    async fn update_group(&self, req: &UpdateGroup) -> Result<()> {
        match self.group_mode() {
            GroupMode::Basic => self.update_basic(req).await,
            GroupMode::Hosted => self.update_hosted(req).await,
        }
    }

    /// Basic: `/group/dismiss.json` with the request's operator, else the client's
    /// `group_operator` (neither: refused before sending). Hosted: `/entrust/group/dismiss.json`.
    async fn dismiss_group(&self, req: &DismissGroup) -> Result<()> {
        match self.group_mode() {
            GroupMode::Basic => self.dismiss_basic(req).await,
            GroupMode::Hosted => self.dismiss_hosted(req).await,
        }
    }

    /// Hosted only: `/entrust/group/transfer/owner.json`.
    async fn transfer_group(&self, req: &TransferGroup) -> Result<()> {
        self.hosted_transfer(req).await
    }

    /// Basic: `/group/join.json`, 1000 users per call; hosted: `/entrust/group/join.json`, 100
    /// per call. Each call succeeds or fails as a whole; its users are
    /// [`Added`](imbridge_core::MemberAddition::Added).
    async fn add_group_members(&self, req: &AddGroupMembers) -> Result<Batch<AddedMember>> {
        match self.group_mode() {
            GroupMode::Basic => self.add_basic(req).await,
            GroupMode::Hosted => self.add_hosted(req).await,
        }
    }

    /// Basic: `/group/quit.json`, 1000 users per call; hosted: `/entrust/group/member/kick.json`,
    /// 100 per call.
    async fn remove_group_members(&self, req: &RemoveGroupMembers) -> Result<Batch<String>> {
        match self.group_mode() {
            GroupMode::Basic => self.remove_basic(req).await,
            GroupMode::Hosted => self.remove_hosted(req).await,
        }
    }

    /// Basic: `/group/user/query.json` answers every member id at once; imbridge hands them
    /// out a page at a time (the cursor is an offset), without roles. Hosted:
    /// `/entrust/group/member/query.json` by page token (at most 100 a page), with roles and
    /// join times.
    async fn list_group_members(&self, req: &ListGroupMembers) -> Result<Page<GroupMember>> {
        match self.group_mode() {
            GroupMode::Basic => self.members_basic(req).await,
            GroupMode::Hosted => self.members_hosted(req).await,
        }
    }

    /// Basic: `/user/group/query.json` by page number (always sent), at most 1000 a page.
    /// Hosted: `/entrust/joined/group/query.json` by page token, at most 100 a page.
    async fn list_joined_groups(&self, req: &ListJoinedGroups) -> Result<Page<String>> {
        match self.group_mode() {
            GroupMode::Basic => self.joined_basic(req).await,
            GroupMode::Hosted => self.joined_hosted(req).await,
        }
    }

    /// Both models: `/group/user/gag/add.json` with `minute` (whole minutes, 1 to 43 200), or
    /// `/group/user/gag/rollback.json` for a zero duration; 20 users per call.
    async fn mute_group_members(&self, req: &MuteGroupMembers) -> Result<Batch<String>> {
        self.mute_members(req).await
    }

    /// Both models: `/group/user/gag/list.json`, every muted member on one page.
    async fn list_muted_members(&self, req: &ListMutedMembers) -> Result<Page<MutedMember>> {
        self.muted_members(req).await
    }

    /// Both models: `/group/ban/add.json` or `/group/ban/rollback.json`.
    async fn set_group_mute_all(&self, req: &SetGroupMuteAll) -> Result<()> {
        self.mute_all(req).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_are_numbers_of_at_least_the_minimum() {
        assert_eq!(numeric_cursor(None, 1).unwrap(), 1);
        assert_eq!(numeric_cursor(Some(&Cursor::new("7")), 1).unwrap(), 7);
        assert_eq!(
            numeric_cursor(Some(&Cursor::new("0")), 1)
                .unwrap_err()
                .field(),
            Some("cursor")
        );
        assert!(numeric_cursor(Some(&Cursor::new("x")), 0).is_err());
    }

    #[test]
    fn lenient_fields_read_numbers_strings_and_json_texts() {
        #[derive(Default, Deserialize)]
        #[serde(default)]
        struct Inner {
            a: Option<String>,
        }
        #[derive(Deserialize)]
        struct Outer {
            #[serde(deserialize_with = "lenient_number")]
            n: Option<i64>,
            #[serde(deserialize_with = "json_field")]
            j: Inner,
        }
        let o: Outer = serde_json::from_str(r#"{"n":"42","j":"{\"a\":\"x\"}"}"#).unwrap();
        assert_eq!((o.n, o.j.a.as_deref()), (Some(42), Some("x")));
        let o: Outer = serde_json::from_str(r#"{"n":3,"j":{"a":"y"}}"#).unwrap();
        assert_eq!((o.n, o.j.a.as_deref()), (Some(3), Some("y")));
        let o: Outer = serde_json::from_str(r#"{"n":null,"j":"not json"}"#).unwrap();
        assert_eq!((o.n, o.j.a), (None, None));
        assert_eq!(
            unix_ms(Some(1500)),
            Some(UNIX_EPOCH + Duration::from_millis(1500))
        );
        assert_eq!(unix_ms(Some(0)), None);
    }
}
