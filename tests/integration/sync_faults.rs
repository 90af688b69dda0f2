//! Sync under injected faults: 20% of every simulator's answers are rate limits, 5xx,
//! time-outs, connection resets or malformed JSON (4% each). One run retries its way through
//! and ends with the same content hash as a fault-free sync, without duplicate rows; malformed
//! pages are recorded on the run with their URL.

use crate::helpers::start_sim;
use crate::sync_incremental::fresh_database;
use serde_json::json;
use sqlx::PgPool;
use velocity::sim::org::OrgSize;
use velocity::store::synced::content_hash;
use velocity::upstream::Limits;
use velocity::sync::{run, Options, Scope};

async fn counts(pool: &PgPool) -> Vec<i64> {
    let mut out = Vec::new();
    for table in ["issues", "worklogs", "commits", "pull_requests"] {
        out.push(
            sqlx::query_scalar(&format!("select count(*) from {table}"))
                .fetch_one(pool)
                .await
                .unwrap(),
        );
    }
    out
}

#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn twenty_percent_faults_end_with_the_fault_free_hash(pool: PgPool) {
    let sim = start_sim(OrgSize::S, 1).await;
    // The fault-free reference, in a database of its own.
    let (reference, name) = fresh_database(&pool).await;
    velocity::sim::sample_org::load(&reference, &sim)
        .await
        .unwrap();
    let clean = run(
        &reference,
        &Options::new(Scope::All, true, "test"),
        &|_, _, _| {},
    )
    .await
    .unwrap();
    assert!(clean.errors.is_empty(), "{:?}", clean.errors);
    let (want_hash, want_counts) = (
        content_hash(&reference).await.unwrap(),
        counts(&reference).await,
    );
    reference.close().await;
    sqlx::query(&format!("drop database {name} with (force)"))
        .execute(&pool)
        .await
        .unwrap();

    let http = reqwest::Client::new();
    let rates = json!({"rateLimit": 0.04, "serverError": 0.04, "timeout": 0.04, "reset": 0.04, "malformed": 0.04, "latencyMs": 0});
    for s in ["jira", "bitbucket", "github", "gitlab", "slack"] {
        let r = http
            .put(format!("{}/faults/{s}", sim.urls.admin))
            .json(&rates)
            .send()
            .await
            .unwrap();
        assert!(r.status().is_success());
    }
    velocity::sim::sample_org::load(&pool, &sim).await.unwrap();
    let mut opts = Options::new(Scope::All, true, "test");
    // The simulator's time-out fault stalls 40 s: give up on a request after 2 s.
    opts.limits = Limits {
        timeout: std::time::Duration::from_secs(2),
        ..Limits::default()
    };
    // One run: link validation goes through the same retries and pacing as the data pages, so
    // no link is lost to a fault (before, validation's own five attempts failed whole links).
    let runs = vec![run(&pool, &opts, &|_, _, _| {}).await.unwrap()];
    let last = runs.last().unwrap();
    assert_eq!(last.failures().count(), 0, "{:?}", last.errors);
    let (requests, retries): (u64, u64) = (
        runs.iter().map(|r| r.requests).sum(),
        runs.iter().map(|r| r.retries).sum(),
    );
    eprintln!(
        "fault run: {} run(s), {requests} requests, {retries} retries",
        runs.len()
    );
    assert!(retries > 0, "faults were retried: {retries} of {requests}");
    let malformed: Vec<_> = runs
        .iter()
        .flat_map(|r| r.errors.iter())
        .filter(|e| e.message.starts_with("malformed JSON"))
        .collect();
    assert!(
        malformed
            .iter()
            .all(|e| e.retried && e.url.as_deref().is_some_and(|u| u.starts_with("http"))),
        "{malformed:?}"
    );

    assert_eq!(content_hash(&pool).await.unwrap(), want_hash);
    assert_eq!(
        counts(&pool).await,
        want_counts,
        "no duplicate or missing rows"
    );
}

#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn a_malformed_page_is_recorded_with_its_url_and_retried(pool: PgPool) {
    use velocity::upstream::{Stats, Upstream};
    let sim = start_sim(OrgSize::S, 1).await;
    velocity::sim::sample_org::load(&pool, &sim).await.unwrap();
    let conn = velocity::store::connections::list_connections(&pool)
        .await
        .unwrap()
        .into_iter()
        .find(|c| c.kind == "jira")
        .unwrap();
    let url = format!("{}/rest/api/3/project/search", sim.urls.jira);
    let script = |n: usize| {
        reqwest::Client::new()
            .post(format!("{}/faults/jira/next", sim.urls.admin))
            .json(&json!({"kind": "malformed", "count": n}))
            .send()
    };
    script(1).await.unwrap();
    let stats = std::sync::Arc::new(Stats::default());
    let up = Upstream::new(conn.clone(), stats.clone(), Limits::default());
    let page = up
        .get::<serde_json::Value>(&url, &[])
        .await
        .unwrap()
        .expect("a page");
    assert!(page.body["values"].is_array());
    let seen = stats.malformed.lock().unwrap().clone();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].0, url);
    assert_eq!(stats.retries.load(std::sync::atomic::Ordering::Relaxed), 1);
    // Out of attempts: the error carries the URL and a snippet of what came back.
    script(1).await.unwrap();
    let once = Upstream::new(
        conn,
        stats,
        Limits {
            attempts: 1,
            ..Limits::default()
        },
    );
    match once.get::<serde_json::Value>(&url, &[]).await {
        Err(velocity::upstream::HttpError::Decode {
            url: u, snippet, ..
        }) => assert!(u == url && snippet.starts_with('{'), "{snippet}"),
        Err(e) => panic!("expected a decode error, got {e}"),
        Ok(_) => panic!("expected a decode error, got a page"),
    }
}

/// Jira's worklog feed pages by time: more than a page of changes in one millisecond makes its
/// next page the same page. The run records that as an error naming the feed instead of
/// reading the page until its page cap, and the other links still sync.
#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn a_worklog_feed_that_cannot_advance_is_an_error_not_a_loop(pool: PgPool) {
    let sim = start_sim(OrgSize::S, 1).await;
    velocity::sim::sample_org::load(&pool, &sim).await.unwrap();
    let at = chrono::Utc::now() - chrono::Duration::minutes(5);
    {
        let mut org = sim.state.write();
        let template = org.jira.worklogs[0].clone();
        let first = org.jira.worklogs.iter().map(|w| w.id).max().unwrap() + 1;
        for n in 0..1001 {
            org.jira.worklogs.push(velocity::sim::org::JiraWorklog { id: first + n, updated: at, ..template.clone() });
        }
    }
    let report = run(&pool, &Options::new(Scope::All, true, "test"), &|_, _, _| {}).await.expect("the run completes");
    let stalled: Vec<_> = report.failures().filter(|e| e.message.contains("does not move past")).collect();
    assert_eq!(stalled.len(), 1, "{:?}", report.errors);
    assert!(stalled[0].url.as_deref().unwrap_or_default().contains("/worklog/updated"), "{stalled:?}");
    assert!(report.requests < 1000, "the feed was not read over and over: {} requests", report.requests);
    assert!(report.counts["issues"].written > 0 && report.counts["commits"].written > 0, "{:?}", report.counts);
}
