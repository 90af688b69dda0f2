//! Issue 14: what synced, read back over REST — every list walked page by page through its
//! cursor with no duplicate and no gap while rows are inserted, filters, provenance on every
//! row, rows deleted upstream only when asked for, CSV with the JSON's columns, and summaries
//! that agree with the stored rows.

use crate::helpers::{demo_app, TestApp};
use serde_json::Value;
use sqlx::PgPool;
use std::collections::BTreeSet;
use uuid::Uuid;
use velocity::sync::{run, Options, Scope};

/// The demo org synced, and the key of its project with the most issues.
async fn synced_demo(pool: &PgPool) -> (TestApp, velocity::sim::server::RunningSim, String) {
    let (app, sim) = demo_app(pool).await;
    run(pool, &Options::new(Scope::All, true, "test"), &|_, _, _| {}).await.expect("the sync runs");
    let key = sqlx::query_scalar("select p.key from issues i join projects p on p.id = i.velocity_project_id group by p.key order by count(*) desc, p.key limit 1").fetch_one(pool).await.unwrap();
    (app, sim, key)
}

async fn get(app: &TestApp, path: &str) -> (u16, Value) {
    let r = app.get(path).await;
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

/// Every item of a list, page by page; `between` runs after the first page.
async fn walk(app: &TestApp, path: &str, limit: usize, mut between: impl FnMut() -> Option<std::pin::Pin<Box<dyn std::future::Future<Output = ()> + 'static>>>) -> Vec<Value> {
    let sep = if path.contains('?') { '&' } else { '?' };
    let mut items = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let url = match &cursor {
            None => format!("{path}{sep}limit={limit}"),
            Some(c) => format!("{path}{sep}limit={limit}&cursor={c}"),
        };
        let (status, page) = get(app, &url).await;
        assert_eq!(status, 200, "{url}: {page}");
        let got = page["items"].as_array().unwrap();
        assert!(got.len() <= limit);
        items.extend(got.iter().cloned());
        if let Some(f) = between() {
            f.await;
        }
        match page["nextCursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => return items,
        }
    }
}

fn no_more() -> Option<std::pin::Pin<Box<dyn std::future::Future<Output = ()> + 'static>>> {
    None
}

