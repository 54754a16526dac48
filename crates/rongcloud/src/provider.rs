//! [`ImProvider`] for RongCloud: each operation mapped onto its Server API path.

use async_trait::async_trait;
use imbridge_core::policy::RetryPolicy;
use imbridge_core::{
    Capabilities, ClientToken, CreateGroup, CreatedGroup, Error, ErrorKind, ImProvider, IssueToken,
    MessageContent, MessageReceipt, Operation, Recipient, RegisterUser, Result, SendMessage,
    SetProfile, Vendor,
};
use rand::Rng;
use serde_json::{Value, json};

use crate::body::Form;
use crate::client::{Body, Resend, RongCloudClient, capabilities_ref, tagged};
use crate::validate;

/// The Server API paths behind the common operations.
pub mod paths {
    /// Register a user / get a token.
    pub const GET_TOKEN: &str = "/user/getToken.json";
    /// A user's name, portrait and creation time.
    pub const USER_INFO: &str = "/user/info.json";
    /// Change a user's name or portrait.
    pub const REFRESH_USER: &str = "/user/refresh.json";
    /// Create a group with its users.
    pub const CREATE_GROUP: &str = "/group/create.json";
    /// A group's members (used to refuse taken group ids).
    pub const GROUP_MEMBERS: &str = "/group/user/query.json";
    /// Send one-to-one messages.
    pub const PRIVATE_PUBLISH: &str = "/message/private/publish.json";
    /// Send group messages.
    pub const GROUP_PUBLISH: &str = "/message/group/publish.json";
}

/// The path(s) behind an operation, for comparisons and logs.
pub fn endpoint(op: Operation, to_group: bool) -> &'static str {
    match op {
        Operation::RegisterUser => paths::GET_TOKEN,
        Operation::IssueToken => "/user/info.json + /user/getToken.json",
        Operation::SetProfile => paths::REFRESH_USER,
        Operation::CreateGroup => paths::CREATE_GROUP,
        Operation::SendMessage if to_group => paths::GROUP_PUBLISH,
        Operation::SendMessage => paths::PRIVATE_PUBLISH,
        _ => "(other)",
    }
}

/// The `objectName` of text messages.
pub const TEXT_OBJECT_NAME: &str = "RC:TxtMsg";
/// The `objectName` used for custom payloads that name no type of their own.
pub const DEFAULT_CUSTOM_OBJECT_NAME: &str = "IMB:Custom";

/// The `objectName` and `content` (a JSON string) of a message.
pub fn encode_content(content: &MessageContent) -> Result<(String, String)> {
    match content {
        MessageContent::Text(text) => Ok((
            TEXT_OBJECT_NAME.to_owned(),
            json!({"content": text}).to_string(),
        )),
        MessageContent::Custom(p) => {
            let mut body = json!({"data": p.data});
            if let Some(d) = &p.description {
                body["desc"] = json!(d);
            }
            if let Some(e) = &p.extension {
                body["ext"] = json!(e);
            }
            let name = p
                .message_type
                .clone()
                .unwrap_or_else(|| DEFAULT_CUSTOM_OBJECT_NAME.to_owned());
            Ok((name, body.to_string()))
        }
        _ => Err(Error::invalid_input(
            "content",
            "is a content kind this backend does not know",
        )),
    }
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

/// The user id and every other field were checked before sending, so a parameter error (1002)
/// from a call about one user means the user is not registered.
fn unknown_user(op: Operation, user_id: &str, err: Error) -> Error {
    match err.vendor_code() {
        Some(1002) => err
            .reclassify(
                ErrorKind::NotFound,
                format!("user `{user_id}` is not registered"),
            )
            .with_operation(op),
        _ => err,
    }
}

fn not_found(op: Operation, user_id: &str) -> Error {
    Error::new(
        ErrorKind::NotFound,
        format!("user `{user_id}` is not registered"),
    )
    .with_vendor(Vendor::RongCloud)
    .with_operation(op)
}

fn token_from(op: Operation, user_id: &str, answer: &Value) -> Result<ClientToken> {
    match answer
        .get("token")
        .and_then(Value::as_str)
        .filter(|t| !t.is_empty())
    {
        Some(token) => {
            Ok(ClientToken::new(user_id, token.to_owned().into(), None)
                .for_vendor(Vendor::RongCloud))
        }
        None => Err(Error::new(
            ErrorKind::Decode,
            "RongCloud answered code 200 without a token",
        )
        .with_vendor(Vendor::RongCloud)
        .with_operation(op)),
    }
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
        retry: Option<&RetryPolicy>,
    ) -> Result<()> {
        let form = Form::new().field("groupId", group_id);
        let answer = self
            .call(
                op,
                paths::GROUP_MEMBERS,
                Body::Form(form),
                Resend::Idempotent,
                retry,
            )
            .await?;
        let members = answer
            .get("users")
            .and_then(Value::as_array)
            .map_or(0, Vec::len);
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

    /// The registered name of `user_id`, or `None` when the user is not registered.
    async fn stored_name(
        &self,
        op: Operation,
        user_id: &str,
        retry: Option<&RetryPolicy>,
    ) -> Result<Option<String>> {
        let form = Form::new().field("userId", user_id);
        match self
            .call(
                op,
                paths::USER_INFO,
                Body::Form(form),
                Resend::Idempotent,
                retry,
            )
            .await
        {
            Ok(info) => Ok(info
                .get("userName")
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)),
            Err(e) if e.vendor_code() == Some(1002) => Ok(None),
            Err(e) => Err(e),
        }
    }

    async fn get_token(
        &self,
        op: Operation,
        user_id: &str,
        name: &str,
        portrait: Option<&str>,
        retry: Option<&RetryPolicy>,
    ) -> Result<ClientToken> {
        let form = Form::new()
            .field("userId", user_id)
            .field("name", name)
            .optional("portraitUri", portrait);
        let answer = self
            .call(
                op,
                paths::GET_TOKEN,
                Body::Form(form),
                Resend::Idempotent,
                retry,
            )
            .await?;
        token_from(op, user_id, &answer)
    }
}

