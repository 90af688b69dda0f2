//! The database itself enforces the link rules, whatever the application does.

use sqlx::PgPool;
use uuid::Uuid;
use velocity::store::connections::{insert_connection, NewConnection};
use velocity::store::links::*;
use velocity::store::persons::insert_person;
use velocity::store::projects::insert_project;

struct Fixture {
    jira: Uuid,
    bitbucket: Uuid,
    mobile: Uuid,
    billing: Uuid,
    john: Uuid,
    jane: Uuid,
}

async fn fixture(pool: &PgPool) -> Fixture {
    let c = |kind, base_url, scope| NewConnection { kind, name: "test", base_url, scope, auth_mode: if kind == "jira" { "basic" } else { "bearer" } };
    Fixture {
        jira: insert_connection(pool, &c("jira", "https://a.atlassian.net", "")).await.unwrap(),
        bitbucket: insert_connection(pool, &c("bitbucket", "https://api.bitbucket.org", "acme")).await.unwrap(),
        mobile: insert_project(pool, "MOBILE", "Mobile App", "", None).await.unwrap(),
        billing: insert_project(pool, "BILLING", "Billing", "", None).await.unwrap(),
        john: insert_person(pool, "John Doe", "john@acme.test").await.unwrap(),
        jane: insert_person(pool, "Jane Roe", "jane@acme.test").await.unwrap(),
    }
}

fn jira_link(project_id: Uuid, id: &str) -> NewJiraProjectLink<'_> {
    NewJiraProjectLink { project_id, jira_project_id: id, key: "MOB", name: "Mobile", url: "https://a.atlassian.net/browse/MOB".into(), total_issues: None }
}

fn meta(connection_id: Uuid, is_primary: bool) -> LinkMeta {
    LinkMeta { connection_id, linked_by: None, is_primary, active: true }
}

fn constraint_of(e: sqlx::Error) -> String {
    e.as_database_error().and_then(|d| d.constraint()).unwrap_or("<none>").to_owned()
}

#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn second_project_cannot_link_the_same_jira_project(pool: PgPool) {
    let f = fixture(&pool).await;
    insert_jira_project_link(&pool, &jira_link(f.mobile, "10001"), &meta(f.jira, true)).await.unwrap();
    let err = insert_jira_project_link(&pool, &jira_link(f.billing, "10001"), &meta(f.jira, true)).await.unwrap_err();
    assert_eq!(constraint_of(err), "jira_project_links_external_key");
}

#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn a_deleted_link_frees_its_external_id(pool: PgPool) {
    let f = fixture(&pool).await;
    let id = insert_jira_project_link(&pool, &jira_link(f.mobile, "10001"), &meta(f.jira, true)).await.unwrap();
    sqlx::query("update jira_project_links set deleted_at = now() where id = $1").bind(id).execute(&pool).await.unwrap();
    insert_jira_project_link(&pool, &jira_link(f.billing, "10001"), &meta(f.jira, true)).await.unwrap();
}

#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn one_primary_jira_project_per_project(pool: PgPool) {
    let f = fixture(&pool).await;
    insert_jira_project_link(&pool, &jira_link(f.mobile, "10001"), &meta(f.jira, true)).await.unwrap();
    insert_jira_project_link(&pool, &jira_link(f.mobile, "10002"), &meta(f.jira, false)).await.unwrap();
    let err = insert_jira_project_link(&pool, &jira_link(f.mobile, "10003"), &meta(f.jira, true)).await.unwrap_err();
    assert_eq!(constraint_of(err), "jira_project_links_primary_key");
}

fn repo(project_id: Uuid, platform: &'static str, id: &'static str) -> NewRepositoryLink<'static> {
    NewRepositoryLink { project_id, platform, external_id: id, workspace: Some("acme"), slug: "api", name: "api", url: "https://bitbucket.org/acme/api".into(), default_branch: None, last_commit: None }
}

