//! What link validation reads and writes: each live link's stable id and mutable upstream
//! fields, and the update after checking them upstream.

use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use super::sync_links;

/// A live link as validation sees it (the three link kinds in one shape).
#[derive(Debug, Clone)]
pub struct StoredLink {
    pub id: Uuid,
    pub kind: &'static str,
    pub owner_id: Uuid,
    pub owner_label: String,
    pub connection_id: Uuid,
    pub platform: String,
    pub external_id: String,
    /// Key / slug / username.
    pub handle: Option<String>,
    pub name: Option<String>,
    pub verified: bool,
}

// The rows are the sync engine's (one query per link table, in `sync_links`).
pub async fn jira_links(pool: &PgPool, project: Option<Uuid>) -> Result<Vec<StoredLink>, sqlx::Error> {
    Ok(sync_links::jira_links(pool, project).await?.iter().map(StoredLink::from).collect())
}

pub async fn repository_links(pool: &PgPool, project: Option<Uuid>) -> Result<Vec<StoredLink>, sqlx::Error> {
    Ok(sync_links::repository_links(pool, project).await?.iter().map(StoredLink::from).collect())
}

pub async fn account_links(pool: &PgPool, person: Option<Uuid>) -> Result<Vec<StoredLink>, sqlx::Error> {
    Ok(sync_links::account_links(pool, person).await?.iter().map(StoredLink::from).collect())
}

pub async fn update_jira_link(tx: &mut PgConnection, id: Uuid, key: &str, name: &str, url: &str, verified: bool) -> Result<(), sqlx::Error> {
    sqlx::query!("update jira_project_links set key = $2, name = $3, url = $4, verified = $5 where id = $1", id, key, name, url, verified)
        .execute(tx)
        .await
        .map(|_| ())
}

pub async fn update_repository_link(tx: &mut PgConnection, id: Uuid, slug: &str, name: &str, url: &str, verified: bool) -> Result<(), sqlx::Error> {
    sqlx::query!("update repository_links set slug = $2, name = $3, url = $4, verified = $5 where id = $1", id, slug, name, url, verified)
        .execute(tx)
        .await
        .map(|_| ())
}

pub async fn update_account_link(tx: &mut PgConnection, id: Uuid, username: Option<&str>, display_name: Option<&str>, verified: bool) -> Result<(), sqlx::Error> {
    sqlx::query!("update external_account_links set username = $2, display_name = $3, verified = $4 where id = $1", id, username, display_name, verified)
        .execute(tx)
        .await
        .map(|_| ())
}

pub async fn set_verified(tx: &mut PgConnection, kind: &str, id: Uuid, verified: bool) -> Result<(), sqlx::Error> {
    match kind {
        "jira" => sqlx::query!("update jira_project_links set verified = $2 where id = $1", id, verified).execute(tx).await?,
        "repository" => sqlx::query!("update repository_links set verified = $2 where id = $1", id, verified).execute(tx).await?,
        _ => sqlx::query!("update external_account_links set verified = $2 where id = $1", id, verified).execute(tx).await?,
    };
    Ok(())
}
