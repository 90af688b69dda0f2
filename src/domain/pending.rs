//! Links waiting for an admin: a person linked an account, or a commit e-mail, that nothing
//! shows is theirs. The admin's queue shows each with the evidence to decide on. Shared by the
//! REST API and the pending page.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// What waits: an external account link, or a commit identity (platform `git`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub enum PendingKind {
    Account,
    CommitEmail,
}

impl PendingKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PendingKind::Account => "account",
            PendingKind::CommitEmail => "commitEmail",
        }
    }
}

impl std::str::FromStr for PendingKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "account" => Ok(PendingKind::Account),
            "commitEmail" => Ok(PendingKind::CommitEmail),
            other => Err(format!("'{other}' is not a kind of pending link: use account or commitEmail")),
        }
    }
}

/// The admin's decision on one pending link.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Verdict {
    Approve,
    Reject,
}

/// One link in the queue, with whose it would be and why it waits.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct PendingItem {
    pub kind: PendingKind,
    pub link_id: Uuid,
    pub person_id: Uuid,
    pub person_name: String,
    pub person_email: String,
    /// jira, github, gitlab, bitbucket, slack, or git for a commit e-mail.
    pub platform: String,
    pub external_id: String,
    pub username: Option<String>,
    /// The account's e-mail upstream (when the platform tells), or the commit e-mail itself.
    pub upstream_email: Option<String>,
    pub linked_by: Option<Uuid>,
    pub linked_by_name: Option<String>,
    pub linked_at: DateTime<Utc>,
    /// The evidence in one sentence (`why_pending`).
    pub why: String,
}

impl PendingItem {
    /// What would be linked, in words: "the github account ana-s", "the commit e-mail a@b.test".
    pub fn describe(&self) -> String {
        match self.kind {
            PendingKind::Account => format!("the {} account {}", self.platform, self.username.as_deref().unwrap_or(&self.external_id)),
            PendingKind::CommitEmail => format!("the commit e-mail {}", self.external_id),
        }
    }
}

/// Why a self-link waits, in words an admin can check: what the upstream e-mail says against
/// the person's own.
pub fn why_pending(kind: PendingKind, person_name: &str, person_email: &str, upstream_email: Option<&str>) -> String {
    let what = match kind {
        PendingKind::Account => "The account's e-mail",
        PendingKind::CommitEmail => "The commit e-mail",
    };
    let Some(upstream) = upstream_email.map(str::trim).filter(|e| !e.is_empty()) else {
        return format!("The account shows no e-mail upstream, so nothing shows it is {person_name}'s ({person_email}): compare its username and name.");
    };
    let local = |e: &str| e.split('@').next().unwrap_or_default().split('+').next().unwrap_or_default().to_lowercase();
    let domain = |e: &str| e.rsplit_once('@').map(|(_, d)| d.to_lowercase()).unwrap_or_default();
    if local(upstream) == local(person_email) && domain(upstream) != domain(person_email) {
        format!("{what} {upstream} has the same name as {person_name}'s {person_email}, on another domain.")
    } else {
        format!("{what} {upstream} is not {person_name}'s ({person_email}).")
    }
}

/// A reason given with an approval or a rejection: trimmed, at most 500 characters; blank is none.
pub fn reason(raw: Option<&str>) -> Result<Option<String>, String> {
    let Some(text) = raw.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    if text.chars().count() > 500 {
        return Err("at most 500 characters".into());
    }
    if text.contains('\0') {
        return Err("must not contain a NUL character".into());
    }
    Ok(Some(text.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_evidence_names_both_addresses() {
        assert_eq!(
            why_pending(PendingKind::Account, "Ana Silva", "ana.silva@acme.test", Some("ana.silva@gmail.com")),
            "The account's e-mail ana.silva@gmail.com has the same name as Ana Silva's ana.silva@acme.test, on another domain."
        );
        assert_eq!(
            why_pending(PendingKind::CommitEmail, "Ana Silva", "ana.silva@acme.test", Some("root@build-07")),
            "The commit e-mail root@build-07 is not Ana Silva's (ana.silva@acme.test)."
        );
        assert!(why_pending(PendingKind::Account, "Ana Silva", "ana.silva@acme.test", Some(" ")).contains("shows no e-mail"));
        assert_eq!(
            why_pending(PendingKind::Account, "Ana Silva", "ana.silva@acme.test", None),
            "The account shows no e-mail upstream, so nothing shows it is Ana Silva's (ana.silva@acme.test): compare its username and name."
        );
    }

    #[test]
    fn reasons_are_trimmed_bounded_and_optional() {
        assert_eq!(reason(Some("  not her account ")), Ok(Some("not her account".into())));
        assert_eq!(reason(Some("   ")), Ok(None));
        assert_eq!(reason(None), Ok(None));
        assert!(reason(Some(&"x".repeat(501))).is_err());
        assert!(reason(Some("a\0b")).is_err());
    }

    #[test]
    fn kinds_read_back_what_they_write() {
        for k in [PendingKind::Account, PendingKind::CommitEmail] {
            assert_eq!(k.as_str().parse::<PendingKind>(), Ok(k));
        }
        assert!("git".parse::<PendingKind>().is_err());
    }
}
