//! UserSig (TLSSigAPIv2): generation and verification.
//!
//! A UserSig is the credential of a Tencent Cloud IM account: the app server signs one for its
//! admin account to call the REST API, and one for each end user to log in from a client.
//!
//! Format: an HMAC-SHA256 over a fixed content string, packed with the fields into a JSON object,
//! zlib-compressed, and base64-encoded with the URL-safe substitutions `+`→`*`, `/`→`-`, `=`→`_`.
//! The compressed bytes differ between implementations; what matters is that the decoded JSON and
//! the HMAC agree, which is what [`UserSigKey::verify`] checks.
//!
//! ```
//! use imbridge_tencent::usersig::UserSigKey;
//!
//! let key = UserSigKey::new(1400000000, "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e".into());
//! let sig = key.sign("xiaojun", 1_700_000_000, 86_400, None);
//! let info = key.verify(&sig, "xiaojun", 1_700_000_100).unwrap();
//! assert_eq!(info.expire, 86_400);
//! assert!(key.verify(&sig, "xiaojun", 1_700_086_401).is_err()); // expired
//! ```

use std::cell::RefCell;
use std::fmt;
use std::io::Read;

use base64::Engine;
use base64::alphabet::Alphabet;
use base64::engine::DecodePaddingMode;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, STANDARD};
use flate2::{Compress, Compression, FlushCompress, Status};
use hmac::{Hmac, KeyInit, Mac};
use secrecy::{ExposeSecret, SecretString};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// The alphabet of the outer encoding: standard base64 with `+`→`*` and `/`→`-`.
const SIG_ALPHABET: Alphabet =
    match Alphabet::new("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789*-") {
        Ok(a) => a,
        Err(_) => panic!("invalid UserSig alphabet"),
    };

/// Encodes with `=` padding (replaced by `_` afterwards); decodes with or without padding.
const SIG_ENGINE: GeneralPurpose = GeneralPurpose::new(
    &SIG_ALPHABET,
    GeneralPurposeConfig::new()
        .with_encode_padding(true)
        .with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// The longest decompressed JSON a UserSig may hold; real ones are about 200 bytes.
const MAX_JSON_BYTES: u64 = 16 * 1024;

/// The longest UserSig text accepted for decoding.
pub const MAX_SIG_LEN: usize = 8 * 1024;

/// Why a UserSig was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum UserSigError {
    /// The sig is empty.
    #[error("the UserSig is empty")]
    Empty,
    /// The sig cannot be decoded (base64, zlib or JSON) or lacks a field.
    #[error("the UserSig is malformed: {0}")]
    Malformed(String),
    /// The sig was made for another app.
    #[error("the UserSig was made for sdkappid {found}, not {expected}")]
    SdkAppIdMismatch {
        /// Our sdkappid.
        expected: u64,
        /// The sdkappid in the sig.
        found: u64,
    },
    /// The sig was made for another account.
    #[error("the UserSig was made for identifier `{found}`, not `{expected}`")]
    IdentifierMismatch {
        /// The identifier the caller claims.
        expected: String,
        /// The identifier in the sig.
        found: String,
    },
    /// The sig's lifetime is over.
    #[error("the UserSig expired at unix time {expired_at} (now {now})")]
    Expired {
        /// `TLS.time + TLS.expire`.
        expired_at: u64,
        /// The time of the check.
        now: u64,
    },
    /// The sig's userbuf is missing or differs from the expected one.
    #[error("the UserSig's userbuf is missing or differs from the expected one")]
    UserbufMismatch,
    /// The HMAC does not match: the sig was made with another secret key, or altered.
    #[error("the UserSig's signature does not match the secret key")]
    BadSignature,
}

impl UserSigError {
    /// The error code Tencent's server answers with for this kind of bad UserSig.
    pub fn vendor_code(&self) -> i64 {
        match self {
            UserSigError::Empty => 70002,
            UserSigError::Malformed(_) => 70003,
            UserSigError::SdkAppIdMismatch { .. } => 70014,
            UserSigError::IdentifierMismatch { .. } => 70013,
            UserSigError::Expired { .. } => 70001,
            UserSigError::UserbufMismatch | UserSigError::BadSignature => 70009,
        }
    }
}

