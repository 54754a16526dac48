//! Every error code the Tencent half of the emulator answers with, in one table.
//!
//! Meanings come from the vendor's error code page ("错误码", product 269/1671, English edition
//! product 1047/34348) and the vendor's own SDK header `V2TIMErrorCode.h` (server section), plus
//! the per-API pages for the account calls ("导入单个帐号", "删除帐号", ...).
//!
//! The *meaning* of every code below is documented by the vendor. Where the vendor does not say
//! which code one particular situation gets (for example: which code a missing `random` gets),
//! the constant's doc says `unconfirmed use` and names the situation: that pairing is the most
//! plausible one, not a documented one.

/// Success.
pub const OK: i64 = 0;

// ---- Common REST API codes (60000-69999, 80000-80999) ----

/// HTTP parse error: check the request URL.
/// Unconfirmed use: a method other than POST, and a missing or non-uint32 `random`.
pub const HTTP_PARSE_ERROR: i64 = 60002;
/// The request body is not valid JSON. Unconfirmed use: an empty body, a JSON value that is not
/// an object (the vendor requires `{}` at least).
pub const JSON_PARSE_ERROR: i64 = 60003;
/// The account or the UserSig in the URL or the body is wrong.
/// Unconfirmed use: a missing or empty `identifier`.
pub const BAD_ACCOUNT_OR_SIG: i64 = 60004;
/// The sdkappid is invalid (not a number, or not an app on this server).
pub const BAD_SDKAPPID: i64 = 60006;
/// REST API call frequency over the limit.
/// Unconfirmed use: an emulated `Fault::Status(429)`.
pub const REST_RATE_LIMIT: i64 = 60007;
/// The service request timed out, or the HTTP request is malformed.
/// Unconfirmed use: an emulated `Fault::Status` other than 429.
pub const SERVICE_TIMEOUT: i64 = 60008;
/// Wrong request resource: check the URL (unknown service name or command).
pub const BAD_RESOURCE: i64 = 60009;
/// The request needs the App admin account as `identifier`.
pub const ADMIN_REQUIRED: i64 = 60010;
/// The request URL lacks the `sdkappid` parameter.
pub const SDKAPPID_MISSING: i64 = 60012;
/// An account (UserID) in the request body is not a string.
pub const ACCOUNT_NOT_STRING: i64 = 60015;
/// The URL's SDKAppID, Identifier, UserSig or ContentType is wrong.
/// Unconfirmed use: a `contenttype` other than `json`.
pub const BAD_URL_PARAMETER: i64 = 60025;
/// The message body is too long (the vendor's limit is 12 KB).
pub const MSG_BODY_TOO_LONG: i64 = 80002;

// ---- Account codes (70000-79999) ----

/// The UserSig has expired.
pub const SIG_EXPIRED: i64 = 70001;
/// The UserSig is empty.
pub const SIG_EMPTY: i64 = 70002;
/// The UserSig is invalid (cannot be decoded).
pub const SIG_INVALID: i64 = 70003;
/// The UserSig does not verify with the app's key.
pub const SIG_WRONG_KEY: i64 = 70009;
/// The identifier in the request differs from the one the UserSig was made for.
pub const SIG_IDENTIFIER_MISMATCH: i64 = 70013;
/// The sdkappid in the request differs from the one the UserSig was made for.
pub const SIG_SDKAPPID_MISMATCH: i64 = 70014;
/// The account has not been imported (per item of `account_delete` and in the `ErrorList` of
/// `query_online_status`, both documented there; `kick`).
pub const ACCOUNT_NOT_FOUND: i64 = 70107;
/// The number of items in a batch is invalid.
/// Unconfirmed use: more than 100 items in `multiaccount_import` / `account_check` / `account_delete`.
pub const ACCOUNT_BATCH_COUNT: i64 = 70206;
/// Invalid parameter: a required field is missing or does not meet the protocol
/// (documented for `account_import`, `multiaccount_import`, `account_delete`, `account_check`).
/// Unconfirmed use: per item when deleting the admin account; more than 500 accounts or an
/// `IsNeedDetail` other than 0 or 1 in `query_online_status`.
pub const ACCOUNT_BAD_PARAMETER: i64 = 70402;

