//! The preview's decisions, as plain functions: which upstream accounts become which persons,
//! which Jira projects and repositories become which projects, and what is left unticked.

use crate::domain::directory_import::DirectoryEntry;
use crate::links::entities::validate_key;
use crate::suggest::{AccountCandidate, JiraProjectCandidate, RepoCandidate};
use std::collections::{BTreeMap, BTreeSet};

fn entry(external_id: String, name: String, email: Option<String>, key: Option<String>, source: String, reasons: Vec<String>, importable: bool) -> DirectoryEntry {
    DirectoryEntry { external_id, name, email, key, source, preselected: reasons.is_empty() && importable, reasons, importable }
}

/// Accounts as persons. `existing` maps lower-cased e-mails already in Velocity to the person's
/// name. Bots, deactivated accounts and accounts without an e-mail are left unticked; those
/// without an e-mail, or whose e-mail Velocity has, cannot be imported.
pub fn people(accounts: &[AccountCandidate], existing: &BTreeMap<String, String>) -> Vec<DirectoryEntry> {
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut out: Vec<DirectoryEntry> = accounts
        .iter()
        .map(|a| {
            let email = a.email.as_deref().map(str::trim).filter(|e| !e.is_empty()).map(str::to_lowercase);
            let name = [&a.display_name, &a.username].into_iter().flatten().map(|n| n.trim()).find(|n| !n.is_empty()).unwrap_or(&a.external_id).to_owned();
            let mut reasons = Vec::new();
            let mut importable = true;
            if a.is_bot {
                reasons.push("a bot".to_owned());
            }
            if !a.active {
                reasons.push("deactivated upstream".to_owned());
            }
            match &email {
                None => {
                    reasons.push("no e-mail upstream (Velocity needs one)".to_owned());
                    importable = false;
                }
                Some(e) => {
                    if let Some(who) = existing.get(e) {
                        reasons.push(format!("already in Velocity as {who}"));
                        importable = false;
                    } else if !seen.insert(e.clone()) {
                        reasons.push("the same e-mail as another account above".to_owned());
                        importable = false;
                    }
                }
            }
            let source = a.username.as_deref().map_or_else(|| a.external_id.clone(), |u| format!("@{u}"));
            entry(a.external_id.clone(), name, email, None, source, reasons, importable)
        })
        .collect();
    out.sort_by(|a, b| (!a.preselected, a.name.to_lowercase(), &a.external_id).cmp(&(!b.preselected, b.name.to_lowercase(), &b.external_id)));
    out
}

/// A project key from a repository slug: capitals, digits and `_`, a letter first, at most 20
/// characters ("platform-api" → "PLATFORM_API"); `None` when nothing usable is left.
pub fn key_from_slug(slug: &str) -> Option<String> {
    let mut key = String::new();
    for c in slug.chars() {
        let c = if c.is_ascii_alphanumeric() { c.to_ascii_uppercase() } else { '_' };
        if key.is_empty() && !c.is_ascii_uppercase() {
            continue;
        }
        if c == '_' && key.ends_with('_') {
            continue;
        }
        key.push(c);
    }
    let key: String = key.chars().take(20).collect::<String>().trim_end_matches('_').to_owned();
    validate_key(&key).is_ok().then_some(key)
}

