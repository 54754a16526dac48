//! The configuration as apps meet it: layering, errors that name keys and origins, values never
//! echoed, per-vendor checks, an app's own file.

use std::collections::HashMap;
use std::fmt;
use std::time::Duration;

use imbridge_core::{ExposeSecret, Operation, Result, Vendor};
use serde::Deserialize;

use super::{ConfigBuilder, ProviderConfig};

const FILE: &str = r#"
provider = "tencent"
[tencent]
sdkappid = 1400000000
secret_key = "file-secret"
admin = "administrator"
region = "singapore"
timeout_secs = 7.5
[rongcloud]
app_key = "key"
app_secret = "rc-secret"
base_urls = ["https://a.example", "https://b.example"]
"#;

fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[test]
fn the_documented_file_format_works() {
    let c = ProviderConfig::from_toml_str(FILE).unwrap();
    assert_eq!(c.provider, Some(Vendor::Tencent));
    let t = c.tencent.unwrap();
    assert_eq!(
        (t.sdkappid, t.admin.as_str(), t.region.as_deref()),
        (1400000000, "administrator", Some("singapore"))
    );
    assert_eq!(t.timeout, Some(Duration::from_millis(7500)));
    assert_eq!(t.secret_key.expose_secret(), "file-secret");
    let r = c.rongcloud.unwrap();
    assert_eq!(r.base_urls, ["https://a.example", "https://b.example"]);
    assert!(
        !format!("{r:?}").contains("rc-secret"),
        "secrets stay redacted in Debug"
    );
}

#[test]
fn flipping_one_line_switches_vendor() {
    let c = ProviderConfig::from_toml_str(
        &FILE.replace("provider = \"tencent\"", "provider = \"rongcloud\""),
    )
    .unwrap();
    assert_eq!(c.provider, Some(Vendor::RongCloud));
}

#[test]
fn environment_overrides_the_file_and_overrides_override_both() {
    let b = ConfigBuilder::new().toml_str(FILE, "test").unwrap();
    let b = b
        .env_vars(env(&[
            ("IMBRIDGE_PROVIDER", "rongcloud"),
            ("IMBRIDGE_TENCENT_SDKAPPID", "1400000099"),
            (
                "IMBRIDGE_TENCENT_BASE_URLS",
                "http://127.0.0.1:1, http://127.0.0.1:2",
            ),
            ("IMBRIDGE_RONGCLOUD_MAX_ATTEMPTS", "3"),
            ("IMBRIDGE_TENCENT_ALLOW_INSECURE_HTTP", "yes"),
            ("PATH", "/usr/bin"),
            ("IMBRIDGE_LOG", "ignored: not a section variable"),
        ]))
        .unwrap();
    assert!(!format!("{b:?}").contains("file-secret"), "{b:?}");
    let c = b
        .set("tencent.admin", "flag-admin", "--admin")
        .unwrap()
        .build()
        .unwrap();
    assert_eq!(c.provider, Some(Vendor::RongCloud));
    let t = c.tencent.unwrap();
    assert_eq!(t.sdkappid, 1400000099);
    assert_eq!(t.admin, "flag-admin");
    assert!(t.allow_insecure_http);
    // base_urls from the environment replaced the file's region.
    assert_eq!(t.region, None);
    assert_eq!(t.base_urls, ["http://127.0.0.1:1", "http://127.0.0.1:2"]);
    assert_eq!(c.rongcloud.unwrap().max_attempts, Some(3));
}

#[test]
fn environment_alone_is_enough() {
    let c = ConfigBuilder::new()
        .env_vars(env(&[
            ("IMBRIDGE_PROVIDER", "tencent"),
            ("IMBRIDGE_TENCENT_SDKAPPID", "1"),
            ("IMBRIDGE_TENCENT_SECRET_KEY", "k"),
            ("IMBRIDGE_TENCENT_ADMIN", "a"),
        ]))
        .unwrap()
        .build()
        .unwrap();
    assert_eq!(c.provider, Some(Vendor::Tencent));
    assert!(c.rongcloud.is_none());
    assert_eq!(c.vendors(), [Vendor::Tencent]);
}

