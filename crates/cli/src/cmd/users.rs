//! `imbridge user …`: the users family (`im.users()`).
//!
//! | command | operation |
//! |---|---|
//! | `user register ID [--name N] [--avatar URL]` | `register_user` (prints the token) |
//! | `user token ID [--ttl S]` | `issue_token` |
//! | `user import ID... [--name N]` | `register_users` |
//! | `user delete ID...` | `delete_users` |
//! | `user check ID...` | `check_users` |
//! | `user online ID...` | `query_online` |
//! | `user kick ID` | `force_logout` |
//! | `user ban ID... --minutes M` | `ban_users` |
//! | `user unban ID...` | `unban_users` |
//! | `user banned [--limit N] [--cursor C] [--all]` | `list_banned_users` |

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use clap::{Args, Subcommand};
use imbridge::prelude::*;
use imbridge::{
    BanUsers, CheckUsers, ClientToken, Cursor, DeleteUsers, ExposeSecret, ForceLogout, IssueToken,
    ListBannedUsers, NewUser, QueryOnline, RegisterUser, RegisterUsers, UnbanUsers,
};
use serde_json::json;

use crate::cmd::{emit, listing};
use crate::failure::Failure;
use crate::print_json;

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Register (import) a user; prints the user id and a client token (`register_user`).
    Register(RegisterArgs),
    /// Issue a client token for a user; prints the token and its expiry (`issue_token`).
    Token(TokenArgs),
    /// Register (import) many users without tokens (`register_users`); prints the batch:
    /// {"succeeded":[ids],"failed":[{"item","error"}]}.
    Import(ImportArgs),
    /// Delete users (`delete_users`); prints the batch. Tencent deletes at once ("deleted");
    /// RongCloud deactivates later ("pending", with its operation id).
    Delete(UserIds),
    /// Say which users are registered (`check_users`); prints the batch of {"user_id","exists"}.
    Check(UserIds),
    /// Say which users are online (`query_online`); prints the batch of {"user_id","status"}
    /// (online, push_online or offline). Tencent reports an unknown user as a failed item.
    Online(UserIds),
    /// Log a user out everywhere now (`force_logout`); prints {"ok":true}.
    Kick(KickArgs),
    /// Ban users from logging in for M minutes (`ban_users`; RongCloud only); prints the batch.
    Ban(BanArgs),
    /// Lift login bans (`unban_users`; RongCloud only); prints the batch.
    Unban(UserIds),
    /// List the users whose login is banned (`list_banned_users`; RongCloud only); prints a
    /// page: {"items":[{"user_id","until"}],"next":cursor-or-null,"total":n-or-null}.
    Banned(BannedArgs),
}

/// `user register`.
#[derive(Debug, Args)]
pub struct RegisterArgs {
    /// The user's id.
    id: String,
    /// Display name.
    #[arg(long)]
    name: Option<String>,
    /// Avatar URL.
    #[arg(long)]
    avatar: Option<String>,
}

impl From<RegisterArgs> for RegisterUser {
    fn from(a: RegisterArgs) -> Self {
        let mut req = RegisterUser::new(a.id);
        req.nickname = a.name;
        req.avatar_url = a.avatar;
        req
    }
}

/// `user token`.
#[derive(Debug, Args)]
pub struct TokenArgs {
    /// The user's id.
    id: String,
    /// Lifetime in seconds (default: the client's).
    #[arg(long)]
    ttl: Option<u64>,
}

impl From<TokenArgs> for IssueToken {
    fn from(a: TokenArgs) -> Self {
        let mut req = IssueToken::new(a.id);
        req.ttl = a.ttl.map(Duration::from_secs);
        req
    }
}

/// `user import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The users' ids.
    #[arg(required = true, value_name = "ID")]
    ids: Vec<String>,
    /// Display name, given to every user of the command.
    #[arg(long)]
    name: Option<String>,
}

impl From<ImportArgs> for RegisterUsers {
    fn from(a: ImportArgs) -> Self {
        RegisterUsers::new(a.ids.into_iter().map(|id| {
            let user = NewUser::new(id);
            match &a.name {
                Some(name) => user.nickname(name),
                None => user,
            }
        }))
    }
}

