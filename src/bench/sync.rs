//! `velocity bench sync --org S|M|L --seed N`: a full sync of the sample org's links into a
//! scratch database, then an incremental one after 1% of upstream changed, and the engine's
//! commit upserts against a plain COPY of the same rows. One JSON line.

use super::{peak_rss_mib, reset_peak_rss, round, rss_mib};
use crate::sim::org::{Commit, Org, OrgSize};
use crate::store::sync_links;
use crate::store::synced::Origin;
use crate::upstream::{Limits, Stats, Upstream};
use crate::sync::repo::Window;
use crate::sync::{Options, Scope};
use serde_json::{json, Value};
use sqlx::PgPool;
use std::sync::Arc;
use std::time::Instant;

/// Commits read again for the ingest comparison: a rate needs a sample, not all of org L.
const INGEST_SAMPLE_ROWS: usize = 100_000;

/// Documented hourly budgets (external-apis.md): GitHub 5,000, Bitbucket at least 1,000.
const HOURLY_BUDGET: [(&str, f64); 2] = [("github", 5000.0), ("bitbucket", 1000.0)];

fn pages(items: usize, per_page: usize) -> u64 {
    items.div_ceil(per_page).max(1) as u64
}

/// Σ ⌈items / max page size⌉ per endpoint for the active links: issue search (100), per repo
/// its document, commits (100) and pull requests (100; Bitbucket 50), the worklog feed and list
/// (1,000) and the deletion feed, plus one validation look-up per link.
fn minimum_requests(
    org: &Org,
    jira: &[String],
    repos: &[(String, String)],
    accounts: usize,
) -> u64 {
    let mut n = (jira.len() + repos.len() + accounts) as u64;
    for id in jira {
        n += pages(
            org.jira
                .issues
                .iter()
                .filter(|i| !i.deleted && i.project_id.to_string() == *id)
                .count(),
            100,
        );
    }
    for (platform, id) in repos {
        let host = match platform.as_str() {
            "github" => &org.github,
            "gitlab" => &org.gitlab,
            _ => &org.bitbucket,
        };
        let Some(r) = host
            .repos
            .iter()
            .find(|r| r.id == *id || r.numeric_id.to_string() == *id)
        else {
            continue;
        };
        let pr_page = if platform == "bitbucket" { 50 } else { 100 };
        n += 1
            + pages(r.commits.len(), 100)
            + pages(
                r.pull_requests.iter().filter(|p| !p.deleted).count(),
                pr_page,
            );
    }
    if accounts > 0 {
        n += 2 * pages(org.jira.worklogs.len(), 1000) + 1;
    }
    n
}

/// Changes 1% of issues, worklogs and pull requests and pushes a commit to 1% of repositories,
/// all dated two minutes ago (past the worklog feeds' hidden minute).
fn change_one_percent(org: &mut Org) -> usize {
    let at = chrono::Utc::now() - chrono::Duration::minutes(2);
    let mut changed = 0;
    for i in org.jira.issues.iter_mut().step_by(100) {
        i.summary.push_str(" (edited)");
        i.updated = at;
        changed += 1;
    }
    // A millisecond apart, as edits by people are: the worklog feed pages by time and cannot
    // page through more than a page of changes that share one millisecond.
    for (n, w) in org.jira.worklogs.iter_mut().step_by(100).enumerate() {
        w.time_spent_seconds += 60;
        w.updated = at + chrono::Duration::milliseconds(n as i64);
        changed += 1;
    }
    for host in [&mut org.github, &mut org.gitlab, &mut org.bitbucket] {
        // Every 100th pull request of the host, not the first of every repository (which
        // changed far more than 1% where repositories have few).
        for p in host
            .repos
            .iter_mut()
            .flat_map(|r| r.pull_requests.iter_mut())
            .step_by(100)
        {
            p.title.push_str(" (edited)");
            p.updated = at;
            changed += 1;
        }
        for (n, r) in host.repos.iter_mut().enumerate() {
            if n % 100 == 0 {
                let sha = format!("be{:014x}{:024x}", r.numeric_id, r.commits.len());
                r.commits.push(Commit {
                    sha,
                    message: "bench: one more commit".into(),
                    author_name: "Bench".into(),
                    author_email: "bench@acme.test".into(),
                    author_account: None,
                    date: at,
                });
                changed += 1;
            }
        }
    }
    changed
}

