//! Groups of the profile-hosting service (信息托管), `/entrust/group/*.json`: owners, profiles,
//! member roles and paged listings. Fields and answers follow the vendor's Go and Java SDKs
//! (`sdk/entrustgroup.go`, `io/rong/methods/profile/EntrustGroup.java`) and its documentation
//! (docs.rongcloud.io/platform-chat-api/group/group-profile/…). Lists of ids go out as one
//! comma-separated `userIds` / `groupIds` value, as both SDKs send them (the documentation's
//! examples repeat the key instead).

use imbridge_core::batch::in_chunks;
use imbridge_core::{
    AddGroupMembers, AddedMember, Batch, CallOptions, CreateGroup, CreatedGroup, Cursor,
    DismissGroup, Error, ErrorKind, GetGroups, GroupInfo, GroupKind, GroupMember, JoinOption,
    ListGroupMembers, ListGroups, ListJoinedGroups, MemberAddition, MemberRole, Operation, Page,
    RemoveGroupMembers, Result, TransferGroup, UpdateGroup, Vendor, check,
};
use serde::{Deserialize, Serialize};

use super::{
    DEFAULT_PAGE, GroupId, comma_joined, group_and_users, group_id_of, json_field, json_text,
    lenient_number, non_empty, unix_ms,
};
use crate::GroupMode;
use crate::client::RongCloudClient;
use crate::endpoints;
use crate::run::Done;
use crate::validate::{
    self, MAX_GROUP_PAGE, MAX_HOSTED_MEMBER_PAGE, MAX_HOSTED_MEMBERS_PER_CALL, MAX_PROFILE_QUERY,
};

/// `groupProfile`: a JSON text inside the form. `name` is only sent by updates.
#[derive(Default, Serialize)]
struct Profile<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    introduction: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    announcement: Option<&'a str>,
    #[serde(rename = "portraitUrl", skip_serializing_if = "Option::is_none")]
    portrait_url: Option<&'a str>,
}

impl Profile<'_> {
    fn is_empty(&self) -> bool {
        self.name.is_none()
            && self.introduction.is_none()
            && self.announcement.is_none()
            && self.portrait_url.is_none()
    }
}

/// `permissions`: a JSON text inside the form; imbridge sets the join permission only.
#[derive(Default, Serialize)]
struct Permissions {
    #[serde(rename = "joinPerm", skip_serializing_if = "Option::is_none")]
    join_perm: Option<u8>,
}

impl Permissions {
    fn is_empty(&self) -> bool {
        self.join_perm.is_none()
    }
}

#[derive(Serialize)]
struct Create<'a> {
    #[serde(rename = "groupId")]
    group_id: &'a str,
    name: &'a str,
    owner: &'a str,
    #[serde(
        rename = "userIds",
        serialize_with = "comma_joined",
        skip_serializing_if = "Vec::is_empty"
    )]
    user_ids: Vec<&'a str>,
    #[serde(
        rename = "groupProfile",
        serialize_with = "json_text",
        skip_serializing_if = "Profile::is_empty"
    )]
    group_profile: Profile<'a>,
}

/// `/entrust/group/profile/update.json`. The name goes both as the top-level `name` (the Java
/// SDK's `updateProfile` sends it so; the Go SDK cannot change the name) and as `name` in
/// `groupProfile` (the documentation's update page lists it there).
#[derive(Serialize)]
struct Update<'a> {
    #[serde(rename = "groupId")]
    group_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
    #[serde(
        rename = "groupProfile",
        serialize_with = "json_text",
        skip_serializing_if = "Profile::is_empty"
    )]
    group_profile: Profile<'a>,
    #[serde(
        serialize_with = "json_text",
        skip_serializing_if = "Permissions::is_empty"
    )]
    permissions: Permissions,
}

#[derive(Serialize)]
struct ProfileQuery<'a> {
    #[serde(rename = "groupIds", serialize_with = "comma_joined")]
    group_ids: Vec<&'a str>,
}

#[derive(Serialize)]
struct Users<'a> {
    #[serde(rename = "groupId")]
    group_id: &'a str,
    #[serde(rename = "userIds", serialize_with = "comma_joined")]
    user_ids: Vec<&'a str>,
}

#[derive(Serialize)]
struct Transfer<'a> {
    #[serde(rename = "groupId")]
    group_id: &'a str,
    #[serde(rename = "newOwner")]
    new_owner: &'a str,
}

#[derive(Serialize)]
struct GroupQuery<'a> {
    #[serde(rename = "pageToken", skip_serializing_if = "Option::is_none")]
    page_token: Option<&'a str>,
    size: u32,
}