// ---- Profile codes (40000-49999) ----

/// Invalid profile request parameter. Unconfirmed use: more than 100 accounts in `portrait_get`.
pub const PROFILE_BAD_PARAMETER: i64 = 40001;
/// No account was given to pull profiles for. Unconfirmed use: an empty `To_Account`.
pub const PROFILE_NO_ACCOUNT: i64 = 40002;
/// The account has not been imported (per item of `portrait_get`; the whole call when no
/// account exists, unconfirmed use).
pub const PROFILE_ACCOUNT_NOT_FOUND: i64 = 40003;
/// The profile field's tag does not exist.
pub const PROFILE_TAG_NOT_FOUND: i64 = 40009;
/// A profile value is longer than allowed (500 bytes; also used for the 16-byte location,
/// unconfirmed use).
pub const PROFILE_VALUE_TOO_LONG: i64 = 40601;
/// A standard profile field's value is not one of the allowed values.
pub const PROFILE_BAD_VALUE: i64 = 40605;
/// A profile field's value has the wrong type (string vs integer).
pub const PROFILE_BAD_VALUE_TYPE: i64 = 40610;

// ---- Group codes (10000-19999) ----

/// Invalid group parameter. Unconfirmed use: a bad `Random` or `MsgBody` in `send_group_msg`,
/// removing the owner with `delete_group_member`, a `MaxMemberNum` below the member count in
/// `modify_group_base_info`, a `Limit` over 6000 in `get_group_member_info`, changing the
/// owner's role in `modify_group_member_info`.
pub const GROUP_BAD_PARAMETER: i64 = 10004;
/// Too many accounts in one request. Unconfirmed use: more than 500 initial members,
/// more than 300 added or 100 deleted members, more than 500 accounts in `forbid_send_msg` or
/// `get_role_in_group`.
pub const GROUP_TOO_MANY_ACCOUNTS: i64 = 10005;
/// Not allowed: the group type does not support the operation, or the sender is not a member.
/// Documented for muting in a Work group and for AVChatRoom member operations.
/// Unconfirmed use: a `From_Account` that is not a member in `send_group_msg`; a
/// `NewOwner_Account` that is not a member in `change_group_owner`; a `Member_Account` that is
/// not a member in `modify_group_member_info`.
pub const GROUP_PERMISSION_DENIED: i64 = 10007;
/// The group does not exist any more (it was dismissed).
/// Unconfirmed use: any group id that existed and was destroyed.
pub const GROUP_DISMISSED: i64 = 10010;
/// The group is full.
pub const GROUP_FULL: i64 = 10014;
/// The sender is muted and cannot send messages (`ERR_SVR_GROUP_SHUTUP_DENY`): a muted
/// `From_Account`, or a plain member while everyone is muted, in `send_group_msg`.
pub const GROUP_MUTED: i64 = 10017;
/// Invalid group id: no group has this id. Unconfirmed use: ids that never existed, and
/// malformed custom ids.
pub const GROUP_ID_INVALID: i64 = 10015;
/// A requested account does not exist. Unconfirmed use: `Owner_Account`, `MemberList` and
/// `From_Account` in the group service, `NewOwner_Account` in `change_group_owner`.
pub const GROUP_ACCOUNT_NOT_FOUND: i64 = 10019;
/// The group id is already taken.
pub const GROUP_ID_TAKEN: i64 = 10021;
/// A group message could not be recalled: `RetCode` in `group_msg_recall`'s `RecallRetList`
/// (documented example). Unconfirmed use: a `MsgSeq` the group never had, or one already
/// recalled.
pub const GROUP_MSG_RECALL_FAILED: i64 = 10030;

// ---- Message codes (20000-29999, 90000-99999) ----

/// The message to recall does not exist (`admin_msgwithdraw`).
pub const MSG_NOT_FOUND: i64 = 20022;
/// The message has already been recalled (`admin_msgwithdraw`).
pub const MSG_ALREADY_RECALLED: i64 = 20023;

