//! Rules 2–4: Velocity project → repository. A repository named after the project
//! (`project-name-*`, `*-project-name`, normalised variants) on any platform, and a repository
//! whose commits or pull requests cite the Jira projects the subject already links.

use super::keys::{citation_score, count_citations, mentions_any, Citations};
use super::normalize::{core_words, key_alnum, words};
use super::rank::{finish, Draft, Evidence};
use super::types::{Holders, ProjectSubject, RepoCandidate, Rule, Suggestion};
use std::collections::BTreeSet;

/// The repository is named exactly after the project.
const PATTERN_EXACT: f64 = 0.8;
/// `project-name-*`: the usual naming of a project's repositories.
const PATTERN_PREFIX: f64 = 0.7;
/// `*-project-name`: common too, but "api-platform" is slightly more often someone else's.
const PATTERN_SUFFIX: f64 = 0.65;
/// The project's words in another order ("gateway-payments").
const PATTERN_REORDERED: f64 = 0.6;

/// Word sequences the project may appear as in a repository name: all words, core words, and
/// each glued into one word ("mobileapp"), plus the Velocity key. A set, so order is stable.
fn name_variants(subject: &ProjectSubject) -> BTreeSet<Vec<String>> {
    let all = words(&subject.name);
    let core = core_words(&all);
    let mut variants = BTreeSet::new();
    for v in [all, core] {
        if v.len() > 1 {
            variants.insert(vec![v.concat()]);
        }
        if !v.is_empty() {
            variants.insert(v);
        }
    }
    // Short keys ("MA") would match half the repositories in an organisation.
    let key = key_alnum(&subject.key).to_lowercase();
    if key.len() >= 3 {
        variants.insert(vec![key]);
    }
    variants
}

/// Same word, allowing a plural on either side ("payment" ~ "payments").
fn same_word(a: &str, b: &str) -> bool {
    a == b || a.strip_suffix('s') == Some(b) || b.strip_suffix('s') == Some(a)
}

fn same_words(a: &[String], b: &[String]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same_word(x, y))
}

/// The best naming pattern `repo` (as words) follows for one variant, with its description.
fn pattern_match(variant: &[String], repo: &[String]) -> Option<(f64, String)> {
    let n = variant.len();
    let name = variant.join("-");
    if repo.len() < n {
        return None;
    }
    if same_words(variant, repo) {
        return Some((PATTERN_EXACT, format!("'{name}'")));
    }
    if same_words(variant, &repo[..n]) {
        return Some((PATTERN_PREFIX, format!("'{name}-*'")));
    }
    if same_words(variant, &repo[repo.len() - n..]) {
        return Some((PATTERN_SUFFIX, format!("'*-{name}'")));
    }
    let mut a: Vec<&String> = variant.iter().collect();
    let mut b: Vec<&String> = repo.iter().collect();
    a.sort();
    b.sort();
    if n > 1 && a == b {
        return Some((PATTERN_REORDERED, format!("the words of '{name}' in another order")));
    }
    None
}

fn pattern_evidence(variants: &BTreeSet<Vec<String>>, repo: &RepoCandidate, shown: &str) -> Option<Evidence> {
    let mut best: Option<(f64, String)> = None;
    for name in [&repo.slug, &repo.name] {
        let repo_words = words(name);
        for v in variants {
            if let Some(found) = pattern_match(v, &repo_words) {
                // Strictly greater: the first (slug, then sorted variants) wins a tie.
                if best.as_ref().is_none_or(|b| found.0 > b.0) {
                    best = Some(found);
                }
            }
        }
    }
    best.map(|(score, pattern)| Evidence::new(Rule::RepositoryPattern, score, format!("repository name {shown} matches {pattern}")))
}

fn projects_text(c: &Citations) -> String {
    c.projects.iter().cloned().collect::<Vec<_>>().join(" or ")
}

fn citation_evidence(rule: Rule, c: &Citations, what: &str, slug: &str) -> Option<Evidence> {
    let score = citation_score(c.citing, c.total);
    (score > 0.0).then(|| {
        Evidence::new(rule, score, format!("{} of {} {what} in {slug} cite {} (e.g. {})", c.citing, c.total, projects_text(c), c.examples.join(", ")))
    })
}

