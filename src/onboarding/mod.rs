//! Onboarding an organisation: preview a connection's directory (its accounts, or its Jira
//! projects and repositories) as the persons and projects they would become, and create the
//! chosen ones. Creating goes through the entity services (validated, audited one by one) and
//! never declares a link: linking stays a person's decision, one suggestion at a time or in
//! bulk review.

pub mod rules;

use crate::domain::directory_import::{DirectoryEntry, DirectoryImportReport, DirectoryPreview, ImportKind, ImportSkip};
use crate::domain::{AccountPlatform, RepoPlatform};
use crate::upstream::catalog;
use crate::links::entities::persons::NewPerson;
use crate::links::entities::projects::NewProject;
use crate::links::{Actor, Links};
use crate::store::connections::{list_connections, Connection};
use std::collections::{BTreeMap, BTreeSet};
use uuid::Uuid;

#[derive(Debug, thiserror::Error)]
pub enum OnboardingError {
    #[error("no connection with id {0}")]
    NotFound(Uuid),
    #[error("the connection '{0}' is disabled; enable it on the Connections page first")]
    Disabled(String),
    #[error("a {kind} connection lists no {what}")]
    Nothing { kind: String, what: &'static str },
    #[error("{connection} did not list its directory: {message}")]
    Upstream { connection: String, message: String },
    #[error("choose at least one entry to import")]
    NothingChosen,
    #[error(transparent)]
    Store(#[from] sqlx::Error),
}

async fn enabled_connection(links: &Links, id: Uuid) -> Result<Connection, OnboardingError> {
    let conn = list_connections(&links.pool).await?.into_iter().find(|c| c.id == id).ok_or(OnboardingError::NotFound(id))?;
    if !conn.enabled {
        return Err(OnboardingError::Disabled(conn.name));
    }
    Ok(conn)
}

/// What the connection's directory would bring in, ticked as `rules` decides.
pub async fn preview(links: &Links, connection_id: Uuid, kind: ImportKind) -> Result<DirectoryPreview, OnboardingError> {
    let conn = enabled_connection(links, connection_id).await?;
    let upstream_failed = |e: crate::upstream::HttpError| OnboardingError::Upstream { connection: conn.name.clone(), message: e.to_string() };
    let entries = match kind {
        ImportKind::People => {
            let platform: AccountPlatform = conn.kind.parse().map_err(|_| OnboardingError::Nothing { kind: conn.kind.clone(), what: "accounts" })?;
            let accounts = catalog::accounts(&links.upstream(&conn), platform).await.map_err(upstream_failed)?;
            let existing: BTreeMap<String, String> = crate::store::persons::list_persons(&links.pool).await?.into_iter().map(|p| (p.email.to_lowercase(), p.name)).collect();
            rules::people(&accounts, &existing)
        }
        ImportKind::Projects => {
            let (jira, repos) = match conn.kind.as_str() {
                "jira" => (catalog::jira_projects(&links.upstream(&conn)).await.map_err(upstream_failed)?, Vec::new()),
                other => match other.parse::<RepoPlatform>() {
                    Ok(platform) => (Vec::new(), catalog::repositories(&links.upstream(&conn), platform).await.map_err(upstream_failed)?),
                    Err(_) => return Err(OnboardingError::Nothing { kind: conn.kind.clone(), what: "projects or repositories" }),
                },
            };
            let existing: BTreeSet<String> = crate::store::projects::list_projects(&links.pool).await?.into_iter().map(|p| p.key).collect();
            rules::projects(&jira, &repos, &existing)
        }
    };
    Ok(DirectoryPreview { kind, connection_name: conn.name, entries })
}

/// Creates the chosen entries (by external id) as the preview shows them now, one by one: each
/// is its own audited write, and one that cannot be created is reported, not fatal.
pub async fn import(links: &Links, connection_id: Uuid, kind: ImportKind, chosen: &[String], actor: Actor) -> Result<DirectoryImportReport, OnboardingError> {
    if chosen.is_empty() {
        return Err(OnboardingError::NothingChosen);
    }
    let current = preview(links, connection_id, kind).await?;
    let by_id: BTreeMap<&str, &DirectoryEntry> = current.entries.iter().map(|e| (e.external_id.as_str(), e)).collect();
    let mut report = DirectoryImportReport::default();
    let mut done: BTreeSet<&str> = BTreeSet::new();
    for id in chosen {
        if !done.insert(id.as_str()) {
            continue;
        }
        let skip = |reason: String| ImportSkip { external_id: id.clone(), reason };
        let Some(entry) = by_id.get(id.as_str()) else {
            report.skipped.push(skip(format!("{} no longer lists it", current.connection_name)));
            continue;
        };
        if !entry.importable {
            report.skipped.push(skip(entry.reasons.join("; ")));
            continue;
        }
        let created = match kind {
            ImportKind::People => {
                let new = NewPerson { name: entry.name.clone(), email: entry.email.clone().unwrap_or_default(), active: Some(true) };
                links.create_person(&new, actor).await.map(|p| format!("{} <{}>", p.name, p.email))
            }
            ImportKind::Projects => {
                let new = NewProject { key: entry.key.clone().unwrap_or_default(), name: entry.name.clone(), description: None, lead_person_id: None };
                links.create_project(&new, actor).await.map(|p| format!("{} {}", p.key, p.name))
            }
        };
        match created {
            Ok(label) => report.created.push(label),
            Err(crate::links::entities::EntityError::Store(s)) => return Err(OnboardingError::Store(s)),
            Err(e) => report.skipped.push(skip(e.to_string())),
        }
    }
    Ok(report)
}
