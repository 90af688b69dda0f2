//! Deterministic generation of a messy org from a seed: the same (size, seed) always gives the
//! same org, field for field. All randomness comes from one ChaCha stream consumed in a fixed
//! order; collections are Vecs in creation order.

use super::names::*;
use super::org::*;
use chrono::{DateTime, Duration, TimeZone, Utc};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// The org's "now": generated history ends here, so the same seed gives the same timestamps.
pub fn org_now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).single().expect("valid date")
}

pub const DOMAIN: &str = "acme.test";
const ACQUIRED_DOMAIN: &str = "initech.test";

/// Lowercase ASCII for emails and handles: "Zoë Álvarez" → "zoe alvarez".
pub fn fold_ascii(s: &str) -> String {
    // Transliterated (as people type their names in ASCII: "Phương Trần" → "phuong tran").
    deunicode::deunicode(s).to_lowercase().chars().filter(|c| c.is_ascii_alphanumeric() || *c == ' ' || *c == '-').collect()
}

struct Human {
    first: String,
    last: String,
    nickname: Option<String>,
    email: String,
    local: String,
}

struct Gen {
    rng: ChaCha8Rng,
    now: DateTime<Utc>,
}

impl Gen {
    fn hex(&mut self, len: usize) -> String {
        (0..len).map(|_| char::from_digit(self.rng.gen_range(0..16), 16).unwrap_or('0')).collect()
    }
    fn uuid(&mut self) -> uuid::Uuid {
        let bytes: [u8; 16] = self.rng.gen();
        uuid::Builder::from_random_bytes(bytes).into_uuid()
    }
    fn braced_uuid(&mut self) -> String {
        format!("{{{}}}", self.uuid())
    }
    fn jira_account_id(&mut self) -> String {
        if self.rng.gen_bool(0.2) {
            format!("557058:{}", self.uuid())
        } else {
            self.hex(24)
        }
    }
    fn slack_id(&mut self) -> String {
        const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        let tail: String = (0..10).map(|_| ALNUM[self.rng.gen_range(0..ALNUM.len())] as char).collect();
        format!("U{tail}")
    }
    /// A time in the two years before the org's now.
    fn past(&mut self) -> DateTime<Utc> {
        self.now - Duration::seconds(self.rng.gen_range(3_600..730 * 86_400))
    }
    fn after(&mut self, t: DateTime<Utc>) -> DateTime<Utc> {
        let room = (self.now - t).num_seconds().max(61);
        t + Duration::seconds(self.rng.gen_range(60..room))
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        items.choose(&mut self.rng).expect("non-empty list")
    }
}

/// Builds the org for a size and seed.
/// The seed of the sample org `velocity demo` serves (size S).
pub const SAMPLE_SEED: u64 = 1;

pub fn generate(size: OrgSize, seed: u64) -> Org {
    let shape = size.shape();
    let mut g = Gen { rng: ChaCha8Rng::seed_from_u64(seed), now: org_now() };
    let humans = humans(&mut g, shape.people);
    let mut truth = Truth::default();
    let mut org = Org {
        seed,
        size,
        jira: JiraSite { projects: vec![], issues: vec![], worklogs: vec![], deleted_worklogs: vec![], users: vec![], next_id: 10_000 },
        bitbucket: GitHost { platform: GitPlatform::Bitbucket, owner: "acme".into(), owner_id: 1, accounts: vec![], repos: vec![], next_id: 1 },
        github: GitHost { platform: GitPlatform::Github, owner: "acme-inc".into(), owner_id: 9_100_001, accounts: vec![], repos: vec![], next_id: 700_000 },
        gitlab: GitHost { platform: GitPlatform::Gitlab, owner: "acme-group".into(), owner_id: 42, accounts: vec![], repos: vec![], next_id: 3_000 },
        slack: SlackTeam { team_id: "T0ACME0001".into(), users: vec![] },
        truth: Truth::default(),
    };
    for h in &humans {
        let accounts = accounts_for(&mut g, &mut org, h);
        truth.persons.push(TruthPerson { name: format!("{} {}", h.first, h.last), email: h.email.clone(), accounts });
    }
    add_bots(&mut g, &mut org);
    projects(&mut g, &mut org, &mut truth, shape);
    issues_and_worklogs(&mut g, &mut org, shape);
    history(&mut g, &mut org, &truth, shape);
    legacy_records(&mut g, &org, &mut truth);
    // Only the demo's own org carries the UI traps: other seeds stay exactly what the generator
    // makes, as the fidelity tests (org S, seed 7) expect.
    if size == OrgSize::S && seed == SAMPLE_SEED {
        ui_traps(&mut org);
    }
    org.truth = truth;
    org
}

