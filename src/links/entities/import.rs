//! Bulk import of persons and projects (REST `POST /api/import` and `velocity import`): every
//! row is checked — the entity rules, duplicates inside the import, entities that exist already,
//! leads by e-mail — and only when none is rejected are all rows written, in one transaction,
//! persons before projects (so `leadEmail` may name a person of the same import). Import only
//! creates: an existing key or e-mail is a rejected row, never an overwrite. An old system's
//! export imports as it is: its legacy single-link fields are checked upstream with the rows and
//! written as links after them (the translation `PUT` makes), and read-only fields such as `id`
//! are ignored and named in the report.

use super::import_rows::{self, Rows};
use super::persons::{insert_person, NewPerson};
use super::projects::{insert_project, NewProject};
use super::{validate_email, EntityError, Kind};
use crate::links::declare::Owner;
use crate::links::{Actor, Links};
use crate::store::{persons::persons_by_emails, projects::existing_project_keys};
use serde::Serialize;
use std::collections::HashMap;
use std::path::Path;
use uuid::Uuid;

/// Why one row was refused.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Rejection {
    pub kind: Kind,
    /// 1-based position among the rows of its kind (the header line not counted).
    pub row: usize,
    /// For CSV: the line of the file.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = u64)]
    pub line: Option<u64>,
    pub field: String,
    pub message: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Created {
    pub persons: usize,
    pub projects: usize,
}

/// What an import did: counts when it was written, every rejected row when it was not.
#[derive(Debug, Clone, Default, PartialEq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ImportReport {
    pub accepted: usize,
    pub created: Created,
    pub rejected: Vec<Rejection>,
    /// Links written from legacy fields (`jiraKey`, `bitbucketRepos`, `jiraAccountId`, …).
    pub legacy_links: usize,
    /// Read-only fields the rows carried (`id`, `createdAt`, …): ignored.
    pub ignored_fields: Vec<String>,
}

/// The body's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Csv(Kind),
}

impl Format {
    /// From a file name: `.json`, or `.csv` with the kind said by `--kind`.
    pub fn from_path(path: &Path, kind: Option<Kind>) -> Result<Format, EntityError> {
        match (path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref(), kind) {
            (Some("json"), None) => Ok(Format::Json),
            (Some("json"), Some(_)) => Err(EntityError::invalid("kind", "a JSON file names its kinds itself (persons, projects); leave --kind out")),
            (Some("csv"), Some(kind)) => Ok(Format::Csv(kind)),
            (Some("csv"), None) => Err(EntityError::invalid("kind", "a CSV file holds one kind: add --kind projects or --kind persons")),
            _ => Err(EntityError::invalid("file", format!("{} does not end in .json or .csv", path.display()))),
        }
    }
}

impl Links {
    pub async fn import_file(&self, path: &Path, kind: Option<Kind>, actor: Actor) -> Result<ImportReport, EntityError> {
        let format = Format::from_path(path, kind)?;
        let body = std::fs::read(path).map_err(|e| EntityError::invalid("file", format!("cannot read {}: {e}", path.display())))?;
        self.import(&body, format, actor).await
    }

