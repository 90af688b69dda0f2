//! The sync engine against the simulators and real PostgreSQL: a second run writes nothing and
//! leaves the content hash alone, inactive links are never fetched, renamed and deleted
//! upstream entities follow the spec's rules.

use crate::helpers::start_sim;
use serde_json::{json, Value};
use sqlx::PgPool;
use velocity::sim::org::OrgSize;
use velocity::sim::server::RunningSim;
use velocity::store::synced::content_hash;
use velocity::sync::{run, Options, RunReport, Scope};

async fn demo(pool: &PgPool) -> RunningSim {
    let sim = start_sim(OrgSize::S, 1).await;
    velocity::sim::sample_org::load(pool, &sim)
        .await
        .expect("demo org loads");
    sim
}

async fn sync(pool: &PgPool, scope: Scope, full: bool) -> RunReport {
    let opts = Options::new(scope, full, "test");
    run(pool, &opts, &|_, _, _| {})
        .await
        .expect("the run completes")
}

fn written(r: &RunReport, entity: &str) -> u64 {
    r.counts.get(entity).map_or(0, |c| c.written)
}

async fn count(pool: &PgPool, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(pool).await.expect(sql)
}

async fn counters(sim: &RunningSim) -> Value {
    reqwest::get(format!("{}/counters", sim.urls.admin))
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn a_second_sync_writes_nothing_and_keeps_the_hash(pool: PgPool) {
    let _sim = demo(&pool).await;
    let first = sync(&pool, Scope::All, true).await;
    assert!(first.errors.is_empty(), "{:?}", first.errors);
    for entity in ["issues", "worklogs", "commits", "pullRequests"] {
        assert!(
            written(&first, entity) > 0,
            "{entity} written: {:?}",
            first.counts
        );
    }
    assert!(first.requests > 0 && first.links > 0);
    let hash = content_hash(&pool).await.unwrap();

    let second = sync(&pool, Scope::All, true).await;
    assert!(second.errors.is_empty(), "{:?}", second.errors);
    assert_eq!(second.rows_written, 0, "{:?}", second.counts);
    assert_eq!(
        second.counts["issues"].fetched,
        first.counts["issues"].fetched
    );
    assert_eq!(content_hash(&pool).await.unwrap(), hash);

    // Link metadata shows the sync.
    assert_eq!(count(&pool, "select count(*) from jira_project_links where active and (last_synced is null or total_issues is null or open_issues is null)").await, 0);
    assert!(
        count(
            &pool,
            "select count(*) from jira_project_links where total_issues > 0"
        )
        .await
            > 0
    );
    assert_eq!(count(&pool, "select count(*) from repository_links where active and (last_synced is null or default_branch is null)").await, 0);
    assert!(
        count(
            &pool,
            "select count(*) from repository_links where last_commit is not null"
        )
        .await
            > 0
    );
    assert!(count(&pool, "select count(*) from external_account_links where platform = 'jira' and last_seen is not null").await > 0);
    // Worklogs belong to persons only through their active Jira account links.
    assert_eq!(count(&pool, "select count(*) from worklogs w join external_account_links l on l.id = w.jira_account_link_id where l.person_id <> w.velocity_person_id or l.external_id <> w.jira_account_id or not l.active").await, 0);
    // Runs are recorded with their counts.
    let runs = velocity::store::sync_runs::list(&pool, 10).await.unwrap();
    assert_eq!(runs.len(), 2);
    assert_eq!(
        (runs[0].status.as_str(), runs[0].rows_written),
        ("succeeded", 0)
    );
    assert!(runs[1].rows_written > 0 && runs[1].requests > 0);
}

#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn inactive_links_are_never_fetched(pool: PgPool) {
    let sim = demo(&pool).await;
    sqlx::query("update repository_links set active = false where platform = 'github'")
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query("update jira_project_links set active = false")
        .execute(&pool)
        .await
        .unwrap();
    reqwest::Client::new()
        .delete(format!("{}/counters", sim.urls.admin))
        .send()
        .await
        .unwrap();
    let report = sync(&pool, Scope::All, true).await;
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    let c = counters(&sim).await;
    let routes = |s: &str| {
        c["bySimulator"][s]
            .as_object()
            .map(|m| m.keys().cloned().collect::<Vec<_>>())
            .unwrap_or_default()
    };
    assert!(
        routes("github").iter().all(|r| !r.contains("repos")),
        "{:?}",
        routes("github")
    );
    assert!(
        // The member listing (`users/search`) validates the account links; no issue search.
        routes("jira")
            .iter()
            .filter(|r| !r.ends_with("/users/search"))
            .all(|r| !r.contains("/search") && !r.contains("/project")),
        "{:?}",
        routes("jira")
    );
    assert!(
        routes("bitbucket").iter().any(|r| r.contains("/commits")),
        "active Bitbucket links are fetched"
    );
    assert_eq!(count(&pool, "select count(*) from issues").await, 0);
    assert_eq!(count(&pool, "select count(*) from commits c join connections k on k.id = c.connection_id where k.kind = 'github'").await, 0);
    assert!(count(&pool, "select count(*) from commits").await > 0);
    // Worklogs still come through the active account links.
    assert!(count(&pool, "select count(*) from worklogs").await > 0);
}

