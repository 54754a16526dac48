//! The groups family on Tencent Cloud IM (`group_open_http_svc`): groups as a whole here,
//! membership and mutes in [`members`].

mod members;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use async_trait::async_trait;
use imbridge_core::batch::in_chunks;
use imbridge_core::policy::Idempotency;
use imbridge_core::{
    AddGroupMembers, AddedMember, Batch, CreateGroup, CreatedGroup, Cursor, DismissGroup, Error,
    ErrorKind, GetGroups, GroupInfo, GroupKind, GroupMember, Groups, JoinOption, ListGroupMembers,
    ListGroups, ListJoinedGroups, ListMutedMembers, MuteGroupMembers, MutedMember, Operation, Page,
    RemoveGroupMembers, Result, SetGroupMuteAll, TransferGroup, UpdateGroup, Vendor, check,
};
use serde::{Deserialize, Serialize};

use crate::client::TencentClient;
use crate::endpoints;
use crate::run::item_error;
use crate::validate::{self, MAX_GROUP_INFO, MAX_GROUP_LIST_PAGE};
use crate::wire::{Empty, answer};

/// The page size of listings when the caller gives none.
const DEFAULT_PAGE: u32 = 100;

/// Tencent's `Type` value for a group kind.
pub fn group_type(kind: GroupKind) -> &'static str {
    match kind {
        GroupKind::Work => "Work",
        GroupKind::Meeting => "Meeting",
        GroupKind::AvChatRoom => "AVChatRoom",
        GroupKind::Community => "Community",
        _ => "Public",
    }
}

#[derive(Debug, Serialize)]
struct CreateGroupBody<'a> {
    #[serde(rename = "Type")]
    kind: &'static str,
    #[serde(rename = "Name")]
    name: &'a str,
    #[serde(rename = "Owner_Account", skip_serializing_if = "Option::is_none")]
    owner: Option<&'a str>,
    #[serde(rename = "GroupId", skip_serializing_if = "Option::is_none")]
    group_id: Option<&'a str>,
    #[serde(rename = "Introduction", skip_serializing_if = "Option::is_none")]
    introduction: Option<&'a str>,
    #[serde(rename = "Notification", skip_serializing_if = "Option::is_none")]
    notification: Option<&'a str>,
    #[serde(rename = "FaceUrl", skip_serializing_if = "Option::is_none")]
    face_url: Option<&'a str>,
    #[serde(rename = "MaxMemberCount", skip_serializing_if = "Option::is_none")]
    max_member_count: Option<u32>,
    #[serde(rename = "MemberList", skip_serializing_if = "Vec::is_empty")]
    member_list: Vec<MemberAccount<'a>>,
}

#[derive(Debug, Serialize)]
pub(crate) struct MemberAccount<'a> {
    #[serde(rename = "Member_Account")]
    pub(crate) member_account: &'a str,
}

answer!(CreateGroupResponse {
    #[serde(rename = "GroupId")]
    group_id: String,
});

/// The group kind of a `Type` value (old names included).
fn kind_from(value: &str) -> Option<GroupKind> {
    match value {
        "Public" => Some(GroupKind::Public),
        "Work" | "Private" => Some(GroupKind::Work),
        "Meeting" | "ChatRoom" => Some(GroupKind::Meeting),
        "AVChatRoom" => Some(GroupKind::AvChatRoom),
        "Community" => Some(GroupKind::Community),
        _ => None,
    }
}

fn join_option_value(option: JoinOption) -> &'static str {
    match option {
        JoinOption::NeedPermission => "NeedPermission",
        JoinOption::DisableApply => "DisableApply",
        _ => "FreeAccess",
    }
}

fn join_option_from(value: &str) -> Option<JoinOption> {
    match value {
        "FreeAccess" => Some(JoinOption::FreeAccess),
        "NeedPermission" => Some(JoinOption::NeedPermission),
        "DisableApply" => Some(JoinOption::DisableApply),
        _ => None,
    }
}

/// Unix seconds as a time; 0 (the vendor's "unset") as none.
pub(crate) fn unix_time(secs: u64) -> Option<SystemTime> {
    (secs != 0).then(|| UNIX_EPOCH + Duration::from_secs(secs))
}

/// A numeric cursor (`Next`, `Offset`) made by this client; anything else is refused.
pub(crate) fn numeric_cursor(cursor: Option<&Cursor>) -> Result<u64> {
    cursor.map_or(Ok(0), |c| {
        c.as_str()
            .parse()
            .map_err(|_| Error::invalid_input("cursor", "is not a cursor of this listing"))
    })
}

