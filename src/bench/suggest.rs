//! `velocity bench suggest`: every suggestion rule for every project and person of a generated
//! org, compared with the generator's ground truth. The rule inputs are built straight from the
//! `Org` in the shapes `links::catalog` builds from the upstream APIs (what each platform
//! exposes: Bitbucket no e-mails, bots flagged by the platform), so only rule evaluation is timed.

use crate::domain::{AccountPlatform, RepoPlatform};
use crate::sim::org::{GitHost, GitPlatform, Org, OrgSize};
use crate::suggest::{self, AccountCandidate, AccountIndex, Holders, JiraProjectCandidate, PersonSubject, ProjectSubject, PullRequestText, RepoCandidate, Suggestion, MIN_SCORE};
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::time::Instant;
use uuid::Uuid;

const JIRA: Uuid = Uuid::from_u128(1);
const BITBUCKET: Uuid = Uuid::from_u128(2);
const GITHUB: Uuid = Uuid::from_u128(3);
const GITLAB: Uuid = Uuid::from_u128(4);
const SLACK: Uuid = Uuid::from_u128(5);
/// What `catalog::repositories` reads per repository.
const RECENT: usize = 100;

type Key = (Uuid, String);

fn git_conn(p: GitPlatform) -> (Uuid, RepoPlatform, AccountPlatform) {
    match p {
        GitPlatform::Bitbucket => (BITBUCKET, RepoPlatform::Bitbucket, AccountPlatform::Bitbucket),
        GitPlatform::Github => (GITHUB, RepoPlatform::Github, AccountPlatform::Github),
        GitPlatform::Gitlab => (GITLAB, RepoPlatform::Gitlab, AccountPlatform::Gitlab),
    }
}

fn account_conn(platform: &str) -> Uuid {
    match platform {
        "jira" => JIRA,
        "bitbucket" => BITBUCKET,
        "github" => GITHUB,
        "gitlab" => GITLAB,
        _ => SLACK,
    }
}

/// The rule inputs, as the catalog would list them.
struct Inputs {
    jira: Vec<JiraProjectCandidate>,
    repos: Vec<RepoCandidate>,
    accounts: Vec<AccountCandidate>,
    known_keys: BTreeSet<String>,
    domains: Vec<String>,
}

fn host_inputs(h: &GitHost, repos: &mut Vec<RepoCandidate>, accounts: &mut Vec<AccountCandidate>) {
    let (conn, repo_platform, account_platform) = git_conn(h.platform);
    for r in h.repos.iter().filter(|r| !r.deleted) {
        // Newest first, as the APIs page them.
        let commit_messages = r.commits.iter().rev().take(RECENT).map(|c| c.message.clone()).collect();
        let pull_requests = r.pull_requests.iter().rev().filter(|p| !p.deleted).take(RECENT).map(|p| PullRequestText { title: p.title.clone(), source_branch: p.source_branch.clone(), description: p.description.clone() }).collect();
        repos.push(RepoCandidate { connection_id: conn, platform: repo_platform, external_id: r.id.clone(), workspace: h.owner.clone(), slug: r.slug.clone(), name: r.name.clone(), commit_messages, pull_requests });
    }
    for a in &h.accounts {
        // Bitbucket never shows e-mails; GitHub and GitLab only the public ones some people set.
        let email = if h.platform == GitPlatform::Bitbucket { None } else { a.email.clone() };
        accounts.push(AccountCandidate { connection_id: conn, platform: account_platform, external_id: a.id.clone(), username: Some(a.login.clone()), display_name: Some(a.display_name.clone()), email, is_bot: a.bot, active: a.active });
    }
}

