//! The legacy migration against real PostgreSQL and the simulators: the demo org's legacy
//! records migrate once, a second run changes nothing, a dry run writes nothing, stale Jira keys
//! land on the current key, and missing entities, unknown keys and conflicts are reported.

use crate::helpers::start_sim;
use serde_json::json;
use sqlx::PgPool;
use velocity::links::migrate::{parse_records, Entry, LegacyRecords, Outcome, Report};
use velocity::links::Links;
use velocity::sim::org::OrgSize;
use velocity::sim::server::RunningSim;

async fn demo(pool: &PgPool) -> (Links, RunningSim) {
    let sim = start_sim(OrgSize::S, 1).await;
    velocity::sim::sample_org::load(pool, &sim).await.unwrap();
    (Links::new(pool.clone()), sim)
}

/// The records exactly as `velocity sim --truth` / `velocity demo` write them.
fn demo_records(sim: &RunningSim) -> LegacyRecords {
    let truth = serde_json::to_vec(&sim.state.read().truth).unwrap();
    parse_records(&truth).unwrap()
}

/// Every row of the three link tables, in id order, as text.
async fn link_rows(pool: &PgPool) -> Vec<String> {
    let mut rows = Vec::new();
    for table in ["jira_project_links", "repository_links", "external_account_links"] {
        let sql = format!("select to_jsonb(t)::text from {table} t order by id");
        rows.extend(sqlx::query_scalar::<_, String>(&sql).fetch_all(pool).await.unwrap());
    }
    rows
}

async fn audit_rows(pool: &PgPool) -> Vec<String> {
    sqlx::query_scalar("select to_jsonb(a)::text from audit_log a order by id").fetch_all(pool).await.unwrap()
}

fn find<'a>(report: &'a Report, entity: &str, field: &str) -> &'a Entry {
    report.references.iter().find(|e| e.entity == entity && e.field == field).unwrap_or_else(|| panic!("{entity} {field} in the report"))
}

/// What must not change between runs for references that were not linked.
fn not_linked(report: &Report) -> Vec<String> {
    let rest = report.references.iter().filter(|e| matches!(e.outcome, Outcome::Conflict | Outcome::Unresolved));
    rest.map(|e| format!("{} {} {} {:?} {:?} {:?}", e.entity, e.field, e.value, e.outcome, e.holder, e.reason)).collect()
}

#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn the_demo_migrates_once_then_a_second_run_changes_nothing(pool: PgPool) {
    let (links, sim) = demo(&pool).await;
    let records = demo_records(&sim);
    let (links_before, audit_before) = (link_rows(&pool).await, audit_rows(&pool).await);

    let dry = links.migrate_legacy(&records, true).await.unwrap();
    assert_eq!(link_rows(&pool).await, links_before, "a dry run writes no link");
    assert_eq!(audit_rows(&pool).await, audit_before, "a dry run writes no audit entry");
    assert!(dry.summary().starts_with("would create "), "{}", dry.summary());

    let first = links.migrate_legacy(&records, false).await.unwrap();
    println!("first run: {}", first.summary());
    assert!(first.created > 0 && first.already_present > 0, "{}", first.summary());
    assert_eq!((first.created, first.already_present, first.conflicts, first.unresolved), (dry.created, dry.already_present, dry.conflicts, dry.unresolved), "the dry run predicted the run");
    assert_eq!(first.references.len(), dry.references.len());
    // The demo linked every other project and two persons in three; the rest were not linked.
    let (mobile, platform) = (find(&first, "MOBILE", "jiraKey"), find(&first, "PLATFORM", "jiraKey"));
    assert_eq!(mobile.outcome, Outcome::AlreadyPresent, "{mobile:?}");
    assert_eq!((platform.outcome, platform.is_primary), (Outcome::Created, Some(true)), "{platform:?}");
    let repos = first.references.iter().filter(|e| e.entity == "PLATFORM" && e.field == "bitbucketRepos");
    assert!(repos.clone().count() > 0 && repos.clone().all(|e| e.outcome == Outcome::Created), "{:?}", repos.collect::<Vec<_>>());
    let truth = sim.state.read().truth.clone();
    let (linked, unlinked) = (&truth.persons[0].email, &truth.persons[2].email);
    assert_eq!(find(&first, linked, "slackUserId").outcome, Outcome::AlreadyPresent);
    assert_eq!(find(&first, unlinked, "slackUserId").outcome, Outcome::Created);
    let nicknames: Vec<&Entry> = first.references.iter().filter(|e| e.field == "bitbucketUsername").collect();
    assert!(!nicknames.is_empty() && nicknames.iter().all(|e| e.outcome != Outcome::Unresolved), "Bitbucket nicknames resolve through the members list: {nicknames:?}");
    assert!(nicknames.iter().all(|e| e.external_id.as_deref().is_some_and(|id| id.starts_with('{'))), "stored by the stable {{uuid}}");

    let new_audit: Vec<(String, String)> = sqlx::query_as("select action, source from audit_log order by id").fetch_all(&pool).await.unwrap();
    let new_audit = &new_audit[audit_before.len()..];
    assert_eq!(new_audit.iter().filter(|(a, _)| a == "link.create").count(), first.created);
    assert!(new_audit.iter().all(|(_, source)| source == "migration"), "{new_audit:?}");

    let (links_after, audit_after) = (link_rows(&pool).await, audit_rows(&pool).await);
    let second = links.migrate_legacy(&records, false).await.unwrap();
    println!("second run: {}", second.summary());
    assert_eq!(second.created, 0, "{}", second.summary());
    assert_eq!(second.already_present, first.created + first.already_present);
    assert_eq!(not_linked(&second), not_linked(&first), "the same conflicts and unresolved references");
    assert_eq!(link_rows(&pool).await, links_after, "link tables byte-identical");
    assert_eq!(audit_rows(&pool).await, audit_after, "nothing audited");
}

