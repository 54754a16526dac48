//! The users family on Tencent Cloud IM: accounts (`im_open_login_svc`), presence
//! (`openim/query_online_status`) and UserSigs made locally. Tencent has no login ban.

use async_trait::async_trait;
use imbridge_core::batch::in_chunks;
use imbridge_core::{
    BanUsers, BannedUser, Batch, CheckUsers, ClientToken, DeleteUsers, DeletionStatus, ForceLogout,
    IssueToken, ListBannedUsers, NewUser, OnlineStatus, Operation, Page, Presence, QueryOnline,
    RegisterUser, RegisterUsers, Result, UnbanUsers, UserDeletion, UserExistence, Users, Vendor,
    check,
};
use serde::{Deserialize, Serialize};

use crate::client::TencentClient;
use crate::endpoints;
use crate::run::{item_error, tagged};
use crate::validate::{self, MAX_ACCOUNTS_PER_CALL, MAX_ONLINE_QUERY};
use crate::wire::{Empty, answer};

#[derive(Serialize)]
pub(crate) struct AccountImport<'a> {
    #[serde(rename = "UserID")]
    pub user_id: &'a str,
    #[serde(rename = "Nick", skip_serializing_if = "Option::is_none")]
    pub nick: Option<&'a str>,
    #[serde(rename = "FaceUrl", skip_serializing_if = "Option::is_none")]
    pub face_url: Option<&'a str>,
}

impl<'a> From<&'a NewUser> for AccountImport<'a> {
    fn from(u: &'a NewUser) -> Self {
        AccountImport {
            user_id: &u.user_id,
            nick: u.nickname.as_deref(),
            face_url: u.avatar_url.as_deref(),
        }
    }
}

#[derive(Serialize)]
struct MultiaccountImport<'a> {
    #[serde(rename = "AccountList")]
    account_list: Vec<AccountImport<'a>>,
}

answer!(MultiaccountImportAnswer {
    #[serde(rename = "FailAccounts")]
    fail_accounts: Vec<String>,
});

#[derive(Serialize)]
struct UserIdItem<'a> {
    #[serde(rename = "UserID")]
    user_id: &'a str,
}

#[derive(Serialize)]
struct AccountDelete<'a> {
    #[serde(rename = "DeleteItem")]
    delete_item: Vec<UserIdItem<'a>>,
}

#[derive(Serialize)]
struct AccountCheck<'a> {
    #[serde(rename = "CheckItem")]
    check_item: Vec<UserIdItem<'a>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ResultItem {
    #[serde(rename = "UserID")]
    user_id: String,
    #[serde(rename = "ResultCode")]
    result_code: i64,
    #[serde(rename = "ResultInfo")]
    result_info: String,
    #[serde(rename = "AccountStatus")]
    account_status: String,
}

answer!(ResultItems {
    #[serde(rename = "ResultItem")]
    result_item: Vec<ResultItem>,
});

#[derive(Serialize)]
struct Kick<'a> {
    #[serde(rename = "UserID")]
    user_id: &'a str,
}

