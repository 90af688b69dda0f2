//! Slack connector: every user of the workspace through `users.list` cursors, for the account
//! links' `lastSeen` (Slack's profile update time) and `verified`.

pub mod dto;

use crate::upstream::client::{Page, Upstream};
use crate::upstream::paging::{walk, MAX_PAGES};
use super::SyncError;
use chrono::{DateTime, Utc};
use std::collections::HashMap;

/// Live (not deleted) users: id → last profile update.
pub async fn users(up: &Upstream) -> Result<HashMap<String, Option<DateTime<Utc>>>, SyncError> {
    let first = format!("{}/api/users.list?limit=200", up.base());
    let base = first.clone();
    let mut failure = None;
    let users = walk(up, first, &[], MAX_PAGES, |p: Page<dto::UsersPage>, url| {
        if !p.body.ok {
            failure = Some(SyncError::Status {
                url: url.to_owned(),
                status: 200,
                snippet: format!("ok: false, error: {}", p.body.error.unwrap_or_default()),
            });
            return (Vec::new(), None);
        }
        let next = p
            .body
            .response_metadata
            .and_then(|m| m.next_cursor)
            .filter(|c| !c.is_empty());
        (
            p.body.members,
            next.map(|c| format!("{base}&cursor={}", crate::upstream::lookup::path_segment(&c))),
        )
    })
    .await?;
    if let Some(e) = failure {
        return Err(e);
    }
    Ok(users
        .into_iter()
        .filter(|u| !u.deleted)
        .map(|u| (u.id, u.updated.and_then(|s| DateTime::from_timestamp(s, 0))))
        .collect())
}
