//! Several workers on one database: two workers share a queued run and every link is synced
//! exactly once; a worker killed with SIGKILL in the middle of a run is taken over once its
//! lease expires, and the run ends with the same content hash as an uninterrupted sync.

use crate::helpers::start_sim;
use crate::sync_incremental::fresh_database;
use serde_json::json;
use sqlx::PgPool;
use std::time::Duration;
use velocity::sim::org::OrgSize;
use velocity::sim::server::RunningSim;
use velocity::store::synced::content_hash;
use velocity::upstream::Limits;
use velocity::sync::worker::{drain, enqueue, WorkerConfig};
use velocity::sync::{run, Options, Scope};

fn worker(id: &str, lease_secs: u64) -> WorkerConfig {
    WorkerConfig {
        id: id.into(),
        lease: Duration::from_secs(lease_secs),
        limits: Limits::default(),
    }
}

/// The hash of an uninterrupted, single-process full sync of the same upstream.
async fn reference_hash(pool: &PgPool, sim: &RunningSim) -> String {
    let (db, name) = fresh_database(pool).await;
    velocity::sim::sample_org::load(&db, sim).await.unwrap();
    let report = run(&db, &Options::new(Scope::All, true, "test"), &|_, _, _| {})
        .await
        .unwrap();
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    let hash = content_hash(&db).await.unwrap();
    db.close().await;
    sqlx::query(&format!("drop database {name} with (force)"))
        .execute(pool)
        .await
        .unwrap();
    hash
}

async fn status(pool: &PgPool, run_id: i64) -> String {
    velocity::store::sync_runs::get(pool, run_id)
        .await
        .unwrap()
        .unwrap()
        .status
}

#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn two_workers_sync_every_link_exactly_once(pool: PgPool) {
    let sim = start_sim(OrgSize::S, 1).await;
    let want = reference_hash(&pool, &sim).await;
    velocity::sim::sample_org::load(&pool, &sim).await.unwrap();
    let run_id = enqueue(&pool, &Options::new(Scope::All, true, "test"), None)
        .await
        .unwrap();
    let (a, b) = (worker("a", 30), worker("b", 30));
    let (done_a, done_b) = tokio::join!(drain(&pool, &a), drain(&pool, &b));
    let (done_a, done_b) = (done_a.unwrap(), done_b.unwrap());
    let items = velocity::store::sync_work::items(&pool, run_id)
        .await
        .unwrap();
    let links: i64 = sqlx::query_scalar("select (select count(*) from jira_project_links where active) + (select count(*) from repository_links where active)").fetch_one(&pool).await.unwrap();
    assert_eq!(
        items.iter().filter(|i| i.1 != "accounts").count() as i64,
        links,
        "one item per active project-side link"
    );
    assert_eq!(done_a + done_b, items.len(), "each item worked once");
    assert!(items.iter().all(|i| i.2 == "done" && i.3 == 1), "{items:?}");
    assert_eq!(status(&pool, run_id).await, "succeeded");
    let run = velocity::store::sync_runs::get(&pool, run_id)
        .await
        .unwrap()
        .unwrap();
    assert!(run.rows_written > 0 && run.requests > 0, "{run:?}");
    assert_eq!(content_hash(&pool).await.unwrap(), want);
}

