//! The `imbridge` command-line tool.
//!
//! The commands that call a vendor live in [`cmd`], one module per family of the core
//! (`user`, `profile`, `group`, `message`), plus `call` for any operation of the registry by its
//! name (`imbridge call register_users --json '{"users":[{"user_id":"a"}]}'`,
//! `imbridge call --list`) and `raw` for any endpoint. Their results are printed through serde:
//! a batch as `{"succeeded":[…],"failed":[{"item","error":{"kind","message",…}}]}`, a page as
//! `{"items":[…],"next":cursor-or-null,"total":n-or-null}`, an operation without a result as
//! `{"ok":true}`.
//!
//! Output and exit status:
//!
//! * **0**: success; one JSON object on stdout (`usersig gen` prints the sig alone).
//! * **3**: a batch call went through but some items failed; the batch is still printed on
//!   stdout, and stderr says `error[partial]: N of M items failed`.
//! * **1**: the call failed: stderr has the error kind, the vendor's code and message and
//!   whether a retry may help. This includes input the SDK refuses before sending
//!   (`error[invalid_input]`, e.g. a user id too long for the vendor), an operation the vendor
//!   does not support (`error[unsupported]`, nothing sent) and configuration errors.
//! * **2**: usage: clap's errors, and input the CLI refuses itself before connecting (a
//!   `--json` body that is not the operation's request, an unknown operation name, a bad
//!   `--gender` or `--kind`, a missing `--provider`).
//!
//! Secrets (secret keys, app secrets) are never printed; client tokens are printed only where
//! they are the result (`user register`, `user token`, `call register_user|issue_token`).

mod args;
mod cmd;
mod compare_cmd;
mod connect;
mod emulator_cmd;
mod failure;
mod usersig_cmd;
mod webhook_cmd;

use std::process::ExitCode;

use clap::Parser;

use crate::args::{Cli, Command};
use crate::failure::Failure;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => return Failure::Other(format!("cannot start the async runtime: {e}")).report(),
    };
    let outcome = runtime.block_on(run(cli));
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => failure.report(),
    }
}

async fn run(cli: Cli) -> Result<(), Failure> {
    match cli.command {
        Command::Usersig(cmd) => usersig_cmd::run(&cli.conn, cmd),
        Command::Emulator {
            port,
            callback_url,
            tencent_callback_token,
            write_config,
            rongcloud_group_hosting,
        } => {
            let options = emulator_cmd::Options {
                port,
                sdkappid: cli.conn.sdkappid,
                secret_key: cli.conn.secret_key.clone(),
                admin: cli.conn.admin.clone(),
                app_key: cli.conn.app_key.clone(),
                app_secret: cli.conn.app_secret.clone(),
                callback_url,
                tencent_callback_token,
                write_config,
                rongcloud_group_hosting,
            };
            emulator_cmd::run(options).await
        }
        Command::Capabilities { json, markdown } => {
            compare_cmd::capabilities(json, markdown);
            Ok(())
        }
        Command::Compare { json } => compare_cmd::compare(&cli.conn, json).await,
        Command::Webhook(cmd) => webhook_cmd::run(&cli.conn, cmd),
        Command::User(cmd) => cmd::users::run(connect::provider(&cli.conn)?.as_ref(), cmd).await,
        Command::Profile(cmd) => {
            cmd::profiles::run(connect::provider(&cli.conn)?.as_ref(), cmd).await
        }
        Command::Group(cmd) => cmd::groups::run(connect::provider(&cli.conn)?.as_ref(), cmd).await,
        Command::Message(cmd) => {
            cmd::messages::run(connect::provider(&cli.conn)?.as_ref(), cmd).await
        }
        Command::Call(args) => cmd::call::run(&cli.conn, args).await,
        Command::Raw { endpoint, body } => cmd::raw::run(&cli.conn, &endpoint, &body).await,
    }
}

/// Prints one JSON value on stdout.
pub(crate) fn print_json(value: &serde_json::Value) {
    println!("{value}");
}
