//! The admin UserSig cache: one sig shared by every request, renewed before it expires.
//!
//! [`TencentClient`](crate::TencentClient) holds one; it is public for tools and benchmarks
//! that sign REST calls themselves.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use imbridge_core::Clock;

use crate::usersig::UserSigKey;

/// A signed admin UserSig and when it expires. `Debug` never shows the sig.
pub struct CachedSig {
    pub(crate) sig: Box<str>,
    pub(crate) expires_at: u64,
}

impl CachedSig {
    /// The sig itself: a secret, for the `usersig` query parameter only.
    pub fn sig(&self) -> &str {
        &self.sig
    }

    /// When it expires, in Unix seconds.
    pub fn expires_at(&self) -> u64 {
        self.expires_at
    }
}

impl fmt::Debug for CachedSig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CachedSig")
            .field("sig", &"[REDACTED]")
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

/// Holds the admin's UserSig. Reading it is a shared lock and an `Arc` clone; it is re-signed
/// only when less than `renew_margin` of its lifetime is left, so a sig is never handed out
/// past (or close to) its expiry, and never signed per request.
pub struct AdminSigCache {
    key: UserSigKey,
    admin: String,
    lifetime: Duration,
    renew_margin: u64,
    clock: Arc<dyn Clock>,
    current: RwLock<Option<Arc<CachedSig>>>,
    signed: AtomicU64,
}

impl AdminSigCache {
    /// A cache signing for `admin` with `key`, each sig valid for `lifetime`.
    ///
    /// Admin sigs are always deflate-compressed, whatever `key` says: one is signed per
    /// lifetime but carried in the URL of every request, so the shorter form costs less.
    pub fn new(key: UserSigKey, admin: String, lifetime: Duration, clock: Arc<dyn Clock>) -> Self {
        // Renew when a tenth of the lifetime (at most an hour, at least a second) is left.
        let renew_margin = (lifetime.as_secs() / 10).clamp(1, 3600);
        AdminSigCache {
            key: key.deflate(true),
            admin,
            lifetime,
            renew_margin,
            clock,
            current: RwLock::new(None),
            signed: AtomicU64::new(0),
        }
    }

    /// The sig to use for a request made now: the cached one while fresh, else a new one.
    pub fn get(&self) -> Arc<CachedSig> {
        let now = self.clock.unix_seconds();
        if let Some(sig) = self.fresh(now) {
            return sig;
        }
        let mut slot = self.current.write().unwrap_or_else(|p| p.into_inner());
        if let Some(sig) = slot.as_ref().filter(|s| self.is_fresh(s, now)) {
            return Arc::clone(sig);
        }
        let sig = Arc::new(self.sign(now));
        *slot = Some(Arc::clone(&sig));
        sig
    }

    /// Drops the cached sig, so the next request signs a new one (e.g. after the server said
    /// the sig expired, which means our clock and the server's disagree).
    pub fn invalidate(&self) {
        *self.current.write().unwrap_or_else(|p| p.into_inner()) = None;
    }

    /// How many sigs this cache has signed.
    pub fn signed_count(&self) -> u64 {
        self.signed.load(Ordering::Relaxed)
    }

    fn fresh(&self, now: u64) -> Option<Arc<CachedSig>> {
        let slot = self.current.read().unwrap_or_else(|p| p.into_inner());
        slot.as_ref().filter(|s| self.is_fresh(s, now)).cloned()
    }

    fn is_fresh(&self, sig: &CachedSig, now: u64) -> bool {
        now.saturating_add(self.renew_margin) < sig.expires_at
    }

    fn sign(&self, now: u64) -> CachedSig {
        let expire = self.lifetime.as_secs();
        self.signed.fetch_add(1, Ordering::Relaxed);
        tracing::debug!(admin = %self.admin, expire, "signing a new admin UserSig");
        CachedSig {
            sig: self
                .key
                .sign(&self.admin, now, expire, None)
                .into_boxed_str(),
            expires_at: now.saturating_add(expire),
        }
    }
}

impl fmt::Debug for AdminSigCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AdminSigCache")
            .field("admin", &self.admin)
            .field("lifetime", &self.lifetime)
            .field("signed", &self.signed_count())
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use imbridge_core::ManualClock;

    fn cache(clock: Arc<ManualClock>, lifetime: u64) -> AdminSigCache {
        AdminSigCache::new(
            UserSigKey::new(1400000000, "k".into()),
            "admin".into(),
            Duration::from_secs(lifetime),
            clock,
        )
    }

    #[test]
    fn reused_until_the_renewal_margin_then_renewed_before_expiry() {
        let clock = Arc::new(ManualClock::at_unix(1_000_000));
        let cache = cache(clock.clone(), 3600); // margin 360 s
        let first = cache.get();
        assert_eq!(first.expires_at, 1_003_600);
        for _ in 0..1000 {
            assert!(
                Arc::ptr_eq(&first, &cache.get()),
                "never signed per request"
            );
        }
        clock.set_unix(1_003_600 - 361);
        assert!(Arc::ptr_eq(&first, &cache.get()));
        clock.set_unix(1_003_600 - 360);
        let second = cache.get();
        assert!(!Arc::ptr_eq(&first, &second), "renewed before it expires");
        assert_eq!(second.expires_at, 1_003_600 - 360 + 3600);
        assert_eq!(cache.signed_count(), 2);
        let key = UserSigKey::new(1400000000, "k".into());
        key.verify(&second.sig, "admin", 1_003_600 - 360).unwrap();
    }

    #[test]
    fn never_handed_out_past_expiry_even_after_a_long_pause() {
        let clock = Arc::new(ManualClock::at_unix(5_000));
        let cache = cache(clock.clone(), 60);
        let first = cache.get();
        clock.set_unix(5_000 + 10_000);
        let later = cache.get();
        assert!(later.expires_at > 15_000);
        assert!(!Arc::ptr_eq(&first, &later));
    }

    #[test]
    fn shared_across_threads_and_signed_once() {
        let clock = Arc::new(ManualClock::at_unix(1_000));
        let cache = Arc::new(cache(clock, 86_400));
        let handles: Vec<_> = (0..8)
            .map(|_| {
                let cache = Arc::clone(&cache);
                std::thread::spawn(move || (0..100).map(|_| cache.get().expires_at).max())
            })
            .collect();
        for h in handles {
            assert_eq!(h.join().unwrap(), Some(1_000 + 86_400));
        }
        assert_eq!(cache.signed_count(), 1);
    }

    #[test]
    fn debug_hides_the_sig() {
        let cache = cache(Arc::new(ManualClock::at_unix(1)), 60);
        let sig = cache.get();
        assert!(!format!("{sig:?}").contains(&*sig.sig));
        assert!(!format!("{cache:?}").contains(&*sig.sig));
    }
}
