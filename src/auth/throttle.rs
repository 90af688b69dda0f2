//! Sign-in throttling, in memory (one process serves the app; a restart forgetting the counts
//! is acceptable), on three levels:
//! - `Throttle`: failed attempts per e-mail *and* client. After `MAX_FAILURES` in `WINDOW` a
//!   client is refused for that e-mail (429 with Retry-After); once the e-mail has that many
//!   failures from anywhere, every client that has failed for it is refused too. A client that
//!   has not failed still gets its attempt, so someone guessing cannot lock the real owner out.
//! - `RateLimits`: attempts per client and for the whole server (`governor`), so a flood of
//!   random e-mails, which no per-e-mail count sees, is refused before any password is hashed.
//! - the hashing permits in `AuthState`: at most one argon2 hash per core at a time.

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultDirectRateLimiter, DefaultKeyedRateLimiter, Quota};
use std::collections::HashMap;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub const MAX_FAILURES: u32 = 5;
pub const WINDOW: Duration = Duration::from_secs(15 * 60);

#[derive(Default)]
pub struct Throttle {
    by_email: Mutex<HashMap<String, Failures>>,
}

/// One e-mail's attempts in the current window.
struct Failures {
    since: Instant,
    total: u32,
    by_client: HashMap<IpAddr, u32>,
}

impl Throttle {
    /// Counts a sign-in attempt of `client` for this e-mail key, or refuses it with the time
    /// left. Counting before the password is checked means attempts sent in parallel cannot all
    /// slip past the limit; `succeeded` takes the client's count back.
    pub fn begin(&self, key: &str, client: IpAddr, now: Instant) -> Result<(), Duration> {
        let mut map = self.by_email.lock().unwrap_or_else(|p| p.into_inner());
        // Forget stale entries so the map cannot grow without bound.
        map.retain(|_, f| f.since + WINDOW > now);
        let entry = map.entry(key.to_owned()).or_insert_with(|| Failures { since: now, total: 0, by_client: HashMap::new() });
        let mine = entry.by_client.get(&client).copied().unwrap_or(0);
        if mine >= MAX_FAILURES || (entry.total >= MAX_FAILURES && mine > 0) {
            return Err(entry.since + WINDOW - now);
        }
        entry.total += 1;
        *entry.by_client.entry(client).or_insert(0) += 1;
        Ok(())
    }

    /// The right password: this client's attempts no longer count (others' still do).
    pub fn succeeded(&self, key: &str, client: IpAddr) {
        let mut map = self.by_email.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(entry) = map.get_mut(key) {
            let mine = entry.by_client.remove(&client).unwrap_or(0);
            entry.total = entry.total.saturating_sub(mine);
            if entry.by_client.is_empty() {
                map.remove(key);
            }
        }
    }
}

/// The throttle key for an e-mail as typed.
pub fn key(email: &str) -> String {
    email.trim().to_lowercase()
}

/// Attempts per client: a burst of this many, then one every `CLIENT_PERIOD`.
const CLIENT_BURST: u32 = 20;
const CLIENT_PERIOD: Duration = Duration::from_secs(1);
/// Attempts for the whole server: a burst of this many, then `SERVER_PER_SECOND` a second
/// (a few cores' worth of argon2 hashes, leaving the rest of the machine to everyone else).
const SERVER_BURST: u32 = 40;
const SERVER_PER_SECOND: u32 = 10;
/// Clients remembered before the stale ones are dropped.
const CLIENTS_KEPT: usize = 10_000;

/// Which limit refused an attempt, and for how long.
#[derive(Debug, PartialEq)]
pub enum Refused {
    Client(Duration),
    Server(Duration),
}

pub struct RateLimits {
    per_client: DefaultKeyedRateLimiter<IpAddr>,
    server: DefaultDirectRateLimiter,
}

