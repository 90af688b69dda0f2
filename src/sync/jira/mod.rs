//! Jira connector: issues of one project through `/search/jql` (`nextPageToken` paging),
//! worklog changes through `/worklog/updated|deleted` (`since`/`nextPage`), worklog bodies
//! through `/worklog/list` (at most 1,000 ids a call).

pub mod convert;
pub mod dto;

use crate::upstream::client::{same_host, Upstream};
use super::SyncError;
use crate::store::synced::{IssueRow, WorklogRow};
use dto::{ChangedWorklog, ChangedWorklogs, Issue, SearchPage, Worklog};

/// Pages fetched before giving up on a runaway upstream.
const MAX_PAGES: usize = 100_000;
const FIELDS: &str = "summary,status,issuetype,assignee,created,updated,resolutiondate";
/// The order of a search bounded by a relative time (`updated >= "-90m"`): Jira evaluates the
/// bound again for every page, so it creeps forward while we page; newest first, the issues it
/// drops are at the end, and no page shifts past one we have not read yet.
const NEWEST_FIRST: &str = "ORDER BY updated DESC, id DESC";

/// Every issue of the project with this stable id (a JQL `project =` accepts the id, which
/// survives key renames). `updated_since` narrows it to `updated >= …` (incremental).
pub async fn issues(
    up: &Upstream,
    jira_project_id: &str,
    updated_since: Option<&str>,
) -> Result<Vec<IssueRow>, SyncError> {
    let jql = match updated_since {
        Some(t) => format!("project = {jira_project_id} AND updated >= \"{t}\" {NEWEST_FIRST}"),
        None => format!("project = {jira_project_id} ORDER BY id ASC"),
    };
    let mut out = Vec::new();
    search(up, &jql, FIELDS, 100, |url, issue| {
        out.push(convert::issue(jira_project_id, issue).map_err(|message| SyncError::Convert {
            url: url.to_owned(),
            message,
        })?);
        Ok(())
    })
    .await?;
    Ok(out)
}

/// The issues of several projects (stable ids) updated since a time, in one search: what an
/// incremental pass asks of a site instead of one search per linked project.
pub async fn issues_of_projects(
    up: &Upstream,
    jira_project_ids: &[String],
    updated_since: &str,
) -> Result<Vec<IssueRow>, SyncError> {
    let jql = format!(
        "project in ({}) AND updated >= \"{updated_since}\" {NEWEST_FIRST}",
        jira_project_ids.join(", ")
    );
    let fields = format!("{FIELDS},project");
    let mut out = Vec::new();
    search(up, &jql, &fields, 100, |url, issue| {
        let bad = |message: String| SyncError::Convert {
            url: url.to_owned(),
            message,
        };
        let project = issue
            .fields
            .as_ref()
            .and_then(|f| f.project.as_ref())
            .map(|p| p.id.clone())
            .ok_or_else(|| bad(format!("issue {} has no project", issue.id)))?;
        out.push(convert::issue(&project, issue).map_err(bad)?);
        Ok(())
    })
    .await?;
    Ok(out)
}

/// `/search/jql` followed through its `nextPageToken`s; `each` gets every issue with the URL of
/// its page.
async fn search(
    up: &Upstream,
    jql: &str,
    fields: &str,
    page_size: u32,
    mut each: impl FnMut(&str, Issue) -> Result<(), SyncError>,
) -> Result<(), SyncError> {
    let url = format!("{}/rest/api/3/search/jql", up.base());
    let page_size = page_size.to_string();
    let mut token: Option<String> = None;
    for _ in 0..MAX_PAGES {
        let mut params = vec![("jql", jql), ("fields", fields), ("maxResults", &page_size)];
        if let Some(t) = &token {
            params.push(("nextPageToken", t));
        }
        let page_url =
            reqwest::Url::parse_with_params(&url, &params).map_err(|e| SyncError::Convert {
                url: url.clone(),
                message: e.to_string(),
            })?;
        let page = up
            .get::<SearchPage>(page_url.as_str(), &[])
            .await?
            .ok_or_else(|| SyncError::NotFound(format!("{page_url} answered 404")))?;
        for issue in page.body.issues {
            each(page_url.as_str(), issue)?;
        }
        match page.body.next_page_token {
            Some(t) if !t.is_empty() => token = Some(t),
            _ => return Ok(()),
        }
    }
    Err(SyncError::Convert {
        url,
        message: format!("more than {MAX_PAGES} pages"),
    })
}

/// `/worklog/{feed}?since=…` followed to its last page: the changed ids and the `until` of the
/// last page (the next `since`).
pub async fn worklog_feed(
    up: &Upstream,
    feed: &str,
    since: i64,
) -> Result<(Vec<ChangedWorklog>, i64), SyncError> {
    let mut url = format!("{}/rest/api/3/worklog/{feed}?since={since}", up.base());
    let mut out = Vec::new();
    let mut until = since;
    for _ in 0..MAX_PAGES {
        let page = up
            .get::<ChangedWorklogs>(&url, &[])
            .await?
            .ok_or_else(|| SyncError::NotFound(format!("{url} answered 404")))?;
        out.extend(page.body.values.iter().copied());
        let page_until = page.body.until.unwrap_or(until);
        // The feed pages by time: when a whole page of changes shares the millisecond it
        // started at, its next page is itself and would be read forever.
        if !page.body.last_page && page_until <= until {
            return Err(SyncError::Convert {
                url,
                message: format!("the feed does not move past since={until}: more than a page of changes share that millisecond"),
            });
        }
        until = page_until.max(until);
        match page.body.next_page {
            Some(next) if !page.body.last_page => {
                same_host(up, &next)?;
                url = next;
            }
            _ => return Ok((out, until)),
        }
    }
    Err(SyncError::Convert {
        url,
        message: format!("more than {MAX_PAGES} pages"),
    })
}

/// The worklogs with these ids, 1,000 a request.
pub async fn worklogs(up: &Upstream, ids: &[i64]) -> Result<Vec<WorklogRow>, SyncError> {
    let url = format!("{}/rest/api/3/worklog/list", up.base());
    let mut out = Vec::new();
    for chunk in ids.chunks(1000) {
        let page = up
            .post::<Vec<Worklog>>(&url, &serde_json::json!({ "ids": chunk }))
            .await?;
        for w in page.body {
            out.push(convert::worklog(w).map_err(|message| SyncError::Convert {
                url: url.clone(),
                message,
            })?);
        }
    }
    Ok(out)
}

/// The ids of every live issue of the project (id-only pages hold up to 5,000), to find the
/// issues deleted upstream.
pub async fn issue_ids(up: &Upstream, jira_project_id: &str) -> Result<Vec<String>, SyncError> {
    let jql = format!("project = {jira_project_id} ORDER BY id ASC");
    let mut out = Vec::new();
    search(up, &jql, "id", 5000, |_, issue| {
        out.push(issue.id);
        Ok(())
    })
    .await?;
    Ok(out)
}
