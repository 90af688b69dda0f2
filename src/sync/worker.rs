//! Several instances on one PostgreSQL: a queued run is split into work items (one per
//! project-side link, one per connection for its account links) that any worker claims with
//! `FOR UPDATE SKIP LOCKED` under a lease it renews while working. A worker that dies stops
//! renewing; once its lease expires another worker takes the item over, and since a link's
//! cursors move only after its rows are stored, the redo ends in the same state. The worker that
//! finishes a run's last item records the run.

use super::engine::{self, sync_one, Options, Scope};
use super::prepare::{prepare, Prepared};
use crate::upstream::client::{Limits, Stats, Upstreams};
use super::report::RunReport;
use super::authors::Authors;
use super::{accounts, SyncError};
use crate::store::sync_links::{self, SyncLink};
use crate::store::sync_work::{self, WorkItem};
use crate::store::{connections, sync_runs};
use sqlx::PgPool;
use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;
use uuid::Uuid;

#[derive(Debug, Clone)]
pub struct WorkerConfig {
    /// Names this worker in claims (host and pid by default).
    pub id: String,
    pub lease: Duration,
    pub limits: Limits,
}

/// Records a run and queues its items for the workers; returns the run id.
pub async fn enqueue(
    pool: &PgPool,
    opts: &Options,
    started_by: Option<Uuid>,
) -> Result<i64, SyncError> {
    let started = engine::start(pool, opts, started_by).await?;
    let links: Vec<SyncLink> = sync_links::links(pool, started.project, started.person)
        .await?
        .into_iter()
        .filter(|l| l.active && opts.scope.covers(l))
        .collect();
    let mut items: Vec<(Uuid, &str)> = links
        .iter()
        .filter(|l| l.kind != "account")
        .map(|l| (l.id, l.kind))
        .collect();
    let mut account_connections: Vec<Uuid> = links
        .iter()
        .filter(|l| l.kind == "account")
        .map(|l| l.connection_id)
        .collect();
    account_connections.sort();
    account_connections.dedup();
    items.extend(account_connections.into_iter().map(|c| (c, "accounts")));
    if items.is_empty() {
        let report = RunReport {
            run_id: started.run_id,
            status: "succeeded".into(),
            ..RunReport::default()
        };
        engine::record(pool, &report).await?;
    } else {
        sync_work::enqueue(pool, started.run_id, &items).await?;
    }
    let run_id = started.run_id;
    // Queued: the items are the workers' now, so the scope is free for the next run.
    started.release().await;
    Ok(run_id)
}

/// Works items until none can be claimed, then records the runs whose items are all done.
/// Returns the number of items this worker finished.
pub async fn drain(pool: &PgPool, cfg: &WorkerConfig) -> Result<usize, SyncError> {
    let mut done = 0;
    while let Some(item) = sync_work::claim(pool, &cfg.id, cfg.lease.as_secs_f64()).await? {
        work(pool, cfg, &item).await?;
        done += 1;
    }
    close_finished_runs(pool).await?;
    Ok(done)
}

/// Queues an incremental run for every connection whose interval has passed; returns the runs.
pub async fn schedule(pool: &PgPool) -> Result<Vec<i64>, SyncError> {
    let mut runs = Vec::new();
    for connection in crate::store::sync_schedule::claim_due(pool).await? {
        let opts = Options::new(Scope::Connection(connection), false, "scheduler");
        runs.push(enqueue(pool, &opts, None).await?);
    }
    Ok(runs)
}

/// `velocity worker`: schedule what is due, drain, wait `poll`, again, until told to stop.
pub async fn run_forever(
    pool: &PgPool,
    cfg: &WorkerConfig,
    poll: Duration,
) -> Result<(), SyncError> {
    loop {
        if let Err(e) = schedule(pool).await {
            tracing::warn!(worker = %cfg.id, error = %e, "scheduling failed; trying again");
        }
        if let Err(e) = drain(pool, cfg).await {
            tracing::warn!(worker = %cfg.id, error = %e, "worker pass failed; trying again");
        }
        tokio::time::sleep(poll).await;
    }
}

