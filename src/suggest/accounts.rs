//! Rule 5: Velocity person → external account, by email first, then name and username as weaker
//! evidence. Bots, no-reply senders and shared mailboxes are never suggested, not even as
//! conflicts: they are nobody's account.

use super::emails::{email_match, is_no_reply, is_shared_mailbox, is_shared_name, parse_address};
use super::names::{name_match, parse_name, username_match};
use super::normalize::split_words;
use super::rank::{finish, Draft, Evidence};
use super::types::{AccountCandidate, Holders, PersonSubject, Rule, Suggestion};

/// Well-known automation accounts whose names do not say "bot".
const AUTOMATION_NAMES: &[&str] = &["dependabot", "renovatebot", "greenkeeper", "codecov", "sonarcloud", "mergify", "snyk"];

/// A deactivated account is still the person's, but rarely the one to link now.
const INACTIVE_FACTOR: f64 = 0.85;
/// An account matched by a name that another person also bears is as likely theirs.
const NAMESAKE_FACTOR: f64 = 0.6;

/// `[bot]` suffixes (GitHub apps), a "bot"/"robot" word ("project_42_bot", "Deploy Bot"), or a
/// known automation name.
fn looks_automated(name: &str) -> bool {
    if name.trim().to_lowercase().ends_with("[bot]") {
        return true;
    }
    split_words(name, true).iter().any(|w| matches!(w.as_str(), "bot" | "bots" | "robot") || AUTOMATION_NAMES.contains(&w.as_str()))
}

/// Accounts that must never be offered as a person's.
pub(crate) fn never_a_person(c: &AccountCandidate) -> bool {
    let names = [c.username.as_deref(), c.display_name.as_deref()];
    c.is_bot
        || names.iter().flatten().any(|n| looks_automated(n) || is_shared_name(n))
        || c.email.as_deref().and_then(parse_address).is_some_and(|a| is_no_reply(&a) || is_shared_mailbox(&a))
}

/// "Jira John Doe <john.doe@acme.test>": platform, the best human name available, the email.
fn label_of(c: &AccountCandidate) -> String {
    let who = [c.display_name.as_deref(), c.username.as_deref()].into_iter().flatten().map(str::trim).find(|s| !s.is_empty()).unwrap_or(&c.external_id);
    match c.email.as_deref().map(str::trim).filter(|e| !e.is_empty()) {
        Some(email) => format!("{} {who} <{email}>", c.platform.display_name()),
        None => format!("{} {who}", c.platform.display_name()),
    }
}

/// The subject parsed once for all of its candidates.
struct Parsed<'a> {
    subject: &'a PersonSubject,
    address: Option<super::emails::Address>,
    name: Option<super::names::PersonName>,
}

fn draft_for(parsed: &Parsed<'_>, org_domains: &[String], c: &AccountCandidate) -> Draft {
    let subject = parsed.subject;
    let mut draft = Draft::new(c.connection_id, &c.external_id, label_of(c));
    let subject_address = &parsed.address;
    if let (Some(mine), Some(theirs)) = (subject_address.as_ref(), c.email.as_deref().and_then(parse_address)) {
        if let Some((score, how)) = email_match(mine, &theirs, org_domains) {
            let mut e = Evidence::new(Rule::Email, score, format!("{how}: {} ~ {}", subject.email.trim(), c.email.as_deref().unwrap_or_default().trim()));
            e.certain = score >= 1.0;
            draft.evidence.push(e);
        }
    }
    let subject_name = &parsed.name;
    if let (Some(mine), Some(display)) = (subject_name.as_ref(), c.display_name.as_deref()) {
        if let Some((score, how)) = parse_name(display).and_then(|theirs| name_match(mine, &theirs)) {
            draft.evidence.push(Evidence::new(Rule::PersonName, score, format!("name matches {how} (score {score:.2}): '{}' ~ '{}'", subject.name.trim(), display.trim())));
        }
    }
    if let Some(username) = c.username.as_deref() {
        let mailbox = subject_address.as_ref().map(|a| a.mailbox.as_str());
        if let Some((score, how)) = username_match(subject_name.as_ref(), mailbox, username) {
            draft.evidence.push(Evidence::new(Rule::Username, score, format!("username '{}' {how} '{}'", username.trim(), subject.name.trim())));
        }
    }
    if !c.active {
        draft.factor = INACTIVE_FACTOR;
        draft.notes.push("account is deactivated".to_owned());
    }
    if name_only(&draft.evidence) && !subject.namesakes.is_empty() {
        draft.factor *= NAMESAKE_FACTOR;
        draft.notes.push(format!("same name as {}: the name alone cannot tell them apart", subject.namesakes.join(", ")));
    }
    draft
}

