//! Request and response bodies of the v4 REST API, as they travel on the wire.
//!
//! Requests borrow from the caller's request types; responses are deserialized leniently
//! (unknown fields ignored, missing optional fields defaulted), as the vendor adds fields freely.

use serde::{Deserialize, Serialize};

/// The envelope every v4 response carries.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct Envelope {
    #[serde(rename = "ActionStatus")]
    pub action_status: Option<String>,
    #[serde(rename = "ErrorCode")]
    pub error_code: Option<i64>,
    #[serde(rename = "ErrorInfo")]
    pub error_info: Option<String>,
    #[serde(rename = "RequestId")]
    pub request_id: Option<String>,
}

/// An answer that carries the envelope's fields itself, so that a success is parsed once.
pub(crate) trait Answer: serde::de::DeserializeOwned {
    /// The envelope's fields, moved out.
    fn take_envelope(&mut self) -> Envelope;
}

/// Declares an answer struct: the envelope's fields, then the given ones, all lenient
/// (`#[serde(default)]`), and its [`Answer`] implementation.
macro_rules! answer {
    ($(#[$doc:meta])* $name:ident { $($(#[$attr:meta])* $field:ident: $ty:ty,)* }) => {
        $(#[$doc])*
        #[derive(Debug, Default, Deserialize)]
        #[serde(default)]
        pub(crate) struct $name {
            #[serde(rename = "ActionStatus")]
            action_status: Option<String>,
            #[serde(rename = "ErrorCode")]
            error_code: Option<i64>,
            #[serde(rename = "ErrorInfo")]
            error_info: Option<String>,
            #[serde(rename = "RequestId")]
            request_id: Option<String>,
            $($(#[$attr])* pub $field: $ty,)*
        }

        impl Answer for $name {
            fn take_envelope(&mut self) -> Envelope {
                Envelope {
                    action_status: self.action_status.take(),
                    error_code: self.error_code.take(),
                    error_info: self.error_info.take(),
                    request_id: self.request_id.take(),
                }
            }
        }
    };
}

impl Answer for serde_json::Value {
    fn take_envelope(&mut self) -> Envelope {
        let text =
            |v: &serde_json::Value, k: &str| v.get(k).and_then(|x| x.as_str()).map(str::to_owned);
        Envelope {
            action_status: text(self, "ActionStatus"),
            error_code: self.get("ErrorCode").and_then(|c| c.as_i64()),
            error_info: text(self, "ErrorInfo"),
            request_id: text(self, "RequestId"),
        }
    }
}

answer!(
    /// A response with nothing but the envelope.
    Empty {}
);

#[derive(Debug, Serialize)]
pub(crate) struct AccountImport<'a> {
    #[serde(rename = "UserID")]
    pub user_id: &'a str,
    #[serde(rename = "Nick", skip_serializing_if = "Option::is_none")]
    pub nick: Option<&'a str>,
    #[serde(rename = "FaceUrl", skip_serializing_if = "Option::is_none")]
    pub face_url: Option<&'a str>,
}

#[derive(Debug, Serialize)]
pub(crate) struct PortraitSet<'a> {
    #[serde(rename = "From_Account")]
    pub from_account: &'a str,
    #[serde(rename = "ProfileItem")]
    pub profile_item: Vec<ProfileItem<'a>>,
}

#[derive(Debug, Serialize)]
pub(crate) struct ProfileItem<'a> {
    #[serde(rename = "Tag")]
    pub tag: std::borrow::Cow<'a, str>,
    #[serde(rename = "Value")]
    pub value: TagValue<'a>,
}

#[derive(Debug, Serialize)]
#[serde(untagged)]
pub(crate) enum TagValue<'a> {
    Text(&'a str),
    Integer(u64),
}

#[derive(Debug, Serialize)]
pub(crate) struct CreateGroup<'a> {
    #[serde(rename = "Type")]
    pub kind: &'static str,
    #[serde(rename = "Name")]
    pub name: &'a str,
    #[serde(rename = "Owner_Account", skip_serializing_if = "Option::is_none")]
    pub owner: Option<&'a str>,
    #[serde(rename = "GroupId", skip_serializing_if = "Option::is_none")]
    pub group_id: Option<&'a str>,
    #[serde(rename = "Introduction", skip_serializing_if = "Option::is_none")]
    pub introduction: Option<&'a str>,
    #[serde(rename = "Notification", skip_serializing_if = "Option::is_none")]
    pub notification: Option<&'a str>,
    #[serde(rename = "FaceUrl", skip_serializing_if = "Option::is_none")]
    pub face_url: Option<&'a str>,
    #[serde(rename = "MaxMemberCount", skip_serializing_if = "Option::is_none")]
    pub max_member_count: Option<u32>,
    #[serde(rename = "MemberList", skip_serializing_if = "Vec::is_empty")]
    pub member_list: Vec<GroupMember<'a>>,
}

#[derive(Debug, Serialize)]
pub(crate) struct GroupMember<'a> {
    #[serde(rename = "Member_Account")]
    pub member_account: &'a str,
}

answer!(CreateGroupResponse {
    #[serde(rename = "GroupId")]
    group_id: String,
});

#[derive(Debug, Serialize)]
pub(crate) struct SendMsg<'a> {
    #[serde(rename = "SyncOtherMachine", skip_serializing_if = "Option::is_none")]
    pub sync_other_machine: Option<u8>,
    #[serde(rename = "From_Account")]
    pub from_account: &'a str,
    #[serde(rename = "To_Account")]
    pub to_account: &'a str,
    #[serde(rename = "MsgRandom")]
    pub msg_random: u32,
    #[serde(rename = "MsgBody")]
    pub msg_body: [MsgElement<'a>; 1],
}

answer!(SendMsgResponse {
    #[serde(rename = "MsgTime")]
    msg_time: Option<u64>,
    #[serde(rename = "MsgKey")]
    msg_key: Option<String>,
    #[serde(rename = "MsgId")]
    msg_id: Option<String>,
});

#[derive(Debug, Serialize)]
pub(crate) struct SendGroupMsg<'a> {
    #[serde(rename = "GroupId")]
    pub group_id: &'a str,
    #[serde(rename = "Random")]
    pub random: u32,
    #[serde(rename = "From_Account")]
    pub from_account: &'a str,
    #[serde(rename = "MsgBody")]
    pub msg_body: [MsgElement<'a>; 1],
}

answer!(SendGroupMsgResponse {
    #[serde(rename = "MsgTime")]
    msg_time: Option<u64>,
    #[serde(rename = "MsgSeq")]
    msg_seq: Option<u64>,
});

#[derive(Debug, Serialize)]
pub(crate) struct MsgElement<'a> {
    #[serde(rename = "MsgType")]
    pub msg_type: &'static str,
    #[serde(rename = "MsgContent")]
    pub msg_content: MsgContent<'a>,
}

#[derive(Debug, Serialize)]
#[serde(untagged)]
pub(crate) enum MsgContent<'a> {
    Text {
        #[serde(rename = "Text")]
        text: &'a str,
    },
    Custom {
        #[serde(rename = "Data")]
        data: &'a str,
        #[serde(rename = "Desc", skip_serializing_if = "Option::is_none")]
        desc: Option<&'a str>,
        #[serde(rename = "Ext", skip_serializing_if = "Option::is_none")]
        ext: Option<&'a str>,
    },
}
