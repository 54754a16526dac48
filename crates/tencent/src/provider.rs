//! [`ImProvider`] for Tencent Cloud IM: each operation mapped onto its v4 endpoint.

use std::borrow::Cow;
use std::time::{Duration, UNIX_EPOCH};

use async_trait::async_trait;
use imbridge_core::policy::Idempotency;
use imbridge_core::{
    Capabilities, ClientToken, CreateGroup, CreatedGroup, Error, ErrorKind, Gender, GroupKind,
    ImProvider, IssueToken, MessageContent, MessageReceipt, Operation, ProfileValue, Recipient,
    RegisterUser, Result, SendMessage, SetProfile, Vendor,
};

use crate::client::{TencentClient, capabilities_ref};
use crate::validate;
use crate::wire::{self, MsgContent, MsgElement, ProfileItem, TagValue};

/// The v4 endpoints behind the common operations.
pub mod endpoints {
    /// Register a user.
    pub const ACCOUNT_IMPORT: &str = "im_open_login_svc/account_import";
    /// Set profile fields.
    pub const PORTRAIT_SET: &str = "profile/portrait_set";
    /// Create a group.
    pub const CREATE_GROUP: &str = "group_open_http_svc/create_group";
    /// Send a one-to-one message.
    pub const SEND_MSG: &str = "openim/sendmsg";
    /// Send a group message.
    pub const SEND_GROUP_MSG: &str = "group_open_http_svc/send_group_msg";
}

/// The v4 endpoint (or local action) behind an operation, for comparisons and logs.
pub fn endpoint(op: Operation, to_group: bool) -> &'static str {
    match op {
        Operation::RegisterUser => endpoints::ACCOUNT_IMPORT,
        Operation::IssueToken => "(UserSig signed locally)",
        Operation::SetProfile => endpoints::PORTRAIT_SET,
        Operation::CreateGroup => endpoints::CREATE_GROUP,
        Operation::SendMessage if to_group => endpoints::SEND_GROUP_MSG,
        Operation::SendMessage => endpoints::SEND_MSG,
        _ => "(other)",
    }
}

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

fn gender_value(gender: Gender) -> &'static str {
    match gender {
        Gender::Female => "Gender_Type_Female",
        Gender::Male => "Gender_Type_Male",
        _ => "Gender_Type_Unknown",
    }
}

fn tagged<T>(op: Operation, result: Result<T>) -> Result<T> {
    result.map_err(|e| {
        if e.operation().is_none() {
            e.with_vendor(Vendor::Tencent).with_operation(op)
        } else {
            e
        }
    })
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

fn msg_element(content: &MessageContent) -> Result<MsgElement<'_>> {
    Ok(match content {
        MessageContent::Text(text) => MsgElement {
            msg_type: "TIMTextElem",
            msg_content: MsgContent::Text { text },
        },
        MessageContent::Custom(p) => MsgElement {
            msg_type: "TIMCustomElem",
            msg_content: MsgContent::Custom {
                data: &p.data,
                desc: p.description.as_deref(),
                ext: p.extension.as_deref(),
            },
        },
        _ => {
            return Err(Error::invalid_input(
                "content",
                "is a content kind this backend does not know",
            ));
        }
    })
}

