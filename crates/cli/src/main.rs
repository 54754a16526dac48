//! The `imbridge` command-line tool.
//!
//! Success prints one JSON object on stdout (`usersig gen` prints the sig alone). Failure exits
//! with status 1 and prints the error kind, the vendor's code and message on stderr; usage
//! errors exit with status 2. Secrets are never printed in errors.

mod args;
mod compare_cmd;
mod connect;
mod emulator_cmd;
mod failure;
mod provider_cmd;
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
            };
            emulator_cmd::run(options).await
        }
        Command::Capabilities { json, markdown } => {
            compare_cmd::capabilities(json, markdown);
            Ok(())
        }
        Command::Compare { json } => compare_cmd::compare(&cli.conn, json).await,
        Command::Webhook(cmd) => webhook_cmd::run(&cli.conn, cmd),
        Command::User(cmd) => provider_cmd::user(&connect::provider(&cli.conn)?, cmd).await,
        Command::Profile(cmd) => provider_cmd::profile(&connect::provider(&cli.conn)?, cmd).await,
        Command::Group(cmd) => provider_cmd::group(&connect::provider(&cli.conn)?, cmd).await,
        Command::Message(cmd) => provider_cmd::message(&connect::provider(&cli.conn)?, cmd).await,
        Command::Raw { endpoint, body } => provider_cmd::raw(&cli.conn, &endpoint, &body).await,
    }
}

/// Prints one JSON value on stdout.
pub(crate) fn print_json(value: &serde_json::Value) {
    println!("{value}");
}
