//! UserSig against the vectors made with the official Python and npm libraries
//! (`tests/vectors/usersig_v2.json`, a copy of `../shared/vectors/usersig_v2.json`).
//!
//! Our own sigs are checked with an independent decoder written here from the format description,
//! so a mistake shared by our signer and our verifier cannot hide.

use std::io::Read;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, KeyInit, Mac};
use imbridge_tencent::usersig::{self, UserSigError, UserSigKey};
use serde_json::Value;
use sha2::Sha256;

const VECTORS: &str = include_str!("../../../tests/vectors/usersig_v2.json");

fn cases() -> Vec<Value> {
    let v: Value = serde_json::from_str(VECTORS).unwrap();
    let mut all = v["cases"].as_array().unwrap().clone();
    all.extend(v["cases_node"].as_array().unwrap().iter().cloned());
    assert_eq!(all.len(), 9, "both official libraries' cases are present");
    all
}

fn key_of(case: &Value) -> UserSigKey {
    UserSigKey::new(
        case["sdkappid"].as_u64().unwrap(),
        case["key"].as_str().unwrap().into(),
    )
}

fn userbuf_of(case: &Value) -> Option<Vec<u8>> {
    case["userbuf_base64"]
        .as_str()
        .map(|b| STANDARD.decode(b).unwrap())
}

#[test]
fn every_official_vector_verifies_and_decodes_to_its_json() {
    for case in cases() {
        let key = key_of(&case);
        let id = case["identifier"].as_str().unwrap();
        let time = case["time"].as_u64().unwrap();
        let expire = case["expire"].as_u64().unwrap();
        let sig = case["usersig"].as_str().unwrap();
        let info = match userbuf_of(&case) {
            Some(ub) => key.verify_with_userbuf(sig, id, time, &ub),
            None => key.verify(sig, id, time),
        }
        .unwrap_or_else(|e| panic!("vector for {id} did not verify: {e}"));

        let expected: Value = serde_json::from_str(case["decoded_json"].as_str().unwrap()).unwrap();
        assert_eq!(
            info.identifier,
            expected["TLS.identifier"].as_str().unwrap()
        );
        assert_eq!(info.sdkappid, expected["TLS.sdkappid"].as_u64().unwrap());
        assert_eq!(info.time, time);
        assert_eq!(info.expire, expire);
        assert_eq!(info.signature, expected["TLS.sig"].as_str().unwrap());
        assert_eq!(info.userbuf, userbuf_of(&case));

        // Valid up to and including time + expire, refused one second later.
        assert!(key.verify(sig, id, time + expire).is_ok());
        assert!(matches!(
            key.verify(sig, id, time + expire + 1),
            Err(UserSigError::Expired { .. })
        ));
        // Wrong key, wrong identifier, wrong app.
        let wrong = UserSigKey::new(info.sdkappid, "not-the-key".into());
        assert_eq!(
            wrong.verify(sig, id, time).unwrap_err(),
            UserSigError::BadSignature
        );
        assert!(matches!(
            key.verify(sig, "someone-else", time),
            Err(UserSigError::IdentifierMismatch { .. })
        ));
        let other_app = UserSigKey::new(info.sdkappid + 1, case["key"].as_str().unwrap().into());
        assert!(matches!(
            other_app.verify(sig, id, time),
            Err(UserSigError::SdkAppIdMismatch { .. })
        ));
    }
}

#[test]
fn our_sigs_carry_the_same_hmac_as_the_official_libraries() {
    for case in cases() {
        let key = key_of(&case);
        let id = case["identifier"].as_str().unwrap();
        let (time, expire) = (
            case["time"].as_u64().unwrap(),
            case["expire"].as_u64().unwrap(),
        );
        let ours = key.sign(id, time, expire, userbuf_of(&case).as_deref());
        let decoded = independent_decode(&ours);
        let expected: Value = serde_json::from_str(case["decoded_json"].as_str().unwrap()).unwrap();
        assert_eq!(
            decoded, expected,
            "our JSON for {id} equals the official one, field for field"
        );
    }
}

