//! Every call is a `tracing` span with vendor, operation, domain, attempt, request id, vendor
//! code and latency, and no span or event ever carries a secret, UserSig or token.
#![cfg(all(feature = "tencent", feature = "rongcloud"))]

use std::io::Write;
use std::sync::{Arc, Mutex};

use imbridge::{
    ExposeSecret, ImProvider, MessageContent, ProviderConfig, RegisterUser, RongCloudSettings,
    SendMessage, TencentSettings, Vendor, connect_vendor,
};
use imbridge_emulator::{Emulator, EmulatorConfig};
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::fmt::format::FmtSpan;

#[derive(Clone, Default)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Write for Buffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Buffer {
    type Writer = Buffer;
    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

#[tokio::test]
async fn spans_carry_the_call_and_never_a_secret() {
    let buffer = Buffer::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_span_events(FmtSpan::CLOSE)
        .with_ansi(false)
        .with_writer(buffer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let emulator = Emulator::start(EmulatorConfig::default()).await.unwrap();
    let (t, r) = (emulator.tencent(), emulator.rongcloud());
    let mut tencent = TencentSettings::new(t.sdkappid, t.secret_key.clone(), t.admin.clone());
    tencent.base_urls = vec![emulator.url()];
    let mut rongcloud = RongCloudSettings::new(r.app_key.clone(), r.app_secret.clone());
    rongcloud.base_urls = vec![emulator.url()];
    let mut config = ProviderConfig::tencent(tencent);
    config.rongcloud = Some(rongcloud);

    let mut tokens = Vec::new();
    for vendor in [Vendor::Tencent, Vendor::RongCloud] {
        let im = connect_vendor(&config, vendor).unwrap();
        tokens.push(
            im.register_user(&RegisterUser::new("lilei").nickname("L"))
                .await
                .unwrap(),
        );
        let _ = im
            .send_message(&SendMessage::to_user(
                "lilei",
                "ghost",
                MessageContent::text("?"),
            ))
            .await;
    }
    let tencent_sig = emulator.state().requests()[0]
        .query_param("usersig")
        .unwrap()
        .to_owned();

    let log = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
    for field in [
        "imbridge.call",
        "vendor=\"tencent\"",
        "vendor=\"rongcloud\"",
        "operation=register_user",
        "operation=send_message",
        "domain=\"127.0.0.1\"",
        "attempt=0",
        "latency_ms=",
        "request_id=",
        "vendor_code=90012",
    ] {
        assert!(log.contains(field), "missing `{field}` in:\n{log}");
    }
    let secrets = [t.secret_key.clone(), r.app_secret.clone(), tencent_sig];
    for secret in secrets
        .iter()
        .map(String::as_str)
        .chain(tokens.iter().map(|t| t.token().expose_secret()))
    {
        assert!(!log.contains(secret), "a secret reached the log");
    }
    let im: &dyn ImProvider = &*connect_vendor(&config, Vendor::Tencent).unwrap();
    assert!(!format!("{im:?}").contains(&t.secret_key));
}
