//! Per-operation timings of the signing paths (median over batches, one thread).

use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

use imbridge_core::SystemClock;
use imbridge_rongcloud::sign::{self, Signer};
use imbridge_tencent::admin_sig::AdminSigCache;
use imbridge_tencent::usersig::UserSigKey;

use crate::{Budget, median};

const KEY: &str = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e";

fn per_op_ns(budget: Budget, mut op: impl FnMut(usize)) -> f64 {
    for i in 0..budget.batch {
        op(i); // warm-up
    }
    let samples = (0..budget.samples)
        .map(|_| {
            let started = Instant::now();
            for i in 0..budget.batch {
                op(i);
            }
            started.elapsed().as_nanos() as f64 / budget.batch as f64
        })
        .collect();
    median(samples)
}

/// One UserSig for a user, as an app server issues client tokens.
pub fn usersig_gen_ns(budget: Budget) -> f64 {
    let key = UserSigKey::new(1400000000, KEY.to_owned().into());
    per_op_ns(budget, |i| {
        black_box(key.sign("xiaojun", 1_700_000_000 + i as u64, 86_400, None));
    })
}

/// The admin sig for one request, from the shared cache.
pub fn usersig_cached_ns(budget: Budget) -> f64 {
    let key = UserSigKey::new(1400000000, KEY.to_owned().into());
    let cache = AdminSigCache::new(
        key,
        "administrator".into(),
        Duration::from_secs(86_400),
        Arc::new(SystemClock),
    );
    per_op_ns(budget, |_| {
        black_box(cache.get());
    })
}

/// One RongCloud request's nonce, timestamp and signature.
pub fn rongcloud_sign_ns(budget: Budget) -> f64 {
    let signer = Signer::new("app-secret-0123456789".to_owned().into());
    per_op_ns(budget, |i| {
        let nonce = sign::nonce();
        let timestamp = (1_700_000_000_000u64 + i as u64).to_string();
        black_box(signer.sign(&nonce, &timestamp));
    })
}
