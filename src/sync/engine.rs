//! One sync run over a scope (spec "Sync Flow"): load the links → validate the active ones
//! upstream → fetch only through active, verified links → store keyed on external ids → update
//! link metadata. A link that fails is recorded on the run and keeps its old metadata and
//! cursors; the others go on.

use crate::upstream::client::{Limits, Stats, Upstream, Upstreams};
use super::report::{RunError, RunReport};
use super::authors::Authors;
use super::{accounts, projects, SyncError};
use super::prepare::{prepare, Prepared};
use crate::store::connections::list_connections;
use crate::store::sync_links::SyncLink;
use crate::store::{persons, sync_runs};
use chrono::{DateTime, Duration, Utc};
use futures_util::StreamExt;
use sqlx::PgPool;
use std::collections::{HashMap, HashSet};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use tracing::Instrument;
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    All,
    Project(String),
    Person(Uuid),
    /// Every link on one connection (what the scheduler queues).
    Connection(Uuid),
}

impl Scope {
    /// Whether a link (already narrowed to the scope's project or person) belongs to it.
    pub fn covers(&self, l: &SyncLink) -> bool {
        match self {
            Scope::Connection(c) => l.connection_id == *c,
            _ => true,
        }
    }

    /// The inverse of `label` (how a queued run's scope is stored).
    pub fn parse(label: &str) -> Option<Scope> {
        match label.split_once(':') {
            None if label == "all" => Some(Scope::All),
            Some(("project", key)) => Some(Scope::Project(key.to_owned())),
            Some(("person", id)) => Uuid::parse_str(id).ok().map(Scope::Person),
            Some(("connection", id)) => Uuid::parse_str(id).ok().map(Scope::Connection),
            _ => None,
        }
    }

