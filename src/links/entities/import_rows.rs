//! Reading an import's rows from JSON (`{"projects": […], "persons": […]}`) or CSV (one kind per
//! file, a header line naming the columns). Pure: a malformed document is an error; a malformed
//! row becomes a rejection naming its row and field, so one report lists every problem.

use super::import::Rejection;
use super::legacy::{PersonLegacy, ProjectLegacy};
use super::{parse_flag, EntityError, Kind};
use serde_json::{Map, Value};
use std::collections::BTreeSet;

pub const PROJECT_COLUMNS: &[&str] = &["key", "name", "description", "leadEmail"];
pub const PERSON_COLUMNS: &[&str] = &["name", "email", "active"];
/// Columns that `GET /api/export?format=csv` adds after the importable ones; ignored on import
/// so an export can be imported elsewhere as it is.
pub const EXPORT_ONLY_COLUMNS: &[&str] = &[
    "id", "leadPersonId", "active", "jiraProjects", "repositories", "primaryJiraKey", "primaryBitbucketRepo", "primaryGithubRepo",
    "primaryGitlabRepo", "jiraAccounts", "bitbucketAccounts", "slackAccounts", "githubAccounts", "gitlabAccounts",
    "primaryJiraAccountId", "primaryBitbucketUsername", "primarySlackUserId",
];

/// The deprecated single-link fields an old system's export carries (JSON): written as links
/// through the same translation as `PUT` (`super::legacy`).
pub const PROJECT_LEGACY: &[&str] = &["jiraKey", "bitbucketWorkspace", "bitbucketRepos"];
pub const PERSON_LEGACY: &[&str] = &["jiraAccountId", "bitbucketUsername", "slackUserId"];
/// Fields an export (ours or an old system's) carries that Velocity sets itself: ignored on
/// import and named in the report.
pub const READ_ONLY_FIELDS: &[&str] = &["id", "leadPersonId", "jiraProjects", "repositories", "externalAccounts", "createdAt", "updatedAt"];

/// Where a row came from: its kind, its 1-based position among that kind's rows and, for CSV,
/// its line in the file.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pos {
    pub kind: Kind,
    pub row: usize,
    pub line: Option<u64>,
}

impl Pos {
    pub fn reject(self, field: &str, message: impl Into<String>) -> Rejection {
        Rejection { kind: self.kind, row: self.row, line: self.line, field: field.to_owned(), message: message.into() }
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProjectRow {
    pub key: String,
    pub name: String,
    pub description: Option<String>,
    pub lead_email: Option<String>,
    pub legacy: ProjectLegacy,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct PersonRow {
    pub name: String,
    pub email: String,
    pub active: Option<bool>,
    pub legacy: PersonLegacy,
}

#[derive(Debug, Default)]
pub struct Rows {
    pub persons: Vec<(Pos, PersonRow)>,
    pub projects: Vec<(Pos, ProjectRow)>,
    pub rejected: Vec<Rejection>,
    /// Read-only fields that were sent and ignored.
    pub ignored: BTreeSet<String>,
}

/// A row's fields by column name; values empty in CSV count as absent.
trait Fields {
    fn text(&self, pos: Pos, name: &str, required: bool) -> Result<Option<String>, Rejection>;
    fn flag(&self, pos: Pos, name: &str) -> Result<Option<bool>, Rejection>;
    /// A list of strings (JSON only; CSV has no list columns).
    fn list(&self, pos: Pos, name: &str) -> Result<Option<Vec<String>>, Rejection>;
}

impl Fields for Map<String, Value> {
    fn text(&self, pos: Pos, name: &str, required: bool) -> Result<Option<String>, Rejection> {
        match self.get(name) {
            Some(Value::String(s)) => Ok(Some(s.clone())),
            None | Some(Value::Null) if required => Err(pos.reject(name, "is required")),
            None | Some(Value::Null) => Ok(None),
            Some(other) => Err(pos.reject(name, format!("must be a string, not {other}"))),
        }
    }

    fn flag(&self, pos: Pos, name: &str) -> Result<Option<bool>, Rejection> {
        match self.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(other) => Err(pos.reject(name, format!("must be true or false, not {other}"))),
        }
    }

    fn list(&self, pos: Pos, name: &str) -> Result<Option<Vec<String>>, Rejection> {
        match self.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Array(items)) => items.iter().map(|v| v.as_str().map(str::to_owned).ok_or_else(|| pos.reject(name, format!("must be a list of strings, not {v}")))).collect::<Result<_, _>>().map(Some),
            Some(other) => Err(pos.reject(name, format!("must be a list of strings, not {other}"))),
        }
    }
}

