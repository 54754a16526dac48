//! Sends a fixed number of messages through one side of the throughput harness, for
//! instruction counts under callgrind (stable on a shared machine, unlike wall-clock time):
//!
//! ```sh
//! cargo build --release -p imbridge-bench --example send_profile
//! valgrind --tool=callgrind --callgrind-out-file=sdk.out \
//!     target/release/examples/send_profile sdk 20000 64
//! valgrind --tool=callgrind --callgrind-out-file=raw.out \
//!     target/release/examples/send_profile raw 20000 64
//! ```
//!
//! The difference of the two totals over the number of calls is what imbridge adds per send
//! (the responder's work is the same on both sides). See docs/performance.md.

use std::sync::Arc;

use imbridge_bench::throughput::{Harness, Side, send_count};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: send_profile <sdk|raw> [calls] [concurrency]";
    let side = match args.first().map(String::as_str) {
        Some("sdk") => Side::Sdk,
        Some("raw") => Side::Raw,
        _ => {
            eprintln!("{usage}");
            std::process::exit(2);
        }
    };
    let number = |i: usize, default: u64| match args.get(i) {
        None => default,
        Some(s) => s.parse().unwrap_or_else(|_| {
            eprintln!("{usage}");
            std::process::exit(2)
        }),
    };
    let (calls, concurrency) = (number(1, 20_000), number(2, 64).max(1) as usize);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build();
    let Ok(runtime) = runtime else {
        eprintln!("cannot start the runtime");
        std::process::exit(1);
    };
    let ok = runtime.block_on(async {
        let h = match Harness::start() {
            Ok(h) => Arc::new(h),
            Err(e) => {
                eprintln!("{e}");
                std::process::exit(1);
            }
        };
        send_count(&h, side, concurrency, calls).await
    });
    println!("{ok} of {calls} sends succeeded");
    if ok != calls {
        std::process::exit(1);
    }
}
