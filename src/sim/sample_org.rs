//! A small, deliberately messy organisation loaded by `velocity demo`: people with several
//! accounts per platform, a renamed Jira project kept as an inactive legacy link, repositories
//! on three platforms and a project that links nothing yet.

use crate::store::connections::{insert_connection, NewConnection};
use crate::store::links::{
    insert_account_link, insert_jira_project_link, insert_repository_link, LinkMeta, NewAccountLink,
    NewJiraProjectLink, NewRepositoryLink,
};
use crate::store::persons::insert_person;
use crate::store::projects::insert_project;
use sqlx::PgPool;
use std::fmt;
use uuid::Uuid;

pub struct Summary {
    pub projects: usize,
    pub persons: usize,
    pub already_loaded: bool,
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let verb = if self.already_loaded { "already loaded" } else { "loaded" };
        write!(f, "{verb}: {} projects, {} persons", self.projects, self.persons)
    }
}

const PERSONS: &[(&str, &str)] = &[
    ("John Doe", "john.doe@acme.test"),
    ("Zoë Ng", "zoe.ng@acme.test"),
    ("José Álvarez", "jose.alvarez@acme.test"),
    ("Priya Raman", "priya@acme.test"),
    ("Bob Smith", "robert.smith@acme.test"),
    ("Ana María López", "ana.lopez@acme.test"),
    ("Chen Wei", "wei.chen@acme.test"),
    ("Mette Hansen", "mette.hansen@acme.test"),
];

const PROJECTS: &[(&str, &str, &str)] = &[
    ("MOBILE", "Mobile App", "The iOS and Android apps."),
    ("PLATFORM", "Platform", "Shared APIs and services."),
    ("BILLING", "Billing", "Invoices, payments and <b>dunning</b>."),
    ("DATA", "Data Warehouse", "Reporting pipelines."),
    ("SEARCH", "Search", "Not linked to anything yet."),
];

pub async fn load(pool: &PgPool) -> Result<Summary, sqlx::Error> {
    let existing = crate::store::projects::list_projects(pool).await?.len();
    if existing > 0 {
        let persons = crate::store::persons::list_persons(pool).await?.len();
        return Ok(Summary { projects: existing, persons, already_loaded: true });
    }
    let mut person_ids = Vec::new();
    for (name, email) in PERSONS {
        person_ids.push(insert_person(pool, name, email).await?);
    }
    let lead = |i: usize| Some(person_ids[i]);
    let mut project_ids = Vec::new();
    for (i, (key, name, description)) in PROJECTS.iter().enumerate() {
        project_ids.push(insert_project(pool, key, name, description, lead(i % 3)).await?);
    }
    let conn = |kind: &'static str, name: &'static str, base_url: &'static str, scope: &'static str| NewConnection {
        kind,
        name,
        base_url,
        scope,
    };
    let jira = insert_connection(pool, &conn("jira", "Acme Jira", "https://acme.atlassian.net", "")).await?;
    let bitbucket = insert_connection(pool, &conn("bitbucket", "Acme Bitbucket", "https://api.bitbucket.org", "acme")).await?;
    let github = insert_connection(pool, &conn("github", "Acme GitHub", "https://api.github.com", "acme-inc")).await?;
    let slack = insert_connection(pool, &conn("slack", "Acme Slack", "https://slack.com/api", "T0ACME")).await?;
    let by = Some(person_ids[0]);
    let meta = |connection_id: Uuid, is_primary: bool, active: bool| LinkMeta { connection_id, linked_by: by, is_primary, active };

    let jira_link = |project: usize, id: &'static str, key: &'static str, name: &'static str| NewJiraProjectLink {
        project_id: project_ids[project],
        jira_project_id: id,
        key,
        name,
        url: format!("https://acme.atlassian.net/browse/{key}"),
    };
    // MOBLEG is the renamed predecessor of MOBILE: linked, but no longer synced.
    insert_jira_project_link(pool, &jira_link(0, "10001", "MOBILE", "MOBILE - Mobile Application"), &meta(jira, true, true)).await?;
    insert_jira_project_link(pool, &jira_link(0, "10002", "MOBLEG", "MOBILE-LEGACY - Legacy Mobile"), &meta(jira, false, false)).await?;
    insert_jira_project_link(pool, &jira_link(1, "10010", "PLAT", "Platform"), &meta(jira, true, true)).await?;

    let repo = |project: usize, platform: &'static str, id: &'static str, workspace: &'static str, slug: &'static str, url: &'static str| NewRepositoryLink {
        project_id: project_ids[project],
        platform,
        external_id: id,
        workspace: Some(workspace),
        slug,
        name: slug,
        url,
    };
    insert_repository_link(pool, &repo(1, "bitbucket", "{5e1d0c3a-0000-4000-8000-000000000001}", "acme", "platform-api", "https://bitbucket.org/acme/platform-api"), &meta(bitbucket, true, true)).await?;
    insert_repository_link(pool, &repo(1, "bitbucket", "{5e1d0c3a-0000-4000-8000-000000000002}", "acme", "platform-web", "https://bitbucket.org/acme/platform-web"), &meta(bitbucket, false, true)).await?;
    insert_repository_link(pool, &repo(0, "github", "700101", "acme-inc", "mobile-app", "https://github.com/acme-inc/mobile-app"), &meta(github, true, true)).await?;

    let account = |person: usize, platform: &'static str, id: &'static str, username: Option<&'static str>, email: Option<&'static str>| NewAccountLink {
        person_id: person_ids[person],
        platform,
        external_id: id,
        username,
        display_name: Some(PERSONS[person].0),
        email,
    };
    // John: two Jira accounts (the old one inactive), Bitbucket under another handle, Slack.
    insert_account_link(pool, &account(0, "jira", "5b10a2844c20165700ede21g", None, Some("john.doe@acme.test")), &meta(jira, true, true)).await?;
    insert_account_link(pool, &account(0, "jira", "557058:f58131cb-b67d-43c7-b30d-6b58d40bd077", None, None), &meta(jira, false, false)).await?;
    insert_account_link(pool, &account(0, "bitbucket", "{d301aafa-d676-4ee0-88be-962be7417567}", Some("jdoe"), None), &meta(bitbucket, true, true)).await?;
    insert_account_link(pool, &account(0, "slack", "U012JOHND", Some("johnd"), Some("john.doe@acme.test")), &meta(slack, true, true)).await?;
    insert_account_link(pool, &account(1, "jira", "5b10ac8d82e05b22cc7d4ef5", None, Some("zoe.ng@acme.test")), &meta(jira, true, true)).await?;
    insert_account_link(pool, &account(2, "github", "583231", Some("jalvarez"), None), &meta(github, true, true)).await?;

    Ok(Summary { projects: PROJECTS.len(), persons: PERSONS.len(), already_loaded: false })
}