#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn a_stale_jira_key_migrates_to_the_current_key(pool: PgPool) {
    let (links, sim) = demo(&pool).await;
    // SEARCH is not linked in the demo; its Jira project is renamed after the legacy record was written.
    let renamed = reqwest::Client::new().post(format!("{}/jira/projects/SRCH/rename", sim.urls.admin)).json(&json!({"newKey": "FIND"})).send().await.unwrap();
    assert!(renamed.status().is_success());
    let records = json!({"legacyProjects": [
        {"key": "PLATFORM", "name": "Platform", "jiraKey": "PF", "bitbucketRepos": []},
        {"key": "SEARCH", "name": "Search", "jiraKey": "SRCH", "bitbucketRepos": []}]});
    let records = parse_records(records.to_string().as_bytes()).unwrap();
    let report = links.migrate_legacy(&records, false).await.unwrap();
    for (project, old, new) in [("PLATFORM", "PF", "PLAT"), ("SEARCH", "SRCH", "FIND")] {
        let e = find(&report, project, "jiraKey");
        assert_eq!(e.outcome, Outcome::Created, "{e:?}");
        assert_eq!(e.note.as_deref(), Some(format!("key '{old}' is now '{new}'").as_str()));
        let key: String = sqlx::query_scalar("select key from jira_project_links where id = $1").bind(e.link_id.unwrap()).fetch_one(&pool).await.unwrap();
        assert_eq!(key, new, "the link stores the current key");
    }
    let again = links.migrate_legacy(&records, false).await.unwrap();
    assert_eq!(again.summary(), "created 0, already present 2, conflicts 0, unresolved 0");
}

#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn missing_entities_unknown_references_and_conflicts_are_reported(pool: PgPool) {
    let (links, _sim) = demo(&pool).await;
    let records = json!({"legacyProjects": [
            {"key": "NOSUCH", "jiraKey": "PLAT", "bitbucketRepos": []},
            {"key": "GROWTH", "jiraKey": "MOBILE", "bitbucketWorkspace": "elsewhere", "bitbucketRepos": ["growth-web"]},
            {"key": "SEARCH", "jiraKey": "NOPE", "bitbucketRepos": []}],
        "legacyPersons": [{"email": "nobody@nowhere.test", "slackUserId": "U1"}]});
    let report = links.migrate_legacy(&parse_records(records.to_string().as_bytes()).unwrap(), true).await.unwrap();
    assert_eq!(report.summary(), "would create 0, already present 0, conflicts 1, unresolved 4");
    let reason = |entity, field| find(&report, entity, field).reason.clone().unwrap_or_default();
    assert_eq!(reason("NOSUCH", "jiraKey"), "no project with key 'NOSUCH' in Velocity");
    assert_eq!(find(&report, "GROWTH", "jiraKey").holder.as_deref(), Some("MOBILE"));
    assert_eq!(reason("GROWTH", "bitbucketRepos"), "no Bitbucket connection for workspace 'elsewhere'");
    assert!(reason("SEARCH", "jiraKey").contains("Jira project 'NOPE' does not exist"), "{}", reason("SEARCH", "jiraKey"));
    assert_eq!(reason("nobody@nowhere.test", "slackUserId"), "no person with e-mail 'nobody@nowhere.test' in Velocity");
}

