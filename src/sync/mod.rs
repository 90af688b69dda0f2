//! The sync engine (spec "Sync Process"): for each declared link in scope, validate it
//! upstream, fetch only through active links, store rows keyed on their external ids (writing
//! only what changed), and update the link's metadata. One folder per connector, each with a
//! small client, the platform's DTOs, a paginated collect step and a pure convert step.

pub mod accounts;
pub mod authors;
pub mod bitbucket;
pub mod engine;
pub mod events;
pub mod github;
pub mod gitlab;
pub mod jira;
pub mod metrics;
pub mod prepare;
pub mod projects;
pub mod repo;
pub mod report;
pub mod slack;
pub mod worker;

pub use engine::{finish, run, start, Options, Scope, Started};
pub use report::RunReport;

use chrono::{DateTime, Utc};

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error("cannot reach {url}: {message}")]
    Unreachable { url: String, message: String },
    #[error("not sending credentials to {url}: {reason}")]
    Insecure { url: String, reason: String },
    #[error("{url} answered {status}: {snippet}")]
    Status {
        url: String,
        status: u16,
        snippet: String,
    },
    #[error("{url} sent JSON we cannot read ({message}): {snippet}")]
    Decode {
        url: String,
        message: String,
        snippet: String,
    },
    #[error("{url}: {message}")]
    Convert { url: String, message: String },
    #[error("{0}")]
    NotFound(String),
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    /// The run would have invalidated most of a connection's links at once.
    #[error("{0}")]
    Refused(String),
    #[error("a sync of {scope} is already running{}; wait for it to finish", run_id.map(|id| format!(" (run {id})")).unwrap_or_default())]
    Busy { scope: String, run_id: Option<i64> },
}

/// The upstream's failure as a run reports it: a list gone part-way is a link's entity gone, a
/// runaway list one the run could not convert.
impl From<crate::upstream::HttpError> for SyncError {
    fn from(e: crate::upstream::HttpError) -> Self {
        use crate::upstream::HttpError;
        match e {
            HttpError::Unreachable { url, message } => SyncError::Unreachable { url, message },
            HttpError::Insecure { url, reason } => SyncError::Insecure { url, reason },
            HttpError::Status { url, status, snippet } => SyncError::Status { url, status, snippet },
            HttpError::Decode { url, message, snippet } => SyncError::Decode { url, message, snippet },
            HttpError::Gone { url } => SyncError::NotFound(format!("{url} answered 404")),
            HttpError::TooManyPages { url, pages } => SyncError::Convert { url, message: format!("more than {pages} pages") },
        }
    }
}

impl SyncError {
    /// Worth another attempt: the network, a truncated body, rate limits and server errors.
    pub fn is_transient(&self) -> bool {
        match self {
            SyncError::Unreachable { .. } | SyncError::Decode { .. } => true,
            SyncError::Status { status, .. } => *status == 429 || *status >= 500,
            _ => false,
        }
    }

    /// The URL of an upstream failure, for the run's error list.
    pub fn url(&self) -> Option<&str> {
        match self {
            SyncError::Unreachable { url, .. }
            | SyncError::Insecure { url, .. }
            | SyncError::Status { url, .. }
            | SyncError::Decode { url, .. }
            | SyncError::Convert { url, .. } => Some(url),
            _ => None,
        }
    }
}

/// Upstream timestamps: RFC 3339, or Jira's `2021-01-17T12:34:00.000+0000`.
pub(crate) fn parse_time(text: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(text)
        .or_else(|_| DateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f%z"))
        .map(|d| d.with_timezone(&Utc))
        .map_err(|e| format!("bad timestamp '{text}': {e}"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn parses_upstream_timestamps() {
        let jira = super::parse_time("2021-01-17T12:34:00.000+0000").unwrap();
        assert_eq!(jira, super::parse_time("2021-01-17T12:34:00Z").unwrap());
        assert!(super::parse_time("yesterday").is_err());
    }
}
