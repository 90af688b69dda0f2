//! Bringing people and projects in from a connection's directory: what the preview shows and
//! what an import reports. Importing creates persons and projects only, never a link.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum ImportKind {
    /// Accounts with their names and e-mails become persons.
    People,
    /// Jira projects and repositories become projects.
    Projects,
}

impl ImportKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ImportKind::People => "people",
            ImportKind::Projects => "projects",
        }
    }
}

/// One entry of a connection's directory as it would come into Velocity.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct DirectoryEntry {
    /// The upstream's stable id (what the import is asked for).
    pub external_id: String,
    /// The person's or project's name in Velocity.
    pub name: String,
    /// People: the e-mail the person is created with.
    pub email: Option<String>,
    /// Projects: the key the project is created with.
    pub key: Option<String>,
    /// Where it comes from, in words ("acme/platform-api", "@ana").
    pub source: String,
    /// Why it is not ticked: a bot, deactivated, no e-mail, archived, already in Velocity…
    pub reasons: Vec<String>,
    /// Ticked in the preview: nothing in `reasons`.
    pub preselected: bool,
    /// False when it cannot be created at all (no e-mail, already present, no usable key).
    pub importable: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct DirectoryPreview {
    pub kind: ImportKind,
    pub connection_name: String,
    pub entries: Vec<DirectoryEntry>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ImportSkip {
    pub external_id: String,
    pub reason: String,
}

/// What an import did, entry by entry: created ones by their name (and key), the rest with why.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct DirectoryImportReport {
    pub created: Vec<String>,
    pub skipped: Vec<ImportSkip>,
}
