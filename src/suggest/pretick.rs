//! Which suggestions the link dialog starts ticked. A tick is one key press from a link, so only
//! what the evidence settles starts ticked: a linkable candidate (no look-alike, held by no one
//! else) at or above [`STRONG`], and never one of two candidates that score the same for the
//! same connection and platform — a tie means the evidence does not tell them apart.

/// The score at or above which a linkable suggestion starts ticked.
pub const STRONG: f64 = 0.8;

/// Scores closer than this read as equal (the dialog shows them as the same percentage).
const TIE: f64 = 0.005;

/// What the rule needs of one suggestion.
#[derive(Clone, Debug, PartialEq)]
pub struct Tickable<'a> {
    pub score: f64,
    /// Neither a look-alike nor held by another entity.
    pub linkable: bool,
    /// Candidates compete within one connection and platform.
    pub rivals_by: (&'a str, uuid::Uuid),
}

/// One flag per suggestion, in the order given.
pub fn preticks(list: &[Tickable<'_>]) -> Vec<bool> {
    list.iter()
        .enumerate()
        .map(|(i, s)| {
            let tied = list.iter().enumerate().any(|(j, o)| j != i && o.linkable && o.rivals_by == s.rivals_by && (o.score - s.score).abs() < TIE);
            s.linkable && s.score >= STRONG && !tied
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    fn t(score: f64, linkable: bool) -> Tickable<'static> {
        Tickable { score, linkable, rivals_by: ("jira", Uuid::nil()) }
    }

    #[test]
    fn only_strong_linkable_candidates_start_ticked() {
        let list = [t(0.95, false), t(0.9, true), t(0.85, true), t(0.79, true), t(0.66, true)];
        assert_eq!(preticks(&list), vec![false, true, true, false, false]);
        assert_eq!(preticks(&[t(0.66, true)]), vec![false], "a weak name-only match is never one Enter away, even alone");
        assert_eq!(preticks(&[]), Vec::<bool>::new());
    }

    #[test]
    fn two_tied_candidates_are_both_left_for_the_person() {
        assert_eq!(preticks(&[t(0.9, true), t(0.9, true), t(0.82, true)]), vec![false, false, true]);
        // A tie with a candidate that cannot be linked anyway is no tie.
        assert_eq!(preticks(&[t(0.9, true), t(0.9, false)]), vec![true, false]);
        // Nor with one on another connection.
        let other = Tickable { score: 0.9, linkable: true, rivals_by: ("jira", Uuid::from_u128(1)) };
        assert_eq!(preticks(&[t(0.9, true), other]), vec![true, true]);
    }
}
