//! The CSV form of each list: the JSON's fields, provenance flattened into the last columns,
//! times in RFC 3339, formula-looking cells defused like every export.

use crate::domain::activity::{CommitRow, IssueRow, Provenance, PullRequestRow, WorklogRow};
use chrono::{DateTime, Utc};

pub trait CsvRow {
    const HEADER: &'static [&'static str];
    fn cells(&self) -> Vec<String>;
}

const PROVENANCE: [&str; 6] = ["externalId", "linkId", "connectionId", "url", "syncedAt", "deletedAt"];

fn time(t: Option<DateTime<Utc>>) -> String {
    t.map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)).unwrap_or_default()
}

fn text<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map(ToString::to_string).unwrap_or_default()
}

fn provenance(p: &Provenance) -> [String; 6] {
    [p.external_id.clone(), p.link_id.to_string(), p.connection_id.to_string(), p.url.clone(), time(p.synced_at), time(p.deleted_at)]
}

fn with_provenance<const N: usize>(cells: [String; N], p: &Provenance) -> Vec<String> {
    cells.into_iter().chain(provenance(p)).collect()
}

impl CsvRow for IssueRow {
    const HEADER: &'static [&'static str] = &["key", "summary", "status", "statusCategory", "issueType", "projectKey", "assigneePersonId", "assigneeName", "created", "updated", "resolved", PROVENANCE[0], PROVENANCE[1], PROVENANCE[2], PROVENANCE[3], PROVENANCE[4], PROVENANCE[5]];
    fn cells(&self) -> Vec<String> {
        with_provenance(
            [self.key.clone(), self.summary.clone(), self.status.clone(), self.status_category.clone(), text(&self.issue_type), self.project_key.clone(), text(&self.assignee_person_id), text(&self.assignee_name), time(Some(self.created)), time(Some(self.updated)), time(self.resolved)],
            &self.provenance,
        )
    }
}

impl CsvRow for WorklogRow {
    const HEADER: &'static [&'static str] = &["issueKey", "projectKey", "personId", "personName", "started", "seconds", PROVENANCE[0], PROVENANCE[1], PROVENANCE[2], PROVENANCE[3], PROVENANCE[4], PROVENANCE[5]];
    fn cells(&self) -> Vec<String> {
        with_provenance([text(&self.issue_key), text(&self.project_key), self.person_id.to_string(), self.person_name.clone(), time(Some(self.started)), self.seconds.to_string()], &self.provenance)
    }
}

impl CsvRow for CommitRow {
    const HEADER: &'static [&'static str] = &["sha", "message", "repository", "projectKey", "personId", "authorName", "committedAt", PROVENANCE[0], PROVENANCE[1], PROVENANCE[2], PROVENANCE[3], PROVENANCE[4], PROVENANCE[5]];
    fn cells(&self) -> Vec<String> {
        with_provenance([self.sha.clone(), self.message.clone(), self.repository.clone(), self.project_key.clone(), text(&self.person_id), text(&self.author_name), time(Some(self.committed_at))], &self.provenance)
    }
}

impl CsvRow for PullRequestRow {
    const HEADER: &'static [&'static str] = &["number", "title", "state", "repository", "projectKey", "personId", "sourceBranch", "created", "updated", "merged", PROVENANCE[0], PROVENANCE[1], PROVENANCE[2], PROVENANCE[3], PROVENANCE[4], PROVENANCE[5]];
    fn cells(&self) -> Vec<String> {
        with_provenance(
            [self.number.to_string(), self.title.clone(), self.state.clone(), self.repository.clone(), self.project_key.clone(), text(&self.person_id), text(&self.source_branch), time(Some(self.created)), time(Some(self.updated)), time(self.merged)],
            &self.provenance,
        )
    }
}

/// Rows as CSV text, with the header line first when `header` is set (the first chunk of a
/// streamed export).
pub fn write<R: CsvRow>(rows: &[R], header: bool) -> Result<String, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    if header {
        w.write_record(R::HEADER)?;
    }
    for r in rows {
        w.write_record(r.cells().into_iter().map(crate::links::entities::csv_cell::protect))?;
    }
    let bytes = w.into_inner().map_err(|e| csv::Error::from(e.into_error()))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    #[test]
    fn every_row_has_as_many_cells_as_its_header_and_formulas_are_defused() {
        let p = Provenance { external_id: "10001".into(), link_id: Uuid::nil(), connection_id: Uuid::nil(), url: "https://x/browse/A-1".into(), synced_at: None, deleted_at: None };
        let at = chrono::DateTime::parse_from_rfc3339("2026-11-30T08:00:00Z").unwrap().with_timezone(&Utc);
        let issue = IssueRow { key: "A-1".into(), summary: "=cmd()".into(), status: "Done".into(), status_category: "done".into(), issue_type: None, project_key: "A".into(), assignee_person_id: None, assignee_name: None, created: at, updated: at, resolved: Some(at), provenance: p.clone() };
        assert_eq!(issue.cells().len(), IssueRow::HEADER.len());
        let text = write(&[issue], true).unwrap();
        assert!(text.starts_with("key,summary,status"), "{text}");
        assert!(text.contains("'=cmd()"), "{text}");
        let w = WorklogRow { issue_key: None, project_key: None, person_id: Uuid::nil(), person_name: "Ana".into(), started: at, seconds: 60, provenance: p.clone() };
        assert_eq!(w.cells().len(), WorklogRow::HEADER.len());
        let c = CommitRow { sha: "abc".into(), message: "m".into(), repository: "r".into(), project_key: "A".into(), person_id: None, author_name: None, committed_at: at, provenance: p.clone() };
        assert_eq!(c.cells().len(), CommitRow::HEADER.len());
        let r = PullRequestRow { number: 1, title: "t".into(), state: "OPEN".into(), repository: "r".into(), project_key: "A".into(), person_id: None, source_branch: None, created: at, updated: at, merged: None, provenance: p };
        assert_eq!(r.cells().len(), PullRequestRow::HEADER.len());
        assert!(!write::<CommitRow>(&[], false).unwrap().contains("sha"), "no header on later chunks");
    }
}