fn inputs(org: &Org) -> Inputs {
    let projects = org.jira.projects.iter().filter(|p| !p.deleted);
    let jira: Vec<JiraProjectCandidate> = projects.map(|p| JiraProjectCandidate { connection_id: JIRA, jira_project_id: p.id.to_string(), key: p.key.clone(), name: p.name.clone(), archived: p.archived }).collect();
    let mut accounts: Vec<AccountCandidate> = org
        .jira
        .users
        .iter()
        .map(|u| AccountCandidate { connection_id: JIRA, platform: AccountPlatform::Jira, external_id: u.account_id.clone(), username: None, display_name: Some(u.display_name.clone()), email: u.email.clone(), is_bot: u.account_type == "app", active: u.active })
        .collect();
    let mut repos = Vec::new();
    for h in [&org.bitbucket, &org.github, &org.gitlab] {
        host_inputs(h, &mut repos, &mut accounts);
    }
    accounts.extend(org.slack.users.iter().map(|u| AccountCandidate { connection_id: SLACK, platform: AccountPlatform::Slack, external_id: u.id.clone(), username: Some(u.name.clone()), display_name: Some(u.real_name.clone()), email: u.email.clone(), is_bot: u.is_bot, active: !u.deleted }));
    let known_keys = jira.iter().map(|p| p.key.clone()).collect();
    // As `persons::email_domains`: the domains of the Velocity persons' own addresses.
    let domains: BTreeSet<String> = org.truth.persons.iter().filter_map(|p| p.email.rsplit_once('@').map(|(_, d)| d.to_lowercase())).collect();
    Inputs { jira, repos, accounts, known_keys, domains: domains.into_iter().collect() }
}

/// Quality figures for one group of subjects.
#[derive(Default)]
struct Tally {
    suggested: usize,
    correct: usize,
    found: usize,
    truth: usize,
    with_suggestion: usize,
    top_correct: usize,
    by_rule: BTreeMap<&'static str, (usize, usize)>,
}

impl Tally {
    /// One subject's ranked suggestions against what truly belongs to it.
    fn add(&mut self, truth: &HashSet<Key>, ranked: &[Suggestion]) {
        let shown: Vec<&Suggestion> = ranked.iter().filter(|s| s.conflict.is_none() && s.score >= MIN_SCORE).collect();
        let mut found = HashSet::new();
        for s in &shown {
            let key = (s.connection_id, s.external_id.clone());
            let ok = truth.contains(&key);
            self.suggested += 1;
            self.correct += usize::from(ok);
            if ok {
                found.insert(key);
            }
            for r in &s.rules {
                let e = self.by_rule.entry(r.as_str()).or_default();
                e.0 += 1;
                e.1 += usize::from(ok);
            }
        }
        self.found += found.len();
        self.truth += truth.len();
        if let Some(top) = shown.first() {
            self.with_suggestion += 1;
            self.top_correct += usize::from(truth.contains(&(top.connection_id, top.external_id.clone())));
        }
    }

    fn merge(&mut self, o: &Tally) {
        self.suggested += o.suggested;
        self.correct += o.correct;
        self.found += o.found;
        self.truth += o.truth;
        self.with_suggestion += o.with_suggestion;
        self.top_correct += o.top_correct;
        for (r, (s, c)) in &o.by_rule {
            let e = self.by_rule.entry(r).or_default();
            e.0 += s;
            e.1 += c;
        }
    }

    fn figures(&self) -> Value {
        json!({"precision": ratio(self.correct, self.suggested), "recall": ratio(self.found, self.truth), "precision_at_1": ratio(self.top_correct, self.with_suggestion), "suggested": self.suggested, "true_links": self.truth, "subjects_with_suggestions": self.with_suggestion})
    }