impl Fields for Vec<(String, String)> {
    fn text(&self, pos: Pos, name: &str, required: bool) -> Result<Option<String>, Rejection> {
        match self.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).filter(|v| !v.trim().is_empty()) {
            Some(v) => Ok(Some(v.to_owned())),
            None if required => Err(pos.reject(name, "is required")),
            None => Ok(None),
        }
    }

    fn flag(&self, pos: Pos, name: &str) -> Result<Option<bool>, Rejection> {
        match self.text(pos, name, false)? {
            None => Ok(None),
            Some(raw) => parse_flag(&raw, true).map(Some).map_err(|m| pos.reject(name, m)),
        }
    }

    fn list(&self, _: Pos, _: &str) -> Result<Option<Vec<String>>, Rejection> {
        Ok(None)
    }
}

fn project_row(pos: Pos, f: &impl Fields) -> Result<ProjectRow, Rejection> {
    Ok(ProjectRow {
        key: f.text(pos, "key", true)?.unwrap_or_default(),
        name: f.text(pos, "name", true)?.unwrap_or_default(),
        description: f.text(pos, "description", false)?,
        lead_email: f.text(pos, "leadEmail", false)?,
        legacy: ProjectLegacy {
            jira_key: f.text(pos, "jiraKey", false)?.filter(|k| !k.trim().is_empty()),
            bitbucket_workspace: f.text(pos, "bitbucketWorkspace", false)?.filter(|w| !w.trim().is_empty()),
            bitbucket_repos: f.list(pos, "bitbucketRepos")?.filter(|r| !r.is_empty()),
        },
    })
}

fn person_row(pos: Pos, f: &impl Fields) -> Result<PersonRow, Rejection> {
    let id = |name: &str| f.text(pos, name, false).map(|v| v.filter(|v| !v.trim().is_empty()));
    let legacy = PersonLegacy { jira_account_id: id("jiraAccountId")?, bitbucket_username: id("bitbucketUsername")?, slack_user_id: id("slackUserId")? };
    Ok(PersonRow { name: f.text(pos, "name", true)?.unwrap_or_default(), email: f.text(pos, "email", true)?.unwrap_or_default(), active: f.flag(pos, "active")?, legacy })
}

impl Rows {
    fn push(&mut self, pos: Pos, fields: &impl Fields) {
        let outcome = match pos.kind {
            Kind::Persons => person_row(pos, fields).map(|r| self.persons.push((pos, r))),
            Kind::Projects => project_row(pos, fields).map(|r| self.projects.push((pos, r))),
        };
        if let Err(rejection) = outcome {
            self.rejected.push(rejection);
        }
    }
}

fn columns(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Projects => PROJECT_COLUMNS,
        Kind::Persons => PERSON_COLUMNS,
    }
}

