//! Against upstreams that refuse past 5 requests a second (each in its own shape: 429 with
//! Retry-After, GitHub's 403 with `x-ratelimit-*`), a full sync paces itself: it succeeds with
//! few refusals, and the run counts every request the simulators saw, refusals and retries
//! included (look-ups, listings and data pages alike).

use crate::helpers::start_sim;
use serde_json::{json, Value};
use sqlx::PgPool;
use velocity::sim::org::OrgSize;
use velocity::sync::{run, Options, Scope};

#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn a_rate_limited_upstream_is_paced_and_every_request_is_counted(pool: PgPool) {
    let sim = start_sim(OrgSize::S, 1).await;
    let http = reqwest::Client::new();
    for s in ["jira", "bitbucket", "github", "gitlab", "slack"] {
        let r = http.put(format!("{}/faults/{s}", sim.urls.admin)).json(&json!({"limitPerSecond": 5})).send().await.unwrap();
        assert!(r.status().is_success());
    }
    velocity::sim::sample_org::load(&pool, &sim).await.unwrap();
    http.delete(format!("{}/counters", sim.urls.admin)).send().await.unwrap();

    let report = run(&pool, &Options::new(Scope::All, true, "test"), &|_, _, _| {}).await.unwrap();
    assert_eq!(report.status, "succeeded", "{:?}", report.errors);

    let seen: Value = http.get(format!("{}/counters", sim.urls.admin)).send().await.unwrap().json().await.unwrap();
    let (seen_total, seen_refused) = (seen["total"].as_u64().unwrap(), seen["refused"].as_u64().unwrap());
    assert_eq!(report.requests, seen_total, "every request the simulators saw is counted on the run");
    assert_eq!(report.refused, seen_refused);
    assert!(report.retries >= report.refused, "each refusal was retried");
    // Unpaced, four requests in flight per connection ran into the limit every second; paced,
    // only the first burst on a platform that announces nothing (Slack, Bitbucket) is refused:
    // at most the four requests in flight on each. (A count, not a share: validating accounts
    // from member listings made the run itself small, 79 requests.)
    assert!(seen_refused <= 2 * 4, "{seen_refused} of {seen_total} requests refused");

    let row: (i32, i32, i32) = sqlx::query_as("select requests, retries, refused from sync_runs where id = $1")
        .bind(report.run_id)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(row, (report.requests as i32, report.retries as i32, report.refused as i32));
}
