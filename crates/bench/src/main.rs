//! `cargo run --release -p imbridge-bench -- [--quick] [--json]`
//!
//! Measures, in one run: UserSig generation, the admin-sig cache, RongCloud request signing,
//! the throughput of imbridge's full send path against plain reqwest posting the same bytes to
//! the same minimal loopback responder (concurrency 1 and 64), the extra latency of a RongCloud
//! call whose primary domain refuses connections (and of the call after it), and the run's peak
//! memory. See docs/performance.md.

use imbridge_bench::{Budget, failover, signing, throughput};
use std::time::Duration;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let quick = args.iter().any(|a| a == "--quick");
    let json = args.iter().any(|a| a == "--json");
    if let Some(other) = args.iter().find(|a| *a != "--quick" && *a != "--json") {
        eprintln!("unknown argument `{other}`; usage: imbridge-bench [--quick] [--json]");
        std::process::exit(2);
    }
    let budget = if quick {
        Budget {
            samples: 15,
            batch: 2_000,
            throughput_time: Duration::from_secs(4),
            throughput_rounds: 8,
            failover_rounds: 9,
        }
    } else {
        Budget {
            samples: 41,
            batch: 10_000,
            throughput_time: Duration::from_secs(12),
            throughput_rounds: 12,
            failover_rounds: 31,
        }
    };

    let usersig_gen_ns = signing::usersig_gen_ns(budget);
    let usersig_cached_ns = signing::usersig_cached_ns(budget);
    let rongcloud_sign_ns = signing::rongcloud_sign_ns(budget);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("cannot start the runtime: {e}");
            std::process::exit(1);
        }
    };
    let (c1, c64) = runtime.block_on(async {
        (
            throughput::sdk_vs_raw(1, budget).await,
            throughput::sdk_vs_raw(64, budget).await,
        )
    });
    let failover = runtime.block_on(failover::extra_latency(budget));
    let peak_kib = peak_memory_kib();

    let result = serde_json::json!({
        "usersig_gen_ns": usersig_gen_ns,
        "usersig_cached_ns": usersig_cached_ns,
        "rongcloud_sign_ns": rongcloud_sign_ns,
        "sdk_vs_raw_c1": c1.ratio(),
        "sdk_vs_raw_c64": c64.ratio(),
        "sdk_rps_c1": c1.sdk_rps,
        "raw_rps_c1": c1.raw_rps,
        "sdk_rps_c64": c64.sdk_rps,
        "raw_rps_c64": c64.raw_rps,
        "failover_extra_ms": failover.first_call_extra_ms,
        "failover_next_call_extra_ms": failover.next_call_extra_ms,
        "peak_memory_kib": peak_kib,
    });
    if json {
        println!("{result}");
    } else {
        println!(
            "usersig_gen_ns               {usersig_gen_ns:>12.0}   median ns per UserSig, one thread"
        );
        println!(
            "usersig_cached_ns            {usersig_cached_ns:>12.1}   median ns to get the admin sig from the cache"
        );
        println!(
            "rongcloud_sign_ns            {rongcloud_sign_ns:>12.0}   median ns to sign one RongCloud request"
        );
        println!(
            "sdk_vs_raw_c1                {:>12.3}   {:.0} vs {:.0} sends/s",
            c1.ratio(),
            c1.sdk_rps,
            c1.raw_rps
        );
        println!(
            "sdk_vs_raw_c64               {:>12.3}   {:.0} vs {:.0} sends/s",
            c64.ratio(),
            c64.sdk_rps,
            c64.raw_rps
        );
        println!(
            "failover_extra_ms            {:>12.3}   first call, primary refuses connections",
            failover.first_call_extra_ms
        );
        println!(
            "failover_next_call_extra_ms  {:>12.3}   the call after it",
            failover.next_call_extra_ms
        );
        println!(
            "peak_memory_kib              {:>12}",
            peak_kib.map_or("n/a".to_owned(), |k| k.to_string())
        );
    }
}

/// The process's peak resident set (VmHWM), where the OS reports it.
fn peak_memory_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}
