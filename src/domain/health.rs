//! Link health: which links need a person's attention. Pure rules over the links an entity
//! holds; the services feed them and the UI shows the result as a badge and on the health page.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// How long an active link may go without a sync before it counts as stale. The sync engine
/// syncs every link at least daily, so a link older than that has fallen behind.
pub const STALE_AFTER_HOURS: i64 = 24;

/// Why one link needs attention.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkProblem {
    /// Not found upstream at the last validation: its data is kept but nothing new syncs.
    Unverified,
    /// Active and never synced.
    NeverSynced,
    /// Active and last synced longer ago than `STALE_AFTER_HOURS`.
    Stale,
}

impl LinkProblem {
    pub fn label(self) -> &'static str {
        match self {
            LinkProblem::Unverified => "unverified",
            LinkProblem::NeverSynced => "never synced",
            LinkProblem::Stale => "stale sync",
        }
    }
}

/// The problem of one link, the most serious first: an unverified link is reported as such
/// whatever its sync state; inactive links are not expected to sync.
pub fn link_problem(verified: bool, active: bool, last_synced: Option<DateTime<Utc>>, now: DateTime<Utc>) -> Option<LinkProblem> {
    if !verified {
        return Some(LinkProblem::Unverified);
    }
    if !active {
        return None;
    }
    match last_synced {
        None => Some(LinkProblem::NeverSynced),
        Some(at) if now - at > Duration::hours(STALE_AFTER_HOURS) => Some(LinkProblem::Stale),
        Some(_) => None,
    }
}

/// Counts of a project's (or person's) link problems, for the badge.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HealthCounts {
    pub links: usize,
    pub unverified: usize,
    pub never_synced: usize,
    pub stale: usize,
}

impl HealthCounts {
    pub fn of(problems: impl IntoIterator<Item = Option<LinkProblem>>) -> Self {
        let mut c = HealthCounts::default();
        for p in problems {
            c.links += 1;
            match p {
                Some(LinkProblem::Unverified) => c.unverified += 1,
                Some(LinkProblem::NeverSynced) => c.never_synced += 1,
                Some(LinkProblem::Stale) => c.stale += 1,
                None => {}
            }
        }
        c
    }

    /// The badge text: the worst problem with its count, "no links", or "healthy".
    pub fn summary(&self) -> (Severity, String) {
        if self.links == 0 {
            (Severity::Neutral, "no links".into())
        } else if self.unverified > 0 {
            (Severity::Bad, format!("{} unverified", self.unverified))
        } else if self.stale > 0 {
            (Severity::Warn, format!("{} stale", self.stale))
        } else if self.never_synced > 0 {
            (Severity::Warn, format!("{} never synced", self.never_synced))
        } else {
            (Severity::Good, "healthy".into())
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Severity {
    Good,
    Neutral,
    Warn,
    Bad,
}

impl super::Project {
    pub fn link_health(&self, now: DateTime<Utc>) -> HealthCounts {
        let jira = self.jira_projects.iter().map(|l| link_problem(l.verified, l.active, l.last_synced, now));
        let repos = self.repositories.iter().map(|l| link_problem(l.verified, l.active, l.last_synced, now));
        HealthCounts::of(jira.chain(repos))
    }
}


/// One link that needs attention, with who holds it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HealthLink {
    pub owner_type: String,
    /// Project key or person id (what the page links to).
    pub owner_id: String,
    pub owner_label: String,
    pub link_id: Uuid,
    pub platform: String,
    pub label: String,
    pub problem: LinkProblem,
    pub last_synced: Option<DateTime<Utc>>,
}

/// A dismissed suggestion that came back because its evidence changed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReopenedSuggestion {
    pub at: DateTime<Utc>,
    pub entity_type: String,
    pub entity_id: String,
    pub label: String,
    pub score_before: Option<f64>,
    pub score_after: Option<f64>,
    pub evidence: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HealthReport {
    pub links: Vec<HealthLink>,
    pub conflicts: Vec<SuggestionConflict>,
    pub reopened: Vec<ReopenedSuggestion>,
}

/// An open suggestion whose external entity another Velocity entity links.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SuggestionConflict {
    pub suggestion_id: Uuid,
    pub target_type: String,
    pub target_id: Uuid,
    /// The project key or the person's name the suggestion is for.
    pub target_label: String,
    pub label: String,
    pub platform: String,
    pub score: f64,
    /// Who links the external entity now.
    pub holder: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        "2026-11-25T12:00:00Z".parse().unwrap()
    }

    #[test]
    fn unverified_wins_over_sync_state_and_activity() {
        assert_eq!(link_problem(false, true, Some(now()), now()), Some(LinkProblem::Unverified));
        assert_eq!(link_problem(false, false, None, now()), Some(LinkProblem::Unverified));
    }

    #[test]
    fn inactive_links_are_not_expected_to_sync() {
        assert_eq!(link_problem(true, false, None, now()), None);
    }

    #[test]
    fn stale_only_after_the_schedule() {
        let just = now() - Duration::hours(STALE_AFTER_HOURS);
        assert_eq!(link_problem(true, true, Some(just), now()), None);
        let late = just - Duration::minutes(1);
        assert_eq!(link_problem(true, true, Some(late), now()), Some(LinkProblem::Stale));
        assert_eq!(link_problem(true, true, None, now()), Some(LinkProblem::NeverSynced));
    }

    #[test]
    fn badge_names_the_worst_problem() {
        assert_eq!(HealthCounts::of([]).summary(), (Severity::Neutral, "no links".into()));
        assert_eq!(HealthCounts::of([None, None]).summary(), (Severity::Good, "healthy".into()));
        let mixed = HealthCounts::of([Some(LinkProblem::NeverSynced), Some(LinkProblem::Stale), Some(LinkProblem::Unverified)]);
        assert_eq!(mixed.summary(), (Severity::Bad, "1 unverified".into()));
        assert_eq!(HealthCounts::of([Some(LinkProblem::NeverSynced), None]).summary(), (Severity::Warn, "1 never synced".into()));
    }
}
