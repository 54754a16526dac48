//! Time, injectable so that signatures, caches and expiry can be tested deterministically.

use std::fmt;
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A source of the current wall-clock time.
pub trait Clock: Send + Sync + fmt::Debug {
    /// The current time.
    fn now(&self) -> SystemTime;

    /// The current time in whole seconds since the Unix epoch (0 before 1970).
    fn unix_seconds(&self) -> u64 {
        self.now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0)
    }
}

/// The system's wall clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }
}

/// A clock that only moves when told to; for tests.
///
/// ```
/// use std::time::Duration;
/// use imbridge_core::{Clock, ManualClock};
///
/// let clock = ManualClock::at_unix(1_700_000_000);
/// clock.advance(Duration::from_secs(5));
/// assert_eq!(clock.unix_seconds(), 1_700_000_005);
/// ```
#[derive(Debug)]
pub struct ManualClock {
    now: Mutex<SystemTime>,
}

impl ManualClock {
    /// A clock showing `secs` seconds after the Unix epoch.
    pub fn at_unix(secs: u64) -> Self {
        ManualClock {
            now: Mutex::new(UNIX_EPOCH + Duration::from_secs(secs)),
        }
    }

    /// Moves the clock forward.
    pub fn advance(&self, by: Duration) {
        let mut now = self.now.lock().unwrap_or_else(|p| p.into_inner());
        *now += by;
    }

    /// Sets the clock to `secs` seconds after the Unix epoch.
    pub fn set_unix(&self, secs: u64) {
        let mut now = self.now.lock().unwrap_or_else(|p| p.into_inner());
        *now = UNIX_EPOCH + Duration::from_secs(secs);
    }
}

impl Clock for ManualClock {
    fn now(&self) -> SystemTime {
        *self.now.lock().unwrap_or_else(|p| p.into_inner())
    }
}