/// `MsgBody` does not match the message format (bad element, unknown `MsgType`, empty array).
pub const MSG_BAD_BODY: i64 = 90002;
/// `To_Account` is missing. Unconfirmed use: a missing, empty or non-array `To_Account` in
/// `query_online_status`.
pub const MSG_TO_ACCOUNT_MISSING: i64 = 90003;
/// `MsgRandom` is missing or not an integer (or out of the uint32 range, unconfirmed use).
pub const MSG_BAD_RANDOM: i64 = 90005;
/// `MsgBody` is missing or not an array.
pub const MSG_BODY_NOT_ARRAY: i64 = 90007;
/// `From_Account` (or `Operator_Account`) is missing where required or does not exist.
pub const MSG_BAD_FROM_ACCOUNT: i64 = 90008;
/// The request does not match the message format (a field of the wrong type).
/// Unconfirmed use: a non-string `CloudCustomData`; missing `Peer_Account`, `MaxCnt`, `MinTime`
/// or `MaxTime` in `admin_getroammsg`.
pub const MSG_BAD_FORMAT: i64 = 90010;
/// `batchsendmsg` names more than 500 recipients in `To_Account`.
pub const MSG_TOO_MANY_RECIPIENTS: i64 = 90011;
/// `To_Account` (or `Peer_Account`) is not imported.
pub const MSG_TO_ACCOUNT_NOT_FOUND: i64 = 90012;
/// `MsgLifeTime` is larger than allowed (7 days).
pub const MSG_LIFETIME_TOO_LONG: i64 = 90026;
/// `SyncOtherMachine` is not an integer (or not 1 or 2, unconfirmed use).
pub const MSG_BAD_SYNC_OTHER_MACHINE: i64 = 90031;
/// `OfflinePushInfo` does not match its format (not an object).
pub const MSG_BAD_OFFLINE_PUSH_INFO: i64 = 90043;
/// `MsgLifeTime` is not an integer.
pub const MSG_LIFETIME_NOT_INTEGER: i64 = 90044;
/// `LastMsgKey` is malformed.
pub const MSG_BAD_MSG_KEY: i64 = 90054;

// ---- Not a vendor code ----

/// Not a vendor code: the endpoint exists at the vendor but the emulator does not emulate it
/// (answered with HTTP 501 and the header `x-imbridge-emulator: not-emulated`; see
/// [`crate::tencent::NOT_EMULATED`]). Tencent's own codes are 0 or five digits, so it cannot be
/// mistaken for one.
pub const NOT_EMULATED: i64 = 501;