fn humans(g: &mut Gen, count: usize) -> Vec<Human> {
    let mut out: Vec<Human> = Vec::with_capacity(count);
    let mut seen = std::collections::HashSet::new();
    for i in 0..count {
        // The first person is the spec's John Doe; the rest are drawn.
        let (first, nickname) = if i == 0 { FIRST_NAMES[0] } else { *g.pick(FIRST_NAMES) };
        let last = if i == 0 { "Doe" } else { *g.pick(LAST_NAMES) };
        let base = format!("{}.{}", fold_ascii(first).replace([' ', '-'], ""), fold_ascii(last).replace([' ', '-'], ""));
        let mut local = base.clone();
        let mut n = 2;
        while !seen.insert(local.clone()) {
            local = format!("{base}{n}");
            n += 1;
        }
        out.push(Human {
            first: first.into(),
            last: last.into(),
            nickname: nickname.map(Into::into),
            email: format!("{local}@{DOMAIN}"),
            local,
        });
    }
    out
}

/// Handle variants people pick: john.doe, jdoe, johnd, doej, john-doe.
fn handle(g: &mut Gen, h: &Human) -> String {
    let first = fold_ascii(&h.first).replace([' ', '-'], "");
    let last = fold_ascii(&h.last).replace([' ', '-'], "");
    let f = first.chars().next().unwrap_or('x');
    let l = last.chars().next().unwrap_or('x');
    let suffix = h.local.trim_start_matches(|c: char| !c.is_ascii_digit());
    let suffix = suffix.chars().filter(char::is_ascii_digit).collect::<String>();
    let variant = match g.rng.gen_range(0..5) {
        0 => format!("{first}.{last}"),
        1 => format!("{f}{last}"),
        2 => format!("{first}{l}"),
        3 => format!("{last}{f}"),
        _ => format!("{first}-{last}"),
    };
    format!("{variant}{suffix}")
}

/// The email an upstream account shows for a person: usually the work address, sometimes
/// hidden, plus-addressed, or from another domain.
fn account_email(g: &mut Gen, h: &Human) -> Option<String> {
    match g.rng.gen_range(0..20) {
        0..=12 => Some(h.email.clone()),
        13..=14 => None,
        15 => Some(format!("{}+tools@{DOMAIN}", h.local)),
        16 => Some(format!("{}@{ACQUIRED_DOMAIN}", h.local)),
        17 => Some(h.email.to_uppercase()),
        _ => Some(format!("{}@gmail.test", h.local.replace('.', ""))),
    }
}

/// A display name variant: full, nickname, initial, or "Last, First".
fn display_name(g: &mut Gen, h: &Human) -> String {
    match g.rng.gen_range(0..10) {
        0 => format!("{}, {}", h.last, h.first),
        1 => format!("{}. {}", h.first.chars().next().unwrap_or('X'), h.last),
        2 => h.nickname.as_ref().map_or_else(|| format!("{} {}", h.first, h.last), |n| format!("{n} {}", h.last)),
        3 => fold_ascii(&format!("{} {}", h.first, h.last)),
        _ => format!("{} {}", h.first, h.last),
    }
}

