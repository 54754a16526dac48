//! The users family on RongCloud: tokens (`/user/getToken.json`), accounts (`/user/info.json`,
//! `/user/deactivate.json`), presence (`/user/checkOnline.json`) and login bans
//! (`/user/block*.json`). Calls that take one user are fanned out with bounded concurrency,
//! within the client's rate limits.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use async_trait::async_trait;
use imbridge_core::batch::{fan_out, in_chunks};
use imbridge_core::{
    BanUsers, BannedUser, Batch, CallOptions, CheckUsers, ClientToken, Cursor, DeleteUsers,
    DeletionStatus, Error, ErrorKind, ForceLogout, IssueToken, ListBannedUsers, NewUser,
    OnlineStatus, Operation, Page, Presence, QueryOnline, RegisterUser, RegisterUsers, Result,
    UnbanUsers, UserDeletion, UserExistence, Users, Vendor, check,
};
use serde::{Deserialize, Serialize};

use crate::client::RongCloudClient;
use crate::endpoints;
use crate::run::Done;
use crate::validate::{self, MAX_BLOCK_PAGE, MAX_BLOCK_USERS, MAX_DEACTIVATE_USERS};

/// How many one-user calls of a batch run at once.
const FAN_OUT: usize = 16;
/// The page size of `list_banned_users` when the caller gives none.
const DEFAULT_BLOCK_PAGE: u32 = 50;
/// How long `force_logout` bans the user, to drop their live connections.
const LOGOUT_BAN_MINUTES: u32 = 1;
/// How far past the client's clock `force_logout` expires tokens: covers a token issued in the
/// same millisecond and a server clock a little ahead of ours. The user cannot connect during
/// the logout ban anyway, so no token issued after the call is lost by it.
const LOGOUT_EXPIRY_MARGIN_MS: u64 = 1000;

#[derive(Serialize)]
struct GetToken<'a> {
    #[serde(rename = "userId")]
    user_id: &'a str,
    name: &'a str,
    #[serde(rename = "portraitUri", skip_serializing_if = "Option::is_none")]
    portrait_uri: Option<&'a str>,
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct TokenAnswer {
    token: String,
}

#[derive(Serialize)]
struct UserId<'a> {
    #[serde(rename = "userId")]
    user_id: &'a str,
}

#[derive(Default, Deserialize)]
#[serde(default)]
pub(crate) struct UserInfo {
    #[serde(rename = "userName")]
    pub user_name: String,
    #[serde(rename = "userPortrait")]
    pub user_portrait: String,
}

#[derive(Serialize)]
struct UserIds<'a> {
    #[serde(rename = "userId")]
    user_id: &'a [String],
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct DeactivateAnswer {
    #[serde(rename = "operateId")]
    operate_id: String,
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct CheckOnlineAnswer {
    status: String,
}

#[derive(Serialize)]
struct TokenExpire<'a> {
    #[serde(rename = "userId")]
    user_id: &'a [String],
    time: u64,
}

#[derive(Serialize)]
struct Block<'a> {
    #[serde(rename = "userId")]
    user_id: &'a [String],
    minute: u32,
}

#[derive(Serialize)]
struct BlockQuery {
    page: u32,
    size: u32,
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct BlockedUser {
    #[serde(rename = "userId")]
    user_id: String,
    #[serde(rename = "blockEndTime")]
    block_end_time: String,
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct BlockQueryAnswer {
    users: Vec<BlockedUser>,
    total: Option<u64>,
}

/// The user id and every other field were checked before sending, so a parameter error (1002)
/// from a call about one user means the user is not registered.
pub(crate) fn unknown_user(op: Operation, user_id: &str, err: Error) -> Error {
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

/// `YYYY-MM-DD HH:MM:SS` in Beijing time (UTC+8, the vendor's zone; unconfirmed) as a time.
pub(crate) fn beijing_time(text: &str) -> Option<SystemTime> {
    let b = text.as_bytes();
    if b.len() != 19
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b' '
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let num = |r: std::ops::Range<usize>| text.get(r)?.parse::<i64>().ok();
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hh, mm, ss) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) || hh > 23 || mm > 59 || ss > 60 {
        return None;
    }
    // Days from the civil date (Howard Hinnant's algorithm).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let secs = days * 86_400 + hh * 3600 + mm * 60 + ss - 8 * 3600;
    u64::try_from(secs)
        .ok()
        .map(|s| UNIX_EPOCH + Duration::from_secs(s))
}

impl RongCloudClient {
    /// The user's registered name and portrait, or `None` when the user is not registered.
    pub(crate) async fn user_info(
        &self,
        op: Operation,
        user_id: &str,
        options: &CallOptions,
    ) -> Result<Option<UserInfo>> {
        match self
            .run::<_, UserInfo>(op, &endpoints::USER_INFO, options, &UserId { user_id })
            .await
        {
            Ok(info) if info.user_name.is_empty() => Ok(None),
            Ok(info) => Ok(Some(info)),
            Err(e) if e.vendor_code() == Some(1002) => Ok(None),
            Err(e) => Err(e),
        }
    }

