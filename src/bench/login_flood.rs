//! `velocity bench login-flood`: serves the app on loopback over a scratch database, measures
//! its resident memory and the p50 of a read endpoint idle, then floods `POST /api/login` with
//! anonymous sign-ins under random e-mails — first from one client, then as if from many
//! (`X-Forwarded-For`, trusted for the run) — while reading on, and reports the peak and the
//! settled memory, the read p50 during the flood and how the sign-ins were answered.

use super::{peak_rss_mib, reset_peak_rss, round, rss_mib};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

#[derive(clap::Args, Debug, Clone)]
pub struct BenchLoginFlood {
    /// Sign-in attempts per phase.
    #[arg(long, default_value_t = 1200)]
    pub requests: usize,
    /// Attempts in flight at once.
    #[arg(long, default_value_t = 16)]
    pub concurrency: usize,
    #[command(flatten)]
    pub database: crate::server::cli::DatabaseArgs,
}

/// Reads sampled for the idle p50.
const IDLE_READS: usize = 50;
/// How long memory may settle after the flood before it is read.
const SETTLE: Duration = Duration::from_secs(3);

pub async fn run(b: &BenchLoginFlood) -> Result<Value, String> {
    // The many-clients phase names its clients in X-Forwarded-For; read before any request.
    std::env::set_var("VELOCITY_TRUST_FORWARDED_FOR", "true");
    let (admin, pool, name) = super::scratch(&b.database.database_url, "bench_login").await?;
    let result = measure(b, &pool).await;
    pool.close().await;
    super::drop_scratch(&admin, &name).await;
    result
}

async fn measure(b: &BenchLoginFlood, pool: &sqlx::PgPool) -> Result<Value, String> {
    let created = crate::auth::accounts::create_account(pool, "reader@bench.test", Some("Reader"), crate::auth::Role::Member, Some("bench-reader-password".into()))
        .await
        .map_err(|e| e.to_string())?;
    let (_, token) = crate::auth::accounts::create_token(pool, created.person_id, "bench").await.map_err(|e| e.to_string())?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.map_err(|e| e.to_string())?;
    let (addr, router) = crate::server::startup::router_for(&listener, std::path::Path::new("target/site"), pool.clone()).map_err(|e| e.to_string())?;
    tokio::spawn(async move { axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>()).await });
    let base = format!("http://{addr}");
    let http = reqwest::Client::builder().timeout(Duration::from_secs(60)).build().map_err(|e| e.to_string())?;
    let read = {
        let (http, url, token) = (http.clone(), format!("{base}/api/projects"), token.clone());
        move || {
            let (http, url, token) = (http.clone(), url.clone(), token.clone());
            async move {
                let started = Instant::now();
                let ok = http.get(&url).bearer_auth(&token).send().await.is_ok_and(|r| r.status().is_success());
                ok.then(|| started.elapsed().as_secs_f64() * 1000.0)
            }
        }
    };
    let mut idle = Vec::new();
    for _ in 0..IDLE_READS {
        idle.push(read().await.ok_or("the read endpoint failed before the flood")?);
    }
    let baseline = rss_mib();
    let mut phases = Vec::new();
    for many_clients in [false, true] {
        reset_peak_rss();
        let flooding = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
        let reader = tokio::spawn({
            let (read, flooding) = (read.clone(), flooding.clone());
            async move {
                let mut times = Vec::new();
                while flooding.load(std::sync::atomic::Ordering::Relaxed) {
                    match read().await {
                        Some(ms) => times.push(ms),
                        None => break,
                    }
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
                times
            }
        });
        let started = Instant::now();
        let statuses = flood(&http, &base, b.requests, b.concurrency, many_clients).await;
        let seconds = started.elapsed().as_secs_f64();
        flooding.store(false, std::sync::atomic::Ordering::Relaxed);
        let during = reader.await.unwrap_or_default();
        let peak = peak_rss_mib();
        tokio::time::sleep(SETTLE).await;
        phases.push(json!({
            "clients": if many_clients { "many" } else { "one" },
            "statuses": statuses,
            "seconds": round(seconds),
            "peakRssMiB": peak.map(round),
            "settledRssMiB": rss_mib().map(round),
            "readP50Ms": p50(during).map(round),
        }));
    }
    Ok(json!({
        "bench": "login-flood",
        "requests": b.requests,
        "concurrency": b.concurrency,
        "baselineRssMiB": baseline.map(round),
        "idleReadP50Ms": p50(idle).map(round),
        "phases": phases,
    }))
}

/// `requests` anonymous sign-ins with random e-mails, `concurrency` at a time; the count of
/// each status answered (0: no answer).
async fn flood(http: &reqwest::Client, base: &str, requests: usize, concurrency: usize, many_clients: bool) -> BTreeMap<u16, usize> {
    use futures_util::StreamExt;
    let url = format!("{base}/api/login");
    let answers = futures_util::stream::iter(0..requests)
        .map(|i| {
            let mut req = http
                .post(&url)
                .header("accept", "application/json")
                .form(&[("email", format!("nobody-{}@flood.test", uuid::Uuid::new_v4())), ("password", "wrong password".to_owned())]);
            if many_clients {
                req = req.header("x-forwarded-for", format!("10.{}.{}.{}", (i >> 16) & 255, (i >> 8) & 255, i & 255));
            }
            async move { req.send().await.map_or(0, |r| r.status().as_u16()) }
        })
        .buffer_unordered(concurrency.max(1))
        .collect::<Vec<u16>>()
        .await;
    let mut statuses = BTreeMap::new();
    for s in answers {
        *statuses.entry(s).or_insert(0) += 1;
    }
    statuses
}

fn p50(mut v: Vec<f64>) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    Some(v[v.len() / 2])
}