#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn every_list_pages_through_all_its_rows_once_with_their_provenance(pool: PgPool) {
    let (app, _sim, key) = synced_demo(&pool).await;
    let project: Uuid = sqlx::query_scalar("select id from projects where key = $1").bind(&key).fetch_one(&pool).await.unwrap();
    let count = |sql: &'static str| {
        let pool = pool.clone();
        async move { sqlx::query_scalar::<_, i64>(sql).bind(project).fetch_one(&pool).await.unwrap() as usize }
    };

    // Issues, with a newer issue inserted after the first page: it sorts before the pages
    // already read, so the walk neither repeats nor skips a row.
    let expected = count("select count(*) from issues where velocity_project_id = $1 and deleted_at is null").await;
    assert!(expected > 10, "the demo syncs enough issues to page through: {expected}");
    let mut inserted = false;
    let pool2 = pool.clone();
    let issues = walk(&app, &format!("/api/projects/{key}/issues"), 7, || {
        if inserted {
            return None;
        }
        inserted = true;
        let pool = pool2.clone();
        Some(Box::pin(async move {
            sqlx::query("insert into issues (connection_id, jira_issue_id, issue_key, jira_project_id, velocity_project_id, jira_project_link_id, summary, status, status_category, created, updated)
                         select connection_id, '999999', 'NEW-9999', jira_project_id, velocity_project_id, jira_project_link_id, 'Inserted while paging', 'To Do', 'new', now(), now()
                         from issues where velocity_project_id = $1 limit 1")
                .bind(project)
                .execute(&pool)
                .await
                .unwrap();
        }))
    })
    .await;
    let keys: BTreeSet<&str> = issues.iter().map(|i| i["key"].as_str().unwrap()).collect();
    assert_eq!(keys.len(), issues.len(), "no duplicates");
    assert_eq!(issues.len(), expected, "no gaps; the row inserted meanwhile is newer than the cursor");
    let created: Vec<&str> = issues.iter().map(|i| i["created"].as_str().unwrap()).collect();
    assert!(created.windows(2).all(|w| w[0] >= w[1]), "newest first");
    for i in &issues {
        let p = &i["provenance"];
        assert!(p["linkId"].is_string() && p["connectionId"].is_string() && p["externalId"].is_string(), "{i}");
        assert!(p["url"].as_str().unwrap().ends_with(&format!("/browse/{}", i["key"].as_str().unwrap())), "{i}");
    }

    for (list, sql) in [
        ("worklogs", "select count(*) from worklogs w join issues i on i.connection_id = w.connection_id and i.jira_issue_id = w.jira_issue_id where i.velocity_project_id = $1 and w.deleted_at is null"),
        ("commits", "select count(*) from commits where velocity_project_id = $1"),
        ("pull-requests", "select count(*) from pull_requests where velocity_project_id = $1 and deleted_at is null"),
    ] {
        let rows = walk(&app, &format!("/api/projects/{key}/{list}"), 25, no_more).await;
        assert_eq!(rows.len(), count(sql).await, "{list}");
        let ids: BTreeSet<String> = rows.iter().map(|r| format!("{}/{}", r["provenance"]["linkId"], r["provenance"]["externalId"])).collect();
        assert_eq!(ids.len(), rows.len(), "{list}: no duplicates");
        assert!(rows.iter().all(|r| r["provenance"]["url"].as_str().unwrap().starts_with("http")), "{list}");
    }

    // A person's worklogs are theirs, whatever the project.
    let person: Uuid = sqlx::query_scalar("select velocity_person_id from worklogs group by 1 order by count(*) desc limit 1").fetch_one(&pool).await.unwrap();
    let theirs: i64 = sqlx::query_scalar("select count(*) from worklogs where velocity_person_id = $1 and deleted_at is null").bind(person).fetch_one(&pool).await.unwrap();
    let rows = walk(&app, &format!("/api/persons/{person}/worklogs"), 50, no_more).await;
    assert_eq!(rows.len() as i64, theirs);
    assert!(rows.iter().all(|r| r["personId"] == person.to_string()));
}

#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn filters_deleted_rows_csv_and_bad_input(pool: PgPool) {
    let (app, _sim, key) = synced_demo(&pool).await;
    let project = key;
    let (_, done) = get(&app, &format!("/api/projects/{project}/issues?status=done&limit=500")).await;
    let done = done["items"].as_array().unwrap().clone();
    assert!(!done.is_empty() && done.iter().all(|i| i["statusCategory"] == "done"), "{done:?}");
    let key = done[0]["key"].as_str().unwrap().to_owned();
    let (_, found) = get(&app, &format!("/api/projects/{project}/issues?q={key}")).await;
    assert!(found["items"].as_array().unwrap().iter().any(|i| i["key"] == key.as_str()));

    sqlx::query("update issues set deleted_at = now() where issue_key = $1").bind(&key).execute(&pool).await.unwrap();
    let (_, hidden) = get(&app, &format!("/api/projects/{project}/issues?q={key}")).await;
    assert!(hidden["items"].as_array().unwrap().iter().all(|i| i["key"] != key.as_str()), "deleted upstream: left out");
    let (_, shown) = get(&app, &format!("/api/projects/{project}/issues?q={key}&deleted=true")).await;
    let row = shown["items"].as_array().unwrap().iter().find(|i| i["key"] == key.as_str()).expect("asked for: shown").clone();
    assert!(row["provenance"]["deletedAt"].is_string());

    let r = app.http.get(format!("{}/api/projects/{project}/commits?format=csv", app.base)).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    let text = r.text().await.unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_owned).collect();
    assert_eq!(header[..3], ["sha", "message", "repository"]);
    assert!(header.contains(&"linkId".to_owned()) && header.contains(&"url".to_owned()));
    let rows = reader.records().count() as i64;
    let commits: i64 = sqlx::query_scalar("select count(*) from commits c join projects p on p.id = c.velocity_project_id where p.key = $1").bind(&project).fetch_one(&pool).await.unwrap();
    assert!(commits > 0);
    assert_eq!(rows, commits, "every commit, in one streamed file");
    let by_accept = app.http.get(format!("{}/api/projects/{project}/issues", app.base)).header("accept", "text/csv").send().await.unwrap();
    assert!(by_accept.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));

    for (path, field) in [
        ("/api/projects/PLATFORM/issues?cursor=nope", "cursor"),
        ("/api/projects/PLATFORM/issues?limit=0", "limit"),
        ("/api/projects/PLATFORM/issues?from=yesterday", "from"),
        ("/api/projects/PLATFORM/issues?from=2026-02-01&to=2026-01-01", "to"),
        ("/api/projects/PLATFORM/issues?format=xml", "format"),
        ("/api/projects/PLATFORM/worklogs?person=not-a-uuid", "person"),
    ] {
        let (status, body) = get(&app, path).await;
        assert_eq!((status, body["error"]["details"]["field"].as_str()), (400, Some(field)), "{path}: {body}");
    }
    let (status, _) = get(&app, "/api/projects/NOPE/issues").await;
    assert_eq!(status, 404);
    let (status, _) = get(&app, &format!("/api/persons/{}/commits", Uuid::nil())).await;
    assert_eq!(status, 404);
    let anonymous = app.anonymous.get(format!("{}/api/projects/PLATFORM/issues", app.base)).send().await.unwrap();
    assert_eq!(anonymous.status(), 401);
}