/// The fields of a decoded UserSig.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct UserSigInfo {
    /// `TLS.ver`, `"2.0"` for TLSSigAPIv2.
    pub version: String,
    /// `TLS.identifier`: the account the sig is for.
    pub identifier: String,
    /// `TLS.sdkappid`.
    pub sdkappid: u64,
    /// `TLS.time`: when it was signed, in Unix seconds.
    pub time: u64,
    /// `TLS.expire`: its lifetime in seconds.
    pub expire: u64,
    /// `TLS.userbuf`, decoded.
    pub userbuf: Option<Vec<u8>>,
    /// `TLS.sig`: the base64 HMAC-SHA256.
    pub signature: String,
}

impl UserSigInfo {
    /// The Unix time after which the sig is no longer valid (`time + expire`).
    pub fn expires_at(&self) -> u64 {
        self.time.saturating_add(self.expire)
    }
}

impl fmt::Debug for UserSigInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UserSigInfo")
            .field("version", &self.version)
            .field("identifier", &self.identifier)
            .field("sdkappid", &self.sdkappid)
            .field("time", &self.time)
            .field("expire", &self.expire)
            .field("userbuf", &self.userbuf.as_ref().map(|b| b.len()))
            .field("signature", &"[REDACTED]")
            .finish()
    }
}

/// An app's UserSig signing key: its sdkappid and secret key, ready to sign and verify.
///
/// The HMAC key schedule is computed once; each signature clones it. `Debug` never shows the key.
#[derive(Clone)]
pub struct UserSigKey {
    sdkappid: u64,
    mac: HmacSha256,
    deflate: bool,
}

impl UserSigKey {
    /// A key for `sdkappid` with the app's secret key (used as UTF-8 bytes, not hex-decoded).
    pub fn new(sdkappid: u64, secret_key: SecretString) -> Self {
        // HMAC accepts keys of any length, so this cannot fail.
        let mac = <HmacSha256 as KeyInit>::new_from_slice(secret_key.expose_secret().as_bytes())
            .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
        UserSigKey {
            sdkappid,
            mac,
            deflate: false,
        }
    }

    /// Deflate-compresses the sig's JSON (sigs about a quarter shorter, signing several times
    /// slower). Off by default: the JSON is then packed as one stored zlib block, which every
    /// verifier accepts (an official library does the same) and which costs no compressor.
    pub fn deflate(mut self, on: bool) -> Self {
        self.deflate = on;
        self
    }

    /// The app's sdkappid.
    pub fn sdkappid(&self) -> u64 {
        self.sdkappid
    }

    /// Signs a UserSig for `identifier`, valid from `time` (Unix seconds) for `expire` seconds,
    /// with an optional `userbuf` (TRTC PrivateMapKey; IM calls use none).
    pub fn sign(&self, identifier: &str, time: u64, expire: u64, userbuf: Option<&[u8]>) -> String {
        let userbuf_b64 = userbuf.map(|b| STANDARD.encode(b));
        let hmac = self.hmac_base64(identifier, time, expire, userbuf_b64.as_deref());

        let mut json = String::with_capacity(160 + identifier.len());
        json.push_str("{\"TLS.ver\":\"2.0\",\"TLS.identifier\":");
        push_json_string(&mut json, identifier);
        json.push_str(",\"TLS.sdkappid\":");
        json.push_str(itoa::Buffer::new().format(self.sdkappid));
        json.push_str(",\"TLS.expire\":");
        json.push_str(itoa::Buffer::new().format(expire));
        json.push_str(",\"TLS.time\":");
        json.push_str(itoa::Buffer::new().format(time));
        if let Some(ub) = &userbuf_b64 {
            json.push_str(",\"TLS.userbuf\":\"");
            json.push_str(ub);
            json.push('"');
        }
        json.push_str(",\"TLS.sig\":\"");
        json.push_str(&hmac);
        json.push_str("\"}");

        let compressed = if self.deflate {
            zlib_compress(json.as_bytes())
        } else {
            zlib_stored(json.as_bytes())
        };
        let mut sig = SIG_ENGINE.encode(compressed);
        // Only trailing padding can be `=`; the vendor's encoding writes it as `_`.
        let unpadded = sig.trim_end_matches('=').len();
        let pads = sig.len() - unpadded;
        sig.truncate(unpadded);
        sig.extend(std::iter::repeat_n('_', pads));
        sig
    }

