//! A Velocity project and its links to Jira projects and repositories (spec "Current Structure").

use super::{legacy_order, RepoPlatform};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A Jira project linked to a Velocity project.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct LinkedJiraProject {
    pub id: Uuid,
    pub connection_id: Uuid,
    /// Jira project key, e.g. "PROJ"; changes when the project is renamed upstream.
    pub key: String,
    /// Jira's internal project id: stable across renames.
    pub jira_project_id: String,
    pub name: String,
    pub url: String,
    pub linked_at: DateTime<Utc>,
    pub linked_by: Option<Uuid>,
    pub is_primary: bool,
    pub active: bool,
    pub verified: bool,
    pub open_issues: Option<i32>,
    pub total_issues: Option<i32>,
    pub last_synced: Option<DateTime<Utc>>,
}

/// A repository (GitHub, GitLab or Bitbucket) linked to a Velocity project.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct LinkedRepository {
    pub id: Uuid,
    pub connection_id: Uuid,
    pub platform: RepoPlatform,
    /// The platform's stable id (Bitbucket uuid, GitHub/GitLab numeric id).
    pub external_id: String,
    pub workspace: Option<String>,
    pub slug: String,
    pub name: String,
    pub url: String,
    pub linked_at: DateTime<Utc>,
    pub linked_by: Option<Uuid>,
    pub is_primary: bool,
    pub active: bool,
    pub verified: bool,
    pub last_commit: Option<DateTime<Utc>>,
    pub default_branch: Option<String>,
    pub last_synced: Option<DateTime<Utc>>,
}

/// A Velocity project with the links that are not deleted.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(into = "ProjectWire", from = "ProjectWire")]
pub struct Project {
    pub id: Uuid,
    pub key: String,
    pub name: String,
    pub description: String,
    pub lead_person_id: Option<Uuid>,
    pub active: bool,
    pub jira_projects: Vec<LinkedJiraProject>,
    pub repositories: Vec<LinkedRepository>,
}

impl Project {
    pub fn primary_jira_project(&self) -> Option<&LinkedJiraProject> {
        self.jira_projects.iter().find(|l| l.is_primary)
    }

    pub fn primary_repository(&self, platform: RepoPlatform) -> Option<&LinkedRepository> {
        self.repositories.iter().find(|r| r.platform == platform && r.is_primary)
    }

    /// Legacy `bitbucketRepos`: slugs of the active Bitbucket repositories, primary first.
    pub fn bitbucket_repo_slugs(&self) -> Vec<String> {
        legacy_order(
            self.repositories.iter().filter(|r| r.platform == RepoPlatform::Bitbucket && r.active),
            |r| (r.is_primary, r.linked_at, r.id),
        )
        .into_iter()
        .map(|r| r.slug.clone())
        .collect()
    }

    pub fn repository_count(&self, platform: RepoPlatform) -> usize {
        self.repositories.iter().filter(|r| r.platform == platform).count()
    }
}

/// The JSON shape: the stored fields plus the deprecated legacy fields, derived on output and
/// ignored on input (writes of legacy fields go through link operations instead).
#[derive(Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema), schema(as = Project))]
#[serde(rename_all = "camelCase")]
pub struct ProjectWire {
    id: Uuid,
    key: String,
    name: String,
    #[serde(default)]
    description: String,
    lead_person_id: Option<Uuid>,
    #[serde(default = "yes")]
    active: bool,
    #[serde(default)]
    jira_projects: Vec<LinkedJiraProject>,
    #[serde(default)]
    repositories: Vec<LinkedRepository>,
    #[serde(default, skip_deserializing, skip_serializing_if = "Option::is_none")]
    jira_key: Option<String>,
    #[serde(default, skip_deserializing, skip_serializing_if = "Option::is_none")]
    jira_project_id: Option<String>,
    #[serde(default, skip_deserializing, skip_serializing_if = "Option::is_none")]
    bitbucket_workspace: Option<String>,
    #[serde(default, skip_deserializing)]
    bitbucket_repos: Vec<String>,
}

fn yes() -> bool {
    true
}

