//! The groups family on RongCloud (legacy groups, `/group/*.json`).

use async_trait::async_trait;
use imbridge_core::{
    CallOptions, CreateGroup, CreatedGroup, Error, ErrorKind, Groups, Operation, Result, Vendor,
};
use rand::Rng;
use serde::{Deserialize, Serialize};

use crate::client::RongCloudClient;
use crate::endpoints;
use crate::run::Done;
use crate::validate;

#[derive(Serialize)]
struct GroupId<'a> {
    #[serde(rename = "groupId")]
    group_id: &'a str,
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct Member {
    #[allow(dead_code, reason = "read only to count members")]
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

/// A fresh group id for callers that give none: `g` and 21 random letters and digits.
fn generate_group_id() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut rng = rand::rng();
    let mut id = String::with_capacity(22);
    id.push('g');
    id.extend((0..21).map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char));
    id
}

impl RongCloudClient {
    /// The vendor's create on an existing id silently adds the users to that group; imbridge
    /// refuses it instead, as other vendors do. A group always has members (creation needs
    /// one and the vendor dismisses empty groups), so no members means no group. Two creates
    /// racing for one new id can both pass this check.
    async fn refuse_taken_group_id(
        &self,
        op: Operation,
        group_id: &str,
        options: &CallOptions,
    ) -> Result<()> {
        let answer: Members = self
            .run(
                op,
                &endpoints::GROUP_USER_QUERY,
                options,
                &GroupId { group_id },
            )
            .await?;
        let members = answer.users.len();
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
}

#[async_trait]
impl Groups for RongCloudClient {
    /// `/group/create.json` with the owner and members as repeated `userId`; a group id is
    /// generated when none is given (the vendor requires one).
    async fn create_group(&self, req: &CreateGroup) -> Result<CreatedGroup> {
        let op = Operation::CreateGroup;
        self.begin(op, || validate::create_group(req))?;
        let group_id = match &req.group_id {
            Some(id) => {
                self.refuse_taken_group_id(op, id, &req.options).await?;
                id.clone()
            }
            None => generate_group_id(),
        };
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
        // Creating the same id with the same users again has the same effect: safe to resend.
        let _: Done = self
            .run(op, &endpoints::GROUP_CREATE, &req.options, &body)
            .await?;
        Ok(CreatedGroup::new(group_id))
    }

    async fn get_groups(
        &self,
        _req: &imbridge_core::GetGroups,
    ) -> Result<imbridge_core::Batch<imbridge_core::GroupInfo>> {
        Err(pending(Operation::GetGroups))
    }

    async fn list_groups(
        &self,
        _req: &imbridge_core::ListGroups,
    ) -> Result<imbridge_core::Page<String>> {
        Err(pending(Operation::ListGroups))
    }

    async fn update_group(&self, _req: &imbridge_core::UpdateGroup) -> Result<()> {
        Err(pending(Operation::UpdateGroup))
    }

    async fn dismiss_group(&self, _req: &imbridge_core::DismissGroup) -> Result<()> {
        Err(pending(Operation::DismissGroup))
    }

    async fn transfer_group(&self, _req: &imbridge_core::TransferGroup) -> Result<()> {
        Err(pending(Operation::TransferGroup))
    }

    async fn add_group_members(
        &self,
        _req: &imbridge_core::AddGroupMembers,
    ) -> Result<imbridge_core::Batch<imbridge_core::AddedMember>> {
        Err(pending(Operation::AddGroupMembers))
    }

    async fn remove_group_members(
        &self,
        _req: &imbridge_core::RemoveGroupMembers,
    ) -> Result<imbridge_core::Batch<String>> {
        Err(pending(Operation::RemoveGroupMembers))
    }

    async fn list_group_members(
        &self,
        _req: &imbridge_core::ListGroupMembers,
    ) -> Result<imbridge_core::Page<imbridge_core::GroupMember>> {
        Err(pending(Operation::ListGroupMembers))
    }

    async fn list_joined_groups(
        &self,
        _req: &imbridge_core::ListJoinedGroups,
    ) -> Result<imbridge_core::Page<String>> {
        Err(pending(Operation::ListJoinedGroups))
    }

    async fn mute_group_members(
        &self,
        _req: &imbridge_core::MuteGroupMembers,
    ) -> Result<imbridge_core::Batch<String>> {
        Err(pending(Operation::MuteGroupMembers))
    }

    async fn list_muted_members(
        &self,
        _req: &imbridge_core::ListMutedMembers,
    ) -> Result<imbridge_core::Page<imbridge_core::MutedMember>> {
        Err(pending(Operation::ListMutedMembers))
    }

    async fn set_group_mute_all(&self, _req: &imbridge_core::SetGroupMuteAll) -> Result<()> {
        Err(pending(Operation::SetGroupMuteAll))
    }
}

/// TRANSITIONAL: the groups family beyond creation is being mapped; until then these are
/// refused as unsupported, and the capabilities do not list them.
fn pending(op: Operation) -> Error {
    imbridge_core::check::unsupported(Vendor::RongCloud, op, "not mapped yet")
}
