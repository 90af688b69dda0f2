//! Pure confirmation rules: which existing links make a candidate look like a duplicate.
//! No IO; the services pass in what they loaded.

use crate::upstream::lookup::{AccountInfo, JiraProjectInfo, RepoInfo};
use crate::domain::{ExternalAccountLink, LinkedJiraProject, LinkedRepository};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A reason to double-check before linking; confirmed with `acknowledgeWarnings`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[derive(utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Warning {
    pub code: String,
    pub message: String,
    /// The existing link that looks like the same thing.
    pub link_id: Uuid,
}

fn warn(code: &str, message: String, link_id: Uuid) -> Warning {
    Warning { code: code.into(), message, link_id }
}

/// A Jira project and its renamed predecessor (or a same-named project) linked together.
pub fn jira_duplicates(existing: &[LinkedJiraProject], candidate: &JiraProjectInfo) -> Vec<Warning> {
    existing
        .iter()
        .filter(|l| l.jira_project_id != candidate.jira_project_id)
        .filter_map(|l| {
            if candidate.previous_keys.contains(&l.key) {
                Some(warn("renamed_predecessor", format!("{} used to be {}, which this project already links", candidate.key, l.key), l.id))
            } else if l.name.eq_ignore_ascii_case(&candidate.name) {
                Some(warn("same_name", format!("this project already links another Jira project named '{}' ({})", l.name, l.key), l.id))
            } else {
                None
            }
        })
        .collect()
}

/// Two repositories with the same name (in different workspaces or on different platforms).
pub fn repository_duplicates(existing: &[LinkedRepository], candidate: &RepoInfo) -> Vec<Warning> {
    existing
        .iter()
        .filter(|l| l.external_id != candidate.external_id)
        .filter(|l| l.slug.eq_ignore_ascii_case(&candidate.slug) || l.name.eq_ignore_ascii_case(&candidate.name))
        .map(|l| {
            let place = l.workspace.as_deref().unwrap_or("");
            warn("same_name", format!("this project already links a repository named '{}' ({} {place})", l.slug, l.platform), l.id)
        })
        .collect()
}

/// Another account on the same platform with the same e-mail or display name.
pub fn account_duplicates(existing: &[ExternalAccountLink], platform: crate::domain::AccountPlatform, candidate: &AccountInfo) -> Vec<Warning> {
    existing
        .iter()
        .filter(|l| l.platform == platform && l.external_id != candidate.external_id)
        .filter_map(|l| {
            let same_email = matches!((&l.email, &candidate.email), (Some(a), Some(b)) if a.eq_ignore_ascii_case(b));
            let same_name = matches!((&l.display_name, &candidate.display_name), (Some(a), Some(b)) if a == b);
            if same_email {
                Some(warn("same_email", format!("this person already links a {platform} account with the e-mail {}", l.email.clone().unwrap_or_default()), l.id))
            } else if same_name {
                Some(warn("same_name", format!("this person already links a {platform} account named '{}'", l.display_name.clone().unwrap_or_default()), l.id))
            } else {
                None
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    fn linked(key: &str, id: &str, name: &str) -> LinkedJiraProject {
        LinkedJiraProject {
            id: Uuid::from_u128(9),
            connection_id: Uuid::nil(),
            key: key.into(),
            jira_project_id: id.into(),
            name: name.into(),
            url: String::new(),
            linked_at: Utc::now(),
            linked_by: None,
            is_primary: true,
            active: true,
            verified: true,
            open_issues: None,
            total_issues: None,
            last_synced: None,
        }
    }

    fn candidate(key: &str, id: &str, previous: &[&str], name: &str) -> JiraProjectInfo {
        JiraProjectInfo {
            jira_project_id: id.into(),
            key: key.into(),
            previous_keys: previous.iter().map(|s| s.to_string()).collect(),
            name: name.into(),
            url: String::new(),
            archived: false,
            total_issues: None,
            last_issue_update: None,
        }
    }

    #[test]
    fn renamed_predecessor_is_a_warning() {
        let w = jira_duplicates(&[linked("INV", "1", "Invoicing")], &candidate("BILL", "2", &["INV"], "Billing"));
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].code, "renamed_predecessor");
    }

    #[test]
    fn same_project_again_or_unrelated_is_not() {
        assert!(jira_duplicates(&[linked("BILL", "2", "Billing")], &candidate("BILL", "2", &[], "Billing")).is_empty());
        assert!(jira_duplicates(&[linked("OPS", "3", "Operations")], &candidate("BILL", "2", &["INV"], "Billing")).is_empty());
    }

    #[test]
    fn same_email_account_is_a_warning() {
        let existing = ExternalAccountLink {
            id: Uuid::from_u128(1),
            connection_id: Uuid::nil(),
            platform: crate::domain::AccountPlatform::Jira,
            external_id: "a".into(),
            username: None,
            display_name: Some("John".into()),
            email: Some("John@Acme.test".into()),
            linked_at: Utc::now(),
            linked_by: None,
            is_primary: true,
            active: true,
            last_seen: None,
            last_synced: None,
            verified: true,
        };
        let cand = AccountInfo { external_id: "b".into(), username: None, display_name: None, email: Some("john@acme.test".into()), active: true };
        let w = account_duplicates(&[existing], crate::domain::AccountPlatform::Jira, &cand);
        assert_eq!(w[0].code, "same_email");
    }
}
