//! imbridge's full send path against plain reqwest posting the same bytes to the same
//! responder, at a given concurrency.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use bytes::Bytes;
use imbridge_core::policy::RateLimits;
use imbridge_core::prelude::*;
use imbridge_core::{MessageContent, SendMessage, SystemClock};
use imbridge_tencent::TencentClient;
use imbridge_tencent::admin_sig::AdminSigCache;

use crate::{Budget, median, responder};

/// Sends per second of each side.
#[derive(Debug, Clone, Copy)]
pub struct Throughput {
    /// imbridge's.
    pub sdk_rps: f64,
    /// Plain reqwest's.
    pub raw_rps: f64,
    /// The median over the rounds of imbridge's throughput over plain reqwest's.
    pub ratio: f64,
}

impl Throughput {
    /// imbridge's throughput over plain reqwest's (median of the per-round ratios).
    pub fn ratio(&self) -> f64 {
        self.ratio
    }
}

/// The two sides of a throughput run: imbridge's Tencent client and a plain reqwest client
/// with the same pool and timeout settings, posting the same message to the same responder.
pub struct Harness {
    sdk: TencentClient,
    msg: SendMessage,
    raw: reqwest::Client,
    raw_url: String,
    raw_body: Bytes,
}

impl Harness {
    /// Starts a responder and builds both clients for it.
    pub fn start() -> Result<Harness, String> {
        let addr = responder::start().map_err(|e| format!("cannot start the responder: {e}"))?;
        let base = format!("http://{addr}");
        // The full stack: validation, the admin-sig cache, URL and body encoding, envelope
        // decoding, and the retry and rate-limit layers (with limits off).
        let sdk = TencentClient::builder(1400000000, "bench-secret-key", "administrator")
            .base_url(&base)
            .rate_limits(RateLimits::unlimited())
            .build()
            .map_err(|e| format!("cannot build the SDK client: {e}"))?;
        let msg = SendMessage::to_user("lilei", "hanmeimei", MessageContent::text("hello, world"));
        // The same bytes, posted by a plain client with the same pool and timeout settings as
        // the SDK's (a production client has timeouts too).
        let raw = reqwest::Client::builder()
            .pool_idle_timeout(Duration::from_secs(50))
            .connect_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(10))
            .build()
            .map_err(|e| format!("cannot build the raw client: {e}"))?;
        let raw_body = Bytes::from_static(
            br#"{"From_Account":"lilei","To_Account":"hanmeimei","MsgRandom":3141592653,"MsgBody":[{"MsgType":"TIMTextElem","MsgContent":{"Text":"hello, world"}}]}"#,
        );
        // An admin sig as the SDK's own cache makes it: the same form and length.
        let cache = AdminSigCache::new(
            sdk.usersig_key().clone(),
            "administrator".into(),
            Duration::from_secs(86_400),
            Arc::new(SystemClock),
        );
        let sig = cache.get();
        let sig = sig.sig();
        let raw_url = format!(
            "{base}/v4/openim/sendmsg?sdkappid=1400000000&identifier=administrator&usersig={sig}&random=3141592653&contenttype=json"
        );
        Ok(Harness {
            sdk,
            msg,
            raw,
            raw_url,
            raw_body,
        })
    }

    /// One send through imbridge; whether it succeeded.
    pub async fn sdk_send(&self) -> bool {
        self.sdk.messages().send_message(&self.msg).await.is_ok()
    }

    /// One post of the same bytes through plain reqwest; whether it succeeded.
    pub async fn raw_send(&self) -> bool {
        match self
            .raw
            .post(self.raw_url.as_str())
            .header("content-type", "application/json")
            .body(self.raw_body.clone())
            .send()
            .await
        {
            Ok(r) => r.bytes().await.is_ok(),
            Err(_) => false,
        }
    }
}

/// Which side of the harness a run drives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// imbridge's send path.
    Sdk,
    /// Plain reqwest.
    Raw,
}

impl Side {
    async fn send(self, h: &Harness) -> bool {
        match self {
            Side::Sdk => h.sdk_send().await,
            Side::Raw => h.raw_send().await,
        }
    }
}

/// Sends through `side` on `concurrency` tasks for as long as `more()` says so; returns how
/// many sends succeeded.
async fn drive<F>(h: &Arc<Harness>, side: Side, concurrency: usize, more: F) -> u64
where
    F: Fn() -> bool + Clone + Send + 'static,
{
    let ok = Arc::new(AtomicU64::new(0));
    let tasks: Vec<_> = (0..concurrency)
        .map(|_| {
            let (h, ok, more) = (h.clone(), ok.clone(), more.clone());
            tokio::spawn(async move {
                while more() {
                    if side.send(&h).await {
                        ok.fetch_add(1, Ordering::Relaxed);
                    }
                }
            })
        })
        .collect();
    for t in tasks {
        let _ = t.await;
    }
    ok.load(Ordering::Relaxed)
}

/// Runs `side` on `concurrency` tasks for `time`; returns completed calls per second.
async fn run(h: &Arc<Harness>, side: Side, concurrency: usize, time: Duration) -> f64 {
    let started = Instant::now();
    let done = drive(h, side, concurrency, move || started.elapsed() < time).await;
    done as f64 / started.elapsed().as_secs_f64()
}

/// Sends exactly `calls` messages through `side`, `concurrency` at a time; returns how many
/// succeeded. For profiling, where the work done matters and the time does not.
pub async fn send_count(h: &Arc<Harness>, side: Side, concurrency: usize, calls: u64) -> u64 {
    let next = Arc::new(AtomicU64::new(0));
    drive(h, side, concurrency, move || {
        next.fetch_add(1, Ordering::Relaxed) < calls
    })
    .await
}

/// The ratio of imbridge's send throughput to raw reqwest's at `concurrency`.
pub async fn sdk_vs_raw(concurrency: usize, budget: Budget) -> Throughput {
    let h = match Harness::start() {
        Ok(h) => Arc::new(h),
        Err(e) => {
            eprintln!("{e}");
            return Throughput {
                sdk_rps: f64::NAN,
                raw_rps: f64::NAN,
                ratio: f64::NAN,
            };
        }
    };
    // Warm both pools, then alternate short rounds so that neither side gets the quieter
    // moments; report the medians.
    let warm = Duration::from_millis(200);
    run(&h, Side::Sdk, concurrency, warm).await;
    run(&h, Side::Raw, concurrency, warm).await;
    let round = budget.throughput_time / budget.throughput_rounds as u32;
    let (mut sdk_rps, mut raw_rps, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..budget.throughput_rounds {
        let (sdk, raw) = if i % 2 == 0 {
            let raw = run(&h, Side::Raw, concurrency, round).await;
            (run(&h, Side::Sdk, concurrency, round).await, raw)
        } else {
            let sdk = run(&h, Side::Sdk, concurrency, round).await;
            (sdk, run(&h, Side::Raw, concurrency, round).await)
        };
        sdk_rps.push(sdk);
        raw_rps.push(raw);
        ratios.push(sdk / raw);
    }
    Throughput {
        sdk_rps: median(sdk_rps),
        raw_rps: median(raw_rps),
        ratio: median(ratios),
    }
}