    /// Verifies `sig` for `identifier` at Unix time `now`: decodes it, checks the sdkappid, the
    /// identifier and the expiry, and recomputes the HMAC (constant-time comparison).
    pub fn verify(
        &self,
        sig: &str,
        identifier: &str,
        now: u64,
    ) -> Result<UserSigInfo, UserSigError> {
        let info = decode(sig)?;
        if info.sdkappid != self.sdkappid {
            return Err(UserSigError::SdkAppIdMismatch {
                expected: self.sdkappid,
                found: info.sdkappid,
            });
        }
        if info.identifier != identifier {
            return Err(UserSigError::IdentifierMismatch {
                expected: identifier.to_owned(),
                found: info.identifier,
            });
        }
        if now > info.expires_at() {
            return Err(UserSigError::Expired {
                expired_at: info.expires_at(),
                now,
            });
        }
        let userbuf_b64 = info.userbuf.as_ref().map(|b| STANDARD.encode(b));
        let claimed = STANDARD
            .decode(info.signature.as_bytes())
            .map_err(|_| UserSigError::BadSignature)?;
        let mut mac = self.mac.clone();
        feed_content(
            &mut mac,
            &info.identifier,
            info.sdkappid,
            info.time,
            info.expire,
            userbuf_b64.as_deref(),
        );
        mac.verify_slice(&claimed)
            .map_err(|_| UserSigError::BadSignature)?;
        Ok(info)
    }

    /// Like [`verify`](Self::verify), and also requires the sig to carry exactly `userbuf`.
    pub fn verify_with_userbuf(
        &self,
        sig: &str,
        identifier: &str,
        now: u64,
        userbuf: &[u8],
    ) -> Result<UserSigInfo, UserSigError> {
        let info = self.verify(sig, identifier, now)?;
        if info.userbuf.as_deref() != Some(userbuf) {
            return Err(UserSigError::UserbufMismatch);
        }
        Ok(info)
    }

    fn hmac_base64(
        &self,
        identifier: &str,
        time: u64,
        expire: u64,
        userbuf_b64: Option<&str>,
    ) -> String {
        let mut mac = self.mac.clone();
        feed_content(
            &mut mac,
            identifier,
            self.sdkappid,
            time,
            expire,
            userbuf_b64,
        );
        STANDARD.encode(mac.finalize().into_bytes())
    }
}

impl fmt::Debug for UserSigKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UserSigKey")
            .field("sdkappid", &self.sdkappid)
            .field("secret_key", &"[REDACTED]")
            .finish()
    }
}

/// Decodes a UserSig without verifying it: the fields it claims, nothing more.
pub fn decode(sig: &str) -> Result<UserSigInfo, UserSigError> {
    let sig = sig.trim();
    if sig.is_empty() {
        return Err(UserSigError::Empty);
    }
    if sig.len() > MAX_SIG_LEN {
        return Err(UserSigError::Malformed(format!(
            "longer than {MAX_SIG_LEN} characters"
        )));
    }
    let padded: String = sig
        .chars()
        .map(|c| if c == '_' { '=' } else { c })
        .collect();
    let compressed = SIG_ENGINE
        .decode(padded.as_bytes())
        .map_err(|e| UserSigError::Malformed(format!("not base64: {e}")))?;
    let mut json = Vec::with_capacity(256);
    flate2::read::ZlibDecoder::new(compressed.as_slice())
        .take(MAX_JSON_BYTES + 1)
        .read_to_end(&mut json)
        .map_err(|e| UserSigError::Malformed(format!("not a zlib stream: {e}")))?;
    if json.len() as u64 > MAX_JSON_BYTES {
        return Err(UserSigError::Malformed(
            "decompressed content too large".into(),
        ));
    }
    let value: serde_json::Value = serde_json::from_slice(&json)
        .map_err(|e| UserSigError::Malformed(format!("not JSON: {e}")))?;
    let obj = value
        .as_object()
        .ok_or_else(|| UserSigError::Malformed("not a JSON object".into()))?;

    let string = |name: &str| -> Result<String, UserSigError> {
        match obj.get(name) {
            Some(serde_json::Value::String(s)) => Ok(s.clone()),
            Some(_) => Err(UserSigError::Malformed(format!("`{name}` is not a string"))),
            None => Err(UserSigError::Malformed(format!("`{name}` is missing"))),
        }
    };
    let number = |name: &str| -> Result<u64, UserSigError> {
        match obj.get(name) {
            Some(serde_json::Value::Number(n)) => n.as_u64(),
            Some(serde_json::Value::String(s)) => s.parse().ok(),
            _ => None,
        }
        .ok_or_else(|| {
            UserSigError::Malformed(format!("`{name}` is missing or not an unsigned integer"))
        })
    };

    let version = string("TLS.ver")?;
    if version != "2.0" {
        return Err(UserSigError::Malformed(format!(
            "unsupported version `{version}`"
        )));
    }
    let userbuf = match obj.get("TLS.userbuf") {
        None | Some(serde_json::Value::Null) => None,
        Some(serde_json::Value::String(s)) => Some(
            STANDARD
                .decode(s.as_bytes())
                .map_err(|_| UserSigError::Malformed("`TLS.userbuf` is not base64".into()))?,
        ),
        Some(_) => {
            return Err(UserSigError::Malformed(
                "`TLS.userbuf` is not a string".into(),
            ));
        }
    };
    Ok(UserSigInfo {
        version,
        identifier: string("TLS.identifier")?,
        sdkappid: number("TLS.sdkappid")?,
        time: number("TLS.time")?,
        expire: number("TLS.expire")?,
        userbuf,
        signature: string("TLS.sig")?,
    })
}

