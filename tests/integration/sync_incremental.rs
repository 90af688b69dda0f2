//! Incremental sync against a full one: random upstream mutations through the simulators'
//! admin API (issue edits, creations and deletions, a Jira key rename, worklog changes, a repo
//! rename, new commits, pull requests opened, merged and deleted), an incremental pass, then a
//! full pass into a fresh database: the two content hashes must be equal.

use crate::helpers::start_sim;
use rand::{Rng, SeedableRng};
use serde_json::json;
use sqlx::PgPool;
use velocity::sim::org::OrgSize;
use velocity::sim::server::RunningSim;
use velocity::store::synced::content_hash;
use velocity::sync::{run, Options, RunReport, Scope};

async fn sync(pool: &PgPool, full: bool) -> RunReport {
    let mut opts = Options::new(Scope::All, full, "test");
    // Reconcile deletions on every pass, so the incremental pass must find them too.
    opts.reconcile_after = chrono::Duration::zero();
    let report = run(pool, &opts, &|_, _, _| {})
        .await
        .expect("the run completes");
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    report
}

async fn ids(pool: &PgPool, sql: &str) -> Vec<String> {
    sqlx::query_scalar(sql).fetch_all(pool).await.expect(sql)
}

async fn call(
    http: &reqwest::Client,
    method: reqwest::Method,
    url: String,
    body: serde_json::Value,
) {
    let r = http.request(method, &url).json(&body).send().await.unwrap();
    let status = r.status();
    assert!(
        status.is_success(),
        "{url}: {status} {}",
        r.text().await.unwrap_or_default()
    );
}

/// Picks `n` distinct items with the seeded generator.
fn pick<T: Clone>(rng: &mut rand_chacha::ChaCha8Rng, items: &[T], n: usize) -> Vec<T> {
    let mut pool: Vec<T> = items.to_vec();
    let mut out = Vec::new();
    while out.len() < n && !pool.is_empty() {
        out.push(pool.remove(rng.gen_range(0..pool.len())));
    }
    out
}

