//! `velocity bench …`: measurements that issues name a figure for. Each prints one JSON line
//! (bench, org, seed, figures) so results can be pasted and compared.

mod login_flood;
mod read;
mod suggest;
mod sync;

use crate::sim::org::{Org, OrgSize};
use serde_json::{json, Value};
use std::time::Instant;

#[derive(clap::Subcommand, Debug, Clone)]
pub enum Bench {
    /// Generate a simulated org and report the time it took and the peak memory (RSS).
    SimOrg(BenchOrg),
    /// Start all simulators for an org and report the time until they all listen.
    SimStart(BenchOrg),
    /// Run every suggestion rule for every project and person of a generated org and compare
    /// with its ground truth: precision, recall, precision@1, time and peak memory.
    Suggest(BenchOrg),
    /// Sync the sample org's links into a scratch database (created and dropped on the
    /// DATABASE_URL server): requests against the minimum, wall time against the rate-limit
    /// bound, an incremental sync after 1% changed, upserts against COPY, peak memory (of the
    /// process, and what the sync added to the simulators' own).
    Sync(BenchSync),
    /// Flood `POST /api/login` with anonymous sign-ins (one client, then many) against the app
    /// on loopback: peak and settled memory against the baseline, read p50 idle and during.
    LoginFlood(login_flood::BenchLoginFlood),
    /// Read synced data over HTTP: p50/p95 of each list endpoint (first page and a deep page
    /// through the cursor) and each summary, for the busiest project and person of the sample
    /// org synced into a database (scratch, or kept with --keep-database).
    Read(read::BenchRead),
}

#[derive(clap::Args, Debug, Clone)]
pub struct BenchSync {
    #[command(flatten)]
    pub org: BenchOrg,
    #[command(flatten)]
    pub database: crate::server::cli::DatabaseArgs,
    /// Requests a second each simulator accepts before refusing (0: no limit): how many of a
    /// run's requests are refused shows how well it paces itself.
    #[arg(long, default_value_t = 0)]
    pub rate_limit_per_second: u32,
}

#[derive(clap::Args, Debug, Clone)]
pub struct BenchOrg {
    #[arg(long, value_enum, default_value = "m", ignore_case = true)]
    pub org: OrgSize,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

/// Peak resident set size of this process in MiB (Linux: VmHWM).
pub fn peak_rss_mib() -> Option<f64> {
    status_mib("VmHWM:")
}

/// Resident set size of this process now, in MiB (Linux: VmRSS).
pub fn rss_mib() -> Option<f64> {
    status_mib("VmRSS:")
}

/// Starts the peak (VmHWM) again from the current RSS (Linux: `clear_refs` 5), so a later peak
/// is that of what ran since.
pub fn reset_peak_rss() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

fn status_mib(field: &str) -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

fn counts(org: &Org) -> Value {
    let hosts = [&org.bitbucket, &org.github, &org.gitlab];
    json!({
        "people": org.truth.persons.len(),
        "accounts": org.jira.users.len() + org.slack.users.len() + hosts.iter().map(|h| h.accounts.len()).sum::<usize>(),
        "projects": org.truth.projects.len(),
        "jiraProjects": org.jira.projects.len(),
        "issues": org.jira.issues.len(),
        "worklogs": org.jira.worklogs.len(),
        "repos": hosts.iter().map(|h| h.repos.len()).sum::<usize>(),
        "commits": hosts.iter().flat_map(|h| h.repos.iter()).map(|r| r.commits.len()).sum::<usize>(),
        "pullRequests": hosts.iter().flat_map(|h| h.repos.iter()).map(|r| r.pull_requests.len()).sum::<usize>(),
    })
}

pub async fn run(bench: Bench) -> Result<Value, String> {
    match bench {
        Bench::SimOrg(b) => {
            let started = Instant::now();
            let org = crate::sim::generate::generate(b.org, b.seed);
            let seconds = started.elapsed().as_secs_f64();
            Ok(json!({"bench": "sim-org", "org": b.org, "seed": b.seed, "seconds": round(seconds), "peakRssMiB": peak_rss_mib().map(round), "counts": counts(&org)}))
        }
        Bench::SimStart(b) => {
            let started = Instant::now();
            let running = crate::sim::server::start(b.org, b.seed, Default::default(), Default::default(), Default::default())
                .await
                .map_err(|e| e.to_string())?;
            let seconds = started.elapsed().as_secs_f64();
            let counts = counts(&running.state.read());
            Ok(json!({"bench": "sim-start", "org": b.org, "seed": b.seed, "secondsToListening": round(seconds), "peakRssMiB": peak_rss_mib().map(round), "counts": counts}))
        }
        Bench::Suggest(b) => Ok(suggest::run(b.org, b.seed)),
        Bench::Sync(b) => sync::run(b.org.org, b.org.seed, &b.database.database_url, b.rate_limit_per_second).await,
        Bench::LoginFlood(b) => login_flood::run(&b).await,
        Bench::Read(b) => read::run(&b).await,
    }
}

/// A fresh database `{prefix}_{pid}` on the DATABASE_URL server, migrated: the pool to the
/// server (to drop it after) and to the database, and its name.
async fn scratch(url: &str, prefix: &str) -> Result<(sqlx::PgPool, sqlx::PgPool, String), String> {
    let options: sqlx::postgres::PgConnectOptions = url.parse().map_err(|e: sqlx::Error| e.to_string())?;
    let admin = sqlx::PgPool::connect_with(options.clone()).await.map_err(|e| e.to_string())?;
    let name = format!("{prefix}_{}", std::process::id());
    drop_scratch(&admin, &name).await;
    sqlx::query(&format!("create database {name}")).execute(&admin).await.map_err(|e| e.to_string())?;
    let pool = crate::store::connect(options.database(&name)).await.map_err(|e| e.to_string())?;
    crate::store::migrate(&pool).await.map_err(|e| e.to_string())?;
    Ok((admin, pool, name))
}

async fn drop_scratch(admin: &sqlx::PgPool, name: &str) {
    let _ = sqlx::query(&format!("drop database if exists {name} with (force)")).execute(admin).await;
}

fn round(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}