async fn sim_requests(admin_url: &str, reset: bool) -> Result<Value, String> {
    let http = reqwest::Client::new();
    let counters: Value = http
        .get(format!("{admin_url}/counters"))
        .send()
        .await
        .map_err(|e| e.to_string())?
        .json()
        .await
        .map_err(|e| e.to_string())?;
    if reset {
        http.delete(format!("{admin_url}/counters"))
            .send()
            .await
            .map_err(|e| e.to_string())?;
    }
    Ok(counters)
}

fn per_sim(counters: &Value) -> Vec<(String, u64)> {
    counters["bySimulator"]
        .as_object()
        .map(|m| {
            m.iter().map(|(k, v)| {
                (
                    k.clone(),
                    v.as_object()
                        .map_or(0, |r| r.values().filter_map(Value::as_u64).sum()),
                )
            })
        })
        .map(|i| i.collect())
        .unwrap_or_default()
}

/// `part / whole` to four places (0 when nothing was sent).
fn share(part: u64, whole: u64) -> f64 {
    if whole == 0 { 0.0 } else { (part as f64 / whole as f64 * 10_000.0).round() / 10_000.0 }
}

pub async fn run(size: OrgSize, seed: u64, database_url: &str, limit_per_second: u32) -> Result<Value, String> {
    let limit = crate::sim::faults::FaultRates { limit_per_second, ..Default::default() };
    let sim = crate::sim::server::start(
        size,
        seed,
        Default::default(),
        Default::default(),
        limit,
    )
    .await
    .map_err(|e| e.to_string())?;
    let (admin, pool, name) = super::scratch(database_url, "bench_sync").await?;
    let result = measure(&sim, &pool, size, seed).await.map(|mut v| {
        v["rateLimitPerSecond"] = json!(limit_per_second);
        v
    });
    pool.close().await;
    super::drop_scratch(&admin, &name).await;
    result
}

