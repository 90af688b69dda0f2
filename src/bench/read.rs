//! `velocity bench read --org L`: what reading synced data costs. The sample org's links are
//! synced into a database (kept with `--keep-database NAME` and reused when it holds data: a
//! full sync of org L takes minutes), the app is served on loopback, and each list endpoint is
//! read over HTTP — its first page and a deep page reached through the cursor — and each
//! summary, for the project and the person with the most rows. One JSON line: p50/p95 in ms.

use super::{round, BenchOrg};
use crate::sim::org::OrgSize;
use crate::sync::{Options, Scope};
use serde_json::{json, Value};
use sqlx::PgPool;
use std::net::SocketAddr;
use std::time::{Duration, Instant};
use uuid::Uuid;

#[derive(clap::Args, Debug, Clone)]
pub struct BenchRead {
    #[command(flatten)]
    pub org: BenchOrg,
    #[command(flatten)]
    pub database: crate::server::cli::DatabaseArgs,
    /// Timed requests per page and per summary.
    #[arg(long, default_value_t = 40)]
    pub samples: usize,
    /// Pages walked through the cursor before the deep page is timed.
    #[arg(long, default_value_t = 40)]
    pub depth: usize,
    /// Keep the synced database under this name, and reuse it when it exists with data.
    #[arg(long)]
    pub keep_database: Option<String>,
}

const PAGE: usize = 50;
/// The goals (p95, ms), printed beside the figures.
const PAGE_GOAL_MS: f64 = 50.0;
const SUMMARY_GOAL_MS: f64 = 200.0;

pub async fn run(b: &BenchRead) -> Result<Value, String> {
    let options: sqlx::postgres::PgConnectOptions = b.database.database_url.parse().map_err(|e: sqlx::Error| e.to_string())?;
    let (admin, pool, name) = match &b.keep_database {
        None => super::scratch(&b.database.database_url, "bench_read").await?,
        Some(name) => {
            let admin = sqlx::PgPool::connect_with(options.clone()).await.map_err(|e| e.to_string())?;
            let exists: bool = sqlx::query_scalar("select exists (select 1 from pg_database where datname = $1)").bind(name).fetch_one(&admin).await.map_err(|e| e.to_string())?;
            if !exists {
                sqlx::query(&format!("create database \"{}\"", name.replace('"', ""))).execute(&admin).await.map_err(|e| e.to_string())?;
            }
            let pool = crate::store::connect(options.database(name)).await.map_err(|e| e.to_string())?;
            crate::store::migrate(&pool).await.map_err(|e| e.to_string())?;
            (admin, pool, name.clone())
        }
    };
    let result = fill(&pool, b.org.org, b.org.seed).await;
    let result = match result {
        Ok(filled) => measure(b, &pool).await.map(|mut v| {
            v["sync"] = filled;
            v
        }),
        Err(e) => Err(e),
    };
    pool.close().await;
    if b.keep_database.is_none() {
        super::drop_scratch(&admin, &name).await;
    }
    result
}

/// Syncs the sample org unless the database holds synced commits already.
async fn fill(pool: &PgPool, size: OrgSize, seed: u64) -> Result<Value, String> {
    let stored: i64 = sqlx::query_scalar("select count(*) from commits").fetch_one(pool).await.map_err(|e| e.to_string())?;
    if stored > 0 {
        return Ok(json!({"reused": true}));
    }
    let sim = crate::sim::server::start(size, seed, Default::default(), Default::default(), Default::default()).await.map_err(|e| e.to_string())?;
    crate::sim::sample_org::load(pool, &sim).await.map_err(|e| e.to_string())?;
    let started = Instant::now();
    let report = crate::sync::run(pool, &Options::new(Scope::All, true, "bench"), &|_, _, _| {}).await.map_err(|e| e.to_string())?;
    Ok(json!({"reused": false, "seconds": round(started.elapsed().as_secs_f64()), "rowsWritten": report.rows_written, "errors": report.errors.len()}))
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    round(sorted[i.min(sorted.len() - 1)])
}

struct Reader {
    http: reqwest::Client,
    base: String,
    token: String,
}

impl Reader {
    async fn get(&self, path: &str) -> Result<(f64, Value), String> {
        let started = Instant::now();
        let r = self.http.get(format!("{}{path}", self.base)).bearer_auth(&self.token).send().await.map_err(|e| e.to_string())?;
        let status = r.status();
        let body: Value = r.json().await.map_err(|e| e.to_string())?;
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        if !status.is_success() {
            return Err(format!("{path} answered {status}: {body}"));
        }
        Ok((ms, body))
    }

    /// p50 and p95 of `samples` reads of `path` (after one untimed read).
    async fn time(&self, path: &str, samples: usize) -> Result<(f64, f64), String> {
        self.get(path).await?;
        let mut ms = Vec::with_capacity(samples);
        for _ in 0..samples {
            ms.push(self.get(path).await?.0);
        }
        ms.sort_by(f64::total_cmp);
        Ok((percentile(&ms, 0.5), percentile(&ms, 0.95)))
    }

