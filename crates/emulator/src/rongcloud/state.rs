//! The in-memory state of the emulated RongCloud app, and read-only snapshots of it for tests.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use rand::Rng;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::callbacks::Hub;
use crate::clock::Clock;
use crate::presence::Presence;

/// A registered user (one that got a token).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RongCloudUser {
    /// The user id.
    pub id: String,
    /// The name given to `/user/getToken.json` or `/user/refresh.json`.
    pub name: String,
    /// The portrait URI, `""` when never given.
    pub portrait_uri: String,
    /// The user's tags (`/user/tag/set.json`), in the order set.
    pub tags: Vec<String>,
    /// Every token issued to the user, oldest first (all stay valid).
    pub tokens: Vec<String>,
    /// When the user was registered (Unix seconds).
    pub created_at: u64,
}

impl RongCloudUser {
    /// How many tokens were issued to the user.
    pub fn tokens_issued(&self) -> usize {
        self.tokens.len()
    }
}

/// A group: an id, a name used in push notifications, and its members; a hosted group
/// (profile hosting, `/entrust/group/*`) also has an owner, roles and a profile.
///
/// Basic (`/group/*`) and hosted groups share one store: a group id names one group, whichever
/// API made it, so `/group/user/query.json` and `/user/group/query.json` see hosted groups'
/// members too, and `/group/*` calls on a hosted group change the same member list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RongCloudGroup {
    /// The group id.
    pub id: String,
    /// The group name (`groupName`, or `name` for a hosted group), `""` when the group was made
    /// by `/group/join.json` without one.
    pub name: String,
    /// The members' user ids, in the order they joined.
    pub members: Vec<String>,
    /// When the group was created (Unix seconds).
    pub created_at: u64,
    /// When each member joined (Unix milliseconds).
    pub joined_at_ms: BTreeMap<String, u64>,
    /// The hosted profile, owner and roles: `Some` for a group created by
    /// `/entrust/group/create.json` or imported by `/entrust/group/import.json`.
    pub hosted: Option<HostedGroup>,
    /// Creation order.
    #[serde(skip)]
    pub(crate) order: u64,
}

impl RongCloudGroup {
    /// Adds `user` (when not a member yet) at `now_ms`.
    pub(crate) fn add_member(&mut self, user: &str, now_ms: u64) {
        if !self.members.iter().any(|m| m == user) {
            self.members.push(user.to_owned());
            self.joined_at_ms.insert(user.to_owned(), now_ms);
        }
    }

    /// Removes `user` (with its hosted role and member profile).
    pub(crate) fn remove_member(&mut self, user: &str) {
        self.members.retain(|m| m != user);
        self.joined_at_ms.remove(user);
        if let Some(hosted) = &mut self.hosted {
            hosted.managers.retain(|m| m != user);
            hosted.member_profiles.remove(user);
        }
    }

    /// Whether `user` is a member.
    pub fn is_member(&self, user: &str) -> bool {
        self.members.iter().any(|m| m == user)
    }

    /// `user`'s role in a hosted group: 3 owner, 2 administrator, 1 member (also for every
    /// member of a basic group); `None` for a non-member.
    pub fn role(&self, user: &str) -> Option<u8> {
        if !self.is_member(user) {
            return None;
        }
        Some(match &self.hosted {
            Some(h) if h.owner == user => 3,
            Some(h) if h.managers.iter().any(|m| m == user) => 2,
            _ => 1,
        })
    }
}

/// What profile hosting adds to a group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HostedGroup {
    /// The owner's user id (a member).
    pub owner: String,
    /// Who created the group (the first owner).
    pub creator: String,
    /// `groupProfile`: `introduction`, `announcement`, `portraitUrl`.
    pub profile: Map<String, Value>,
    /// `groupExtProfile`: custom `ext_*` keys.
    pub ext_profile: Map<String, Value>,
    /// `permissions`: `joinPerm`, `removePerm`, `memInvitePerm`, `invitePerm`, `profilePerm`,
    /// `memProfilePerm` (numbers; absent ones default to 0 at the vendor).
    pub permissions: Map<String, Value>,
    /// When the group was created or imported (Unix milliseconds).
    pub created_at_ms: u64,
    /// The administrators (role 2), in the order they were set.
    pub managers: Vec<String>,
    /// Members' group nicknames and extra data (`/entrust/group/member/set.json`).
    pub member_profiles: BTreeMap<String, HostedMember>,
}