#[derive(Serialize)]
struct MemberQuery<'a> {
    #[serde(rename = "groupId")]
    group_id: &'a str,
    #[serde(rename = "pageToken", skip_serializing_if = "Option::is_none")]
    page_token: Option<&'a str>,
    size: u32,
}

#[derive(Serialize)]
struct JoinedQuery<'a> {
    #[serde(rename = "userId")]
    user_id: &'a str,
    #[serde(rename = "pageToken", skip_serializing_if = "Option::is_none")]
    page_token: Option<&'a str>,
    size: u32,
}

/// The keys of an answer's `groupProfile`.
#[derive(Default, Deserialize)]
#[serde(default)]
struct ProfileFields {
    introduction: Option<String>,
    announcement: Option<String>,
    #[serde(rename = "portraitUrl")]
    portrait_url: Option<String>,
}

/// The keys of an answer's `permissions` that imbridge reads.
#[derive(Default, Deserialize)]
#[serde(default)]
struct PermissionFields {
    #[serde(rename = "joinPerm", deserialize_with = "lenient_number")]
    join_perm: Option<i64>,
}

/// One group of `/entrust/group/profile/query.json` (`profiles`).
#[derive(Default, Deserialize)]
#[serde(default)]
struct HostedGroup {
    #[serde(rename = "groupId")]
    group_id: String,
    #[serde(rename = "groupName")]
    group_name: String,
    owner: String,
    #[serde(rename = "groupProfile", deserialize_with = "json_field")]
    group_profile: ProfileFields,
    #[serde(deserialize_with = "json_field")]
    permissions: PermissionFields,
    #[serde(rename = "createTime", deserialize_with = "lenient_number")]
    create_time: Option<i64>,
    #[serde(rename = "memberCount", deserialize_with = "lenient_number")]
    member_count: Option<i64>,
}

