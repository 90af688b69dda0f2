//! GitLab DTOs → our rows. Commits carry no account, only a name and an e-mail.

use super::dto::{Commit, MergeRequest};
use crate::store::synced::{CommitRow, PullRow};
use crate::sync::parse_time;

pub fn commit(c: Commit) -> Result<CommitRow, String> {
    Ok(CommitRow {
        committed_at: parse_time(&c.committed_date)?,
        sha: c.id,
        author_account_id: None,
        author_name: c.author_name,
        author_email: c.author_email,
        message: c.message,
    })
}

pub fn merge_request(m: MergeRequest) -> Result<PullRow, String> {
    let state = match m.state.as_str() {
        "merged" => "MERGED",
        "closed" => "DECLINED",
        _ => "OPEN",
    };
    Ok(PullRow {
        number: m.iid,
        author_account_id: m.author.map(|a| a.id.to_string()),
        title: m.title,
        source_branch: m.source_branch,
        state: state.into(),
        created: parse_time(&m.created_at)?,
        updated: parse_time(&m.updated_at)?,
        merged_at: m.merged_at.as_deref().map(parse_time).transpose()?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_commits_and_merge_requests() {
        let c: Commit = serde_json::from_str(
            r#"{"id":"abc","short_id":"ab","title":"t","message":"t\n\nbody","author_name":"Ann",
            "author_email":"a@x.test","committed_date":"2024-05-01T10:00:00.000+02:00"}"#,
        )
        .unwrap();
        let row = commit(c).unwrap();
        assert_eq!(row.committed_at.to_rfc3339(), "2024-05-01T08:00:00+00:00");
        assert_eq!(row.message, "t\n\nbody");
        let m: MergeRequest = serde_json::from_str(
            r#"{"iid":4,"id":999,"title":"T","state":"closed","created_at":"2024-05-01T00:00:00Z",
            "updated_at":"2024-05-02T00:00:00Z","author":{"id":7},"source_branch":"b"}"#,
        )
        .unwrap();
        let row = merge_request(m).unwrap();
        assert_eq!(
            (
                row.number,
                row.state.as_str(),
                row.author_account_id.as_deref()
            ),
            (4, "DECLINED", Some("7"))
        );
        assert_eq!(row.merged_at, None);
        let merged: MergeRequest = serde_json::from_str(
            r#"{"iid":5,"title":"T","state":"merged","created_at":"2024-05-01T00:00:00Z","updated_at":"2024-05-03T00:00:00Z",
            "merged_at":"2024-05-02T12:00:00.000Z","author":null,"source_branch":"b"}"#,
        )
        .unwrap();
        let row = merge_request(merged).unwrap();
        assert_eq!((row.state.as_str(), row.merged_at.map(|t| t.to_rfc3339())), ("MERGED", Some("2024-05-02T12:00:00+00:00".to_owned())));
    }
}