/// A member's profile in a hosted group.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct HostedMember {
    /// The member's nickname in the group.
    pub nickname: String,
    /// Extra data for the member.
    pub extra: String,
}

/// A member muted in a group (`/group/user/gag/add.json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RongCloudGag {
    /// The group, `""` for a mute in every group the user is in (`groupId` left empty).
    pub group_id: String,
    /// The muted user.
    pub user_id: String,
    /// When the mute started (Unix milliseconds).
    pub start_ms: u64,
    /// When it ends (Unix milliseconds); `None` for a permanent mute (`minute=0`).
    pub end_ms: Option<u64>,
}

impl RongCloudGag {
    /// Whether the mute is in force at `now_ms`.
    pub fn active(&self, now_ms: u64) -> bool {
        self.end_ms.is_none_or(|end| end > now_ms)
    }
}

/// One private message as delivered to one recipient.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RongCloudPrivateMessage {
    /// The sender (`fromUserId`).
    pub from: String,
    /// The recipient (one `toUserId`).
    pub to: String,
    /// The message type (`objectName`), e.g. `RC:TxtMsg`.
    pub object_name: String,
    /// The content as sent (a JSON string for built-in types).
    pub content: String,
    /// The optional parameters that were given (`pushContent`, `isPersisted`, ...), by name.
    pub options: BTreeMap<String, String>,
    /// The message UID answered for this recipient.
    pub message_uid: String,
    /// When it was accepted (Unix milliseconds).
    pub sent_at_ms: u64,
    /// Recalled by `/message/recall.json` (left out of the history queries).
    pub recalled: bool,
}

/// One group message as delivered to one group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RongCloudGroupMessage {
    /// The sender (`fromUserId`); need not be a member.
    pub from: String,
    /// The group (one `toGroupId`).
    pub group_id: String,
    /// The targeted members (`toUserId`), empty for a message to the whole group.
    pub to_users: Vec<String>,
    /// The message type (`objectName`).
    pub object_name: String,
    /// The content as sent.
    pub content: String,
    /// The optional parameters that were given (`pushContent`, `isMentioned`, ...), by name.
    pub options: BTreeMap<String, String>,
    /// The message UID answered for this group.
    pub message_uid: String,
    /// When it was accepted (Unix milliseconds).
    pub sent_at_ms: u64,
    /// Recalled by `/message/recall.json` (left out of the history queries).
    pub recalled: bool,
}

/// One request the RongCloud half received, with what it answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RongCloudRequest {
    /// The HTTP method.
    pub method: String,
    /// The path, e.g. `/user/getToken.json`.
    pub path: String,
    /// The app key header (`App-Key`, else `RC-App-Key`), if any.
    pub app_key: Option<String>,
    /// The nonce header, if any.
    pub nonce: Option<String>,
    /// The timestamp header, if any.
    pub timestamp: Option<String>,
    /// The signature header, if any.
    pub signature: Option<String>,
    /// Whether the auth headers used the `RC-` prefix.
    pub rc_prefixed: bool,
    /// The `X-Request-ID` header sent, if any.
    pub request_id: Option<String>,
    /// The `X-Request-ID` answered (the request's when usable, else a generated one).
    pub response_request_id: String,
    /// The `Content-Type` header, if any.
    pub content_type: Option<String>,
    /// The `User-Agent` header, if any.
    pub user_agent: Option<String>,
    /// The body (lossily decoded as UTF-8).
    pub body: String,
    /// The HTTP status answered. For a request a rule faulted before processing, 0 when no
    /// status was sent (`Hang`, `DropConnection`); for an `AfterProcessing` fault, the status
    /// the processing produced (not sent).
    pub http_status: u16,
    /// The `code` answered (200 = success). For a request a rule faulted before processing, the
    /// code of the JSON error sent (`Status`, `VendorCode`), or -1 when none was sent; for an
    /// `AfterProcessing` fault, the code the processing produced (not sent).
    pub code: i64,
    /// When the request arrived at the emulator, in milliseconds since the Unix epoch.
    pub received_at_ms: u64,
    /// The fault applied to the request (its [`crate::Fault`] in `Debug` form, e.g.
    /// `"VendorCode { code: 1008 }"`), `None` for a request served normally.
    pub fault: Option<String>,
}

