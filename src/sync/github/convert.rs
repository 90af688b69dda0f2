//! GitHub DTOs → our rows.

use super::dto::{Commit, Pull};
use crate::store::synced::{CommitRow, PullRow};
use crate::sync::parse_time;

pub fn commit(c: Commit) -> Result<CommitRow, String> {
    let who = c
        .commit
        .author
        .ok_or_else(|| format!("commit {} has no author", c.sha))?;
    Ok(CommitRow {
        author_account_id: c.author.map(|a| a.id.to_string()),
        author_name: who.name,
        author_email: who.email,
        message: c.commit.message,
        committed_at: parse_time(&who.date)?,
        sha: c.sha,
    })
}

/// GitHub says `closed` for merged and declined alike; `merged_at` tells them apart.
pub fn pull(p: Pull) -> Result<PullRow, String> {
    let state = match (p.state.as_str(), p.merged_at.is_some()) {
        ("open", _) => "OPEN",
        (_, true) => "MERGED",
        _ => "DECLINED",
    };
    Ok(PullRow {
        number: p.number,
        author_account_id: p.user.map(|u| u.id.to_string()),
        title: p.title,
        source_branch: p.head.and_then(|h| h.branch),
        state: state.into(),
        created: parse_time(&p.created_at)?,
        updated: parse_time(&p.updated_at)?,
        merged_at: p.merged_at.as_deref().map(parse_time).transpose()?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_commits_and_pulls() {
        let c: Commit = serde_json::from_str(r#"{"sha":"abc","commit":{"author":{"name":"Ann","email":"a@x.test","date":"2024-05-01T10:00:00Z"},
            "message":"PAY-1 fix"},"author":{"login":"ann","id":42}}"#).unwrap();
        let row = commit(c).unwrap();
        assert_eq!(
            (
                row.sha.as_str(),
                row.author_account_id.as_deref(),
                row.message.as_str()
            ),
            ("abc", Some("42"), "PAY-1 fix")
        );
        let unlinked: Commit = serde_json::from_str(r#"{"sha":"d","commit":{"author":{"name":"X","email":"x@y","date":"2024-05-01T10:00:00Z"},"message":"m"},"author":null}"#).unwrap();
        assert_eq!(commit(unlinked).unwrap().author_account_id, None);
        let merged: Pull = serde_json::from_str(r#"{"number":3,"title":"T","state":"closed","merged_at":"2024-05-02T00:00:00Z",
            "created_at":"2024-05-01T00:00:00Z","updated_at":"2024-05-03T00:00:00Z","user":{"id":42},"head":{"ref":"feature/PAY-1"}}"#).unwrap();
        let row = pull(merged).unwrap();
        assert_eq!(
            (
                row.state.as_str(),
                row.source_branch.as_deref(),
                row.author_account_id.as_deref()
            ),
            ("MERGED", Some("feature/PAY-1"), Some("42"))
        );
        assert_eq!(row.merged_at.map(|t| t.to_rfc3339()).as_deref(), Some("2024-05-02T00:00:00+00:00"));
    }
}