    pub fn label(&self) -> String {
        match self {
            Scope::All => "all".into(),
            Scope::Project(key) => format!("project:{key}"),
            Scope::Person(id) => format!("person:{id}"),
            Scope::Connection(id) => format!("connection:{id}"),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Options {
    pub scope: Scope,
    /// A full pass: every item listed again, cursors ignored, deletions reconciled.
    pub full: bool,
    /// Who started it: "cli", "api", "ui", "demo", "scheduler", "test".
    pub trigger: String,
    /// How often an incremental pass also lists everything to find upstream deletions of
    /// issues and pull requests (worklog deletions come from their own feed every time).
    pub reconcile_after: Duration,
    /// How often an incremental pass also validates account links (project-side links are
    /// validated on every pass; see `prepare`).
    pub validate_accounts_after: Duration,
    /// Requests in flight per connection, time-out and attempts per request.
    pub limits: Limits,
}

impl Options {
    pub fn new(scope: Scope, full: bool, trigger: &str) -> Options {
        Options {
            scope,
            full,
            trigger: trigger.into(),
            reconcile_after: Duration::hours(6),
            validate_accounts_after: Duration::hours(6),
            limits: Limits::default(),
        }
    }
}

/// Links synced at once (across connections; each connection bounds its own requests).
const LINKS_IN_FLIGHT: usize = 8;
/// The cursor stream that records when a link was last validated.
pub const VALIDATED: &str = "validated";

/// Progress callback: (links done, links in the run, what was just done).
pub type Progress<'a> = &'a (dyn Fn(usize, usize, &str) + Sync);

/// What every link step needs: the pool, the mode, the cursors read at the start.
pub struct Ctx<'a> {
    pub pool: &'a PgPool,
    pub full: bool,
    pub now: DateTime<Utc>,
    reconcile_after: Duration,
    cursors: HashMap<(Uuid, String), String>,
    /// Links renamed by validation this run: their stored keys are stale, so a full pass.
    renamed: HashSet<Uuid>,
}

impl<'a> Ctx<'a> {
    pub(crate) fn new(
        pool: &'a PgPool,
        full: bool,
        reconcile_after: Duration,
        cursors: HashMap<(Uuid, String), String>,
        renamed: HashSet<Uuid>,
    ) -> Ctx<'a> {
        Ctx {
            pool,
            full,
            now: Utc::now(),
            reconcile_after,
            cursors,
            renamed,
        }
    }

    /// The link's cursor, unless this is a full pass for it.
    pub fn cursor(&self, link: Uuid, stream: &str) -> Option<&str> {
        if self.full || self.renamed.contains(&link) {
            return None;
        }
        self.cursors
            .get(&(link, stream.to_owned()))
            .map(String::as_str)
    }

    pub fn cursor_time(&self, link: Uuid, stream: &str) -> Option<DateTime<Utc>> {
        self.cursor(link, stream)
            .and_then(|c| DateTime::parse_from_rfc3339(c).ok())
            .map(|t| t.with_timezone(&Utc))
    }

    /// Whether this pass should list everything to find deletions.
    pub fn reconcile_due(&self, link: Uuid) -> bool {
        self.cursor_time(link, "reconciled")
            .is_none_or(|at| self.now - at >= self.reconcile_after)
    }
}

/// A run recorded as `running`, its scope resolved, holding its scope's lock until it ends.
#[derive(Debug)]
pub struct Started {
    pub run_id: i64,
    pub(crate) project: Option<Uuid>,
    pub(crate) person: Option<Uuid>,
    lock: ScopeLock,
}

impl Started {
    /// Lets the next run of the scope start (a queued run's items are the workers' to do).
    pub(crate) async fn release(self) {
        self.lock.release().await;
    }
}

/// How often a refused start looks for the run holding its scope (20 ms apart).
const BUSY_LOOKS: u32 = 100;

/// A connection of its own holding the scope's advisory lock: released when the run ends, and
/// by PostgreSQL with the connection if the process dies.
#[derive(Debug)]
struct ScopeLock {
    conn: sqlx::PgConnection,
    scope: String,
}

impl ScopeLock {
    async fn take(pool: &PgPool, scope: &str) -> Result<ScopeLock, SyncError> {
        let mut conn = pool.acquire().await?.detach();
        // The holder records its run just after taking the lock and marks it finished just
        // before giving it back: in those instants the lock is held with no running run to
        // name, so look again briefly rather than answer "busy" without the run.
        let mut looks = 0;
        while !sync_runs::try_lock_scope(&mut conn, scope).await? {
            let run_id = sync_runs::running_of_scope(pool, scope).await?;
            looks += 1;
            if run_id.is_some() || looks == BUSY_LOOKS {
                let _ = sqlx::Connection::close(conn).await;
                return Err(SyncError::Busy { scope: scope.to_owned(), run_id });
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        for run_id in sync_runs::fail_abandoned(&mut conn, scope).await? {
            tracing::warn!(run_id, scope, "recorded a run whose process stopped as failed");
        }
        Ok(ScopeLock {
            conn,
            scope: scope.to_owned(),
        })
    }

    async fn release(mut self) {
        if let Err(e) = sync_runs::unlock_scope(&mut self.conn, &self.scope).await {
            tracing::warn!(error = %e, scope = %self.scope, "could not release a sync lock; closing its connection does");
        }
        let _ = sqlx::Connection::close(self.conn).await;
    }
}

/// Checks the scope names something, then records and runs one sync.
pub async fn run(
    pool: &PgPool,
    opts: &Options,
    progress: Progress<'_>,
) -> Result<RunReport, SyncError> {
    let started = start(pool, opts, None).await?;
    finish(pool, started, opts, progress).await
}

/// The project or person a scope names (neither for all); an unknown one is `NotFound`.
pub(crate) async fn start_scope(
    pool: &PgPool,
    scope: &Scope,
) -> Result<(Option<Uuid>, Option<Uuid>), SyncError> {
    Ok(match scope {
        Scope::All | Scope::Connection(_) => (None, None),
        Scope::Project(key) => {
            let id = crate::store::projects::project_id_by_key(pool, key).await?;
            (
                Some(
                    id.ok_or_else(|| SyncError::NotFound(format!("no project with key '{key}'")))?,
                ),
                None,
            )
        }
        Scope::Person(id) => {
            if !persons::person_exists(pool, *id).await? {
                return Err(SyncError::NotFound(format!("no person with id {id}")));
            }
            (None, Some(*id))
        }
    })
}

/// Checks the scope names something, takes its lock (one run of a scope at a time: `Busy`
/// otherwise; runs left running by a process that died are recorded as failed) and records the
/// run (the API answers with it at once).
pub async fn start(
    pool: &PgPool,
    opts: &Options,
    started_by: Option<Uuid>,
) -> Result<Started, SyncError> {
    let (project, person) = start_scope(pool, &opts.scope).await?;
    let lock = ScopeLock::take(pool, &opts.scope.label()).await?;
    let run_id = sync_runs::start(
        pool,
        &opts.scope.label(),
        opts.full,
        &opts.trigger,
        started_by,
    )
    .await?;
    Ok(Started {
        run_id,
        project,
        person,
        lock,
    })
}

/// Runs a started sync to its end, publishing progress events, and records the outcome.
pub async fn finish(
    pool: &PgPool,
    started: Started,
    opts: &Options,
    progress: Progress<'_>,
) -> Result<RunReport, SyncError> {
    let Started {
        run_id,
        project,
        person,
        lock,
    } = started;
    let clock = std::time::Instant::now();
    let events = super::events::open(run_id);
    let publish = |done: usize, total: usize, what: &str| {
        events.progress(done, total, what);
        progress(done, total, what);
    };
    let progress: Progress<'_> = &publish;
    let span =
        tracing::info_span!("sync_run", run_id, scope = %opts.scope.label(), full = opts.full);
    let mut report = RunReport {
        run_id,
        ..RunReport::default()
    };
    let stats = Arc::new(Stats::default());
    if let Err(e) = execute(pool, opts, project, person, &stats, &mut report, progress)
        .instrument(span)
        .await
    {
        report.error(None, &e);
    }
    report.requests = stats.requests.load(Ordering::Relaxed);
    report.retries = stats.retries.load(Ordering::Relaxed);
    report.refused = stats.refused.load(Ordering::Relaxed);
    report.rate_limit_waits = stats.rate_limit_waits.load(Ordering::Relaxed);
    // Malformed pages are recorded even when a retry then read them.
    let malformed = std::mem::take(&mut *stats.malformed.lock().unwrap_or_else(|e| e.into_inner()));
    report
        .errors
        .extend(malformed.into_iter().map(|(url, message)| RunError {
            link_id: None,
            url: Some(url),
            message: format!("malformed JSON: {message}"),
            retried: true,
        }));
    report.status = if report.errors.iter().all(|e| e.retried) {
        "succeeded"
    } else {
        "failed"
    }
    .into();
    super::metrics::record_run(&report, &stats, clock.elapsed());
    let recorded = record(pool, &report).await;
    lock.release().await;
    events.finished(&report.status);
    recorded?;
    tracing::info!(status = %report.status, rows_written = report.rows_written, requests = report.requests, "sync run finished");
    Ok(report)
}

pub(crate) async fn record(pool: &PgPool, report: &RunReport) -> Result<bool, SyncError> {
    let counts = serde_json::to_value(&report.counts).unwrap_or_default();
    let errors = serde_json::to_value(&report.errors).unwrap_or_default();
    let link_changes = serde_json::to_value(&report.link_changes).unwrap_or_default();
    let clamp = |n: u64| n.min(i32::MAX as u64) as i32;
    let finish = sync_runs::Finish {
        status: &report.status,
        links: clamp(report.links as u64),
        requests: clamp(report.requests),
        retries: clamp(report.retries),
        refused: clamp(report.refused),
        link_changes: &link_changes,
        rows_written: clamp(report.rows_written),
        counts: &counts,
        errors: &errors,
        error: report.errors.first().map(|e| e.message.as_str()),
    };
    Ok(sync_runs::finish(pool, report.run_id, &finish).await?)
}

async fn execute(
    pool: &PgPool,
    opts: &Options,
    project: Option<Uuid>,
    person: Option<Uuid>,
    stats: &Arc<Stats>,
    report: &mut RunReport,
    progress: Progress<'_>,
) -> Result<(), SyncError> {
    let clients = Upstreams::new(stats.clone(), opts.limits);
    let Prepared { todo, ctx, errors, link_changes } =
        prepare(pool, opts, &clients, project, person, |l| opts.scope.covers(l)).await?;
    report.errors.extend(errors);
    for change in &link_changes {
        progress(0, todo.len(), &change.message);
    }
    report.link_changes.extend(link_changes);
    report.links = todo.len();
    let upstreams: HashMap<Uuid, Upstream> = list_connections(pool)
        .await?
        .into_iter()
        .map(|c| (c.id, clients.get(&c)))
        .collect();
    let authors = Authors::load(pool, upstreams.keys().copied()).await?;
    let mut issues = projects::changed_issues(&ctx, &upstreams, &todo, report).await;
    let no_authors = Authors::default();
    let total = todo.len();
    // Links run side by side; each connection's semaphore bounds its requests in flight.
    let steps: Vec<_> = todo
        .iter()
        .filter(|l| l.kind != "account")
        .map(|link| {
            let fetched = issues.remove(&link.id);
            sync_one(
                &ctx,
                upstreams.get(&link.connection_id),
                authors.get(&link.connection_id).unwrap_or(&no_authors),
                link,
                fetched,
            )
        })
        .collect();
    let mut steps = futures_util::stream::iter(steps).buffer_unordered(LINKS_IN_FLIGHT);
    let mut done = 0;
    while let Some((label, local)) = steps.next().await {
        done += 1;
        progress(done, total, &label);
        report.merge(local);
    }
    drop(steps);
    super::authors::reattribute(pool, report).await;
    let account_links: Vec<&SyncLink> = todo.iter().filter(|l| l.kind == "account").collect();
    accounts::sync_accounts(&ctx, &upstreams, &account_links, report).await;
    progress(todo.len(), todo.len(), "accounts");
    Ok(())
}

/// One project-side link: its label for progress and what it did.
pub(crate) async fn sync_one(
    ctx: &Ctx<'_>,
    up: Option<&Upstream>,
    authors: &Authors,
    link: &SyncLink,
    issues: Option<projects::Fetched>,
) -> (String, RunReport) {
    let label = format!(
        "{} {}",
        link.kind,
        link.handle.as_deref().unwrap_or(&link.external_id)
    );
    let mut local = RunReport::default();
    let Some(up) = up else { return (label, local) };
    let span = tracing::info_span!("sync_link", link_id = %link.id, kind = link.kind, external_id = %link.external_id);
    let result = match link.kind {
        "jira" => {
            projects::sync_jira_project(ctx, up, link, issues, &mut local)
                .instrument(span)
                .await
        }
        _ => {
            projects::sync_repository(ctx, up, link, authors, &mut local)
                .instrument(span)
                .await
        }
    };
    if let Err(e) = result {
        tracing::warn!(link_id = %link.id, error = %e, "link failed");
        local.error(Some(link.id), &e);
    }
    (label, local)
}
