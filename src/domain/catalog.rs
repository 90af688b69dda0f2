//! One entry of an upstream catalog as the link dialog lists it when a person searches.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// What a search looks through: the Jira projects, the repositories or the accounts that the
/// connections hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CatalogKind {
    Jira,
    Repository,
    Account,
}

impl CatalogKind {
    pub fn as_str(self) -> &'static str {
        match self {
            CatalogKind::Jira => "jira",
            CatalogKind::Repository => "repository",
            CatalogKind::Account => "account",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "jira" => Some(CatalogKind::Jira),
            "repository" => Some(CatalogKind::Repository),
            "account" => Some(CatalogKind::Account),
            _ => None,
        }
    }

    /// Which kind a connection's platform lists; accounts exist on every platform.
    pub fn holds(self, platform: &str) -> bool {
        match self {
            CatalogKind::Jira => platform == "jira",
            CatalogKind::Repository => matches!(platform, "github" | "gitlab" | "bitbucket"),
            CatalogKind::Account => true,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UpstreamHit {
    pub connection_id: Uuid,
    pub platform: String,
    /// The stable upstream id (what a link stores and a confirmation looks up).
    pub external_id: String,
    /// "MOBILE - Mobile Application", "Bitbucket acme/platform-api", "Jira Jane Doe <…>".
    pub label: String,
}

/// True when every word of `query` occurs in one of `fields`, ignoring case; an empty query
/// matches nothing (a search lists what was asked for, not the whole catalog).
pub fn matches_query(query: &str, fields: &[&str]) -> bool {
    let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
    if words.is_empty() {
        return false;
    }
    let haystack = fields.join(" ").to_lowercase();
    words.iter().all(|w| haystack.contains(w.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_word_must_occur_somewhere() {
        assert!(matches_query("mob app", &["MOBILE", "Mobile Application"]));
        assert!(matches_query("PLATFORM-api", &["bitbucket", "acme/platform-api"]));
        assert!(!matches_query("mobile billing", &["MOBILE", "Mobile Application"]));
    }

    #[test]
    fn empty_query_matches_nothing() {
        assert!(!matches_query("  ", &["MOBILE"]));
    }

    #[test]
    fn kinds_and_platforms() {
        assert!(CatalogKind::Jira.holds("jira"));
        assert!(!CatalogKind::Jira.holds("github"));
        assert!(CatalogKind::Repository.holds("gitlab"));
        assert!(!CatalogKind::Repository.holds("slack"));
        assert_eq!(CatalogKind::parse("repository"), Some(CatalogKind::Repository));
        assert_eq!(CatalogKind::parse("nope"), None);
    }
}
