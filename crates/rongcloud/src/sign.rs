//! Request signing: `Signature` = lowercase hex SHA-1 of `app_secret + nonce + timestamp`.

use std::fmt;

use rand::Rng;
use secrecy::{ExposeSecret, SecretString};
use sha1::{Digest, Sha1};

/// The longest nonce the vendor accepts.
pub const MAX_NONCE_LEN: usize = 18;

/// The signature of one request.
///
/// ```
/// // The vendor's documented example.
/// let sig = imbridge_rongcloud::sign::signature("Y1W2MeFwwwRxa0", "14314", "1408710653000");
/// assert_eq!(sig, "30be0bbca9c9b2e27578701e9fda2358a814c88f");
/// ```
pub fn signature(app_secret: &str, nonce: &str, timestamp: &str) -> String {
    Signer::new(app_secret.to_owned().into()).sign(nonce, timestamp)
}

/// Signs requests for one app: the SHA-1 state after the secret is computed once and cloned
/// for each request. `Debug` never shows the secret.
#[derive(Clone)]
pub struct Signer {
    prefix: Sha1,
}

impl Signer {
    /// A signer for `app_secret`.
    pub fn new(app_secret: SecretString) -> Self {
        Signer {
            prefix: Signer::prefix_of(&app_secret),
        }
    }

    /// The SHA-1 state after the secret, shared by request signing and callback checks.
    pub(crate) fn prefix_of(app_secret: &SecretString) -> Sha1 {
        let mut prefix = Sha1::new();
        prefix.update(app_secret.expose_secret().as_bytes());
        prefix
    }

    /// The signature for `nonce` and `timestamp`.
    pub fn sign(&self, nonce: &str, timestamp: &str) -> String {
        let mut h = self.prefix.clone();
        h.update(nonce.as_bytes());
        h.update(timestamp.as_bytes());
        hex::encode(h.finalize())
    }
}

impl fmt::Debug for Signer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Signer { app_secret: [REDACTED] }")
    }
}

/// A fresh nonce: 16 lowercase hexadecimal characters (within the vendor's 18).
pub fn nonce() -> String {
    format!("{:016x}", rand::rng().random::<u64>())
}

/// A fresh request id in UUID v4 form (36 characters, the vendor's limit).
pub fn request_id() -> String {
    let b: [u8; 16] = rand::rng().random();
    let hex = hex::encode(
        [
            &b[..6],
            &[0x40 | (b[6] & 0x0f)],
            &b[7..8],
            &[0x80 | (b[8] & 0x3f)],
            &b[9..],
        ]
        .concat(),
    );
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nonces_and_request_ids_are_fresh_and_within_limits() {
        let a = nonce();
        assert!(a.len() <= MAX_NONCE_LEN && a.len() == 16);
        assert_ne!(a, nonce());
        let id = request_id();
        assert_eq!(id.len(), 36);
        assert_eq!(id.as_bytes()[14], b'4');
        assert_ne!(id, request_id());
    }

    #[test]
    fn debug_hides_the_secret() {
        let s = Signer::new("top-secret".to_owned().into());
        assert!(!format!("{s:?}").contains("top-secret"));
    }
}