fn draft_for(subject_keys: &BTreeSet<String>, others: &BTreeSet<String>, variants: &BTreeSet<Vec<String>>, repo: &RepoCandidate) -> Draft {
    let label = format!("{} {}/{}", repo.platform.display_name(), repo.workspace, repo.slug);
    let mut draft = Draft::new(repo.connection_id, &repo.external_id, label);
    draft.evidence.extend(pattern_evidence(variants, repo, &repo.slug));
    let commits = count_citations(repo.commit_messages.iter().map(String::as_str), subject_keys);
    draft.evidence.extend(citation_evidence(Rule::CommitKeys, &commits, "recent commits", &repo.slug));
    // Pull requests mentioning none of the keys count as texts, unjoined.
    let pr_texts: Vec<String> = repo
        .pull_requests
        .iter()
        .map(|p| if mentions_any(&[&p.title, &p.source_branch, &p.description], subject_keys) { format!("{}\n{}\n{}", p.title, p.source_branch, p.description) } else { String::new() })
        .collect();
    let prs = count_citations(pr_texts.iter().map(String::as_str), subject_keys);
    draft.evidence.extend(citation_evidence(Rule::PullRequestKeys, &prs, "pull requests", &repo.slug));
    // Other projects' keys are no evidence for this subject, but a reviewer should know the
    // repository is shared before linking it.
    if !draft.evidence.is_empty() && !others.is_empty() {
        let other = count_citations(repo.commit_messages.iter().map(String::as_str), others);
        if other.citing > 0 {
            draft.notes.push(format!("{} recent commits also cite other Jira projects ({})", other.citing, projects_text(&other)));
        }
    }
    draft
}