impl RongCloudRequest {
    /// The first value of the form parameter `name` in the body (leniently decoded).
    pub fn form_param(&self, name: &str) -> Option<String> {
        super::form::Form::parse(self.body.as_bytes())
            .first(name)
            .map(str::to_owned)
    }
}

/// The mutable state behind the lock.
#[derive(Debug, Default)]
pub(crate) struct Inner {
    /// Registered users; their `tags` field is filled from `tags` in snapshots.
    pub users: BTreeMap<String, RongCloudUser>,
    /// Tags by user id (set even for users that never got a token).
    pub tags: BTreeMap<String, Vec<String>>,
    pub groups: BTreeMap<String, RongCloudGroup>,
    pub group_order: u64,
    pub private_messages: Vec<RongCloudPrivateMessage>,
    pub group_messages: Vec<RongCloudGroupMessage>,
    /// System messages (`/message/system/publish.json`), one per recipient, in the SYSTEM
    /// conversation.
    pub system_messages: Vec<RongCloudPrivateMessage>,
    pub issued: HashSet<String>,
    /// When each token was issued (Unix milliseconds).
    pub token_issued_ms: BTreeMap<String, u64>,
    /// `/user/token/expire.json`: tokens of the user issued before this time (Unix
    /// milliseconds) no longer work.
    pub token_expiry_ms: BTreeMap<String, u64>,
    /// Presence set by tests (absent = offline).
    pub presence: BTreeMap<String, Presence>,
    /// Blocked users and when their block ends (Unix milliseconds).
    pub blocked: BTreeMap<String, u64>,
    /// Deactivated users and when they were deactivated (Unix milliseconds).
    pub deactivated: BTreeMap<String, u64>,
    /// Deactivation and reactivation requests, in order.
    pub operations: Vec<UserOperation>,
    /// Group mutes by (group id, `""` for every group; user id).
    pub gags: BTreeMap<(String, String), RongCloudGag>,
    /// Groups where everyone is muted (`/group/ban/add.json`).
    pub banned_groups: BTreeSet<String>,
    /// The users still allowed to speak in a group where everyone is muted
    /// (`/group/user/ban/whitelist/add.json`), by group id, in the order added.
    pub ban_whitelist: BTreeMap<String, Vec<String>>,
    pub requests: Vec<RongCloudRequest>,
    /// Callbacks the current operation raised, `(command, form fields)`, taken by the handler
    /// after the operation.
    pub outbox: Vec<(&'static str, Vec<(&'static str, String)>)>,
}

/// One `/user/deactivate.json` or `/user/reactivate.json` request that was accepted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UserOperation {
    /// The `operateId` answered (and sent in the callbacks).
    pub operate_id: String,
    /// `"deactivate"` or `"reactivate"`.
    pub kind: &'static str,
    /// The user ids, in request order.
    pub user_ids: Vec<String>,
    /// When it was accepted (Unix milliseconds).
    pub at_ms: u64,
}

impl Inner {
    /// Whether `id`'s block is in force at `now_ms` (expired blocks are forgotten lazily).
    pub(crate) fn is_blocked(&self, id: &str, now_ms: u64) -> bool {
        self.blocked.get(id).is_some_and(|end| *end > now_ms)
    }

    /// Whether `id` reads as online at `now_ms`: set online, not blocked, not deactivated.
    pub(crate) fn is_online(&self, id: &str, now_ms: u64) -> bool {
        self.presence.get(id) == Some(&Presence::Online)
            && !self.is_blocked(id, now_ms)
            && !self.deactivated.contains_key(id)
    }

    /// Whether `token` was issued by this app and still works at all: its user is not
    /// deactivated and it was issued no earlier than the user's token expiry time.
    pub(crate) fn token_valid(&self, token: &str) -> bool {
        let Some(owner) = self
            .users
            .values()
            .find(|u| u.tokens.iter().any(|t| t == token))
        else {
            return false;
        };
        if self.deactivated.contains_key(&owner.id) {
            return false;
        }
        let issued = self.token_issued_ms.get(token).copied().unwrap_or(0);
        self.token_expiry_ms
            .get(&owner.id)
            .is_none_or(|expiry| issued >= *expiry)
    }
}

impl Inner {
    fn snapshot_user(&self, user: &RongCloudUser) -> RongCloudUser {
        let mut user = user.clone();
        user.tags = self.tags.get(&user.id).cloned().unwrap_or_default();
        user
    }