#[derive(Serialize)]
struct GroupId<'a> {
    #[serde(rename = "GroupId")]
    group_id: &'a str,
}

#[derive(Serialize)]
struct GetGroupInfo<'a> {
    #[serde(rename = "GroupIdList")]
    group_id_list: &'a [String],
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct GroupInfoItem {
    #[serde(rename = "GroupId")]
    group_id: String,
    #[serde(rename = "ErrorCode")]
    error_code: i64,
    #[serde(rename = "ErrorInfo")]
    error_info: String,
    #[serde(rename = "Type")]
    kind: String,
    #[serde(rename = "Name")]
    name: String,
    #[serde(rename = "Owner_Account")]
    owner: String,
    #[serde(rename = "Introduction")]
    introduction: String,
    #[serde(rename = "Notification")]
    notification: String,
    #[serde(rename = "FaceUrl")]
    face_url: String,
    #[serde(rename = "CreateTime")]
    create_time: u64,
    #[serde(rename = "MemberNum")]
    member_num: Option<u32>,
    #[serde(rename = "MaxMemberNum")]
    max_member_num: Option<u32>,
    #[serde(rename = "ApplyJoinOption")]
    apply_join_option: String,
    #[serde(rename = "ShutUpAllMember")]
    shut_up_all_member: String,
}

answer!(GroupInfoAnswer {
    #[serde(rename = "GroupInfo")]
    group_info: Vec<GroupInfoItem>,
});

impl GroupInfoItem {
    fn into_info(self) -> GroupInfo {
        let text = |s: String| Some(s).filter(|s| !s.is_empty());
        let mut info = GroupInfo::new(self.group_id);
        info.kind = kind_from(&self.kind);
        info.name = text(self.name);
        info.owner = text(self.owner);
        info.introduction = text(self.introduction);
        info.notification = text(self.notification);
        info.avatar_url = text(self.face_url);
        info.created_at = unix_time(self.create_time);
        info.member_count = self.member_num;
        info.max_members = self.max_member_num;
        info.join_option = join_option_from(&self.apply_join_option);
        info.mute_all = match self.shut_up_all_member.as_str() {
            "On" | "True" => Some(true),
            "Off" | "False" => Some(false),
            _ => None,
        };
        info
    }
}

#[derive(Serialize)]
struct GetAppidGroupList {
    #[serde(rename = "Limit")]
    limit: u32,
    #[serde(rename = "Next")]
    next: u64,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct GroupIdItem {
    #[serde(rename = "GroupId")]
    group_id: String,
}

answer!(GroupListAnswer {
    #[serde(rename = "TotalCount")]
    total_count: Option<u64>,
    #[serde(rename = "GroupIdList")]
    group_id_list: Vec<GroupIdItem>,
    #[serde(rename = "Next")]
    next: u64,
});

#[derive(Serialize)]
struct ModifyGroupBaseInfo<'a> {
    #[serde(rename = "GroupId")]
    group_id: &'a str,
    #[serde(rename = "Name", skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
    #[serde(rename = "Introduction", skip_serializing_if = "Option::is_none")]
    introduction: Option<&'a str>,
    #[serde(rename = "Notification", skip_serializing_if = "Option::is_none")]
    notification: Option<&'a str>,
    #[serde(rename = "FaceUrl", skip_serializing_if = "Option::is_none")]
    face_url: Option<&'a str>,
    #[serde(rename = "MaxMemberNum", skip_serializing_if = "Option::is_none")]
    max_member_num: Option<u32>,
    #[serde(rename = "ApplyJoinOption", skip_serializing_if = "Option::is_none")]
    apply_join_option: Option<&'static str>,
    #[serde(rename = "MuteAllMember", skip_serializing_if = "Option::is_none")]
    mute_all_member: Option<&'static str>,
}

impl<'a> ModifyGroupBaseInfo<'a> {
    fn of(group_id: &'a str) -> Self {
        ModifyGroupBaseInfo {
            group_id,
            name: None,
            introduction: None,
            notification: None,
            face_url: None,
            max_member_num: None,
            apply_join_option: None,
            mute_all_member: None,
        }
    }
}

#[derive(Serialize)]
struct ChangeGroupOwner<'a> {
    #[serde(rename = "GroupId")]
    group_id: &'a str,
    #[serde(rename = "NewOwner_Account")]
    new_owner: &'a str,
}