/// Issue 13, item 11: with a second Bitbucket workspace connected, nicknames are looked up in
/// every workspace and link where exactly one member carries them, and `workspace/slug` in a
/// legacy repository field names its own workspace.
#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn several_bitbucket_workspaces_resolve_nicknames_and_workspace_slugs(pool: PgPool) {
    use velocity::store::connections::{insert_connection, list_connections, set_credentials, NewConnection};
    let (links, sim) = demo(&pool).await;
    let bitbucket = list_connections(&pool).await.unwrap().into_iter().find(|c| c.kind == "bitbucket").expect("the demo's workspace");
    let other = insert_connection(&pool, &NewConnection { kind: "bitbucket", name: "Bitbucket (other)", base_url: &bitbucket.base_url, scope: "other-ws", auth_mode: &bitbucket.auth_mode }).await.unwrap();
    set_credentials(&pool, other, bitbucket.credentials.as_ref().unwrap()).await.unwrap();

    let mut records = demo_records(&sim);
    for p in records.legacy_projects.iter_mut().flatten() {
        p.bitbucket_workspace = None;
        p.bitbucket_repos = p.bitbucket_repos.iter().map(|slug| format!("{}/{slug}", bitbucket.scope)).collect();
    }
    let report = links.migrate_legacy(&records, false).await.unwrap();
    let nicknames: Vec<&Entry> = report.references.iter().filter(|e| e.field == "bitbucketUsername").collect();
    assert!(!nicknames.is_empty() && nicknames.iter().all(|e| e.outcome != Outcome::Unresolved), "{nicknames:?}");
    let repos: Vec<&Entry> = report.references.iter().filter(|e| e.field == "bitbucketRepos").collect();
    assert!(!repos.is_empty() && repos.iter().all(|e| e.outcome != Outcome::Unresolved), "{repos:?}");
    let linked: i64 = sqlx::query_scalar("select count(*) from repository_links where connection_id = $1").bind(other).fetch_one(&pool).await.unwrap();
    assert_eq!(linked, 0, "nothing went through the other workspace");

    let bad = json!({"legacyProjects": [{"key": "SEARCH", "name": "Search", "bitbucketRepos": ["nowhere/search-api"]}]});
    let report = links.migrate_legacy(&parse_records(bad.to_string().as_bytes()).unwrap(), false).await.unwrap();
    let e = find(&report, "SEARCH", "bitbucketRepos");
    assert_eq!(e.outcome, Outcome::Unresolved);
    assert!(e.reason.as_deref().is_some_and(|r| r.contains("no Bitbucket connection for workspace 'nowhere'")), "{e:?}");
}

/// Issue 13, item 12: an old system's export imports as it is: legacy fields become links
/// through the same translation as `PUT`, and read-only fields like `id` are ignored and named.
#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn an_old_systems_export_imports_with_its_legacy_fields(pool: PgPool) {
    use velocity::domain::actor::{Actor, Source};
    use velocity::links::entities::import::Format;
    let (links, sim) = demo(&pool).await;
    let records = demo_records(&sim);
    // Slack user of the third legacy person, whom the demo did not link.
    let slack = records.legacy_persons.as_ref().unwrap()[2].slack_user_id.clone().expect("a Slack id");
    sqlx::query("update external_account_links set deleted_at = now(), active = false where external_id = $1").bind(&slack).execute(&pool).await.unwrap();
    let export = json!({
        "projects": [{"id": "old-17", "key": "FINDER", "name": "Finder", "jiraKey": "SRCH", "createdAt": "2019-03-01T00:00:00Z"}],
        "persons": [{"id": 9, "name": "Nia Newcomer", "email": "nia.newcomer@acme.test", "slackUserId": slack, "bitbucketUsername": null}],
    });
    let actor = Actor { person_id: None, source: Source::Api };
    let report = links.import(export.to_string().as_bytes(), Format::Json, actor).await.unwrap();
    assert_eq!((report.created.projects, report.created.persons, report.legacy_links), (1, 1, 2), "{report:?}");
    assert_eq!(report.ignored_fields, vec!["createdAt", "id"]);
    let jira: String = sqlx::query_scalar("select l.key from jira_project_links l join projects p on p.id = l.project_id where p.key = 'FINDER' and l.active and l.is_primary").fetch_one(&pool).await.unwrap();
    assert_eq!(jira, "SRCH");
    let translated: i64 = sqlx::query_scalar("select count(*) from audit_log where action = 'legacy.translate'").fetch_one(&pool).await.unwrap();
    assert_eq!(translated, 2);

    // A legacy value that does not exist upstream rejects its row, and nothing is written.
    let bad = json!({"projects": [{"key": "GHOST", "name": "Ghost", "jiraKey": "NOPE"}]});
    let refused = links.import(bad.to_string().as_bytes(), Format::Json, actor).await.unwrap_err();
    let velocity::links::entities::EntityError::Rejected { report } = refused else { panic!("{refused:?}") };
    assert!(report.rejected[0].message.contains("NOPE"), "{:?}", report.rejected);
    let ghost: i64 = sqlx::query_scalar("select count(*) from projects where key = 'GHOST'").fetch_one(&pool).await.unwrap();
    assert_eq!(ghost, 0);
}
