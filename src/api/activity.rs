//! Server functions of the activity sections on project and person pages (anyone signed in):
//! the same lists and summaries as `GET /api/{projects|persons}/…/{list|summary}`.

use crate::api::ApiError;
use crate::domain::activity::{ActivityKind, ActivityPage, ActivitySummary, CommitRow, IssueRow, ListParams, PullRequestRow, WorklogRow};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One page of one list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "kind", content = "page")]
pub enum ActivityList {
    Issues(ActivityPage<IssueRow>),
    Worklogs(ActivityPage<WorklogRow>),
    Commits(ActivityPage<CommitRow>),
    PullRequests(ActivityPage<PullRequestRow>),
}

#[cfg(feature = "ssr")]
async fn subject(owner: &str) -> Result<crate::store::activity::Subject, ApiError> {
    use crate::api::owner::OwnerRef;
    use crate::store::activity::Subject;
    crate::api::context::ui_actor().await?;
    let pool = crate::api::context::links()?.pool;
    match OwnerRef::parse_api(owner)? {
        OwnerRef::Project(key) => crate::store::projects::project_by_key(&pool, &key).await?.map(|p| Subject::Project(p.id)).ok_or_else(|| ApiError::NotFound(format!("no project with key {key}"))),
        OwnerRef::Person(id) => crate::store::persons::person_by_id(&pool, id).await?.map(|p| Subject::Person(p.id)).ok_or_else(|| ApiError::NotFound(format!("no person with id {id}"))),
    }
}

#[server(input = leptos::server_fn::codec::Json)]
pub async fn load_activity(owner: String, kind: ActivityKind, params: ListParams) -> Result<ActivityList, ApiError> {
    crate::api::error::with_status(
        async {
            use crate::activity;
            use crate::store::activity::Subject;
            let (project, person) = match subject(&owner).await? {
                Subject::Project(id) => (Some(id), None),
                Subject::Person(id) => (None, Some(id)),
            };
            let f = activity::params::list_filter(&params, project, person)?;
            let pool = crate::api::context::links()?.pool;
            Ok(match kind {
                ActivityKind::Issues => ActivityList::Issues(activity::issues(&pool, &f).await?),
                ActivityKind::Worklogs => ActivityList::Worklogs(activity::worklogs(&pool, &f).await?),
                ActivityKind::Commits => ActivityList::Commits(activity::commits(&pool, &f).await?),
                ActivityKind::PullRequests => ActivityList::PullRequests(activity::pull_requests(&pool, &f).await?),
            })
        }
        .await,
    )
}

#[server(input = leptos::server_fn::codec::Json)]
pub async fn load_activity_summary(owner: String, from: Option<String>, to: Option<String>) -> Result<ActivitySummary, ApiError> {
    crate::api::error::with_status(
        async {
            let subject = subject(&owner).await?;
            let (from, to) = crate::activity::params::period(from.as_deref(), to.as_deref())?;
            Ok(crate::activity::summary(&crate::api::context::links()?.pool, subject, from, to).await?)
        }
        .await,
    )
}
