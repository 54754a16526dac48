//! imbridge's full send path against plain reqwest posting the same bytes to the same
//! responder, at a given concurrency.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use bytes::Bytes;
use imbridge_core::policy::RateLimits;
use imbridge_core::{ImProvider, MessageContent, SendMessage};
use imbridge_tencent::TencentClient;

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

/// Runs `make` concurrently on `concurrency` tasks for `time`; returns completed calls per second.
async fn run<F, Fut>(concurrency: usize, time: Duration, make: F) -> f64
where
    F: Fn() -> Fut + Clone + Send + 'static,
    Fut: Future<Output = bool> + Send,
{
    let done = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let tasks: Vec<_> = (0..concurrency)
        .map(|_| {
            let (make, done) = (make.clone(), done.clone());
            tokio::spawn(async move {
                while started.elapsed() < time {
                    if make().await {
                        done.fetch_add(1, Ordering::Relaxed);
                    }
                }
            })
        })
        .collect();
    for t in tasks {
        let _ = t.await;
    }
    done.load(Ordering::Relaxed) as f64 / started.elapsed().as_secs_f64()
}

/// The ratio of imbridge's send throughput to raw reqwest's at `concurrency`.
pub async fn sdk_vs_raw(concurrency: usize, budget: Budget) -> Throughput {
    let Ok(addr) = responder::start() else {
        return Throughput {
            sdk_rps: f64::NAN,
            raw_rps: f64::NAN,
            ratio: f64::NAN,
        };
    };
    let base = format!("http://{addr}");
    // The full stack: validation, the admin-sig cache, URL and body encoding, envelope
    // decoding, and the retry and rate-limit layers (with limits off).
    let sdk = TencentClient::builder(1400000000, "bench-secret-key", "administrator")
        .base_url(&base)
        .rate_limits(RateLimits::unlimited())
        .build()
        .map(Arc::new);
    let Ok(sdk) = sdk else {
        return Throughput {
            sdk_rps: f64::NAN,
            raw_rps: f64::NAN,
            ratio: f64::NAN,
        };
    };
    let msg = Arc::new(SendMessage::to_user(
        "lilei",
        "hanmeimei",
        MessageContent::text("hello, world"),
    ));
    // The same bytes, posted by a plain client with the same pool and timeout settings as the
    // SDK's (a production client has timeouts too).
    let raw = reqwest::Client::builder()
        .pool_idle_timeout(Duration::from_secs(50))
        .connect_timeout(Duration::from_secs(5))
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap_or_default();
    let body = Bytes::from_static(
        br#"{"From_Account":"lilei","To_Account":"hanmeimei","MsgRandom":12345,"MsgBody":[{"MsgType":"TIMTextElem","MsgContent":{"Text":"hello, world"}}]}"#,
    );
    let sig = sdk
        .usersig_key()
        .sign("administrator", 1_700_000_000, 86_400, None);
    let url = format!(
        "{base}/v4/openim/sendmsg?sdkappid=1400000000&identifier=administrator&usersig={sig}&random=12345&contenttype=json"
    );

    let warm = Duration::from_millis(200);
    let sdk_call = {
        let (sdk, msg) = (sdk.clone(), msg.clone());
        move || {
            let (sdk, msg) = (sdk.clone(), msg.clone());
            async move { sdk.send_message(&msg).await.is_ok() }
        }
    };
    let raw_call = {
        let (raw, url, body) = (raw.clone(), url.clone(), body.clone());
        move || {
            let (raw, url, body) = (raw.clone(), url.clone(), body.clone());
            async move {
                match raw
                    .post(url)
                    .header("content-type", "application/json")
                    .body(body)
                    .send()
                    .await
                {
                    Ok(r) => r.bytes().await.is_ok(),
                    Err(_) => false,
                }
            }
        }
    };
    // Warm both pools, then alternate short rounds so that neither side gets the quieter
    // moments; report the medians.
    run(concurrency, warm, sdk_call.clone()).await;
    run(concurrency, warm, raw_call.clone()).await;
    let round = budget.throughput_time / budget.throughput_rounds as u32;
    let (mut sdk_rps, mut raw_rps, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..budget.throughput_rounds {
        let (sdk, raw) = if i % 2 == 0 {
            let raw = run(concurrency, round, raw_call.clone()).await;
            (run(concurrency, round, sdk_call.clone()).await, raw)
        } else {
            let sdk = run(concurrency, round, sdk_call.clone()).await;
            (sdk, run(concurrency, round, raw_call.clone()).await)
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