    /// Checks every row, then writes all of them or none (`EntityError::Rejected` with the report).
    pub async fn import(&self, body: &[u8], format: Format, actor: Actor) -> Result<ImportReport, EntityError> {
        let mut rows = match format {
            Format::Json => import_rows::from_json(body)?,
            Format::Csv(kind) => import_rows::from_csv(body, kind)?,
        };
        let persons: Vec<(import_rows::Pos, NewPerson)> = rows
            .persons
            .iter()
            .filter_map(|(pos, r)| match (NewPerson { name: r.name.clone(), email: r.email.clone(), active: r.active }).validated() {
                Ok(p) => Some((*pos, p)),
                Err(e) => reject(&mut rows.rejected, *pos, e),
            })
            .collect();
        let projects: Vec<(import_rows::Pos, NewProject, Option<String>)> = rows
            .projects
            .iter()
            .filter_map(|(pos, r)| {
                let new = NewProject { key: r.key.trim().to_owned(), name: r.name.clone(), description: r.description.clone(), lead_person_id: None };
                let lead = r.lead_email.as_deref().map(validate_email).transpose().map_err(|m| EntityError::invalid("leadEmail", m));
                match new.validated().and_then(|p| lead.map(|l| (p, l))) {
                    Ok((p, l)) => Some((*pos, p, l)),
                    Err(e) => reject(&mut rows.rejected, *pos, e),
                }
            })
            .collect();
        // Legacy fields are resolved upstream before anything is written, as `PUT` does.
        let mut person_plans = Vec::new();
        for (pos, r) in rows.persons.iter().filter(|(_, r)| !r.legacy.is_empty()) {
            match self.check_person_legacy(None, &r.legacy).await {
                Ok(plan) => person_plans.push((fold(&r.email), plan)),
                Err(e) => reject::<()>(&mut rows.rejected, *pos, e).unwrap_or_default(),
            }
        }
        let mut project_plans = Vec::new();
        for (pos, r) in rows.projects.iter().filter(|(_, r)| !r.legacy.is_empty()) {
            match self.check_project_legacy(None, &r.legacy).await {
                Ok(plan) => project_plans.push((r.key.trim().to_owned(), plan)),
                Err(e) => reject::<()>(&mut rows.rejected, *pos, e).unwrap_or_default(),
            }
        }
        let mut tx = self.pool.begin().await?;
        let emails: Vec<String> = persons.iter().map(|(_, p)| fold(&p.email)).chain(projects.iter().filter_map(|(_, _, l)| l.as_deref().map(fold))).collect();
        let known: HashMap<String, (Uuid, bool)> = persons_by_emails(&mut tx, &emails).await?.into_iter().map(|(e, id, active)| (e, (id, active))).collect();
        let keys: Vec<String> = projects.iter().map(|(_, p, _)| p.key.clone()).collect();
        let taken_keys = existing_project_keys(&mut tx, &keys).await?;
        let mut fresh: HashMap<String, (usize, bool)> = HashMap::new();
        for (pos, p) in &persons {
            let lower = fold(&p.email);
            if let Some((id, _)) = known.get(&lower) {
                rows.rejected.push(pos.reject("email", format!("a person with the e-mail '{}' exists already (id {id}); change them with PUT /api/persons/{id}", p.email)));
            } else if let Some((row, _)) = fresh.get(&lower) {
                rows.rejected.push(pos.reject("email", format!("'{}' is also the e-mail of persons row {row} of this import (compared ignoring case)", p.email)));
            } else {
                fresh.insert(lower, (pos.row, p.active.unwrap_or(true)));
            }
        }
        let mut seen_keys: HashMap<&str, usize> = HashMap::new();
        for (pos, p, lead) in &projects {
            if taken_keys.contains(&p.key) {
                rows.rejected.push(pos.reject("key", format!("a project with key '{}' exists already; change it with PUT /api/projects/{}", p.key, p.key)));
            } else if let Some(row) = seen_keys.get(p.key.as_str()) {
                rows.rejected.push(pos.reject("key", format!("'{}' is also the key of projects row {row} of this import", p.key)));
            } else {
                seen_keys.insert(&p.key, pos.row);
            }
            if let Some(lead) = lead {
                let active = known.get(&fold(lead)).map(|(_, a)| *a).or_else(|| fresh.get(&fold(lead)).map(|(_, a)| *a));
                match active {
                    None => rows.rejected.push(pos.reject("leadEmail", format!("no person with the e-mail '{lead}' in Velocity or in this import"))),
                    Some(false) => rows.rejected.push(pos.reject("leadEmail", format!("the person with the e-mail '{lead}' is deactivated; choose an active lead"))),
                    Some(true) => {}
                }
            }
        }
        if !rows.rejected.is_empty() {
            drop(tx);
            return Err(EntityError::Rejected { report: report_of(rows) });
        }
        let mut ids: HashMap<String, Uuid> = known.iter().map(|(e, (id, _))| (e.clone(), *id)).collect();
        // The checks above compare as the database does; should a unique rule still refuse a row
        // (a write racing this import), that row is rejected like any other and nothing is written.
        for (pos, p) in &persons {
            let created = insert_person(&mut tx, p, actor).await.map_err(|e| rejected_on_write(*pos, e))?;
            ids.insert(fold(&created.email), created.id);
        }
        for (pos, p, lead) in &projects {
            let lead_person_id = lead.as_deref().and_then(|l| ids.get(&fold(l)).copied());
            insert_project(&mut tx, &NewProject { lead_person_id, ..p.clone() }, actor).await.map_err(|e| rejected_on_write(*pos, e))?;
        }
        tx.commit().await?;
        let mut legacy_links = 0;
        for (email, plan) in person_plans {
            let Some(id) = ids.get(&email) else { continue };
            legacy_links += plan.links();
            self.apply_legacy(&Owner::Person(*id), plan, actor).await?;
        }
        for (key, plan) in project_plans {
            legacy_links += plan.links();
            self.apply_legacy(&Owner::Project(key), plan, actor).await?;
        }
        let created = Created { persons: persons.len(), projects: projects.len() };
        Ok(ImportReport { accepted: created.persons + created.projects, created, rejected: Vec::new(), legacy_links, ignored_fields: rows.ignored.into_iter().collect() })
    }
}

