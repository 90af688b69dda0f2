//! The services behind the link UI against real PostgreSQL and the simulators: live upstream
//! search, the project overview, link health (problems, suggestion conflicts) and the
//! platform that stored suggestions carry.

use crate::helpers::demo_app;
use serde_json::json;
use sqlx::PgPool;
use velocity::domain::catalog::CatalogKind;
use velocity::domain::health::LinkProblem;
use velocity::links::declare::{Candidate, Options, Owner};
use velocity::links::{Actor, LinkError, Links, Source};

const UI: Actor = Actor { person_id: None, source: Source::Ui };

#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn search_finds_upstream_entries_by_every_word(pool: PgPool) {
    let (_app, _sim) = demo_app(&pool).await;
    let links = Links::new(pool.clone());
    let jira: Vec<String> = links.search_upstream(CatalogKind::Jira, "mobile").await.unwrap().into_iter().map(|h| h.label).collect();
    for key in ["MOBILE - ", "MOBILE_LEGACY - ", "MOB - ", "MOBAPP - "] {
        assert!(jira.iter().any(|l| l.starts_with(key)), "{key} in {jira:?}");
    }
    assert!(!jira.iter().any(|l| l.starts_with("PLAT")), "{jira:?}");
    let repos = links.search_upstream(CatalogKind::Repository, "sandbox").await.unwrap();
    assert_eq!(repos.len(), 1, "{repos:?}");
    assert_eq!((repos[0].platform.as_str(), repos[0].label.as_str()), ("github", "GitHub acme-inc/sandbox"));
    let accounts = links.search_upstream(CatalogKind::Account, "john doe").await.unwrap();
    assert!(!accounts.is_empty() && accounts.iter().all(|h| h.label.to_lowercase().contains("john")), "{accounts:?}");
    assert!(links.search_upstream(CatalogKind::Jira, "  ").await.unwrap().is_empty(), "an empty query lists nothing");
    let long = "x".repeat(201);
    assert!(matches!(links.search_upstream(CatalogKind::Jira, &long).await, Err(LinkError::Invalid { field: "query", .. })));
}

#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn project_overview_has_links_lead_health_and_no_synced_items_before_a_sync(pool: PgPool) {
    let (_app, _sim) = demo_app(&pool).await;
    let links = Links::new(pool.clone());
    let o = links.project_overview("MOBILE").await.unwrap();
    assert_eq!(o.project.key, "MOBILE");
    assert!(o.lead.is_some());
    assert_eq!(o.health.links, o.project.jira_projects.len() + o.project.repositories.len());
    assert_eq!(o.health.never_synced, o.health.links, "nothing synced in the demo yet");
    assert!(o.recent_issues.is_empty() && o.recent_commits.is_empty());
    assert!(matches!(links.project_overview("NOPE").await, Err(LinkError::ProjectNotFound(_))));
}

#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn health_reports_unverified_links_and_suggestions_in_conflict(pool: PgPool) {
    let (app, sim) = demo_app(&pool).await;
    let links = Links::new(pool.clone());
    let now = chrono::Utc::now();
    let before = links.health(now).await.unwrap();
    assert!(before.links.iter().all(|l| l.problem == LinkProblem::NeverSynced));
    assert!(before.links.iter().any(|l| l.owner_id == "MOBILE" && l.label.starts_with("MOBILE - ")));
    assert!(before.conflicts.is_empty());

    // Gone upstream: validation marks the link unverified.
    let deleted = app.http.delete(format!("{}/jira/projects/MOBILE", sim.urls.admin)).send().await.unwrap();
    assert!(deleted.status().is_success());
    let mobile_id = links.project_overview("MOBILE").await.unwrap().project.id;
    links.validator().validate(velocity::validation::Scope { project: Some(mobile_id), person: None }, UI).await.unwrap();
    let after = links.health(now).await.unwrap();
    let mobile = after.links.iter().find(|l| l.owner_id == "MOBILE" && l.label.starts_with("MOBILE - ")).unwrap();
    assert_eq!(mobile.problem, LinkProblem::Unverified);
    assert_eq!(after.links[0].problem, LinkProblem::Unverified, "the most serious first");

    // PLATFORM is suggested DATA; once DWH links DATA, that open suggestion is a conflict.
    let suggested = links.suggest_for_project("PLATFORM").await.unwrap();
    let data = suggested.suggestions.iter().find(|s| s.suggestion.label.starts_with("DATA - ")).expect("DATA suggested for PLATFORM");
    assert_eq!(data.platform, "jira");
    links.declare(&Owner::Project("DWH".into()), &Candidate::Jira { connection_id: None, project: "DATA".into() }, Options::default(), UI).await.unwrap();
    let conflicts = links.health(now).await.unwrap().conflicts;
    assert_eq!(conflicts.len(), 1, "{conflicts:?}");
    assert_eq!((conflicts[0].target_label.as_str(), conflicts[0].holder.as_str()), ("PLATFORM", "DWH"));
    assert_eq!(serde_json::to_value(&conflicts[0]).unwrap()["suggestionId"], json!(data.id));
}