impl TencentClient {
    /// Reads `ids` with `get_group_info`, 50 per call; a group's own `ErrorCode` is a failed
    /// item.
    async fn group_infos(
        &self,
        op: Operation,
        ids: &[String],
        options: &imbridge_core::CallOptions,
    ) -> Result<Batch<GroupInfo>> {
        in_chunks(ids, MAX_GROUP_INFO, String::clone, |chunk| async move {
            let answer: GroupInfoAnswer = self
                .run(
                    op,
                    &endpoints::GET_GROUP_INFO,
                    options,
                    &GetGroupInfo {
                        group_id_list: chunk,
                    },
                )
                .await?;
            let mut items = answer.group_info;
            let mut batch = Batch::new();
            for id in chunk {
                match items.iter().position(|g| &g.group_id == id) {
                    Some(i) if items[i].error_code == 0 => {
                        batch.push(items.swap_remove(i).into_info())
                    }
                    Some(i) => batch.fail(
                        id,
                        item_error(op, items[i].error_code, &items[i].error_info),
                    ),
                    None => batch.fail(
                        id,
                        Error::new(
                            ErrorKind::Decode,
                            "Tencent's answer did not mention this group",
                        )
                        .with_vendor(Vendor::Tencent)
                        .with_operation(op),
                    ),
                }
            }
            Ok(batch)
        })
        .await
    }

    /// After a create with a caller-chosen id was retried and the retry found the id taken:
    /// whether the group there is the one this call created (same owner and name).
    async fn created_by(&self, op: Operation, req: &CreateGroup, id: &str) -> Result<bool> {
        let ids = [id.to_owned()];
        let found = self.group_infos(op, &ids, &req.options).await?;
        let owner = req.owner.as_deref().unwrap_or(self.admin());
        Ok(found.succeeded.first().is_some_and(|g| {
            g.owner.as_deref() == Some(owner) && g.name.as_deref() == Some(req.name.as_str())
        }))
    }
}

#[async_trait]
impl Groups for TencentClient {
    /// `group_open_http_svc/create_group`; the vendor generates the id when none is given.
    async fn create_group(&self, req: &CreateGroup) -> Result<CreatedGroup> {
        let op = Operation::CreateGroup;
        self.begin(op, || validate::create_group(req))?;
        let body = CreateGroupBody {
            kind: group_type(req.kind),
            name: &req.name,
            owner: req.owner.as_deref(),
            group_id: req.group_id.as_deref(),
            introduction: req.introduction.as_deref(),
            notification: req.notification.as_deref(),
            face_url: req.avatar_url.as_deref(),
            max_member_count: req.max_members,
            member_list: req
                .members
                .iter()
                .map(|m| MemberAccount { member_account: m })
                .collect(),
        };
        // With a caller-chosen id a retry cannot create a second group: it is answered "id
        // taken" (10021) instead, so the call may be retried, and such an answer after a retry
        // is checked against the group that is there.
        let answer: CreateGroupResponse = match &req.group_id {
            None => {
                self.run(op, &endpoints::CREATE_GROUP, &req.options, &body)
                    .await?
            }
            Some(id) => match self
                .run_as(
                    op,
                    &endpoints::CREATE_GROUP,
                    Idempotency::Idempotent,
                    &req.options,
                    &body,
                )
                .await
            {
                Err(e) if e.kind() == ErrorKind::AlreadyExists && e.attempts() > 1 => {
                    if self.created_by(op, req, id).await? {
                        return Ok(CreatedGroup::new(id.clone()));
                    }
                    return Err(e);
                }
                other => other?,
            },
        };
        let group_id = Some(answer.group_id)
            .filter(|id| !id.is_empty())
            .or_else(|| req.group_id.clone())
            .ok_or_else(|| {
                Error::new(
                    ErrorKind::Decode,
                    "Tencent created the group but returned no GroupId",
                )
                .with_vendor(Vendor::Tencent)
                .with_operation(op)
            })?;
        Ok(CreatedGroup::new(group_id))
    }

    /// `group_open_http_svc/get_group_info`, 50 groups per call; a group's `ErrorCode` (10010
    /// gone, 10015 unknown) is a failed item.
    async fn get_groups(&self, req: &GetGroups) -> Result<Batch<GroupInfo>> {
        let op = Operation::GetGroups;
        self.begin(op, || {
            check::ids_each("group_ids", &req.group_ids, validate::group_id)
        })?;
        self.group_infos(op, &req.group_ids, &req.options).await
    }