/// Feeds the TLSSigAPIv2 content string into the MAC without building it.
fn feed_content(
    mac: &mut HmacSha256,
    identifier: &str,
    sdkappid: u64,
    time: u64,
    expire: u64,
    userbuf_b64: Option<&str>,
) {
    mac.update(b"TLS.identifier:");
    mac.update(identifier.as_bytes());
    mac.update(b"\nTLS.sdkappid:");
    mac.update(itoa::Buffer::new().format(sdkappid).as_bytes());
    mac.update(b"\nTLS.time:");
    mac.update(itoa::Buffer::new().format(time).as_bytes());
    mac.update(b"\nTLS.expire:");
    mac.update(itoa::Buffer::new().format(expire).as_bytes());
    mac.update(b"\n");
    if let Some(ub) = userbuf_b64 {
        mac.update(b"TLS.userbuf:");
        mac.update(ub.as_bytes());
        mac.update(b"\n");
    }
}

fn push_json_string(out: &mut String, s: &str) {
    // serde_json escapes quotes, backslashes and control characters exactly as JSON requires.
    match serde_json::to_string(s) {
        Ok(escaped) => out.push_str(&escaped),
        Err(_) => out.push_str("\"\""),
    }
}

thread_local! {
    /// One zlib compressor per thread, reset between signatures: allocating and zeroing a fresh
    /// deflate state costs far more than compressing 200 bytes.
    static COMPRESSOR: RefCell<Compress> = RefCell::new(Compress::new(Compression::fast(), true));
}

fn zlib_compress(input: &[u8]) -> Vec<u8> {
    COMPRESSOR.with(|cell| match cell.try_borrow_mut() {
        Ok(mut c) => compress_with(&mut c, input),
        // Re-entrancy cannot happen here, but never panic: fall back to a one-off compressor.
        Err(_) => compress_with(&mut Compress::new(Compression::fast(), true), input),
    })
}

fn compress_with(c: &mut Compress, input: &[u8]) -> Vec<u8> {
    c.reset();
    let mut out = Vec::with_capacity(input.len() + 64);
    loop {
        let consumed = c.total_in() as usize;
        let status = c.compress_vec(
            &input[consumed.min(input.len())..],
            &mut out,
            FlushCompress::Finish,
        );
        match status {
            Ok(Status::StreamEnd) => return out,
            Ok(_) => out.reserve(out.capacity().max(64)),
            // Compressing to memory does not fail; store the input instead of panicking.
            Err(_) => return zlib_stored(input),
        }
    }
}