async fn measure(
    sim: &crate::sim::server::RunningSim,
    pool: &PgPool,
    size: OrgSize,
    seed: u64,
) -> Result<Value, String> {
    let e = |e: crate::sync::SyncError| e.to_string();
    crate::sim::sample_org::load(pool, sim)
        .await
        .map_err(|e| e.to_string())?;
    let links: Vec<_> = sync_links::links(pool, None, None)
        .await
        .map_err(|e| e.to_string())?
        .into_iter()
        .filter(|l| l.active)
        .collect();
    let jira: Vec<String> = links
        .iter()
        .filter(|l| l.kind == "jira")
        .map(|l| l.external_id.clone())
        .collect();
    let repos: Vec<(String, String)> = links
        .iter()
        .filter(|l| l.kind == "repository")
        .map(|l| (l.platform.clone(), l.external_id.clone()))
        .collect();
    let accounts = links.iter().filter(|l| l.kind == "account").count();
    let minimum = minimum_requests(&sim.state.read(), &jira, &repos, accounts);
    sim_requests(&sim.urls.admin, true).await?;
    // The simulators and their org live in this process: the sync's memory is what the peak
    // grows past this.
    let before_sync = if reset_peak_rss() { rss_mib() } else { None };

    let started = Instant::now();
    let full = crate::sync::run(
        pool,
        &Options::new(Scope::All, true, "bench"),
        &|_, _, _| {},
    )
    .await
    .map_err(e)?;
    let full_wall = started.elapsed().as_secs_f64();
    let full_counters = sim_requests(&sim.urls.admin, true).await?;
    let full_requests = full_counters["total"].as_u64().unwrap_or(0);
    let full_refused = full_counters["refused"].as_u64().unwrap_or(0);
    let bound = per_sim(&full_counters)
        .iter()
        .filter_map(|(s, n)| {
            HOURLY_BUDGET
                .iter()
                .find(|(b, _)| b == s)
                .map(|(_, budget)| ((*n as f64) - budget).max(0.0) / (budget / 3600.0))
        })
        .fold(0.0, f64::max);

    let changed = change_one_percent(&mut sim.state.write());
    let started = Instant::now();
    let incremental = crate::sync::run(
        pool,
        &Options::new(Scope::All, false, "bench"),
        &|_, _, _| {},
    )
    .await
    .map_err(e)?;
    let inc_wall = started.elapsed().as_secs_f64();
    let inc_counters = sim_requests(&sim.urls.admin, true).await?;
    let inc_requests = inc_counters["total"].as_u64().unwrap_or(0);
    let inc_refused = inc_counters["refused"].as_u64().unwrap_or(0);
    let sync_peak = peak_rss_mib();

    // Ingest: the same commits through the engine's upsert and through COPY (network excluded).
    let conns = crate::store::connections::list_connections(pool)
        .await
        .map_err(|e| e.to_string())?;
    let mut batches = Vec::new();
    let mut sampled = 0;
    for l in links.iter().filter(|l| l.kind == "repository") {
        if sampled >= INGEST_SAMPLE_ROWS {
            break;
        }
        let Some(conn) = conns.iter().find(|c| c.id == l.connection_id) else {
            continue;
        };
        let up = Upstream::new(conn.clone(), Arc::new(Stats::default()), Limits::default());
        let data = match l.platform.as_str() {
            "github" => crate::sync::github::fetch(&up, &l.external_id, Window::default()).await,
            "gitlab" => crate::sync::gitlab::fetch(&up, &l.external_id, Window::default()).await,
            _ => crate::sync::bitbucket::fetch(&up, &l.external_id, Window::default()).await,
        }
        .map_err(e)?;
        if let Some(d) = data {
            sampled += d.commits.len();
            batches.push((
                Origin {
                    connection_id: l.connection_id,
                    entity_id: l.owner_id,
                    link_id: l.id,
                },
                l.external_id.clone(),
                d.commits,
            ));
        }
    }
    let rows: usize = batches.iter().map(|b| b.2.len()).sum();
    crate::store::bench_ingest::clear_commits(pool)
        .await
        .map_err(|e| e.to_string())?;
    let started = Instant::now();
    for (o, repo, commits) in &batches {
        let with_people: Vec<_> = commits.iter().map(|c| (c.clone(), Default::default())).collect();
        crate::store::synced::upsert_commits(pool, *o, repo, &with_people)
            .await
            .map_err(|e| e.to_string())?;
    }
    let upsert_secs = started.elapsed().as_secs_f64();
    crate::store::bench_ingest::clear_commits(pool)
        .await
        .map_err(|e| e.to_string())?;
    let started = Instant::now();
    crate::store::bench_ingest::copy_commits(pool, &batches)
        .await
        .map_err(|e| e.to_string())?;
    let copy_secs = started.elapsed().as_secs_f64();
    let rate = |secs: f64| if secs > 0.0 { rows as f64 / secs } else { 0.0 };

    Ok(json!({
        "bench": "sync", "org": size, "seed": seed,
        "links": full.links, "rowsWritten": full.rows_written, "status": full.status,
        "requests": full_requests, "refused": full_refused, "refusedShare": share(full_refused, full_requests),
        "runCounted": {"requests": full.requests, "retries": full.retries, "refused": full.refused},
        "minimumRequests": minimum, "requestsVsMinimum": round(full_requests as f64 / minimum.max(1) as f64),
        "wallSeconds": round(full_wall), "rateLimitBoundSeconds": round(bound),
        "incremental": {"changedItems": changed, "requests": inc_requests, "refused": inc_refused, "refusedShare": share(inc_refused, inc_requests), "runCounted": {"requests": incremental.requests, "retries": incremental.retries, "refused": incremental.refused}, "requestsVsFull": round(inc_requests as f64 / full_requests.max(1) as f64), "wallSeconds": round(inc_wall), "rowsWritten": incremental.rows_written, "status": incremental.status},
        "ingest": {"rows": rows, "upsertRowsPerSecond": round(rate(upsert_secs)), "copyRowsPerSecond": round(rate(copy_secs)), "upsertVsCopy": round(if copy_secs > 0.0 { copy_secs / upsert_secs.max(1e-9) } else { 0.0 })},
        "errors": full.failures().chain(incremental.failures()).take(3).map(|e| e.message.clone()).collect::<Vec<_>>(),
        "peakRssMiB": sync_peak.map(round),
        "simulatorRssMiB": before_sync.map(round),
        "syncPeakRssMiB": before_sync.zip(sync_peak).map(|(base, peak)| round(peak - base)),
    }))
}
