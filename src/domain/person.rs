//! A Velocity person and their external accounts (spec "Enhanced Person Structure").

use super::{legacy_order, AccountPlatform};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// An external account linked to a Velocity person.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ExternalAccountLink {
    pub id: Uuid,
    pub connection_id: Uuid,
    pub platform: AccountPlatform,
    /// The platform's stable account id (Jira accountId, Bitbucket uuid, Slack user id, …).
    pub external_id: String,
    /// The mutable handle people recognise (Bitbucket nickname, GitHub login, …).
    pub username: Option<String>,
    pub display_name: Option<String>,
    pub email: Option<String>,
    pub linked_at: DateTime<Utc>,
    pub linked_by: Option<Uuid>,
    pub is_primary: bool,
    pub active: bool,
    pub last_seen: Option<DateTime<Utc>>,
    pub last_synced: Option<DateTime<Utc>>,
    pub verified: bool,
}

impl ExternalAccountLink {
    /// What legacy "username" fields showed: the handle when the platform has one, else the id.
    pub fn handle(&self) -> &str {
        self.username.as_deref().unwrap_or(&self.external_id)
    }
}

/// A Velocity person with the account links that are not deleted.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(into = "PersonWire", from = "PersonWire")]
pub struct Person {
    pub id: Uuid,
    pub name: String,
    pub email: String,
    pub active: bool,
    pub external_accounts: Vec<ExternalAccountLink>,
}

impl Person {
    /// Active accounts of one platform, primary first (the order every legacy array uses).
    fn active_accounts(&self, platform: AccountPlatform) -> Vec<&ExternalAccountLink> {
        legacy_order(
            self.external_accounts.iter().filter(|a| a.platform == platform && a.active),
            |a| (a.is_primary, a.linked_at, a.id),
        )
    }

    fn primary_account(&self, platform: AccountPlatform) -> Option<&ExternalAccountLink> {
        self.external_accounts.iter().find(|a| a.platform == platform && a.is_primary)
    }

    pub fn primary_jira_account_id(&self) -> Option<&str> {
        self.primary_account(AccountPlatform::Jira).map(|a| a.external_id.as_str())
    }

    pub fn primary_bitbucket_username(&self) -> Option<&str> {
        self.primary_account(AccountPlatform::Bitbucket).map(ExternalAccountLink::handle)
    }

    pub fn primary_slack_user_id(&self) -> Option<&str> {
        self.primary_account(AccountPlatform::Slack).map(|a| a.external_id.as_str())
    }

    pub fn all_jira_account_ids(&self) -> Vec<&str> {
        self.active_accounts(AccountPlatform::Jira).into_iter().map(|a| a.external_id.as_str()).collect()
    }

    pub fn all_bitbucket_usernames(&self) -> Vec<&str> {
        self.active_accounts(AccountPlatform::Bitbucket).into_iter().map(ExternalAccountLink::handle).collect()
    }

    pub fn all_slack_user_ids(&self) -> Vec<&str> {
        self.active_accounts(AccountPlatform::Slack).into_iter().map(|a| a.external_id.as_str()).collect()
    }

    pub fn account_count(&self, platform: AccountPlatform) -> usize {
        self.external_accounts.iter().filter(|a| a.platform == platform).count()
    }
}

/// The JSON shape: stored fields plus the deprecated legacy fields, derived on output and
/// ignored on input.
#[derive(Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema), schema(as = Person))]
#[serde(rename_all = "camelCase")]
pub struct PersonWire {
    id: Uuid,
    name: String,
    email: String,
    #[serde(default = "yes")]
    active: bool,
    #[serde(default)]
    external_accounts: Vec<ExternalAccountLink>,
    #[serde(default, skip_deserializing)]
    jira_account_ids: Vec<String>,
    #[serde(default, skip_deserializing)]
    bitbucket_usernames: Vec<String>,
    #[serde(default, skip_deserializing)]
    slack_user_ids: Vec<String>,
    #[serde(default, skip_deserializing, skip_serializing_if = "Option::is_none")]
    jira_account_id: Option<String>,
    #[serde(default, skip_deserializing, skip_serializing_if = "Option::is_none")]
    bitbucket_username: Option<String>,
    #[serde(default, skip_deserializing, skip_serializing_if = "Option::is_none")]
    slack_user_id: Option<String>,
}

