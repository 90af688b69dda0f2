//! Bitbucket DTOs → our rows. Accounts are named by their `{uuid}`.

use super::dto::{Commit, PullRequest};
use crate::store::synced::{CommitRow, PullRow};
use crate::sync::parse_time;
use crate::sync::repo::split_raw_author;

pub fn commit(c: Commit) -> Result<CommitRow, String> {
    let (author_name, author_email) = c
        .author
        .as_ref()
        .and_then(|a| a.raw.as_deref())
        .map(split_raw_author)
        .unwrap_or_default();
    Ok(CommitRow {
        committed_at: parse_time(&c.date)?,
        author_account_id: c.author.and_then(|a| a.user).and_then(|u| u.uuid),
        author_name,
        author_email,
        message: c.message,
        sha: c.hash,
    })
}

/// Bitbucket records no merge time; a merged pull request's last update is its merge unless
/// someone commented on it afterwards, the closest the API offers without one request per item.
pub fn pull_request(p: PullRequest) -> Result<PullRow, String> {
    let updated = parse_time(&p.updated_on)?;
    Ok(PullRow {
        number: p.id,
        author_account_id: p.author.and_then(|a| a.uuid),
        title: p.title,
        source_branch: p.source.and_then(|s| s.branch).and_then(|b| b.name),
        merged_at: (p.state == "MERGED").then_some(updated),
        state: p.state,
        created: parse_time(&p.created_on)?,
        updated,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sync::bitbucket::dto::Paged;

    #[test]
    fn converts_a_commit_page_and_a_pull_request() {
        let page: Paged<Commit> = serde_json::from_str(r#"{"pagelen":100,"values":[{"type":"commit","hash":"abc","date":"2024-05-01T10:00:00+00:00",
            "message":"PAY-1 <b>fix</b>","author":{"type":"author","raw":"Ann Lee <ann@x.test>","user":{"uuid":"{u-1}","nickname":"ann"}}}]}"#).unwrap();
        assert!(page.next.is_none());
        let row = commit(page.values.into_iter().next().unwrap()).unwrap();
        assert_eq!(
            (
                row.author_account_id.as_deref(),
                row.author_email.as_deref(),
                row.message.as_str()
            ),
            (Some("{u-1}"), Some("ann@x.test"), "PAY-1 <b>fix</b>")
        );
        let pr: PullRequest = serde_json::from_str(r#"{"id":5,"title":"T","state":"MERGED","created_on":"2024-05-01T00:00:00+00:00",
            "updated_on":"2024-05-02T00:00:00+00:00","author":{"uuid":"{u-1}"},"source":{"branch":{"name":"feature/x"}}}"#).unwrap();
        let row = pull_request(pr).unwrap();
        assert_eq!(
            (row.number, row.state.as_str(), row.source_branch.as_deref()),
            (5, "MERGED", Some("feature/x"))
        );
        assert_eq!(row.merged_at, Some(row.updated), "Bitbucket records no merge time: its last update stands in");
    }
}