#[track_caller]
fn err_of<T: fmt::Debug>(r: Result<T>) -> String {
    let e = r.unwrap_err();
    assert_eq!(e.kind(), imbridge_core::ErrorKind::Config);
    let text = e.to_string();
    for secret in ["file-secret", "rc-secret", "s3cr3t", "987654321"] {
        assert!(!text.contains(secret), "a secret leaked: {text}");
    }
    text
}

#[test]
fn errors_name_the_key_and_where_it_came_from() {
    let unknown = err_of(ProviderConfig::from_toml_str(
        &FILE.replace("region =", "regoin ="),
    ));
    assert!(
        unknown.contains("unknown key `tencent.regoin`") && unknown.contains("config text"),
        "{unknown}"
    );
    assert!(
        unknown.contains("region"),
        "lists the known keys: {unknown}"
    );

    let top = err_of(ProviderConfig::from_toml_str("provder = \"tencent\""));
    assert!(top.contains("unknown key `provder`"), "{top}");

    let typed = err_of(ProviderConfig::from_toml_str(
        &FILE.replace("sdkappid = 1400000000", "sdkappid = \"s3cr3t\""),
    ));
    assert!(
        typed.contains("`tencent.sdkappid`") && typed.contains("unsigned integer"),
        "{typed}"
    );

    let missing = err_of(ProviderConfig::from_toml_str(
        &FILE.replace("admin = \"administrator\"\n", ""),
    ));
    assert!(
        missing.contains("`tencent.admin` is missing")
            && missing.contains("IMBRIDGE_TENCENT_ADMIN"),
        "{missing}"
    );

    let bad_env = err_of(
        ConfigBuilder::new()
            .env_vars(env(&[("IMBRIDGE_TENCENT_SDKAPID", "1")]))
            .and_then(ConfigBuilder::build),
    );
    assert!(
        bad_env.contains("unknown environment variable `IMBRIDGE_TENCENT_SDKAPID`"),
        "{bad_env}"
    );
    assert!(
        bad_env.contains("IMBRIDGE_TENCENT_SDKAPPID"),
        "lists the known names: {bad_env}"
    );

    // A malformed value is reported when its section is checked: at build for the
    // selected vendor (for another vendor, when it is used; see below).
    let bad_env_value = err_of(
        ConfigBuilder::new()
            .env_vars(env(&[
                ("IMBRIDGE_PROVIDER", "tencent"),
                ("IMBRIDGE_TENCENT_SDKAPPID", "s3cr3t"),
            ]))
            .and_then(ConfigBuilder::build),
    );
    assert!(
        bad_env_value.contains("`IMBRIDGE_TENCENT_SDKAPPID` must be an unsigned integer"),
        "{bad_env_value}"
    );

    let vendor = err_of(ProviderConfig::from_toml_str(
        &FILE.replace("provider = \"tencent\"", "provider = \"wechat\""),
    ));
    assert!(
        vendor.contains("`provider`") && vendor.contains("\"tencent\" or \"rongcloud\""),
        "{vendor}"
    );

    let no_section = err_of(ProviderConfig::from_toml_str("provider = \"rongcloud\""));
    assert!(
        no_section.contains("no [rongcloud] section") && no_section.contains("IMBRIDGE_RONGCLOUD_"),
        "{no_section}"
    );

    let not_toml = err_of(ProviderConfig::from_toml_str("provider = "));
    assert!(not_toml.contains("not valid TOML"), "{not_toml}");
}