fn yes() -> bool {
    true
}

fn owned(v: Vec<&str>) -> Vec<String> {
    v.into_iter().map(str::to_owned).collect()
}

impl From<Person> for PersonWire {
    fn from(p: Person) -> Self {
        PersonWire {
            jira_account_ids: owned(p.all_jira_account_ids()),
            bitbucket_usernames: owned(p.all_bitbucket_usernames()),
            slack_user_ids: owned(p.all_slack_user_ids()),
            jira_account_id: p.primary_jira_account_id().map(str::to_owned),
            bitbucket_username: p.primary_bitbucket_username().map(str::to_owned),
            slack_user_id: p.primary_slack_user_id().map(str::to_owned),
            id: p.id,
            name: p.name,
            email: p.email,
            active: p.active,
            external_accounts: p.external_accounts,
        }
    }
}

impl From<PersonWire> for Person {
    fn from(w: PersonWire) -> Self {
        Person { id: w.id, name: w.name, email: w.email, active: w.active, external_accounts: w.external_accounts }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::project::tests::at;

    fn account(platform: AccountPlatform, id: &str, username: Option<&str>, primary: bool, active: bool, minute: u32) -> ExternalAccountLink {
        ExternalAccountLink {
            id: Uuid::from_u128(u128::from(minute) + 100),
            connection_id: Uuid::nil(),
            platform,
            external_id: id.into(),
            username: username.map(Into::into),
            display_name: None,
            email: None,
            linked_at: at(minute),
            linked_by: None,
            is_primary: primary,
            active,
            last_seen: None,
            last_synced: None,
            verified: true,
        }
    }

    /// The spec's person example: two Jira accounts (one inactive legacy) and one Bitbucket.
    fn person() -> Person {
        Person {
            id: Uuid::from_u128(7),
            name: "John Doe".into(),
            email: "john@example.com".into(),
            active: true,
            external_accounts: vec![
                account(AccountPlatform::Jira, "account-456", None, false, false, 1),
                account(AccountPlatform::Bitbucket, "{b-uuid}", Some("jdoe"), true, true, 2),
                account(AccountPlatform::Jira, "account-123", None, true, true, 3),
                account(AccountPlatform::Jira, "account-789", None, false, true, 0),
            ],
        }
    }

    #[test]
    fn getters_follow_primary_and_active() {
        let p = person();
        assert_eq!(p.primary_jira_account_id(), Some("account-123"));
        assert_eq!(p.all_jira_account_ids(), vec!["account-123", "account-789"]);
        assert_eq!(p.primary_bitbucket_username(), Some("jdoe"));
        assert_eq!(p.all_bitbucket_usernames(), vec!["jdoe"]);
        assert_eq!(p.primary_slack_user_id(), None);
        assert!(p.all_slack_user_ids().is_empty());
    }

    #[test]
    fn legacy_fields_in_json() {
        let json = serde_json::to_value(person()).unwrap();
        assert_eq!(json["jiraAccountId"], "account-123");
        assert_eq!(json["jiraAccountIds"], serde_json::json!(["account-123", "account-789"]));
        assert_eq!(json["bitbucketUsername"], "jdoe");
        assert_eq!(json["slackUserIds"], serde_json::json!([]));
        assert!(json.get("slackUserId").is_none());
        assert_eq!(json["externalAccounts"][1]["externalId"], "{b-uuid}");
        let back: Person = serde_json::from_value(json).unwrap();
        assert_eq!(back, person());
    }
}
