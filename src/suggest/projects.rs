//! Rule 1: Velocity project → Jira project by name and key. Names are compared on their core
//! words (case, punctuation, separators and stop words removed) with `strsim`; keys are compared
//! with the forms a name is usually abbreviated to ("Mobile App" → MOBILE, MOB, MA).
//! Legacy/deprecated/archived look-alikes stay visible but rank lower.

use super::normalize::{acronym, concat_upper, core_words, key_alnum, marks_superseded, words};
use super::rank::{finish, Draft, Evidence};
use super::types::{Holders, JiraProjectCandidate, ProjectSubject, Rule, Suggestion};

/// A name match alone is never near-certain: two teams can pick the same name.
const NAME_WEIGHT: f64 = 0.85;
/// Below this similarity a name comparison says nothing.
const NAME_FLOOR: f64 = 0.5;
/// Token pairs below this Jaro-Winkler score are different words.
const TOKEN_FLOOR: f64 = 0.85;
/// The key spells the whole core name (MOBILE for "Mobile App") or the Velocity key itself.
const KEY_SPELLED: f64 = 0.8;
/// The key is a prefix of the core name (MOB, MOBI), at least three letters.
const KEY_PREFIX: f64 = 0.6;
/// The key is the name's initials (MA): short and often shared, so weaker.
const KEY_INITIALS: f64 = 0.5;
/// Look-alikes keep enough score to stay listed, never enough to outrank the real project.
const LOOK_ALIKE_FACTOR: f64 = 0.6;

/// The subject's name, prepared once for every candidate.
struct SubjectForms {
    display: String,
    core: Vec<String>,
    core_concat: String,
    all_concat: String,
    initials: Vec<String>,
    velocity_key: String,
}

impl SubjectForms {
    fn new(subject: &ProjectSubject) -> Self {
        let all = words(&subject.name);
        let core = core_words(&all);
        let mut initials = vec![acronym(&all), acronym(&core)];
        initials.retain(|a| a.len() >= 2);
        initials.dedup();
        Self { display: subject.name.clone(), core_concat: concat_upper(&core), all_concat: concat_upper(&all), core, initials, velocity_key: key_alnum(&subject.key) }
    }
}

/// Similarity of two word lists in [0, 1]: the better of a whole-string bigram comparison and a
/// word-by-word alignment (each word of `a` matched to its closest word in `b`, divided by the
/// longer list so extra words on either side cost).
pub(crate) fn name_similarity(a: &[String], b: &[String]) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let whole = strsim::sorensen_dice(&a.join(" "), &b.join(" "));
    let aligned: f64 = a
        .iter()
        .map(|t| b.iter().map(|o| strsim::jaro_winkler(t, o)).fold(0.0, f64::max))
        .filter(|s| *s >= TOKEN_FLOOR)
        .sum::<f64>()
        / a.len().max(b.len()) as f64;
    whole.max(aligned).clamp(0.0, 1.0)
}

/// Evidence from the candidate's key, compared without its look-alike markers so MOBILE_LEGACY
/// reads as MOBILE (its look-alike status is handled separately).
fn key_evidence(s: &SubjectForms, candidate: &JiraProjectCandidate) -> Option<Evidence> {
    let key_words = words(&candidate.key);
    let core_key = match concat_upper(&core_words(&key_words)) {
        k if k.is_empty() => key_alnum(&candidate.key),
        k => k,
    };
    let (score, how) = if core_key == s.core_concat || core_key == s.all_concat || (!s.velocity_key.is_empty() && core_key == s.velocity_key) {
        (KEY_SPELLED, "spells")
    } else if core_key.len() >= 3 && s.core_concat.starts_with(&core_key) {
        (KEY_PREFIX, "abbreviates")
    } else if s.initials.contains(&core_key) {
        (KEY_INITIALS, "is the initials of")
    } else {
        return None;
    };
    Some(Evidence::new(Rule::ProjectName, score, format!("key {} {how} '{}'", candidate.key, s.display)))
}

fn draft_for(s: &SubjectForms, candidate: &JiraProjectCandidate) -> Draft {
    let label = format!("{} - {}", candidate.key, candidate.name);
    let mut draft = Draft::new(candidate.connection_id, &candidate.jira_project_id, label.clone());
    let name_words = words(&candidate.name);
    let similarity = name_similarity(&s.core, &core_words(&name_words));
    if similarity >= NAME_FLOOR {
        draft.evidence.push(Evidence::new(Rule::ProjectName, NAME_WEIGHT * similarity, format!("name similarity {similarity:.2}: '{}' ~ '{label}'", s.display)));
    }
    draft.evidence.extend(key_evidence(s, candidate));
    draft.look_alike = candidate.archived || marks_superseded(&name_words) || marks_superseded(&words(&candidate.key));
    if draft.look_alike {
        draft.factor = LOOK_ALIKE_FACTOR;
        let why = if candidate.archived { "archived in Jira" } else { "marked legacy/deprecated/old" };
        draft.notes.push(format!("{why}: ranked below active projects"));
    }
    draft
}

