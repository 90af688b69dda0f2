//! GitLab REST v4 shapes, only the fields the sync reads.

use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct Project {
    pub default_branch: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct Commit {
    pub id: String,
    pub author_name: Option<String>,
    pub author_email: Option<String>,
    pub committed_date: String,
    pub message: String,
}

#[derive(Debug, Deserialize)]
pub struct MergeRequest {
    pub iid: i64,
    pub title: String,
    pub state: String,
    pub created_at: String,
    pub updated_at: String,
    /// Null unless merged.
    pub merged_at: Option<String>,
    pub author: Option<Account>,
    pub source_branch: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct Account {
    pub id: i64,
}
