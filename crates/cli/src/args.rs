//! Command-line arguments.

use clap::{Args, Parser, Subcommand, ValueEnum};

pub use crate::cmd::call::CallArgs;
pub use crate::cmd::groups::GroupCommand;
pub use crate::cmd::messages::MessageCommand;
pub use crate::cmd::profiles::ProfileCommand;
pub use crate::cmd::users::UserCommand;

/// imbridge: talk to IM clouds' server APIs, make and check UserSigs, run the local emulator.
#[derive(Debug, Parser)]
#[command(
    name = "imbridge",
    version,
    about,
    propagate_version = true,
    after_help = "Exit status: 0 success (one JSON object on stdout); 1 the call failed (error kind, \
                  vendor code and message on stderr); 2 usage error; 3 a batch call went through \
                  but some items failed (the batch is printed, failed items under \"failed\")."
)]
pub struct Cli {
    #[command(flatten)]
    pub conn: Connection,

    #[command(subcommand)]
    pub command: Command,
}

/// The vendors the CLI can talk to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Provider {
    /// Tencent Cloud IM (REST API v4).
    Tencent,
    /// RongCloud (Server API).
    Rongcloud,
}

/// How to reach the vendor; these flags may stand before or after the command.
#[derive(Debug, Args)]
pub struct Connection {
    /// A TOML configuration file (see docs/configuration.md); `IMBRIDGE_*` environment
    /// variables override it, and these flags override both.
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<std::path::PathBuf>,

    /// The IM vendor to talk to.
    #[arg(long, global = true, value_enum)]
    pub provider: Option<Provider>,

    /// Tencent: the app's SDKAppID.
    #[arg(long, global = true)]
    pub sdkappid: Option<u64>,

    /// Tencent: the app's secret key (better given by IMBRIDGE_TENCENT_SECRET_KEY or the config file).
    #[arg(long, global = true)]
    pub secret_key: Option<String>,

    /// Tencent: the app admin account used for REST calls.
    #[arg(long, global = true)]
    pub admin: Option<String>,

    /// RongCloud: the app key.
    #[arg(long, global = true)]
    pub app_key: Option<String>,

    /// RongCloud: the app secret (better given by IMBRIDGE_RONGCLOUD_APP_SECRET or the config file).
    #[arg(long, global = true)]
    pub app_secret: Option<String>,

    /// A base URL; repeat for backups (the first is the primary). Replaces the region's domains.
    #[arg(long = "base-url", global = true, value_name = "URL")]
    pub base_urls: Vec<String>,

    /// The vendor region (Tencent: china, singapore, seoul, tokyo, frankfurt, silicon-valley,
    /// jakarta, mumbai; RongCloud: beijing, singapore, singapore-b, north-america, saudi-arabia).
    #[arg(long, global = true, value_name = "NAME")]
    pub region: Option<String>,

    /// Allow plain http:// base URLs on hosts other than loopback.
    #[arg(long, global = true)]
    pub allow_insecure_http: bool,