/// Jira projects that may belong to `subject`, best first; conflicts (linked to another Velocity
/// project) last; those the subject already links are left out.
pub fn suggest_jira_projects(subject: &ProjectSubject, candidates: &[JiraProjectCandidate], holders: &Holders) -> Vec<Suggestion> {
    let forms = SubjectForms::new(subject);
    finish(candidates.iter().map(|c| draft_for(&forms, c)).collect(), holders)
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    const JIRA: Uuid = Uuid::from_u128(0x1a);

    fn jira(id: &str, key: &str, name: &str, archived: bool) -> JiraProjectCandidate {
        JiraProjectCandidate { connection_id: JIRA, jira_project_id: id.into(), key: key.into(), name: name.into(), archived }
    }

    fn modal_candidates() -> Vec<JiraProjectCandidate> {
        vec![
            jira("10005", "OPS", "Operations", false),
            jira("10003", "MOB", "Mobile (deprecated)", false),
            jira("10004", "PLAT", "Platform", false),
            jira("10002", "MOBILE_LEGACY", "Legacy Mobile", true),
            jira("10001", "MOBILE", "Mobile Application", false),
        ]
    }

    fn mobile_app() -> ProjectSubject {
        ProjectSubject { key: "MOBILE".into(), name: "Mobile App".into(), linked_jira_keys: vec![] }
    }

    #[test]
    fn spec_modal_mobile_app() {
        let out = suggest_jira_projects(&mobile_app(), &modal_candidates(), &Holders::new());
        let labels: Vec<&str> = out.iter().map(|s| s.label.as_str()).collect();
        assert_eq!(labels, vec!["MOBILE - Mobile Application", "MOBILE_LEGACY - Legacy Mobile", "MOB - Mobile (deprecated)"]);
        assert!(!out[0].look_alike && out[1].look_alike && out[2].look_alike);
        assert!(out[0].score > out[1].score && out[0].score > out[2].score);
        assert!(out.iter().all(|s| s.rules == vec![Rule::ProjectName] && s.conflict.is_none()));
        assert!(out[0].evidence.iter().any(|e| e == "name similarity 1.00: 'Mobile App' ~ 'MOBILE - Mobile Application'"), "{:?}", out[0].evidence);
        assert!(out[2].evidence.iter().any(|e| e.contains("key MOB abbreviates")));
    }

    #[test]
    fn modal_is_deterministic_and_bounded() {
        let mut reversed = modal_candidates();
        reversed.reverse();
        let a = suggest_jira_projects(&mobile_app(), &modal_candidates(), &Holders::new());
        let b = suggest_jira_projects(&mobile_app(), &reversed, &Holders::new());
        assert_eq!(a, b);
        assert!(a.iter().all(|s| (0.0..=1.0).contains(&s.score) && s.score < 1.0));
    }

    #[test]
    fn key_forms_and_initials() {
        let subject = ProjectSubject { key: "PAYMENTS".into(), name: "Payments Gateway".into(), linked_jira_keys: vec![] };
        let out = suggest_jira_projects(&subject, &[jira("1", "PG", "Checkout", false), jira("2", "PAY", "Payments", false), jira("3", "HR", "People", false)], &Holders::new());
        let keys: Vec<&str> = out.iter().map(|s| s.external_id.as_str()).collect();
        assert_eq!(keys, vec!["2", "1"]);
    }

    #[test]
    fn partial_names_and_prefix_keys() {
        let all = vec![jira("1", "BILL", "Billing & Invoicing", false), jira("2", "DWH", "Data Warehouse", false), jira("3", "DATA", "Data Platform", false), jira("4", "GRO", "Growth Experiments", false)];
        let billing = ProjectSubject { key: "BILLING".into(), name: "Billing".into(), linked_jira_keys: vec![] };
        assert_eq!(suggest_jira_projects(&billing, &all, &Holders::new()).iter().map(|s| s.external_id.as_str()).collect::<Vec<_>>(), vec!["1"]);
        let dwh = ProjectSubject { key: "DWH".into(), name: "Data Warehouse".into(), linked_jira_keys: vec![] };
        assert_eq!(suggest_jira_projects(&dwh, &all, &Holders::new()).iter().map(|s| s.external_id.as_str()).collect::<Vec<_>>(), vec!["2", "3"]);
    }

    #[test]
    fn conflicts_listed_last_and_own_links_omitted() {
        let holders = Holders::new().held_by_other(JIRA, "10001", "Mobile Web").held_by_subject(JIRA, "10003");
        let out = suggest_jira_projects(&mobile_app(), &modal_candidates(), &holders);
        let ids: Vec<(&str, Option<&str>)> = out.iter().map(|s| (s.external_id.as_str(), s.conflict.as_deref())).collect();
        assert_eq!(ids, vec![("10002", None), ("10001", Some("Mobile Web"))]);
    }

    #[test]
    fn similarity_ignores_case_punctuation_and_stop_words() {
        let a = core_words(&words("The Mobile-App Team"));
        assert_eq!(name_similarity(&a, &core_words(&words("MOBILE application"))), 1.0);
        assert!(name_similarity(&a, &core_words(&words("Operations"))) < NAME_FLOOR);
        assert_eq!(name_similarity(&[], &a), 0.0);
    }
}