/// The users a command is about.
#[derive(Debug, Args)]
pub struct UserIds {
    /// The users' ids.
    #[arg(required = true, value_name = "ID")]
    ids: Vec<String>,
}

impl From<UserIds> for DeleteUsers {
    fn from(a: UserIds) -> Self {
        DeleteUsers::new(a.ids)
    }
}

impl From<UserIds> for CheckUsers {
    fn from(a: UserIds) -> Self {
        CheckUsers::new(a.ids)
    }
}

impl From<UserIds> for QueryOnline {
    fn from(a: UserIds) -> Self {
        QueryOnline::new(a.ids)
    }
}

impl From<UserIds> for UnbanUsers {
    fn from(a: UserIds) -> Self {
        UnbanUsers::new(a.ids)
    }
}

/// `user kick`.
#[derive(Debug, Args)]
pub struct KickArgs {
    /// The user's id.
    id: String,
}

impl From<KickArgs> for ForceLogout {
    fn from(a: KickArgs) -> Self {
        ForceLogout::new(a.id)
    }
}

/// `user ban`.
#[derive(Debug, Args)]
pub struct BanArgs {
    /// The users' ids.
    #[arg(required = true, value_name = "ID")]
    ids: Vec<String>,
    /// How long the ban lasts, in minutes (RongCloud: 1 to 43200).
    #[arg(long, value_name = "M", value_parser = clap::value_parser!(u64).range(1..))]
    minutes: u64,
}

impl TryFrom<BanArgs> for BanUsers {
    type Error = Failure;

    fn try_from(a: BanArgs) -> Result<Self, Failure> {
        let secs = a
            .minutes
            .checked_mul(60)
            .ok_or_else(|| Failure::Usage(format!("--minutes {} is too long", a.minutes)))?;
        Ok(BanUsers::new(a.ids, Duration::from_secs(secs)))
    }
}

/// `user banned`.
#[derive(Debug, Args)]
pub struct BannedArgs {
    /// The most users per page (the vendor's default otherwise).
    #[arg(long, value_name = "N")]
    limit: Option<u32>,
    /// Start at this cursor (a previous page's "next").
    #[arg(long, value_name = "C")]
    cursor: Option<String>,
    /// Follow "next" to the last page and print every item as one page (stops, with a warning,
    /// if the vendor repeats a cursor).
    #[arg(long)]
    all: bool,
}

impl From<&BannedArgs> for ListBannedUsers {
    fn from(a: &BannedArgs) -> Self {
        let mut req = ListBannedUsers::new();
        req.limit = a.limit;
        req.cursor = a.cursor.clone().map(Cursor::new);
        req
    }
}

pub(crate) async fn run(im: &dyn ImProvider, cmd: UserCommand) -> Result<(), Failure> {
    let users = im.users();
    match cmd {
        UserCommand::Register(a) => {
            print_token(&users.register_user(&a.into()).await?);
            Ok(())
        }
        UserCommand::Token(a) => {
            print_token(&users.issue_token(&a.into()).await?);
            Ok(())
        }
        UserCommand::Import(a) => emit(&users.register_users(&a.into()).await?),
        UserCommand::Delete(a) => emit(&users.delete_users(&a.into()).await?),
        UserCommand::Check(a) => emit(&users.check_users(&a.into()).await?),
        UserCommand::Online(a) => emit(&users.query_online(&a.into()).await?),
        UserCommand::Kick(a) => emit(&users.force_logout(&a.into()).await?),
        UserCommand::Ban(a) => emit(&users.ban_users(&a.try_into()?).await?),
        UserCommand::Unban(a) => emit(&users.unban_users(&a.into()).await?),
        UserCommand::Banned(a) => {
            let fetch = |req| async move { users.list_banned_users(&req).await };
            listing(ListBannedUsers::from(&a), a.all, fetch).await
        }
    }
}

/// The output `user register` and `user token` have always had.
fn print_token(token: &ClientToken) {
    print_json(&json!({
        "user_id": token.user_id(),
        "token": token.token().expose_secret(),
        "expires_at": token.expires_at().map(unix),
    }));
}

fn unix(t: SystemTime) -> u64 {
    t.duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}
