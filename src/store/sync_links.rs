//! The links a sync run works through, with the flags the run needs (active, verified) and the
//! link metadata it writes back (spec "Update Link Metadata").

use chrono::{DateTime, Utc};
use sqlx::PgPool;
use uuid::Uuid;

use super::link_upstream::StoredLink;

/// One live link of any kind, as the sync engine sees it.
#[derive(Debug, Clone)]
pub struct SyncLink {
    pub id: Uuid,
    /// "jira", "repository" or "account".
    pub kind: &'static str,
    pub owner_id: Uuid,
    pub owner_label: String,
    pub connection_id: Uuid,
    pub platform: String,
    pub external_id: String,
    pub handle: Option<String>,
    pub name: Option<String>,
    pub active: bool,
    pub verified: bool,
}

/// Validation works on the same rows without the sync-only `active` flag.
impl From<&SyncLink> for StoredLink {
    fn from(l: &SyncLink) -> Self {
        StoredLink {
            id: l.id,
            kind: l.kind,
            owner_id: l.owner_id,
            owner_label: l.owner_label.clone(),
            connection_id: l.connection_id,
            platform: l.platform.clone(),
            external_id: l.external_id.clone(),
            handle: l.handle.clone(),
            name: l.name.clone(),
            verified: l.verified,
        }
    }
}

/// Live links in scope: a project's Jira and repository links, a person's account links, or all.
pub async fn links(
    pool: &PgPool,
    project: Option<Uuid>,
    person: Option<Uuid>,
) -> Result<Vec<SyncLink>, sqlx::Error> {
    let mut out = Vec::new();
    if person.is_none() {
        out.extend(jira_links(pool, project).await?);
        out.extend(repository_links(pool, project).await?);
    }
    if project.is_none() {
        out.extend(account_links(pool, person).await?);
    }
    Ok(out)
}

/// A project's live Jira links, or all of them.
pub async fn jira_links(pool: &PgPool, project: Option<Uuid>) -> Result<Vec<SyncLink>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"
            select l.id, l.project_id, p.key as project_key, l.connection_id, l.jira_project_id, l.key, l.name, l.active, l.verified
            from jira_project_links l join projects p on p.id = l.project_id
            where l.deleted_at is null and ($1::uuid is null or l.project_id = $1)
            order by l.id
            "#,
        project
    )
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|r| SyncLink {
        id: r.id,
        kind: "jira",
        owner_id: r.project_id,
        owner_label: r.project_key,
        connection_id: r.connection_id,
        platform: "jira".into(),
        external_id: r.jira_project_id,
        handle: Some(r.key),
        name: Some(r.name),
        active: r.active,
        verified: r.verified,
    }).collect())
}

/// A project's live repository links, or all of them.
pub async fn repository_links(pool: &PgPool, project: Option<Uuid>) -> Result<Vec<SyncLink>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"
            select l.id, l.project_id, p.key as project_key, l.connection_id, l.platform, l.external_id, l.slug, l.name, l.active, l.verified
            from repository_links l join projects p on p.id = l.project_id
            where l.deleted_at is null and ($1::uuid is null or l.project_id = $1)
            order by l.id
            "#,
        project
    )
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|r| SyncLink {
        id: r.id,
        kind: "repository",
        owner_id: r.project_id,
        owner_label: r.project_key,
        connection_id: r.connection_id,
        platform: r.platform,
        external_id: r.external_id,
        handle: Some(r.slug),
        name: Some(r.name),
        active: r.active,
        verified: r.verified,
    }).collect())
}

/// A person's live account links, or all of them.
pub async fn account_links(pool: &PgPool, person: Option<Uuid>) -> Result<Vec<SyncLink>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"
            select l.id, l.person_id, p.name as person_name, l.connection_id, l.platform, l.external_id, l.username, l.display_name, l.active, l.verified
            from external_account_links l
            join persons p on p.id = l.person_id
            where l.deleted_at is null and ($1::uuid is null or l.person_id = $1)
            order by l.id
            "#,
        person
    )
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|r| SyncLink {
        id: r.id,
        kind: "account",
        owner_id: r.person_id,
        // People read a person's name; the audit log keys the entry by `owner_id`.
        owner_label: r.person_name,
        connection_id: r.connection_id,
        platform: r.platform,
        external_id: r.external_id,
        handle: r.username,
        name: r.display_name,
        active: r.active,
        verified: r.verified,
    }).collect())
}

/// Active account links of every person on a connection: (external id → (person, link)).
pub async fn active_accounts(
    pool: &PgPool,
    connection_id: Uuid,
) -> Result<Vec<(String, Uuid, Uuid)>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"
        select external_id, person_id, id from external_account_links
        where connection_id = $1 and active and deleted_at is null
        order by id
        "#,
        connection_id
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.external_id, r.person_id, r.id))
        .collect())
}

/// Issue counts come from the live issues stored through the link (an incremental pass sees
/// only what changed).
pub async fn jira_link_synced(
    pool: &PgPool,
    id: Uuid,
    at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        r#"
        update jira_project_links l set verified = true, last_synced = $2,
            open_issues = (select count(*)::int from issues i where i.jira_project_link_id = l.id and i.deleted_at is null and i.status_category <> 'done'),
            total_issues = (select count(*)::int from issues i where i.jira_project_link_id = l.id and i.deleted_at is null)
        where l.id = $1
        "#,
        id,
        at
    )
    .execute(pool)
    .await
    .map(|_| ())
}

/// `last_commit` is the newest commit stored through this link.
pub async fn repository_link_synced(
    pool: &PgPool,
    id: Uuid,
    default_branch: Option<&str>,
    at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        r#"
        update repository_links set verified = true, default_branch = $2, last_synced = $3,
            last_commit = (select max(committed_at) from commits where repository_link_id = $1)
        where id = $1
        "#,
        id,
        default_branch,
        at
    )
    .execute(pool)
    .await
    .map(|_| ())
}

/// `last_seen` is the newest activity stored for the account: a worklog started, a commit or a
/// pull request it authored, or (Slack) the profile's own update time.
pub async fn account_link_synced(
    pool: &PgPool,
    id: Uuid,
    seen_upstream: Option<DateTime<Utc>>,
    at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        r#"
        update external_account_links l set verified = true, last_synced = $3,
            last_seen = greatest(
                $2::timestamptz,
                (select max(w.started) from worklogs w where w.jira_account_link_id = l.id and w.deleted_at is null),
                (select max(c.committed_at) from commits c where c.connection_id = l.connection_id and c.author_account_id = l.external_id),
                (select max(p.updated) from pull_requests p where p.connection_id = l.connection_id and p.author_account_id = l.external_id and p.deleted_at is null))
        where l.id = $1
        "#,
        id,
        seen_upstream,
        at
    )
    .execute(pool)
    .await
    .map(|_| ())
}

/// Live links by kind and health (active and verified, active but unverified, inactive).
pub async fn link_health(pool: &PgPool) -> Result<Vec<(String, String, i64)>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"
        select kind as "kind!", state as "state!", count(*) as "count!" from (
            select 'jira' as kind, active, verified from jira_project_links where deleted_at is null
            union all select 'repository', active, verified from repository_links where deleted_at is null
            union all select 'account', active, verified from external_account_links where deleted_at is null
        ) l, lateral (select case when not active then 'inactive' when verified then 'active_verified' else 'active_unverified' end as state) s
        group by kind, state order by kind, state
        "#
    )
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|r| (r.kind, r.state, r.count)).collect())
}
