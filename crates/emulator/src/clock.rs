//! The emulated servers' clock: real time by default; tests can shift it, freeze it and move it
//! forward, to cross the vendors' time windows (message de-duplication, mutes, blocks) without
//! sleeping.
//!
//! What reads it: every operation on the state (the `MsgTime` and `sent_at_ms` recorded, the
//! de-duplication windows, mute and block ends, join and creation times) and the state views
//! of the control API. What does not: the request signature checks (Tencent UserSig expiry,
//! RongCloud's `Timestamp` window), which compare with the caller's real clock, the request
//! logs' `received_at_ms` and the callbacks' own timestamps.
//!
//! ```
//! use std::time::Duration;
//! use imbridge_emulator::Clock;
//!
//! let clock = Clock::new();
//! clock.freeze_at_ms(1_700_000_000_250);
//! assert_eq!(clock.now_secs(), 1_700_000_000);
//! clock.advance(Duration::from_millis(750));
//! assert_eq!(clock.now_secs(), 1_700_000_001);
//! clock.resume();
//! assert!(!clock.is_frozen());
//! ```

use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The real Unix time in milliseconds.
pub(crate) fn real_now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
        .unwrap_or(0)
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Mode {
    /// Added to the real time while running.
    offset_ms: i64,
    /// The time it stands at while frozen.
    frozen_at_ms: Option<u64>,
}

/// A handle on an emulated server's clock (cheap to clone; clones share the clock).
///
/// It runs with real time plus an offset (0 at first), or stands still ("frozen") at a chosen
/// time until moved with [`advance`](Self::advance) or released with [`resume`](Self::resume).
/// An [`Emulator`](crate::Emulator) has one clock for both vendors ([`Emulator::clock`],
/// `GET`/`POST /_emulator/clock`); [`reset`](crate::Emulator::reset) leaves it as it is.
///
/// [`Emulator::clock`]: crate::Emulator::clock
#[derive(Clone, Default)]
pub struct Clock {
    mode: Arc<Mutex<Mode>>,
}

impl Clock {
    /// A clock running with real time.
    pub fn new() -> Self {
        Self::default()
    }

    fn mode(&self) -> MutexGuard<'_, Mode> {
        self.mode.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The clock's Unix time in milliseconds.
    pub fn now_ms(&self) -> u64 {
        let mode = *self.mode();
        match mode.frozen_at_ms {
            Some(at) => at,
            None => shift(real_now_ms(), mode.offset_ms),
        }
    }

    /// The clock's Unix time in whole seconds (the Unix second it is in).
    pub fn now_secs(&self) -> u64 {
        self.now_ms() / 1000
    }

    /// Whether the clock stands still.
    pub fn is_frozen(&self) -> bool {
        self.mode().frozen_at_ms.is_some()
    }

    /// How far the running clock is from real time, in milliseconds (negative: behind). While
    /// frozen, the offset it will run with after [`resume`](Self::resume).
    pub fn offset_ms(&self) -> i64 {
        self.mode().offset_ms
    }

    /// Stops the clock at `unix_ms` (Unix time in milliseconds) until
    /// [`advance`](Self::advance), [`resume`](Self::resume) or
    /// [`set_offset_ms`](Self::set_offset_ms).
    pub fn freeze_at_ms(&self, unix_ms: u64) {
        self.mode().frozen_at_ms = Some(unix_ms);
    }

    /// Stops the clock at the time it reads now.
    pub fn freeze(&self) {
        let now = self.now_ms();
        self.freeze_at_ms(now);
    }

    /// Moves the clock forward by `by`: a frozen clock stays frozen at the later time; a running
    /// clock keeps running, `by` ahead of where it was.
    pub fn advance(&self, by: Duration) {
        let by_ms = u64::try_from(by.as_millis()).unwrap_or(u64::MAX);
        let mut mode = self.mode();
        match &mut mode.frozen_at_ms {
            Some(at) => *at = at.saturating_add(by_ms),
            None => {
                mode.offset_ms = mode
                    .offset_ms
                    .saturating_add(i64::try_from(by_ms).unwrap_or(i64::MAX));
            }
        }
    }

    /// Runs the clock with real time plus `offset_ms` milliseconds (negative: behind), frozen or
    /// not before.
    pub fn set_offset_ms(&self, offset_ms: i64) {
        *self.mode() = Mode {
            offset_ms,
            frozen_at_ms: None,
        };
    }

    /// Runs the clock again from the time it stands at, if frozen: it keeps the offset from real
    /// time it had then, so it does not jump. A running clock is left as it is.
    pub fn resume(&self) {
        let mut mode = self.mode();
        if let Some(at) = mode.frozen_at_ms.take() {
            let real = i128::from(real_now_ms());
            let offset = (i128::from(at) - real).clamp(i128::from(i64::MIN), i128::from(i64::MAX));
            mode.offset_ms = i64::try_from(offset).unwrap_or(0);
        }
    }

    /// Back to real time: running, no offset.
    pub fn reset_to_real_time(&self) {
        *self.mode() = Mode::default();
    }
}

/// `at` moved by `offset_ms`, clamped to the `u64` range.
fn shift(at: u64, offset_ms: i64) -> u64 {
    if offset_ms >= 0 {
        at.saturating_add(offset_ms.unsigned_abs())
    } else {
        at.saturating_sub(offset_ms.unsigned_abs())
    }
}

impl fmt::Debug for Clock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mode = *self.mode();
        f.debug_struct("Clock")
            .field("now_ms", &self.now_ms())
            .field("frozen", &mode.frozen_at_ms.is_some())
            .field("offset_ms", &mode.offset_ms)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_with_real_time_by_default() {
        let clock = Clock::new();
        let before = real_now_ms();
        let now = clock.now_ms();
        assert!(now >= before && now <= real_now_ms());
        assert!(!clock.is_frozen());
        assert_eq!(clock.offset_ms(), 0);
    }

    #[test]
    fn freezes_advances_and_resumes() {
        let clock = Clock::new();
        clock.freeze_at_ms(5_000_999);
        assert_eq!(clock.now_ms(), 5_000_999);
        assert_eq!(clock.now_secs(), 5_000);
        clock.advance(Duration::from_millis(1));
        assert_eq!(clock.now_secs(), 5_001);
        let shared = clock.clone();
        shared.advance(Duration::from_secs(60));
        assert_eq!(clock.now_ms(), 5_061_000);
        clock.resume();
        assert!(!clock.is_frozen());
        // It resumes from where it stood (far in the past), not from real time.
        assert!(clock.now_ms() < 6_000_000);
        assert!(clock.offset_ms() < 0);
        clock.reset_to_real_time();
        assert!(clock.now_ms() >= real_now_ms() - 1_000);
    }

    #[test]
    fn offsets_shift_a_running_clock() {
        let clock = Clock::new();
        clock.freeze();
        clock.set_offset_ms(3_600_000);
        assert!(!clock.is_frozen());
        assert!(clock.now_ms() >= real_now_ms() + 3_599_000);
        clock.advance(Duration::from_secs(1));
        assert_eq!(clock.offset_ms(), 3_601_000);
        clock.set_offset_ms(-1_000);
        assert!(clock.now_ms() < real_now_ms());
        assert_eq!(shift(5, -10), 0);
        assert_eq!(shift(u64::MAX, 1), u64::MAX);
    }
}
