//! `imbridge capabilities` and `imbridge compare`.

use std::sync::Arc;

use imbridge::compare::{
    Walkthrough, capability_matrix, comparison_json, matrix_json, matrix_markdown, matrix_text,
    render_comparison,
};
use imbridge::{ImProvider, ProviderConfig, RongCloudSettings, TencentSettings, Vendor};
use imbridge_emulator::{Emulator, EmulatorConfig};

use crate::args::Connection;
use crate::connect;
use crate::failure::Failure;

pub(crate) fn capabilities(json: bool, markdown: bool) {
    let matrix = capability_matrix();
    if json {
        println!("{}", matrix_json(&matrix));
    } else if markdown {
        print!("{}", matrix_markdown(&matrix));
    } else {
        print!("{}", matrix_text(&matrix));
    }
}

pub(crate) async fn compare(conn: &Connection, json: bool) -> Result<(), Failure> {
    // Against real vendors, unique ids keep runs from colliding with each other and real users.
    let (providers, walkthrough, emulator) = if conn.config.is_some() {
        let config = connect::config(conn)?;
        // Every section given, valid or not: a broken one is reported, never skipped.
        let mut providers: Vec<Arc<dyn ImProvider>> = Vec::new();
        for vendor in config.vendors() {
            providers.push(imbridge::connect_vendor(&config, vendor)?);
        }
        if providers.is_empty() {
            return Err(Failure::Usage(
                "the configuration has neither a [tencent] nor a [rongcloud] section".into(),
            ));
        }
        (providers, Walkthrough::unique(), None)
    } else {
        let emulator = Emulator::start(EmulatorConfig::default())
            .await
            .map_err(|e| Failure::Other(format!("cannot start the embedded emulator: {e}")))?;
        let providers = embedded_providers(&emulator)?;
        (providers, Walkthrough::default(), Some(emulator))
    };
    let mut runs = Vec::new();
    for im in &providers {
        runs.push((im.vendor(), walkthrough.run(im.as_ref()).await));
    }
    if json {
        println!("{}", comparison_json(&runs));
    } else {
        match &emulator {
            Some(emu) => println!("walkthrough on the embedded emulator ({})\n", emu.url()),
            None => println!(
                "walkthrough on the configured vendors (user {})\n",
                walkthrough.user
            ),
        }
        print!("{}", render_comparison(&runs));
    }
    if let Some(emu) = emulator {
        emu.shutdown().await;
    }
    let failed = runs
        .iter()
        .flat_map(|(_, r)| r)
        .filter(|r| r.outcome.is_err())
        .count();
    if failed > 0 {
        return Err(Failure::Other(format!("{failed} step(s) failed")));
    }
    Ok(())
}

fn embedded_providers(emulator: &Emulator) -> Result<Vec<Arc<dyn ImProvider>>, Failure> {
    let t = emulator.tencent();
    let mut tencent = TencentSettings::new(t.sdkappid, t.secret_key.clone(), t.admin.clone());
    tencent.base_urls = vec![emulator.url()];
    let r = emulator.rongcloud();
    let mut rongcloud = RongCloudSettings::new(r.app_key.clone(), r.app_secret.clone());
    rongcloud.base_urls = vec![emulator.url()];
    let mut config = ProviderConfig::tencent(tencent);
    config.rongcloud = Some(rongcloud);
    Ok(vec![
        imbridge::connect_vendor(&config, Vendor::Tencent)?,
        imbridge::connect_vendor(&config, Vendor::RongCloud)?,
    ])
}
