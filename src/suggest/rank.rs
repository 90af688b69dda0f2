//! Turning evidence into ranked suggestions: combining rule scores, applying the noise threshold,
//! separating conflicts, ordering deterministically, and deciding when a dismissed suggestion may
//! come back.

use super::types::{Holders, Holding, Rule, Suggestion};
use std::collections::BTreeSet;
use uuid::Uuid;

/// Below this a suggestion is more likely noise than help.
pub const MIN_SCORE: f64 = 0.35;

/// Combined evidence stays below certainty: only an exact email match may claim 1.0, because
/// every other rule can be fooled by a namesake or a look-alike.
pub const CAP: f64 = 0.99;

/// How much a dismissed suggestion's score must rise before it is shown again.
pub const RESURFACE_RISE: f64 = 0.15;

/// One reason to link, from one rule.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Evidence {
    pub rule: Rule,
    /// In [0, 1], on its own.
    pub score: f64,
    pub text: String,
    /// Only an exact email match sets this; it lifts the cap.
    pub certain: bool,
}

impl Evidence {
    pub fn new(rule: Rule, score: f64, text: impl Into<String>) -> Self {
        Self { rule, score, text: text.into(), certain: false }
    }
}

/// A candidate with its evidence, before scoring and conflict checks.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Draft {
    pub connection_id: Uuid,
    pub external_id: String,
    pub label: String,
    pub evidence: Vec<Evidence>,
    /// Remarks shown after the evidence (why it ranks lower, what else it cites).
    pub notes: Vec<String>,
    /// Multiplies the combined score; below 1 for look-alikes and deactivated accounts.
    pub factor: f64,
    pub look_alike: bool,
}

impl Draft {
    pub fn new(connection_id: Uuid, external_id: &str, label: String) -> Self {
        Self { connection_id, external_id: external_id.to_owned(), label, evidence: Vec::new(), notes: Vec::new(), factor: 1.0, look_alike: false }
    }
}

/// Noisy-OR: each piece of evidence independently fails to prove the link with probability
/// 1 - s, so agreement between rules raises the score without any one rule dominating.
pub fn combine(scores: &[f64], certain: bool) -> f64 {
    let miss: f64 = scores.iter().map(|s| 1.0 - s.clamp(0.0, 1.0)).product();
    let combined = 1.0 - miss;
    if certain { combined.clamp(0.0, 1.0) } else { combined.clamp(0.0, CAP) }
}

/// Three decimals: enough to rank, and equal inputs print equal scores in every JSON answer.
fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

fn score_of(draft: &Draft) -> f64 {
    let scores: Vec<f64> = draft.evidence.iter().map(|e| e.score).collect();
    let certain = draft.evidence.iter().any(|e| e.certain);
    round3((combine(&scores, certain) * draft.factor).clamp(0.0, 1.0))
}

/// Scores, filters and orders drafts: linkable suggestions first, then conflicts; each group by
/// score descending, then (connection id, external id) so ties never depend on input order.
pub(crate) fn finish(drafts: Vec<Draft>, holders: &Holders) -> Vec<Suggestion> {
    let mut out: Vec<Suggestion> = drafts
        .into_iter()
        .filter(|d| !d.evidence.is_empty())
        .filter_map(|mut d| {
            let score = score_of(&d);
            if score < MIN_SCORE {
                return None;
            }
            let conflict = match holders.holding(d.connection_id, &d.external_id) {
                Some(Holding::Subject) => return None,
                Some(Holding::Other(label)) => Some(label),
                None => None,
            };
            let rules: BTreeSet<Rule> = d.evidence.iter().map(|e| e.rule).collect();
            // Strongest reason first; the sort is stable so equal scores keep rule order.
            d.evidence.sort_by(|a, b| b.score.total_cmp(&a.score));
            let mut evidence: Vec<String> = d.evidence.into_iter().map(|e| e.text).collect();
            evidence.extend(d.notes);
            Some(Suggestion { connection_id: d.connection_id, external_id: d.external_id, label: d.label, score, rules: rules.into_iter().collect(), evidence, look_alike: d.look_alike, conflict })
        })
        .collect();
    out.sort_by(rank_order);
    // A candidate listed twice by the caller is suggested once, with its best score.
    let mut seen = BTreeSet::new();
    out.retain(|s| seen.insert((s.connection_id, s.external_id.clone())));
    out
}

