//! Group membership and mutes on Tencent Cloud IM: `add_group_member`, `delete_group_member`,
//! `get_group_member_info`, `get_joined_group_list`, `forbid_send_msg`,
//! `get_group_muted_account`.

use imbridge_core::batch::in_chunks;
use imbridge_core::{
    AddGroupMembers, AddedMember, Batch, Cursor, Error, ErrorKind, GroupMember, ListGroupMembers,
    ListJoinedGroups, ListMutedMembers, MemberAddition, MemberRole, MuteGroupMembers, MutedMember,
    Operation, Page, RemoveGroupMembers, Result, Vendor, check,
};
use serde::{Deserialize, Serialize};

use super::{DEFAULT_PAGE, GroupId, GroupIdItem, MemberAccount, numeric_cursor, unix_time};
use crate::client::TencentClient;
use crate::endpoints;
use crate::validate::{
    self, MAX_ADD_MEMBERS, MAX_GROUP_LIST_PAGE, MAX_MEMBER_PAGE, MAX_MUTE_MEMBERS,
    MAX_REMOVE_MEMBERS,
};
use crate::wire::{Empty, answer};

#[derive(Serialize)]
struct AddGroupMember<'a> {
    #[serde(rename = "GroupId")]
    group_id: &'a str,
    #[serde(rename = "MemberList")]
    member_list: Vec<MemberAccount<'a>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct MemberResult {
    #[serde(rename = "Member_Account")]
    member_account: String,
    #[serde(rename = "Result")]
    result: i64,
}

answer!(AddGroupMemberAnswer {
    #[serde(rename = "MemberList")]
    member_list: Vec<MemberResult>,
});

#[derive(Serialize)]
struct DeleteGroupMember<'a> {
    #[serde(rename = "GroupId")]
    group_id: &'a str,
    #[serde(rename = "MemberToDel_Account")]
    member_to_del_account: &'a [String],
}

#[derive(Serialize)]
struct GetGroupMemberInfo<'a> {
    #[serde(rename = "GroupId")]
    group_id: &'a str,
    #[serde(rename = "Limit")]
    limit: u32,
    #[serde(rename = "Offset")]
    offset: u64,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct MemberItem {
    #[serde(rename = "Member_Account")]
    member_account: String,
    #[serde(rename = "Role")]
    role: String,
    #[serde(rename = "JoinTime")]
    join_time: u64,
    #[serde(rename = "MuteUntil")]
    mute_until: u64,
}

answer!(MemberInfoAnswer {
    #[serde(rename = "MemberNum")]
    member_num: u64,
    #[serde(rename = "MemberList")]
    member_list: Vec<MemberItem>,
});

#[derive(Serialize)]
struct GetJoinedGroupList<'a> {
    #[serde(rename = "Member_Account")]
    member_account: &'a str,
    #[serde(rename = "Limit")]
    limit: u32,
    #[serde(rename = "Offset")]
    offset: u64,
}

answer!(JoinedGroupsAnswer {
    #[serde(rename = "TotalCount")]
    total_count: u64,
    #[serde(rename = "GroupIdList")]
    group_id_list: Vec<GroupIdItem>,
});

#[derive(Serialize)]
struct ForbidSendMsg<'a> {
    #[serde(rename = "GroupId")]
    group_id: &'a str,
    #[serde(rename = "Members_Account")]
    members_account: &'a [String],
    #[serde(rename = "MuteTime")]
    mute_time: u32,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct MutedItem {
    #[serde(rename = "Member_Account")]
    member_account: String,
    #[serde(rename = "MutedUntil")]
    muted_until: u64,
}

answer!(MutedAnswer {
    #[serde(rename = "MutedAccountList")]
    muted_account_list: Vec<MutedItem>,
});

fn role_from(value: &str) -> Option<MemberRole> {
    match value {
        "Owner" => Some(MemberRole::Owner),
        "Admin" => Some(MemberRole::Admin),
        "Member" => Some(MemberRole::Member),
        _ => None,
    }
}

/// An offset page: the cursor of the next page, when there is one.
fn next_offset(offset: u64, got: usize, total: u64) -> Option<Cursor> {
    let next = offset + got as u64;
    (got > 0 && next < total).then(|| Cursor::new(next.to_string()))
}

impl TencentClient {
    /// `add_group_member`, 300 members per call; `Result` 1 added, 2 already a member, 3 awaits
    /// the invitee's confirmation, 0 failed (a failed item).
    pub(super) async fn add_members(&self, req: &AddGroupMembers) -> Result<Batch<AddedMember>> {
        let op = Operation::AddGroupMembers;
        self.begin(op, || validate::group_users(&req.group_id, &req.user_ids))?;
        in_chunks(
            &req.user_ids,
            MAX_ADD_MEMBERS,
            String::clone,
            |chunk| async move {
                let body = AddGroupMember {
                    group_id: &req.group_id,
                    member_list: chunk
                        .iter()
                        .map(|m| MemberAccount { member_account: m })
                        .collect(),
                };
                let answer: AddGroupMemberAnswer = self
                    .run(op, &endpoints::ADD_GROUP_MEMBER, &req.options, &body)
                    .await?;
                let mut batch = Batch::new();
                for id in chunk {
                    let result = answer
                        .member_list
                        .iter()
                        .find(|m| &m.member_account == id)
                        .map(|m| m.result);
                    let outcome = match result {
                        Some(1) => MemberAddition::Added,
                        Some(2) => MemberAddition::AlreadyMember,
                        Some(3) => MemberAddition::Pending,
                        other => {
                            let why = match other {
                                Some(_) => "Tencent did not add this member (Result 0)",
                                None => "Tencent's answer did not mention this member",
                            };
                            batch.fail(
                                id,
                                Error::new(ErrorKind::Vendor, why)
                                    .with_vendor(Vendor::Tencent)
                                    .with_operation(op),
                            );
                            continue;
                        }
                    };
                    batch.push(AddedMember::new(id, outcome));
                }
                Ok(batch)
            },
        )
        .await
    }

