//! Jira instance metadata, under both REST versions: `serverInfo` (which clients such as
//! `jira.JIRA` read first to pick their Cloud code paths), the `field` list (which clients use
//! to translate JQL clause names to field ids), the deprecated bare `project` list, and `myself`,
//! the user the API token acts as.

use super::git_common::{fake_sha, seed_of};
use super::jira::{first, int_param, project_json, query_map, ts, user_json, Api};
use super::org::{JiraProject, JiraUser, Org};
use super::server::SimState;
use axum::extract::State;
use axum::http::Uri;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, Utc};
use serde_json::{json, Value};
use std::sync::Arc;

/// What Jira Cloud reports as its version: one rolling release, always 1001.0.0-SNAPSHOT.
const VERSION: &str = "1001.0.0-SNAPSHOT";
const VERSION_NUMBERS: [i32; 3] = [1001, 0, 0];
const BUILD_NUMBER: i32 = 100_293;
const BUILD_DATE: &str = "2025-11-20T04:12:36.000+0000";
const SCM_INFO: &str = "9b6a1e0c4f27d3b85a1c6e2f0d4b7a93c8e5f1d2";

/// The API user (`GET /myself`): the site's user with the credentials' e-mail, or else one made
/// up from it, with an account id stable for the e-mail and the seed.
pub async fn myself(State(s): State<Arc<SimState>>, api: Api) -> Response {
    let email = &s.credentials.jira_email;
    let org = s.read();
    let made_up;
    let user = match org.jira.users.iter().find(|u| u.email.as_ref().is_some_and(|e| e.eq_ignore_ascii_case(email))) {
        Some(u) => u,
        None => {
            made_up = api_user(org.seed, email);
            &made_up
        }
    };
    Json(user_json(&api, user)).into_response()
}

/// "ci.bot@acme.test" → a user "Ci Bot" with that address.
fn api_user(seed: u64, email: &str) -> JiraUser {
    let local = email.split('@').next().unwrap_or(email);
    let words = local.split(['.', '_', '-', '+']).filter(|w| !w.is_empty());
    let display_name = words.map(|w| w.chars().take(1).flat_map(char::to_uppercase).chain(w.chars().skip(1)).collect::<String>()).collect::<Vec<_>>().join(" ");
    let account_id = fake_sha(seed_of(email) ^ seed)[..24].to_owned();
    JiraUser { account_id, display_name, email: Some(email.to_owned()), active: true, account_type: "atlassian" }
}

/// ServerInformation, as every Jira Cloud site answers it.
pub async fn server_info(api: Api) -> Response {
    Json(json!({
        "baseUrl": api.base,
        "displayUrl": api.base,
        "version": VERSION,
        "versionNumbers": VERSION_NUMBERS,
        "deploymentType": "Cloud",
        "buildNumber": BUILD_NUMBER,
        "buildDate": BUILD_DATE,
        "serverTime": ts(Utc::now()),
        "serverTimeZone": "Etc/UTC",
        "scmInfo": SCM_INFO,
        "serverTitle": "Jira",
    }))
    .into_response()
}

/// A system field as `GET /field` describes it.
struct Field {
    id: &'static str,
    name: &'static str,
    orderable: bool,
    navigable: bool,
    searchable: bool,
    clause_names: &'static [&'static str],
    /// The schema's `type`, and `items` for arrays.
    kind: &'static str,
    items: Option<&'static str>,
}

/// The fields the simulator serves: the navigable issue fields and the worklogs.
const FIELDS: &[Field] = &[
    Field { id: "summary", name: "Summary", orderable: true, navigable: true, searchable: true, clause_names: &["summary"], kind: "string", items: None },
    Field { id: "status", name: "Status", orderable: false, navigable: true, searchable: true, clause_names: &["status"], kind: "status", items: None },
    Field { id: "issuetype", name: "Issue Type", orderable: true, navigable: true, searchable: true, clause_names: &["issuetype", "type"], kind: "issuetype", items: None },
    Field { id: "assignee", name: "Assignee", orderable: true, navigable: true, searchable: true, clause_names: &["assignee"], kind: "user", items: None },
    Field { id: "created", name: "Created", orderable: false, navigable: true, searchable: true, clause_names: &["created", "createdDate"], kind: "datetime", items: None },
    Field { id: "updated", name: "Updated", orderable: false, navigable: true, searchable: true, clause_names: &["updated", "updatedDate"], kind: "datetime", items: None },
    Field { id: "resolutiondate", name: "Resolved", orderable: false, navigable: true, searchable: true, clause_names: &["resolutiondate", "resolved"], kind: "datetime", items: None },
    Field { id: "project", name: "Project", orderable: false, navigable: true, searchable: true, clause_names: &["project"], kind: "project", items: None },
    Field { id: "worklog", name: "Log Work", orderable: true, navigable: false, searchable: true, clause_names: &[], kind: "array", items: Some("worklog") },
];

fn field_json(f: &Field) -> Value {
    let mut schema = json!({"type": f.kind, "system": f.id});
    if let Some(items) = f.items {
        schema["items"] = json!(items);
    }
    json!({
        "id": f.id,
        "key": f.id,
        "name": f.name,
        "custom": false,
        "orderable": f.orderable,
        "navigable": f.navigable,
        "searchable": f.searchable,
        "clauseNames": f.clause_names,
        "schema": schema,
    })
}

/// Every field, as a bare array (FieldDetails).
pub async fn fields() -> Response {
    Json(FIELDS.iter().map(field_json).collect::<Vec<Value>>()).into_response()
}

/// The newest issue update in a project, for `recent`.
fn last_update(org: &Org, p: &JiraProject) -> Option<DateTime<Utc>> {
    org.jira.issues.iter().filter(|i| i.project_id == p.id && !i.deleted).map(|i| i.updated).max()
}

/// getAllProjects: every live project as a bare array, by key, honouring `expand`; `recent`
/// (at most 20) keeps the projects with the latest issue activity instead.
pub async fn all_projects(State(s): State<Arc<SimState>>, api: Api, uri: Uri) -> Response {
    let q = query_map(&uri);
    let recent = match int_param(&q, "recent", 0) { Ok(v) => v.clamp(0, 20) as usize, Err(r) => return r };
    let expand = first(&q, "expand").unwrap_or("");
    let org = s.read();
    let mut projects: Vec<&JiraProject> = org.jira.projects.iter().filter(|p| !p.deleted && !p.archived).collect();
    projects.sort_by(|a, b| a.key.cmp(&b.key));
    if recent > 0 {
        projects.sort_by_key(|p| std::cmp::Reverse(last_update(&org, p)));
        projects.truncate(recent);
    }
    Json(projects.iter().map(|p| project_json(&api, &org, p, expand)).collect::<Vec<Value>>()).into_response()
}

#[cfg(test)]
mod tests {
    use super::FIELDS;
    use crate::sim::jira::NAVIGABLE;

    #[test]
    fn every_served_issue_field_is_listed_as_navigable() {
        for id in NAVIGABLE {
            let field = FIELDS.iter().find(|f| f.id == *id);
            assert!(field.is_some_and(|f| f.navigable && f.clause_names.contains(id)), "{id}");
        }
    }
}
