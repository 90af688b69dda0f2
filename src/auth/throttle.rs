//! Login throttling: after `MAX_FAILURES` attempts without a success for one e-mail within
//! `WINDOW`, further attempts for it are refused (429 with Retry-After) until the window has passed. In memory:
//! one process serves the app, and a restart forgetting the count is acceptable.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub const MAX_FAILURES: u32 = 5;
pub const WINDOW: Duration = Duration::from_secs(15 * 60);

#[derive(Default)]
pub struct Throttle {
    failures: Mutex<HashMap<String, (u32, Instant)>>,
}

impl Throttle {
    /// Counts a sign-in attempt for this key, or refuses it with the time left when the key has
    /// used up its attempts in the window. Counting before the password is checked means
    /// attempts sent in parallel cannot all slip past the limit; a success clears the count.
    pub fn begin(&self, key: &str, now: Instant) -> Result<(), Duration> {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        // Forget stale entries so the map cannot grow without bound.
        map.retain(|_, (_, since)| *since + WINDOW > now);
        let entry = map.entry(key.to_owned()).or_insert((0, now));
        if entry.0 >= MAX_FAILURES {
            return Err(entry.1 + WINDOW - now);
        }
        entry.0 += 1;
        Ok(())
    }

    pub fn succeeded(&self, key: &str) {
        self.failures
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(key);
    }
}

/// The throttle key for an e-mail as typed.
pub fn key(email: &str) -> String {
    email.trim().to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_after_repeated_attempts_until_the_window_passes() {
        let t = Throttle::default();
        let start = Instant::now();
        for _ in 0..MAX_FAILURES {
            assert_eq!(t.begin("a@b.io", start), Ok(()));
        }
        assert_eq!(
            t.begin("a@b.io", start + Duration::from_secs(60)),
            Err(WINDOW - Duration::from_secs(60))
        );
        assert_eq!(t.begin("other@b.io", start), Ok(()));
        assert_eq!(t.begin("a@b.io", start + WINDOW), Ok(()));
    }

    #[test]
    fn success_clears_the_count() {
        let t = Throttle::default();
        let now = Instant::now();
        for _ in 0..MAX_FAILURES {
            t.begin("a@b.io", now).unwrap();
        }
        t.succeeded("a@b.io");
        assert_eq!(t.begin("a@b.io", now), Ok(()));
    }
}
