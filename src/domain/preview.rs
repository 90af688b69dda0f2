//! What linking a candidate will bring in, in words: the link dialog's "Will sync" reads the
//! upstream record the confirmation checks fetched (`links::declare`'s preview) and says what
//! comes in, instead of showing its raw fields.

use serde_json::Value;

/// The date part of an upstream time (`2026-11-30T08:00:00Z` → `2026-11-30`).
fn day(v: &Value) -> Option<&str> {
    v.as_str().and_then(|t| t.get(..10)).filter(|d| d.len() == 10)
}

fn count(n: i64, one: &str, many: &str) -> String {
    if n == 1 { format!("1 {one}") } else { format!("{n} {many}") }
}

/// Sentences for a preview: a Jira project's (it has `key`), a repository's (`slug`) or an
/// account's (`username`/`displayName`). Unknown shapes give nothing.
pub fn preview_in_words(preview: &Value) -> Vec<String> {
    let text = |f: &str| preview.get(f).and_then(Value::as_str).map(str::to_owned);
    let mut out = Vec::new();
    if let Some(key) = text("key") {
        let name = text("name").map(|n| format!("{key} - {n}")).unwrap_or(key);
        let issues = match preview.get("totalIssues").and_then(Value::as_i64) {
            Some(0) => "no issues yet; new ones come in as they are created".to_owned(),
            Some(n) => format!("{} come in with their worklogs", count(n, "issue", "issues")),
            None => "its issues come in with their worklogs".to_owned(),
        };
        let last = preview.get("lastIssueUpdate").and_then(day).map(|d| format!(", the last updated on {d}")).unwrap_or_default();
        out.push(format!("{name}: {issues}{last}."));
        if preview.get("archived") == Some(&Value::Bool(true)) {
            out.push("It is archived upstream: what it holds comes in, nothing new is expected.".into());
        }
    } else if let Some(slug) = text("slug") {
        let branch = text("defaultBranch").map(|b| format!("the {b} branch")).unwrap_or_else(|| "its default branch".into());
        let last = preview.get("lastCommit").and_then(day).map(|d| format!("; the last commit on {d}")).unwrap_or_else(|| "; no commit yet".into());
        out.push(format!("{slug}: commits of {branch} and its pull requests come in{last}."));
        let recent: Vec<String> = preview.get("recentCommits").and_then(Value::as_array).map(|a| a.iter().filter_map(Value::as_str).take(3).map(|m| format!("“{m}”")).collect()).unwrap_or_default();
        if !recent.is_empty() {
            out.push(format!("Recently: {}.", recent.join(", ")));
        }
    } else if text("username").is_some() || text("displayName").is_some() {
        let who = match (text("displayName"), text("username")) {
            (Some(n), Some(u)) if n != u => format!("{n} ({u})"),
            (Some(n), _) => n,
            (None, Some(u)) => u,
            (None, None) => unreachable!("checked above"),
        };
        let email = text("email").map(|e| format!(", e-mail {e}")).unwrap_or_else(|| ", no e-mail shown upstream".into());
        out.push(format!("{who}{email}: their worklogs, commits and pull requests count as this person's."));
        if preview.get("active") == Some(&Value::Bool(false)) {
            out.push("The account is deactivated upstream: nothing new is expected from it.".into());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::preview_in_words;
    use serde_json::json;

    #[test]
    fn a_jira_project_says_how_many_issues_and_when() {
        let p = json!({"key": "PLAT", "name": "Platform", "archived": false, "totalIssues": 29, "lastIssueUpdate": "2026-11-30T08:00:00.000+0000"});
        assert_eq!(preview_in_words(&p), vec!["PLAT - Platform: 29 issues come in with their worklogs, the last updated on 2026-11-30."]);
        let p = json!({"key": "OLD", "name": "Old", "archived": true, "totalIssues": 0, "lastIssueUpdate": null});
        assert_eq!(preview_in_words(&p), vec!["OLD - Old: no issues yet; new ones come in as they are created.", "It is archived upstream: what it holds comes in, nothing new is expected."]);
    }

    #[test]
    fn a_repository_names_its_branch_and_recent_commits() {
        let p = json!({"slug": "billing-web", "defaultBranch": "main", "lastCommit": "2026-12-01T10:00:00Z", "recentCommits": ["Fix rounding", "Add VAT", "Bump deps", "More"]});
        assert_eq!(preview_in_words(&p), vec!["billing-web: commits of the main branch and its pull requests come in; the last commit on 2026-12-01.", "Recently: “Fix rounding”, “Add VAT”, “Bump deps”."]);
        let empty = json!({"slug": "new", "defaultBranch": null, "lastCommit": null, "recentCommits": []});
        assert_eq!(preview_in_words(&empty), vec!["new: commits of its default branch and its pull requests come in; no commit yet."]);
    }

    #[test]
    fn an_account_says_whose_work_it_brings() {
        let p = json!({"username": "ana", "displayName": "Ana Silva", "email": "ana@acme.test", "active": false});
        assert_eq!(preview_in_words(&p), vec!["Ana Silva (ana), e-mail ana@acme.test: their worklogs, commits and pull requests count as this person's.", "The account is deactivated upstream: nothing new is expected from it."]);
        assert_eq!(preview_in_words(&json!({"username": "u1", "displayName": null, "email": null, "active": true})), vec!["u1, no e-mail shown upstream: their worklogs, commits and pull requests count as this person's."]);
        assert!(preview_in_words(&json!({"other": 1})).is_empty());
    }
}
