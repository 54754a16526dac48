//! The in-memory state of the emulated Tencent app, and read-only snapshots of it for tests.

use std::collections::{BTreeMap, HashSet};
use std::sync::{Arc, Mutex, MutexGuard};

use serde::Serialize;

use crate::callbacks::Hub;
use crate::clock::Clock;
use crate::presence::Presence;
use serde_json::Value;

/// The profile tag that holds a user's nickname.
pub(crate) const TAG_NICK: &str = "Tag_Profile_IM_Nick";
/// The profile tag that holds a user's avatar URL.
pub(crate) const TAG_IMAGE: &str = "Tag_Profile_IM_Image";

/// An imported account.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UserRecord {
    /// The UserID.
    pub id: String,
    /// The nickname (`Tag_Profile_IM_Nick`), `""` when never set.
    pub nick: String,
    /// The avatar URL (`Tag_Profile_IM_Image`), `""` when never set.
    pub face_url: String,
    /// Every profile tag that was set, standard and custom, with its JSON value.
    pub profile: BTreeMap<String, Value>,
    /// When the account was first imported (Unix seconds).
    pub created_at: u64,
}

impl UserRecord {
    pub(crate) fn new(id: &str, now: u64) -> Self {
        UserRecord {
            id: id.to_owned(),
            nick: String::new(),
            face_url: String::new(),
            profile: BTreeMap::new(),
            created_at: now,
        }
    }

    /// Sets a profile tag, keeping `nick` and `face_url` in step.
    pub(crate) fn set_tag(&mut self, tag: &str, value: Value) {
        match (tag, &value) {
            (TAG_NICK, Value::String(s)) => self.nick = s.clone(),
            (TAG_IMAGE, Value::String(s)) => self.face_url = s.clone(),
            _ => {}
        }
        self.profile.insert(tag.to_owned(), value);
    }
}

/// A member of a group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GroupMember {
    /// The member's UserID.
    pub account: String,
    /// `"Owner"`, `"Admin"` or `"Member"`.
    pub role: String,
    /// When the member joined (Unix seconds).
    pub join_time: u64,
    /// The member's name card in the group, `""` when unset.
    pub name_card: String,
    /// When the member last sent a message to the group (Unix seconds), 0 when never.
    pub last_send_msg_time: u64,
}

/// A group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupRecord {
    /// The group id (`GroupId`), custom or generated (`@TGS#...`).
    pub id: String,
    /// The group type (`Type`): `Public`, `Work`, `Meeting`, `AVChatRoom` or `Community`
    /// (the legacy names `Private` and `ChatRoom` are stored as `Work` and `Meeting`).
    pub group_type: String,
    /// The group name.
    pub name: String,
    /// The owner's UserID, `None` when the group was created without one.
    pub owner: Option<String>,
    /// The members, in the order they joined; the owner (if any) has role `Owner`.
    pub members: Vec<GroupMember>,
    /// The introduction, `""` when unset.
    pub introduction: String,
    /// The notification, `""` when unset.
    pub notification: String,
    /// The avatar URL, `""` when unset.
    pub face_url: String,
    /// The member limit (`MaxMemberCount`); 0 means no limit.
    pub max_member_count: u64,
    /// `FreeAccess`, `NeedPermission` or `DisableApply`.
    pub apply_join_option: String,
    /// `AppDefinedData` as given at creation ([{Key, Value}]).
    pub app_defined_data: Vec<Value>,
    /// When the group was created (Unix seconds).
    pub create_time: u64,
    /// The seq the next group message will get (starts at 1).
    pub next_msg_seq: u64,
    /// The time of the last group message, 0 when none.
    pub last_msg_time: u64,
    /// Everyone is muted (`MuteAllMember` / `ShutUpAllMember` "On"): only the owner, admins and
    /// the App admin may send.
    pub mute_all: bool,
    /// Muted accounts and when their mute ends (Unix seconds), as set by `forbid_send_msg` or
    /// `modify_group_member_info`. A mute outlives leaving the group (the vendor: muted users who
    /// leave and join again stay muted); ended mutes are dropped lazily.
    pub muted: BTreeMap<String, u64>,
    /// The group profile's version (`InfoSeq`): 1 at creation, +1 per change of the base info.
    pub info_seq: u64,
    /// When the base info last changed (`LastInfoTime`, Unix seconds).
    pub last_info_time: u64,
    /// Creation order, used as the `get_appid_group_list` cursor.
    #[serde(skip)]
    pub(crate) order: u64,
}

