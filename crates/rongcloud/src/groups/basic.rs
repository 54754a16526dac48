//! Basic (legacy) groups, `/group/*.json`: the vendor keeps a group's members and a name for
//! push notifications. Lists of users go out as repeated `userId` keys.

use imbridge_core::{
    AddGroupMembers, AddedMember, Batch, CallOptions, CreateGroup, CreatedGroup, Cursor,
    DismissGroup, Error, ErrorKind, GroupMember, ListGroupMembers, ListJoinedGroups,
    MemberAddition, Operation, Page, RemoveGroupMembers, Result, UpdateGroup, Vendor, check,
};
use serde::{Deserialize, Serialize};

use super::{DEFAULT_PAGE, GroupId, group_and_users, group_id_of, numeric_cursor};
use crate::GroupMode;
use crate::client::RongCloudClient;
use crate::endpoints;
use crate::run::Done;
use crate::validate::{self, MAX_GROUP_MEMBERS, MAX_GROUP_PAGE, MAX_USERS_PER_CALL};

#[derive(Default, Deserialize)]
#[serde(default)]
struct Member {
    id: String,
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct Members {
    users: Vec<Member>,
}

#[derive(Serialize)]
struct GroupCreate<'a> {
    #[serde(rename = "userId")]
    user_id: Vec<&'a str>,
    #[serde(rename = "groupId")]
    group_id: &'a str,
    #[serde(rename = "groupName")]
    group_name: &'a str,
}

/// `/group/join.json` and `/group/quit.json`: users (repeated `userId`) of one group. Join's
/// optional `groupName` is not sent: it would rename the group.
#[derive(Serialize)]
struct GroupUsers<'a> {
    #[serde(rename = "userId")]
    user_id: &'a [String],
    #[serde(rename = "groupId")]
    group_id: &'a str,
}

#[derive(Serialize)]
struct Dismiss<'a> {
    #[serde(rename = "userId")]
    user_id: &'a str,
    #[serde(rename = "groupId")]
    group_id: &'a str,
}

#[derive(Serialize)]
struct Refresh<'a> {
    #[serde(rename = "groupId")]
    group_id: &'a str,
    #[serde(rename = "groupName")]
    group_name: &'a str,
}

