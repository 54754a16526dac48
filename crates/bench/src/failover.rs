//! The extra latency of a RongCloud call whose primary domain refuses connections, and of the
//! call after it (which should go straight to the healthy domain).

use std::time::Instant;

use imbridge_core::RegisterUser;
use imbridge_core::prelude::*;
use imbridge_rongcloud::RongCloudClient;

use crate::{Budget, median, responder};

/// Medians, in milliseconds, over the measurement rounds.
#[derive(Debug, Clone, Copy)]
pub struct Failover {
    /// The first call after the primary died, over a call to a healthy primary.
    pub first_call_extra_ms: f64,
    /// The call after that one, over a call to a healthy primary.
    pub next_call_extra_ms: f64,
}

fn dead_url() -> String {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| format!("http://{a}"))
        .unwrap_or_else(|_| "http://127.0.0.1:9".into())
}

async fn timed(client: &RongCloudClient) -> f64 {
    let started = Instant::now();
    let _ = client
        .users()
        .register_user(&RegisterUser::new("lilei").nickname("L"))
        .await;
    started.elapsed().as_secs_f64() * 1000.0
}

/// Measures over `budget.failover_rounds` fresh clients.
pub async fn extra_latency(budget: Budget) -> Failover {
    let Ok(addr) = responder::start() else {
        return Failover {
            first_call_extra_ms: f64::NAN,
            next_call_extra_ms: f64::NAN,
        };
    };
    let live = format!("http://{addr}");
    let (mut cold, mut warm, mut first, mut next) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for _ in 0..budget.failover_rounds {
        let (Ok(healthy), Ok(failing)) = (
            RongCloudClient::builder("k", "s").base_url(&live).build(),
            RongCloudClient::builder("k", "s")
                .base_url(dead_url())
                .base_url(&live)
                .build(),
        ) else {
            continue;
        };
        // Fresh clients: the first call opens a connection, the next reuses it; the failing
        // client's calls are compared with the healthy client's in the same position.
        cold.push(timed(&healthy).await);
        warm.push(timed(&healthy).await);
        first.push(timed(&failing).await);
        next.push(timed(&failing).await);
    }
    Failover {
        first_call_extra_ms: median(first) - median(cold),
        next_call_extra_ms: median(next) - median(warm),
    }
}
