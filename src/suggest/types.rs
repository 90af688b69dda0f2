//! The plain data the suggestion rules read and write. Inputs are what the caller already loaded
//! (candidates, who holds what); outputs are what the link dialogs show. No IO, no clocks.

use crate::domain::{AccountPlatform, RepoPlatform};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use uuid::Uuid;

/// The inference rule that produced a piece of evidence. Declaration order is the order rules
/// are listed in a suggestion, so it must stay stable.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    ProjectName,
    RepositoryPattern,
    CommitKeys,
    PullRequestKeys,
    Email,
    PersonName,
    Username,
}

impl Rule {
    pub fn as_str(self) -> &'static str {
        match self {
            Rule::ProjectName => "project_name",
            Rule::RepositoryPattern => "repository_pattern",
            Rule::CommitKeys => "commit_keys",
            Rule::PullRequestKeys => "pull_request_keys",
            Rule::Email => "email",
            Rule::PersonName => "person_name",
            Rule::Username => "username",
        }
    }
}

/// A Jira project that could be linked to a Velocity project.
#[derive(Clone, Debug, PartialEq)]
pub struct JiraProjectCandidate {
    pub connection_id: Uuid,
    pub jira_project_id: String,
    pub key: String,
    pub name: String,
    pub archived: bool,
}

/// A repository that could be linked, with the recent commit messages and pull requests the
/// caller chose to scan (the rules count whatever they are given).
#[derive(Clone, Debug, PartialEq)]
pub struct RepoCandidate {
    pub connection_id: Uuid,
    pub platform: RepoPlatform,
    pub external_id: String,
    pub workspace: String,
    pub slug: String,
    pub name: String,
    pub commit_messages: Vec<String>,
    pub pull_requests: Vec<PullRequestText>,
}

/// The parts of a pull request where developers write issue keys.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PullRequestText {
    pub title: String,
    pub source_branch: String,
    pub description: String,
}

/// An external account that could be linked to a Velocity person.
#[derive(Clone, Debug, PartialEq)]
pub struct AccountCandidate {
    pub connection_id: Uuid,
    pub platform: AccountPlatform,
    pub external_id: String,
    pub username: Option<String>,
    pub display_name: Option<String>,
    pub email: Option<String>,
    /// Set by the caller from the platform's own flag (Jira `accountType: app`, GitHub `type: Bot`,
    /// Slack `is_bot`): the platform knows better than any name heuristic.
    pub is_bot: bool,
    pub active: bool,
}

/// The Velocity project suggestions are made for.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ProjectSubject {
    pub key: String,
    pub name: String,
    /// Keys of the Jira projects this project already links: commits and pull requests citing
    /// them are evidence that a repository belongs to this project (rules 3 and 4).
    pub linked_jira_keys: Vec<String>,
}

/// The Velocity person suggestions are made for.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PersonSubject {
    pub name: String,
    pub email: String,
    /// Other Velocity people with the same name ("Ana Silva <ana.s@acme.test>"): an account
    /// matched by that name alone may be theirs.
    pub namesakes: Vec<String>,
}

/// One suggested link, or a conflict the UI shows as not linkable.
#[derive(Clone, Debug, PartialEq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Suggestion {
    pub connection_id: Uuid,
    pub external_id: String,
    /// What the dialog shows: "MOBILE - Mobile Application", "Bitbucket acme/platform-api",
    /// "Jira John Doe <john.doe@acme.test>".
    pub label: String,
    /// In [0, 1]; 1 only for an exact email match.
    pub score: f64,
    /// Every rule that contributed, in `Rule` order.
    pub rules: Vec<Rule>,
    /// Human-readable reasons, strongest first.
    pub evidence: Vec<String>,
    /// Legacy, deprecated or archived: shown, but ranked below the real thing.
    pub look_alike: bool,
    /// Who already links this entity when it is another Velocity entity; such suggestions are
    /// listed after the linkable ones and cannot be confirmed.
    pub conflict: Option<String>,
}

/// Who already holds an external entity, as far as this subject is concerned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Holding {
    /// The subject itself links it: nothing to suggest.
    Subject,
    /// Other Velocity entities link it; their labels, sorted and joined.
    Other(String),
}

/// Which external entities are already linked, keyed by (connection id, external id).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Holders {
    subject: BTreeSet<(Uuid, String)>,
    others: BTreeMap<(Uuid, String), BTreeSet<String>>,
}

impl Holders {
    pub fn new() -> Self {
        Self::default()
    }

    /// Records that the subject already links this entity.
    pub fn held_by_subject(mut self, connection_id: Uuid, external_id: impl Into<String>) -> Self {
        self.insert_subject(connection_id, external_id);
        self
    }

    /// Records that another Velocity entity (named by `label`) links this entity.
    pub fn held_by_other(mut self, connection_id: Uuid, external_id: impl Into<String>, label: impl Into<String>) -> Self {
        self.insert_other(connection_id, external_id, label);
        self
    }

    pub fn insert_subject(&mut self, connection_id: Uuid, external_id: impl Into<String>) {
        self.subject.insert((connection_id, external_id.into()));
    }

    pub fn insert_other(&mut self, connection_id: Uuid, external_id: impl Into<String>, label: impl Into<String>) {
        self.others.entry((connection_id, external_id.into())).or_default().insert(label.into());
    }

    /// The subject wins over other holders: if it already links the entity there is nothing to
    /// confirm, whatever else links it too.
    pub fn holding(&self, connection_id: Uuid, external_id: &str) -> Option<Holding> {
        let key = (connection_id, external_id.to_owned());
        if self.subject.contains(&key) {
            return Some(Holding::Subject);
        }
        self.others.get(&key).map(|labels| Holding::Other(labels.iter().cloned().collect::<Vec<_>>().join(", ")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_serialise_snake_case() {
        for rule in [Rule::ProjectName, Rule::RepositoryPattern, Rule::CommitKeys, Rule::PullRequestKeys, Rule::Email, Rule::PersonName, Rule::Username] {
            assert_eq!(serde_json::to_string(&rule).unwrap(), format!("\"{}\"", rule.as_str()));
        }
    }

    #[test]
    fn suggestion_serialises_camel_case() {
        let s = Suggestion { connection_id: Uuid::nil(), external_id: "1".into(), label: "L".into(), score: 0.5, rules: vec![Rule::Email], evidence: vec![], look_alike: false, conflict: None };
        let json = serde_json::to_value(&s).unwrap();
        assert!(json.get("lookAlike").is_some() && json.get("externalId").is_some() && json.get("connectionId").is_some());
    }

    #[test]
    fn subject_holding_wins_and_other_labels_are_sorted() {
        let c = Uuid::from_u128(1);
        let h = Holders::new().held_by_other(c, "a", "Zed").held_by_other(c, "a", "Amy").held_by_other(c, "b", "Bo").held_by_subject(c, "b");
        assert_eq!(h.holding(c, "a"), Some(Holding::Other("Amy, Zed".into())));
        assert_eq!(h.holding(c, "b"), Some(Holding::Subject));
        assert_eq!(h.holding(c, "c"), None);
        assert_eq!(h.holding(Uuid::from_u128(2), "a"), None);
    }
}