async fn mutate(sim: &RunningSim, db: &PgPool, seed: u64) {
    use reqwest::Method;
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let (http, admin) = (reqwest::Client::new(), sim.urls.admin.clone());
    // Two minutes ago: past the worklog feeds' hidden last minute.
    let at = chrono::Utc::now().timestamp_millis() - 120_000;
    let accounts = ids(db, "select external_id from external_account_links where platform = 'jira' and active order by external_id").await;
    let issues = ids(
        db,
        "select jira_issue_id from issues where deleted_at is null order by jira_issue_id",
    )
    .await;
    let worklogs = ids(
        db,
        "select jira_worklog_id from worklogs where deleted_at is null order by jira_worklog_id",
    )
    .await;
    for id in pick(&mut rng, &worklogs, 4).iter().take(2) {
        call(
            &http,
            Method::PUT,
            format!("{admin}/jira/worklogs/{id}"),
            json!({"timeSpentSeconds": rng.gen_range(60..9000), "at": at}),
        )
        .await;
    }
    for id in pick(&mut rng, &worklogs, 2) {
        call(
            &http,
            Method::DELETE,
            format!("{admin}/jira/worklogs/{id}"),
            json!({}),
        )
        .await;
    }
    for issue in pick(&mut rng, &issues, 3) {
        let author = &accounts[rng.gen_range(0..accounts.len())];
        call(&http, Method::POST, format!("{admin}/jira/worklogs"), json!({"issueId": issue, "author": author, "timeSpentSeconds": 1800, "started": at, "at": at})).await;
    }
    for (n, id) in pick(&mut rng, &issues, 6).into_iter().enumerate() {
        let status = ["To Do", "In Progress", "Done"][n % 3];
        let body = json!({"summary": format!("Changed <b>{n}</b>"), "status": status});
        call(
            &http,
            Method::PUT,
            format!("{admin}/jira/issues/{id}"),
            body,
        )
        .await;
    }
    for id in pick(&mut rng, &issues, 2) {
        call(
            &http,
            Method::DELETE,
            format!("{admin}/jira/issues/{id}"),
            json!({}),
        )
        .await;
    }
    let keys = ids(
        db,
        "select key from jira_project_links where active order by key",
    )
    .await;
    for key in pick(&mut rng, &keys, 2) {
        call(
            &http,
            Method::POST,
            format!("{admin}/jira/issues"),
            json!({"projectKey": key, "summary": "New from upstream"}),
        )
        .await;
    }
    let renamed = pick(&mut rng, &keys, 1).remove(0);
    call(
        &http,
        Method::POST,
        format!("{admin}/jira/projects/{renamed}/rename"),
        json!({"newKey": "RENAMEDINC"}),
    )
    .await;
    let repos: Vec<(String, String)> = sqlx::query_as(
        "select platform, slug from repository_links where active order by platform, slug",
    )
    .fetch_all(db)
    .await
    .unwrap();
    for (platform, slug) in pick(&mut rng, &repos, 3) {
        call(
            &http,
            Method::POST,
            format!("{admin}/{platform}/repos/{slug}/commits"),
            json!({"message": "PAY-1 pushed later", "count": 3}),
        )
        .await;
    }
    let pulls: Vec<(String, String, i64, String)> = sqlx::query_as(
        "select l.platform, l.slug, p.number, p.state from pull_requests p join repository_links l on l.id = p.repository_link_id where p.deleted_at is null order by 1, 2, 3",
    )
    .fetch_all(db)
    .await
    .unwrap();
    let open: Vec<_> = pulls.iter().filter(|p| p.3 == "OPEN").cloned().collect();
    for (platform, slug, number, _) in pick(&mut rng, &open, 1) {
        call(
            &http,
            Method::POST,
            format!("{admin}/{platform}/repos/{slug}/pulls/{number}/merge"),
            json!({}),
        )
        .await;
    }
    let closed: Vec<_> = pulls.iter().filter(|p| p.3 != "OPEN").cloned().collect();
    for (platform, slug, number, _) in pick(&mut rng, &closed, 1) {
        call(
            &http,
            Method::DELETE,
            format!("{admin}/{platform}/repos/{slug}/pulls/{number}"),
            json!({}),
        )
        .await;
    }
    let (platform, slug) = pick(&mut rng, &repos, 1).remove(0);
    call(
        &http,
        Method::POST,
        format!("{admin}/{platform}/repos/{slug}/rename"),
        json!({"newSlug": format!("{slug}-renamed")}),
    )
    .await;
}

/// A new, migrated database on the same server, dropped by the caller.
pub(crate) async fn fresh_database(pool: &PgPool) -> (PgPool, String) {
    let name = format!("sync_fresh_{}", uuid::Uuid::new_v4().simple());
    sqlx::query(&format!("create database {name}"))
        .execute(pool)
        .await
        .unwrap();
    let options = pool.connect_options().as_ref().clone().database(&name);
    let fresh = PgPool::connect_with(options).await.unwrap();
    velocity::store::MIGRATOR.run(&fresh).await.unwrap();
    (fresh, name)
}

#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn incremental_after_mutations_equals_a_fresh_full_sync(pool: PgPool) {
    let sim = start_sim(OrgSize::S, 1).await;
    velocity::sim::sample_org::load(&pool, &sim).await.unwrap();
    sync(&pool, true).await;
    let quiet = sync(&pool, false).await;
    assert_eq!(quiet.rows_written, 0, "{:?}", quiet.counts);

    mutate(&sim, &pool, 7).await;
    // The worklog deletion feed hides its last minute, as Jira's does.
    tokio::time::sleep(std::time::Duration::from_secs(61)).await;
    let incremental = sync(&pool, false).await;
    assert!(incremental.rows_written > 0);
    let counts = &incremental.counts;
    assert!(
        counts["issues"].deleted >= 2
            && counts["worklogs"].deleted >= 2
            && counts["pullRequests"].deleted >= 1,
        "{counts:?}"
    );
    let hash = content_hash(&pool).await.unwrap();

    let (fresh, name) = fresh_database(&pool).await;
    velocity::sim::sample_org::load(&fresh, &sim).await.unwrap();
    sync(&fresh, true).await;
    let fresh_hash = content_hash(&fresh).await.unwrap();
    fresh.close().await;
    sqlx::query(&format!("drop database {name} with (force)"))
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(hash, fresh_hash, "incremental and fresh full sync differ");
}