    /// The path of the page `depth` pages in (or the last one), and how deep that is.
    async fn deep_page(&self, first: &str, depth: usize) -> Result<(String, usize), String> {
        let mut path = first.to_owned();
        for reached in 0..depth {
            let (_, page) = self.get(&path).await?;
            match page["nextCursor"].as_str() {
                Some(c) => path = format!("{first}&cursor={c}"),
                None => return Ok((path, reached)),
            }
        }
        Ok((path, depth))
    }
}

async fn measure(b: &BenchRead, pool: &PgPool) -> Result<Value, String> {
    let e = |e: sqlx::Error| e.to_string();
    let rows: (i64, i64, i64, i64) = sqlx::query_as("select (select count(*) from issues), (select count(*) from worklogs), (select count(*) from commits), (select count(*) from pull_requests)")
        .fetch_one(pool)
        .await
        .map_err(e)?;
    // The busiest project (by commits) and person (by worklogs): the worst cases for paging.
    let project: String = sqlx::query_scalar("select p.key from commits c join projects p on p.id = c.velocity_project_id group by p.key order by count(*) desc, p.key limit 1").fetch_one(pool).await.map_err(e)?;
    let person: Uuid = sqlx::query_scalar("select velocity_person_id from worklogs where velocity_person_id is not null group by 1 order by count(*) desc, 1 limit 1").fetch_one(pool).await.map_err(e)?;
    let reader_email = format!("reader-{}@bench.test", std::process::id());
    let created = crate::auth::accounts::create_account(pool, &reader_email, Some("Bench reader"), crate::auth::Role::Member, Some("bench-reader-password".into())).await.map_err(|e| e.to_string())?;
    let (_, token) = crate::auth::accounts::create_token(pool, created.person_id, "bench").await.map_err(|e| e.to_string())?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.map_err(|e| e.to_string())?;
    let (addr, router) = crate::server::startup::router_for(&listener, std::path::Path::new("target/site"), pool.clone()).map_err(|e| e.to_string())?;
    tokio::spawn(async move { axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>()).await });
    let reader = Reader { http: reqwest::Client::builder().timeout(Duration::from_secs(120)).build().map_err(|e| e.to_string())?, base: format!("http://{addr}"), token };

    let mut lists = Vec::new();
    let owners = [(format!("/api/projects/{project}"), ["issues", "worklogs", "commits", "pull-requests"]), (format!("/api/persons/{person}"), ["issues", "worklogs", "commits", "pull-requests"])];
    for (owner, kinds) in &owners {
        for kind in kinds {
            let first = format!("{owner}/{kind}?limit={PAGE}");
            let (p50, p95) = reader.time(&first, b.samples).await?;
            let (deep, depth) = reader.deep_page(&first, b.depth).await?;
            let (deep_p50, deep_p95) = reader.time(&deep, b.samples).await?;
            lists.push(json!({"path": format!("{owner}/{kind}"), "firstPage": {"p50Ms": p50, "p95Ms": p95}, "deepPage": {"page": depth + 1, "p50Ms": deep_p50, "p95Ms": deep_p95}}));
        }
    }
    let mut summaries = Vec::new();
    let to = chrono::Utc::now();
    for weeks in [12, 52] {
        let from = (to - chrono::Duration::weeks(weeks)).format("%Y-%m-%d");
        for (owner, _) in &owners {
            let path = format!("{owner}/summary?from={from}");
            let (p50, p95) = reader.time(&path, b.samples).await?;
            summaries.push(json!({"path": path, "weeks": weeks, "p50Ms": p50, "p95Ms": p95}));
        }
    }
    let worst = |items: &[Value], f: &dyn Fn(&Value) -> Vec<f64>| items.iter().flat_map(f).fold(0.0, f64::max);
    Ok(json!({
        "bench": "read",
        "org": b.org.org,
        "seed": b.org.seed,
        "build": if cfg!(debug_assertions) { "debug" } else { "release" },
        "rows": {"issues": rows.0, "worklogs": rows.1, "commits": rows.2, "pullRequests": rows.3},
        "project": project,
        "person": person,
        "samples": b.samples,
        "pageSize": PAGE,
        "lists": lists,
        "summaries": summaries,
        "worstPageP95Ms": worst(&lists, &|v| vec![v["firstPage"]["p95Ms"].as_f64().unwrap_or(0.0), v["deepPage"]["p95Ms"].as_f64().unwrap_or(0.0)]),
        "worstSummaryP95Ms": worst(&summaries, &|v| vec![v["p95Ms"].as_f64().unwrap_or(0.0)]),
        "goals": {"pageP95Ms": PAGE_GOAL_MS, "summaryP95Ms": SUMMARY_GOAL_MS},
    }))
}
