//! The measurements behind `imbridge-bench` (see `src/main.rs` and docs/performance.md),
//! as a library so that `examples/send_profile.rs` can drive the throughput harness under
//! callgrind.

#![warn(missing_docs)]

pub mod failover;
pub mod responder;
pub mod signing;
pub mod throughput;

use std::time::Duration;

/// How long and how often to measure.
#[derive(Debug, Clone, Copy)]
pub struct Budget {
    /// Samples (batches) for the per-operation timings; the median is reported.
    pub samples: usize,
    /// Operations per sample.
    pub batch: usize,
    /// How long each throughput measurement lasts in all.
    pub throughput_time: Duration,
    /// Alternating rounds per throughput measurement.
    pub throughput_rounds: usize,
    /// Rounds of the failover measurement; the median is reported.
    pub failover_rounds: usize,
}

/// The median of `samples`.
pub fn median(mut samples: Vec<f64>) -> f64 {
    samples.sort_by(|a, b| a.total_cmp(b));
    samples.get(samples.len() / 2).copied().unwrap_or(f64::NAN)
}