#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn project_and_person_scopes_fetch_only_their_links(pool: PgPool) {
    let _sim = demo(&pool).await;
    let key: String = sqlx::query_scalar("select p.key from projects p join jira_project_links l on l.project_id = p.id order by p.key limit 1").fetch_one(&pool).await.unwrap();
    let report = sync(&pool, Scope::Project(key.clone()), false).await;
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert!(written(&report, "issues") > 0);
    assert_eq!(written(&report, "worklogs"), 0);
    assert_eq!(count(&pool, &format!("select count(*) from issues i join projects p on p.id = i.velocity_project_id where p.key <> '{key}'")).await, 0);
    let person: uuid::Uuid = sqlx::query_scalar("select person_id from external_account_links where platform = 'jira' and active order by person_id limit 1").fetch_one(&pool).await.unwrap();
    let report = sync(&pool, Scope::Person(person), false).await;
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert_eq!(
        count(
            &pool,
            &format!("select count(*) from worklogs where velocity_person_id <> '{person}'")
        )
        .await,
        0
    );
    let missing = velocity::sync::run(
        &pool,
        &Options::new(Scope::Project("NOSUCH".into()), false, "test"),
        &|_, _, _| {},
    )
    .await;
    assert!(
        matches!(missing, Err(velocity::sync::SyncError::NotFound(_))),
        "{missing:?}"
    );
}

#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn renamed_and_deleted_upstream_entities_follow_the_rules(pool: PgPool) {
    let sim = demo(&pool).await;
    assert!(sync(&pool, Scope::All, true).await.errors.is_empty());
    let http = reqwest::Client::new();
    let admin = &sim.urls.admin;
    let (link_id, key): (uuid::Uuid, String) =
        sqlx::query_as("select l.id, l.key from jira_project_links l where l.active and l.total_issues > 0 order by l.key limit 1").fetch_one(&pool).await.unwrap();
    let r = http
        .post(format!("{admin}/jira/projects/{key}/rename"))
        .json(&json!({"newKey": "RENAMEDX"}))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{}", r.text().await.unwrap());
    let (repo_link, slug): (uuid::Uuid, String) =
        sqlx::query_as("select id, slug from repository_links where platform = 'github' and active order by slug limit 1").fetch_one(&pool).await.unwrap();
    let commits_before = count(
        &pool,
        &format!("select count(*) from commits where repository_link_id = '{repo_link}'"),
    )
    .await;
    assert!(commits_before > 0);
    let r = http
        .delete(format!("{admin}/github/repos/{slug}"))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{}", r.text().await.unwrap());

    let report = sync(&pool, Scope::All, false).await;
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    // Renamed: the link follows the stable id, and the issues carry the new keys.
    let new_key: String = sqlx::query_scalar("select key from jira_project_links where id = $1")
        .bind(link_id)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(new_key, "RENAMEDX");
    assert_eq!(count(&pool, &format!("select count(*) from issues where jira_project_link_id = '{link_id}' and issue_key not like 'RENAMEDX-%'")).await, 0);
    assert!(count(&pool, &format!("select count(*) from audit_log where link_id = '{link_id}' and action = 'link.renamed' and source = 'sync'")).await == 1);
    // Gone: verified = false, audited, its data kept, nothing more fetched through it.
    let verified: bool = sqlx::query_scalar("select verified from repository_links where id = $1")
        .bind(repo_link)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert!(!verified);
    assert_eq!(
        count(
            &pool,
            &format!("select count(*) from commits where repository_link_id = '{repo_link}'")
        )
        .await,
        commits_before
    );
    assert_eq!(count(&pool, &format!("select count(*) from audit_log where link_id = '{repo_link}' and action = 'link.invalidated'")).await, 1);
    // Both are in the run's report and its stored row, a sentence each.
    let by_link = |id: uuid::Uuid| report.link_changes.iter().find(|c| c.link_id == id).cloned();
    let renamed = by_link(link_id).expect("the rename is reported");
    assert_eq!(renamed.outcome, "renamed");
    assert!(renamed.message.contains("renamed upstream to RENAMEDX"), "{}", renamed.message);
    let gone = by_link(repo_link).expect("the invalidation is reported");
    assert_eq!(gone.outcome, "invalidated");
    assert!(gone.message.contains("gone upstream"), "{}", gone.message);
    let stored: Value = sqlx::query_scalar("select link_changes from sync_runs where id = $1").bind(report.run_id).fetch_one(&pool).await.unwrap();
    assert_eq!(stored.as_array().map(Vec::len), Some(report.link_changes.len()));
}

