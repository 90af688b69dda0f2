//! One sync run over a scope (spec "Sync Flow"): load the links → validate the active ones
//! upstream → fetch only through active, verified links → store keyed on external ids → update
//! link metadata. A link that fails is recorded on the run and keeps its old metadata; the
//! others go on.

use super::http::{Stats, Upstream};
use super::report::RunReport;
use super::{bitbucket, github, gitlab, jira, slack, SyncError};
use crate::links::{Actor, Links, Source};
use crate::store::connections::{list_connections, Connection};
use crate::store::link_upstream::StoredLink;
use crate::store::sync_links::{self, SyncLink};
use crate::store::synced::{self, Origin};
use crate::store::{persons, projects, sync_runs};
use chrono::Utc;
use sqlx::PgPool;
use std::collections::{HashMap, HashSet};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    All,
    Project(String),
    Person(Uuid),
}

impl Scope {
    pub fn label(&self) -> String {
        match self {
            Scope::All => "all".into(),
            Scope::Project(key) => format!("project:{key}"),
            Scope::Person(id) => format!("person:{id}"),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Options {
    pub scope: Scope,
    pub full: bool,
    /// Who started it: "cli", "api", "ui", "demo", "scheduler".
    pub trigger: String,
}

/// Progress callback: (links done, links in the run, what was just done).
pub type Progress<'a> = &'a (dyn Fn(usize, usize, &str) + Sync);

/// Checks the scope names something, then records and runs one sync.
pub async fn run(
    pool: &PgPool,
    opts: &Options,
    progress: Progress<'_>,
) -> Result<RunReport, SyncError> {
    let (project, person) = match &opts.scope {
        Scope::All => (None, None),
        Scope::Project(key) => (
            Some(
                projects::project_id_by_key(pool, key)
                    .await?
                    .ok_or_else(|| SyncError::NotFound(format!("no project with key '{key}'")))?,
            ),
            None,
        ),
        Scope::Person(id) => {
            if !persons::person_exists(pool, *id).await? {
                return Err(SyncError::NotFound(format!("no person with id {id}")));
            }
            (None, Some(*id))
        }
    };
    let run_id = sync_runs::start(pool, &opts.scope.label(), opts.full, &opts.trigger).await?;
    let span = tracing::info_span!("sync_run", run_id, scope = %opts.scope.label());
    let _guard = span.enter();
    let mut report = RunReport {
        run_id,
        ..RunReport::default()
    };
    let stats = Arc::new(Stats::default());
    let outcome = execute(pool, project, person, &stats, &mut report, progress).await;
    if let Err(e) = &outcome {
        report.error(None, e);
    }
    report.requests = stats.requests.load(Ordering::Relaxed);
    report.retries = stats.retries.load(Ordering::Relaxed);
    report.status = if report.errors.is_empty() {
        "succeeded"
    } else {
        "failed"
    }
    .into();
    let counts = serde_json::to_value(&report.counts).unwrap_or_default();
    let errors = serde_json::to_value(&report.errors).unwrap_or_default();
    let first_error = report.errors.first().map(|e| e.message.clone());
    let finish = sync_runs::Finish {
        status: &report.status,
        links: report.links as i32,
        requests: report.requests.min(i32::MAX as u64) as i32,
        retries: report.retries.min(i32::MAX as u64) as i32,
        rows_written: report.rows_written.min(i32::MAX as u64) as i32,
        counts: &counts,
        errors: &errors,
        error: first_error.as_deref(),
    };
    sync_runs::finish(pool, run_id, &finish).await?;
    tracing::info!(status = %report.status, rows_written = report.rows_written, requests = report.requests, "sync run finished");
    Ok(report)
}

fn stored(l: &SyncLink) -> StoredLink {
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

async fn execute(
    pool: &PgPool,
    project: Option<Uuid>,
    person: Option<Uuid>,
    stats: &Arc<Stats>,
    report: &mut RunReport,
    progress: Progress<'_>,
) -> Result<(), SyncError> {
    // Inactive links are never touched upstream, not even to validate them.
    let active: Vec<SyncLink> = sync_links::links(pool, project, person)
        .await?
        .into_iter()
        .filter(|l| l.active)
        .collect();
    let links = Links::new(pool.clone());
    let checked = links
        .validate_links(
            active.iter().map(stored).collect(),
            Actor {
                person_id: None,
                source: Source::Sync,
            },
        )
        .await?;
    let unreachable: HashSet<Uuid> = checked.errors.iter().map(|f| f.link_id).collect();
    for f in &checked.errors {
        report.errors.push(super::report::RunError {
            link_id: Some(f.link_id),
            url: None,
            message: f.message.clone(),
        });
    }
    // Validation may have renamed links or found them gone: read them again.
    let todo: Vec<SyncLink> = sync_links::links(pool, project, person)
        .await?
        .into_iter()
        .filter(|l| l.active && l.verified && !unreachable.contains(&l.id))
        .collect();
    report.links = todo.len();
    let stats = stats.clone();
    let upstreams: HashMap<Uuid, Upstream> = list_connections(pool)
        .await?
        .into_iter()
        .map(|c: Connection| (c.id, Upstream::new(c, stats.clone())))
        .collect();
    let mut people: HashMap<Uuid, HashMap<String, (Uuid, Uuid)>> = HashMap::new();
    for id in upstreams.keys() {
        let accounts = sync_links::active_accounts(pool, *id).await?;
        people.insert(
            *id,
            accounts
                .into_iter()
                .map(|(ext, person, link)| (ext, (person, link)))
                .collect(),
        );
    }
    let no_people = HashMap::new();
    let mut done = 0;
    for link in todo.iter().filter(|l| l.kind != "account") {
        let Some(up) = upstreams.get(&link.connection_id) else {
            continue;
        };
        let span = tracing::info_span!("sync_link", link_id = %link.id, kind = link.kind, external_id = %link.external_id);
        let _guard = span.enter();
        let result = match link.kind {
            "jira" => sync_jira_project(pool, up, link, report).await,
            _ => {
                sync_repository(
                    pool,
                    up,
                    link,
                    people.get(&link.connection_id).unwrap_or(&no_people),
                    report,
                )
                .await
            }
        };
        if let Err(e) = result {
            tracing::warn!(error = %e, "link failed");
            report.error(Some(link.id), &e);
        }
        done += 1;
        progress(
            done,
            todo.len(),
            &format!(
                "{} {}",
                link.kind,
                link.handle.as_deref().unwrap_or(&link.external_id)
            ),
        );
    }
    let accounts: Vec<&SyncLink> = todo.iter().filter(|l| l.kind == "account").collect();
    sync_accounts(pool, &upstreams, &accounts, report).await;
    progress(todo.len(), todo.len(), "accounts");
    Ok(())
}

async fn sync_jira_project(
    pool: &PgPool,
    up: &Upstream,
    link: &SyncLink,
    report: &mut RunReport,
) -> Result<(), SyncError> {
    let rows = jira::issues(up, &link.external_id, None).await?;
    let origin = Origin {
        connection_id: link.connection_id,
        entity_id: link.owner_id,
        link_id: link.id,
    };
    let written = synced::upsert_issues(pool, origin, &rows).await?;
    let ids: Vec<String> = rows.iter().map(|r| r.jira_issue_id.clone()).collect();
    let deleted = synced::soft_delete_missing_issues(pool, link.id, &ids).await?;
    report.add("issues", rows.len(), written, deleted);
    let open = rows.iter().filter(|r| jira::convert::is_open(r)).count();
    sync_links::jira_link_synced(pool, link.id, open as i32, rows.len() as i32, Utc::now()).await?;
    Ok(())
}

async fn sync_repository(
    pool: &PgPool,
    up: &Upstream,
    link: &SyncLink,
    people: &HashMap<String, (Uuid, Uuid)>,
    report: &mut RunReport,
) -> Result<(), SyncError> {
    let data = match link.platform.as_str() {
        "github" => github::fetch(up, &link.external_id, None).await?,
        "gitlab" => gitlab::fetch(up, &link.external_id, None).await?,
        "bitbucket" => bitbucket::fetch(up, &link.external_id).await?,
        other => {
            return Err(SyncError::NotFound(format!(
                "no connector for platform '{other}'"
            )))
        }
    };
    let Some(data) = data else {
        return Err(SyncError::NotFound(format!(
            "repository {} disappeared during the run",
            link.external_id
        )));
    };
    let person_of = |account: &Option<String>| {
        account
            .as_ref()
            .and_then(|a| people.get(a))
            .map(|(p, _)| *p)
    };
    let origin = Origin {
        connection_id: link.connection_id,
        entity_id: link.owner_id,
        link_id: link.id,
    };
    let commits: Vec<_> = data
        .commits
        .into_iter()
        .map(|c| (person_of(&c.author_account_id), c))
        .map(|(p, c)| (c, p))
        .collect();
    let written = synced::upsert_commits(pool, origin, &link.external_id, &commits).await?;
    report.add("commits", commits.len(), written, 0);
    let pulls: Vec<_> = data
        .pulls
        .into_iter()
        .map(|r| (person_of(&r.author_account_id), r))
        .map(|(p, r)| (r, p))
        .collect();
    let written = synced::upsert_pulls(pool, origin, &link.external_id, &pulls).await?;
    let numbers: Vec<i64> = pulls.iter().map(|(r, _)| r.number).collect();
    let deleted = synced::soft_delete_missing_pulls(pool, link.id, &numbers).await?;
    report.add("pullRequests", pulls.len(), written, deleted);
    sync_links::repository_link_synced(pool, link.id, data.default_branch.as_deref(), Utc::now())
        .await?;
    Ok(())
}

/// Worklogs per Jira connection (attached to persons through their active Jira account links,
/// as the spec's person example), Slack profiles, then every account link's metadata.
async fn sync_accounts(
    pool: &PgPool,
    upstreams: &HashMap<Uuid, Upstream>,
    accounts: &[&SyncLink],
    report: &mut RunReport,
) {
    let mut failed: HashSet<Uuid> = HashSet::new();
    let mut slack_seen: HashMap<Uuid, HashMap<String, Option<chrono::DateTime<Utc>>>> =
        HashMap::new();
    let connections: HashSet<Uuid> = accounts.iter().map(|l| l.connection_id).collect();
    for conn_id in connections {
        let Some(up) = upstreams.get(&conn_id) else {
            continue;
        };
        let of_conn: Vec<&&SyncLink> = accounts
            .iter()
            .filter(|l| l.connection_id == conn_id)
            .collect();
        let result = match up.conn.kind.as_str() {
            "jira" => sync_worklogs(pool, up, &of_conn, report).await,
            "slack" => slack::users(up).await.map(|users| {
                slack_seen.insert(conn_id, users);
            }),
            _ => Ok(()),
        };
        if let Err(e) = result {
            report.error(None, &e);
            failed.extend(of_conn.iter().map(|l| l.id));
        }
    }
    for link in accounts.iter().filter(|l| !failed.contains(&l.id)) {
        let seen = slack_seen
            .get(&link.connection_id)
            .and_then(|users| users.get(&link.external_id).copied().flatten());
        if let Err(e) = sync_links::account_link_synced(pool, link.id, seen, Utc::now()).await {
            report.error(Some(link.id), &e.into());
        }
    }
}

async fn sync_worklogs(
    pool: &PgPool,
    up: &Upstream,
    links: &[&&SyncLink],
    report: &mut RunReport,
) -> Result<(), SyncError> {
    let by_account: HashMap<&str, (Uuid, Uuid)> = links
        .iter()
        .map(|l| (l.external_id.as_str(), (l.owner_id, l.id)))
        .collect();
    let (changed, _until) = jira::worklog_feed(up, "updated", 0).await?;
    let ids: Vec<i64> = changed.iter().map(|c| c.worklog_id).collect();
    let rows = jira::worklogs(up, &ids).await?;
    let mine: Vec<_> = rows
        .into_iter()
        .filter_map(|w| {
            let (p, l) = *by_account.get(w.jira_account_id.as_str())?;
            Some((w, p, l))
        })
        .collect();
    let written = synced::upsert_worklogs(pool, up.conn.id, &mine).await?;
    let (gone, _) = jira::worklog_feed(up, "deleted", 0).await?;
    let gone: Vec<String> = gone.iter().map(|c| c.worklog_id.to_string()).collect();
    let deleted = synced::soft_delete_worklogs(pool, up.conn.id, &gone).await?;
    report.add("worklogs", mine.len(), written, deleted);
    Ok(())
}