#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn repository_links_are_unique_and_match_their_connection(pool: PgPool) {
    let f = fixture(&pool).await;
    insert_repository_link(&pool, &repo(f.mobile, "bitbucket", "{r1}"), &meta(f.bitbucket, true)).await.unwrap();
    let taken = insert_repository_link(&pool, &repo(f.billing, "bitbucket", "{r1}"), &meta(f.bitbucket, false)).await.unwrap_err();
    assert_eq!(constraint_of(taken), "repository_links_external_key");
    let second_primary = insert_repository_link(&pool, &repo(f.mobile, "bitbucket", "{r2}"), &meta(f.bitbucket, true)).await.unwrap_err();
    assert_eq!(constraint_of(second_primary), "repository_links_primary_key");
    // A GitHub repository cannot live on a Bitbucket connection.
    let wrong_kind = insert_repository_link(&pool, &repo(f.mobile, "github", "42"), &meta(f.bitbucket, false)).await.unwrap_err();
    assert_eq!(constraint_of(wrong_kind), "repository_links_connection_id_platform_fkey");
}

fn account(person_id: Uuid, id: &'static str) -> NewAccountLink<'static> {
    NewAccountLink { person_id, platform: "jira", external_id: id, username: None, display_name: None, email: None }
}

#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn account_links_are_unique_with_one_primary_per_platform(pool: PgPool) {
    let f = fixture(&pool).await;
    insert_account_link(&pool, &account(f.john, "acc-1"), &meta(f.jira, true)).await.unwrap();
    let taken = insert_account_link(&pool, &account(f.jane, "acc-1"), &meta(f.jira, true)).await.unwrap_err();
    assert_eq!(constraint_of(taken), "external_account_links_external_key");
    insert_account_link(&pool, &account(f.john, "acc-2"), &meta(f.jira, false)).await.unwrap();
    let second_primary = insert_account_link(&pool, &account(f.john, "acc-3"), &meta(f.jira, true)).await.unwrap_err();
    assert_eq!(constraint_of(second_primary), "external_account_links_primary_key");
}

#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn audit_log_is_append_only(pool: PgPool) {
    sqlx::query("insert into audit_log (action, entity_type, entity_id) values ('link.create', 'project', 'x')")
        .execute(&pool)
        .await
        .unwrap();
    let update = sqlx::query("update audit_log set action = 'forged'").execute(&pool).await.unwrap_err();
    assert!(update.to_string().contains("append-only"), "{update}");
    let delete = sqlx::query("delete from audit_log").execute(&pool).await.unwrap_err();
    assert!(delete.to_string().contains("append-only"), "{delete}");
}

#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn sample_org_loads_once_and_reads_back_with_legacy_fields(pool: PgPool) {
    let sim = crate::helpers::start_sim(velocity::sim::org::OrgSize::S, 1).await;
    let first = velocity::sim::sample_org::load(&pool, &sim).await.unwrap();
    assert!(!first.already_loaded);
    let again = velocity::sim::sample_org::load(&pool, &sim).await.unwrap();
    assert!(again.already_loaded);
    let projects = velocity::store::projects::list_projects(&pool).await.unwrap();
    assert_eq!(projects.len(), first.projects);
    let mobile = projects.iter().find(|p| p.key == "MOBILE").unwrap();
    let json = serde_json::to_value(mobile).unwrap();
    assert_eq!(json["jiraKey"], "MOBILE");
    assert_eq!(json["jiraProjects"].as_array().unwrap().len(), 1, "look-alikes are not linked");
    assert!(projects.iter().any(|p| p.jira_projects.is_empty() && p.repositories.is_empty()), "some projects wait for links");
    let persons = velocity::store::persons::list_persons(&pool).await.unwrap();
    let truth = sim.state.read().truth.clone();
    let john = persons.iter().find(|p| p.name == "John Doe").unwrap();
    let johns_truth = truth.persons.iter().find(|p| p.name == "John Doe").unwrap();
    let current = johns_truth.accounts.iter().filter(|a| a.current).count();
    assert_eq!(john.external_accounts.len(), current, "current accounts linked, old ones not");
}