    async fn get_token(
        &self,
        op: Operation,
        body: &GetToken<'_>,
        options: &CallOptions,
    ) -> Result<ClientToken> {
        let answer: TokenAnswer = self.run(op, &endpoints::GET_TOKEN, options, body).await?;
        if answer.token.is_empty() {
            return Err(Error::new(
                ErrorKind::Decode,
                "RongCloud answered code 200 without a token",
            )
            .with_vendor(Vendor::RongCloud)
            .with_operation(op));
        }
        Ok(ClientToken::new(body.user_id, answer.token.into(), None).for_vendor(Vendor::RongCloud))
    }

    /// `/user/getToken.json`; without a nickname the vendor's required name is the stored one
    /// (getToken overwrites it) or, for a new user, the user id.
    async fn register_one(
        &self,
        op: Operation,
        user: &NewUser,
        options: &CallOptions,
    ) -> Result<ClientToken> {
        let stored;
        let name = match &user.nickname {
            Some(nickname) => nickname.as_str(),
            None => {
                stored = self.user_info(op, &user.user_id, options).await?;
                stored
                    .as_ref()
                    .map_or(user.user_id.as_str(), |i| i.user_name.as_str())
            }
        };
        let body = GetToken {
            user_id: &user.user_id,
            name,
            portrait_uri: user.avatar_url.as_deref(),
        };
        self.get_token(op, &body, options).await
    }
}

#[async_trait]
impl Users for RongCloudClient {
    /// `/user/getToken.json`; without a nickname the user id is sent as the (required) name.
    async fn register_user(&self, req: &RegisterUser) -> Result<ClientToken> {
        let op = Operation::RegisterUser;
        self.begin(op, || validate::register(req))?;
        let mut user = NewUser::new(&req.user_id);
        user.nickname = req.nickname.clone();
        user.avatar_url = req.avatar_url.clone();
        self.register_one(op, &user, &req.options).await
    }

    /// `/user/getToken.json` per user (the vendor has no batch registration), at most 16 at a
    /// time within the rate limit; the tokens are not kept.
    async fn register_users(&self, req: &RegisterUsers) -> Result<Batch<String>> {
        let op = Operation::RegisterUsers;
        self.begin(op, || validate::new_users(&req.users))?;
        fan_out(
            &req.users,
            FAN_OUT,
            |u| u.user_id.clone(),
            |u| async move {
                self.register_one(op, u, &req.options)
                    .await
                    .map(|_| u.user_id.clone())
            },
        )
        .await
    }

    /// `/user/info.json` to confirm the user and keep their name and portrait, then
    /// `/user/getToken.json` with them, so issuing a token never changes the profile.
    async fn issue_token(&self, req: &IssueToken) -> Result<ClientToken> {
        let op = Operation::IssueToken;
        self.begin(op, || validate::issue_token(req))?;
        let Some(info) = self.user_info(op, &req.user_id, &req.options).await? else {
            return Err(not_found(op, &req.user_id));
        };
        let body = GetToken {
            user_id: &req.user_id,
            name: &info.user_name,
            portrait_uri: Some(info.user_portrait.as_str()).filter(|p| !p.is_empty()),
        };
        self.get_token(op, &body, &req.options).await
    }

    /// `/user/deactivate.json`, 100 users per call. Asynchronous: each user is
    /// [`DeletionStatus::Pending`] with the vendor's `operateId`; the per-user result arrives
    /// by the deactivation webhook. Group memberships stay (the vendor keeps them).
    async fn delete_users(&self, req: &DeleteUsers) -> Result<Batch<UserDeletion>> {
        let op = Operation::DeleteUsers;
        self.begin(op, || validate::user_ids("user_ids", &req.user_ids))?;
        in_chunks(
            &req.user_ids,
            MAX_DEACTIVATE_USERS,
            String::clone,
            |chunk| async move {
                let answer: DeactivateAnswer = self
                    .run(
                        op,
                        &endpoints::DEACTIVATE,
                        &req.options,
                        &UserIds { user_id: chunk },
                    )
                    .await?;
                let mut batch = Batch::new();
                for id in chunk {
                    batch.push(UserDeletion::new(
                        id,
                        DeletionStatus::Pending {
                            operation_id: answer.operate_id.clone(),
                        },
                    ));
                }
                Ok(batch)
            },
        )
        .await
    }

    /// `/user/info.json` per user; the vendor's parameter error (1002) for a user id that
    /// passed validation means the user is not registered.
    async fn check_users(&self, req: &CheckUsers) -> Result<Batch<UserExistence>> {
        let op = Operation::CheckUsers;
        self.begin(op, || validate::user_ids("user_ids", &req.user_ids))?;
        fan_out(&req.user_ids, FAN_OUT, String::clone, |id| async move {
            let info = self.user_info(op, id, &req.options).await?;
            Ok(UserExistence::new(id, info.is_some()))
        })
        .await
    }

