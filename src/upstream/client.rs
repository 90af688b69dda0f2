//! One HTTP client per connection: credentials, time-outs, a bound on requests in flight, and
//! retries of what is worth retrying (429/403 rate limits after the wait the headers ask for,
//! 5xx, time-outs, resets, truncated bodies) with exponential back-off and jitter. Bodies are
//! decoded into the connector's DTOs here, so a malformed page is an error carrying its URL and
//! a snippet, never a half-read page.
//!
//! Requests in flight are bounded with a tokio `Semaphore` per connection; their rate is paced
//! by the connection's `Pacer` (`super::pacing`) from its cap, the platform's quotas and what
//! upstream's headers and refusals say.

use super::pacing::Pacer;
use super::HttpError;
use crate::store::connections::Connection;
use reqwest::header::HeaderMap;
use secrecy::ExposeSecret;
use reqwest::{Method, RequestBuilder, StatusCode};
use serde::de::DeserializeOwned;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::Semaphore;
use tokio::time::Instant;

/// The longest wait we accept from `Retry-After` before trying again anyway.
const MAX_WAIT: Duration = Duration::from_secs(60);

/// What a run's requests did, for `sync_runs` and `/metrics`.
#[derive(Debug, Default)]
pub struct Stats {
    pub requests: AtomicU64,
    pub retries: AtomicU64,
    /// Requests upstream refused for its rate limit (429, or 403 with rate-limit headers).
    pub refused: AtomicU64,
    pub rate_limit_waits: AtomicU64,
    /// Requests answered with status class (2xx, 4xx, 5xx) or "error" (no answer), per connector.
    pub by_status: Mutex<std::collections::BTreeMap<(String, String), u64>>,
    /// Pages that came back malformed (URL, message with a snippet), retried or not.
    pub malformed: Mutex<Vec<(String, String)>>,
}

impl Stats {
    fn answered(&self, connector: &str, status: &str) {
        let mut m = self.by_status.lock().unwrap_or_else(|e| e.into_inner());
        *m.entry((connector.to_owned(), status.to_owned()))
            .or_insert(0) += 1;
    }
}

/// Per-connection limits a run sets.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub concurrency: usize,
    pub timeout: Duration,
    /// Attempts per request before its error counts.
    pub attempts: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            concurrency: 4,
            timeout: Duration::from_secs(20),
            attempts: 8,
        }
    }
}

#[derive(Clone)]
pub struct Upstream {
    http: reqwest::Client,
    pub conn: Connection,
    pub stats: Arc<Stats>,
    permits: Arc<Semaphore>,
    attempts: u32,
    pacer: Arc<Pacer>,
}

/// A decoded page with the headers that carry paging (`Link`, `x-next-page`).
pub struct Page<T> {
    pub body: T,
    pub headers: HeaderMap,
}

fn snippet(body: &str) -> String {
    body.chars().take(200).collect()
}

/// Redirects followed within one origin (a renamed repository answers 301): never to another
/// origin, where the connection's credentials would follow — reqwest drops `Authorization`
/// there but not GitLab's `PRIVATE-TOKEN`.
const MAX_REDIRECTS: usize = 5;

/// The client every connection's requests go through.
pub fn client(timeout: Duration) -> reqwest::Client {
    let same_origin = reqwest::redirect::Policy::custom(|attempt| {
        let origin = attempt.previous().first().map(|u| u.origin());
        if attempt.previous().len() > MAX_REDIRECTS || origin != Some(attempt.url().origin()) {
            attempt.stop()
        } else {
            attempt.follow()
        }
    });
    reqwest::Client::builder()
        .timeout(timeout)
        .connect_timeout(Duration::from_secs(5).min(timeout))
        .redirect(same_origin)
        .user_agent("velocity")
        .build()
        .unwrap_or_default()
}

/// One `Upstream` per connection, made on first use and shared by every caller of the set —
/// link checks, catalog listings and a run's data pages alike — so they share its retries,
/// its bound on requests in flight, the pause an upstream asked for, and its counts.
#[derive(Clone)]
pub struct Upstreams {
    http: reqwest::Client,
    stats: Arc<Stats>,
    limits: Limits,
    by_connection: Arc<Mutex<std::collections::HashMap<uuid::Uuid, Upstream>>>,
}

impl Upstreams {
    pub fn new(stats: Arc<Stats>, limits: Limits) -> Upstreams {
        Upstreams { http: client(limits.timeout), stats, limits, by_connection: Arc::default() }
    }

    /// This connection's client; made anew when its address or credentials changed.
    pub fn get(&self, conn: &Connection) -> Upstream {
        let mut map = self.by_connection.lock().unwrap_or_else(|e| e.into_inner());
        match map.get(&conn.id) {
            Some(up) if same_endpoint(&up.conn, conn) => up.clone(),
            _ => {
                let up = Upstream::with_client(self.http.clone(), conn.clone(), self.stats.clone(), self.limits);
                map.insert(conn.id, up.clone());
                up
            }
        }
    }