impl HostedGroup {
    fn into_info(self) -> GroupInfo {
        let mut info = GroupInfo::new(self.group_id);
        info.name = non_empty(self.group_name);
        info.kind = Some(GroupKind::Public);
        info.owner = non_empty(self.owner);
        info.introduction = self.group_profile.introduction.and_then(non_empty);
        info.notification = self.group_profile.announcement.and_then(non_empty);
        info.avatar_url = self.group_profile.portrait_url.and_then(non_empty);
        info.member_count = self.member_count.and_then(|n| u32::try_from(n).ok());
        info.created_at = unix_ms(self.create_time);
        info.join_option = self.permissions.join_perm.and_then(join_option_from);
        info
    }
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct ProfilesAnswer {
    profiles: Vec<HostedGroup>,
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct GroupRef {
    #[serde(rename = "groupId")]
    group_id: String,
}

/// `/entrust/group/query.json` and `/entrust/joined/group/query.json`.
#[derive(Default, Deserialize)]
#[serde(default)]
struct GroupsAnswer {
    #[serde(rename = "pageToken")]
    page_token: Option<String>,
    #[serde(rename = "totalCount", deserialize_with = "lenient_number")]
    total_count: Option<i64>,
    groups: Vec<GroupRef>,
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct HostedMember {
    #[serde(rename = "userId")]
    user_id: String,
    #[serde(deserialize_with = "lenient_number")]
    role: Option<i64>,
    #[serde(deserialize_with = "lenient_number")]
    time: Option<i64>,
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct MembersAnswer {
    #[serde(rename = "pageToken")]
    page_token: Option<String>,
    #[serde(rename = "totalCount", deserialize_with = "lenient_number")]
    total_count: Option<i64>,
    members: Vec<HostedMember>,
}

/// `joinPerm` of a join option: 1 anyone, 2 an admin's or the owner's approval, 3 no one.
fn join_perm(option: JoinOption) -> u8 {
    match option {
        JoinOption::FreeAccess => 1,
        JoinOption::DisableApply => 3,
        _ => 2,
    }
}

/// The join option of a `joinPerm` (0, the default, is the owner's approval).
fn join_option_from(perm: i64) -> Option<JoinOption> {
    match perm {
        1 => Some(JoinOption::FreeAccess),
        0 | 2 => Some(JoinOption::NeedPermission),
        3 => Some(JoinOption::DisableApply),
        _ => None,
    }
}

/// A member's role: 1 member, 2 admin, 3 owner.
fn role_from(role: i64) -> Option<MemberRole> {
    match role {
        1 => Some(MemberRole::Member),
        2 => Some(MemberRole::Admin),
        3 => Some(MemberRole::Owner),
        _ => None,
    }
}

/// A page token from a cursor: any non-empty text.
fn page_token(cursor: Option<&Cursor>) -> Result<Option<&str>> {
    match cursor {
        Some(c) if c.as_str().is_empty() => Err(Error::invalid_input(
            "cursor",
            "is not a cursor of this listing",
        )),
        other => Ok(other.map(Cursor::as_str)),
    }
}

/// The cursor of the next page: the vendor's token, when it gives one after a non-empty page.
fn next_cursor(token: Option<String>, got: usize) -> Option<Cursor> {
    token.filter(|t| !t.is_empty() && got > 0).map(Cursor::new)
}

fn total(count: Option<i64>) -> Option<u64> {
    count.and_then(|n| u64::try_from(n).ok())
}

/// Whether a failed create may have been refused because the id is taken: an answer of the
/// vendor that is not about rate, access or the server. The vendor documents no code for a
/// taken id, so such an answer is checked by reading the group back.
fn may_mean_taken(err: &Error) -> bool {
    err.vendor_code().is_some()
        && !matches!(
            err.kind(),
            ErrorKind::RateLimited
                | ErrorKind::Auth
                | ErrorKind::PermissionDenied
                | ErrorKind::Unavailable
                | ErrorKind::Timeout
                | ErrorKind::Transport
        )
}

fn as_strs(ids: &[String]) -> Vec<&str> {
    ids.iter().map(String::as_str).collect()
}

impl RongCloudClient {
    /// The profiles of `group_ids` (at most 50) that exist.
    async fn profiles(
        &self,
        op: Operation,
        group_ids: &[String],
        options: &CallOptions,
    ) -> Result<Vec<HostedGroup>> {
        let body = ProfileQuery {
            group_ids: as_strs(group_ids),
        };
        let answer: ProfilesAnswer = self
            .run(op, &endpoints::ENTRUST_PROFILE_QUERY, options, &body)
            .await?;
        Ok(answer.profiles)
    }

    /// A refused create: when the group exists, the refusal was "taken". After a retry
    /// ([`Error::attempts`] above one: an earlier attempt may have created it), a group with
    /// the owner and name this call sent is this call's group, and the create succeeded.
    async fn resolve_refused_create(
        &self,
        op: Operation,
        req: &CreateGroup,
        owner: &str,
        group_id: &str,
        err: Error,
    ) -> Result<CreatedGroup> {
        let ids = [group_id.to_owned()];
        let existing = match self.profiles(op, &ids, &req.options).await {
            Ok(found) => found.into_iter().find(|g| g.group_id == group_id),
            Err(_) => None,
        };
        let Some(existing) = existing else {
            return Err(err);
        };
        if err.attempts() > 1 && existing.owner == owner && existing.group_name == req.name {
            return Ok(CreatedGroup::new(group_id));
        }
        Err(err.reclassify(
            ErrorKind::AlreadyExists,
            format!("group `{group_id}` already exists"),
        ))
    }

    pub(super) async fn create_hosted(&self, req: &CreateGroup) -> Result<CreatedGroup> {
        let op = Operation::CreateGroup;
        let mut owner = "";
        self.begin(op, || {
            validate::create_group(req, GroupMode::Hosted)?;
            owner = req.owner.as_deref().unwrap_or_default();
            Ok(())
        })?;
        let group_id = group_id_of(req);
        // The owner joins as the owner; the others are invited as members.
        let mut members: Vec<&str> = Vec::with_capacity(req.members.len());
        for m in &req.members {
            if m != owner && !members.contains(&m.as_str()) {
                members.push(m);
            }
        }
        let body = Create {
            group_id: &group_id,
            name: &req.name,
            owner,
            user_ids: members,
            group_profile: Profile {
                name: None,
                introduction: req.introduction.as_deref(),
                announcement: req.notification.as_deref(),
                portrait_url: req.avatar_url.as_deref(),
            },
        };
        match self
            .run::<_, Done>(op, &endpoints::ENTRUST_CREATE, &req.options, &body)
            .await
        {
            Ok(_) => Ok(CreatedGroup::new(group_id)),
            Err(e) if may_mean_taken(&e) => {
                self.resolve_refused_create(op, req, owner, &group_id, e)
                    .await
            }
            Err(e) => Err(e),
        }
    }

    pub(super) async fn hosted_get_groups(&self, req: &GetGroups) -> Result<Batch<GroupInfo>> {
        let op = Operation::GetGroups;
        self.begin(op, || {
            check::ids_each("group_ids", &req.group_ids, validate::group_id)
        })?;
        in_chunks(
            &req.group_ids,
            MAX_PROFILE_QUERY,
            String::clone,
            |chunk| async move {
                let mut found = self.profiles(op, chunk, &req.options).await?;
                let mut batch = Batch::new();
                for id in chunk {
                    match found.iter().position(|g| &g.group_id == id) {
                        Some(i) => batch.push(found.swap_remove(i).into_info()),
                        None => batch.fail(
                            id,
                            Error::new(ErrorKind::NotFound, format!("group `{id}` does not exist"))
                                .with_vendor(Vendor::RongCloud)
                                .with_operation(op),
                        ),
                    }
                }
                Ok(batch)
            },
        )
        .await
    }

    pub(super) async fn hosted_list_groups(&self, req: &ListGroups) -> Result<Page<String>> {
        let op = Operation::ListGroups;
        let mut token = None;
        self.begin(op, || {
            check::page_size("limit", req.limit, MAX_GROUP_PAGE)?;
            token = page_token(req.cursor.as_ref())?;
            Ok(())
        })?;
        let body = GroupQuery {
            page_token: token,
            size: req.limit.unwrap_or(DEFAULT_PAGE),
        };
        let answer: GroupsAnswer = self
            .run(op, &endpoints::ENTRUST_QUERY, &req.options, &body)
            .await?;
        let items: Vec<String> = answer.groups.into_iter().map(|g| g.group_id).collect();
        let next = next_cursor(answer.page_token, items.len());
        Ok(Page::new(items).next(next).total(total(answer.total_count)))
    }

    pub(super) async fn update_hosted(&self, req: &UpdateGroup) -> Result<()> {
        let op = Operation::UpdateGroup;
        self.begin(op, || validate::update_group(req, GroupMode::Hosted))?;
        let body = Update {
            group_id: &req.group_id,
            name: req.name.as_deref(),
            group_profile: Profile {
                name: req.name.as_deref(),
                introduction: req.introduction.as_deref(),
                announcement: req.notification.as_deref(),
                portrait_url: req.avatar_url.as_deref(),
            },
            permissions: Permissions {
                join_perm: req.join_option.map(join_perm),
            },
        };
        let _: Done = self
            .run(op, &endpoints::ENTRUST_PROFILE_UPDATE, &req.options, &body)
            .await?;
        Ok(())
    }

    /// A hosted group needs no operator; one given is checked but not sent.
    pub(super) async fn dismiss_hosted(&self, req: &DismissGroup) -> Result<()> {
        let op = Operation::DismissGroup;
        self.begin(op, || {
            validate::group_id("group_id", &req.group_id)?;
            req.operator
                .as_deref()
                .map_or(Ok(()), |o| validate::user_id("operator", o))
        })?;
        let body = GroupId {
            group_id: &req.group_id,
        };
        let _: Done = self
            .run(op, &endpoints::ENTRUST_DISMISS, &req.options, &body)
            .await?;
        Ok(())
    }

    pub(super) async fn hosted_transfer(&self, req: &TransferGroup) -> Result<()> {
        let op = Operation::TransferGroup;
        self.begin(op, || {
            validate::group_id("group_id", &req.group_id)?;
            validate::user_id("new_owner", &req.new_owner)
        })?;
        let body = Transfer {
            group_id: &req.group_id,
            new_owner: &req.new_owner,
        };
        let _: Done = self
            .run(op, &endpoints::ENTRUST_TRANSFER_OWNER, &req.options, &body)
            .await?;
        Ok(())
    }

    pub(super) async fn add_hosted(&self, req: &AddGroupMembers) -> Result<Batch<AddedMember>> {
        let op = Operation::AddGroupMembers;
        self.begin(op, || group_and_users(&req.group_id, &req.user_ids))?;
        self.users_in_chunks(
            (op, &endpoints::ENTRUST_JOIN, &req.options),
            (&req.user_ids, MAX_HOSTED_MEMBERS_PER_CALL),
            |chunk| Users {
                group_id: &req.group_id,
                user_ids: as_strs(chunk),
            },
            |id| AddedMember::new(id, MemberAddition::Added),
        )
        .await
    }

    pub(super) async fn remove_hosted(&self, req: &RemoveGroupMembers) -> Result<Batch<String>> {
        let op = Operation::RemoveGroupMembers;
        self.begin(op, || group_and_users(&req.group_id, &req.user_ids))?;
        self.users_in_chunks(
            (op, &endpoints::ENTRUST_KICK, &req.options),
            (&req.user_ids, MAX_HOSTED_MEMBERS_PER_CALL),
            |chunk| Users {
                group_id: &req.group_id,
                user_ids: as_strs(chunk),
            },
            String::clone,
        )
        .await
    }

    pub(super) async fn members_hosted(&self, req: &ListGroupMembers) -> Result<Page<GroupMember>> {
        let op = Operation::ListGroupMembers;
        let mut token = None;
        self.begin(op, || {
            validate::group_id("group_id", &req.group_id)?;
            check::page_size("limit", req.limit, MAX_HOSTED_MEMBER_PAGE)?;
            token = page_token(req.cursor.as_ref())?;
            Ok(())
        })?;
        let body = MemberQuery {
            group_id: &req.group_id,
            page_token: token,
            size: req.limit.unwrap_or(DEFAULT_PAGE),
        };
        let answer: MembersAnswer = self
            .run(op, &endpoints::ENTRUST_MEMBER_QUERY, &req.options, &body)
            .await?;
        let items: Vec<GroupMember> = answer
            .members
            .into_iter()
            .map(|m| {
                let mut member = GroupMember::new(m.user_id);
                member.role = m.role.and_then(role_from);
                member.joined_at = unix_ms(m.time);
                member
            })
            .collect();
        let next = next_cursor(answer.page_token, items.len());
        Ok(Page::new(items).next(next).total(total(answer.total_count)))
    }

    pub(super) async fn joined_hosted(&self, req: &ListJoinedGroups) -> Result<Page<String>> {
        let op = Operation::ListJoinedGroups;
        let mut token = None;
        self.begin(op, || {
            validate::user_id("user_id", &req.user_id)?;
            check::page_size("limit", req.limit, MAX_HOSTED_MEMBER_PAGE)?;
            token = page_token(req.cursor.as_ref())?;
            Ok(())
        })?;
        let body = JoinedQuery {
            user_id: &req.user_id,
            page_token: token,
            size: req.limit.unwrap_or(DEFAULT_PAGE),
        };
        let answer: GroupsAnswer = self
            .run(op, &endpoints::ENTRUST_JOINED_QUERY, &req.options, &body)
            .await?;
        let items: Vec<String> = answer.groups.into_iter().map(|g| g.group_id).collect();
        let next = next_cursor(answer.page_token, items.len());
        Ok(Page::new(items).next(next).total(total(answer.total_count)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn join_options_round_trip_through_join_perm() {
        for option in [
            JoinOption::FreeAccess,
            JoinOption::NeedPermission,
            JoinOption::DisableApply,
        ] {
            assert_eq!(join_option_from(i64::from(join_perm(option))), Some(option));
        }
        assert_eq!(join_option_from(0), Some(JoinOption::NeedPermission));
        assert_eq!(role_from(3), Some(MemberRole::Owner));
    }

    #[test]
    fn forms_carry_json_profiles_and_comma_joined_ids() {
        let body = Create {
            group_id: "g1",
            name: "Team",
            owner: "lilei",
            user_ids: vec!["a", "b"],
            group_profile: Profile {
                introduction: Some("hi & bye"),
                ..Profile::default()
            },
        };
        let form = serde_html_form::to_string(&body).unwrap();
        assert_eq!(
            form,
            "groupId=g1&name=Team&owner=lilei&userIds=a%2Cb&groupProfile=%7B%22introduction%22%3A%22hi+%26+bye%22%7D"
        );
        let bare = Update {
            group_id: "g1",
            name: None,
            group_profile: Profile::default(),
            permissions: Permissions { join_perm: Some(1) },
        };
        assert_eq!(
            serde_html_form::to_string(&bare).unwrap(),
            "groupId=g1&permissions=%7B%22joinPerm%22%3A1%7D"
        );
    }

    #[test]
    fn profiles_read_json_texts_and_lenient_numbers() {
        let answer: ProfilesAnswer = serde_json::from_str(
            r#"{"code":200,"profiles":[{"groupId":"g1","groupName":"Team","owner":"lilei",
                "groupProfile":"{\"introduction\":\"hi\",\"announcement\":\"read me\",\"portraitUrl\":\"https://x/p.png\"}",
                "permissions":"{\"joinPerm\":3}","createTime":1709619756077,"memberCount":"2"}]}"#,
        )
        .unwrap();
        let info = answer.profiles.into_iter().next().unwrap().into_info();
        assert_eq!(info.name.as_deref(), Some("Team"));
        assert_eq!(info.owner.as_deref(), Some("lilei"));
        assert_eq!(info.notification.as_deref(), Some("read me"));
        assert_eq!(info.avatar_url.as_deref(), Some("https://x/p.png"));
        assert_eq!(info.member_count, Some(2));
        assert_eq!(info.join_option, Some(JoinOption::DisableApply));
        assert!(info.created_at.is_some());
    }
}