/// A zlib stream with one stored (uncompressed) block (RFC 1950/1951); the JSON of a sig is
/// far below the 64 KiB a stored block holds.
fn zlib_stored(input: &[u8]) -> Vec<u8> {
    let len = input.len().min(u16::MAX as usize) as u16;
    let mut out = vec![0x78, 0x01, 0x01];
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(&(!len).to_le_bytes());
    out.extend_from_slice(&input[..len as usize]);
    let (mut a, mut b) = (1u32, 0u32);
    for &byte in &input[..len as usize] {
        a = (a + byte as u32) % 65521;
        b = (b + a) % 65521;
    }
    out.extend_from_slice(&((b << 16) | a).to_be_bytes());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> UserSigKey {
        UserSigKey::new(1400000000, "k".into())
    }

    #[test]
    fn roundtrip_with_and_without_userbuf() {
        let k = key();
        let sig = k.sign("alice", 1000, 60, None);
        let info = k.verify(&sig, "alice", 1060).unwrap();
        assert_eq!((info.time, info.expire, info.userbuf), (1000, 60, None));
        let sig = k.sign("alice", 1000, 60, Some(b"\x00\x01abc"));
        let info = k
            .verify_with_userbuf(&sig, "alice", 1000, b"\x00\x01abc")
            .unwrap();
        assert_eq!(info.userbuf.as_deref(), Some(&b"\x00\x01abc"[..]));
        assert_eq!(
            k.verify_with_userbuf(&sig, "alice", 1000, b"x"),
            Err(UserSigError::UserbufMismatch)
        );
    }

    #[test]
    fn every_refusal_has_its_own_error_and_vendor_code() {
        let k = key();
        let sig = k.sign("alice", 1000, 60, None);
        let e = k.verify(&sig, "alice", 1061).unwrap_err();
        assert_eq!(
            (e.vendor_code(), matches!(e, UserSigError::Expired { .. })),
            (70001, true)
        );
        let e = k.verify(&sig, "bob", 1000).unwrap_err();
        assert_eq!(e.vendor_code(), 70013);
        let e = UserSigKey::new(1400000001, "k".into())
            .verify(&sig, "alice", 1000)
            .unwrap_err();
        assert_eq!(e.vendor_code(), 70014);
        let e = UserSigKey::new(1400000000, "other".into())
            .verify(&sig, "alice", 1000)
            .unwrap_err();
        assert_eq!(e, UserSigError::BadSignature);
        assert_eq!(
            k.verify("", "alice", 1000).unwrap_err(),
            UserSigError::Empty
        );
        assert_eq!(
            k.verify("!!!", "alice", 1000).unwrap_err().vendor_code(),
            70003
        );
        assert_eq!(
            k.verify("eJyrVgrxCdYrSy1SslJQ", "alice", 1000)
                .unwrap_err()
                .vendor_code(),
            70003
        );
    }

    #[test]
    fn stored_by_default_deflated_on_request_both_verify() {
        let stored = key().sign("alice", 1000, 60, None);
        let deflated = key().deflate(true).sign("alice", 1000, 60, None);
        assert!(
            deflated.len() < stored.len(),
            "{} vs {}",
            deflated.len(),
            stored.len()
        );
        for sig in [&stored, &deflated] {
            key().verify(sig, "alice", 1000).unwrap();
        }
        // A stored block: zlib header, then BFINAL=1/BTYPE=00.
        let raw = SIG_ENGINE.decode(stored.replace('_', "=")).unwrap();
        assert_eq!(raw[2], 0x01);
    }

    #[test]
    fn padding_is_written_as_underscores() {
        let k = key();
        for id in ["a", "ab", "abc", "abcd", "abcde"] {
            let sig = k.sign(id, 1, 1, None);
            assert!(!sig.contains(['=', '+', '/']), "{sig}");
            k.verify(&sig, id, 1).unwrap();
        }
    }

    #[test]
    fn stored_zlib_fallback_is_a_valid_stream() {
        let data = br#"{"TLS.ver":"2.0"}"#;
        let mut out = Vec::new();
        flate2::read::ZlibDecoder::new(&zlib_stored(data)[..])
            .read_to_end(&mut out)
            .unwrap();
        assert_eq!(out, data);
    }

    #[test]
    fn debug_never_shows_the_key_or_signature() {
        let k = UserSigKey::new(1, "super-secret-key".into());
        assert!(!format!("{k:?}").contains("super-secret"));
        let sig = k.sign("a", 1, 1, None);
        let info = decode(&sig).unwrap();
        assert!(!format!("{info:?}").contains(&info.signature));
    }
}
