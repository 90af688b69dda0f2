//! Slack Web API `users.list` shapes, only the fields the sync reads.

use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct UsersPage {
    pub ok: bool,
    pub error: Option<String>,
    #[serde(default)]
    pub members: Vec<User>,
    pub response_metadata: Option<Metadata>,
}

#[derive(Debug, Deserialize)]
pub struct Metadata {
    pub next_cursor: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct User {
    pub id: String,
    #[serde(default)]
    pub deleted: bool,
    /// Epoch seconds of the profile's last change.
    pub updated: Option<i64>,
}
