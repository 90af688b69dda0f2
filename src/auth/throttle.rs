//! Login throttling: after `MAX_FAILURES` wrong passwords for one e-mail within `WINDOW`, further
//! attempts for it are refused (429 with Retry-After) until the window has passed. In memory:
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
    /// `Some(wait)` when attempts for this key are refused right now.
    pub fn blocked(&self, key: &str, now: Instant) -> Option<Duration> {
        let map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        let (count, since) = map.get(key)?;
        let until = *since + WINDOW;
        (*count >= MAX_FAILURES && until > now).then(|| until - now)
    }

    pub fn failed(&self, key: &str, now: Instant) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        // Forget stale entries so the map cannot grow without bound.
        map.retain(|_, (_, since)| *since + WINDOW > now);
        let entry = map.entry(key.to_owned()).or_insert((0, now));
        entry.0 += 1;
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
    fn blocks_after_repeated_failures_until_the_window_passes() {
        let t = Throttle::default();
        let start = Instant::now();
        for _ in 0..MAX_FAILURES - 1 {
            t.failed("a@b.io", start);
        }
        assert_eq!(t.blocked("a@b.io", start), None);
        t.failed("a@b.io", start);
        assert_eq!(
            t.blocked("a@b.io", start + Duration::from_secs(60)),
            Some(WINDOW - Duration::from_secs(60))
        );
        assert_eq!(t.blocked("other@b.io", start), None);
        assert_eq!(t.blocked("a@b.io", start + WINDOW), None);
    }

    #[test]
    fn success_clears_the_count() {
        let t = Throttle::default();
        let now = Instant::now();
        for _ in 0..MAX_FAILURES {
            t.failed("a@b.io", now);
        }
        t.succeeded("a@b.io");
        assert_eq!(t.blocked("a@b.io", now), None);
    }
}