    fn rules(&self) -> Value {
        Value::Object(self.by_rule.iter().map(|(r, (s, c))| (r.to_string(), json!({"suggested": s, "correct": c, "precision": ratio(*c, *s)}))).collect())
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { (a as f64 / b as f64 * 10_000.0).round() / 10_000.0 }
}

/// The order `Links::suggest_for_project` shows one list across rules in.
fn ranked(mut s: Vec<Suggestion>) -> Vec<Suggestion> {
    s.sort_by(|a, b| a.conflict.is_some().cmp(&b.conflict.is_some()).then(b.score.total_cmp(&a.score)).then(a.connection_id.cmp(&b.connection_id)).then(a.external_id.cmp(&b.external_id)));
    s
}

/// Projects with nothing linked, or (`linked`) with their main Jira project linked.
fn projects(org: &Org, inp: &Inputs, linked: bool) -> Tally {
    let mut tally = Tally::default();
    let key_of: BTreeMap<String, String> = inp.jira.iter().map(|p| (p.jira_project_id.clone(), p.key.clone())).collect();
    for p in &org.truth.projects {
        let main = p.jira_project_ids.first().filter(|_| linked);
        let mut truth: HashSet<Key> = p.jira_project_ids.iter().map(|id| (JIRA, id.clone())).collect();
        truth.extend(p.repositories.iter().map(|(pl, id)| (git_conn(*pl).0, id.clone())));
        let mut holders = Holders::new();
        if let Some(id) = main {
            truth.remove(&(JIRA, id.clone()));
            holders.insert_subject(JIRA, id.clone());
        }
        let subject = ProjectSubject { key: p.key.clone(), name: p.name.clone(), linked_jira_keys: main.and_then(|id| key_of.get(id)).cloned().into_iter().collect() };
        let mut found = suggest::suggest_jira_projects(&subject, &inp.jira, &holders);
        found.extend(suggest::suggest_repositories(&subject, &inp.repos, &inp.known_keys, &holders));
        tally.add(&truth, &ranked(found));
    }
    tally
}

/// Persons are independent (the rules are pure), so they are spread over the available cores.
fn people(org: &Org, inp: &Inputs) -> Tally {
    let index = AccountIndex::new(&inp.accounts);
    let holders = Holders::new();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = org.truth.persons.len().div_ceil(threads).max(1);
    let parts: Vec<Tally> = std::thread::scope(|scope| {
        let workers: Vec<_> = org
            .truth
            .persons
            .chunks(chunk)
            .map(|persons| {
                let (index, holders) = (&index, &holders);
                scope.spawn(move || {
                    let mut tally = Tally::default();
                    for p in persons {
                        let truth: HashSet<Key> = p.accounts.iter().map(|a| (account_conn(a.platform), a.external_id.clone())).collect();
                        let subject = PersonSubject { name: p.name.clone(), email: p.email.clone(), namesakes: Vec::new() };
                        tally.add(&truth, &suggest::suggest_accounts_indexed(&subject, index, &inp.domains, holders));
                    }
                    tally
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap_or_default()).collect()
    });
    let mut tally = Tally::default();
    for part in &parts {
        tally.merge(part);
    }
    tally
}

pub fn run(size: OrgSize, seed: u64) -> Value {
    let org = crate::sim::generate::generate(size, seed);
    let inp = inputs(&org);
    let started = Instant::now();
    let people = people(&org, &inp);
    let people_done = started.elapsed().as_secs_f64();
    let unlinked = projects(&org, &inp, false);
    let unlinked_done = started.elapsed().as_secs_f64();
    let linked = projects(&org, &inp, true);
    let seconds = started.elapsed().as_secs_f64();
    let ms = |x: f64| (x * 1000.0).round() / 1000.0;
    let phases = json!({"people": ms(people_done), "projects": ms(unlinked_done - people_done), "projects_main_jira_linked": ms(seconds - unlinked_done)});
    let mut all = Tally::default();
    all.merge(&people);
    all.merge(&unlinked);
    let mut projects_figures = unlinked.figures();
    projects_figures["by_rule"] = unlinked.rules();
    let mut linked_figures = linked.figures();
    linked_figures["by_rule"] = linked.rules();
    json!({
        "bench": "suggest", "org": size, "seed": seed,
        "precision": ratio(all.correct, all.suggested), "recall": ratio(all.found, all.truth), "precision_at_1": ratio(all.top_correct, all.with_suggestion),
        "seconds": ms(seconds), "phase_seconds": phases, "peak_rss_mb": super::peak_rss_mib().map(|m| m.round()),
        "people": people.figures(), "projects": projects_figures, "projects_main_jira_linked": linked_figures,
        "by_rule": all.rules(),
        "inputs": {"persons": org.truth.persons.len(), "accounts": inp.accounts.len(), "projects": org.truth.projects.len(), "jira_projects": inp.jira.len(), "repos": inp.repos.len()},
    })
}