    /// `group_open_http_svc/get_appid_group_list`; the cursor is the vendor's u64 `Next`
    /// (0 = done).
    async fn list_groups(&self, req: &ListGroups) -> Result<Page<String>> {
        let op = Operation::ListGroups;
        let mut next = 0;
        self.begin(op, || {
            check::page_size("limit", req.limit, MAX_GROUP_LIST_PAGE)?;
            next = numeric_cursor(req.cursor.as_ref())?;
            Ok(())
        })?;
        let body = GetAppidGroupList {
            limit: req.limit.unwrap_or(DEFAULT_PAGE),
            next,
        };
        let answer: GroupListAnswer = self
            .run(op, &endpoints::GET_APPID_GROUP_LIST, &req.options, &body)
            .await?;
        let ids = answer
            .group_id_list
            .into_iter()
            .map(|g| g.group_id)
            .collect();
        let cursor = (answer.next != 0).then(|| Cursor::new(answer.next.to_string()));
        Ok(Page::new(ids).next(cursor).total(answer.total_count))
    }

    /// `group_open_http_svc/modify_group_base_info` with the fields given.
    async fn update_group(&self, req: &UpdateGroup) -> Result<()> {
        let op = Operation::UpdateGroup;
        self.begin(op, || validate::update_group(req))?;
        let mut body = ModifyGroupBaseInfo::of(&req.group_id);
        body.name = req.name.as_deref();
        body.introduction = req.introduction.as_deref();
        body.notification = req.notification.as_deref();
        body.face_url = req.avatar_url.as_deref();
        body.max_member_num = req.max_members;
        body.apply_join_option = req.join_option.map(join_option_value);
        let _: Empty = self
            .run(op, &endpoints::MODIFY_GROUP_BASE_INFO, &req.options, &body)
            .await?;
        Ok(())
    }

    /// `group_open_http_svc/destroy_group` (no operator needed). A retry answered "group gone"
    /// (10010) means an earlier attempt dismissed it: success.
    async fn dismiss_group(&self, req: &DismissGroup) -> Result<()> {
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
        match self
            .run::<_, Empty>(op, &endpoints::DESTROY_GROUP, &req.options, &body)
            .await
        {
            Err(e) if e.vendor_code() == Some(10010) && e.attempts() > 1 => Ok(()),
            other => other.map(drop),
        }
    }

    /// `group_open_http_svc/change_group_owner` (`NewOwner_Account` must be a member).
    async fn transfer_group(&self, req: &TransferGroup) -> Result<()> {
        let op = Operation::TransferGroup;
        self.begin(op, || {
            validate::group_id("group_id", &req.group_id)?;
            validate::user_id("new_owner", &req.new_owner)
        })?;
        let body = ChangeGroupOwner {
            group_id: &req.group_id,
            new_owner: &req.new_owner,
        };
        let _: Empty = self
            .run(op, &endpoints::CHANGE_GROUP_OWNER, &req.options, &body)
            .await?;
        Ok(())
    }

    async fn add_group_members(&self, req: &AddGroupMembers) -> Result<Batch<AddedMember>> {
        self.add_members(req).await
    }

    async fn remove_group_members(&self, req: &RemoveGroupMembers) -> Result<Batch<String>> {
        self.remove_members(req).await
    }

    async fn list_group_members(&self, req: &ListGroupMembers) -> Result<Page<GroupMember>> {
        self.members_page(req).await
    }

    async fn list_joined_groups(&self, req: &ListJoinedGroups) -> Result<Page<String>> {
        self.joined_page(req).await
    }

    async fn mute_group_members(&self, req: &MuteGroupMembers) -> Result<Batch<String>> {
        self.mute_members(req).await
    }

    async fn list_muted_members(&self, req: &ListMutedMembers) -> Result<Page<MutedMember>> {
        self.muted_members(req).await
    }

    /// `group_open_http_svc/modify_group_base_info` with `MuteAllMember` `On` or `Off`.
    async fn set_group_mute_all(&self, req: &SetGroupMuteAll) -> Result<()> {
        let op = Operation::SetGroupMuteAll;
        self.begin(op, || validate::group_id("group_id", &req.group_id))?;
        let mut body = ModifyGroupBaseInfo::of(&req.group_id);
        body.mute_all_member = Some(if req.on { "On" } else { "Off" });
        let _: Empty = self
            .run(op, &endpoints::MODIFY_GROUP_BASE_INFO, &req.options, &body)
            .await?;
        Ok(())
    }
}
