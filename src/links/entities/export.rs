//! Export of projects and persons with their links: JSON (the domain types as they serialise,
//! legacy fields included) or CSV (one row per entity: the importable columns first, then link
//! counts and primary keys, so an export imports elsewhere as it is).

use super::import_rows::{PERSON_COLUMNS, PROJECT_COLUMNS};
use super::{EntityError, Kind};
use crate::domain::{AccountPlatform, Person, Project, RepoPlatform};
use crate::links::Links;
use serde_json::{json, Value};
use std::collections::HashMap;
use uuid::Uuid;

const PROJECT_EXTRA: &[&str] = &["active", "leadPersonId", "jiraProjects", "repositories", "primaryJiraKey", "primaryBitbucketRepo", "primaryGithubRepo", "primaryGitlabRepo"];
const PERSON_EXTRA: &[&str] = &["id", "jiraAccounts", "bitbucketAccounts", "slackAccounts", "githubAccounts", "gitlabAccounts", "primaryJiraAccountId", "primaryBitbucketUsername", "primarySlackUserId"];

impl Links {
    /// `{"persons": [...], "projects": [...]}`, or only the one kind asked for.
    pub async fn export_json(&self, kind: Option<Kind>) -> Result<Value, EntityError> {
        let mut out = serde_json::Map::new();
        if kind != Some(Kind::Projects) {
            out.insert("persons".into(), json!(self.list_persons(None).await?));
        }
        if kind != Some(Kind::Persons) {
            out.insert("projects".into(), json!(self.list_projects(None).await?));
        }
        Ok(Value::Object(out))
    }

    /// One kind as CSV text with a header line.
    pub async fn export_csv(&self, kind: Kind) -> Result<String, EntityError> {
        let persons = self.list_persons(None).await?;
        match kind {
            Kind::Persons => persons_csv(&persons),
            Kind::Projects => {
                let emails: HashMap<Uuid, String> = persons.into_iter().map(|p| (p.id, p.email)).collect();
                projects_csv(&self.list_projects(None).await?, &emails)
            }
        }
    }
}

fn write_csv(header: Vec<&str>, rows: Vec<Vec<String>>) -> Result<String, EntityError> {
    let failed = |e: &dyn std::fmt::Display| EntityError::Export(e.to_string());
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(&header).map_err(|e| failed(&e))?;
    for row in rows {
        w.write_record(row.into_iter().map(super::csv_cell::protect)).map_err(|e| failed(&e))?;
    }
    let bytes = w.into_inner().map_err(|e| failed(&e))?;
    String::from_utf8(bytes).map_err(|e| failed(&e))
}

fn opt(v: Option<&str>) -> String {
    v.unwrap_or_default().to_owned()
}

pub fn projects_csv(projects: &[Project], emails: &HashMap<Uuid, String>) -> Result<String, EntityError> {
    let header = PROJECT_COLUMNS.iter().chain(PROJECT_EXTRA).copied().collect();
    let repo = |p: &Project, platform| opt(p.primary_repository(platform).map(|r| r.slug.as_str()));
    let rows = projects
        .iter()
        .map(|p| {
            let lead_email = p.lead_person_id.and_then(|id| emails.get(&id)).cloned().unwrap_or_default();
            vec![
                p.key.clone(),
                p.name.clone(),
                p.description.clone(),
                lead_email,
                p.active.to_string(),
                p.lead_person_id.map(|id| id.to_string()).unwrap_or_default(),
                p.jira_projects.len().to_string(),
                p.repositories.len().to_string(),
                opt(p.primary_jira_project().map(|l| l.key.as_str())),
                repo(p, RepoPlatform::Bitbucket),
                repo(p, RepoPlatform::Github),
                repo(p, RepoPlatform::Gitlab),
            ]
        })
        .collect();
    write_csv(header, rows)
}

pub fn persons_csv(persons: &[Person]) -> Result<String, EntityError> {
    let header = PERSON_COLUMNS.iter().chain(PERSON_EXTRA).copied().collect();
    let rows = persons
        .iter()
        .map(|p| {
            let mut row = vec![p.name.clone(), p.email.clone(), p.active.to_string(), p.id.to_string()];
            row.extend([AccountPlatform::Jira, AccountPlatform::Bitbucket, AccountPlatform::Slack, AccountPlatform::Github, AccountPlatform::Gitlab].map(|pl| p.account_count(pl).to_string()));
            row.extend([opt(p.primary_jira_account_id()), opt(p.primary_bitbucket_username()), opt(p.primary_slack_user_id())]);
            row
        })
        .collect();
    write_csv(header, rows)
}

#[cfg(test)]
mod tests {
    use super::super::import_rows::from_csv;
    use super::*;

    fn person(n: u128, name: &str, email: &str) -> Person {
        Person { id: Uuid::from_u128(n), name: name.into(), email: email.into(), active: n.is_multiple_of(2), external_accounts: vec![] }
    }

    #[test]
    fn exported_csv_imports_as_it_is() {
        let persons = vec![person(1, "Doe, Jane", "jane@example.com"), person(2, "Joe \"JJ\" Bloggs", "joe@example.com")];
        let text = persons_csv(&persons).unwrap();
        assert!(text.starts_with("name,email,active,id,jiraAccounts,"), "{text}");
        let rows = from_csv(text.as_bytes(), Kind::Persons).unwrap();
        assert!(rows.rejected.is_empty(), "{:?}", rows.rejected);
        assert_eq!(rows.persons[0].1.name, "Doe, Jane");
        assert_eq!(rows.persons[1].1.active, Some(true));

        let project = Project {
            id: Uuid::from_u128(9),
            key: "WEB".into(),
            name: "Web".into(),
            description: "Line one\nline two".into(),
            lead_person_id: Some(Uuid::from_u128(1)),
            active: true,
            jira_projects: vec![],
            repositories: vec![],
        };
        let emails = persons.iter().map(|p| (p.id, p.email.clone())).collect();
        let text = projects_csv(&[project], &emails).unwrap();
        let rows = from_csv(text.as_bytes(), Kind::Projects).unwrap();
        assert!(rows.rejected.is_empty(), "{:?}", rows.rejected);
        assert_eq!(rows.projects[0].1.lead_email.as_deref(), Some("jane@example.com"));
        assert_eq!(rows.projects[0].1.description.as_deref(), Some("Line one\nline two"));
    }
}