#[async_trait]
impl ImProvider for RongCloudClient {
    fn vendor(&self) -> Vendor {
        Vendor::RongCloud
    }

    fn capabilities(&self) -> &Capabilities {
        capabilities_ref(self)
    }

    /// `/user/getToken.json`; without a nickname the user id is sent as the (required) name.
    async fn register_user(&self, req: &RegisterUser) -> Result<ClientToken> {
        let op = Operation::RegisterUser;
        tagged(op, validate::register(req))?;
        let name = match &req.nickname {
            Some(nickname) => nickname.clone(),
            // The vendor requires a name, and getToken overwrites it: keep a registered user's
            // name, and use the user id for a new one.
            None => self
                .stored_name(op, &req.user_id, req.retry.as_ref())
                .await?
                .unwrap_or_else(|| req.user_id.clone()),
        };
        self.get_token(
            op,
            &req.user_id,
            &name,
            req.avatar_url.as_deref(),
            req.retry.as_ref(),
        )
        .await
    }

    /// `/user/info.json` to confirm the user and keep their name and portrait, then
    /// `/user/getToken.json` with them, so issuing a token never changes the profile.
    async fn issue_token(&self, req: &IssueToken) -> Result<ClientToken> {
        let op = Operation::IssueToken;
        tagged(op, validate::issue_token(req))?;
        let form = Form::new().field("userId", req.user_id.as_str());
        let info = self
            .call(
                op,
                paths::USER_INFO,
                Body::Form(form),
                Resend::Idempotent,
                req.retry.as_ref(),
            )
            .await
            .map_err(|e| unknown_user(op, &req.user_id, e))?;
        let text = |k: &str| {
            info.get(k)
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
        };
        let Some(name) = text("userName") else {
            return Err(not_found(op, &req.user_id));
        };
        self.get_token(
            op,
            &req.user_id,
            name,
            text("userPortrait"),
            req.retry.as_ref(),
        )
        .await
    }

    /// `/user/refresh.json` with `name` and/or `portraitUri`.
    async fn set_profile(&self, req: &SetProfile) -> Result<()> {
        let op = Operation::SetProfile;
        tagged(op, validate::profile(req))?;
        let form = Form::new()
            .field("userId", req.user_id.as_str())
            .optional("name", req.nickname.as_deref())
            .optional("portraitUri", req.avatar_url.as_deref());
        self.call(
            op,
            paths::REFRESH_USER,
            Body::Form(form),
            Resend::Idempotent,
            req.retry.as_ref(),
        )
        .await
        .map_err(|e| unknown_user(op, &req.user_id, e))?;
        Ok(())
    }

    /// `/group/create.json` with the owner and members as repeated `userId`; a group id is
    /// generated when none is given (the vendor requires one).
    async fn create_group(&self, req: &CreateGroup) -> Result<CreatedGroup> {
        let op = Operation::CreateGroup;
        tagged(op, validate::create_group(req))?;
        let group_id = match &req.group_id {
            Some(id) => {
                self.refuse_taken_group_id(op, id, req.retry.as_ref())
                    .await?;
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
        let form = Form::new()
            .list("userId", users.iter().copied())
            .field("groupId", group_id.as_str())
            .field("groupName", req.name.as_str());
        // Creating the same id with the same users again has the same effect: safe to resend.
        self.call(
            op,
            paths::CREATE_GROUP,
            Body::Form(form),
            Resend::Idempotent,
            req.retry.as_ref(),
        )
        .await?;
        Ok(CreatedGroup::new(group_id))
    }

    /// `/message/private/publish.json` or `/message/group/publish.json`. Text is `RC:TxtMsg`
    /// with `{"content": text}`; custom payloads use their `message_type` as `objectName`.
    async fn send_message(&self, req: &SendMessage) -> Result<MessageReceipt> {
        let op = Operation::SendMessage;
        tagged(op, validate::send_message(req))?;
        let (object_name, content) = tagged(op, encode_content(&req.content))?;
        tagged(op, validate::content_size(&content))?;
        let form = Form::new()
            .field("fromUserId", req.from.as_str())
            .field("objectName", object_name)
            .field("content", content)
            .optional("msgRandom", req.dedup_key.map(|k| k.to_string()));
        let (path, form) = match &req.to {
            Recipient::User(to) => (
                paths::PRIVATE_PUBLISH,
                form.field("toUserId", to.as_str()).optional(
                    "isIncludeSender",
                    req.sync_to_sender.map(|s| if s { "1" } else { "0" }),
                ),
            ),
            Recipient::Group(gid) => (paths::GROUP_PUBLISH, form.field("toGroupId", gid.as_str())),
            _ => {
                return Err(tagged::<()>(
                    op,
                    Err(Error::invalid_input("to", "is an unknown recipient kind")),
                )
                .unwrap_err());
            }
        };
        let answer = self
            .call(
                op,
                path,
                Body::Form(form),
                Resend::OnlyIfUnsent,
                req.retry.as_ref(),
            )
            .await?;
        let uid = answer
            .get("messageUIDs")
            .and_then(Value::as_array)
            .and_then(|a| a.first())
            .and_then(|m| m.get("messageUID"))
            .or_else(|| answer.get("messageUID"))
            .and_then(Value::as_str)
            .map(str::to_owned);
        let mut receipt = MessageReceipt::new(uid.unwrap_or_default());
        receipt.dedup_key = req.dedup_key;
        Ok(receipt)
    }
}
