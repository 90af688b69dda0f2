//! For `velocity bench sync`: empty the synced tables, and store commits with a plain `COPY`
//! (the baseline the engine's upserts are compared with).

use super::synced::{CommitRow, Origin};
use sqlx::postgres::PgPoolCopyExt;
use sqlx::PgPool;

pub async fn clear_commits(pool: &PgPool) -> Result<(), sqlx::Error> {
    sqlx::query!("delete from commits")
        .execute(pool)
        .await
        .map(|_| ())
}

/// COPY's text format: backslash escapes, `\N` for null.
fn field(v: Option<&str>) -> String {
    match v {
        None => "\\N".into(),
        Some(s) => s
            .replace('\\', "\\\\")
            .replace('\t', "\\t")
            .replace('\n', "\\n")
            .replace('\r', "\\r"),
    }
}

pub async fn copy_commits(
    pool: &PgPool,
    batches: &[(Origin, String, Vec<CommitRow>)],
) -> Result<u64, sqlx::Error> {
    let mut copy = pool
        .copy_in_raw("copy commits (connection_id, velocity_project_id, repository_link_id, repo_external_id, sha, author_account_id, author_name, author_email, message, committed_at) from stdin")
        .await?;
    let mut buf = String::new();
    for (o, repo, rows) in batches {
        for r in rows {
            let line = [
                o.connection_id.to_string(),
                o.entity_id.to_string(),
                o.link_id.to_string(),
                field(Some(repo)),
                field(Some(&r.sha)),
                field(r.author_account_id.as_deref()),
                field(r.author_name.as_deref()),
                field(r.author_email.as_deref()),
                field(Some(&r.message)),
                r.committed_at.to_rfc3339(),
            ]
            .join("\t");
            buf.push_str(&line);
            buf.push('\n');
        }
        if buf.len() > 1 << 20 {
            copy.send(std::mem::take(&mut buf).into_bytes()).await?;
        }
    }
    if !buf.is_empty() {
        copy.send(buf.into_bytes()).await?;
    }
    copy.finish().await
}