#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn a_killed_worker_is_taken_over_and_the_run_ends_with_the_same_hash(pool: PgPool) {
    let sim = start_sim(OrgSize::S, 1).await;
    let want = reference_hash(&pool, &sim).await;
    velocity::sim::sample_org::load(&pool, &sim).await.unwrap();
    let http = reqwest::Client::new();
    // Slow upstream answers so the worker is mid-run when it is killed.
    for s in ["jira", "bitbucket", "github", "gitlab", "slack"] {
        http.put(format!("{}/faults/{s}", sim.urls.admin))
            .json(&json!({"latencyMs": 150}))
            .send()
            .await
            .unwrap();
    }
    let run_id = enqueue(&pool, &Options::new(Scope::All, true, "test"), None)
        .await
        .unwrap();
    let server = std::env::var("DATABASE_URL").unwrap();
    let database = pool.connect_options().get_database().unwrap().to_owned();
    let url = format!("{}/{database}", server.rsplit_once('/').unwrap().0);
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_velocity"))
        .args([
            "worker",
            "--database-url",
            &url,
            "--id",
            "doomed",
            "--lease-secs",
            "2",
            "--poll-ms",
            "100",
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("the worker starts");
    let mut killed_mid_run = false;
    for _ in 0..600 {
        let items = velocity::store::sync_work::items(&pool, run_id)
            .await
            .unwrap();
        let done = items.iter().filter(|i| i.2 != "pending").count();
        if done >= 3 && done < items.len() {
            child.kill().unwrap(); // SIGKILL on Unix
            child.wait().unwrap();
            killed_mid_run = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(killed_mid_run, "the worker was killed with work left");
    let claimed_by_dead: usize = velocity::store::sync_work::items(&pool, run_id)
        .await
        .unwrap()
        .iter()
        .filter(|i| i.2 == "pending" && i.4.as_deref() == Some("doomed"))
        .count();
    for s in ["jira", "bitbucket", "github", "gitlab", "slack"] {
        http.put(format!("{}/faults/{s}", sim.urls.admin))
            .json(&json!({"latencyMs": 0}))
            .send()
            .await
            .unwrap();
    }
    eprintln!("killed mid-run holding {claimed_by_dead} claim(s)");
    let rescuer = worker("rescuer", 30);
    for _ in 0..100 {
        drain(&pool, &rescuer).await.unwrap();
        if status(&pool, run_id).await != "running" {
            break;
        }
        // The dead worker's claim holds until its lease expires.
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    assert_eq!(status(&pool, run_id).await, "succeeded");
    let items = velocity::store::sync_work::items(&pool, run_id)
        .await
        .unwrap();
    assert!(items.iter().all(|i| i.2 == "done"));
    if claimed_by_dead > 0 {
        assert!(
            items
                .iter()
                .any(|i| i.3 == 2 && i.4.as_deref() == Some("rescuer")),
            "the dead worker's item was redone: {items:?}"
        );
    }
    assert_eq!(content_hash(&pool).await.unwrap(), want);
}

#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn the_scheduler_queues_each_due_connection_once_per_interval(pool: PgPool) {
    let sim = start_sim(OrgSize::S, 1).await;
    velocity::sim::sample_org::load(&pool, &sim).await.unwrap();
    let conns = velocity::store::connections::list_connections(&pool)
        .await
        .unwrap();
    let jira = conns.iter().find(|c| c.kind == "jira").unwrap().id;
    assert!(
        velocity::sync::worker::schedule(&pool)
            .await
            .unwrap()
            .is_empty(),
        "nothing has an interval yet"
    );
    velocity::store::sync_schedule::set_interval(&pool, jira, Some(3600))
        .await
        .unwrap();
    let first = velocity::sync::worker::schedule(&pool).await.unwrap();
    assert_eq!(first.len(), 1);
    // A second scheduler (another worker) within the interval queues nothing.
    assert!(velocity::sync::worker::schedule(&pool)
        .await
        .unwrap()
        .is_empty());
    drain(&pool, &worker("w", 30)).await.unwrap();
    let run = velocity::store::sync_runs::get(&pool, first[0])
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (run.status.as_str(), run.trigger.as_str()),
        ("succeeded", "scheduler"),
        "{run:?}"
    );
    assert_eq!(run.scope, format!("connection:{jira}"));
    let issues: i64 = sqlx::query_scalar("select count(*) from issues")
        .fetch_one(&pool)
        .await
        .unwrap();
    let commits: i64 = sqlx::query_scalar("select count(*) from commits")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert!(
        issues > 0 && commits == 0,
        "only the Jira connection was synced: {issues} issues, {commits} commits"
    );
}
