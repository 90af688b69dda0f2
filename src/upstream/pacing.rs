//! How fast one connection's requests go out, so that a run makes (almost) no refused requests.
//! Four sources; a request waits for each that applies:
//! - a pause upstream asked for: `Retry-After` on a refusal, or a budget (`X-RateLimit-Remaining`
//!   / `RateLimit-Remaining`) too small for the requests already in flight, until its reset;
//! - the connection's own cap (`max requests a second`), when an admin set one;
//! - the platform's documented quotas that no header announces: Slack's method tiers (20, 50 and
//!   100 a minute) and GitHub's secondary limit (900 REST requests a minute);
//! - a rate learned from upstream: after a refusal, or when it says the limit is near
//!   (`X-RateLimit-NearLimit: true`), requests go at 90% of what it accepted over the last
//!   second (Bitbucket: its hourly quota spread over the hour), lower after each new refusal.
//!
//! Rates are kept by `governor` limiters (GCRA); the pause and the learned rate are shared by
//! every caller of the connection's client.

use governor::{DefaultDirectRateLimiter, Quota};
use reqwest::header::HeaderMap;
use std::collections::VecDeque;
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::time::Instant;

/// A learned rate holds this long after the refusal or warning that taught it, then requests
/// go as fast as the other sources allow again.
const LEARNED_FOR: Duration = Duration::from_secs(600);
/// Share of the accepted rate to keep to after a warning or refusal.
const MARGIN: f64 = 0.9;
/// Each further refusal while paced lowers the rate by this factor.
const BACK_OFF: f64 = 0.8;
/// Bitbucket's documented quota: 1,000 authenticated requests an hour.
const BITBUCKET_PER_HOUR: f64 = 1000.0;

struct Learned {
    limiter: Arc<DefaultDirectRateLimiter>,
    per_second: f64,
    until: Instant,
}

/// One connection's pacing state.
pub struct Pacer {
    kind: String,
    cap: Option<DefaultDirectRateLimiter>,
    quotas: Vec<(&'static str, DefaultDirectRateLimiter)>,
    learned: Mutex<Option<Learned>>,
    accepted: Mutex<VecDeque<Instant>>,
    paused_until: Mutex<Option<Instant>>,
    in_flight: AtomicUsize,
}

/// A request in flight; dropping it counts it as answered.
pub struct InFlight<'a>(&'a Pacer);

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::Relaxed);
    }
}

fn per_minute(n: u32) -> DefaultDirectRateLimiter {
    DefaultDirectRateLimiter::direct(Quota::per_minute(NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN)))
}

fn per_second(rate: f64) -> DefaultDirectRateLimiter {
    let period = Duration::from_secs_f64(1.0 / rate.max(0.01));
    let quota = Quota::with_period(period).unwrap_or_else(|| Quota::per_second(NonZeroU32::MIN));
    DefaultDirectRateLimiter::direct(quota)
}

/// The documented quota tier of a Slack Web API method (`/api/users.list` → tier 2).
fn slack_tier(url: &str) -> &'static str {
    let method = url.split("/api/").nth(1).unwrap_or_default();
    let method = method.split(['?', '/']).next().unwrap_or_default();
    match method {
        "users.list" | "conversations.list" => "tier2",
        "users.lookupByEmail" | "team.info" => "tier3",
        _ => "tier4",
    }
}

impl Pacer {
    /// `cap`: the connection's own limit in requests a second, if any.
    pub fn new(kind: &str, cap: Option<u32>) -> Pacer {
        let quotas = match kind {
            "slack" => vec![("tier2", per_minute(20)), ("tier3", per_minute(50)), ("tier4", per_minute(100))],
            "github" => vec![("rest", per_minute(900))],
            _ => Vec::new(),
        };
        Pacer {
            kind: kind.to_owned(),
            cap: cap.filter(|c| *c > 0).map(|c| per_second(f64::from(c))),
            quotas,
            learned: Mutex::new(None),
            accepted: Mutex::new(VecDeque::new()),
            paused_until: Mutex::new(None),
            in_flight: AtomicUsize::new(0),
        }
    }

