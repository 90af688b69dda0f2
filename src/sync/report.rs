//! What a run did, as recorded in `sync_runs` and returned to the CLI and the API.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use uuid::Uuid;

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EntityCount {
    /// Rows read from upstream.
    pub fetched: u64,
    /// Rows inserted or changed (unchanged rows are not written).
    pub written: u64,
    /// Rows marked deleted because upstream no longer has them.
    pub deleted: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RunError {
    pub link_id: Option<Uuid>,
    pub url: Option<String>,
    pub message: String,
    /// A fault that a retry got past (recorded, not fatal).
    #[serde(default)]
    pub retried: bool,
}

/// A link the run's validation changed: a rename taken, an invalidation, a link back.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LinkChangeNote {
    pub link_id: Uuid,
    /// `renamed`, `invalidated` or `reverified`.
    pub outcome: String,
    pub message: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct RunReport {
    pub run_id: i64,
    pub status: String,
    pub links: usize,
    pub requests: u64,
    pub retries: u64,
    /// Requests upstream refused for its rate limit.
    pub refused: u64,
    pub rate_limit_waits: u64,
    pub rows_written: u64,
    /// Per entity: issues, worklogs, commits, pullRequests.
    pub counts: BTreeMap<String, EntityCount>,
    pub errors: Vec<RunError>,
    pub link_changes: Vec<LinkChangeNote>,
}

impl RunReport {
    pub fn add(&mut self, entity: &str, fetched: usize, written: u64, deleted: u64) {
        let c = self.counts.entry(entity.to_owned()).or_default();
        c.fetched += fetched as u64;
        c.written += written;
        c.deleted += deleted;
        self.rows_written += written + deleted;
    }

    pub fn error(&mut self, link_id: Option<Uuid>, e: &super::SyncError) {
        self.push_error(link_id, e, false);
    }

    /// A fault whose work was done another way in the same run (recorded, not a failure).
    pub fn retried_error(&mut self, link_id: Option<Uuid>, e: &super::SyncError) {
        self.push_error(link_id, e, true);
    }

    fn push_error(&mut self, link_id: Option<Uuid>, e: &super::SyncError, retried: bool) {
        self.errors.push(RunError {
            link_id,
            url: e.url().map(str::to_owned),
            message: e.to_string(),
            retried,
        });
    }

    /// Adds what one link's step did.
    pub fn merge(&mut self, other: RunReport) {
        for (entity, c) in other.counts {
            let mine = self.counts.entry(entity).or_default();
            mine.fetched += c.fetched;
            mine.written += c.written;
            mine.deleted += c.deleted;
        }
        self.rows_written += other.rows_written;
        self.requests += other.requests;
        self.retries += other.retries;
        self.refused += other.refused;
        self.rate_limit_waits += other.rate_limit_waits;
        self.links += other.links;
        self.errors.extend(other.errors);
        self.link_changes.extend(other.link_changes);
    }

    /// Errors that ended a link or the run (not faults a retry got past).
    pub fn failures(&self) -> impl Iterator<Item = &RunError> {
        self.errors.iter().filter(|e| !e.retried)
    }
}