#[derive(Serialize)]
struct QueryOnlineStatus<'a> {
    #[serde(rename = "To_Account")]
    to_account: &'a [String],
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct OnlineResult {
    #[serde(rename = "To_Account")]
    to_account: String,
    #[serde(rename = "Status")]
    status: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct AccountError {
    #[serde(rename = "To_Account")]
    to_account: String,
    #[serde(rename = "ErrorCode")]
    error_code: i64,
}

answer!(QueryOnlineStatusAnswer {
    #[serde(rename = "QueryResult")]
    query_result: Vec<OnlineResult>,
    #[serde(rename = "ErrorList")]
    error_list: Vec<AccountError>,
});

/// Reads one account's result: its own code, or its absence from the answer, is an error.
fn per_account<T>(
    op: Operation,
    asked: &[String],
    items: Vec<ResultItem>,
    ok: impl Fn(&ResultItem) -> T,
) -> Batch<T> {
    let mut batch = Batch::new();
    for id in asked {
        match items.iter().find(|i| &i.user_id == id) {
            Some(item) if item.result_code == 0 => batch.push(ok(item)),
            Some(item) => batch.fail(id, item_error(op, item.result_code, &item.result_info)),
            None => batch.fail(id, missing_item(op)),
        }
    }
    batch
}

/// An account the vendor's answer did not mention: never taken as success.
fn missing_item(op: Operation) -> imbridge_core::Error {
    imbridge_core::Error::new(
        imbridge_core::ErrorKind::Decode,
        "Tencent's answer did not mention this account",
    )
    .with_vendor(Vendor::Tencent)
    .with_operation(op)
}

fn online_status(status: &str) -> OnlineStatus {
    match status {
        "Online" => OnlineStatus::Online,
        "PushOnline" => OnlineStatus::PushOnline,
        _ => OnlineStatus::Offline,
    }
}

impl TencentClient {
    /// One call of a `ResultItem`-per-account endpoint for `chunk`, read account by account.
    async fn per_account_call<B: Serialize, T>(
        &self,
        op: Operation,
        endpoint: &imbridge_core::catalogue::Endpoint,
        options: &imbridge_core::CallOptions,
        chunk: &[String],
        body: B,
        ok: impl Fn(&ResultItem) -> T,
    ) -> Result<Batch<T>> {
        let answer: ResultItems = self.run(op, endpoint, options, &body).await?;
        Ok(per_account(op, chunk, answer.result_item, ok))
    }
}

const NO_LOGIN_BAN: &str = "Tencent Cloud IM has no login ban; stop issuing UserSigs to the \
                            user and call force_logout";

#[async_trait]
impl Users for TencentClient {
    /// `im_open_login_svc/account_import`, then a UserSig made locally.
    async fn register_user(&self, req: &RegisterUser) -> Result<ClientToken> {
        let op = Operation::RegisterUser;
        // The token is signed after the import; its lifetime is checked before anything is sent.
        self.begin(op, || {
            validate::register(req)?;
            self.user_sig_ttl(req.token_ttl).map(drop)
        })?;
        let body = AccountImport {
            user_id: &req.user_id,
            nick: req.nickname.as_deref(),
            face_url: req.avatar_url.as_deref(),
        };
        let _: Empty = self
            .run(op, &endpoints::ACCOUNT_IMPORT, &req.options, &body)
            .await?;
        tagged(op, self.user_sig(&req.user_id, req.token_ttl))
    }

    /// `im_open_login_svc/multiaccount_import` (`AccountList`), 100 accounts per call;
    /// `FailAccounts` are failed items.
    async fn register_users(&self, req: &RegisterUsers) -> Result<Batch<String>> {
        let op = Operation::RegisterUsers;
        self.begin(op, || validate::new_users(&req.users))?;
        in_chunks(
            &req.users,
            MAX_ACCOUNTS_PER_CALL,
            |u| u.user_id.clone(),
            |chunk| async move {
                let body = MultiaccountImport {
                    account_list: chunk.iter().map(AccountImport::from).collect(),
                };
                let answer: MultiaccountImportAnswer = self
                    .run(op, &endpoints::MULTIACCOUNT_IMPORT, &req.options, &body)
                    .await?;
                let mut batch = Batch::new();
                for u in chunk {
                    if answer.fail_accounts.contains(&u.user_id) {
                        batch.fail(
                            &u.user_id,
                            imbridge_core::Error::new(
                                imbridge_core::ErrorKind::Vendor,
                                "Tencent listed this account in FailAccounts: it was not imported",
                            )
                            .with_vendor(Vendor::Tencent)
                            .with_operation(op),
                        );
                    } else {
                        batch.push(u.user_id.clone());
                    }
                }
                Ok(batch)
            },
        )
        .await
    }

    /// A UserSig made locally; nothing is sent, so an unknown user is not detected here.
    async fn issue_token(&self, req: &IssueToken) -> Result<ClientToken> {
        let op = Operation::IssueToken;
        self.begin(op, || Ok(()))?;
        tagged(op, self.user_sig(&req.user_id, req.ttl))
    }

    /// `im_open_login_svc/account_delete`, 100 accounts per call; synchronous.
    async fn delete_users(&self, req: &DeleteUsers) -> Result<Batch<UserDeletion>> {
        let op = Operation::DeleteUsers;
        self.begin(op, || validate::user_ids("user_ids", &req.user_ids))?;
        in_chunks(
            &req.user_ids,
            MAX_ACCOUNTS_PER_CALL,
            String::clone,
            |chunk| {
                let body = AccountDelete {
                    delete_item: chunk.iter().map(|id| UserIdItem { user_id: id }).collect(),
                };
                let ok = |i: &ResultItem| UserDeletion::new(&i.user_id, DeletionStatus::Deleted);
                self.per_account_call(
                    op,
                    &endpoints::ACCOUNT_DELETE,
                    &req.options,
                    chunk,
                    body,
                    ok,
                )
            },
        )
        .await
    }

    /// `im_open_login_svc/account_check`, 100 accounts per call (`AccountStatus`).
    async fn check_users(&self, req: &CheckUsers) -> Result<Batch<UserExistence>> {
        let op = Operation::CheckUsers;
        self.begin(op, || validate::user_ids("user_ids", &req.user_ids))?;
        in_chunks(
            &req.user_ids,
            MAX_ACCOUNTS_PER_CALL,
            String::clone,
            |chunk| {
                let body = AccountCheck {
                    check_item: chunk.iter().map(|id| UserIdItem { user_id: id }).collect(),
                };
                let ok =
                    |i: &ResultItem| UserExistence::new(&i.user_id, i.account_status == "Imported");
                self.per_account_call(op, &endpoints::ACCOUNT_CHECK, &req.options, chunk, body, ok)
            },
        )
        .await
    }

    /// `openim/query_online_status`, 500 accounts per call; `ErrorList` entries are failed
    /// items (70107: not found).
    async fn query_online(&self, req: &QueryOnline) -> Result<Batch<Presence>> {
        let op = Operation::QueryOnline;
        self.begin(op, || validate::user_ids("user_ids", &req.user_ids))?;
        in_chunks(
            &req.user_ids,
            MAX_ONLINE_QUERY,
            String::clone,
            |chunk| async move {
                let body = QueryOnlineStatus { to_account: chunk };
                let answer: QueryOnlineStatusAnswer = self
                    .run(op, &endpoints::QUERY_ONLINE_STATUS, &req.options, &body)
                    .await?;
                let mut batch = Batch::new();
                for id in chunk {
                    if let Some(r) = answer.query_result.iter().find(|r| &r.to_account == id) {
                        batch.push(Presence::new(id, online_status(&r.status)));
                    } else if let Some(e) = answer.error_list.iter().find(|e| &e.to_account == id) {
                        batch.fail(id, item_error(op, e.error_code, ""));
                    } else {
                        batch.fail(id, missing_item(op));
                    }
                }
                Ok(batch)
            },
        )
        .await
    }

    /// `im_open_login_svc/kick`: the user's current UserSigs stop working; a new one works.
    async fn force_logout(&self, req: &ForceLogout) -> Result<()> {
        let op = Operation::ForceLogout;
        self.begin(op, || validate::user_id("user_id", &req.user_id))?;
        let _: Empty = self
            .run(
                op,
                &endpoints::KICK,
                &req.options,
                &Kick {
                    user_id: &req.user_id,
                },
            )
            .await?;
        Ok(())
    }

    /// Unsupported: Tencent has no login ban.
    async fn ban_users(&self, _req: &BanUsers) -> Result<Batch<String>> {
        Err(check::unsupported(
            Vendor::Tencent,
            Operation::BanUsers,
            NO_LOGIN_BAN,
        ))
    }

    /// Unsupported: Tencent has no login ban.
    async fn unban_users(&self, _req: &UnbanUsers) -> Result<Batch<String>> {
        Err(check::unsupported(
            Vendor::Tencent,
            Operation::UnbanUsers,
            NO_LOGIN_BAN,
        ))
    }

    /// Unsupported: Tencent has no login ban.
    async fn list_banned_users(&self, _req: &ListBannedUsers) -> Result<Page<BannedUser>> {
        Err(check::unsupported(
            Vendor::Tencent,
            Operation::ListBannedUsers,
            NO_LOGIN_BAN,
        ))
    }
}
