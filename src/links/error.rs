//! `LinkError`: everything a link operation can refuse, each with a message a person can act on.

use super::checks::Warning;
use crate::upstream::HttpError;
use uuid::Uuid;

#[derive(Debug, thiserror::Error)]
pub enum LinkError {
    #[error("no project with key '{0}'")]
    ProjectNotFound(String),
    #[error("no person with id {0}")]
    PersonNotFound(Uuid),
    #[error("no link {0} on this entity")]
    LinkNotFound(Uuid),
    #[error("no pending link with id {0}: it was approved, rejected or removed already")]
    NotPending(Uuid),
    #[error("{field}: {message}")]
    Invalid { field: &'static str, message: String },
    #[error("{what} does not exist on {connection}")]
    NotUpstream { what: String, connection: String },
    #[error("{what} is already linked to {holder}")]
    Conflict { what: String, holder: String, holder_id: Uuid, link_id: Uuid },
    #[error("{} warning(s) need confirming: resend with acknowledgeWarnings: true", warnings.len())]
    Unacknowledged { warnings: Vec<Warning> },
    #[error("{0}")]
    Denied(&'static str),
    #[error("upstream: {0}")]
    Upstream(#[from] HttpError),
    #[error("database: {0}")]
    Store(#[from] sqlx::Error),
}

impl From<crate::auth::rules::Denied> for LinkError {
    fn from(d: crate::auth::rules::Denied) -> Self {
        LinkError::Denied(d.0)
    }
}
