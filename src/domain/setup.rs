//! How far an organisation's onboarding has come, as the getting-started page counts it.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Progress {
    pub connections: i64,
    pub connections_tested_ok: i64,
    /// Active persons.
    pub persons: i64,
    /// Active projects.
    pub projects: i64,
    pub open_suggestions: i64,
    pub active_links: i64,
}