/// Jira projects and repositories as projects. `existing` holds the keys Velocity has. A Jira
/// project keeps its key; a repository gets one from its slug. Archived Jira projects are left
/// unticked; a key Velocity has, or one an earlier entry takes, cannot be imported.
pub fn projects(jira: &[JiraProjectCandidate], repos: &[RepoCandidate], existing: &BTreeSet<String>) -> Vec<DirectoryEntry> {
    let mut taken: BTreeSet<String> = BTreeSet::new();
    let mut decide = |external_id: String, key: Option<String>, name: String, source: String, mut reasons: Vec<String>| {
        let importable = match &key {
            None => {
                reasons.push("no project key can be made from its name".to_owned());
                false
            }
            Some(k) if existing.contains(k) => {
                reasons.push(format!("Velocity already has a project {k}"));
                false
            }
            Some(k) if !taken.insert(k.clone()) => {
                reasons.push(format!("another entry above takes the key {k}"));
                false
            }
            Some(_) => true,
        };
        entry(external_id, name, None, key, source, reasons, importable)
    };
    let mut out = Vec::new();
    let mut jira: Vec<&JiraProjectCandidate> = jira.iter().collect();
    jira.sort_by(|a, b| (&a.key, &a.jira_project_id).cmp(&(&b.key, &b.jira_project_id)));
    for p in jira {
        let key = validate_key(&p.key).is_ok().then(|| p.key.clone());
        let reasons = if p.archived { vec!["archived in Jira".to_owned()] } else { Vec::new() };
        out.push(decide(p.jira_project_id.clone(), key, p.name.clone(), format!("Jira {}", p.key), reasons));
    }
    let mut repos: Vec<&RepoCandidate> = repos.iter().collect();
    repos.sort_by(|a, b| (&a.workspace, &a.slug, &a.external_id).cmp(&(&b.workspace, &b.slug, &b.external_id)));
    for r in repos {
        out.push(decide(r.external_id.clone(), key_from_slug(&r.slug), r.name.clone(), format!("{}/{}", r.workspace, r.slug), Vec::new()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{AccountPlatform, RepoPlatform};
    use uuid::Uuid;

    fn account(id: &str, name: Option<&str>, email: Option<&str>, bot: bool, active: bool) -> AccountCandidate {
        AccountCandidate {
            connection_id: Uuid::nil(),
            platform: AccountPlatform::Slack,
            external_id: id.into(),
            username: Some(id.to_lowercase()),
            display_name: name.map(Into::into),
            email: email.map(Into::into),
            is_bot: bot,
            active,
        }
    }

    #[test]
    fn people_leave_bots_deactivated_and_known_unticked() {
        let existing = BTreeMap::from([("known@acme.test".to_owned(), "Known Person".to_owned())]);
        let rows = people(
            &[
                account("U1", Some("Ana Lima"), Some(" Ana.Lima@acme.test "), false, true),
                account("U2", Some("deploy-bot"), Some("bot@acme.test"), true, true),
                account("U3", Some("Old Timer"), Some("old@acme.test"), false, false),
                account("U4", Some("No Mail"), None, false, true),
                account("U5", Some("Known"), Some("KNOWN@acme.test"), false, true),
                account("U6", Some("Ana Again"), Some("ana.lima@acme.test"), false, true),
            ],
            &existing,
        );
        let by_id = |id: &str| rows.iter().find(|r| r.external_id == id).unwrap();
        assert!(by_id("U1").preselected && by_id("U1").importable);
        assert_eq!(by_id("U1").email.as_deref(), Some("ana.lima@acme.test"));
        assert_eq!(by_id("U1").source, "@u1");
        assert!(!by_id("U2").preselected && by_id("U2").importable, "a bot can still be chosen");
        assert!(!by_id("U3").preselected && by_id("U3").importable);
        assert!(!by_id("U4").importable);
        assert_eq!(by_id("U5").reasons, vec!["already in Velocity as Known Person"]);
        assert!(!by_id("U6").importable, "one person per e-mail");
        assert_eq!(rows[0].external_id, "U1", "ticked rows first");
    }

    #[test]
    fn a_name_falls_back_to_the_username_then_the_id() {
        let mut a = account("U9", None, Some("x@acme.test"), false, true);
        assert_eq!(people(&[a.clone()], &BTreeMap::new())[0].name, "u9");
        a.username = None;
        assert_eq!(people(&[a], &BTreeMap::new())[0].name, "U9");
    }

    #[test]
    fn keys_come_from_slugs() {
        assert_eq!(key_from_slug("platform-api").as_deref(), Some("PLATFORM_API"));
        assert_eq!(key_from_slug("2fa--service.v2").as_deref(), Some("FA_SERVICE_V2"));
        assert_eq!(key_from_slug("a-very-long-repository-name-indeed").as_deref(), Some("A_VERY_LONG_REPOSITO"));
        assert_eq!(key_from_slug("x"), None);
        assert_eq!(key_from_slug("42"), None);
    }

    fn repo(slug: &str) -> RepoCandidate {
        RepoCandidate {
            connection_id: Uuid::nil(),
            platform: RepoPlatform::Github,
            external_id: format!("id-{slug}"),
            workspace: "acme".into(),
            slug: slug.into(),
            name: slug.into(),
            commit_messages: vec![],
            pull_requests: vec![],
        }
    }

    #[test]
    fn projects_keep_jira_keys_and_refuse_taken_ones() {
        let jira = vec![
            JiraProjectCandidate { connection_id: Uuid::nil(), jira_project_id: "10001".into(), key: "PLAT".into(), name: "Platform".into(), archived: false },
            JiraProjectCandidate { connection_id: Uuid::nil(), jira_project_id: "10002".into(), key: "OLD".into(), name: "Old".into(), archived: true },
            JiraProjectCandidate { connection_id: Uuid::nil(), jira_project_id: "10003".into(), key: "WEB".into(), name: "Web".into(), archived: false },
        ];
        let existing = BTreeSet::from(["WEB".to_owned()]);
        let rows = projects(&jira, &[repo("plat"), repo("mobile-app")], &existing);
        let by_id = |id: &str| rows.iter().find(|r| r.external_id == id).unwrap();
        assert!(by_id("10001").preselected);
        assert_eq!(by_id("10001").key.as_deref(), Some("PLAT"));
        assert!(!by_id("10002").preselected && by_id("10002").importable);
        assert!(!by_id("10003").importable);
        assert!(!by_id("id-plat").importable, "PLAT is taken by the Jira project above");
        assert_eq!(by_id("id-mobile-app").key.as_deref(), Some("MOBILE_APP"));
        assert_eq!(by_id("id-mobile-app").source, "acme/mobile-app");
    }
}