fn accounts_for(g: &mut Gen, org: &mut Org, h: &Human) -> Vec<TruthAccount> {
    let mut accounts = Vec::new();
    // Jira: nearly everyone; some keep an old, deactivated account from an earlier site.
    let mut atlassian_id = None;
    if g.rng.gen_bool(0.95) {
        let id = g.jira_account_id();
        atlassian_id = Some(id.clone());
        let user = JiraUser { account_id: id.clone(), display_name: display_name(g, h), email: account_email(g, h), active: true, account_type: "atlassian" };
        org.jira.users.push(user);
        accounts.push(TruthAccount { platform: "jira", external_id: id, username: None, current: true });
        if g.rng.gen_bool(0.12) {
            let old = g.jira_account_id();
            let email = if g.rng.gen_bool(0.5) { Some(format!("{}@{ACQUIRED_DOMAIN}", h.local)) } else { None };
            org.jira.users.push(JiraUser { account_id: old.clone(), display_name: format!("{} {}", h.first, h.last), email, active: false, account_type: "atlassian" });
            accounts.push(TruthAccount { platform: "jira", external_id: old, username: None, current: false });
        }
    }
    let git = [(GitPlatform::Bitbucket, 0.6), (GitPlatform::Github, 0.6), (GitPlatform::Gitlab, 0.4)];
    for (platform, share) in git {
        if !g.rng.gen_bool(share) {
            continue;
        }
        let copies = if g.rng.gen_bool(0.06) { 2 } else { 1 };
        for copy in 0..copies {
            let login = if copy == 0 { handle(g, h) } else { format!("{}-old", handle(g, h)) };
            let email = if platform == GitPlatform::Bitbucket || g.rng.gen_bool(0.6) { None } else { account_email(g, h) };
            let host = host_mut(org, platform);
            let id = match platform {
                GitPlatform::Bitbucket => g.braced_uuid(),
                _ => {
                    host.next_id += g.rng.gen_range(1..50);
                    host.next_id.to_string()
                }
            };
            let atlassian = if platform == GitPlatform::Bitbucket { atlassian_id.clone().or_else(|| Some(g.hex(24))) } else { None };
            let host = host_mut(org, platform);
            host.accounts.push(GitAccount {
                id: id.clone(),
                atlassian_id: atlassian,
                login: login.clone(),
                display_name: display_name(g, h),
                email,
                bot: false,
                active: copy == 0,
            });
            let name = match platform { GitPlatform::Bitbucket => "bitbucket", GitPlatform::Github => "github", GitPlatform::Gitlab => "gitlab" };
            accounts.push(TruthAccount { platform: name, external_id: id, username: Some(login), current: copy == 0 });
        }
    }
    if g.rng.gen_bool(0.95) {
        let id = g.slack_id();
        let name = handle(g, h);
        let email = if g.rng.gen_bool(0.9) { Some(h.email.clone()) } else { account_email(g, h) };
        org.slack.users.push(SlackUser {
            id: id.clone(),
            name: name.clone(),
            real_name: format!("{} {}", h.first, h.last),
            display_name: h.nickname.clone().unwrap_or_else(|| h.first.clone()),
            email,
            deleted: false,
            is_bot: false,
            updated: 1_700_000_000 + g.rng.gen_range(0..50_000_000),
        });
        accounts.push(TruthAccount { platform: "slack", external_id: id, username: Some(name), current: true });
    }
    accounts
}

pub fn host_mut(org: &mut Org, platform: GitPlatform) -> &mut GitHost {
    match platform {
        GitPlatform::Bitbucket => &mut org.bitbucket,
        GitPlatform::Github => &mut org.github,
        GitPlatform::Gitlab => &mut org.gitlab,
    }
}

pub fn host(org: &Org, platform: GitPlatform) -> &GitHost {
    match platform {
        GitPlatform::Bitbucket => &org.bitbucket,
        GitPlatform::Github => &org.github,
        GitPlatform::Gitlab => &org.gitlab,
    }
}

/// Bots and shared accounts: never a person, never to be suggested as one.
fn add_bots(g: &mut Gen, org: &mut Org) {
    for (name, id) in [("Automation for Jira", "557058:f58131cb-b67d-43c7-b30d-6b58d40bd077"), ("Jira Service Desk Widget", "5b6c7b3afcdf8f2b3d0c6a1e")] {
        org.jira.users.push(JiraUser { account_id: id.into(), display_name: name.into(), email: None, active: true, account_type: "app" });
    }
    org.jira.users.push(JiraUser { account_id: g.hex(24), display_name: "Build Account".into(), email: Some(format!("build@{DOMAIN}")), active: true, account_type: "atlassian" });
    let bots = [
        (GitPlatform::Github, "dependabot[bot]", "noreply@github.test"),
        (GitPlatform::Github, "renovate[bot]", "bot@renovateapp.test"),
        (GitPlatform::Bitbucket, "Bitbucket Pipelines", "noreply@bitbucket.test"),
        (GitPlatform::Gitlab, "project_42_bot", "noreply@acme.test"),
        (GitPlatform::Github, "acme-ci", "ci@acme.test"),
    ];
    for (platform, login, email) in bots {
        let id = if platform == GitPlatform::Bitbucket { g.braced_uuid() } else { (host(org, platform).next_id + 900_000).to_string() };
        let host = host_mut(org, platform);
        host.next_id += 1;
        host.accounts.push(GitAccount { id, atlassian_id: None, login: login.into(), display_name: login.into(), email: Some(email.into()), bot: true, active: true });
    }
    for (name, real) in [("deploybot", "Deploy Bot"), ("standup-helper", "Standup Helper")] {
        let id = g.slack_id();
        org.slack.users.push(SlackUser { id, name: name.into(), real_name: real.into(), display_name: real.into(), email: None, deleted: false, is_bot: true, updated: 1_700_000_000 });
    }
    let shared = g.slack_id();
    org.slack.users.push(SlackUser { id: shared, name: "it-helpdesk".into(), real_name: "IT Helpdesk".into(), display_name: "IT".into(), email: Some(format!("helpdesk@{DOMAIN}")), deleted: false, is_bot: false, updated: 1_700_000_000 });
}