impl From<Project> for ProjectWire {
    fn from(p: Project) -> Self {
        let primary_jira = p.primary_jira_project();
        ProjectWire {
            jira_key: primary_jira.map(|l| l.key.clone()),
            jira_project_id: primary_jira.map(|l| l.jira_project_id.clone()),
            bitbucket_workspace: p
                .primary_repository(RepoPlatform::Bitbucket)
                .and_then(|r| r.workspace.clone()),
            bitbucket_repos: p.bitbucket_repo_slugs(),
            id: p.id,
            key: p.key,
            name: p.name,
            description: p.description,
            lead_person_id: p.lead_person_id,
            active: p.active,
            jira_projects: p.jira_projects,
            repositories: p.repositories,
        }
    }
}

impl From<ProjectWire> for Project {
    fn from(w: ProjectWire) -> Self {
        Project {
            id: w.id,
            key: w.key,
            name: w.name,
            description: w.description,
            lead_person_id: w.lead_person_id,
            active: w.active,
            jira_projects: w.jira_projects,
            repositories: w.repositories,
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use chrono::TimeZone;

    pub fn at(minute: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 1, 1, 12, minute, 0).unwrap()
    }

    fn jira(key: &str, id: &str, primary: bool, active: bool) -> LinkedJiraProject {
        LinkedJiraProject {
            id: Uuid::from_u128(id.parse().unwrap()),
            connection_id: Uuid::nil(),
            key: key.into(),
            jira_project_id: id.into(),
            name: format!("{key} project"),
            url: format!("https://example.atlassian.net/browse/{key}"),
            linked_at: at(0),
            linked_by: None,
            is_primary: primary,
            active,
            verified: true,
            open_issues: None,
            total_issues: None,
            last_synced: None,
        }
    }

    fn repo(slug: &str, n: u128, platform: RepoPlatform, primary: bool, active: bool, minute: u32) -> LinkedRepository {
        LinkedRepository {
            id: Uuid::from_u128(n),
            connection_id: Uuid::nil(),
            platform,
            external_id: format!("{{{n}}}"),
            workspace: Some("acme".into()),
            slug: slug.into(),
            name: slug.into(),
            url: format!("https://bitbucket.org/acme/{slug}"),
            linked_at: at(minute),
            linked_by: None,
            is_primary: primary,
            active,
            verified: true,
            last_commit: None,
            default_branch: None,
            last_synced: None,
        }
    }

    fn project() -> Project {
        Project {
            id: Uuid::from_u128(1),
            key: "PROJ".into(),
            name: "Project".into(),
            description: String::new(),
            lead_person_id: None,
            active: true,
            // The spec's example: the current project is primary, the legacy one inactive.
            jira_projects: vec![jira("PROJ-LEGACY", "67890", false, false), jira("PROJ", "12345", true, true)],
            repositories: vec![
                repo("web", 3, RepoPlatform::Bitbucket, false, true, 5),
                repo("api", 2, RepoPlatform::Bitbucket, true, true, 9),
                repo("old", 4, RepoPlatform::Bitbucket, false, false, 1),
                repo("gh-only", 5, RepoPlatform::Github, true, true, 0),
            ],
        }
    }

    #[test]
    fn legacy_fields_derive_from_primary_links() {
        let json = serde_json::to_value(project()).unwrap();
        assert_eq!(json["jiraKey"], "PROJ");
        assert_eq!(json["jiraProjectId"], "12345");
        assert_eq!(json["bitbucketWorkspace"], "acme");
        // Primary first, then by link time; inactive and other platforms left out.
        assert_eq!(json["bitbucketRepos"], serde_json::json!(["api", "web"]));
        assert_eq!(json["jiraProjects"][1]["isPrimary"], true);
        assert_eq!(json["jiraProjects"][0]["jiraProjectId"], "67890");
        assert_eq!(json["repositories"][0]["platform"], "bitbucket");
    }

    #[test]
    fn legacy_fields_absent_without_links() {
        let mut p = project();
        p.jira_projects.clear();
        p.repositories.clear();
        let json = serde_json::to_value(p).unwrap();
        assert!(json.get("jiraKey").is_none());
        assert_eq!(json["bitbucketRepos"], serde_json::json!([]));
    }

    #[test]
    fn legacy_fields_are_ignored_on_input() {
        let mut json = serde_json::to_value(project()).unwrap();
        json["jiraKey"] = "SOMETHING-ELSE".into();
        let back: Project = serde_json::from_value(json).unwrap();
        assert_eq!(back, project());
    }
}