/// Requests to one simulator's route since the counters were last reset.
fn route_count(counters: &Value, sim: &str, route: &str) -> u64 {
    counters["bySimulator"][sim][route].as_u64().unwrap_or(0)
}

#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn incremental_passes_batch_issue_searches_and_validate_accounts_when_due(pool: PgPool) {
    let sim = demo(&pool).await;
    assert!(sync(&pool, Scope::All, true).await.errors.is_empty());
    let jira_links = count(&pool, "select count(*) from jira_project_links where active and verified and deleted_at is null").await as u64;
    // (The demo org has one Jira site.)
    let jira_accounts = count(&pool, "select count(*) from external_account_links where platform = 'jira' and active and deleted_at is null").await as u64;
    assert!(jira_links > 1 && jira_accounts > 0);
    let http = reqwest::Client::new();
    // An account renamed upstream: seen by the next pass that validates accounts.
    let (account_link, account_id): (uuid::Uuid, String) = sqlx::query_as("select id, external_id from external_account_links where platform = 'jira' and active and deleted_at is null order by external_id limit 1").fetch_one(&pool).await.unwrap();
    sim.state.write().jira.users.iter_mut().find(|u| u.account_id == account_id).expect("the linked user").display_name = "Renamed Upstream".into();
    let reset = || http.delete(format!("{}/counters", sim.urls.admin)).send();
    reset().await.unwrap();

    let report = sync(&pool, Scope::All, false).await;
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    let c = counters(&sim).await;
    assert_eq!(route_count(&c, "jira", "GET /rest/api/3/user"), 0, "accounts validated a moment ago are not looked up again");
    // One search for every linked project with a cursor; one each for those without (no issues).
    let uncursored = count(&pool, "select count(*) from jira_project_links l where active and verified and deleted_at is null and not exists (select 1 from sync_cursors c where c.link_id = l.id and c.stream = 'issues')").await as u64;
    assert!(uncursored < jira_links - 1);
    assert_eq!(route_count(&c, "jira", "GET /rest/api/3/search/jql"), 1 + uncursored, "{c}");
    let name: Option<String> = sqlx::query_scalar("select display_name from external_account_links where id = $1").bind(account_link).fetch_one(&pool).await.unwrap();
    assert_ne!(name.as_deref(), Some("Renamed Upstream"));

    reset().await.unwrap();
    let mut due = Options::new(Scope::All, false, "test");
    due.validate_accounts_after = chrono::Duration::zero();
    assert!(run(&pool, &due, &|_, _, _| {}).await.unwrap().errors.is_empty());
    let c = counters(&sim).await;
    // One member listing answers for all of them (at least ten on the connection), not a
    // look-up each.
    assert!(jira_accounts >= 10, "the demo links enough Jira accounts to list them: {jira_accounts}");
    assert_eq!(route_count(&c, "jira", "GET /rest/api/3/user"), 0, "{c}");
    assert!(route_count(&c, "jira", "GET /rest/api/3/users/search") >= 1, "{c}");
    let name: Option<String> = sqlx::query_scalar("select display_name from external_account_links where id = $1").bind(account_link).fetch_one(&pool).await.unwrap();
    assert_eq!(name.as_deref(), Some("Renamed Upstream"));
    assert_eq!(count(&pool, &format!("select count(*) from audit_log where link_id = '{account_link}' and action = 'link.renamed' and source = 'sync'")).await, 1);
    // The entry belongs to the person (by id); the run's sentence names them.
    let (person_id, person_name): (uuid::Uuid, String) = sqlx::query_as("select p.id, p.name from external_account_links l join persons p on p.id = l.person_id where l.id = $1").bind(account_link).fetch_one(&pool).await.unwrap();
    assert_eq!(count(&pool, &format!("select count(*) from audit_log where link_id = '{account_link}' and entity_type = 'person' and entity_id = '{person_id}'")).await, 1);
    let said: Vec<String> = sqlx::query_scalar("select e->>'message' from sync_runs, jsonb_array_elements(link_changes) e").fetch_all(&pool).await.unwrap();
    assert!(said.iter().any(|s| s.starts_with(&format!("{person_name}'s account link"))), "{said:?}");
}

