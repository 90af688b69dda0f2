//! Open suggestions whose external entity another Velocity entity links: the evidence says it
//! belongs here, a link says it belongs there. Shown on the link health page.

use crate::domain::health::SuggestionConflict;
use sqlx::PgPool;

pub async fn open_suggestion_conflicts(pool: &PgPool) -> Result<Vec<SuggestionConflict>, sqlx::Error> {
    sqlx::query_as!(
        SuggestionConflict,
        r#"
        select s.id as "suggestion_id!", s.target_type as "target_type!", s.target_id as "target_id!",
               coalesce(tp.key, tpe.name) as "target_label!", s.label as "label!", s.platform as "platform!",
               s.score as "score!", h.holder as "holder!"
        from suggestions s
        join lateral (
            select p.key as holder
            from jira_project_links l join projects p on p.id = l.project_id
            where l.deleted_at is null and l.connection_id = s.connection_id and l.jira_project_id = s.external_id
              and l.project_id <> s.target_id
            union all
            select p.key
            from repository_links l join projects p on p.id = l.project_id
            where l.deleted_at is null and l.connection_id = s.connection_id and l.external_id = s.external_id
              and l.project_id <> s.target_id
            union all
            select pe.name
            from external_account_links l join persons pe on pe.id = l.person_id
            where l.deleted_at is null and l.connection_id = s.connection_id and l.external_id = s.external_id
              and l.person_id <> s.target_id
        ) h on true
        left join projects tp on s.target_type = 'project' and tp.id = s.target_id
        left join persons tpe on s.target_type = 'person' and tpe.id = s.target_id
        where s.status = 'open'
        order by s.target_type, 4, s.score desc, s.id
        "#
    )
    .fetch_all(pool)
    .await
}
