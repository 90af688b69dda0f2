//! Link validation (spec "Link Validation"): check each stored link upstream by its stable id.
//! Gone upstream → `verified = false` (its data is kept); renamed (key, slug, username) → the
//! link takes the new name; back again → verified. Every change is audited; upstream failures
//! are reported per link and change nothing, since a failed call proves nothing.
//!
//! Its own module, on `upstream` and `store` only: the link services (`POST /api/links/validate`)
//! and the sync engine (before every run) both validate, and neither calls the other for it.

use crate::domain::actor::Actor;
use crate::upstream::lookup as upstream;
use crate::upstream::{HttpError, Upstreams};
use crate::domain::{AccountPlatform, RepoPlatform};
use crate::store::audit::{self, NewEntry};
use crate::store::connections::{list_connections, Connection};
use crate::store::link_upstream::{self as stored, StoredLink};
use serde::Serialize;
use serde_json::{json, Value};
use std::collections::HashMap;
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[derive(utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Renamed,
    Invalidated,
    Reverified,
}

#[derive(Debug, Clone, Serialize)]
#[derive(utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Change {
    pub link_id: Uuid,
    pub kind: &'static str,
    pub owner: String,
    pub outcome: Outcome,
    #[schema(value_type = Object)]
    pub before: Value,
    #[schema(value_type = Object)]
    pub after: Value,
}

#[derive(Debug, Clone, Serialize)]
#[derive(utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LinkFailure {
    pub link_id: Uuid,
    pub message: String,
}

#[derive(Debug, Clone, Default, Serialize)]
#[derive(utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    pub checked: usize,
    pub unchanged: usize,
    pub changes: Vec<Change>,
    pub errors: Vec<LinkFailure>,
}

/// Which links to check.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    pub project: Option<Uuid>,
    pub person: Option<Uuid>,
}

/// What upstream says now: (exists, handle, name, url).
type Seen = Option<(Option<String>, Option<String>, String)>;

/// Validates through a set of connection clients (the link services' own, or a sync run's, so
/// the look-ups share its retries, pacing and request counts).
pub struct Validator<'a> {
    pub pool: &'a sqlx::PgPool,
    pub upstreams: &'a Upstreams,
}

impl Validator<'_> {
    /// The links of a scope, active or not.
    pub async fn validate(&self, scope: Scope, actor: Actor) -> Result<Report, sqlx::Error> {
        let mut links = Vec::new();
        if scope.person.is_none() {
            links.extend(stored::jira_links(self.pool, scope.project).await?);
            links.extend(stored::repository_links(self.pool, scope.project).await?);
        }
        if scope.project.is_none() {
            links.extend(stored::account_links(self.pool, scope.person).await?);
        }
        self.validate_links(links, actor).await
    }

    /// Validates these links (the sync engine passes only the active ones it will fetch).
    pub async fn validate_links(&self, links: Vec<StoredLink>, actor: Actor) -> Result<Report, sqlx::Error> {
        let connections: HashMap<Uuid, Connection> = list_connections(self.pool).await?.into_iter().map(|c| (c.id, c)).collect();
        let mut report = Report { checked: links.len(), ..Report::default() };
        for link in links {
            let Some(conn) = connections.get(&link.connection_id) else { continue };
            if !conn.enabled {
                report.errors.push(LinkFailure { link_id: link.id, message: format!("the connection '{}' is disabled: its links are not checked or synced until an admin enables it", conn.name) });
                continue;
            }
            match self.look_up(conn, &link).await {
                Err(e) => report.errors.push(LinkFailure { link_id: link.id, message: e.to_string() }),
                Ok(seen) => match self.apply(&link, seen, actor).await? {
                    Some(change) => report.changes.push(change),
                    None => report.unchanged += 1,
                },
            }
        }
        Ok(report)
    }

    async fn look_up(&self, conn: &Connection, link: &StoredLink) -> Result<Seen, HttpError> {
        let parse_err = || HttpError::Status { url: conn.base_url.clone(), status: 0, snippet: format!("unknown platform '{}'", link.platform) };
        Ok(match link.kind {
            "jira" => upstream::jira_project(&self.upstreams.get(conn), &link.external_id).await?.map(|p| (Some(p.key), Some(p.name), p.url)),
            "repository" => {
                let platform: RepoPlatform = link.platform.parse().map_err(|_| parse_err())?;
                upstream::repository(&self.upstreams.get(conn), platform, &link.external_id).await?.map(|r| (Some(r.slug), Some(r.name), r.url))
            }
            _ => {
                let platform: AccountPlatform = link.platform.parse().map_err(|_| parse_err())?;
                upstream::account(&self.upstreams.get(conn), platform, &link.external_id)
                    .await?
                    .map(|a| (a.username.or(link.handle.clone()), a.display_name.or(link.name.clone()), String::new()))
            }
        })
    }

    async fn apply(&self, link: &StoredLink, seen: Seen, actor: Actor) -> Result<Option<Change>, sqlx::Error> {
        let before = json!({"handle": link.handle, "name": link.name, "verified": link.verified});
        let (outcome, after) = match &seen {
            None if link.verified => (Outcome::Invalidated, json!({"handle": link.handle, "name": link.name, "verified": false})),
            None => return Ok(None),
            Some((handle, name, _)) => {
                let after = json!({"handle": handle, "name": name, "verified": true});
                if *handle != link.handle || *name != link.name {
                    (Outcome::Renamed, after)
                } else if !link.verified {
                    (Outcome::Reverified, after)
                } else {
                    return Ok(None);
                }
            }
        };
        let mut tx = self.pool.begin().await?;
        match (&seen, link.kind) {
            (None, kind) => stored::set_verified(&mut tx, kind, link.id, false).await?,
            (Some((handle, name, url)), "jira") => stored::update_jira_link(&mut tx, link.id, handle.as_deref().unwrap_or(""), name.as_deref().unwrap_or(""), url, true).await?,
            (Some((handle, name, url)), "repository") => stored::update_repository_link(&mut tx, link.id, handle.as_deref().unwrap_or(""), name.as_deref().unwrap_or(""), url, true).await?,
            (Some((handle, name, _)), _) => stored::update_account_link(&mut tx, link.id, handle.as_deref(), name.as_deref(), true).await?,
        }
        let entity_type = if link.kind == "account" { "person" } else { "project" };
        let action = match outcome {
            Outcome::Renamed => "link.renamed",
            Outcome::Invalidated => "link.invalidated",
            Outcome::Reverified => "link.reverified",
        };
        audit::record(&mut tx, NewEntry { actor_id: actor.person_id, action, entity_type, entity_id: link.owner_label.clone(), link_id: Some(link.id), source: actor.source.as_str(), before: Some(before.clone()), after: Some(after.clone()) }).await?;
        tx.commit().await?;
        Ok(Some(Change { link_id: link.id, kind: link.kind, owner: link.owner_label.clone(), outcome, before, after }))
    }
}