/// An e-mail as the database's `lower(email)` (the `persons_email_key` index) compares it: each
/// character lowercased on its own. `str::to_lowercase` differs for a final capital sigma (`ΑΣ`
/// → `ας`, where the database has `ασ`) and for `İ` (`i̇`, where the database has `i`), so
/// existing persons and leads went unrecognised.
fn fold(email: &str) -> String {
    email.chars().map(|c| c.to_lowercase().next().unwrap_or(c)).collect()
}

/// A unique rule refused a checked row while writing: that row becomes a rejection.
fn rejected_on_write(pos: import_rows::Pos, e: EntityError) -> EntityError {
    match e {
        EntityError::Duplicate { field, message } => EntityError::Rejected { report: report_of(Rows { rejected: vec![pos.reject(field, message)], ..Rows::default() }) },
        other => other,
    }
}

fn reject<T>(rejected: &mut Vec<Rejection>, pos: import_rows::Pos, e: EntityError) -> Option<T> {
    let (field, message) = match e {
        EntityError::Invalid { field, message } | EntityError::Duplicate { field, message } => (field.to_owned(), message),
        other => ("row".to_owned(), other.to_string()),
    };
    rejected.push(pos.reject(&field, message));
    None
}

/// The rejections in file order: persons first (they are imported first), then by row.
fn report_of(rows: Rows) -> ImportReport {
    let mut rejected = rows.rejected;
    rejected.sort_by_key(|r| (r.kind != Kind::Persons, r.row));
    ImportReport { accepted: 0, created: Created::default(), rejected, legacy_links: 0, ignored_fields: rows.ignored.into_iter().collect() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_from_the_file_name() {
        assert_eq!(Format::from_path(Path::new("org.JSON"), None).unwrap(), Format::Json);
        assert_eq!(Format::from_path(Path::new("p.csv"), Some(Kind::Projects)).unwrap(), Format::Csv(Kind::Projects));
        assert!(matches!(Format::from_path(Path::new("p.csv"), None), Err(EntityError::Invalid { field: "kind", .. })));
        assert!(matches!(Format::from_path(Path::new("p.xlsx"), None), Err(EntityError::Invalid { field: "file", .. })));
    }

    #[test]
    fn emails_fold_as_the_database_lowers_them() {
        assert_eq!(fold("Jane.Doe@Example.COM"), "jane.doe@example.com");
        assert_eq!(fold("ΑΣ@sigma.io"), "ασ@sigma.io", "no final-sigma rule: lower() has none");
        assert_eq!(fold("İX@x.io"), "ix@x.io");
        assert_eq!(fold("ασ@sigma.io"), fold("ΑΣ@SIGMA.IO"));
    }

    #[test]
    fn rejections_are_ordered_and_named() {
        let mut rows = Rows::default();
        let pos = |kind, row| import_rows::Pos { kind, row, line: None };
        reject::<()>(&mut rows.rejected, pos(Kind::Projects, 1), EntityError::invalid("key", "bad"));
        reject::<()>(&mut rows.rejected, pos(Kind::Persons, 3), EntityError::invalid("email", "bad"));
        let report = report_of(rows);
        assert_eq!(report.accepted, 0);
        assert_eq!((report.rejected[0].kind, report.rejected[0].field.as_str()), (Kind::Persons, "email"));
        assert_eq!(report.rejected[1].message, "bad");
    }
}
