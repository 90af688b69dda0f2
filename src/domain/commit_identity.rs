//! Commit identities: a git author e-mail linked to a person (platform `git`, external id = the
//! normalised address), so commits authored under it attribute to that person. Shared by the
//! REST API and the person page.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The external id of a commit identity: the address trimmed and in lower case (as git hosts
/// compare addresses).
pub fn normalise_email(raw: &str) -> String {
    raw.trim().to_lowercase()
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum IdentityStatus {
    /// Commits under this address attribute to the person from the next sync on.
    Linked,
    /// A self-link to an address that is not the person's own: waits for an admin, attributes
    /// nothing until approved.
    Pending,
}

/// One linked commit e-mail.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct CommitIdentity {
    pub id: Uuid,
    pub person_id: Uuid,
    pub platform: String,
    /// The normalised author e-mail.
    pub external_id: String,
    /// Commits from this git-host connection only; `null`: from every connection.
    pub connection_id: Option<Uuid>,
    pub status: IdentityStatus,
    pub linked_at: DateTime<Utc>,
    pub linked_by: Option<Uuid>,
    /// Stored commits attributed through this link (as of the last sync).
    pub commits: i64,
}

/// An author e-mail of unattributed commits that rule 5 (e-mail) ties to the person.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct CommitEmailSuggestion {
    pub email: String,
    pub score: f64,
    /// Why, in words: "email matches exactly", "same mailbox apart from the +tag", …
    pub reason: String,
    /// Stored commits under this address that no link attributes yet.
    pub commits: i64,
}

/// A person's commit e-mails: linked, and suggested.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct CommitIdentities {
    pub identities: Vec<CommitIdentity>,
    pub suggestions: Vec<CommitEmailSuggestion>,
}

#[cfg(test)]
mod tests {
    #[test]
    fn addresses_normalise_to_trimmed_lower_case() {
        assert_eq!(super::normalise_email("  Ana.Silva@ACME.test "), "ana.silva@acme.test");
    }
}