#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn summaries_agree_with_the_stored_rows(pool: PgPool) {
    let (app, _sim, key) = synced_demo(&pool).await;
    let (status, s) = get(&app, &format!("/api/projects/{key}/summary?from=2020-01-01&to=2029-01-01")).await;
    assert_eq!(status, 200, "{s}");
    let opened: i64 = sqlx::query_scalar("select count(*) from issues i join projects p on p.id = i.velocity_project_id where p.key = $1 and i.deleted_at is null").bind(&key).fetch_one(&pool).await.unwrap();
    assert_eq!(s["issuesOpened"], opened);
    let hours: f64 = s["hours"].as_array().unwrap().iter().map(|h| h["hours"].as_f64().unwrap()).sum();
    let seconds: i64 = sqlx::query_scalar(
        "select coalesce(sum(w.time_spent_seconds), 0)::int8 from worklogs w join issues i on i.connection_id = w.connection_id and i.jira_issue_id = w.jira_issue_id join projects p on p.id = i.velocity_project_id where p.key = $1 and w.deleted_at is null",
    )
    .bind(&key)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!((hours - seconds as f64 / 3600.0).abs() < 0.05 * s["hours"].as_array().unwrap().len() as f64 + 0.01, "{hours} vs {seconds} s");
    let commits: i64 = s["code"].as_array().unwrap().iter().map(|c| c["commits"].as_i64().unwrap()).sum();
    let stored: i64 = sqlx::query_scalar("select count(*) from commits c join projects p on p.id = c.velocity_project_id where p.key = $1").bind(&key).fetch_one(&pool).await.unwrap();
    assert_eq!(commits, stored);
    assert!(s["hours"].as_array().unwrap().iter().all(|h| h["week"].as_str().unwrap().len() == 10));

    let person: Uuid = sqlx::query_scalar("select velocity_person_id from worklogs group by 1 order by count(*) desc limit 1").fetch_one(&pool).await.unwrap();
    let (status, mine) = get(&app, &format!("/api/persons/{person}/summary?from=2020-01-01")).await;
    assert_eq!(status, 200, "{mine}");
    assert!(!mine["hours"].as_array().unwrap().is_empty(), "hours per project: {mine}");
    let (status, body) = get(&app, "/api/projects/PLATFORM/summary?from=2026-02-01&to=2026-01-01").await;
    assert_eq!((status, body["error"]["details"]["field"].as_str()), (400, Some("to")));
}