#[test]
fn values_are_never_echoed_not_even_in_serde_or_toml_messages() {
    // A type error on a secret (serde would say `invalid type: integer 987654321`).
    let e = err_of(ProviderConfig::from_toml_str(
        &FILE.replace("\"file-secret\"", "987654321"),
    ));
    assert!(
        e.contains("`tencent.secret_key` in config text must be a string"),
        "{e}"
    );
    let e = err_of(ProviderConfig::from_toml_str(
        &FILE.replace("\"file-secret\"", "[\"s3cr3t\", 987654321]"),
    ));
    assert!(e.contains("`tencent.secret_key`"), "{e}");
    // A list item of the wrong type.
    let e = err_of(ProviderConfig::from_toml_str(
        &FILE
            .replace("provider = \"tencent\"", "provider = \"rongcloud\"")
            .replace("\"https://b.example\"", "987654321"),
    ));
    assert!(
        e.contains("`rongcloud.base_urls` in config text must be a list of strings"),
        "{e}"
    );
    // A bad flag or variable value on a secret-free key, for good measure.
    let e = err_of(
        ConfigBuilder::new()
            .toml_str(FILE, "text")
            .and_then(|b| b.set("tencent.timeout_secs", "s3cr3t", "--timeout"))
            .and_then(ConfigBuilder::build),
    );
    assert!(
        e.contains("`--timeout` (`tencent.timeout_secs`) must be a non-negative number"),
        "{e}"
    );
    let e = err_of(
        ConfigBuilder::new()
            .toml_str(FILE, "text")
            .and_then(|b| b.set("tencent.timeout_secs", "-1", "--timeout"))
            .and_then(ConfigBuilder::build),
    );
    assert!(e.contains("non-negative"), "{e}");
    // TOML's own parse errors quote the line; ours give its number only.
    let e = err_of(ProviderConfig::from_toml_str(
        "[tencent]\nsecret_key = \"s3cr3t\nadmin = \"a\"\n",
    ));
    assert!(e.contains("not valid TOML") && e.contains("line 2"), "{e}");
}

#[cfg(feature = "tencent")]
#[test]
fn regions_are_checked_early_with_their_origin() {
    let e = err_of(ProviderConfig::from_toml_str(
        &FILE.replace("\"singapore\"", "\"mars\""),
    ));
    assert!(
        e.contains("`tencent.region`") && e.contains("config text") && e.contains("mars"),
        "{e}"
    );
}