#[test]
fn our_sigs_verify_with_an_independent_decoder() {
    let secret = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e";
    let key = UserSigKey::new(1400000000, secret.into());
    for (id, userbuf) in [
        ("xiaojun", None),
        ("李雷", None),
        ("quote\"back\\slash", Some(&b"\x00\xffbin"[..])),
        ("", None),
    ] {
        let sig = key.sign(id, 1_763_800_000, 86_400, userbuf);
        assert!(
            sig.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"*-_".contains(&b)),
            "{sig}"
        );
        let json = independent_decode(&sig);
        let obj = json.as_object().unwrap();
        let mut keys: Vec<_> = obj.keys().map(String::as_str).collect();
        keys.sort_unstable();
        let mut expected_keys = vec![
            "TLS.expire",
            "TLS.identifier",
            "TLS.sdkappid",
            "TLS.sig",
            "TLS.time",
            "TLS.ver",
        ];
        if userbuf.is_some() {
            expected_keys.push("TLS.userbuf");
            expected_keys.sort_unstable();
        }
        assert_eq!(keys, expected_keys);
        assert_eq!(obj["TLS.ver"], "2.0");
        assert_eq!(obj["TLS.identifier"], id);
        assert_eq!(obj["TLS.sdkappid"], 1400000000u64);
        assert_eq!(obj["TLS.time"], 1_763_800_000u64);
        assert_eq!(obj["TLS.expire"], 86_400u64);

        let mut content = format!(
            "TLS.identifier:{id}\nTLS.sdkappid:1400000000\nTLS.time:1763800000\nTLS.expire:86400\n"
        );
        if let Some(ub) = userbuf {
            assert_eq!(obj["TLS.userbuf"], STANDARD.encode(ub));
            content.push_str(&format!("TLS.userbuf:{}\n", STANDARD.encode(ub)));
        }
        let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
        mac.update(content.as_bytes());
        assert_eq!(obj["TLS.sig"], STANDARD.encode(mac.finalize().into_bytes()));
    }
}

#[test]
fn decode_reads_vectors_without_a_key() {
    for case in cases() {
        let info = usersig::decode(case["usersig"].as_str().unwrap()).unwrap();
        assert_eq!(info.version, "2.0");
        assert_eq!(info.identifier, case["identifier"].as_str().unwrap());
    }
}

#[test]
fn tampered_sigs_are_refused() {
    let case = &cases()[0];
    let key = key_of(case);
    let sig = case["usersig"].as_str().unwrap();
    // Re-pack the JSON with a longer expire but the old HMAC.
    let mut json = independent_decode(sig);
    json["TLS.expire"] = Value::from(999_999_999u64);
    let forged = independent_encode(&serde_json::to_vec(&json).unwrap());
    assert_eq!(
        key.verify(&forged, "xiaojun", 1_700_000_000).unwrap_err(),
        UserSigError::BadSignature
    );
    // Flip one character of the outer encoding.
    let mut bytes = sig.as_bytes().to_vec();
    bytes[40] = if bytes[40] == b'A' { b'B' } else { b'A' };
    assert!(
        key.verify(
            std::str::from_utf8(&bytes).unwrap(),
            "xiaojun",
            1_700_000_000
        )
        .is_err()
    );
}

/// The format's decoding steps, written independently of the library.
fn independent_decode(sig: &str) -> Value {
    let std_b64: String = sig
        .chars()
        .map(|c| match c {
            '*' => '+',
            '-' => '/',
            '_' => '=',
            c => c,
        })
        .collect();
    let compressed = STANDARD.decode(std_b64).unwrap();
    let mut json = String::new();
    flate2::read::ZlibDecoder::new(&compressed[..])
        .read_to_string(&mut json)
        .unwrap();
    serde_json::from_str(&json).unwrap()
}

fn independent_encode(json: &[u8]) -> String {
    use std::io::Write;
    let mut enc = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(json).unwrap();
    STANDARD
        .encode(enc.finish().unwrap())
        .chars()
        .map(|c| match c {
            '+' => '*',
            '/' => '-',
            '=' => '_',
            c => c,
        })
        .collect()
}

#[test]
fn vectors_match_the_shared_copy_when_it_is_present() {
    let shared = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/vectors/usersig_v2.json"
    );
    if let Ok(text) = std::fs::read_to_string(shared) {
        assert_eq!(
            text, VECTORS,
            "tests/vectors/usersig_v2.json is out of date with ../shared"
        );
    }
}
