//! The groups family on Tencent Cloud IM (`group_open_http_svc`).

use async_trait::async_trait;
use imbridge_core::{
    CreateGroup, CreatedGroup, Error, ErrorKind, GroupKind, Groups, Operation, Result, Vendor,
};
use serde::Serialize;

use crate::client::TencentClient;
use crate::endpoints;
use crate::validate;
use crate::wire::answer;

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
    member_list: Vec<GroupMember<'a>>,
}

#[derive(Debug, Serialize)]
struct GroupMember<'a> {
    #[serde(rename = "Member_Account")]
    member_account: &'a str,
}

answer!(CreateGroupResponse {
    #[serde(rename = "GroupId")]
    group_id: String,
});

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
                .map(|m| GroupMember { member_account: m })
                .collect(),
        };
        let answer: CreateGroupResponse = self
            .run(op, &endpoints::CREATE_GROUP, &req.options, &body)
            .await?;
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

    async fn get_groups(
        &self,
        _req: &imbridge_core::GetGroups,
    ) -> Result<imbridge_core::Batch<imbridge_core::GroupInfo>> {
        Err(imbridge_core::check::unsupported(
            Vendor::Tencent,
            Operation::GetGroups,
            "not mapped yet",
        ))
    }

    async fn list_groups(
        &self,
        _req: &imbridge_core::ListGroups,
    ) -> Result<imbridge_core::Page<String>> {
        Err(imbridge_core::check::unsupported(
            Vendor::Tencent,
            Operation::ListGroups,
            "not mapped yet",
        ))
    }

    async fn update_group(&self, _req: &imbridge_core::UpdateGroup) -> Result<()> {
        Err(imbridge_core::check::unsupported(
            Vendor::Tencent,
            Operation::UpdateGroup,
            "not mapped yet",
        ))
    }

    async fn dismiss_group(&self, _req: &imbridge_core::DismissGroup) -> Result<()> {
        Err(imbridge_core::check::unsupported(
            Vendor::Tencent,
            Operation::DismissGroup,
            "not mapped yet",
        ))
    }

    async fn transfer_group(&self, _req: &imbridge_core::TransferGroup) -> Result<()> {
        Err(imbridge_core::check::unsupported(
            Vendor::Tencent,
            Operation::TransferGroup,
            "not mapped yet",
        ))
    }

    async fn add_group_members(
        &self,
        _req: &imbridge_core::AddGroupMembers,
    ) -> Result<imbridge_core::Batch<imbridge_core::AddedMember>> {
        Err(imbridge_core::check::unsupported(
            Vendor::Tencent,
            Operation::AddGroupMembers,
            "not mapped yet",
        ))
    }

    async fn remove_group_members(
        &self,
        _req: &imbridge_core::RemoveGroupMembers,
    ) -> Result<imbridge_core::Batch<String>> {
        Err(imbridge_core::check::unsupported(
            Vendor::Tencent,
            Operation::RemoveGroupMembers,
            "not mapped yet",
        ))
    }

    async fn list_group_members(
        &self,
        _req: &imbridge_core::ListGroupMembers,
    ) -> Result<imbridge_core::Page<imbridge_core::GroupMember>> {
        Err(imbridge_core::check::unsupported(
            Vendor::Tencent,
            Operation::ListGroupMembers,
            "not mapped yet",
        ))
    }

    async fn list_joined_groups(
        &self,
        _req: &imbridge_core::ListJoinedGroups,
    ) -> Result<imbridge_core::Page<String>> {
        Err(imbridge_core::check::unsupported(
            Vendor::Tencent,
            Operation::ListJoinedGroups,
            "not mapped yet",
        ))
    }

    async fn mute_group_members(
        &self,
        _req: &imbridge_core::MuteGroupMembers,
    ) -> Result<imbridge_core::Batch<String>> {
        Err(imbridge_core::check::unsupported(
            Vendor::Tencent,
            Operation::MuteGroupMembers,
            "not mapped yet",
        ))
    }

    async fn list_muted_members(
        &self,
        _req: &imbridge_core::ListMutedMembers,
    ) -> Result<imbridge_core::Page<imbridge_core::MutedMember>> {
        Err(imbridge_core::check::unsupported(
            Vendor::Tencent,
            Operation::ListMutedMembers,
            "not mapped yet",
        ))
    }

    async fn set_group_mute_all(&self, _req: &imbridge_core::SetGroupMuteAll) -> Result<()> {
        Err(imbridge_core::check::unsupported(
            Vendor::Tencent,
            Operation::SetGroupMuteAll,
            "not mapped yet",
        ))
    }
}