/// The order every list of suggestions is shown in: linkable before conflicts, higher score
/// first, ties on stable ids so the same input always gives the same list.
pub fn rank_order(a: &Suggestion, b: &Suggestion) -> std::cmp::Ordering {
    a.conflict
        .is_some()
        .cmp(&b.conflict.is_some())
        .then(b.score.total_cmp(&a.score))
        .then(a.connection_id.cmp(&b.connection_id))
        .then(a.external_id.cmp(&b.external_id))
}

/// Whether a dismissed suggestion should be shown again: only for new kinds of evidence or a
/// clearly higher score, so dismissing stays meaningful while the data keeps moving.
pub fn should_resurface(previous_score: f64, previous_rules: &[Rule], new_score: f64, new_rules: &[Rule]) -> bool {
    let new_rule = new_rules.iter().any(|r| !previous_rules.contains(r));
    // The epsilon keeps 0.40 -> 0.55 a rise of 0.15 despite binary fractions.
    new_rule || new_score - previous_score >= RESURFACE_RISE - 1e-9
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(id: &str, score: f64) -> Draft {
        let mut d = Draft::new(Uuid::from_u128(7), id, id.to_uppercase());
        d.evidence.push(Evidence::new(Rule::ProjectName, score, format!("because {id}")));
        d
    }

    #[test]
    fn noisy_or_combines_and_caps_below_one() {
        assert!((combine(&[0.5, 0.5], false) - 0.75).abs() < 1e-12);
        assert_eq!(combine(&[0.9, 0.95, 0.99], false), CAP);
        assert_eq!(combine(&[1.0, 0.2], true), 1.0);
        assert_eq!(combine(&[], false), 0.0);
        assert_eq!(combine(&[-3.0, 7.0], true), 1.0);
    }

    #[test]
    fn threshold_drops_noise() {
        let out = finish(vec![draft("weak", MIN_SCORE - 0.01), draft("ok", MIN_SCORE)], &Holders::new());
        assert_eq!(out.iter().map(|s| s.external_id.as_str()).collect::<Vec<_>>(), vec!["ok"]);
    }

    #[test]
    fn ties_break_on_ids_and_conflicts_go_last() {
        let c = Uuid::from_u128(7);
        let holders = Holders::new().held_by_other(c, "a", "Other project").held_by_subject(c, "mine");
        let out = finish(vec![draft("c", 0.5), draft("a", 0.9), draft("b", 0.5), draft("mine", 0.9), draft("d", 0.6)], &holders);
        let ids: Vec<&str> = out.iter().map(|s| s.external_id.as_str()).collect();
        assert_eq!(ids, vec!["d", "b", "c", "a"]);
        assert_eq!(out[3].conflict.as_deref(), Some("Other project"));
        assert!(out[..3].iter().all(|s| s.conflict.is_none()));
    }

    #[test]
    fn duplicates_keep_the_best_and_factor_lowers_score() {
        let mut low = draft("x", 0.9);
        low.factor = 0.5;
        let out = finish(vec![low, draft("x", 0.8)], &Holders::new());
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].score, 0.8);
    }

    #[test]
    fn resurfaces_only_on_new_rule_or_clear_rise() {
        use Rule::*;
        assert!(!should_resurface(0.6, &[ProjectName], 0.6, &[ProjectName]));
        assert!(!should_resurface(0.6, &[ProjectName], 0.74, &[ProjectName]));
        assert!(should_resurface(0.40, &[ProjectName], 0.55, &[ProjectName]));
        assert!(should_resurface(0.6, &[ProjectName], 0.5, &[ProjectName, CommitKeys]));
        assert!(!should_resurface(0.6, &[ProjectName, CommitKeys], 0.6, &[CommitKeys]));
        assert!(!should_resurface(0.9, &[Email], 0.5, &[Email]));
    }
}
