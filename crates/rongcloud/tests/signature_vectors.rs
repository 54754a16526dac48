//! Request signatures against `tests/vectors/rongcloud_signature.json` (a copy of
//! `../shared/vectors/rongcloud_signature.json`; the first case is the vendor's own example).

use imbridge_rongcloud::sign::{Signer, signature};
use serde_json::Value;

const VECTORS: &str = include_str!("../../../tests/vectors/rongcloud_signature.json");

#[test]
fn every_vector_signs_to_its_signature() {
    let v: Value = serde_json::from_str(VECTORS).unwrap();
    let cases = v["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 7);
    assert_eq!(
        cases[0]["signature"],
        "30be0bbca9c9b2e27578701e9fda2358a814c88f"
    );
    for case in cases {
        let s = |k: &str| case[k].as_str().unwrap();
        assert_eq!(
            signature(s("app_secret"), s("nonce"), s("timestamp")),
            s("signature"),
            "{case}"
        );
        let signer = Signer::new(s("app_secret").to_owned().into());
        assert_eq!(signer.sign(s("nonce"), s("timestamp")), s("signature"));
        // A reused signer gives the same answer every time (the prefix state is cloned, not consumed).
        assert_eq!(signer.sign(s("nonce"), s("timestamp")), s("signature"));
    }
}

#[test]
fn vectors_match_the_shared_copy_when_it_is_present() {
    let shared = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/vectors/rongcloud_signature.json"
    );
    if let Ok(text) = std::fs::read_to_string(shared) {
        assert_eq!(
            text, VECTORS,
            "tests/vectors/rongcloud_signature.json is out of date with ../shared"
        );
    }
}