    /// Waits until a request to `url` may go out, and counts it in flight.
    pub async fn ready(&self, url: &str) -> InFlight<'_> {
        let paused = *self.paused_until.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(t) = paused.filter(|t| *t > Instant::now()) {
            tokio::time::sleep_until(t).await;
        }
        if let Some(cap) = &self.cap {
            cap.until_ready().await;
        }
        let tier = if self.kind == "slack" { slack_tier(url) } else { "rest" };
        if let Some((_, quota)) = self.quotas.iter().find(|(t, _)| *t == tier) {
            quota.until_ready().await;
        }
        if let Some(learned) = self.learned_limiter() {
            learned.until_ready().await;
        }
        self.in_flight.fetch_add(1, Ordering::Relaxed);
        InFlight(self)
    }

    fn learned_limiter(&self) -> Option<Arc<DefaultDirectRateLimiter>> {
        let mut learned = self.learned.lock().unwrap_or_else(|e| e.into_inner());
        if learned.as_ref().is_some_and(|l| l.until <= Instant::now()) {
            *learned = None;
        }
        learned.as_ref().map(|l| l.limiter.clone())
    }

    /// The rate currently learned from upstream, in requests a second.
    pub fn learned_rate(&self) -> Option<f64> {
        self.learned.lock().unwrap_or_else(|e| e.into_inner()).as_ref().map(|l| l.per_second)
    }

    /// Requests answered (not refused) over the last second.
    fn accepted_last_second(&self, now: Instant) -> usize {
        let mut accepted = self.accepted.lock().unwrap_or_else(|e| e.into_inner());
        while accepted.front().is_some_and(|t| now.duration_since(*t) > Duration::from_secs(1)) {
            accepted.pop_front();
        }
        accepted.len()
    }

    /// No request goes out before `until` (a later pause wins).
    pub fn pause_until(&self, until: Instant) {
        let mut paused = self.paused_until.lock().unwrap_or_else(|e| e.into_inner());
        *paused = Some(paused.map_or(until, |p| p.max(until)));
    }

    fn learn(&self, rate: f64, now: Instant) {
        let mut learned = self.learned.lock().unwrap_or_else(|e| e.into_inner());
        let rate = match learned.as_ref() {
            Some(l) if l.until > now => rate.min(l.per_second),
            _ => rate,
        }
        .max(0.05);
        *learned = Some(Learned { limiter: Arc::new(per_second(rate)), per_second: rate, until: now + LEARNED_FOR });
    }

    /// Upstream refused a request for its rate limit: go slower from now on.
    pub fn refused(&self) {
        let now = Instant::now();
        let accepted = self.accepted_last_second(now) as f64 * MARGIN;
        let lowered = self.learned_rate().map(|r| r * BACK_OFF);
        let rate = match lowered {
            Some(l) => l.min(accepted.max(1.0)),
            None => accepted.max(1.0),
        };
        self.learn(rate, now);
    }

    /// Upstream answered: read what its headers say about the budget left.
    pub fn answered(&self, headers: &HeaderMap) {
        let now = Instant::now();
        self.accepted.lock().unwrap_or_else(|e| e.into_inner()).push_back(now);
        // Trimmed on every answer: a client lives as long as the server, the window one second.
        let accepted = self.accepted_last_second(now);
        let others_in_flight = self.in_flight.load(Ordering::Relaxed).saturating_sub(1) as u64;
        if let Some(budget) = super::limits::budget(headers, chrono::Utc::now()) {
            if budget.remaining <= others_in_flight {
                self.pause_until(now + budget.resets_in);
            }
        }
        if super::limits::near_limit(headers) {
            let rate = if self.kind == "bitbucket" {
                BITBUCKET_PER_HOUR / 3600.0
            } else {
                (accepted as f64 * MARGIN).max(1.0)
            };
            self.learn(rate, now);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::{HeaderName, HeaderValue};

    fn headers(pairs: &[(&'static str, String)]) -> HeaderMap {
        pairs.iter().map(|(k, v)| (HeaderName::from_static(k), HeaderValue::from_str(v).unwrap())).collect()
    }

    #[test]
    fn slack_methods_have_their_tiers() {
        assert_eq!(slack_tier("https://slack.com/api/users.list?limit=200"), "tier2");
        assert_eq!(slack_tier("http://127.0.0.1:9/api/users.lookupByEmail"), "tier3");
        assert_eq!(slack_tier("https://slack.com/api/users.info?user=U1"), "tier4");
    }

    #[tokio::test]
    async fn a_budget_too_small_for_the_requests_in_flight_pauses_until_its_reset() {
        let pacer = Pacer::new("github", None);
        let _a = pacer.ready("https://api.github.com/a").await;
        let b = pacer.ready("https://api.github.com/b").await;
        let reset = (chrono::Utc::now() + chrono::Duration::seconds(30)).timestamp();
        pacer.answered(&headers(&[("x-ratelimit-remaining", "1".into()), ("x-ratelimit-reset", reset.to_string())]));
        drop(b);
        let paused = pacer.paused_until.lock().unwrap().expect("paused");
        assert!(paused > Instant::now() + Duration::from_secs(25), "waits for the reset");
        let plenty = Pacer::new("github", None);
        let _c = plenty.ready("https://api.github.com/c").await;
        plenty.answered(&headers(&[("x-ratelimit-remaining", "4000".into()), ("x-ratelimit-reset", reset.to_string())]));
        assert!(plenty.paused_until.lock().unwrap().is_none(), "a budget left is no reason to wait");
    }

    #[tokio::test]
    async fn a_refusal_paces_at_what_was_accepted_and_each_further_one_lowers_it() {
        let pacer = Pacer::new("jira", None);
        for _ in 0..10 {
            let _r = pacer.ready("https://x.atlassian.net/rest/api/3/myself").await;
            pacer.answered(&HeaderMap::new());
        }
        assert_eq!(pacer.learned_rate(), None, "no refusal, no pacing");
        pacer.refused();
        assert_eq!(pacer.learned_rate(), Some(9.0));
        pacer.refused();
        assert!((pacer.learned_rate().unwrap() - 7.2).abs() < 1e-9);
        if let Some(l) = pacer.learned.lock().unwrap().as_mut() {
            l.until = Instant::now();
        }
        assert!(pacer.learned_limiter().is_none(), "the learned rate expires");
    }

    #[tokio::test]
    async fn bitbucket_near_its_limit_spreads_the_hourly_quota() {
        let pacer = Pacer::new("bitbucket", None);
        let _r = pacer.ready("https://api.bitbucket.org/2.0/user").await;
        pacer.answered(&headers(&[("x-ratelimit-nearlimit", "true".into())]));
        let rate = pacer.learned_rate().unwrap();
        assert!((rate - 1000.0 / 3600.0).abs() < 1e-9);
    }
}
