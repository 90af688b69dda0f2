//! Loads the simulated org S into Velocity for `velocity demo`: its people and projects as
//! Velocity entities, one connection per simulator (re-pointed at the simulators' current URLs
//! on every start), and the links a team lead would already have declared for about half of
//! them — the rest is left for suggestions and the link UI.

use super::org::{GitPlatform, Truth};
use super::server::{RunningSim, SimUrls};
use crate::store::connections::{set_credentials, upsert_connection_by_name, Credentials, NewConnection};
use crate::store::links::{
    insert_account_link, insert_jira_project_link, insert_repository_link, LinkMeta, NewAccountLink,
    NewJiraProjectLink, NewRepositoryLink,
};
use crate::store::persons::insert_person;
use crate::store::projects::insert_project;
use sqlx::PgPool;
use std::collections::HashMap;
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

/// Connection ids by kind.
pub struct Connections {
    pub jira: Uuid,
    pub bitbucket: Uuid,
    pub github: Uuid,
    pub gitlab: Uuid,
    pub slack: Uuid,
}

impl Connections {
    fn for_platform(&self, p: GitPlatform) -> Uuid {
        match p {
            GitPlatform::Bitbucket => self.bitbucket,
            GitPlatform::Github => self.github,
            GitPlatform::Gitlab => self.gitlab,
        }
    }

    fn for_account(&self, platform: &str) -> Option<Uuid> {
        match platform {
            "jira" => Some(self.jira),
            "bitbucket" => Some(self.bitbucket),
            "github" => Some(self.github),
            "gitlab" => Some(self.gitlab),
            "slack" => Some(self.slack),
            _ => None,
        }
    }
}

/// One connection per simulator, found by name and pointed at the URL it has now.
pub async fn upsert_connections(pool: &PgPool, urls: &SimUrls, owners: (&str, &str, &str, &str)) -> Result<Connections, sqlx::Error> {
    let (bitbucket_ws, github_org, gitlab_group, slack_team) = owners;
    let c = &urls.credentials;
    let plan = [
        ("jira", "Acme Jira (simulated)", &urls.jira, "", Some(&c.jira_email), &c.jira_token),
        ("bitbucket", "Acme Bitbucket (simulated)", &urls.bitbucket, bitbucket_ws, None, &c.bitbucket_token),
        ("github", "Acme GitHub (simulated)", &urls.github, github_org, None, &c.github_token),
        ("gitlab", "Acme GitLab (simulated)", &urls.gitlab, gitlab_group, None, &c.gitlab_token),
        ("slack", "Acme Slack (simulated)", &urls.slack, slack_team, None, &c.slack_token),
    ];
    let mut ids = Vec::new();
    for (kind, name, base_url, scope, email, token) in plan {
        let auth_mode = if kind == "jira" { "basic" } else { "bearer" };
        let id = upsert_connection_by_name(pool, &NewConnection { kind, name, base_url, scope, auth_mode }).await?;
        set_credentials(pool, id, &Credentials { email: email.cloned(), token: token.clone().into() }).await?;
        ids.push(id);
    }
    Ok(Connections { jira: ids[0], bitbucket: ids[1], github: ids[2], gitlab: ids[3], slack: ids[4] })
}

/// What the loader needs from the org, copied out so no lock is held across awaits.
struct Snapshot {
    truth: Truth,
    jira: HashMap<String, (String, String)>,
    repos: HashMap<String, (GitPlatform, String, String, String)>,
    owners: (String, String, String, String),
}

fn snapshot(sim: &RunningSim) -> Snapshot {
    let org = sim.state.read();
    let jira = org.jira.projects.iter().map(|p| (p.id.to_string(), (p.key.clone(), p.name.clone()))).collect();
    let mut repos = HashMap::new();
    for host in [&org.bitbucket, &org.github, &org.gitlab] {
        for r in &host.repos {
            repos.insert(r.id.clone(), (host.platform, host.owner.clone(), r.slug.clone(), r.name.clone()));
        }
    }
    let o = &sim.urls.scopes;
    let owners = (o.bitbucket.clone(), o.github.clone(), o.gitlab.clone(), o.slack.clone());
    Snapshot { truth: org.truth.clone(), jira, repos, owners }
}

