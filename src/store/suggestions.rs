//! `suggestions`: link suggestions as they were shown, with the person's verdict (open,
//! accepted, dismissed). A dismissed row keeps the score and rules it had when it was
//! dismissed, so "did the evidence change materially?" compares against what the person saw.

use serde_json::Value;
use sqlx::PgConnection;
use uuid::Uuid;

/// A stored suggestion; `project_key` is set for project targets (the audit names projects by key).
#[derive(Debug, Clone)]
pub struct StoredRow {
    pub id: Uuid,
    pub target_type: String,
    pub target_id: Uuid,
    pub project_key: Option<String>,
    pub connection_id: Uuid,
    pub external_id: String,
    pub platform: String,
    pub label: String,
    pub score: f64,
    pub rules: Vec<String>,
    pub evidence: Value,
    pub status: String,
}

/// What to write for one computed suggestion.
pub struct Upsert<'a> {
    pub target_type: &'a str,
    pub target_id: Uuid,
    pub connection_id: Uuid,
    pub external_id: &'a str,
    pub platform: &'a str,
    pub label: &'a str,
    pub look_alike: bool,
    pub score: f64,
    pub rules: &'a [String],
    pub evidence: Value,
}

/// (id, status, score, rules) of every stored suggestion of one target, locked until the
/// transaction ends so two concurrent computations cannot both reopen the same row.
pub async fn lock_for_target(tx: &mut PgConnection, target_type: &str, target_id: Uuid) -> Result<Vec<(Uuid, Uuid, String, String, f64, Vec<String>)>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"
        select id, connection_id, external_id, status, score, rules
        from suggestions
        where target_type = $1 and target_id = $2
        order by id
        for update
        "#,
        target_type,
        target_id
    )
    .fetch_all(tx)
    .await?;
    Ok(rows.into_iter().map(|r| (r.id, r.connection_id, r.external_id, r.status, r.score, r.rules)).collect())
}

/// Inserts a new suggestion or refreshes an existing one with the new evidence and `status`;
/// answers its id.
pub async fn upsert(tx: &mut PgConnection, u: &Upsert<'_>, status: &str) -> Result<Uuid, sqlx::Error> {
    sqlx::query_scalar!(
        r#"
        insert into suggestions (target_type, target_id, connection_id, external_id, platform, label, look_alike, score, rules, evidence, status)
        values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
        on conflict (target_type, target_id, connection_id, external_id) do update
        set platform = excluded.platform, label = excluded.label, look_alike = excluded.look_alike, score = excluded.score,
            rules = excluded.rules, evidence = excluded.evidence, status = excluded.status, updated_at = now()
        returning id
        "#,
        u.target_type,
        u.target_id,
        u.connection_id,
        u.external_id,
        u.platform,
        u.label,
        u.look_alike,
        u.score,
        u.rules,
        u.evidence,
        status
    )
    .fetch_one(tx)
    .await
}

/// One suggestion with its project key, locked for the verdict.
pub async fn lock_by_id(tx: &mut PgConnection, id: Uuid) -> Result<Option<StoredRow>, sqlx::Error> {
    sqlx::query_as!(
        StoredRow,
        r#"
        select s.id, s.target_type, s.target_id, p.key as "project_key?", s.connection_id, s.external_id, s.platform,
               s.label, s.score, s.rules, s.evidence, s.status
        from suggestions s
        left join projects p on s.target_type = 'project' and p.id = s.target_id
        where s.id = $1
        for update of s
        "#,
        id
    )
    .fetch_optional(tx)
    .await
}

/// Records the person's verdict.
pub async fn set_status(tx: &mut PgConnection, id: Uuid, status: &str) -> Result<(), sqlx::Error> {
    sqlx::query!("update suggestions set status = $2, updated_at = now() where id = $1", id, status).execute(tx).await.map(|_| ())
}
