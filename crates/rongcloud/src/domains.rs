//! The domains of one client and what it has learned about their health.
//!
//! Each domain is healthy or, after a failure, unhealthy until a cool-down has passed. A call
//! tries healthy domains first, in configured order (so the primary whenever it is healthy),
//! then the unhealthy ones as a last resort. A success clears a domain's mark; when the primary's
//! cool-down ends, the next call probes it again. The state is one small mutex-guarded vector,
//! touched once per attempt, so it is safe and cheap under many concurrent tasks.

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use imbridge_core::Clock;
use url::Url;

#[derive(Debug)]
pub(crate) struct Domains {
    urls: Vec<Url>,
    unhealthy_until: Mutex<Vec<Option<SystemTime>>>,
    cooldown: Duration,
    clock: Arc<dyn Clock>,
}

impl Domains {
    pub fn new(urls: Vec<Url>, cooldown: Duration, clock: Arc<dyn Clock>) -> Self {
        let marks = vec![None; urls.len()];
        Domains {
            urls,
            unhealthy_until: Mutex::new(marks),
            cooldown,
            clock,
        }
    }

    pub fn urls(&self) -> &[Url] {
        &self.urls
    }

    pub fn url(&self, i: usize) -> &Url {
        &self.urls[i]
    }

    /// The order in which a call tries the domains now.
    pub fn order(&self) -> Vec<usize> {
        let now = self.clock.now();
        let marks = self
            .unhealthy_until
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        let healthy = |i: &usize| marks[*i].is_none_or(|until| now >= until);
        let mut order: Vec<usize> = (0..self.urls.len()).filter(healthy).collect();
        order.extend((0..self.urls.len()).filter(|i| !healthy(i)));
        order
    }

    /// The domain the next call starts with.
    pub fn preferred(&self) -> usize {
        self.order().first().copied().unwrap_or(0)
    }

    pub fn mark_failed(&self, i: usize) {
        let until = self.clock.now() + self.cooldown;
        let mut marks = self
            .unhealthy_until
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        if let Some(m) = marks.get_mut(i) {
            *m = Some(until);
        }
    }

    pub fn mark_ok(&self, i: usize) {
        let mut marks = self
            .unhealthy_until
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        if let Some(m) = marks.get_mut(i).filter(|m| m.is_some()) {
            *m = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use imbridge_core::ManualClock;

    fn domains(clock: Arc<ManualClock>) -> Domains {
        let urls = ["https://a/", "https://b/", "https://c/"]
            .iter()
            .map(|u| Url::parse(u).unwrap())
            .collect();
        Domains::new(urls, Duration::from_secs(30), clock)
    }

    #[test]
    fn unhealthy_domains_go_last_until_their_cooldown_ends() {
        let clock = Arc::new(ManualClock::at_unix(1000));
        let d = domains(clock.clone());
        assert_eq!(d.order(), [0, 1, 2]);
        d.mark_failed(0);
        assert_eq!(d.order(), [1, 2, 0]);
        d.mark_failed(1);
        assert_eq!(d.order(), [2, 0, 1]);
        clock.advance(Duration::from_secs(29));
        assert_eq!(d.preferred(), 2);
        clock.advance(Duration::from_secs(1));
        assert_eq!(
            d.order(),
            [0, 1, 2],
            "the primary is probed again after the cool-down"
        );
        d.mark_failed(2);
        d.mark_ok(2);
        assert_eq!(d.order(), [0, 1, 2]);
    }
}
