//! Server function for the "Import & export" page: an import of a JSON or CSV document (the
//! same service and rules as `POST /api/import`: every row checked, all or nothing), answered
//! row by row.

use crate::api::ApiError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One refused row, where it is and why.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RefusedRow {
    pub kind: String,
    pub row: usize,
    #[serde(default)]
    pub line: Option<u64>,
    pub field: String,
    pub message: String,
}

/// What an import did: written (with counts), or refused row by row with nothing written.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImportOutcome {
    pub written: bool,
    pub accepted: usize,
    pub persons: usize,
    pub projects: usize,
    pub legacy_links: usize,
    pub ignored_fields: Vec<String>,
    pub refused: Vec<RefusedRow>,
}

/// Imports `content`: `format` is `json`, `projects.csv` or `persons.csv` (a CSV holds one kind).
#[server]
pub async fn import_document(content: String, format: String) -> Result<ImportOutcome, ApiError> {
    use crate::api::context::{links, ui_actor, ui_principal};
    use crate::api::error::with_status;
    use crate::links::entities::import::{Format, ImportReport};
    use crate::links::entities::{EntityError, Kind};
    with_status(
        async {
            crate::auth::rules::admin_only(&ui_principal().await?)?;
            let format = match format.as_str() {
                "json" => Format::Json,
                "projects.csv" => Format::Csv(Kind::Projects),
                "persons.csv" => Format::Csv(Kind::Persons),
                other => return Err(ApiError::invalid("format", format!("'{other}' is not an import format; choose JSON, projects CSV or people CSV"))),
            };
            if content.trim().is_empty() {
                return Err(ApiError::invalid("content", "choose a file or paste its content first"));
            }
            let outcome = |written: bool, r: ImportReport| ImportOutcome {
                written,
                accepted: r.accepted,
                persons: r.created.persons,
                projects: r.created.projects,
                legacy_links: r.legacy_links,
                ignored_fields: r.ignored_fields,
                refused: r.rejected.into_iter().map(|x| RefusedRow { kind: x.kind.as_str().to_owned(), row: x.row, line: x.line, field: x.field, message: x.message }).collect(),
            };
            match links()?.import(content.as_bytes(), format, ui_actor().await?).await {
                Ok(report) => Ok(outcome(true, report)),
                Err(EntityError::Rejected { report }) => Ok(outcome(false, report)),
                Err(e) => Err(e.into()),
            }
        }
        .await,
    )
}
