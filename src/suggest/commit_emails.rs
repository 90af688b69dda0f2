//! Rule 5 for commit identities: which author e-mails of unattributed commits are the person's.
//! The same evidence as for accounts (exact, +tag, the organisation's alias domains); automated
//! senders, bots and shared mailboxes never identify a person.

use super::emails::{email_match, is_no_reply, is_shared_mailbox, parse_address, Address};
use super::normalize::split_words;
use crate::domain::commit_identity::CommitEmailSuggestion;

/// Bots commit under their own addresses (`dependabot[bot]@…`, `renovate-bot@…`).
fn is_bot(a: &Address) -> bool {
    a.full.contains("[bot]") || split_words(&a.mailbox, false).iter().any(|w| w == "bot")
}

/// Why an address can never be a commit identity, in words a person can act on.
pub fn refusal(raw: &str) -> Option<String> {
    let Some(a) = parse_address(raw) else {
        return Some(format!("'{}' is not an e-mail address", raw.trim()));
    };
    if is_no_reply(&a) {
        return Some(format!("{} is an automated no-reply address; it never identifies a person", a.full));
    }
    if is_bot(&a) {
        return Some(format!("{} is a bot's address; it never identifies a person", a.full));
    }
    if is_shared_mailbox(&a) {
        return Some(format!("{} is a shared mailbox; it never identifies one person", a.full));
    }
    None
}

/// The mailbox (local part without its +tag, lower case) that candidates for `person_email`
/// share; `None` when it is not an address.
pub fn mailbox(person_email: &str) -> Option<String> {
    parse_address(person_email).map(|a| a.mailbox)
}

/// The person's suggestions among `candidates` (address, unattributed commits), best first
/// (score, then address). `held` are addresses linked already (to anyone): never suggested.
pub fn suggest_commit_emails(person_email: &str, candidates: &[(String, i64)], org_domains: &[String], held: &[String]) -> Vec<CommitEmailSuggestion> {
    let Some(me) = parse_address(person_email) else { return Vec::new() };
    let domains: Vec<String> = org_domains.iter().map(|d| d.trim().trim_start_matches('@').to_lowercase()).collect();
    let mut out: Vec<CommitEmailSuggestion> = candidates
        .iter()
        .filter(|(email, _)| refusal(email).is_none())
        .filter_map(|(email, commits)| {
            let theirs = parse_address(email)?;
            if held.contains(&theirs.full) {
                return None;
            }
            let (score, reason) = email_match(&me, &theirs, &domains)?;
            Some(CommitEmailSuggestion { email: theirs.full, score, reason: reason.to_owned(), commits: *commits })
        })
        .collect();
    out.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.email.cmp(&b.email)));
    out.dedup_by(|a, b| a.email == b.email);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(list: &[(&str, i64)]) -> Vec<(String, i64)> {
        list.iter().map(|(e, n)| (e.to_string(), *n)).collect()
    }

    #[test]
    fn exact_plus_and_alias_addresses_rank_in_that_order() {
        let got = suggest_commit_emails(
            "Ana.Silva@acme.test",
            &c(&[("ana.silva@initech.test", 2), ("ana.silva+work@acme.test", 5), ("ana.silva@acme.test", 9), ("ana.silva@gmail.test", 4)]),
            &["acme.test".into(), "initech.test".into()],
            &[],
        );
        let emails: Vec<_> = got.iter().map(|s| (s.email.as_str(), s.commits)).collect();
        assert_eq!(emails, [("ana.silva@acme.test", 9), ("ana.silva+work@acme.test", 5), ("ana.silva@initech.test", 2)]);
        assert_eq!(got[0].reason, "email matches exactly");
    }

    #[test]
    fn automated_bot_shared_and_held_addresses_are_never_suggested() {
        let got = suggest_commit_emails(
            "ci@acme.test",
            &c(&[("ci@acme.test", 40)]),
            &["acme.test".into()],
            &[],
        );
        assert!(got.is_empty(), "a shared mailbox is nobody's identity");
        let got = suggest_commit_emails("ana@acme.test", &c(&[("ana@acme.test", 3)]), &[], &["ana@acme.test".into()]);
        assert!(got.is_empty(), "an address linked already is not suggested again");
        for raw in ["noreply@github.test", "49699333+dependabot[bot]@users.noreply.github.test", "renovate-bot@acme.test", "build@acme.test", "nonsense"] {
            assert!(refusal(raw).is_some(), "{raw}");
        }
        assert_eq!(refusal(" Ana@Acme.test "), None);
    }
}