    /// Per-request timeout in seconds (Tencent: must exceed its 3 s server-side timeout).
    #[arg(long, global = true, value_name = "SECONDS")]
    pub timeout: Option<f64>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Make, check and decode Tencent UserSigs (needs --sdkappid and --secret-key).
    #[command(subcommand)]
    Usersig(UsersigCommand),
    /// The users family: register, import, delete and check users, tokens, presence, kicks
    /// and login bans.
    #[command(subcommand)]
    User(UserCommand),
    /// The profiles family: set and read user profiles.
    #[command(subcommand)]
    Profile(ProfileCommand),
    /// The groups family: create, read, list, update, dismiss and transfer groups; add, remove,
    /// list and mute members; list a user's groups; mute a whole group.
    #[command(subcommand)]
    Group(GroupCommand),
    /// The messages family: send to a user or a group, to many users, as the system; recall a
    /// message by the "ref" its send printed; read a conversation's history; import history.
    #[command(subcommand)]
    Message(MessageCommand),
    /// Call any operation of imbridge by its name with its request as JSON, and print the
    /// result as JSON (`imbridge call --list` prints the operations and who supports them).
    Call(CallArgs),
    /// Call any endpoint and print the answer (Tencent: `servicename/command` with a JSON body;
    /// RongCloud: `/path.json` with the fields as a JSON object, sent as a form or as JSON as the
    /// vendor expects).
    Raw {
        /// Tencent `im_open_login_svc/account_check`, or RongCloud `/user/info.json`.
        endpoint: String,
        /// The JSON body or fields (default `{}`).
        #[arg(long, default_value = "{}")]
        body: String,
    },
    /// Print what each vendor supports, side by side.
    Capabilities {
        /// Print JSON instead of a table.
        #[arg(long, conflicts_with = "markdown")]
        json: bool,
        /// Print a Markdown table (as in docs/vendor-matrix.md).
        #[arg(long)]
        markdown: bool,
    },
    /// Run the walkthrough on both vendors and print each step's endpoint, latency and outcome
    /// side by side: on the embedded emulator, or with --config on the vendors configured there.
    Compare {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Check callbacks (webhooks) as the app would receive them.
    #[command(subcommand)]
    Webhook(WebhookCommand),
    /// Run the local emulator until stopped; the first stdout line is its JSON description.
    /// The global --sdkappid, --secret-key, --admin, --app-key and --app-secret fix the emulated
    /// apps' credentials (fresh random ones otherwise). See docs/emulator.md.
    Emulator {
        /// Port on 127.0.0.1 (0 picks a free one).
        #[arg(long, default_value_t = 0)]
        port: u16,
        /// Call back (webhooks, both vendors) to this URL on the loopback interface.
        #[arg(long, value_name = "URL")]
        callback_url: Option<String>,
        /// Sign Tencent callbacks with this callback token (needs --callback-url).
        #[arg(long, value_name = "TOKEN", requires = "callback_url")]
        tencent_callback_token: Option<String>,
        /// Write an imbridge TOML configuration pointing at the emulator to FILE (mode 0600).
        #[arg(long, value_name = "FILE")]
        write_config: Option<std::path::PathBuf>,
        /// Give the emulated RongCloud app the profile hosting service (hosted groups,
        /// `/entrust/*`), which the vendor enables by a support ticket; without it those paths
        /// answer 1009 "service not enabled".
        #[arg(long)]
        rongcloud_group_hosting: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum UsersigCommand {
    /// Print a UserSig for an account, alone on stdout.
    Gen {
        /// The account the sig is for.
        #[arg(long)]
        identifier: String,
        /// Lifetime in seconds.
        #[arg(long, default_value_t = 180 * 24 * 3600)]
        expire: u64,
        /// Signing time as Unix seconds (default: now).
        #[arg(long)]
        time: Option<u64>,
        /// Userbuf (TRTC PrivateMapKey) as standard base64.
        #[arg(long)]
        userbuf: Option<String>,
    },
    /// Verify a UserSig: exit 0 and its fields as JSON, or exit 1 and the reason.
    Verify {
        /// The account the sig should be for.
        #[arg(long)]
        identifier: String,
        /// The UserSig.
        #[arg(long)]
        sig: String,
        /// Check time as Unix seconds (default: now).
        #[arg(long)]
        now: Option<u64>,
    },
    /// Print the fields a UserSig claims, without verifying it (no key needed).
    Decode {
        /// The UserSig.
        #[arg(long)]
        sig: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum WebhookCommand {
    /// Verify a callback URL's signature: exit 0 and what was verified as JSON, or exit 1 and
    /// the reason. Tencent needs --token (and checks --sdkappid when given); RongCloud needs
    /// --app-secret (and checks --app-key when given).
    Verify {
        /// The full callback URL the vendor called, query string included.
        #[arg(long)]
        url: String,
        /// Tencent: the callback token set in the console.
        #[arg(long)]
        token: Option<String>,
        /// Check time as Unix seconds (default: now).
        #[arg(long)]
        now: Option<u64>,
    },
}
