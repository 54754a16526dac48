//! Drift tests across crates: the docs' operation rows equal the registry, and the emulator
//! answers every path of every compiled vendor catalogue with something other than "unknown
//! API" (an emulated answer, or its own "not emulated" answer).

use imbridge::Operation;

/// The operations docs/mapping.md has a row for: lines starting with "| `name` |".
fn documented_operations() -> Vec<String> {
    let doc = include_str!("../docs/mapping.md");
    let start = doc
        .find("## Operations, family by family")
        .expect("docs/mapping.md has the operations section");
    // The section ends at the next second-level heading.
    let end = doc[start + 1..]
        .find("\n## ")
        .map_or(doc.len(), |e| start + 1 + e);
    doc[start..end]
        .lines()
        .filter_map(|l| l.strip_prefix("| `"))
        .filter_map(|l| l.split('`').next())
        .map(str::to_owned)
        .collect()
}

#[test]
fn docs_mapping_has_one_row_per_operation() {
    let mut documented = documented_operations();
    documented.sort();
    let mut registry: Vec<String> = Operation::ALL.iter().map(|op| op.to_string()).collect();
    registry.sort();
    assert_eq!(
        documented, registry,
        "docs/mapping.md must have exactly one row per operation of the registry"
    );
}

#[test]
fn docs_list_every_family_accessor() {
    let doc = include_str!("../docs/mapping.md");
    for family in imbridge::Family::ALL {
        assert!(
            doc.contains(&format!("(`im.{family}()`)")),
            "docs/mapping.md has no section for `{family}`"
        );
    }
}

#[cfg(feature = "tencent")]
#[tokio::test]
async fn the_emulator_answers_every_tencent_catalogue_endpoint() {
    use imbridge_emulator::{Emulator, EmulatorConfig};
    let emu = Emulator::start(EmulatorConfig::default()).await.unwrap();
    let app = emu.tencent();
    let client = imbridge::tencent::TencentClient::builder(
        app.sdkappid,
        app.secret_key.clone(),
        app.admin.clone(),
    )
    .base_url(emu.url())
    .build()
    .unwrap();
    for endpoint in imbridge::tencent::endpoints::CATALOGUE.endpoints() {
        let answer = client
            .call_json(endpoint.path, &serde_json::json!({}))
            .await;
        // 60009: "wrong request resource", the vendor's (and the emulator's) unknown API.
        if let Err(e) = answer {
            assert_ne!(
                e.vendor_code(),
                Some(60009),
                "the emulator does not know `{}`: {e}",
                endpoint.path
            );
        }
    }
}

#[cfg(feature = "rongcloud")]
#[tokio::test]
async fn the_emulator_answers_every_rongcloud_catalogue_path() {
    use imbridge_emulator::{Emulator, EmulatorConfig};
    let emu = Emulator::start(EmulatorConfig::default()).await.unwrap();
    let app = emu.rongcloud();
    let client =
        imbridge::rongcloud::RongCloudClient::builder(app.app_key.clone(), app.app_secret.clone())
            .base_url(emu.url())
            .build()
            .unwrap();
    for endpoint in imbridge::rongcloud::endpoints::CATALOGUE.endpoints() {
        let answer = client
            .call_json(endpoint.path, &serde_json::json!({}))
            .await;
        if let Err(e) = answer {
            assert_ne!(
                e.http_status(),
                Some(404),
                "the emulator does not know `{}`: {e}",
                endpoint.path
            );
        }
    }
}