/// `{"persons": [...], "projects": [...]}`; either list may be left out.
pub fn from_json(body: &[u8]) -> Result<Rows, EntityError> {
    let doc: Value = serde_json::from_slice(body).map_err(|e| EntityError::invalid("body", format!("is not JSON: {e}")))?;
    let Value::Object(doc) = doc else {
        return Err(EntityError::invalid("body", r#"must be an object like {"persons": [...], "projects": [...]}"#));
    };
    if let Some(unknown) = doc.keys().find(|k| !matches!(k.as_str(), "persons" | "projects")) {
        return Err(EntityError::Invalid { field: "body", message: format!("unknown field `{unknown}`; send persons and/or projects") });
    }
    let mut rows = Rows::default();
    for kind in [Kind::Persons, Kind::Projects] {
        let items = match doc.get(kind.as_str()) {
            None | Some(Value::Null) => continue,
            Some(Value::Array(items)) => items,
            Some(_) => return Err(EntityError::invalid("body", format!("{} must be a list of objects", kind.as_str()))),
        };
        for (i, item) in items.iter().enumerate() {
            let pos = Pos { kind, row: i + 1, line: None };
            let Value::Object(map) = item else {
                rows.rejected.push(pos.reject("row", "must be an object"));
                continue;
            };
            let legacy = if kind == Kind::Projects { PROJECT_LEGACY } else { PERSON_LEGACY };
            let read_only = |k: &str| READ_ONLY_FIELDS.contains(&k) || EXPORT_ONLY_COLUMNS.contains(&k);
            let taken = |k: &str| columns(kind).contains(&k) || legacy.contains(&k);
            rows.ignored.extend(map.keys().filter(|k| !taken(k) && read_only(k)).cloned());
            match map.keys().find(|k| !taken(k) && !read_only(k)) {
                Some(unknown) => rows.rejected.push(pos.reject(unknown, format!("unknown field; {} take {} (and the legacy {})", kind.as_str(), columns(kind).join(", "), legacy.join(", ")))),
                None => rows.push(pos, map),
            }
        }
    }
    Ok(rows)
}

/// One kind per file; the header names the columns (any order; export-only columns ignored).
pub fn from_csv(body: &[u8], kind: Kind) -> Result<Rows, EntityError> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(body);
    let csv_error = |e: csv::Error| {
        let line = e.position().map_or(String::new(), |p| format!(" (line {})", p.line()));
        EntityError::invalid("body", format!("is not readable CSV{line}: {e}"))
    };
    let header: Vec<String> = reader.headers().map_err(csv_error)?.iter().map(|h| h.trim().to_owned()).collect();
    if header.iter().all(String::is_empty) {
        return Err(EntityError::invalid("body", format!("the CSV has no header line; {} take {}", kind.as_str(), columns(kind).join(","))));
    }
    for (i, h) in header.iter().enumerate() {
        if !columns(kind).contains(&h.as_str()) && !EXPORT_ONLY_COLUMNS.contains(&h.as_str()) {
            return Err(EntityError::invalid("body", format!("unknown column '{h}'; {} take {}", kind.as_str(), columns(kind).join(","))));
        }
        if header[..i].contains(h) {
            return Err(EntityError::invalid("body", format!("column '{h}' appears twice")));
        }
    }
    let required: &[&str] = if kind == Kind::Projects { &["key", "name"] } else { &["name", "email"] };
    if let Some(missing) = required.iter().find(|c| !header.iter().any(|h| h == *c)) {
        return Err(EntityError::invalid("body", format!("the header has no column '{missing}'; {} take {}", kind.as_str(), columns(kind).join(","))));
    }
    let mut rows = Rows { ignored: header.iter().filter(|h| !columns(kind).contains(&h.as_str())).cloned().collect(), ..Rows::default() };
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(csv_error)?;
        let pos = Pos { kind, row: i + 1, line: record.position().map(|p| p.line()) };
        if record.len() != header.len() {
            rows.rejected.push(pos.reject("row", format!("has {} fields; the header has {}", record.len(), header.len())));
            continue;
        }
        let fields: Vec<(String, String)> = header.iter().cloned().zip(record.iter().map(|cell| super::csv_cell::unprotect(cell).to_owned())).filter(|(h, _)| columns(kind).contains(&h.as_str())).collect();
        rows.push(pos, &fields);
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_rows_and_their_rejections() {
        let body = br#"{"persons": [{"name": "Jane", "email": "jane@example.com"}, {"name": "Joe", "colour": "red"}, {"name": 5, "email": "x@y.z"}],
                        "projects": [{"key": "WEB", "name": "Web", "leadEmail": "jane@example.com"}, {"name": "No key"}]}"#;
        let rows = from_json(body).unwrap();
        assert_eq!(rows.persons.len(), 1);
        assert_eq!(rows.projects[0].1.lead_email.as_deref(), Some("jane@example.com"));
        let got: Vec<(Kind, usize, &str)> = rows.rejected.iter().map(|r| (r.kind, r.row, r.field.as_str())).collect();
        assert_eq!(got, vec![(Kind::Persons, 2, "colour"), (Kind::Persons, 3, "name"), (Kind::Projects, 2, "key")]);
    }

    #[test]
    fn json_documents_that_are_not_imports() {
        assert!(from_json(b"[]").is_err());
        assert!(from_json(b"{\"people\": []}").is_err());
        assert!(from_json(b"{\"persons\": {}}").is_err());
        assert!(from_json(b"{not json").is_err());
        assert_eq!(from_json(b"{}").unwrap().persons.len(), 0);
    }

    #[test]
    fn csv_rows_columns_and_lines() {
        let body = "\u{feff}name,email,active\nJane,jane@example.com,\n\"Doe, Joe\",joe@example.com,no\nBad,bad@example.com,maybe\nShort\n";
        let rows = from_csv(body.as_bytes(), Kind::Persons).unwrap();
        assert_eq!(rows.persons.len(), 2);
        assert_eq!(rows.persons[1].1, PersonRow { name: "Doe, Joe".into(), email: "joe@example.com".into(), active: Some(false), legacy: PersonLegacy::default() });
        assert_eq!(rows.persons[0].0.line, Some(2));
        let got: Vec<(usize, &str)> = rows.rejected.iter().map(|r| (r.row, r.field.as_str())).collect();
        assert_eq!(got, vec![(3, "active"), (4, "row")]);
    }

    #[test]
    fn csv_headers_are_checked() {
        assert!(from_csv(b"key,name,colour\nA,B,C\n", Kind::Projects).is_err());
        assert!(from_csv(b"key,description\nAB,x\n", Kind::Projects).is_err(), "name missing");
        assert!(from_csv(b"key,name,key\n", Kind::Projects).is_err());
        assert!(from_csv(b"", Kind::Projects).is_err());
        let exported = from_csv(b"key,name,description,leadEmail,active,jiraProjects\nWEB,Web,,,true,2\n", Kind::Projects).unwrap();
        assert_eq!(exported.projects[0].1, ProjectRow { key: "WEB".into(), name: "Web".into(), description: None, lead_email: None, legacy: ProjectLegacy::default() });
        assert_eq!(exported.ignored.iter().map(String::as_str).collect::<Vec<_>>(), vec!["active", "jiraProjects"]);
    }

    #[test]
    fn an_old_systems_export_reads_with_its_legacy_fields_and_ignores_read_only_ones() {
        let body = br#"{"projects": [{"id": "p-1", "key": "WEB", "name": "Web", "jiraKey": "WB", "bitbucketWorkspace": "acme", "bitbucketRepos": ["web-app"], "createdAt": "2020-01-01"}],
                        "persons": [{"id": 7, "name": "Ann", "email": "ann@acme.test", "jiraAccountId": "5b1", "bitbucketUsername": "", "slackUserId": null}]}"#;
        let rows = from_json(body).unwrap();
        assert!(rows.rejected.is_empty(), "{:?}", rows.rejected);
        assert_eq!(rows.projects[0].1.legacy, ProjectLegacy { jira_key: Some("WB".into()), bitbucket_workspace: Some("acme".into()), bitbucket_repos: Some(vec!["web-app".into()]) });
        assert_eq!(rows.persons[0].1.legacy, PersonLegacy { jira_account_id: Some("5b1".into()), ..PersonLegacy::default() });
        assert_eq!(rows.ignored.iter().map(String::as_str).collect::<Vec<_>>(), vec!["createdAt", "id"]);
        let bad = from_json(br#"{"projects": [{"key": "WEB", "name": "Web", "bitbucketRepos": "web-app"}]}"#).unwrap();
        assert_eq!(bad.rejected[0].field, "bitbucketRepos");
    }
}
