//! How long upstream asks us to wait: `Retry-After` (seconds or an HTTP date), else the reset
//! time of an exhausted rate limit (`X-RateLimit-Reset` as Jira's ISO 8601 or GitHub's epoch
//! seconds, only when `x-ratelimit-remaining` is 0).

use chrono::{DateTime, NaiveDateTime, Utc};
use reqwest::header::HeaderMap;
use std::time::Duration;

pub fn wait_from_headers(headers: &HeaderMap, now: DateTime<Utc>) -> Option<Duration> {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
    };
    if let Some(v) = header("retry-after").or_else(|| header("beta-retry-after")) {
        if let Ok(secs) = v.parse::<u64>() {
            return Some(Duration::from_secs(secs));
        }
        if let Ok(at) = DateTime::parse_from_rfc2822(v) {
            return Some(until(now, at.with_timezone(&Utc)));
        }
    }
    if header("x-ratelimit-remaining") != Some("0") {
        return None;
    }
    Some(until(now, reset_time(header("x-ratelimit-reset")?)?))
}

/// What a successful answer says is left of a rate-limit window.
#[derive(Debug, PartialEq, Eq)]
pub struct Budget {
    pub remaining: u64,
    pub resets_in: Duration,
}

/// GitHub's and Jira's `X-RateLimit-Remaining`/`-Reset`, GitLab's `RateLimit-Remaining`/`-Reset`.
pub fn budget(headers: &HeaderMap, now: DateTime<Utc>) -> Option<Budget> {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::trim);
    let (remaining, reset) = match header("x-ratelimit-remaining") {
        Some(r) => (r, header("x-ratelimit-reset")?),
        None => (header("ratelimit-remaining")?, header("ratelimit-reset")?),
    };
    Some(Budget { remaining: remaining.parse().ok()?, resets_in: until(now, reset_time(reset)?) })
}

/// Jira's and Bitbucket's warning that less than a fifth of the quota is left.
pub fn near_limit(headers: &HeaderMap) -> bool {
    headers.get("x-ratelimit-nearlimit").and_then(|v| v.to_str().ok()).is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
}

/// A reset time as epoch seconds (GitHub, GitLab) or ISO 8601 (Jira, to the minute).
fn reset_time(reset: &str) -> Option<DateTime<Utc>> {
    match reset.parse::<i64>() {
        Ok(epoch) => DateTime::from_timestamp(epoch, 0),
        Err(_) => DateTime::parse_from_rfc3339(reset)
            .map(|d| d.with_timezone(&Utc))
            .ok()
            .or_else(|| NaiveDateTime::parse_from_str(reset, "%Y-%m-%dT%H:%MZ").ok().map(|n| n.and_utc())),
    }
}

fn until(now: DateTime<Utc>, at: DateTime<Utc>) -> Duration {
    (at - now).to_std().unwrap_or(Duration::ZERO)
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::{HeaderName, HeaderValue};

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        pairs
            .iter()
            .map(|(k, v)| {
                (
                    HeaderName::from_static(k),
                    HeaderValue::from_str(v).unwrap(),
                )
            })
            .collect()
    }

    #[test]
    fn reads_each_platforms_headers() {
        let now = DateTime::parse_from_rfc3339("2026-01-01T10:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(
            wait_from_headers(&headers(&[("retry-after", "3")]), now),
            Some(Duration::from_secs(3))
        );
        let github = headers(&[
            ("x-ratelimit-remaining", "0"),
            ("x-ratelimit-reset", &(now.timestamp() + 5).to_string()),
        ]);
        assert_eq!(
            wait_from_headers(&github, now),
            Some(Duration::from_secs(5))
        );
        let jira = headers(&[
            ("x-ratelimit-remaining", "0"),
            ("x-ratelimit-reset", "2026-01-01T10:01Z"),
        ]);
        assert_eq!(wait_from_headers(&jira, now), Some(Duration::from_secs(60)));
        // Budget left: the reset time is no reason to wait.
        assert_eq!(
            wait_from_headers(
                &headers(&[("x-ratelimit-remaining", "10"), ("x-ratelimit-reset", "1")]),
                now
            ),
            None
        );
        assert_eq!(wait_from_headers(&headers(&[]), now), None);
    }

    #[test]
    fn reads_the_budget_left_and_the_near_limit_warning() {
        let now = DateTime::parse_from_rfc3339("2026-01-01T10:00:00Z").unwrap().with_timezone(&Utc);
        let reset = (now.timestamp() + 7).to_string();
        let gitlab = headers(&[("ratelimit-remaining", "3"), ("ratelimit-reset", &reset)]);
        assert_eq!(budget(&gitlab, now), Some(Budget { remaining: 3, resets_in: Duration::from_secs(7) }));
        let github = headers(&[("x-ratelimit-remaining", "0"), ("x-ratelimit-reset", &reset)]);
        assert_eq!(budget(&github, now).map(|b| b.remaining), Some(0));
        assert_eq!(budget(&headers(&[("x-ratelimit-remaining", "3")]), now), None, "no reset, no budget");
        assert!(near_limit(&headers(&[("x-ratelimit-nearlimit", "true")])));
        assert!(!near_limit(&headers(&[("x-ratelimit-nearlimit", "false")])));
    }
}