#[test]
fn files_are_named_in_errors() {
    let dir = std::env::temp_dir().join(format!("imbridge-config-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("imbridge.toml");
    std::fs::write(&path, "provider = \"tencent\"\n[tencent]\nsdkappid = -1\n").unwrap();
    let e = err_of(
        ConfigBuilder::new()
            .file(&path)
            .and_then(ConfigBuilder::build),
    );
    assert!(
        e.contains(&format!("config file `{}`", path.display())),
        "{e}"
    );
    assert!(e.contains("`tencent.sdkappid`"), "{e}");
    let e = err_of(
        ConfigBuilder::new()
            .file(dir.join("absent.toml"))
            .and_then(ConfigBuilder::build),
    );
    assert!(
        e.contains("cannot read config file") && e.contains("absent.toml"),
        "{e}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn rate_limits_come_from_tables_variables_and_flags_operation_by_operation() {
    let text = format!(
        "{FILE}[tencent.rate_limits]\nsend_message = 50\ncreate_group = 7\n\
         [rongcloud.rate_limits]\nregister_user = 0\n"
    );
    let c = ConfigBuilder::new()
        .toml_str(&text, "text")
        .unwrap()
        .env_vars(env(&[
            ("IMBRIDGE_TENCENT_RATE_LIMITS_SEND_MESSAGE", "40"),
            ("IMBRIDGE_TENCENT_RATE_LIMITS_SET_PROFILE", "9"),
        ]))
        .unwrap()
        .set("tencent.rate_limits.create_group", "3", "--rate-limit")
        .unwrap()
        .build()
        .unwrap();
    let t = c.tencent.unwrap();
    let expected: HashMap<Operation, u32> = [
        (Operation::SendMessage, 40),
        (Operation::CreateGroup, 3),
        (Operation::SetProfile, 9),
    ]
    .into();
    assert_eq!(t.rate_limits, expected);
    assert_eq!(
        c.rongcloud.unwrap().rate_limits,
        HashMap::from([(Operation::RegisterUser, 0)])
    );

    // Inline tables work too.
    let c = ProviderConfig::from_toml_str(&FILE.replace(
        "timeout_secs = 7.5",
        "timeout_secs = 7.5\nrate_limits = { send_message = 5 }\nretry_attempts = 5",
    ))
    .unwrap();
    let t = c.tencent.unwrap();
    assert_eq!(t.rate_limits[&Operation::SendMessage], 5);
    assert_eq!(t.retry_attempts, Some(5));
}

#[test]
fn unknown_operations_are_errors_that_say_where_the_names_are() {
    for e in [
        err_of(ProviderConfig::from_toml_str(&format!(
            "{FILE}[tencent.rate_limits]\nsend_msg = 5\n"
        ))),
        err_of(
            ConfigBuilder::new()
                .env_vars(env(&[("IMBRIDGE_TENCENT_RATE_LIMITS_SEND_MSG", "5")]))
                .and_then(ConfigBuilder::build),
        ),
        err_of(
            ConfigBuilder::new()
                .set("tencent.rate_limits.send_msg", "5", "--rate-limit")
                .and_then(ConfigBuilder::build),
        ),
    ] {
        assert!(
            e.contains("unknown operation `send_msg`")
                && e.contains("docs/configuration.md")
                && e.contains("send_message"),
            "{e}"
        );
    }
    let e = err_of(ProviderConfig::from_toml_str(&format!(
        "{FILE}[tencent.rate_limits]\nsend_message = \"fast\"\n"
    )));
    assert!(
        e.contains("`tencent.rate_limits.send_message` in config text must be a whole number"),
        "{e}"
    );
    let e = err_of(
        ConfigBuilder::new()
            .env_vars(env(&[("IMBRIDGE_TENCENT_RATE_LIMITS", "5")]))
            .and_then(ConfigBuilder::build),
    );
    assert!(
        e.contains("IMBRIDGE_TENCENT_RATE_LIMITS_{OPERATION}"),
        "{e}"
    );
    let e = err_of(ProviderConfig::from_toml_str(
        &FILE.replace("timeout_secs = 7.5", "rate_limits = 5"),
    ));
    assert!(
        e.contains("`tencent.rate_limits` in config text must be a table"),
        "{e}"
    );
}

#[test]
fn callback_tokens_are_secret_keys() {
    let c = ConfigBuilder::new()
        .toml_str(FILE, "text")
        .unwrap()
        .env_vars(env(&[("IMBRIDGE_TENCENT_CALLBACK_TOKEN", "cb-s3cr3t")]))
        .unwrap()
        .build()
        .unwrap();
    let t = c.tencent_settings().unwrap();
    assert_eq!(
        t.callback_token().map(|s| s.expose_secret()),
        Some("cb-s3cr3t")
    );
    assert!(!format!("{c:?}").contains("cb-s3cr3t"));
    assert!(
        ProviderConfig::from_toml_str(FILE)
            .unwrap()
            .tencent_settings()
            .unwrap()
            .callback_token()
            .is_none()
    );
}

/// The walkthrough's case: RongCloud selected and configured, plus a Tencent variable left
/// over in the shell.
#[test]
fn only_the_selected_vendor_is_checked() {
    let stray = ConfigBuilder::new()
        .env_vars(env(&[
            ("IMBRIDGE_PROVIDER", "rongcloud"),
            ("IMBRIDGE_RONGCLOUD_APP_KEY", "key"),
            ("IMBRIDGE_RONGCLOUD_APP_SECRET", "rc-secret"),
            ("IMBRIDGE_TENCENT_SECRET_KEY", "file-secret"),
            ("IMBRIDGE_TENCENT_TIMEOUT_SECS", "s3cr3t"),
        ]))
        .unwrap()
        .build()
        .unwrap();
    assert_eq!(stray.rongcloud_settings().unwrap().app_key, "key");
    assert!(stray.tencent.is_none());
    assert_eq!(stray.vendors(), [Vendor::Tencent, Vendor::RongCloud]);
    // Asking for Tencent reports its section's problem, with its origin.
    let e = err_of(stray.tencent_settings());
    assert!(
        e.contains("`tencent.sdkappid` is missing")
            || e.contains("`IMBRIDGE_TENCENT_TIMEOUT_SECS` must be"),
        "{e}"
    );
    assert!(!format!("{stray:?}").contains("file-secret"));

    // The other way round, from a file.
    let c = ProviderConfig::from_toml_str(
        "provider = \"tencent\"\n[tencent]\nsdkappid = 1\nsecret_key = \"k\"\nadmin = \"a\"\n\
         [rongcloud]\napp_secret = \"rc-secret\"\n",
    )
    .unwrap();
    assert!(c.tencent_settings().is_ok());
    let e = err_of(c.rongcloud_settings());
    assert!(e.contains("`rongcloud.app_key` is missing"), "{e}");

    // Unknown keys and variables are errors wherever they are.
    let e = err_of(
        ConfigBuilder::new()
            .env_vars(env(&[
                ("IMBRIDGE_PROVIDER", "rongcloud"),
                ("IMBRIDGE_RONGCLOUD_APP_KEY", "key"),
                ("IMBRIDGE_RONGCLOUD_APP_SECRET", "rc-secret"),
                ("IMBRIDGE_TENCENT_SECRETKEY", "file-secret"),
            ]))
            .and_then(ConfigBuilder::build),
    );
    assert!(e.contains("`IMBRIDGE_TENCENT_SECRETKEY`"), "{e}");
    let e = err_of(ProviderConfig::from_toml_str(
        "provider = \"tencent\"\n[tencent]\nsdkappid = 1\nsecret_key = \"k\"\nadmin = \"a\"\n\
         [rongcloud]\napp_sekret = \"rc-secret\"\n",
    ));
    assert!(e.contains("unknown key `rongcloud.app_sekret`"), "{e}");
}

#[test]
fn an_app_keeps_the_settings_in_its_own_file() {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct AppConfig {
        listen: String,
        imbridge: ProviderConfig,
    }
    let text = format!("listen = \"127.0.0.1:8080\"\n[imbridge]\n{}", {
        FILE.replace("[tencent]", "[imbridge.tencent]")
            .replace("[rongcloud]", "[imbridge.rongcloud]")
    });
    let app: AppConfig = toml::from_str(&text).unwrap();
    assert_eq!(app.listen, "127.0.0.1:8080");
    assert_eq!(
        app.imbridge.tencent_settings().unwrap().sdkappid,
        1400000000
    );

    // Errors from inside keep naming the key, not the value.
    let bad = text.replace("sdkappid = 1400000000", "sdkappid = \"s3cr3t\"");
    let e = toml::from_str::<AppConfig>(&bad).err().unwrap().to_string();
    assert!(
        e.contains("`tencent.sdkappid`") && e.contains("unsigned integer"),
        "{e}"
    );

    // Layering the environment over the app's table.
    let table: toml::Table = toml::from_str(&text).unwrap();
    let Some(toml::Value::Table(ours)) = table.get("imbridge").cloned() else {
        panic!("no [imbridge] table")
    };
    let c = ConfigBuilder::new()
        .table(ours.clone(), "app.toml [imbridge]")
        .unwrap()
        .env_vars(env(&[("IMBRIDGE_TENCENT_ADMIN", "boss")]))
        .unwrap()
        .build()
        .unwrap();
    assert_eq!(c.tencent.unwrap().admin, "boss");
    let mut wrong = ours;
    wrong.insert("tencnet".into(), toml::Value::Table(toml::Table::new()));
    let e = err_of(ProviderConfig::from_table(wrong));
    assert!(e.contains("unknown key `tencnet` in config table"), "{e}");
}

#[test]
fn single_keys_can_be_read_without_their_section() {
    let b = ConfigBuilder::new()
        .env_vars(env(&[
            ("IMBRIDGE_TENCENT_SDKAPPID", "1400000000"),
            ("IMBRIDGE_TENCENT_SECRET_KEY", "k"),
            ("IMBRIDGE_TENCENT_RATE_LIMITS_SEND_MESSAGE", "5"),
        ]))
        .unwrap();
    assert_eq!(b.get::<u64>("tencent.sdkappid").unwrap(), Some(1400000000));
    assert_eq!(
        b.get::<String>("tencent.secret_key").unwrap().as_deref(),
        Some("k")
    );
    assert_eq!(b.get::<String>("tencent.admin").unwrap(), None);
    assert_eq!(
        b.get::<u32>("tencent.rate_limits.send_message").unwrap(),
        Some(5)
    );
    assert!(b.is_set("tencent.rate_limits") && b.is_set("tencent.rate_limits.send_message"));
    assert!(!b.is_set("tencent.rate_limits.create_group") && !b.is_set("provider"));
    let b = b.set("tencent.sdkappid", "s3cr3t", "--sdkappid").unwrap();
    let e = err_of(b.get::<u64>("tencent.sdkappid"));
    assert!(
        e.contains("`--sdkappid` (`tencent.sdkappid`) must be an unsigned integer"),
        "{e}"
    );
    assert!(b.get::<u64>("tencent.nope").is_err());
    assert!(b.set_list("tencent.admin", &[], "--x").is_err());
}
