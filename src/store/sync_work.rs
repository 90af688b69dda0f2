//! `sync_work`: items of queued runs, claimed with `FOR UPDATE SKIP LOCKED` under a lease, so
//! no item is worked by two live workers and a dead worker's items are taken over.

use serde_json::Value;
use sqlx::PgPool;
use uuid::Uuid;

#[derive(Debug, Clone)]
pub struct WorkItem {
    pub run_id: i64,
    pub item_id: Uuid,
    pub kind: String,
    pub attempts: i32,
}

pub async fn enqueue(pool: &PgPool, run_id: i64, items: &[(Uuid, &str)]) -> Result<(), sqlx::Error> {
    let ids: Vec<Uuid> = items.iter().map(|(id, _)| *id).collect();
    let kinds: Vec<String> = items.iter().map(|(_, k)| (*k).to_owned()).collect();
    sqlx::query!(
        "insert into sync_work (run_id, item_id, kind) select $1, * from unnest($2::uuid[], $3::text[]) on conflict do nothing",
        run_id,
        &ids,
        &kinds
    )
    .execute(pool)
    .await
    .map(|_| ())
}

/// Claims the oldest pending item whose lease is free or expired.
pub async fn claim(pool: &PgPool, worker: &str, lease_secs: f64) -> Result<Option<WorkItem>, sqlx::Error> {
    let row = sqlx::query!(
        r#"
        update sync_work w set claimed_by = $1, lease_until = now() + make_interval(secs => $2), attempts = w.attempts + 1
        from (
            select run_id, item_id from sync_work
            where state = 'pending' and (lease_until is null or lease_until < now())
            order by run_id, kind, item_id
            limit 1
            for update skip locked
        ) next
        where w.run_id = next.run_id and w.item_id = next.item_id
        returning w.run_id, w.item_id, w.kind, w.attempts
        "#,
        worker,
        lease_secs
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| WorkItem { run_id: r.run_id, item_id: r.item_id, kind: r.kind, attempts: r.attempts }))
}

/// Extends a lease this worker still holds; false when it lost the item.
pub async fn renew(pool: &PgPool, item: &WorkItem, worker: &str, lease_secs: f64) -> Result<bool, sqlx::Error> {
    let n = sqlx::query!(
        "update sync_work set lease_until = now() + make_interval(secs => $4) where run_id = $1 and item_id = $2 and claimed_by = $3 and state = 'pending'",
        item.run_id,
        item.item_id,
        worker,
        lease_secs
    )
    .execute(pool)
    .await?
    .rows_affected();
    Ok(n == 1)
}

pub async fn complete(pool: &PgPool, item: &WorkItem, worker: &str, state: &str, report: &Value) -> Result<bool, sqlx::Error> {
    let n = sqlx::query!(
        "update sync_work set state = $4, report = $5, finished_at = now() where run_id = $1 and item_id = $2 and claimed_by = $3 and state = 'pending'",
        item.run_id,
        item.item_id,
        worker,
        state,
        report
    )
    .execute(pool)
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// Runs still marked running whose items are all finished: (run id, every item's report).
pub async fn finished_runs(pool: &PgPool) -> Result<Vec<(i64, Vec<Value>)>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"
        select r.id, coalesce(array_agg(w.report) filter (where w.report is not null), '{}') as "reports!"
        from sync_runs r join sync_work w on w.run_id = r.id
        where r.status = 'running'
        group by r.id
        having bool_and(w.state <> 'pending')
        order by r.id
        "#
    )
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|r| (r.id, r.reports)).collect())
}

/// Items of one run: (item, kind, state, attempts, claimed by).
pub async fn items(pool: &PgPool, run_id: i64) -> Result<Vec<(Uuid, String, String, i32, Option<String>)>, sqlx::Error> {
    let rows = sqlx::query!("select item_id, kind, state, attempts, claimed_by from sync_work where run_id = $1 order by item_id", run_id).fetch_all(pool).await?;
    Ok(rows.into_iter().map(|r| (r.item_id, r.kind, r.state, r.attempts, r.claimed_by)).collect())
}