fn name_only(evidence: &[Evidence]) -> bool {
    !evidence.is_empty() && evidence.iter().all(|e| e.rule == Rule::PersonName)
}

/// Other people in `people` (name, e-mail) whose name matches `name` exactly (in any order or
/// folding), labelled "Name <e-mail>"; the subject itself (same e-mail) is left out.
pub fn namesakes(name: &str, email: &str, people: &[(String, String)]) -> Vec<String> {
    let Some(mine) = parse_name(name) else { return Vec::new() };
    let exact = |theirs: &str| parse_name(theirs).and_then(|t| name_match(&mine, &t)).is_some_and(|(_, how)| how == "exactly");
    people
        .iter()
        .filter(|(n, e)| !e.trim().eq_ignore_ascii_case(email.trim()) && exact(n))
        .map(|(n, e)| format!("{} <{}>", n.trim(), e.trim()))
        .collect()
}

/// When another person bears the subject's name, name-only matches never outrank an account
/// matched by e-mail or username: the namesake's account would otherwise come first (or be
/// pre-ticked) whenever names agree better. (Alone with a name, rule 5's order stands: e-mail,
/// then name, then username.)
fn names_below_identities(mut out: Vec<Suggestion>) -> Vec<Suggestion> {
    let identity = |s: &Suggestion| s.rules.iter().any(|r| matches!(r, Rule::Email | Rule::Username));
    let Some(lowest) = out.iter().filter(|s| s.conflict.is_none() && identity(s)).map(|s| s.score).min_by(f64::total_cmp) else {
        return out;
    };
    for s in out.iter_mut().filter(|s| s.conflict.is_none() && s.rules == [Rule::PersonName] && s.score >= lowest) {
        s.score = ((lowest - 0.001) * 1000.0).round() / 1000.0;
        s.evidence.push("name only: ranked below the accounts matched by e-mail or username".to_owned());
    }
    out.sort_by(super::rank::rank_order);
    out
}

/// Accounts that may belong to `subject`, best first; accounts linked to another person last as
/// conflicts; accounts the subject already links omitted. `org_domains` are the organisation's
/// email domains, any of which may carry the same mailbox.
pub fn suggest_accounts(subject: &PersonSubject, candidates: &[AccountCandidate], org_domains: &[String], holders: &Holders) -> Vec<Suggestion> {
    suggest_among(subject, candidates, org_domains, holders)
}

/// [`suggest_accounts`] over any selection of candidates (the blocking step passes a subset).
pub(crate) fn suggest_among<'a>(subject: &PersonSubject, candidates: impl IntoIterator<Item = &'a AccountCandidate>, org_domains: &[String], holders: &Holders) -> Vec<Suggestion> {
    let domains: Vec<String> = org_domains.iter().map(|d| d.trim().trim_start_matches('@').to_lowercase()).filter(|d| !d.is_empty()).collect();
    let parsed = Parsed { subject, address: parse_address(&subject.email), name: parse_name(&subject.name) };
    let drafts = candidates.into_iter().filter(|c| !never_a_person(c)).map(|c| draft_for(&parsed, &domains, c)).collect();
    let out = finish(drafts, holders);
    if subject.namesakes.is_empty() { out } else { names_below_identities(out) }
}

#[cfg(test)]
#[path = "accounts_tests.rs"]
mod tests;