/// Repositories that may belong to `subject`, best first; conflicts last; already linked ones
/// omitted. `known_jira_keys` are all Jira project keys Velocity knows; only those the subject
/// links (`subject.linked_jira_keys`) count as evidence for it.
pub fn suggest_repositories(subject: &ProjectSubject, candidates: &[RepoCandidate], known_jira_keys: &BTreeSet<String>, holders: &Holders) -> Vec<Suggestion> {
    let subject_keys: BTreeSet<String> = subject.linked_jira_keys.iter().map(|k| k.trim().to_uppercase()).filter(|k| !k.is_empty()).collect();
    let others: BTreeSet<String> = known_jira_keys.iter().map(|k| k.trim().to_uppercase()).filter(|k| !subject_keys.contains(k)).collect();
    let variants = name_variants(subject);
    finish(candidates.iter().map(|r| draft_for(&subject_keys, &others, &variants, r)).collect(), holders)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::RepoPlatform;
    use crate::suggest::types::PullRequestText;
    use uuid::Uuid;

    const BB: Uuid = Uuid::from_u128(0xb);
    const GH: Uuid = Uuid::from_u128(0xc);
    const GL: Uuid = Uuid::from_u128(0xd);

    fn repo(connection_id: Uuid, platform: RepoPlatform, slug: &str) -> RepoCandidate {
        RepoCandidate { connection_id, platform, external_id: format!("id-{slug}"), workspace: "acme".into(), slug: slug.into(), name: slug.into(), commit_messages: vec![], pull_requests: vec![] }
    }

    fn platform() -> ProjectSubject {
        ProjectSubject { key: "PLATFORM".into(), name: "Platform".into(), linked_jira_keys: vec!["PLAT".into()] }
    }

    fn known() -> BTreeSet<String> {
        ["PLAT", "MOBILE"].iter().map(|s| s.to_string()).collect()
    }

    fn ids(out: &[Suggestion]) -> Vec<&str> {
        out.iter().map(|s| s.external_id.as_str()).collect()
    }

    #[test]
    fn name_patterns_across_platforms() {
        let repos = vec![
            repo(GL, RepoPlatform::Gitlab, "payments-gateway"),
            repo(GH, RepoPlatform::Github, "api-platform"),
            repo(BB, RepoPlatform::Bitbucket, "platform-api"),
            repo(GL, RepoPlatform::Gitlab, "platform"),
            repo(GL, RepoPlatform::Gitlab, "platformer-game"),
        ];
        let out = suggest_repositories(&platform(), &repos, &known(), &Holders::new());
        assert_eq!(ids(&out), vec!["id-platform", "id-platform-api", "id-api-platform"]);
        assert_eq!(out[1].label, "Bitbucket acme/platform-api");
        assert_eq!(out[1].evidence, vec!["repository name platform-api matches 'platform-*'"]);
        assert_eq!(out[2].evidence, vec!["repository name api-platform matches '*-platform'"]);
        assert!(out.iter().all(|s| s.rules == vec![Rule::RepositoryPattern]));
    }

    #[test]
    fn normalised_variants_and_reordering() {
        let subject = ProjectSubject { key: "PAYMENTS".into(), name: "Payments Gateway".into(), linked_jira_keys: vec![] };
        let repos = vec![repo(GH, RepoPlatform::Github, "gateway-payments"), repo(BB, RepoPlatform::Bitbucket, "PaymentsGateway_v2"), repo(BB, RepoPlatform::Bitbucket, "payment-gateway"), repo(BB, RepoPlatform::Bitbucket, "gateway")];
        let out = suggest_repositories(&subject, &repos, &known(), &Holders::new());
        assert_eq!(ids(&out), vec!["id-payment-gateway", "id-PaymentsGateway_v2", "id-gateway-payments"]);
    }

    #[test]
    fn commits_citing_linked_keys_are_evidence() {
        let mut shared = repo(BB, RepoPlatform::Bitbucket, "web-shop");
        shared.commit_messages = (0..100).map(|i| if i % 5 < 2 { format!("PLAT-{i}: fix (UTF-8)") } else { format!("MOBILE-{i} tweak") }).collect();
        let mut other = repo(GH, RepoPlatform::Github, "ios-client");
        other.commit_messages = (0..50).map(|i| format!("MOBILE-{i} SHA-256 COVID-19")).collect();
        let out = suggest_repositories(&platform(), &[other, shared], &known(), &Holders::new());
        assert_eq!(ids(&out), vec!["id-web-shop"]);
        assert_eq!(out[0].rules, vec![Rule::CommitKeys]);
        assert_eq!(out[0].evidence[0], "40 of 100 recent commits in web-shop cite PLAT (e.g. PLAT-0, PLAT-1, PLAT-5)");
        assert_eq!(out[0].evidence[1], "60 recent commits also cite other Jira projects (MOBILE)");
    }

    #[test]
    fn pull_request_branches_and_rules_combine() {
        let mut r = repo(BB, RepoPlatform::Bitbucket, "platform-api");
        r.pull_requests = (0..6).map(|i| PullRequestText { title: "Login".into(), source_branch: format!("feature/PLAT-12{i}-login"), description: String::new() }).collect();
        r.commit_messages = vec!["XPLAT-1 nope".into(), "PLAT-9 yes".into(), "PLAT-10".into(), "PLAT-11".into()];
        let pattern_only = suggest_repositories(&platform(), &[repo(BB, RepoPlatform::Bitbucket, "platform-api")], &known(), &Holders::new());
        let out = suggest_repositories(&platform(), &[r], &known(), &Holders::new());
        assert_eq!(out[0].rules, vec![Rule::RepositoryPattern, Rule::CommitKeys, Rule::PullRequestKeys]);
        assert!(out[0].evidence.iter().any(|e| e == "6 of 6 pull requests in platform-api cite PLAT (e.g. PLAT-120, PLAT-121, PLAT-122)"), "{:?}", out[0].evidence);
        assert!(out[0].evidence.iter().any(|e| e.starts_with("3 of 4 recent commits")));
        assert!(out[0].score > pattern_only[0].score && out[0].score < 1.0);
    }

    #[test]
    fn holders_and_determinism() {
        let repos = vec![repo(BB, RepoPlatform::Bitbucket, "platform-api"), repo(GH, RepoPlatform::Github, "api-platform"), repo(GL, RepoPlatform::Gitlab, "platform")];
        let holders = Holders::new().held_by_subject(GL, "id-platform").held_by_other(BB, "id-platform-api", "Payments Gateway");
        let a = suggest_repositories(&platform(), &repos, &known(), &holders);
        let b = suggest_repositories(&platform(), &repos, &known(), &holders);
        assert_eq!(a, b);
        let got: Vec<(&str, Option<&str>)> = a.iter().map(|s| (s.external_id.as_str(), s.conflict.as_deref())).collect();
        assert_eq!(got, vec![("id-api-platform", None), ("id-platform-api", Some("Payments Gateway"))]);
    }
}