/// A hand-made project: name, Jira (key, name, previous keys), look-alike Jira projects
/// (key, name, archived), repositories (platform, slug).
struct Blueprint {
    key: &'static str,
    name: &'static str,
    jira: Vec<(&'static str, &'static str, Vec<&'static str>)>,
    look_alikes: Vec<(&'static str, &'static str, bool)>,
    repos: Vec<(GitPlatform, &'static str)>,
}

fn blueprints() -> Vec<Blueprint> {
    use GitPlatform::*;
    vec![
        Blueprint { key: "MOBILE", name: "Mobile App", jira: vec![("MOBILE", "Mobile Application", vec![])], look_alikes: vec![("MOBILE_LEGACY", "Legacy Mobile", true), ("MOB", "Mobile (deprecated)", false)], repos: vec![(Github, "mobile-app"), (Bitbucket, "mobile-app-ios"), (Bitbucket, "mobile-app-android")] },
        Blueprint { key: "PLATFORM", name: "Platform", jira: vec![("PLAT", "Platform", vec!["PF"])], look_alikes: vec![], repos: vec![(Bitbucket, "platform-api"), (Github, "api-platform"), (Gitlab, "platform-infra")] },
        Blueprint { key: "BILLING", name: "Billing", jira: vec![("BILL", "Billing & Invoicing", vec!["INV"])], look_alikes: vec![], repos: vec![(Bitbucket, "billing-service"), (Gitlab, "billing-web")] },
        Blueprint { key: "DWH", name: "Data Warehouse", jira: vec![("DWH", "Data Warehouse", vec![]), ("DATA", "Data Platform", vec![])], look_alikes: vec![], repos: vec![(Gitlab, "data-pipelines"), (Github, "warehouse-dbt")] },
        Blueprint { key: "IDENTITY", name: "Identity", jira: vec![("IAM", "Identity & Access", vec![])], look_alikes: vec![], repos: vec![(Github, "identity-service"), (Bitbucket, "auth-service")] },
        Blueprint { key: "PAYMENTS", name: "Payments Gateway", jira: vec![("PAY", "Payments", vec![])], look_alikes: vec![("PAYOPS", "Payment Operations (Finance team)", false)], repos: vec![(Bitbucket, "payments-gateway"), (Github, "gateway-payments")] },
        Blueprint { key: "GROWTH", name: "Growth", jira: vec![("GRO", "Growth Experiments", vec![])], look_alikes: vec![], repos: vec![(Github, "growth-web")] },
        Blueprint { key: "SEARCH", name: "Search", jira: vec![("SRCH", "Search", vec![])], look_alikes: vec![], repos: vec![(Gitlab, "search-indexer"), (Gitlab, "search-api")] },
    ]
}

fn new_jira_project(g: &mut Gen, org: &mut Org, key: &str, name: &str, previous: Vec<String>, archived: bool) -> u64 {
    org.jira.next_id += 1;
    let id = org.jira.next_id;
    let lead = org.jira.users.iter().filter(|u| u.active && u.account_type == "atlassian").nth(g.rng.gen_range(0..10)).map(|u| u.account_id.clone());
    org.jira.projects.push(JiraProject { id, key: key.into(), previous_keys: previous, name: name.into(), description: format!("{name} work"), archived, deleted: false, lead_account_id: lead });
    id
}

fn new_repo(g: &mut Gen, org: &mut Org, platform: GitPlatform, slug: &str) -> String {
    let id = if platform == GitPlatform::Bitbucket { g.braced_uuid() } else { String::new() };
    let created = g.past();
    let branch = if g.rng.gen_bool(0.8) { "main" } else { "master" };
    let host = host_mut(org, platform);
    host.next_id += 1;
    let numeric_id = host.next_id;
    let id = if id.is_empty() { numeric_id.to_string() } else { id };
    host.repos.push(Repo {
        id: id.clone(),
        numeric_id,
        slug: slug.into(),
        name: slug.into(),
        previous_slugs: vec![],
        description: String::new(),
        default_branch: branch.into(),
        created,
        updated: created,
        deleted: false,
        subgroup: None,
        commits: vec![],
        pull_requests: vec![],
    });
    id
}

fn projects(g: &mut Gen, org: &mut Org, truth: &mut Truth, shape: OrgShape) {
    let mut used_keys: std::collections::HashSet<String> = Default::default();
    let mut used_slugs: std::collections::HashSet<String> = Default::default();
    let plans: Vec<Blueprint> = blueprints().into_iter().take(shape.projects).collect();
    let mut generated = Vec::new();
    while plans.len() + generated.len() < shape.projects {
        let adjective = *g.pick(ADJECTIVES);
        let noun = *g.pick(NOUNS);
        let name = format!("{adjective} {noun}");
        let mut key: String = format!("{}{}", &adjective[..2], &noun[..2]).to_uppercase();
        let mut n = 2;
        while used_keys.contains(&key) || plans.iter().any(|p| p.key == key) {
            key = format!("{}{}{n}", &adjective[..2], &noun[..2]).to_uppercase();
            n += 1;
        }
        used_keys.insert(key.clone());
        generated.push((key, name));
    }
    for plan in &plans {
        let mut p = TruthProject { key: plan.key.into(), name: plan.name.into(), jira_project_ids: vec![], look_alike_jira_project_ids: vec![], repositories: vec![] };
        for (key, name, previous) in &plan.jira {
            let id = new_jira_project(g, org, key, name, previous.iter().map(|s| s.to_string()).collect(), false);
            p.jira_project_ids.push(id.to_string());
        }
        for (key, name, archived) in &plan.look_alikes {
            let id = new_jira_project(g, org, key, name, vec![], *archived);
            p.look_alike_jira_project_ids.push(id.to_string());
        }
        for (platform, slug) in &plan.repos {
            used_slugs.insert(slug.to_string());
            p.repositories.push((*platform, new_repo(g, org, *platform, slug)));
        }
        truth.projects.push(p);
    }
    let orphans = 3;
    let mut repos_left = shape.repos.saturating_sub(used_slugs.len() + orphans);
    let mut projects_left = generated.len();
    for (key, name) in generated {
        let slug_base = name.to_lowercase().replace(' ', "-");
        let mut p = TruthProject { key: key.clone(), name: name.clone(), jira_project_ids: vec![], look_alike_jira_project_ids: vec![], repositories: vec![] };
        let previous = if g.rng.gen_bool(0.1) { vec![format!("{key}X")] } else { vec![] };
        p.jira_project_ids.push(new_jira_project(g, org, &key, &name, previous, false).to_string());
        // Spread the org's repository count over the generated projects.
        let repo_count = repos_left.div_ceil(projects_left.max(1)).clamp(1, 4);
        repos_left = repos_left.saturating_sub(repo_count);
        projects_left -= 1;
        for i in 0..repo_count {
            let platform = *g.pick(&[GitPlatform::Bitbucket, GitPlatform::Github, GitPlatform::Gitlab]);
            let mut slug = match i { 0 => slug_base.clone(), _ => format!("{slug_base}-{}", g.pick(&["api", "web", "worker"])) };
            while !used_slugs.insert(slug.clone()) {
                slug = format!("{slug}-{}", g.rng.gen_range(2..99));
            }
            p.repositories.push((platform, new_repo(g, org, platform, &slug)));
        }
        truth.projects.push(p);
    }
    // Jira projects and repositories that belong to no Velocity project.
    for (key, name) in [("OPS", "Operations"), ("HR", "People Ops")] {
        new_jira_project(g, org, key, name, vec![], false);
    }
    for (platform, slug) in [(GitPlatform::Github, "sandbox"), (GitPlatform::Bitbucket, "old-scripts"), (GitPlatform::Gitlab, "terraform-legacy")] {
        new_repo(g, org, platform, slug);
    }
    // Real groups nest: one repository sits in a subgroup, seen only with include_subgroups.
    if let Some(r) = org.gitlab.repos.iter_mut().find(|r| r.slug == "platform-infra") {
        r.subgroup = Some("infra".into());
    }
}

/// Two Jira projects the sample org (the demo) carries for the link UI, added after everything
/// else and without the random generator so the rest of the org stays as the seed makes it: a
/// copy of "Mobile Application" under another key (linking both to one project warns of a
/// duplicate) and a project whose name is markup (the UI must show it as text).
fn ui_traps(org: &mut Org) {
    for (key, name) in [("MOBAPP", "Mobile Application"), ("XSS", "<script>alert('xss')</script> Research")] {
        org.jira.next_id += 1;
        let id = org.jira.next_id;
        org.jira.projects.push(JiraProject { id, key: key.into(), previous_keys: vec![], name: name.into(), description: format!("{name} work"), archived: false, deleted: false, lead_account_id: None });
    }
}

fn summary(g: &mut Gen) -> String {
    format!("{} {}", g.pick(VERBS), g.pick(COMPONENTS))
}

fn issues_and_worklogs(g: &mut Gen, org: &mut Org, shape: OrgShape) {
    let people: Vec<String> = org.jira.users.iter().filter(|u| u.account_type == "atlassian").map(|u| u.account_id.clone()).collect();
    let projects: Vec<(u64, usize)> = org.jira.projects.iter().map(|p| (p.id, if p.archived { 1 } else { 4 })).collect();
    let weight_total: usize = projects.iter().map(|(_, w)| w).sum();
    let mut numbers: std::collections::HashMap<u64, u32> = Default::default();
    for _ in 0..shape.issues {
        let mut ticket = g.rng.gen_range(0..weight_total);
        let project_id = projects.iter().find(|(_, w)| if ticket < *w { true } else { ticket -= w; false }).map(|(id, _)| *id).unwrap_or(projects[0].0);
        let number = numbers.entry(project_id).or_insert(0);
        *number += 1;
        let created = g.past();
        let updated = g.after(created);
        org.jira.next_id += 1;
        let mut issue = JiraIssue {
            id: org.jira.next_id,
            project_id,
            number: *number,
            previous_keys: vec![],
            summary: summary(g),
            status: *g.pick(&IssueStatus::ALL),
            issue_type: *g.pick(&["Story", "Bug", "Task"]),
            assignee: if g.rng.gen_bool(0.85) { Some(g.pick(&people).clone()) } else { None },
            created,
            updated,
            resolved: None,
            deleted: false,
        };
        // Derived, not drawn, so the rest of what a seed generates stays the same.
        issue.resolved = (issue.status == IssueStatus::Done).then_some(updated);
        org.jira.issues.push(issue);
    }
    // Issues moved between projects keep their old keys (Jira resolves them).
    let moved = (shape.issues / 50).max(2);
    for _ in 0..moved {
        let i = g.rng.gen_range(0..org.jira.issues.len());
        let other = org.jira.projects[g.rng.gen_range(0..org.jira.projects.len())].key.clone();
        let old_number = g.rng.gen_range(5_000..6_000);
        org.jira.issues[i].previous_keys.push(format!("{other}-{old_number}"));
    }
    for _ in 0..shape.worklogs {
        let i = g.rng.gen_range(0..org.jira.issues.len());
        let issue = &org.jira.issues[i];
        let author = issue.assignee.clone().unwrap_or_else(|| people[i % people.len()].clone());
        let (issue_id, created_at) = (issue.id, issue.created);
        let started = g.after(created_at);
        let updated = g.after(started);
        org.jira.next_id += 1;
        org.jira.worklogs.push(JiraWorklog {
            id: org.jira.next_id,
            issue_id,
            author,
            started,
            time_spent_seconds: 900 * g.rng.gen_range(1..=32),
            created: started,
            updated,
        });
    }
}

/// Commits and pull requests, citing the issue keys of the repo's project most of the time.
fn history(g: &mut Gen, org: &mut Org, truth: &Truth, shape: OrgShape) {
    let key_of: std::collections::HashMap<String, String> = org.jira.projects.iter().map(|p| (p.id.to_string(), p.key.clone())).collect();
    let all_keys: Vec<String> = org.jira.projects.iter().map(|p| p.key.clone()).collect();
    // repo id → keys its commits cite
    let mut cited: std::collections::HashMap<String, Vec<String>> = Default::default();
    for p in &truth.projects {
        let keys: Vec<String> = p.jira_project_ids.iter().filter_map(|id| key_of.get(id).cloned()).collect();
        for (_, repo_id) in &p.repositories {
            cited.insert(repo_id.clone(), keys.clone());
        }
    }
    let repo_refs: Vec<(GitPlatform, usize)> = [GitPlatform::Bitbucket, GitPlatform::Github, GitPlatform::Gitlab]
        .iter()
        .flat_map(|pl| (0..host(org, *pl).repos.len()).map(move |i| (*pl, i)))
        .collect();
    let per_repo_commits = shape.commits / repo_refs.len().max(1);
    let per_repo_prs = shape.pull_requests / repo_refs.len().max(1);
    for (platform, index) in repo_refs {
        let host_ref = host(org, platform);
        let repo_id = host_ref.repos[index].id.clone();
        let keys = cited.get(&repo_id).cloned().unwrap_or_default();
        let people: Vec<usize> = (0..host_ref.accounts.len()).filter(|i| !host_ref.accounts[*i].bot && host_ref.accounts[*i].active).collect();
        let bots: Vec<usize> = (0..host_ref.accounts.len()).filter(|i| host_ref.accounts[*i].bot).collect();
        let accounts = host_ref.accounts.clone();
        let mut when = host_ref.repos[index].created;
        let step = ((g.now - when).num_seconds() / (per_repo_commits as i64 + 1)).max(60);
        let mut commits = Vec::with_capacity(per_repo_commits);
        let mut numbers = std::collections::HashMap::<String, u32>::new();
        for _ in 0..per_repo_commits {
            when += Duration::seconds(g.rng.gen_range(1..step * 2).min(step * 2));
            if when > g.now {
                when = g.now - Duration::seconds(1);
            }
            let bot = !bots.is_empty() && g.rng.gen_bool(0.05);
            let author = if bot { Some(*g.pick(&bots)) } else if people.is_empty() || g.rng.gen_bool(0.1) { None } else { Some(*g.pick(&people)) };
            let message = commit_message(g, &keys, &all_keys, &mut numbers, bot);
            let (name, email) = match author {
                Some(a) => (accounts[a].display_name.clone(), accounts[a].email.clone().unwrap_or_else(|| format!("{}@users.noreply.{DOMAIN}", accounts[a].login))),
                None => ("Unknown Contractor".into(), format!("contractor{}@example.test", g.rng.gen_range(1..9))),
            };
            commits.push(Commit { sha: g.hex(40), message, author_name: name, author_email: email, author_account: author, date: when });
        }
        let mut prs = Vec::with_capacity(per_repo_prs);
        for n in 0..per_repo_prs {
            let key = if !keys.is_empty() && g.rng.gen_bool(0.8) { Some(format!("{}-{}", g.pick(&keys), g.rng.gen_range(1..400))) } else { None };
            let topic = summary(g);
            let slug = topic.to_lowercase().replace(' ', "-");
            let (title, branch) = match &key {
                Some(k) => (format!("{k}: {topic}"), format!("feature/{k}-{slug}")),
                None => (topic.clone(), format!("chore/{slug}")),
            };
            let created = g.after(host(org, platform).repos[index].created);
            let updated = g.after(created);
            let state = *g.pick(&[PrState::Merged, PrState::Merged, PrState::Open, PrState::Declined]);
            let author = if people.is_empty() { 0 } else { *g.pick(&people) };
            let global_id = 5_000_000 + (index as u64) * 100_000 + n as u64;
            prs.push(PullRequest { number: n as u64 + 1, global_id, title, description: format!("Implements {}.", key.as_deref().unwrap_or("the change")), source_branch: branch, state, author_account: author, created, updated, deleted: false });
        }
        let repo = &mut host_mut(org, platform).repos[index];
        repo.updated = commits.last().map_or(repo.created, |c| c.date);
        repo.commits = commits;
        repo.pull_requests = prs;
    }
}

fn commit_message(g: &mut Gen, keys: &[String], all_keys: &[String], numbers: &mut std::collections::HashMap<String, u32>, bot: bool) -> String {
    if bot {
        return format!("Bump {} from 1.{}.0 to 1.{}.0", g.pick(&["serde", "lodash", "axios", "tokio"]), g.rng.gen_range(0..9), g.rng.gen_range(10..20));
    }
    let topic = summary(g);
    match g.rng.gen_range(0..20) {
        0..=11 if !keys.is_empty() => {
            let key = g.pick(keys).clone();
            let n = numbers.entry(key.clone()).or_insert(0);
            *n = (*n % 400) + 1;
            format!("{key}-{n}: {topic}")
        }
        12 if !all_keys.is_empty() => format!("{}-{}: {topic} (cross-team)", g.pick(all_keys), g.rng.gen_range(1..300)),
        13 | 14 => format!("{topic}; handle {} input", g.pick(FALSE_FRIENDS)),
        _ => topic,
    }
}

/// Velocity records from before links existed, with the staleness real ones have.
fn legacy_records(g: &mut Gen, org: &Org, truth: &mut Truth) {
    let key_of = |id: &str| org.jira.projects.iter().find(|p| p.id.to_string() == id).map(|p| (p.key.clone(), p.previous_keys.clone()));
    let mut projects = Vec::new();
    for p in &truth.projects {
        let jira_key = p.jira_project_ids.first().and_then(|id| key_of(id)).map(|(key, previous)| {
            // Renamed projects often still carry their old key in the legacy record.
            previous.first().cloned().filter(|_| g.rng.gen_bool(0.5)).unwrap_or(key)
        });
        let bitbucket_repos: Vec<String> = p
            .repositories
            .iter()
            .filter(|(pl, _)| *pl == GitPlatform::Bitbucket)
            .filter_map(|(_, id)| org.bitbucket.repos.iter().find(|r| &r.id == id).map(|r| r.slug.clone()))
            .collect();
        let bitbucket_workspace = (!bitbucket_repos.is_empty()).then(|| org.bitbucket.owner.clone());
        projects.push(LegacyProject { key: p.key.clone(), name: p.name.clone(), jira_key, bitbucket_workspace, bitbucket_repos });
    }
    let mut persons = Vec::new();
    for p in &truth.persons {
        let first = |platform: &str, current: bool| p.accounts.iter().find(|a| a.platform == platform && a.current == current);
        // Some legacy records still point at the person's old, deactivated Jira account.
        let jira = if g.rng.gen_bool(0.3) { first("jira", false).or_else(|| first("jira", true)) } else { first("jira", true) };
        persons.push(LegacyPerson {
            name: p.name.clone(),
            email: p.email.clone(),
            jira_account_id: jira.map(|a| a.external_id.clone()),
            bitbucket_username: first("bitbucket", true).and_then(|a| a.username.clone()),
            slack_user_id: first("slack", true).map(|a| a.external_id.clone()),
        });
    }
    truth.legacy_projects = projects;
    truth.legacy_persons = persons;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_org() {
        let a = generate(OrgSize::S, 7);
        let b = generate(OrgSize::S, 7);
        assert_eq!(format!("{:?}", a), format!("{:?}", b));
        let c = generate(OrgSize::S, 8);
        assert_ne!(format!("{:?}", a.jira.users), format!("{:?}", c.jira.users));
    }

    #[test]
    fn small_org_has_the_spec_mess() {
        let org = generate(OrgSize::S, 1);
        let keys: Vec<&str> = org.jira.projects.iter().map(|p| p.key.as_str()).collect();
        for k in ["MOBILE", "MOBILE_LEGACY", "MOB", "PLAT", "OPS"] {
            assert!(keys.contains(&k), "{k} in {keys:?}");
        }
        assert!(org.bitbucket.repos.iter().any(|r| r.slug == "platform-api"));
        assert!(org.jira.projects.iter().any(|p| p.key == "XSS" && p.name.contains("<script>")), "markup in a name for the UI");
        assert!(!generate(OrgSize::M, 1).jira.projects.iter().any(|p| p.key == "XSS"), "only the sample org");
        assert!(!generate(OrgSize::S, 7).jira.projects.iter().any(|p| p.key == "XSS"), "only the sample org's seed");
        assert!(org.github.repos.iter().any(|r| r.slug == "api-platform"));
        assert_eq!(org.truth.projects.len(), 8);
        assert_eq!(org.truth.persons.len(), 20);
        assert!(org.jira.users.iter().any(|u| u.email.is_none()), "some users hide their email");
        assert!(org.jira.users.iter().any(|u| u.account_type == "app"), "bots exist");
        let messages: String = org.github.repos.iter().flat_map(|r| r.commits.iter().map(|c| c.message.clone())).collect();
        assert!(messages.contains("MOBILE-"), "commits cite issue keys");
        assert!(FALSE_FRIENDS.iter().any(|f| messages.contains(f)), "false friends appear");
        assert_eq!(org.truth.legacy_projects.len(), 8);
    }

    #[test]
    fn fold_ascii_strips_diacritics() {
        assert_eq!(fold_ascii("Zoë Álvarez"), "zoe alvarez");
        assert_eq!(fold_ascii("Phương Trần"), "phuong tran");
        assert_eq!(fold_ascii("Đức Weiß"), "duc weiss");
        assert_eq!(fold_ascii("Łukasz O'Brien"), "lukasz obrien");
    }
}