async fn work(pool: &PgPool, cfg: &WorkerConfig, item: &WorkItem) -> Result<(), SyncError> {
    // The lease is renewed while the item is worked; a dead worker stops renewing it. A worker
    // that can no longer hold its lease stops the item, since another may take it over.
    let report = tokio::select! {
        report = work_item(pool, cfg, item) => report,
        why = hold_lease(pool, cfg, item) => {
            tracing::warn!(worker = %cfg.id, run_id = item.run_id, item = %item.item_id, why, "stopped the item; another worker redoes it");
            return Ok(());
        }
    };
    let report = report.unwrap_or_else(|e| {
        let mut r = RunReport::default();
        r.error(Some(item.item_id), &e);
        r
    });
    let state = if report.failures().count() == 0 {
        "done"
    } else {
        "failed"
    };
    let json = serde_json::to_value(&report).unwrap_or_default();
    if !sync_work::complete(pool, item, &cfg.id, state, &json).await? {
        tracing::warn!(worker = %cfg.id, run_id = item.run_id, item = %item.item_id, "lost the lease before finishing; another worker redoes it");
    }
    Ok(())
}

async fn work_item(
    pool: &PgPool,
    cfg: &WorkerConfig,
    item: &WorkItem,
) -> Result<RunReport, SyncError> {
    let run = sync_runs::get(pool, item.run_id)
        .await?
        .ok_or_else(|| SyncError::NotFound(format!("no sync run {}", item.run_id)))?;
    let scope = Scope::parse(&run.scope).ok_or_else(|| {
        SyncError::NotFound(format!(
            "run {} has an unknown scope '{}'",
            run.id, run.scope
        ))
    })?;
    let opts = Options {
        limits: cfg.limits,
        ..Options::new(scope, run.full_resync, "worker")
    };
    let started = engine::start_scope(pool, &opts.scope).await?;
    let mine = |l: &SyncLink| {
        if item.kind == "accounts" {
            l.kind == "account" && l.connection_id == item.item_id
        } else {
            l.id == item.item_id
        }
    };
    let stats = Arc::new(Stats::default());
    let clients = Upstreams::new(stats.clone(), cfg.limits);
    let Prepared { todo, ctx, errors, link_changes } = prepare(pool, &opts, &clients, started.0, started.1, mine).await?;
    let mut report = RunReport {
        errors,
        link_changes,
        ..RunReport::default()
    };
    let Some(conn_id) = todo.first().map(|l| l.connection_id) else {
        return Ok(report);
    };
    let Some(conn) = connections::list_connections(pool)
        .await?
        .into_iter()
        .find(|c| c.id == conn_id)
    else {
        return Ok(report);
    };
    let up = clients.get(&conn);
    report.links = todo.len();
    if item.kind == "accounts" {
        let upstreams = HashMap::from([(conn_id, up)]);
        let refs: Vec<&SyncLink> = todo.iter().collect();
        accounts::sync_accounts(&ctx, &upstreams, &refs, &mut report).await;
    } else {
        let authors = Authors::load(pool, [conn_id]).await?.remove(&conn_id).unwrap_or_default();
        for link in &todo {
            let (_, local) = sync_one(&ctx, Some(&up), &authors, link, None).await;
            report.merge(local);
        }
    }
    report.requests = stats.requests.load(Ordering::Relaxed);
    report.retries = stats.retries.load(Ordering::Relaxed);
    report.refused = stats.refused.load(Ordering::Relaxed);
    report.rate_limit_waits = stats.rate_limit_waits.load(Ordering::Relaxed);
    Ok(report)
}

/// Renews the lease every third of its length until it is lost (another worker holds the item)
/// or could not be renewed before running out; a database error in between is tried again.
async fn hold_lease(pool: &PgPool, cfg: &WorkerConfig, item: &WorkItem) -> &'static str {
    let mut renewed = std::time::Instant::now();
    loop {
        tokio::time::sleep(cfg.lease / 3).await;
        match sync_work::renew(pool, item, &cfg.id, cfg.lease.as_secs_f64()).await {
            Ok(true) => renewed = std::time::Instant::now(),
            Ok(false) => return "lost the lease",
            Err(_) if renewed.elapsed() >= cfg.lease => return "the lease ran out",
            Err(e) => {
                tracing::warn!(worker = %cfg.id, error = %e, "lease renewal failed; trying again")
            }
        }
    }
}

/// Records every run whose items are all finished (once: the run row must still be running).
async fn close_finished_runs(pool: &PgPool) -> Result<(), SyncError> {
    for (run_id, reports) in sync_work::finished_runs(pool).await? {
        let mut total = RunReport {
            run_id,
            ..RunReport::default()
        };
        for r in reports {
            if let Ok(r) = serde_json::from_value::<RunReport>(r) {
                total.merge(r);
            }
        }
        // Once per run, after every item: the pass covers all stored commits.
        super::authors::reattribute(pool, &mut total).await;
        total.status = if total.failures().count() == 0 {
            "succeeded"
        } else {
            "failed"
        }
        .into();
        engine::record(pool, &total).await?;
    }
    Ok(())
}
