//! Who acts on Velocity's data and through what, for `linkedBy` and the audit log.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Where a change came from, for the audit log.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    Ui,
    Api,
    Migration,
    Sync,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Ui => "ui",
            Source::Api => "api",
            Source::Migration => "migration",
            Source::Sync => "sync",
        }
    }
}

/// Who acts (`linkedBy`; none for the system) and through what.
#[derive(Clone, Copy, Debug)]
pub struct Actor {
    pub person_id: Option<Uuid>,
    pub source: Source,
}