/// Issue 13, item 5: when most of a connection's links come back "not found" in one run, that is
/// a wrong token, scope or base URL far more often than a mass deletion: nothing is
/// invalidated and the run fails saying so.
#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn most_links_gone_at_once_invalidates_none_and_fails_the_run(pool: PgPool) {
    let _sim = demo(&pool).await;
    // Every Slack account link now names an id Slack does not have (as a token for another
    // workspace would see it).
    let moved = sqlx::query("update external_account_links set external_id = external_id || 'X' where platform = 'slack' and deleted_at is null").execute(&pool).await.unwrap().rows_affected();
    assert!(moved >= 5, "enough Slack links for the guard: {moved}");
    let report = sync(&pool, Scope::All, true).await;
    assert_ne!(report.status, "succeeded");
    assert!(report.errors.iter().any(|e| e.message.contains("none was invalidated")), "{:?}", report.errors);
    let unverified: i64 = sqlx::query_scalar("select count(*) from external_account_links where platform = 'slack' and not verified").fetch_one(&pool).await.unwrap();
    assert_eq!(unverified, 0, "no link was invalidated");
    let audited: i64 = sqlx::query_scalar("select count(*) from audit_log where action = 'link.invalidated'").fetch_one(&pool).await.unwrap();
    assert_eq!(audited, 0);
}

/// Issue 13, item 4: one project whose cursor lies a year back (long unsynced, or freshly
/// migrated) is searched alone; the other projects' search reads only what changed, and a run
/// with no upstream change reads no issue at all.
#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn one_stale_cursor_does_not_drag_every_project_back(pool: PgPool) {
    let _sim = demo(&pool).await;
    assert!(sync(&pool, Scope::All, true).await.errors.is_empty());
    let fetched = |r: &RunReport| r.counts.get("issues").map_or(0, |c| c.fetched);
    let quiet = sync(&pool, Scope::All, false).await;
    assert!(quiet.errors.is_empty(), "{:?}", quiet.errors);
    assert_eq!(fetched(&quiet), 0, "no upstream change, no issue read");

    let (stale, stale_issues): (uuid::Uuid, i64) = sqlx::query_as(
        "select l.id, (select count(*) from issues i where i.jira_project_link_id = l.id) from jira_project_links l where l.active order by 2 desc, l.key limit 1",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let all_issues = count(&pool, "select count(*) from issues").await;
    assert!(stale_issues > 0 && all_issues > stale_issues);
    let year_ago = (chrono::Utc::now() - chrono::Duration::days(365)).to_rfc3339();
    sqlx::query("update sync_cursors set value = $2 where link_id = $1 and stream = 'issues'").bind(stale).bind(&year_ago).execute(&pool).await.unwrap();
    let dragged = sync(&pool, Scope::All, false).await;
    assert!(dragged.errors.is_empty(), "{:?}", dragged.errors);
    assert!(fetched(&dragged) <= stale_issues as u64, "only the stale project's issues are reread: {} of {all_issues}", fetched(&dragged));
    assert_eq!(fetched(&sync(&pool, Scope::All, false).await), 0, "its cursor caught up");
}