pub async fn load(pool: &PgPool, sim: &RunningSim) -> Result<Summary, sqlx::Error> {
    let snap = snapshot(sim);
    let (o1, o2, o3, o4) = &snap.owners;
    let connections = upsert_connections(pool, &sim.urls, (o1, o2, o3, o4)).await?;
    let existing = crate::store::projects::list_projects(pool).await?.len();
    if existing > 0 {
        let persons = crate::store::persons::list_persons(pool).await?.len();
        return Ok(Summary { projects: existing, persons, already_loaded: true });
    }
    let mut person_ids = Vec::new();
    for p in &snap.truth.persons {
        person_ids.push(insert_person(pool, &p.name, &p.email).await?);
    }
    let admin = person_ids.first().copied();
    for (i, p) in snap.truth.projects.iter().enumerate() {
        let description = if p.key == "BILLING" { "Invoices, payments and <b>dunning</b>.".to_owned() } else { format!("The {} team's work.", p.name) };
        let lead = person_ids.get(super::demo_accounts::lead_index(i, person_ids.len())).copied();
        let project_id = insert_project(pool, &p.key, &p.name, &description, lead).await?;
        // A lead has linked every other project already; the rest wait for suggestions.
        if i % 2 == 1 {
            continue;
        }
        for (n, id) in p.jira_project_ids.iter().enumerate() {
            let Some((key, name)) = snap.jira.get(id) else { continue };
            let link = NewJiraProjectLink { project_id, jira_project_id: id, key, name, url: format!("{}/browse/{key}", sim.urls.jira), total_issues: None };
            insert_jira_project_link(pool, &link, &LinkMeta { connection_id: connections.jira, linked_by: admin, is_primary: n == 0, active: true }).await?;
        }
        let mut primary_taken = Vec::new();
        for (platform, id) in &p.repositories {
            let Some((pl, owner, slug, name)) = snap.repos.get(id) else { continue };
            let is_primary = !primary_taken.contains(pl);
            primary_taken.push(*pl);
            let platform_name = match pl { GitPlatform::Bitbucket => "bitbucket", GitPlatform::Github => "github", GitPlatform::Gitlab => "gitlab" };
            let link = NewRepositoryLink { project_id, platform: platform_name, external_id: id, workspace: Some(owner), slug, name, url: format!("{}/{owner}/{slug}", repo_web_base(*platform)), default_branch: None, last_commit: None };
            insert_repository_link(pool, &link, &LinkMeta { connection_id: connections.for_platform(*platform), linked_by: admin, is_primary, active: true }).await?;
        }
    }
    for (i, p) in snap.truth.persons.iter().enumerate() {
        // Two people in three have linked their current accounts.
        if i % 3 == 2 {
            continue;
        }
        let mut primary_taken: Vec<&str> = Vec::new();
        for a in p.accounts.iter().filter(|a| a.current) {
            let Some(connection_id) = connections.for_account(a.platform) else { continue };
            let is_primary = !primary_taken.contains(&a.platform);
            primary_taken.push(a.platform);
            let link = NewAccountLink { person_id: person_ids[i], platform: a.platform, external_id: &a.external_id, username: a.username.as_deref(), display_name: Some(&p.name), email: None };
            insert_account_link(pool, &link, &LinkMeta { connection_id, linked_by: admin, is_primary, active: true }).await?;
        }
    }
    Ok(Summary { projects: snap.truth.projects.len(), persons: snap.truth.persons.len(), already_loaded: false })
}

fn repo_web_base(p: GitPlatform) -> &'static str {
    match p {
        GitPlatform::Bitbucket => "https://bitbucket.org",
        GitPlatform::Github => "https://github.com",
        GitPlatform::Gitlab => "https://gitlab.com",
    }
}