impl GroupRecord {
    /// The member entry of `account`, if a member.
    pub fn member(&self, account: &str) -> Option<&GroupMember> {
        self.members.iter().find(|m| m.account == account)
    }

    /// When `account`'s mute ends (Unix seconds), if it is muted at `now`.
    pub fn muted_until(&self, account: &str, now: u64) -> Option<u64> {
        self.muted
            .get(account)
            .copied()
            .filter(|until| *until > now)
    }
}

/// A one-to-one message that was accepted (duplicates are not stored twice).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct C2cMessage {
    /// The sender (`From_Account`, or the admin when absent).
    pub from: String,
    /// The recipient (`To_Account`).
    pub to: String,
    /// `MsgRandom`.
    pub msg_random: u32,
    /// `MsgSeq` as given by the sender (`None` when absent); part of the de-duplication key.
    pub msg_seq: Option<u32>,
    /// `MsgBody`, as sent.
    pub msg_body: Value,
    /// The answered `MsgKey` (`{random}_{seq}_{time}`).
    pub msg_key: String,
    /// The answered `MsgId`.
    pub msg_id: String,
    /// The answered `MsgTime` (Unix seconds).
    pub time: u64,
    /// The message's sequence number (app-wide, from 1).
    pub seq: u64,
    /// `SyncOtherMachine` (1 = sync to the sender's devices, 2 = do not); 1 when absent.
    pub sync_other_machine: u64,
    /// `MsgLifeTime` in seconds, when given.
    pub msg_lifetime: Option<u64>,
    /// `CloudCustomData`, when given.
    pub cloud_custom_data: Option<String>,
    /// `OfflinePushInfo`, when given.
    pub offline_push_info: Option<Value>,
    /// Recalled by `admin_msgwithdraw` (`admin_getroammsg` answers `MsgFlagBits` 8).
    pub recalled: bool,
}

/// A group message that was accepted (duplicates are not stored twice).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupMessage {
    /// The group id.
    pub group_id: String,
    /// The sender (`From_Account`, or the admin when absent).
    pub from: String,
    /// `Random`.
    pub random: u32,
    /// `MsgBody`, as sent.
    pub msg_body: Value,
    /// The answered `MsgSeq` (per group, from 1).
    pub seq: u64,
    /// The answered `MsgTime` (Unix seconds).
    pub time: u64,
    /// `CloudCustomData`, when given.
    pub cloud_custom_data: Option<String>,
    /// `OnlineOnlyFlag` was 1.
    pub online_only: bool,
    /// `MsgPriority`, when given.
    pub msg_priority: Option<String>,
    /// `GroupAtInfo` (`[{"GroupAt_Account": ..}]`), when given.
    pub group_at_info: Option<Value>,
    /// `OfflinePushInfo`, when given.
    pub offline_push_info: Option<Value>,
    /// Recalled by `group_msg_recall` (`group_msg_get_simple` answers `IsPlaceMsg` 2).
    pub recalled: bool,
}