/// The length of `value`'s JSON, counted without building it.
fn json_len<T: serde::Serialize + ?Sized>(value: &T) -> usize {
    struct Count(usize);
    impl std::io::Write for Count {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0 += buf.len();
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut count = Count(0);
    match serde_json::to_writer(&mut count, value) {
        Ok(()) => count.0,
        Err(_) => 0,
    }
}

/// Encodes a send's `body` and checks the size of its `MsgBody` before anything is sent. The
/// `MsgBody` JSON is part of the body, so it is counted exactly only when the body is too big.
fn encode_message<B: serde::Serialize>(
    op: Operation,
    body: &B,
    msg_body: &[MsgElement<'_>],
) -> Result<bytes::Bytes> {
    let encoded = crate::client::encode(op, body)?;
    if encoded.len() > validate::MAX_MESSAGE_BYTES {
        tagged(op, validate::encoded_message_size(json_len(msg_body)))?;
    }
    Ok(encoded)
}

fn unix_time(secs: Option<u64>) -> Option<std::time::SystemTime> {
    secs.map(|s| UNIX_EPOCH + Duration::from_secs(s))
}

#[async_trait]
impl ImProvider for TencentClient {
    fn vendor(&self) -> Vendor {
        Vendor::Tencent
    }

    fn capabilities(&self) -> &Capabilities {
        capabilities_ref(self)
    }

    /// `im_open_login_svc/account_import`, then a UserSig made locally.
    async fn register_user(&self, req: &RegisterUser) -> Result<ClientToken> {
        let op = Operation::RegisterUser;
        tagged(op, validate::register(req))?;
        // The token is signed after the import; its lifetime is checked before anything is sent.
        tagged(op, self.user_sig_ttl(req.token_ttl))?;
        let body = wire::AccountImport {
            user_id: &req.user_id,
            nick: req.nickname.as_deref(),
            face_url: req.avatar_url.as_deref(),
        };
        let _: wire::Empty = self
            .call(
                op,
                Idempotency::Idempotent,
                req.retry.as_ref(),
                endpoints::ACCOUNT_IMPORT,
                &body,
            )
            .await?;
        tagged(op, self.user_sig(&req.user_id, req.token_ttl))
    }

    /// A UserSig made locally; nothing is sent, so an unknown user is not detected here.
    async fn issue_token(&self, req: &IssueToken) -> Result<ClientToken> {
        tagged(Operation::IssueToken, self.user_sig(&req.user_id, req.ttl))
    }

    /// `profile/portrait_set` with one `ProfileItem` per field given.
    async fn set_profile(&self, req: &SetProfile) -> Result<()> {
        let op = Operation::SetProfile;
        tagged(op, validate::profile(req))?;
        let body = wire::PortraitSet {
            from_account: &req.user_id,
            profile_item: tagged(op, profile_items(req))?,
        };
        let _: wire::Empty = self
            .call(
                op,
                Idempotency::Idempotent,
                req.retry.as_ref(),
                endpoints::PORTRAIT_SET,
                &body,
            )
            .await?;
        Ok(())
    }

    /// `group_open_http_svc/create_group`; the vendor generates the id when none is given.
    async fn create_group(&self, req: &CreateGroup) -> Result<CreatedGroup> {
        let op = Operation::CreateGroup;
        tagged(op, validate::create_group(req))?;
        let body = wire::CreateGroup {
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
                .map(|m| wire::GroupMember { member_account: m })
                .collect(),
        };
        let answer: wire::CreateGroupResponse = self
            .call(
                op,
                Idempotency::NotIdempotent,
                req.retry.as_ref(),
                endpoints::CREATE_GROUP,
                &body,
            )
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

    /// `openim/sendmsg` (`MsgRandom`) or `group_open_http_svc/send_group_msg` (`Random`); the
    /// de-duplication key is fresh per call unless the request sets one.
    async fn send_message(&self, req: &SendMessage) -> Result<MessageReceipt> {
        let op = Operation::SendMessage;
        tagged(op, validate::send_message(req))?;
        let element = tagged(op, msg_element(&req.content))?;
        let random = req.dedup_key.unwrap_or_else(rand::random);
        match &req.to {
            Recipient::Group(group_id) => {
                let body = wire::SendGroupMsg {
                    group_id,
                    random,
                    from_account: &req.from,
                    msg_body: [element],
                };
                let encoded = encode_message(op, &body, &body.msg_body)?;
                let answer: wire::SendGroupMsgResponse = self
                    .call_encoded(
                        op,
                        Idempotency::Deduplicated,
                        req.retry.as_ref(),
                        endpoints::SEND_GROUP_MSG,
                        encoded,
                    )
                    .await?;
                let seq = answer.msg_seq.unwrap_or_default();
                let mut receipt = MessageReceipt::new(seq.to_string())
                    .sequence(seq)
                    .dedup_key(random);
                receipt.sent_at = unix_time(answer.msg_time);
                Ok(receipt)
            }
            Recipient::User(to) => {
                let body = wire::SendMsg {
                    sync_other_machine: req.sync_to_sender.map(|sync| if sync { 1 } else { 2 }),
                    from_account: &req.from,
                    to_account: to,
                    msg_random: random,
                    msg_body: [element],
                };
                let encoded = encode_message(op, &body, &body.msg_body)?;
                let answer: wire::SendMsgResponse = self
                    .call_encoded(
                        op,
                        Idempotency::Deduplicated,
                        req.retry.as_ref(),
                        endpoints::SEND_MSG,
                        encoded,
                    )
                    .await?;
                let id = answer.msg_key.or(answer.msg_id).unwrap_or_default();
                let mut receipt = MessageReceipt::new(id).dedup_key(random);
                receipt.sent_at = unix_time(answer.msg_time);
                Ok(receipt)
            }
            _ => Err(
                Error::invalid_input("to", "is a recipient kind this backend does not know")
                    .with_vendor(Vendor::Tencent)
                    .with_operation(op),
            ),
        }
    }
}
