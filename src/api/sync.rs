//! Sync runs for the UI (server functions) and the REST handlers: start a run (it goes on in
//! the background; the answer is the run as recorded), list runs, one run's detail.

use crate::api::ApiError;
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct SyncRunErrorView {
    pub link_id: Option<Uuid>,
    pub url: Option<String>,
    pub message: String,
    /// A fault a retry got past: recorded, not fatal.
    #[serde(default)]
    pub retried: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct SyncRunView {
    pub id: i64,
    /// `all`, `project:KEY` or `person:ID`.
    pub scope: String,
    pub full: bool,
    /// cli, api, ui, demo, scheduler, worker, test.
    pub trigger: String,
    /// running, succeeded or failed.
    pub status: String,
    pub started_by: Option<Uuid>,
    pub started_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    pub links: i32,
    /// Every HTTP request the run sent: look-ups, listings and data pages, retries included.
    pub requests: i32,
    /// Of those, the ones sent again after a fault.
    pub retries: i32,
    /// Of those, the ones upstream refused for its rate limit.
    #[serde(default)]
    pub refused: i32,
    pub rows_written: i32,
    /// Per entity (issues, worklogs, commits, pullRequests): fetched, written, deleted.
    #[cfg_attr(feature = "ssr", schema(value_type = Object))]
    pub counts: serde_json::Value,
    pub errors: Vec<SyncRunErrorView>,
    /// Links the run's validation changed (renames taken, invalidations, links back), a sentence each.
    #[serde(default)]
    pub link_changes: Vec<LinkChangeView>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct LinkChangeView {
    pub link_id: Uuid,
    /// `renamed`, `invalidated` or `reverified`.
    pub outcome: String,
    pub message: String,
}

#[cfg(feature = "ssr")]
pub use service::*;

#[cfg(feature = "ssr")]
mod service {
    use super::{SyncRunView, Uuid};
    use crate::api::ApiError;
    use crate::store::sync_runs::{self, RunRow};
    use crate::sync::{Options, Scope};
    use sqlx::PgPool;

    fn view(r: RunRow) -> SyncRunView {
        SyncRunView {
            id: r.id,
            scope: r.scope,
            full: r.full_resync,
            trigger: r.trigger,
            status: r.status,
            started_by: r.started_by,
            started_at: r.started_at,
            finished_at: r.finished_at,
            links: r.links,
            requests: r.requests,
            retries: r.retries,
            refused: r.refused,
            rows_written: r.rows_written,
            counts: r.counts,
            errors: serde_json::from_value(r.errors).unwrap_or_default(),
            link_changes: serde_json::from_value(r.link_changes).unwrap_or_default(),
        }
    }

    /// Exactly one of a project key, a person id or "all".
    pub fn scope_of(
        project: Option<String>,
        person: Option<String>,
        all: bool,
    ) -> Result<Scope, ApiError> {
        match (project, person, all) {
            (Some(key), None, false) => Ok(Scope::Project(key)),
            (None, Some(id), false) => Ok(Scope::Person(crate::api::rest::extract::parse_uuid(
                "person", &id,
            )?)),
            (None, None, true) => Ok(Scope::All),
            _ => Err(ApiError::invalid(
                "scope",
                "give exactly one of project (a key), person (an id) or all: true",
            )),
        }
    }

    /// Progress goes to the run's event stream only.
    fn quiet(_: usize, _: usize, _: &str) {}

    /// Records the run and carries it out in the background; answers with the run as recorded.
    pub async fn start_run(
        pool: &PgPool,
        scope: Scope,
        full: bool,
        trigger: &str,
        by: Option<Uuid>,
    ) -> Result<SyncRunView, ApiError> {
        let opts = Options::new(scope, full, trigger);
        let started = crate::sync::start(pool, &opts, by).await?;
        let id = started.run_id;
        let background = pool.clone();
        tokio::spawn(async move {
            if let Err(e) = crate::sync::finish(&background, started, &opts, &quiet).await {
                tracing::error!(run_id = id, error = %e, "sync run could not be recorded");
            }
        });
        run(pool, id).await
    }

    pub async fn run(pool: &PgPool, id: i64) -> Result<SyncRunView, ApiError> {
        sync_runs::get(pool, id)
            .await?
            .map(view)
            .ok_or_else(|| ApiError::NotFound(format!("no sync run {id}")))
    }

    pub async fn runs(pool: &PgPool, limit: i64) -> Result<Vec<SyncRunView>, ApiError> {
        Ok(sync_runs::list(pool, limit)
            .await?
            .into_iter()
            .map(view)
            .collect())
    }
}

#[cfg(feature = "ssr")]
use crate::api::context::{links, ui_actor, ui_principal};

/// Starts a sync of one project (key), one person (id), or everything when both are empty.
#[server]
pub async fn start_sync(
    project: Option<String>,
    person: Option<String>,
    full: bool,
) -> Result<SyncRunView, ApiError> {
    crate::api::error::with_status(
        async {
            let actor = ui_actor().await?;
            let all = project.is_none() && person.is_none();
            let scope = scope_of(project, person, all)?;
            crate::api::authz::start_sync(&links()?.pool, &ui_principal().await?, &scope).await?;
            start_run(&links()?.pool, scope, full, "ui", actor.person_id).await
        }
        .await,
    )
}

/// The 50 newest runs.
#[server]
pub async fn list_sync_runs() -> Result<Vec<SyncRunView>, ApiError> {
    crate::api::error::with_status(
        async {
            ui_actor().await?;
            runs(&links()?.pool, 50).await
        }
        .await,
    )
}

#[server]
pub async fn sync_run_detail(id: i64) -> Result<SyncRunView, ApiError> {
    crate::api::error::with_status(
        async {
            ui_actor().await?;
            run(&links()?.pool, id).await
        }
        .await,
    )
}

/// May the signed-in person start a sync of this scope (one project, one person, or everything
/// when both are empty)? Decided by the same rule `start_sync` applies, so the UI shows "Run
/// now" only to those it would let through.
#[server]
pub async fn may_start_sync(project: Option<String>, person: Option<String>) -> Result<bool, ApiError> {
    crate::api::error::with_status(
        async {
            ui_actor().await?;
            let all = project.is_none() && person.is_none();
            let scope = scope_of(project, person, all)?;
            match crate::api::authz::start_sync(&links()?.pool, &ui_principal().await?, &scope).await {
                Ok(()) => Ok(true),
                Err(ApiError::Forbidden { .. }) => Ok(false),
                Err(e) => Err(e),
            }
        }
        .await,
    )
}