/// One request the Tencent half received, with the code it answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecordedRequest {
    /// The HTTP method.
    pub method: String,
    /// The path, e.g. `/v4/openim/sendmsg`.
    pub path: String,
    /// The decoded query parameters, in order (including `usersig`).
    pub query: Vec<(String, String)>,
    /// The body (lossily decoded as UTF-8).
    pub body: String,
    /// The `ErrorCode` answered (0 = OK). For a request a rule faulted before processing, the
    /// code of the envelope sent (`Status`, `VendorCode`), or -1 when no envelope was sent; for
    /// an `AfterProcessing` fault, the code the processing produced (not sent).
    pub error_code: i64,
    /// When the request arrived at the emulator, in milliseconds since the Unix epoch.
    pub received_at_ms: u64,
    /// The fault applied to the request (its [`crate::Fault`] in `Debug` form, e.g.
    /// `"DropConnection"`, `"AfterProcessing(Hang)"`), `None` for a request served normally.
    pub fault: Option<String>,
}

impl RecordedRequest {
    /// The first value of the query parameter `name`.
    pub fn query_param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A user's presence as set by a test, with the platform `query_online_status` reports in
/// `Detail`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct PresenceEntry {
    pub status: Presence,
    pub platform: String,
}

/// The platform reported in `Detail` when a test sets no other.
pub(crate) const DEFAULT_PLATFORM: &str = "Web";

/// The mutable state behind the lock.
#[derive(Debug, Default)]
pub(crate) struct Inner {
    pub users: BTreeMap<String, UserRecord>,
    /// Presence set by tests (absent = offline); cleared by `kick` and `account_delete`.
    pub presence: BTreeMap<String, PresenceEntry>,
    /// When each account was last kicked (Unix seconds).
    pub kicked: BTreeMap<String, u64>,
    pub groups: BTreeMap<String, GroupRecord>,
    pub destroyed_groups: HashSet<String>,
    pub group_order: u64,
    pub c2c: Vec<C2cMessage>,
    pub c2c_seq: u64,
    pub group_messages: Vec<GroupMessage>,
    pub requests: Vec<RecordedRequest>,
    /// Callbacks the current operation raised, `(CallbackCommand, fields)`, taken by the
    /// handler after the operation.
    pub outbox: Vec<(&'static str, serde_json::Map<String, Value>)>,
}

impl Inner {
    /// Raises the callback `command` with `fields` (a JSON object), sent after the operation
    /// when callbacks are on.
    pub(crate) fn raise(&mut self, command: &'static str, fields: Value) {
        if let Value::Object(fields) = fields {
            self.outbox.push((command, fields));
        }
    }
}

/// A handle on the emulated Tencent app's state: cheap to clone, shared with the server.
///
/// Accessors return snapshots (owned copies), so they never hold the lock for long.
#[derive(Debug, Clone, Default)]
pub struct TencentState {
    inner: Arc<Mutex<Inner>>,
    /// Where state changes are called back (shared with the other vendor's state).
    hub: Arc<Hub>,
    /// The server's clock (shared with the other vendor's state in an emulator).
    clock: Clock,
}

impl TencentState {
    /// An empty state, on its own clock running with real time.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty state reading `clock` (a clone of another state's [`clock`](Self::clock) to
    /// share it, as an [`Emulator`](crate::Emulator)'s two vendors do).
    pub fn with_clock(clock: Clock) -> Self {
        Self::with_parts(Arc::default(), clock)
    }

    /// An empty state calling back through `hub`, reading `clock`.
    pub(crate) fn with_parts(hub: Arc<Hub>, clock: Clock) -> Self {
        TencentState {
            inner: Arc::default(),
            hub,
            clock,
        }
    }

    /// The clock the operations read (`MsgTime`, the de-duplication windows, mute ends...);
    /// see [`Clock`]. Moving it affects every holder of this state.
    pub fn clock(&self) -> Clock {
        self.clock.clone()
    }