    /// `/user/checkOnline.json` per user (`status` "1" online, else offline).
    async fn query_online(&self, req: &QueryOnline) -> Result<Batch<Presence>> {
        let op = Operation::QueryOnline;
        self.begin(op, || validate::user_ids("user_ids", &req.user_ids))?;
        fan_out(&req.user_ids, FAN_OUT, String::clone, |id| async move {
            let answer: CheckOnlineAnswer = self
                .run(
                    op,
                    &endpoints::CHECK_ONLINE,
                    &req.options,
                    &UserId { user_id: id },
                )
                .await?;
            let status = if answer.status == "1" {
                OnlineStatus::Online
            } else {
                OnlineStatus::Offline
            };
            Ok(Presence::new(id, status))
        })
        .await
    }

    /// `/user/token/expire.json` with the current time (plus a second, for clock differences:
    /// tokens issued before it stop working), then `/user/block.json` for one minute, which
    /// drops the user's live connections: the vendor's token expiry alone does not. The user
    /// can log in again with a new token once that minute has passed.
    async fn force_logout(&self, req: &ForceLogout) -> Result<()> {
        let op = Operation::ForceLogout;
        self.begin(op, || validate::user_id("user_id", &req.user_id))?;
        let ids = std::slice::from_ref(&req.user_id);
        let expire = TokenExpire {
            user_id: ids,
            time: self.now_ms() + LOGOUT_EXPIRY_MARGIN_MS,
        };
        let _: Done = self
            .run(op, &endpoints::TOKEN_EXPIRE, &req.options, &expire)
            .await?;
        let block = Block {
            user_id: ids,
            minute: LOGOUT_BAN_MINUTES,
        };
        let _: Done = self
            .run(op, &endpoints::BLOCK, &req.options, &block)
            .await?;
        Ok(())
    }

    /// `/user/block.json` with `minute`, 20 users per call: whole minutes, 1 to 43 200.
    async fn ban_users(&self, req: &BanUsers) -> Result<Batch<String>> {
        let op = Operation::BanUsers;
        let mut minutes = 0;
        self.begin(op, || {
            validate::user_ids("user_ids", &req.user_ids)?;
            minutes = validate::ban_minutes(req.duration)?;
            Ok(())
        })?;
        in_chunks(
            &req.user_ids,
            MAX_BLOCK_USERS,
            String::clone,
            |chunk| async move {
                let body = Block {
                    user_id: chunk,
                    minute: minutes,
                };
                let _: Done = self.run(op, &endpoints::BLOCK, &req.options, &body).await?;
                Ok(Batch {
                    succeeded: chunk.to_vec(),
                    ..Batch::new()
                })
            },
        )
        .await
    }

    /// `/user/unblock.json`, 20 users per call.
    async fn unban_users(&self, req: &UnbanUsers) -> Result<Batch<String>> {
        let op = Operation::UnbanUsers;
        self.begin(op, || validate::user_ids("user_ids", &req.user_ids))?;
        in_chunks(
            &req.user_ids,
            MAX_BLOCK_USERS,
            String::clone,
            |chunk| async move {
                let _: Done = self
                    .run(
                        op,
                        &endpoints::UNBLOCK,
                        &req.options,
                        &UserIds { user_id: chunk },
                    )
                    .await?;
                Ok(Batch {
                    succeeded: chunk.to_vec(),
                    ..Batch::new()
                })
            },
        )
        .await
    }

    /// `/user/block/query.json` by `page` (always sent: without it the vendor returns a capped
    /// first page) and `size`; the cursor is the next page number.
    async fn list_banned_users(&self, req: &ListBannedUsers) -> Result<Page<BannedUser>> {
        let op = Operation::ListBannedUsers;
        let mut page = 1;
        self.begin(op, || {
            check::page_size("limit", req.limit, MAX_BLOCK_PAGE)?;
            if let Some(cursor) = &req.cursor {
                page = cursor
                    .as_str()
                    .parse::<u32>()
                    .ok()
                    .filter(|p| *p >= 1)
                    .ok_or_else(|| {
                        Error::invalid_input("cursor", "is not a cursor of this listing")
                    })?;
            }
            Ok(())
        })?;
        let size = req.limit.unwrap_or(DEFAULT_BLOCK_PAGE);
        let answer: BlockQueryAnswer = self
            .run(
                op,
                &endpoints::BLOCK_QUERY,
                &req.options,
                &BlockQuery { page, size },
            )
            .await?;
        let full = answer.users.len() >= size as usize;
        let items: Vec<BannedUser> = answer
            .users
            .into_iter()
            .map(|u| BannedUser::new(u.user_id, beijing_time(&u.block_end_time)))
            .collect();
        let next = (full && !items.is_empty()).then(|| Cursor::new((page + 1).to_string()));
        Ok(Page::new(items).next(next).total(answer.total))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_end_times_are_beijing_time() {
        let t = beijing_time("1970-01-01 08:00:10").unwrap();
        assert_eq!(t, UNIX_EPOCH + Duration::from_secs(10));
        let t = beijing_time("2024-02-29 12:00:00").unwrap();
        assert_eq!(
            t.duration_since(UNIX_EPOCH).unwrap().as_secs(),
            1_709_179_200
        );
        assert!(beijing_time("2024-13-01 00:00:00").is_none());
        assert!(beijing_time("yesterday").is_none());
    }
}
