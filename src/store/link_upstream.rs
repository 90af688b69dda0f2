//! What link validation reads and writes: each live link's stable id and mutable upstream
//! fields, and the update after checking them upstream.

use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

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

pub async fn jira_links(pool: &PgPool, project: Option<Uuid>) -> Result<Vec<StoredLink>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"
        select l.id, l.project_id, p.key as project_key, l.connection_id, l.jira_project_id, l.key, l.name, l.verified
        from jira_project_links l join projects p on p.id = l.project_id
        where l.deleted_at is null and ($1::uuid is null or l.project_id = $1)
        order by l.id
        "#,
        project
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| StoredLink { id: r.id, kind: "jira", owner_id: r.project_id, owner_label: r.project_key, connection_id: r.connection_id, platform: "jira".into(), external_id: r.jira_project_id, handle: Some(r.key), name: Some(r.name), verified: r.verified })
        .collect())
}

pub async fn repository_links(pool: &PgPool, project: Option<Uuid>) -> Result<Vec<StoredLink>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"
        select l.id, l.project_id, p.key as project_key, l.connection_id, l.platform, l.external_id, l.slug, l.name, l.verified
        from repository_links l join projects p on p.id = l.project_id
        where l.deleted_at is null and ($1::uuid is null or l.project_id = $1)
        order by l.id
        "#,
        project
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| StoredLink { id: r.id, kind: "repository", owner_id: r.project_id, owner_label: r.project_key, connection_id: r.connection_id, platform: r.platform, external_id: r.external_id, handle: Some(r.slug), name: Some(r.name), verified: r.verified })
        .collect())
}

pub async fn account_links(pool: &PgPool, person: Option<Uuid>) -> Result<Vec<StoredLink>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"
        select l.id, l.person_id, l.connection_id, l.platform, l.external_id, l.username, l.display_name, l.verified
        from external_account_links l
        where l.deleted_at is null and ($1::uuid is null or l.person_id = $1)
        order by l.id
        "#,
        person
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| StoredLink { id: r.id, kind: "account", owner_id: r.person_id, owner_label: r.person_id.to_string(), connection_id: r.connection_id, platform: r.platform, external_id: r.external_id, handle: r.username, name: r.display_name, verified: r.verified })
        .collect())
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