impl Default for RateLimits {
    fn default() -> Self {
        let nz = |n: u32| NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN);
        let per_client = Quota::with_period(CLIENT_PERIOD).map(|q| q.allow_burst(nz(CLIENT_BURST))).unwrap_or_else(|| Quota::per_second(nz(1)));
        RateLimits {
            per_client: DefaultKeyedRateLimiter::keyed(per_client),
            server: DefaultDirectRateLimiter::direct(Quota::per_second(nz(SERVER_PER_SECOND)).allow_burst(nz(SERVER_BURST))),
        }
    }
}

impl RateLimits {
    /// Takes one attempt from the client's and the server's allowance, or says which is spent.
    pub fn check(&self, client: IpAddr) -> Result<(), Refused> {
        if self.per_client.len() > CLIENTS_KEPT {
            self.per_client.retain_recent();
        }
        let now = DefaultClock::default().now();
        self.per_client.check_key(&client).map_err(|n| Refused::Client(n.wait_time_from(now)))?;
        self.server.check().map_err(|n| Refused::Server(n.wait_time_from(now)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(10, 0, 0, 1));
    const B: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(10, 0, 0, 2));

    #[test]
    fn blocks_a_client_after_repeated_attempts_until_the_window_passes() {
        let t = Throttle::default();
        let start = Instant::now();
        for _ in 0..MAX_FAILURES {
            assert_eq!(t.begin("a@b.io", A, start), Ok(()));
        }
        assert_eq!(t.begin("a@b.io", A, start + Duration::from_secs(60)), Err(WINDOW - Duration::from_secs(60)));
        assert_eq!(t.begin("other@b.io", A, start), Ok(()));
        assert_eq!(t.begin("a@b.io", A, start + WINDOW), Ok(()));
    }

    #[test]
    fn a_client_that_has_not_failed_is_not_locked_out_by_another() {
        let t = Throttle::default();
        let now = Instant::now();
        for _ in 0..MAX_FAILURES {
            t.begin("owner@b.io", A, now).unwrap();
        }
        // The owner, from their own machine, still gets to try; a success there clears only
        // their own count, so the guesser stays refused.
        assert_eq!(t.begin("owner@b.io", B, now), Ok(()));
        t.succeeded("owner@b.io", B);
        assert!(t.begin("owner@b.io", A, now).is_err());
        assert_eq!(t.begin("owner@b.io", B, now), Ok(()));
    }

    #[test]
    fn once_an_email_is_under_attack_a_client_that_failed_waits() {
        let t = Throttle::default();
        let now = Instant::now();
        for i in 0..MAX_FAILURES {
            let client = IpAddr::V4(std::net::Ipv4Addr::new(10, 1, 0, i as u8));
            t.begin("x@b.io", client, now).unwrap();
        }
        // Each of those clients has failed once and the e-mail has five failures: refused.
        assert!(t.begin("x@b.io", IpAddr::V4(std::net::Ipv4Addr::new(10, 1, 0, 0)), now).is_err());
    }

    #[test]
    fn success_clears_the_count() {
        let t = Throttle::default();
        let now = Instant::now();
        for _ in 0..MAX_FAILURES {
            t.begin("a@b.io", A, now).unwrap();
        }
        t.succeeded("a@b.io", A);
        assert_eq!(t.begin("a@b.io", A, now), Ok(()));
    }

    #[test]
    fn rate_limits_refuse_a_flood_from_one_client_and_from_many() {
        let limits = RateLimits::default();
        for _ in 0..CLIENT_BURST {
            limits.check(A).unwrap();
        }
        assert!(matches!(limits.check(A), Err(Refused::Client(_))));
        let mut refused = None;
        for i in 0..=SERVER_BURST {
            let client = IpAddr::V4(std::net::Ipv4Addr::new(10, 2, (i / 256) as u8, (i % 256) as u8));
            if let Err(r) = limits.check(client) {
                refused = Some(r);
                break;
            }
        }
        assert!(matches!(refused, Some(Refused::Server(_))), "{refused:?}");
    }
}
