//! The one clock capability: wall time, monotonic time, and waiting. A process makes one (the
//! binary's `main` makes a [`SystemClock`]) and passes it down; nothing below reads the time any
//! other way, so a test can run everything on a virtual clock that never sleeps (the
//! `guestissuer-fixtures` crate has one).

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// Wall time, monotonic time and waiting, as one capability.
pub trait Clock {
    /// Wall-clock time: how long since the Unix epoch.
    fn wall(&self) -> Duration;
    /// Monotonic time since an arbitrary origin fixed when the clock was made: for timeouts.
    fn monotonic(&self) -> Duration;
    /// Waits `duration` (a virtual clock only advances).
    fn wait(&mut self, duration: Duration);

    /// Wall time in whole Unix seconds, rounded to the nearest second as the original tool's
    /// `Math.round(Date.now() / 1000)`.
    fn unix_seconds(&self) -> u64 {
        let wall = self.wall();
        wall.as_secs() + u64::from(wall.subsec_millis() >= 500)
    }
}

/// The real clock: [`SystemTime`], [`Instant`] and [`std::thread::sleep`], optionally with the
/// wall time fixed at a given Unix time (`GUESTISSUER_NOW`) while monotonic time and waits stay
/// real, so that output is reproducible and timeouts still work.
#[derive(Debug, Clone)]
pub struct SystemClock {
    origin: Instant,
    /// A fixed wall time, when one was given.
    fixed_wall: Option<Duration>,
}

impl SystemClock {
    /// The system's own wall clock.
    pub fn new() -> Self {
        SystemClock {
            origin: Instant::now(),
            fixed_wall: None,
        }
    }

    /// A clock whose wall time stays at `unix_seconds`; monotonic time and waits are real.
    pub fn with_wall_fixed_at(unix_seconds: u64) -> Self {
        SystemClock {
            origin: Instant::now(),
            fixed_wall: Some(Duration::from_secs(unix_seconds)),
        }
    }
}

impl Default for SystemClock {
    fn default() -> Self {
        SystemClock::new()
    }
}

impl Clock for SystemClock {
    fn wall(&self) -> Duration {
        self.fixed_wall.unwrap_or_else(|| {
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .unwrap_or_default()
        })
    }

    fn monotonic(&self) -> Duration {
        self.origin.elapsed()
    }

    fn wait(&mut self, duration: Duration) {
        std::thread::sleep(duration);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_system_clock_can_have_its_wall_time_fixed() {
        let mut clock = SystemClock::with_wall_fixed_at(1_800_000_000);
        clock.wait(Duration::from_millis(20));
        assert_eq!(clock.unix_seconds(), 1_800_000_000);
        assert!(clock.monotonic() >= Duration::from_millis(20));
    }
}