/// Resolved and merged are counted by when that happened upstream, not by the last update: an
/// issue resolved in one week and edited in a later one counts as resolved in the first.
#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn resolved_and_merged_count_by_their_own_time(pool: PgPool) {
    let (app, sim, key) = synced_demo(&pool).await;
    let issue: String = sqlx::query_scalar(
        "select i.jira_issue_id from issues i join projects p on p.id = i.velocity_project_id
         where p.key = $1 and i.deleted_at is null and i.status_category <> 'done' order by i.jira_issue_id limit 1",
    )
    .bind(&key)
    .fetch_one(&pool)
    .await
    .unwrap();
    let resolved = chrono::DateTime::parse_from_rfc3339("2026-03-04T10:00:00Z").unwrap().with_timezone(&chrono::Utc);
    let edited = resolved + chrono::Duration::days(20);
    let admin = &sim.urls.admin;
    let http = reqwest::Client::new();
    for body in [serde_json::json!({"status": "Done", "at": resolved.timestamp_millis()}), serde_json::json!({"summary": "Edited after it was resolved", "at": edited.timestamp_millis()})] {
        let r = http.put(format!("{admin}/jira/issues/{issue}")).json(&body).send().await.unwrap();
        assert!(r.status().is_success(), "{}", r.text().await.unwrap());
    }
    // A full pass: the simulator dates both changes in the past, before the incremental cursor.
    run(&pool, &Options::new(Scope::All, true, "test"), &|_, _, _| {}).await.expect("the sync runs");
    let stored: Option<chrono::DateTime<chrono::Utc>> = sqlx::query_scalar("select resolved_at from issues where jira_issue_id = $1").bind(&issue).fetch_one(&pool).await.unwrap();
    assert_eq!(stored, Some(resolved), "Jira's resolution date, not the later edit");

    let week = |from: chrono::DateTime<chrono::Utc>| format!("/api/projects/{key}/summary?from={}&to={}", from.format("%Y-%m-%d"), (from + chrono::Duration::days(7)).format("%Y-%m-%d"));
    let in_range = |from: chrono::DateTime<chrono::Utc>| {
        let pool = pool.clone();
        let key = key.clone();
        async move {
            sqlx::query_scalar::<_, i64>(
                "select count(*) from issues i join projects p on p.id = i.velocity_project_id
                 where p.key = $1 and i.deleted_at is null and i.resolved_at >= $2 and i.resolved_at < $2 + interval '7 days'",
            )
            .bind(key)
            .bind(from.date_naive().and_hms_opt(0, 0, 0).unwrap().and_utc())
            .fetch_one(&pool)
            .await
            .unwrap()
        }
    };
    let (status, s) = get(&app, &week(resolved)).await;
    assert_eq!(status, 200, "{s}");
    let expected = in_range(resolved).await;
    assert!(expected >= 1);
    assert_eq!(s["issuesResolved"], expected, "{s}");
    let (_, later) = get(&app, &week(edited)).await;
    assert_eq!(later["issuesResolved"], in_range(edited).await, "the edit's week does not count it again: {later}");

    let (_, list) = get(&app, &format!("/api/projects/{key}/issues?q={}", "Edited%20after")).await;
    assert_eq!(list["items"][0]["resolved"], "2026-03-04T10:00:00Z", "{list}");

    // Every merged pull request carries its merge time, and the summary's weeks add up to them.
    let unmerged: i64 = sqlx::query_scalar("select count(*) from pull_requests where (state = 'MERGED') <> (merged_at is not null)").fetch_one(&pool).await.unwrap();
    assert_eq!(unmerged, 0, "merged exactly when a merge time is stored");
    // A summary covers at most ten years; the sample org's data lies within these.
    let (status, all) = get(&app, &format!("/api/projects/{key}/summary?from=2020-01-01&to=2029-12-31")).await;
    assert_eq!(status, 200, "{all}");
    let merged: i64 = all["code"].as_array().unwrap().iter().map(|c| c["pullRequestsMerged"].as_i64().unwrap()).sum();
    let stored: i64 = sqlx::query_scalar("select count(*) from pull_requests r join projects p on p.id = r.velocity_project_id where p.key = $1 and r.deleted_at is null and r.merged_at is not null")
        .bind(&key)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(merged, stored);
}