    /// A fresh message UID (`XXXX-XXXX-XXXX-XXXX`, uppercase letters and digits), unique in
    /// this app.
    pub(crate) fn new_message_uid(&mut self) -> String {
        loop {
            let uid = random_uid();
            if self.issued.insert(uid.clone()) {
                return uid;
            }
        }
    }

    /// A fresh token for `app_key`, unique in this app.
    pub(crate) fn new_token(&mut self, app_key: &str) -> String {
        loop {
            let bytes: [u8; 33] = rand::rng().random();
            let token = format!("{}@{app_key}", base64(&bytes));
            if self.issued.insert(token.clone()) {
                return token;
            }
        }
    }

    /// Creates the group when missing (with `name`, at `now_ms`), returns it.
    pub(crate) fn group_entry(&mut self, id: &str, name: &str, now_ms: u64) -> &mut RongCloudGroup {
        let order = &mut self.group_order;
        self.groups.entry(id.to_owned()).or_insert_with(|| {
            *order += 1;
            RongCloudGroup {
                id: id.to_owned(),
                name: name.to_owned(),
                members: Vec::new(),
                created_at: now_ms / 1000,
                joined_at_ms: BTreeMap::new(),
                hosted: None,
                order: *order,
            }
        })
    }
}

/// The deactivated users ordered by deactivation time, then id.
pub(crate) fn deactivated_in_order(inner: &Inner) -> Vec<String> {
    let mut users: Vec<(&String, &u64)> = inner.deactivated.iter().collect();
    users.sort_by(|a, b| a.1.cmp(b.1).then_with(|| a.0.cmp(b.0)));
    users.into_iter().map(|(id, _)| id.clone()).collect()
}

fn random_uid() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    let mut rng = rand::rng();
    let mut out = String::with_capacity(19);
    for i in 0..16 {
        if i > 0 && i % 4 == 0 {
            out.push('-');
        }
        out.push(char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]));
    }
    out
}

/// Standard base64 with padding.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (i, shift) in [18u32, 12, 6, 0].into_iter().enumerate() {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> shift) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// A handle on the emulated RongCloud app's state: cheap to clone, shared with the server (and
/// with every listener).
///
/// Accessors return snapshots (owned copies), so they never hold the lock for long.
#[derive(Debug, Clone, Default)]
pub struct RongCloudState {
    inner: Arc<Mutex<Inner>>,
    /// Where state changes are called back (shared with the other vendor's state).
    hub: Arc<Hub>,
    /// The app setting "profile hosting enabled" (by a support ticket at the vendor): an app
    /// setting, not data, so [`reset`](Self::reset) keeps it.
    group_hosting: Arc<AtomicBool>,
    /// The app setting "msgRandom idempotency enabled" (by a support ticket at the vendor): an
    /// app setting, not data, so [`reset`](Self::reset) keeps it.
    msg_random_dedup: Arc<AtomicBool>,
    /// The app setting "cloud storage for one-to-one and group messages" (a paid feature at
    /// the vendor): an app setting, not data, so [`reset`](Self::reset) keeps it.
    message_storage: Arc<AtomicBool>,
    /// The server's clock (shared with the other vendor's state in an emulator).
    clock: Clock,
}