/// Every code above with a short English meaning, sorted by code.
pub const TABLE: &[(i64, &str)] = &[
    (OK, "success"),
    (
        NOT_EMULATED,
        "not emulated: the endpoint exists at the vendor but not in imbridge-emulator",
    ),
    (GROUP_BAD_PARAMETER, "invalid group parameter"),
    (GROUP_TOO_MANY_ACCOUNTS, "too many accounts in one request"),
    (
        GROUP_PERMISSION_DENIED,
        "operation not allowed for this group or account",
    ),
    (GROUP_DISMISSED, "the group does not exist or was dismissed"),
    (GROUP_FULL, "the group is full"),
    (GROUP_ID_INVALID, "invalid group id"),
    (GROUP_MUTED, "the sender is muted and cannot send messages"),
    (
        GROUP_ACCOUNT_NOT_FOUND,
        "a requested account does not exist",
    ),
    (GROUP_ID_TAKEN, "the group id is already used"),
    (
        GROUP_MSG_RECALL_FAILED,
        "the group message could not be recalled",
    ),
    (MSG_NOT_FOUND, "the message to recall does not exist"),
    (
        MSG_ALREADY_RECALLED,
        "the message has already been recalled",
    ),
    (PROFILE_BAD_PARAMETER, "invalid profile request parameter"),
    (PROFILE_NO_ACCOUNT, "no account to pull profiles for"),
    (
        PROFILE_ACCOUNT_NOT_FOUND,
        "the account has not been imported",
    ),
    (PROFILE_TAG_NOT_FOUND, "the profile tag does not exist"),
    (PROFILE_VALUE_TOO_LONG, "the profile value is too long"),
    (
        PROFILE_BAD_VALUE,
        "invalid value for a standard profile field",
    ),
    (
        PROFILE_BAD_VALUE_TYPE,
        "the profile value has the wrong type",
    ),
    (HTTP_PARSE_ERROR, "HTTP parse error: check the request URL"),
    (JSON_PARSE_ERROR, "the request body is not a JSON object"),
    (BAD_ACCOUNT_OR_SIG, "bad account or UserSig"),
    (BAD_SDKAPPID, "invalid sdkappid"),
    (REST_RATE_LIMIT, "REST API call frequency over the limit"),
    (
        SERVICE_TIMEOUT,
        "the service request timed out or the HTTP request is malformed",
    ),
    (BAD_RESOURCE, "unknown request resource: check the URL"),
    (ADMIN_REQUIRED, "the request needs the App admin account"),
    (SDKAPPID_MISSING, "the request URL lacks the sdkappid"),
    (ACCOUNT_NOT_STRING, "an account in the body is not a string"),
    (
        BAD_URL_PARAMETER,
        "bad SDKAppID, identifier, UserSig or contenttype in the URL",
    ),
    (SIG_EXPIRED, "the UserSig has expired"),
    (SIG_EMPTY, "the UserSig is empty"),
    (SIG_INVALID, "the UserSig is invalid"),
    (
        SIG_WRONG_KEY,
        "the UserSig does not verify with the app's key",
    ),
    (
        SIG_IDENTIFIER_MISMATCH,
        "the UserSig was made for another identifier",
    ),
    (
        SIG_SDKAPPID_MISMATCH,
        "the UserSig was made for another sdkappid",
    ),
    (ACCOUNT_NOT_FOUND, "the account has not been imported"),
    (ACCOUNT_BATCH_COUNT, "invalid number of items in the batch"),
    (ACCOUNT_BAD_PARAMETER, "invalid account parameter"),
    (MSG_BODY_TOO_LONG, "the message is longer than 12 KB"),
    (MSG_BAD_BODY, "MsgBody does not match the message format"),
    (MSG_TO_ACCOUNT_MISSING, "To_Account is missing"),
    (MSG_BAD_RANDOM, "MsgRandom is missing or not a uint32"),
    (MSG_BODY_NOT_ARRAY, "MsgBody is missing or not an array"),
    (
        MSG_BAD_FROM_ACCOUNT,
        "From_Account is missing or does not exist",
    ),
    (
        MSG_BAD_FORMAT,
        "the request does not match the message format",
    ),
    (
        MSG_TOO_MANY_RECIPIENTS,
        "more than 500 recipients in To_Account",
    ),
    (MSG_TO_ACCOUNT_NOT_FOUND, "To_Account has not been imported"),
    (MSG_LIFETIME_TOO_LONG, "MsgLifeTime is longer than 7 days"),
    (MSG_BAD_SYNC_OTHER_MACHINE, "SyncOtherMachine is invalid"),
    (MSG_BAD_OFFLINE_PUSH_INFO, "OfflinePushInfo is invalid"),
    (MSG_LIFETIME_NOT_INTEGER, "MsgLifeTime is not an integer"),
    (MSG_BAD_MSG_KEY, "MsgKey is invalid"),
];

/// The short meaning of `code`, if the emulator ever answers with it.
pub fn meaning(code: i64) -> Option<&'static str> {
    TABLE.iter().find(|(c, _)| *c == code).map(|(_, m)| *m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_by_code_and_unique() {
        assert!(TABLE.windows(2).all(|w| w[0].0 < w[1].0));
        assert_eq!(
            meaning(MSG_BAD_RANDOM),
            Some("MsgRandom is missing or not a uint32")
        );
        assert_eq!(meaning(12345), None);
    }
}