    pub fn stats(&self) -> &Arc<Stats> {
        &self.stats
    }
}

fn same_endpoint(a: &Connection, b: &Connection) -> bool {
    let credentials = match (&a.credentials, &b.credentials) {
        (Some(x), Some(y)) => x.email == y.email && x.token.expose_secret() == y.token.expose_secret(),
        (None, None) => true,
        _ => false,
    };
    a.kind == b.kind && a.base_url == b.base_url && a.scope == b.scope && a.max_requests_per_second == b.max_requests_per_second && credentials
}

/// The request with the connection's credentials.
pub fn authed(rb: RequestBuilder, conn: &Connection) -> RequestBuilder {
    match (conn.kind.as_str(), conn.auth_mode.as_str(), &conn.credentials) {
        (_, "basic", Some(c)) => rb.basic_auth(c.email.as_deref().unwrap_or(""), Some(c.token.expose_secret())),
        ("gitlab", _, Some(c)) => rb.header("PRIVATE-TOKEN", c.token.expose_secret()),
        (_, _, Some(c)) => rb.bearer_auth(c.token.expose_secret()),
        (_, _, None) => rb,
    }
}

/// Refuses a request that would carry the connection's credentials somewhere they must not go
/// (`crate::upstream::policy`): checked on every request, whatever built its URL.
fn may_carry_credentials(url: &str) -> Result<(), HttpError> {
    let parsed = reqwest::Url::parse(url).map_err(|e| HttpError::Insecure { url: url.to_owned(), reason: format!("not a URL ({e})") })?;
    match crate::upstream::policy::refuse_credentials_to(&parsed, crate::upstream::policy::allow_http()) {
        None => Ok(()),
        Some(reason) => Err(HttpError::Insecure { url: url.to_owned(), reason }),
    }
}

impl Upstream {
    pub fn new(conn: Connection, stats: Arc<Stats>, limits: Limits) -> Upstream {
        Upstream::with_client(client(limits.timeout), conn, stats, limits)
    }

    /// On an existing client (the link services' single look-ups share theirs).
    pub fn with_client(
        http: reqwest::Client,
        conn: Connection,
        stats: Arc<Stats>,
        limits: Limits,
    ) -> Upstream {
        let permits = Arc::new(Semaphore::new(limits.concurrency.max(1)));
        Upstream {
            http,
            stats,
            permits,
            attempts: limits.attempts.max(1),
            pacer: Arc::new(Pacer::new(&conn.kind, conn.max_requests_per_second)),
            conn,
        }
    }

    pub fn base(&self) -> &str {
        self.conn.base_url.trim_end_matches('/')
    }

    /// GET and decode; `Ok(None)` for 404 (and the statuses in `absent`).
    pub async fn get<T: DeserializeOwned>(
        &self,
        url: &str,
        absent: &[u16],
    ) -> Result<Option<Page<T>>, HttpError> {
        self.send(Method::GET, url, None, absent).await
    }

    pub async fn post<T: DeserializeOwned>(
        &self,
        url: &str,
        body: &serde_json::Value,
    ) -> Result<Page<T>, HttpError> {
        self.send(Method::POST, url, Some(body), &[])
            .await?
            .ok_or_else(|| HttpError::Status {
                url: url.to_owned(),
                status: 404,
                snippet: String::new(),
            })
    }

    async fn send<T: DeserializeOwned>(
        &self,
        method: Method,
        url: &str,
        body: Option<&serde_json::Value>,
        absent: &[u16],
    ) -> Result<Option<Page<T>>, HttpError> {
        may_carry_credentials(url)?;
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|e| HttpError::Unreachable {
                url: url.to_owned(),
                message: e.to_string(),
            })?;
        let mut attempt = 0;
        loop {
            attempt += 1;
            let in_flight = self.pacer.ready(url).await;
            self.stats.requests.fetch_add(1, Ordering::Relaxed);
            let mut rb = authed(self.http.request(method.clone(), url), &self.conn);
            if let Some(b) = body {
                rb = rb.json(b);
            }
            let outcome = match rb.send().await {
                Err(e) => Err((
                    HttpError::Unreachable {
                        url: url.to_owned(),
                        message: with_causes(&e),
                    },
                    None,
                )),
                Ok(response) => {
                    self.stats.answered(
                        &self.conn.kind,
                        &format!("{}xx", response.status().as_u16() / 100),
                    );
                    read(url, response, absent, &self.pacer).await
                }
            };
            drop(in_flight);
            let (e, wait) = match outcome {
                Ok(page) => return Ok(page),
                Err(failure) => failure,
            };
            if matches!(e, HttpError::Unreachable { .. }) {
                self.stats.answered(&self.conn.kind, "error");
            }
            if let HttpError::Decode {
                url,
                message,
                snippet,
            } = &e
            {
                self.stats
                    .malformed
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .push((url.clone(), format!("{message}: {snippet}")));
            }
            let refused = matches!(e, HttpError::Status { status: 429, .. });
            if refused {
                self.stats.refused.fetch_add(1, Ordering::Relaxed);
                self.pacer.refused();
            }
            if attempt >= self.attempts || !e.is_transient() {
                return Err(e);
            }
            self.stats.retries.fetch_add(1, Ordering::Relaxed);
            match wait {
                Some(w) => {
                    self.stats.rate_limit_waits.fetch_add(1, Ordering::Relaxed);
                    self.pacer.pause_until(Instant::now() + w.min(MAX_WAIT));
                }
                None => tokio::time::sleep(backoff(attempt)).await,
            }
        }
    }
}

