//! Jira DTOs → our rows. Pure, so fixture JSON tests it.

use super::dto::{Issue, Worklog};
use crate::store::synced::{IssueRow, WorklogRow};
use crate::sync::parse_time;

pub fn issue(jira_project_id: &str, i: Issue) -> Result<IssueRow, String> {
    let f = i
        .fields
        .ok_or_else(|| format!("issue {} has no fields", i.id))?;
    let status = f
        .status
        .ok_or_else(|| format!("issue {} has no status", i.id))?;
    Ok(IssueRow {
        jira_project_id: jira_project_id.to_owned(),
        issue_key: i.key,
        summary: f.summary.unwrap_or_default(),
        status_category: status
            .status_category
            .map(|c| c.key)
            .unwrap_or_else(|| "new".into()),
        status: status.name,
        issue_type: f.issuetype.map(|t| t.name),
        assignee_account_id: f.assignee.map(|a| a.account_id),
        created: parse_time(f.created.as_deref().unwrap_or_default())?,
        updated: parse_time(f.updated.as_deref().unwrap_or_default())?,
        resolved_at: f.resolutiondate.as_deref().map(parse_time).transpose()?,
        jira_issue_id: i.id,
    })
}

/// Open unless its status category is `done`.
pub fn is_open(row: &IssueRow) -> bool {
    row.status_category != "done"
}

pub fn worklog(w: Worklog) -> Result<WorklogRow, String> {
    let author = w
        .author
        .ok_or_else(|| format!("worklog {} has no author", w.id))?;
    Ok(WorklogRow {
        jira_issue_id: w.issue_id,
        jira_account_id: author.account_id,
        started: parse_time(&w.started)?,
        time_spent_seconds: i32::try_from(w.time_spent_seconds)
            .map_err(|_| format!("worklog {}: time spent out of range", w.id))?,
        updated: parse_time(&w.updated)?,
        jira_worklog_id: w.id,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sync::jira::dto::SearchPage;

    const SEARCH: &str = r#"{"issues":[{"id":"10001","key":"PAY-1","self":"x","fields":{
        "summary":"<script>alert(1)</script> Fix","status":{"name":"Done","statusCategory":{"id":3,"key":"done"}},
        "issuetype":{"name":"Bug"},"assignee":{"accountId":"5b10a"},"created":"2021-01-17T12:34:00.000+0000",
        "updated":"2021-01-18T09:00:00.000+0000","resolutiondate":"2021-01-18T08:00:00.000+0000"}},
        {"id":"10002","key":"PAY-2","fields":{"summary":"Open one","status":{"name":"To Do","statusCategory":{"key":"new"}},
        "assignee":null,"created":"2021-01-17T12:34:00.000+0000","updated":"2021-01-17T12:34:00.000+0000"}}],
        "isLast":true}"#;

    #[test]
    fn converts_a_search_page() {
        let page: SearchPage = serde_json::from_str(SEARCH).unwrap();
        assert!(page.next_page_token.is_none());
        let rows: Vec<IssueRow> = page
            .issues
            .into_iter()
            .map(|i| issue("100", i).unwrap())
            .collect();
        assert_eq!(rows[0].jira_issue_id, "10001");
        assert_eq!(rows[0].issue_key, "PAY-1");
        // Upstream markup is kept as text, never interpreted.
        assert_eq!(rows[0].summary, "<script>alert(1)</script> Fix");
        assert_eq!(rows[0].assignee_account_id.as_deref(), Some("5b10a"));
        assert!(!is_open(&rows[0]));
        assert!(is_open(&rows[1]));
        // Resolved before its last update: the resolution date is Jira's, not the last change.
        assert_eq!(rows[0].resolved_at.map(|t| t.to_rfc3339()).as_deref(), Some("2021-01-18T08:00:00+00:00"));
        assert_eq!(rows[1].resolved_at, None);
        assert_eq!(rows[1].issue_type, None);
        assert_eq!(rows[1].jira_project_id, "100");
    }

    #[test]
    fn converts_a_worklog_and_refuses_a_broken_one() {
        let w: Worklog = serde_json::from_str(r#"{"id":"7","issueId":"10001","author":{"accountId":"5b10a","displayName":"X"},
            "started":"2021-01-17T12:34:00.000+0000","timeSpent":"1h","timeSpentSeconds":3600,"updated":"2021-01-17T13:00:00.000+0000",
            "created":"2021-01-17T13:00:00.000+0000"}"#).unwrap();
        let row = worklog(w).unwrap();
        assert_eq!(
            (
                row.jira_worklog_id.as_str(),
                row.jira_account_id.as_str(),
                row.time_spent_seconds
            ),
            ("7", "5b10a", 3600)
        );
        let bad: Worklog = serde_json::from_str(r#"{"id":"8","issueId":"1","author":{"accountId":"a"},"started":"soon","timeSpentSeconds":1,"updated":"x"}"#).unwrap();
        assert!(worklog(bad).is_err());
    }
}