#[derive(Serialize)]
struct JoinedQuery<'a> {
    #[serde(rename = "userId")]
    user_id: &'a str,
    page: u64,
    size: u32,
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct JoinedGroup {
    id: String,
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct JoinedAnswer {
    groups: Vec<JoinedGroup>,
}

impl RongCloudClient {
    /// Every member id of a basic group, in the vendor's order.
    async fn member_ids(
        &self,
        op: Operation,
        group_id: &str,
        options: &CallOptions,
    ) -> Result<Vec<String>> {
        let answer: Members = self
            .run(
                op,
                &endpoints::GROUP_USER_QUERY,
                options,
                &GroupId { group_id },
            )
            .await?;
        Ok(answer.users.into_iter().map(|m| m.id).collect())
    }

    /// The vendor's create on an existing id silently adds the users to that group; imbridge
    /// refuses it instead, as other vendors do. A group always has members (creation needs
    /// one and the vendor dismisses empty groups), so no members means no group. The check
    /// runs once, before the first attempt: the create itself is idempotent (the same id and
    /// users again change nothing), so its retries need no check. Two creates racing for one
    /// new id can both pass it.
    async fn refuse_taken_group_id(
        &self,
        op: Operation,
        group_id: &str,
        options: &CallOptions,
    ) -> Result<()> {
        let members = self.member_ids(op, group_id, options).await?.len();
        if members > 0 {
            return Err(Error::new(
                ErrorKind::AlreadyExists,
                format!("group `{group_id}` already exists with {members} members"),
            )
            .with_vendor(Vendor::RongCloud)
            .with_operation(op));
        }
        Ok(())
    }

    pub(super) async fn create_basic(&self, req: &CreateGroup) -> Result<CreatedGroup> {
        let op = Operation::CreateGroup;
        self.begin(op, || validate::create_group(req, GroupMode::Basic))?;
        if let Some(id) = &req.group_id {
            self.refuse_taken_group_id(op, id, &req.options).await?;
        }
        let group_id = group_id_of(req);
        let mut users: Vec<&str> = Vec::with_capacity(req.members.len() + 1);
        for u in req.owner.iter().chain(&req.members) {
            if !users.contains(&u.as_str()) {
                users.push(u);
            }
        }
        let body = GroupCreate {
            user_id: users,
            group_id: &group_id,
            group_name: &req.name,
        };
        let _: Done = self
            .run(op, &endpoints::GROUP_CREATE, &req.options, &body)
            .await?;
        Ok(CreatedGroup::new(group_id))
    }

    pub(super) async fn update_basic(&self, req: &UpdateGroup) -> Result<()> {
        let op = Operation::UpdateGroup;
        let mut name = "";
        self.begin(op, || {
            // This refuses every field but the name, and a request that changes nothing.
            validate::update_group(req, GroupMode::Basic)?;
            name = req
                .name
                .as_deref()
                .ok_or_else(|| Error::invalid_input("name", "is required"))?;
            Ok(())
        })?;
        let body = Refresh {
            group_id: &req.group_id,
            group_name: name,
        };
        let _: Done = self
            .run(op, &endpoints::GROUP_REFRESH, &req.options, &body)
            .await?;
        Ok(())
    }

    pub(super) async fn dismiss_basic(&self, req: &DismissGroup) -> Result<()> {
        let op = Operation::DismissGroup;
        let mut operator = "";
        self.begin(op, || {
            validate::group_id("group_id", &req.group_id)?;
            operator = req
                .operator
                .as_deref()
                .or(self.group_operator())
                .ok_or_else(|| {
                    Error::invalid_input(
                        "operator",
                        "is required: RongCloud's basic groups are dismissed by a user id; set \
                         the request's operator or the client's group_operator",
                    )
                })?;
            validate::user_id("operator", operator)
        })?;
        let body = Dismiss {
            user_id: operator,
            group_id: &req.group_id,
        };
        let _: Done = self
            .run(op, &endpoints::GROUP_DISMISS, &req.options, &body)
            .await?;
        Ok(())
    }

    pub(super) async fn add_basic(&self, req: &AddGroupMembers) -> Result<Batch<AddedMember>> {
        let op = Operation::AddGroupMembers;
        self.begin(op, || group_and_users(&req.group_id, &req.user_ids))?;
        self.users_in_chunks(
            (op, &endpoints::GROUP_JOIN, &req.options),
            (&req.user_ids, MAX_USERS_PER_CALL),
            |chunk| GroupUsers {
                user_id: chunk,
                group_id: &req.group_id,
            },
            |id| AddedMember::new(id, MemberAddition::Added),
        )
        .await
    }

    pub(super) async fn remove_basic(&self, req: &RemoveGroupMembers) -> Result<Batch<String>> {
        let op = Operation::RemoveGroupMembers;
        self.begin(op, || group_and_users(&req.group_id, &req.user_ids))?;
        self.users_in_chunks(
            (op, &endpoints::GROUP_QUIT, &req.options),
            (&req.user_ids, MAX_USERS_PER_CALL),
            |chunk| GroupUsers {
                user_id: chunk,
                group_id: &req.group_id,
            },
            String::clone,
        )
        .await
    }

    /// The vendor answers every member id at once; the page is cut from them here, the cursor
    /// being the offset of the next page. Members who join or leave between two pages can
    /// shift the later pages.
    pub(super) async fn members_basic(&self, req: &ListGroupMembers) -> Result<Page<GroupMember>> {
        let op = Operation::ListGroupMembers;
        let mut offset = 0;
        self.begin(op, || {
            validate::group_id("group_id", &req.group_id)?;
            check::page_size("limit", req.limit, MAX_GROUP_MEMBERS)?;
            offset = numeric_cursor(req.cursor.as_ref(), 0)?;
            Ok(())
        })?;
        let limit = req.limit.unwrap_or(DEFAULT_PAGE) as usize;
        let ids = self.member_ids(op, &req.group_id, &req.options).await?;
        let total = ids.len();
        let start = usize::try_from(offset).unwrap_or(usize::MAX).min(total);
        let end = start.saturating_add(limit).min(total);
        let items: Vec<GroupMember> = ids[start..end].iter().map(GroupMember::new).collect();
        let next = (end < total && end > start).then(|| Cursor::new(end.to_string()));
        Ok(Page::new(items).next(next).total(Some(total as u64)))
    }

    /// `page` is always sent: without it the vendor answers a capped first page (5000).
    pub(super) async fn joined_basic(&self, req: &ListJoinedGroups) -> Result<Page<String>> {
        let op = Operation::ListJoinedGroups;
        let mut page = 1;
        self.begin(op, || {
            validate::user_id("user_id", &req.user_id)?;
            check::page_size("limit", req.limit, MAX_GROUP_PAGE)?;
            page = numeric_cursor(req.cursor.as_ref(), 1)?;
            Ok(())
        })?;
        let size = req.limit.unwrap_or(DEFAULT_PAGE);
        let body = JoinedQuery {
            user_id: &req.user_id,
            page,
            size,
        };
        let answer: JoinedAnswer = self
            .run(op, &endpoints::USER_GROUP_QUERY, &req.options, &body)
            .await?;
        let full = answer.groups.len() >= size as usize;
        let items: Vec<String> = answer.groups.into_iter().map(|g| g.id).collect();
        let next = (full && !items.is_empty()).then(|| Cursor::new((page + 1).to_string()));
        Ok(Page::new(items).next(next))
    }
}