/// Issue 13, item 6: a platform whose per-id user endpoint is not served (404, self-hosted
/// versions) or refused (403, restricted tokens) still validates its account links, from the
/// member listing; nothing is invalidated and the run reports no error.
#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn account_links_are_validated_from_the_member_listing_when_per_id_look_ups_fail(pool: PgPool) {
    let sim = demo(&pool).await;
    assert!(sync(&pool, Scope::All, true).await.errors.is_empty());
    let http = reqwest::Client::new();
    for (s, status) in [("github", 404), ("gitlab", 403), ("bitbucket", 404), ("slack", 403)] {
        let r = http.put(format!("{}/faults/{s}", sim.urls.admin)).json(&json!({"perIdLookupStatus": status})).send().await.unwrap();
        assert!(r.status().is_success(), "{}", r.text().await.unwrap());
    }
    let refused = http.put(format!("{}/faults/github", sim.urls.admin)).json(&json!({"perIdLookupStatus": 200})).send().await.unwrap();
    assert_eq!(refused.status(), 400, "only an error status can stand for a refused look-up");
    http.put(format!("{}/faults/github", sim.urls.admin)).json(&json!({"perIdLookupStatus": 404})).send().await.unwrap();
    http.delete(format!("{}/counters", sim.urls.admin)).send().await.unwrap();

    let report = sync(&pool, Scope::All, true).await;
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert!(report.link_changes.iter().all(|c| c.outcome != "invalidated"), "{:?}", report.link_changes);
    let unverified = count(&pool, "select count(*) from external_account_links where active and not verified and platform in ('github', 'gitlab', 'bitbucket', 'slack')").await;
    assert_eq!(unverified, 0);
    let c = counters(&sim).await;
    assert!(route_count(&c, "gitlab", "GET /api/v4/users/{id}") > 0, "the per-id endpoint was asked first: {c}");
    assert!(route_count(&c, "gitlab", "GET /api/v4/groups/{id}/members/all") > 0, "then the listing: {c}");
}

#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn jira_projects_are_validated_from_the_project_listing_when_ten_or_more_are_linked(pool: PgPool) {
    use velocity::store::links::{insert_jira_project_link, LinkMeta, NewJiraProjectLink};
    let sim = demo(&pool).await;
    // Every live Jira project of the site linked (the demo links a few): enough for the listing.
    let (connection_id, project_id): (uuid::Uuid, uuid::Uuid) = sqlx::query_as("select connection_id, project_id from jira_project_links limit 1").fetch_one(&pool).await.unwrap();
    let linked: Vec<String> = sqlx::query_scalar("select jira_project_id from jira_project_links").fetch_all(&pool).await.unwrap();
    let unlinked: Vec<(String, String)> = sim.state.read().jira.projects.iter().filter(|p| !p.deleted && !linked.contains(&p.id.to_string())).map(|p| (p.id.to_string(), p.key.clone())).collect();
    for (id, key) in &unlinked {
        let link = NewJiraProjectLink { project_id, jira_project_id: id, key, name: key, url: format!("{}/browse/{key}", sim.urls.jira), total_issues: None };
        insert_jira_project_link(&pool, &link, &LinkMeta { connection_id, linked_by: None, is_primary: false, active: true }).await.unwrap();
    }
    let jira_links = count(&pool, "select count(*) from jira_project_links where active").await;
    assert!(jira_links >= 10, "the site has enough projects to list them: {jira_links}");
    // A project renamed upstream is found in the listing under its new key, and a name that
    // drifted is taken back from it.
    let key: String = sqlx::query_scalar("select key from jira_project_links where active order by key limit 1").fetch_one(&pool).await.unwrap();
    let http = reqwest::Client::new();
    let r = http.post(format!("{}/jira/projects/{key}/rename", sim.urls.admin)).json(&json!({"newKey": "LISTEDX"})).send().await.unwrap();
    assert!(r.status().is_success(), "{}", r.text().await.unwrap());
    http.delete(format!("{}/counters", sim.urls.admin)).send().await.unwrap();

    let report = sync(&pool, Scope::All, false).await;
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    let c = counters(&sim).await;
    assert_eq!(route_count(&c, "jira", "GET /rest/api/3/project/{id_or_key}"), 0, "no look-up per project: {c}");
    assert!(route_count(&c, "jira", "GET /rest/api/3/project/search") >= 1, "{c}");
    assert_eq!(count(&pool, "select count(*) from jira_project_links where key = 'LISTEDX' and verified").await, 1);
    assert_eq!(count(&pool, &format!("select count(*) from jira_project_links where key = '{key}'")).await, 0);
    assert!(report.link_changes.iter().any(|c| c.outcome == "renamed" && c.message.contains("LISTEDX")), "{:?}", report.link_changes);
    // Names the sample org gave its extra links ("KEY") are corrected from the listing.
    assert_eq!(count(&pool, "select count(*) from jira_project_links where name = key").await, 0);
}
