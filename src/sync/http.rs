//! One HTTP client per connection: credentials, time-outs, request and retry counts, and
//! retries of what is worth retrying (429 with `Retry-After`, 5xx, time-outs, resets). Bodies
//! are decoded into the connector's DTOs here, so a malformed page is an error carrying its URL
//! and a snippet, never a half-read page.

use super::SyncError;
use crate::store::connections::Connection;
use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// Attempts per request before the error counts.
const ATTEMPTS: u32 = 6;
/// The longest wait we accept from `Retry-After` before giving up on the page.
const MAX_WAIT: Duration = Duration::from_secs(60);

#[derive(Debug, Default)]
pub struct Stats {
    pub requests: AtomicU64,
    pub retries: AtomicU64,
}

#[derive(Clone)]
pub struct Upstream {
    http: reqwest::Client,
    pub conn: Connection,
    pub stats: Arc<Stats>,
}

/// A decoded page with the headers that carry paging (`Link`, `x-next-page`).
pub struct Page<T> {
    pub body: T,
    pub headers: HeaderMap,
}

fn snippet(body: &str) -> String {
    body.chars().take(200).collect()
}

impl Upstream {
    pub fn new(conn: Connection, stats: Arc<Stats>) -> Upstream {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(20))
            .connect_timeout(Duration::from_secs(5))
            .user_agent("velocity-sync")
            .build()
            .unwrap_or_default();
        Upstream { http, conn, stats }
    }

    pub fn base(&self) -> &str {
        self.conn.base_url.trim_end_matches('/')
    }

    fn request(&self, method: Method, url: &str) -> reqwest::RequestBuilder {
        let rb = self.http.request(method, url);
        match (self.conn.kind.as_str(), &self.conn.credentials) {
            ("jira", Some(c)) => rb.basic_auth(c.email.as_deref().unwrap_or(""), Some(&c.token)),
            ("gitlab", Some(c)) => rb.header("PRIVATE-TOKEN", &c.token),
            (_, Some(c)) => rb.bearer_auth(&c.token),
            (_, None) => rb,
        }
    }

    /// GET and decode; `Ok(None)` for 404 (and the statuses in `absent`).
    pub async fn get<T: DeserializeOwned>(
        &self,
        url: &str,
        absent: &[u16],
    ) -> Result<Option<Page<T>>, SyncError> {
        self.send(Method::GET, url, None, absent).await
    }

    pub async fn post<T: DeserializeOwned>(
        &self,
        url: &str,
        body: &serde_json::Value,
    ) -> Result<Page<T>, SyncError> {
        self.send(Method::POST, url, Some(body), &[])
            .await?
            .ok_or_else(|| SyncError::Status {
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
    ) -> Result<Option<Page<T>>, SyncError> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            self.stats.requests.fetch_add(1, Ordering::Relaxed);
            let mut rb = self.request(method.clone(), url);
            if let Some(b) = body {
                rb = rb.json(b);
            }
            let outcome = match rb.send().await {
                Err(e) => Err((
                    SyncError::Unreachable {
                        url: url.to_owned(),
                        message: e.to_string(),
                    },
                    None,
                )),
                Ok(response) => read(url, response, absent).await,
            };
            match outcome {
                Ok(page) => return Ok(page),
                Err((e, wait)) if attempt < ATTEMPTS && e.is_transient() => {
                    self.stats.retries.fetch_add(1, Ordering::Relaxed);
                    tokio::time::sleep(wait.unwrap_or_else(|| backoff(attempt)).min(MAX_WAIT))
                        .await;
                }
                Err((e, _)) => return Err(e),
            }
        }
    }
}

type Failure = (SyncError, Option<Duration>);

async fn read<T: DeserializeOwned>(
    url: &str,
    response: reqwest::Response,
    absent: &[u16],
) -> Result<Option<Page<T>>, Failure> {
    let status = response.status();
    let headers = response.headers().clone();
    let text = response.text().await.map_err(|e| {
        (
            SyncError::Unreachable {
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
        return Err((
            SyncError::Status {
                url: url.to_owned(),
                status: status.as_u16(),
                snippet: snippet(&text),
            },
            wait,
        ));
    }
    match serde_json::from_str(&text) {
        Ok(body) => Ok(Some(Page { body, headers })),
        Err(e) => Err((
            SyncError::Decode {
                url: url.to_owned(),
                message: e.to_string(),
                snippet: snippet(&text),
            },
            None,
        )),
    }
}

/// Exponential back-off with jitter: 100 ms × 2^attempt, plus up to half of that at random.
fn backoff(attempt: u32) -> Duration {
    let base = 100u64.saturating_mul(1 << attempt.min(8));
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    Duration::from_millis(base + u64::from(nanos) % (base / 2 + 1))
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
pub fn same_host(up: &Upstream, url: &str) -> Result<(), SyncError> {
    if url
        .strip_prefix(up.base())
        .is_some_and(|rest| rest.starts_with('/') || rest.starts_with('?'))
    {
        Ok(())
    } else {
        Err(SyncError::Decode {
            url: url.to_owned(),
            message: "the next page is on another host".into(),
            snippet: snippet(url),
        })
    }
}