impl RongCloudState {
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
        RongCloudState {
            inner: Arc::default(),
            hub,
            group_hosting: Arc::default(),
            msg_random_dedup: Arc::default(),
            message_storage: Arc::default(),
            clock,
        }
    }

    /// The clock the operations read (`sent_at_ms`, the `msgRandom` window, mute and block
    /// ends...); see [`Clock`]. Moving it affects every holder of this state.
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

    /// Every registered user, sorted by id.
    pub fn users(&self) -> Vec<RongCloudUser> {
        let inner = self.lock();
        inner
            .users
            .values()
            .map(|u| inner.snapshot_user(u))
            .collect()
    }

    /// The user `id`, if registered.
    pub fn user(&self, id: &str) -> Option<RongCloudUser> {
        let inner = self.lock();
        inner.users.get(id).map(|u| inner.snapshot_user(u))
    }

    /// The tags of `id`, set with `/user/tag/set.json` (registered or not); empty when none.
    pub fn tags(&self, id: &str) -> Vec<String> {
        self.lock().tags.get(id).cloned().unwrap_or_default()
    }

    /// The user a token was issued to, if it was issued by this app.
    pub fn token_owner(&self, token: &str) -> Option<String> {
        self.lock()
            .users
            .values()
            .find(|u| u.tokens.iter().any(|t| t == token))
            .map(|u| u.id.clone())
    }

    /// Whether profile hosting is on: the `/entrust/*` APIs (hosted groups) answer only then;
    /// otherwise they get 1009 "service not enabled", as at the vendor before the service is
    /// enabled by a support ticket. Off by default.
    pub fn group_hosting(&self) -> bool {
        self.group_hosting.load(Ordering::SeqCst)
    }

    /// Turns profile hosting on or off (see [`group_hosting`](Self::group_hosting)); hosted
    /// groups made while it was on stay in the store.
    pub fn set_group_hosting(&self, on: bool) {
        self.group_hosting.store(on, Ordering::SeqCst);
    }

    /// Whether the `msgRandom` idempotency feature is on: then a message publish
    /// (`/message/private/publish.json`, `/message/group/publish.json`) whose `msgRandom` was
    /// already accepted less than a minute before (by the clock, [`clock`](Self::clock)) is
    /// refused with [`codes::MSG_RANDOM_DUPLICATE`](super::codes::MSG_RANDOM_DUPLICATE) and
    /// not delivered again. The vendor enables it by a support ticket; off by default, when
    /// `msgRandom` is stored but de-duplicates nothing.
    pub fn msg_random_dedup(&self) -> bool {
        self.msg_random_dedup.load(Ordering::SeqCst)
    }

    /// Turns the `msgRandom` idempotency feature on or off (see
    /// [`msg_random_dedup`](Self::msg_random_dedup)).
    pub fn set_msg_random_dedup(&self, on: bool) {
        self.msg_random_dedup.store(on, Ordering::SeqCst);
    }

    /// Whether the app has cloud storage for one-to-one and group messages: the history
    /// queries (`/v3/message/private/query.json`, `/v3/message/group/query.json`) answer only
    /// then; otherwise they get 1009 "service not enabled" (the code is unconfirmed for this
    /// case), as at the vendor, where the storage is off by default and a paid feature. Off by
    /// default. Messages are stored either way, so turning it on shows earlier messages too.
    pub fn message_storage(&self) -> bool {
        self.message_storage.load(Ordering::SeqCst)
    }

    /// Turns cloud message storage on or off (see [`message_storage`](Self::message_storage)).
    pub fn set_message_storage(&self, on: bool) {
        self.message_storage.store(on, Ordering::SeqCst);
    }

    /// Every system message (`/message/system/publish.json`), one per recipient, in sending
    /// order.
    pub fn system_messages(&self) -> Vec<RongCloudPrivateMessage> {
        self.lock().system_messages.clone()
    }

    /// Every group mute, in force or ended, ordered by group id (`""`, every group, first) then
    /// user id.
    pub fn gags(&self) -> Vec<RongCloudGag> {
        self.lock().gags.values().cloned().collect()
    }

    /// Whether everyone is muted in the group `id` (`/group/ban/add.json`).
    pub fn group_banned(&self, id: &str) -> bool {
        self.lock().banned_groups.contains(id)
    }

    /// The users allowed to speak in the group `id` while everyone is muted.
    pub fn ban_whitelist(&self, id: &str) -> Vec<String> {
        self.lock()
            .ban_whitelist
            .get(id)
            .cloned()
            .unwrap_or_default()
    }

    /// Every group, in creation order.
    pub fn groups(&self) -> Vec<RongCloudGroup> {
        let inner = self.lock();
        let mut groups: Vec<RongCloudGroup> = inner.groups.values().cloned().collect();
        groups.sort_by_key(|g| g.order);
        groups
    }

    /// The group `id`, if it exists (dismissed groups are gone).
    pub fn group(&self, id: &str) -> Option<RongCloudGroup> {
        self.lock().groups.get(id).cloned()
    }

    /// Every private message, one per recipient, in sending order.
    pub fn private_messages(&self) -> Vec<RongCloudPrivateMessage> {
        self.lock().private_messages.clone()
    }

    /// Every message sent to the group `group_id`, in sending order (kept after a dismissal).
    pub fn group_messages(&self, group_id: &str) -> Vec<RongCloudGroupMessage> {
        self.lock()
            .group_messages
            .iter()
            .filter(|m| m.group_id == group_id)
            .cloned()
            .collect()
    }

    /// Every group message, one per group, in sending order.
    pub fn all_group_messages(&self) -> Vec<RongCloudGroupMessage> {
        self.lock().group_messages.clone()
    }

    /// Every request received so far, in arrival order (by `received_at_ms`): the ones served
    /// normally and the ones a [`crate::FaultRule`] faulted (with their `fault` set); not the
    /// ones a listener's own fault ([`crate::Listener::set_fault`]) kept from being processed.
    pub fn requests(&self) -> Vec<RongCloudRequest> {
        self.lock().requests.clone()
    }

    /// Forgets the recorded requests (the app's data stays).
    pub fn clear_requests(&self) {
        self.lock().requests.clear();
    }

    /// Sets the presence of `id` as `/user/checkOnline.json` reads it (the emulator has no client
    /// connections): `"1"` for [`Presence::Online`] unless the user is blocked or deactivated,
    /// `"0"` otherwise ([`Presence::PushOnline`] included). Any user id may be given.
    pub fn set_presence(&self, id: &str, presence: Presence) {
        let mut inner = self.lock();
        if presence == Presence::Offline {
            inner.presence.remove(id);
        } else {
            inner.presence.insert(id.to_owned(), presence);
        }
    }

    /// Whether `/user/checkOnline.json` answers `"1"` for `id` now.
    pub fn is_online(&self, id: &str) -> bool {
        self.lock().is_online(id, self.clock.now_ms())
    }

    /// When `id`'s block ends (Unix milliseconds), if it is blocked now.
    pub fn blocked_until_ms(&self, id: &str) -> Option<u64> {
        let inner = self.lock();
        let now = self.clock.now_ms();
        inner.blocked.get(id).copied().filter(|end| *end > now)
    }

    /// Whether `id` was deactivated (`/user/deactivate.json`) and not reactivated since.
    pub fn is_deactivated(&self, id: &str) -> bool {
        self.lock().deactivated.contains_key(id)
    }

    /// The deactivated users, in deactivation order.
    pub fn deactivated_users(&self) -> Vec<String> {
        deactivated_in_order(&self.lock())
    }

    /// The time set for `id` by `/user/token/expire.json` (Unix milliseconds): tokens issued
    /// before it no longer work.
    pub fn token_expiry_ms(&self, id: &str) -> Option<u64> {
        self.lock().token_expiry_ms.get(id).copied()
    }

    /// Whether `token` was issued by this app and would still let its user connect: not expired
    /// by `/user/token/expire.json`, its user not deactivated. (Blocking does not invalidate
    /// tokens; see [`blocked_until_ms`](Self::blocked_until_ms).)
    pub fn token_valid(&self, token: &str) -> bool {
        self.lock().token_valid(token)
    }

    /// The accepted deactivation and reactivation requests, in order.
    pub fn user_operations(&self) -> Vec<UserOperation> {
        self.lock().operations.clone()
    }

    /// Forgets everything: users, tokens, tags, groups, messages, presence, blocks,
    /// deactivations and the request log (the app's credentials are not part of the state).
    pub fn reset(&self) {
        *self.lock() = Inner::default();
    }

    /// Registers a user directly, as `/user/getToken.json` would but without issuing a token
    /// (an existing user keeps its data); for seeding tests.
    pub fn register_user(&self, id: &str, name: &str) {
        let now = self.clock.now_secs();
        self.lock()
            .users
            .entry(id.to_owned())
            .or_insert_with(|| RongCloudUser {
                id: id.to_owned(),
                name: name.to_owned(),
                portrait_uri: String::new(),
                tags: Vec::new(),
                tokens: Vec::new(),
                created_at: now,
            });
    }

    /// Logs `request` after every request that arrived no later.
    pub(crate) fn record(&self, request: RongCloudRequest) {
        let requests = &mut self.lock().requests;
        let at = requests.partition_point(|r| r.received_at_ms <= request.received_at_ms);
        requests.insert(at, request);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_the_standard() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
        assert_eq!(base64(&[0xfb, 0xff]), "+/8=");
    }

    #[test]
    fn uids_and_tokens_are_unique_and_shaped() {
        let mut inner = Inner::default();
        let a = inner.new_message_uid();
        let b = inner.new_message_uid();
        assert_ne!(a, b);
        assert_eq!(a.len(), 19);
        assert_eq!(a.split('-').count(), 4);
        let t = inner.new_token("key1");
        assert!(t.ends_with("@key1"));
        assert_ne!(t, inner.new_token("key1"));
    }
}