    /// The callback machinery.
    pub(crate) fn hub(&self) -> &Hub {
        &self.hub
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, Inner> {
        // A panic while holding the lock cannot leave the maps half-updated in a way that
        // matters to an emulator; keep serving.
        self.inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Every imported account, sorted by UserID.
    pub fn users(&self) -> Vec<UserRecord> {
        self.lock().users.values().cloned().collect()
    }

    /// The account `id`, if imported.
    pub fn user(&self, id: &str) -> Option<UserRecord> {
        self.lock().users.get(id).cloned()
    }

    /// Every live group, in creation order.
    pub fn groups(&self) -> Vec<GroupRecord> {
        let inner = self.lock();
        let mut groups: Vec<GroupRecord> = inner.groups.values().cloned().collect();
        groups.sort_by_key(|g| g.order);
        groups
    }

    /// The group `id`, if it exists (destroyed groups are gone).
    pub fn group(&self, id: &str) -> Option<GroupRecord> {
        self.lock().groups.get(id).cloned()
    }

    /// Every stored one-to-one message, in sending order.
    pub fn c2c_messages(&self) -> Vec<C2cMessage> {
        self.lock().c2c.clone()
    }

    /// Every stored message of the group `group_id`, in seq order.
    pub fn group_messages(&self, group_id: &str) -> Vec<GroupMessage> {
        self.lock()
            .group_messages
            .iter()
            .filter(|m| m.group_id == group_id)
            .cloned()
            .collect()
    }

    /// Every request received so far, in arrival order (by `received_at_ms`): the ones served
    /// normally and the ones a [`crate::FaultRule`] faulted (with their `fault` set); not the
    /// ones a listener's own fault ([`crate::Listener::set_fault`]) kept from being processed.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.lock().requests.clone()
    }

    /// Forgets the recorded requests (the app's data stays).
    pub fn clear_requests(&self) {
        self.lock().requests.clear();
    }

    /// Sets the presence of `id` as `query_online_status` reads it (the emulator has no client
    /// connections). Any account may be given; one that is not imported is still answered in
    /// `ErrorList` with 70107. `Detail` names the platform `Web`.
    pub fn set_presence(&self, id: &str, presence: Presence) {
        self.set_presence_on(id, presence, DEFAULT_PLATFORM);
    }

    /// [`set_presence`](Self::set_presence) with the platform reported in `Detail` (Tencent's
    /// names: `iPhone`, `Android`, `Web`, `PC`, `iPad`, `Mac`, ...).
    pub fn set_presence_on(&self, id: &str, presence: Presence, platform: &str) {
        let mut inner = self.lock();
        if presence == Presence::Offline {
            inner.presence.remove(id);
        } else {
            inner.presence.insert(
                id.to_owned(),
                PresenceEntry {
                    status: presence,
                    platform: platform.to_owned(),
                },
            );
        }
    }

    /// The presence of `id` as `query_online_status` reads it (offline when never set, or
    /// after a kick or a deletion).
    pub fn presence(&self, id: &str) -> Presence {
        self.lock()
            .presence
            .get(id)
            .map_or(Presence::Offline, |p| p.status)
    }

    /// When `id` was last kicked (`im_open_login_svc/kick`), in Unix seconds.
    pub fn kicked_at(&self, id: &str) -> Option<u64> {
        self.lock().kicked.get(id).copied()
    }

    /// Forgets everything: accounts, profiles, groups, messages, presence and the request log
    /// (the app's credentials are not part of the state).
    pub fn reset(&self) {
        *self.lock() = Inner::default();
    }

    /// Imports an account directly, as `account_import` would (idempotent); for seeding tests.
    pub fn import_account(&self, id: &str) {
        let now = self.clock.now_secs();
        self.lock()
            .users
            .entry(id.to_owned())
            .or_insert_with(|| UserRecord::new(id, now));
    }

    /// Logs `request` after every request that arrived no later.
    pub(crate) fn record(&self, request: RecordedRequest) {
        let requests = &mut self.lock().requests;
        let at = requests.partition_point(|r| r.received_at_ms <= request.received_at_ms);
        requests.insert(at, request);
    }
}