type Failure = (HttpError, Option<Duration>);

/// reqwest's message with its causes ("error sending request: … Connection refused"): the
/// cause is what a person can act on.
fn with_causes(e: &reqwest::Error) -> String {
    let mut message = e.to_string();
    let mut cause = std::error::Error::source(e);
    while let Some(c) = cause {
        message.push_str(": ");
        message.push_str(&c.to_string());
        cause = c.source();
    }
    message
}

async fn read<T: DeserializeOwned>(
    url: &str,
    response: reqwest::Response,
    absent: &[u16],
    pacer: &Pacer,
) -> Result<Option<Page<T>>, Failure> {
    let status = response.status();
    let headers = response.headers().clone();
    if status.is_success() || status == StatusCode::NOT_FOUND {
        pacer.answered(&headers);
    }
    let text = response.text().await.map_err(|e| {
        (
            HttpError::Unreachable {
                url: url.to_owned(),
                message: e.to_string(),
            },
            None,
        )
    })?;
    if status == StatusCode::NOT_FOUND || absent.contains(&status.as_u16()) {
        return Ok(None);
    }
    if !status.is_success() {
        let wait = super::limits::wait_from_headers(&headers, chrono::Utc::now());
        // A 403 is a rate limit only when the headers say so (GitHub); otherwise it is final.
        let status_code = if status == StatusCode::FORBIDDEN && wait.is_some() {
            429
        } else {
            status.as_u16()
        };
        return Err((
            HttpError::Status {
                url: url.to_owned(),
                status: status_code,
                snippet: snippet(&text),
            },
            wait,
        ));
    }
    match serde_json::from_str(&text) {
        Ok(body) => Ok(Some(Page { body, headers })),
        Err(e) => Err((
            HttpError::Decode {
                url: url.to_owned(),
                message: e.to_string(),
                snippet: snippet(&text),
            },
            None,
        )),
    }
}

/// Exponential back-off with jitter: 100 ms × 2^attempt (capped), plus up to half of that.
fn backoff(attempt: u32) -> Duration {
    use rand::Rng;
    let base = 100u64.saturating_mul(1 << attempt.min(6));
    Duration::from_millis(base + rand::thread_rng().gen_range(0..=base / 2))
}

/// The `rel="next"` URL of a `Link` header (GitHub, GitLab keyset).
pub fn next_link(headers: &HeaderMap) -> Option<String> {
    let value = headers.get("link")?.to_str().ok()?;
    value
        .split(',')
        .find(|part| part.contains("rel=\"next\""))
        .and_then(|part| {
            let start = part.find('<')? + 1;
            let end = part.find('>')?;
            part.get(start..end).map(str::to_owned)
        })
}

/// GitLab's offset paging: the `x-next-page` number, empty on the last page.
pub fn next_page_number(headers: &HeaderMap) -> Option<u32> {
    headers
        .get("x-next-page")?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()
}

/// Refuses a `next` URL on another host: every request carries the connection's credentials.
pub fn same_host(up: &Upstream, url: &str) -> Result<(), HttpError> {
    if crate::upstream::policy::on_connection_origin(up.base(), url) {
        Ok(())
    } else {
        Err(HttpError::Insecure { url: url.to_owned(), reason: "the next page is on another origin than the connection's; not following it with its credentials".into() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn paging_headers() {
        let mut h = HeaderMap::new();
        h.insert(
            "link",
            HeaderValue::from_static(
                "<https://x.test/a?page=3>; rel=\"next\", <https://x.test/a?page=9>; rel=\"last\"",
            ),
        );
        h.insert("x-next-page", HeaderValue::from_static("4"));
        assert_eq!(next_link(&h).as_deref(), Some("https://x.test/a?page=3"));
        assert_eq!(next_page_number(&h), Some(4));
        h.insert("x-next-page", HeaderValue::from_static(""));
        assert_eq!(next_page_number(&h), None);
    }

    #[test]
    fn backoff_grows_and_stays_bounded() {
        assert!(backoff(1) < backoff(4));
        assert!(backoff(30) <= Duration::from_millis(6400 + 3200));
    }
}
