//! Server function for the migration page: the legacy migration of `velocity migrate-legacy`
//! on records pasted into the page, as a dry run or for real.

use crate::api::ApiError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[cfg(feature = "ssr")]
use crate::api::context::{links, ui_principal};
#[cfg(feature = "ssr")]
use crate::api::error::with_status;

/// The migration report (the `Report` the command writes).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MigrationReport {
    pub dry_run: bool,
    pub created: usize,
    pub already_present: usize,
    pub conflicts: usize,
    pub unresolved: usize,
    pub references: Vec<MigrationEntry>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MigrationEntry {
    pub entity_type: String,
    pub entity: String,
    pub field: String,
    pub value: String,
    pub outcome: String,
    pub external_id: Option<String>,
    pub link_id: Option<Uuid>,
    pub holder: Option<String>,
    pub reason: Option<String>,
    pub note: Option<String>,
}

/// Records must fit in a request; the demo org's are about 20 KB.
#[cfg(feature = "ssr")]
const MAX_RECORDS_BYTES: usize = 5_000_000;

#[server]
pub async fn run_migration(records: String, apply: bool) -> Result<MigrationReport, ApiError> {
    use crate::links::migrate::{parse_records, MigrateError};
    with_status(
        async {
            crate::auth::rules::admin_only(&ui_principal().await?)?;
            if records.len() > MAX_RECORDS_BYTES {
                return Err(ApiError::invalid("records", format!("is {} bytes; at most {MAX_RECORDS_BYTES}", records.len())));
            }
            let parsed = parse_records(records.as_bytes()).map_err(|m| ApiError::invalid("records", m))?;
            let report = links()?.migrate_legacy(&parsed, !apply).await.map_err(|e| match e {
                MigrateError::Store(s) => ApiError::from(s),
                other => ApiError::invalid("records", other.to_string()),
            })?;
            crate::api::reshape(report)
        }
        .await,
    )
}