    /// `delete_group_member` (`MemberToDel_Account`), all-or-nothing per call.
    pub(super) async fn remove_members(&self, req: &RemoveGroupMembers) -> Result<Batch<String>> {
        let op = Operation::RemoveGroupMembers;
        self.begin(op, || validate::group_users(&req.group_id, &req.user_ids))?;
        in_chunks(
            &req.user_ids,
            MAX_REMOVE_MEMBERS,
            String::clone,
            |chunk| async move {
                let body = DeleteGroupMember {
                    group_id: &req.group_id,
                    member_to_del_account: chunk,
                };
                let _: Empty = self
                    .run(op, &endpoints::DELETE_GROUP_MEMBER, &req.options, &body)
                    .await?;
                Ok(Batch {
                    succeeded: chunk.to_vec(),
                    ..Batch::new()
                })
            },
        )
        .await
    }

    /// `get_group_member_info` by `Offset`/`Limit`; the cursor is the next offset.
    pub(super) async fn members_page(&self, req: &ListGroupMembers) -> Result<Page<GroupMember>> {
        let op = Operation::ListGroupMembers;
        let mut offset = 0;
        self.begin(op, || {
            validate::group_id("group_id", &req.group_id)?;
            check::page_size("limit", req.limit, MAX_MEMBER_PAGE)?;
            offset = numeric_cursor(req.cursor.as_ref())?;
            Ok(())
        })?;
        let body = GetGroupMemberInfo {
            group_id: &req.group_id,
            limit: req.limit.unwrap_or(DEFAULT_PAGE),
            offset,
        };
        let answer: MemberInfoAnswer = self
            .run(op, &endpoints::GET_GROUP_MEMBER_INFO, &req.options, &body)
            .await?;
        let got = answer.member_list.len();
        let members = answer
            .member_list
            .into_iter()
            .map(|m| {
                let mut member = GroupMember::new(m.member_account);
                member.role = role_from(&m.role);
                member.joined_at = unix_time(m.join_time);
                member.muted_until = unix_time(m.mute_until);
                member
            })
            .collect();
        Ok(Page::new(members)
            .next(next_offset(offset, got, answer.member_num))
            .total(Some(answer.member_num)))
    }

    /// `get_joined_group_list` by `Offset`/`Limit`; the cursor is the next offset.
    pub(super) async fn joined_page(&self, req: &ListJoinedGroups) -> Result<Page<String>> {
        let op = Operation::ListJoinedGroups;
        let mut offset = 0;
        self.begin(op, || {
            validate::user_id("user_id", &req.user_id)?;
            check::page_size("limit", req.limit, MAX_GROUP_LIST_PAGE)?;
            offset = numeric_cursor(req.cursor.as_ref())?;
            Ok(())
        })?;
        let body = GetJoinedGroupList {
            member_account: &req.user_id,
            limit: req.limit.unwrap_or(DEFAULT_PAGE),
            offset,
        };
        let answer: JoinedGroupsAnswer = self
            .run(op, &endpoints::GET_JOINED_GROUP_LIST, &req.options, &body)
            .await?;
        let got = answer.group_id_list.len();
        let ids = answer
            .group_id_list
            .into_iter()
            .map(|g| g.group_id)
            .collect();
        Ok(Page::new(ids)
            .next(next_offset(offset, got, answer.total_count))
            .total(Some(answer.total_count)))
    }

    /// `forbid_send_msg` with `MuteTime` in whole seconds (0 unmutes, `u32::MAX` is forever),
    /// 500 members per call.
    pub(super) async fn mute_members(&self, req: &MuteGroupMembers) -> Result<Batch<String>> {
        let op = Operation::MuteGroupMembers;
        let mut seconds = 0;
        self.begin(op, || {
            validate::group_users(&req.group_id, &req.user_ids)?;
            seconds = validate::mute_seconds(req.duration)?;
            Ok(())
        })?;
        in_chunks(
            &req.user_ids,
            MAX_MUTE_MEMBERS,
            String::clone,
            |chunk| async move {
                let body = ForbidSendMsg {
                    group_id: &req.group_id,
                    members_account: chunk,
                    mute_time: seconds,
                };
                let _: Empty = self
                    .run(op, &endpoints::FORBID_SEND_MSG, &req.options, &body)
                    .await?;
                Ok(Batch {
                    succeeded: chunk.to_vec(),
                    ..Batch::new()
                })
            },
        )
        .await
    }

    /// `get_group_muted_account` (`MutedAccountList`), all at once: one page.
    pub(super) async fn muted_members(&self, req: &ListMutedMembers) -> Result<Page<MutedMember>> {
        let op = Operation::ListMutedMembers;
        self.begin(op, || validate::group_id("group_id", &req.group_id))?;
        let body = GroupId {
            group_id: &req.group_id,
        };
        let answer: MutedAnswer = self
            .run(op, &endpoints::GET_GROUP_MUTED_ACCOUNT, &req.options, &body)
            .await?;
        let muted = answer
            .muted_account_list
            .into_iter()
            .map(|m| MutedMember::new(m.member_account, unix_time(m.muted_until)))
            .collect();
        Ok(Page::new(muted))
    }
}
