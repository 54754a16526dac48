//! `imbridge emulator`: serve until stopped.
//!
//! The first stdout line is the emulator's JSON startup line; nothing is printed before it.
//! Fixed credentials come from the global connection flags; `--callback-url` turns callbacks on;
//! `--rongcloud-group-hosting` gives the RongCloud app the profile hosting service;
//! `--write-config` writes an imbridge configuration file pointing at the emulator before the
//! startup line is printed, so a reader of that line can use the file at once.

use std::io::Write;
use std::path::{Path, PathBuf};

use imbridge_emulator::callbacks::check_url;
use imbridge_emulator::{CallbackConfig, Emulator, EmulatorConfig, RongCloudApp, TencentApp};

use crate::failure::Failure;

/// What `imbridge emulator` was asked for.
#[derive(Debug)]
pub(crate) struct Options {
    /// The port on 127.0.0.1 (0 = any free one).
    pub port: u16,
    /// `--sdkappid`: the Tencent app's SDKAppID.
    pub sdkappid: Option<u64>,
    /// `--secret-key`: the Tencent app's secret key.
    pub secret_key: Option<String>,
    /// `--admin`: the Tencent app admin account.
    pub admin: Option<String>,
    /// `--app-key`: the RongCloud app key.
    pub app_key: Option<String>,
    /// `--app-secret`: the RongCloud app secret.
    pub app_secret: Option<String>,
    /// `--callback-url`: where to call back (loopback only).
    pub callback_url: Option<String>,
    /// `--tencent-callback-token`: signs Tencent callbacks.
    pub tencent_callback_token: Option<String>,
    /// `--write-config`: where to write an imbridge TOML configuration.
    pub write_config: Option<PathBuf>,
    /// `--rongcloud-group-hosting`: the RongCloud app has the profile hosting service.
    pub rongcloud_group_hosting: bool,
}

/// A flag value that must not be empty.
fn non_empty(flag: &str, value: Option<String>) -> Result<Option<String>, Failure> {
    match value {
        Some(v) if v.trim().is_empty() => Err(Failure::Usage(format!("{flag} must not be empty"))),
        other => Ok(other),
    }
}

/// The emulated apps: the given credentials, fresh random ones for the rest.
fn apps(options: &mut Options) -> Result<(TencentApp, RongCloudApp), Failure> {
    let mut tencent = TencentApp::generate();
    if let Some(sdkappid) = options.sdkappid {
        tencent.sdkappid = sdkappid;
    }
    if let Some(key) = non_empty("--secret-key", options.secret_key.take())? {
        tencent.secret_key = key;
    }
    if let Some(admin) = non_empty("--admin", options.admin.take())? {
        tencent.admin = admin;
    }
    let mut rongcloud = RongCloudApp::generate();
    if let Some(key) = non_empty("--app-key", options.app_key.take())? {
        rongcloud.app_key = key;
    }
    if let Some(secret) = non_empty("--app-secret", options.app_secret.take())? {
        rongcloud.app_secret = secret;
    }
    Ok((tencent, rongcloud))
}

pub(crate) async fn run(mut options: Options) -> Result<(), Failure> {
    let (tencent, rongcloud) = apps(&mut options)?;
    let callbacks = match options.callback_url.take() {
        None => None,
        Some(url) => {
            check_url(&url).map_err(|e| Failure::Usage(format!("--callback-url: {e}")))?;
            let mut config = CallbackConfig::new(url);
            if let Some(token) = non_empty(
                "--tencent-callback-token",
                options.tencent_callback_token.take(),
            )? {
                config = config.tencent_token(token);
            }
            Some(config)
        }
    };
    let port = options.port;
    let config = EmulatorConfig {
        tencent,
        rongcloud,
        port,
        rongcloud_group_hosting: options.rongcloud_group_hosting,
        ..EmulatorConfig::default()
    };
    let emulator = Emulator::start(config).await.map_err(|e| {
        Failure::Other(format!(
            "cannot start the emulator on 127.0.0.1:{port}: {e}"
        ))
    })?;
    if let Err(e) = emulator.try_set_callbacks(callbacks) {
        emulator.shutdown().await;
        return Err(Failure::Usage(format!("--callback-url: {e}")));
    }
    if let Some(path) = &options.write_config
        && let Err(e) = write_config(path, &emulator)
    {
        emulator.shutdown().await;
        return Err(e);
    }
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{}", emulator.startup_line()).map_err(|e| Failure::Other(e.to_string()))?;
    stdout.flush().map_err(|e| Failure::Other(e.to_string()))?;
    drop(stdout);
    wait_for_stop().await;
    emulator.shutdown().await;
    Ok(())
}

/// A TOML basic string: JSON string escapes are valid TOML (serde_json never writes `\/`).
fn toml_string(value: &str) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "\"\"".to_owned())
}

/// The configuration text for `emulator`: `provider = "tencent"`, both sections with the
/// emulator's URL as the only base URL.
fn config_text(emulator: &Emulator) -> String {
    let url = toml_string(&emulator.url());
    let t = emulator.tencent();
    let r = emulator.rongcloud();
    format!(
        "# Written by `imbridge emulator --write-config`: the emulator on {raw_url}.\n\
         # It holds the emulated apps' secrets.\n\
         provider = \"tencent\"\n\
         \n\
         [tencent]\n\
         sdkappid = {sdkappid}\n\
         secret_key = {secret_key}\n\
         admin = {admin}\n\
         base_urls = [{url}]\n\
         \n\
         [rongcloud]\n\
         app_key = {app_key}\n\
         app_secret = {app_secret}\n\
         base_urls = [{url}]\n",
        raw_url = emulator.url(),
        sdkappid = t.sdkappid,
        secret_key = toml_string(&t.secret_key),
        admin = toml_string(&t.admin),
        app_key = toml_string(&r.app_key),
        app_secret = toml_string(&r.app_secret),
    )
}

/// Writes the configuration file with mode 0600 (it holds secrets).
fn write_config(path: &Path, emulator: &Emulator) -> Result<(), Failure> {
    let fail = |e: std::io::Error| {
        Failure::Other(format!(
            "--write-config: cannot write {}: {e}",
            path.display()
        ))
    };
    let mut open = std::fs::OpenOptions::new();
    open.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        open.mode(0o600);
    }
    let mut file = open.open(path).map_err(fail)?;
    #[cfg(unix)]
    {
        // An existing file keeps its mode on open: narrow it before writing the secrets.
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(0o600))
            .map_err(fail)?;
    }
    file.write_all(config_text(emulator).as_bytes())
        .map_err(fail)?;
    file.flush().map_err(fail)
}

/// Waits for Ctrl-C, or SIGTERM on Unix.
async fn wait_for_stop() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
