//! Blocking for rule 5 on large organisations: comparing every person with every account is
//! quadratic (5,000 people × 18,000 accounts), so accounts are first indexed by the keys any of
//! the rule's matches needs, and a person is scored only against accounts sharing a key.
//!
//! The keys follow the rule's own definitions, so blocking drops nothing the rule would find,
//! except names where both the first and last name differ fuzzily, or the initial differs:
//! - `m:` the mailbox (email matches need the same mailbox);
//! - `u:` the flat username (a username matches only in the shapes the person's name or
//!   mailbox spells, enumerated on the person's side);
//! - names: last name with the first two letters of the first name (raw and nickname-folded:
//!   "Bob" ~ "Robert", "Jon" ~ "John"), last name with an initial where either side has only one
//!   ("J. Doe"), and first name with the last initial (misspelt last names); both orders on the
//!   account side ("Doe John").

use super::accounts::{never_a_person, suggest_among};
use super::emails::parse_address;
use super::names::{canonical, flat_username, parse_name, PersonName};
use super::types::{AccountCandidate, Holders, PersonSubject, Suggestion};
use std::collections::HashMap;

fn initial(w: &str) -> &str {
    &w[..w.chars().next().map_or(0, char::len_utf8)]
}

fn prefix2(w: &str) -> &str {
    &w[..w.char_indices().nth(2).map_or(w.len(), |(i, _)| i)]
}

fn is_initial(w: &str) -> bool {
    w.chars().count() == 1
}

/// Name keys of one ordering of a name. `subject` flips which side of the initial keys it
/// takes: a subject's full first name meets accounts showing only its initial (`i:`), an
/// account's full first name meets subjects given only an initial (`x:`).
fn name_keys(n: &PersonName, subject: bool, out: &mut Vec<String>) {
    let (last, first) = (n.last.as_str(), n.first.as_str());
    if is_initial(first) {
        out.push(format!("{}:{last}|{first}", if subject { "x" } else { "i" }));
        return;
    }
    let canon = canonical(first);
    out.push(format!("p:{last}|{}", prefix2(first)));
    out.push(format!("p:{last}|{}", prefix2(canon)));
    out.push(format!("{}:{last}|{}", if subject { "i" } else { "x" }, initial(first)));
    out.push(format!("{}:{last}|{}", if subject { "i" } else { "x" }, initial(canon)));
    out.push(format!("f:{canon}|{}", initial(last)));
}

fn account_keys(c: &AccountCandidate) -> Vec<String> {
    let mut keys = Vec::new();
    if let Some(a) = c.email.as_deref().and_then(parse_address) {
        keys.push(format!("m:{}", a.mailbox));
    }
    if let Some(u) = c.username.as_deref().map(flat_username).filter(|u| u.len() >= 3) {
        keys.push(format!("u:{u}"));
    }
    if let Some(n) = c.display_name.as_deref().and_then(parse_name) {
        name_keys(&n, false, &mut keys);
        // Read family name first too, with the given name as its last word or all the rest.
        let family_first = |first: &str| PersonName { first: first.to_owned(), last: n.first.clone(), given: first.to_owned(), rest: String::new() };
        name_keys(&family_first(&n.last), false, &mut keys);
        name_keys(&family_first(&n.rest), false, &mut keys);
    }
    keys
}

fn subject_keys(subject: &PersonSubject) -> Vec<String> {
    let mut keys = Vec::new();
    if let Some(a) = parse_address(&subject.email) {
        keys.push(format!("m:{}", a.mailbox));
        keys.push(format!("u:{}", flat_username(&a.mailbox)));
    }
    if let Some(n) = parse_name(&subject.name) {
        name_keys(&n, true, &mut keys);
        let l = n.last.as_str();
        for f in [n.first.as_str(), canonical(&n.first)] {
            for shape in [format!("{f}{l}"), format!("{l}{f}"), format!("{}{l}", initial(f)), format!("{f}{}", initial(l)), format!("{l}{}", initial(f))] {
                keys.push(format!("u:{}", flat_username(&shape)));
            }
        }
    }
    keys.sort();
    keys.dedup();
    keys
}

/// Accounts indexed by blocking key; build once, query per person.
pub struct AccountIndex<'a> {
    candidates: &'a [AccountCandidate],
    by_key: HashMap<String, Vec<usize>>,
}

impl<'a> AccountIndex<'a> {
    /// Indexes every account that could ever be a person's (bots and shared ones are left out).
    pub fn new(candidates: &'a [AccountCandidate]) -> Self {
        let mut by_key: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, c) in candidates.iter().enumerate().filter(|(_, c)| !never_a_person(c)) {
            let mut keys = account_keys(c);
            keys.sort();
            keys.dedup();
            for k in keys {
                by_key.entry(k).or_default().push(i);
            }
        }
        Self { candidates, by_key }
    }

    /// The accounts sharing a key with `subject`, in input order.
    pub fn candidates_for(&self, subject: &PersonSubject) -> Vec<&'a AccountCandidate> {
        let mut hits: Vec<usize> = subject_keys(subject).iter().filter_map(|k| self.by_key.get(k)).flatten().copied().collect();
        hits.sort_unstable();
        hits.dedup();
        hits.into_iter().map(|i| &self.candidates[i]).collect()
    }
}

/// [`super::suggest_accounts`] over the accounts of `index` that share a blocking key with
/// `subject`: the same suggestions for all but doubly fuzzy names, in far less time.
pub fn suggest_accounts_indexed(subject: &PersonSubject, index: &AccountIndex<'_>, org_domains: &[String], holders: &Holders) -> Vec<Suggestion> {
    suggest_among(subject, index.candidates_for(subject), org_domains, holders)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::AccountPlatform;
    use crate::suggest::suggest_accounts;
    use uuid::Uuid;

    fn acct(id: &str, username: Option<&str>, name: Option<&str>, email: Option<&str>) -> AccountCandidate {
        AccountCandidate { connection_id: Uuid::from_u128(3), platform: AccountPlatform::Github, external_id: id.into(), username: username.map(Into::into), display_name: name.map(Into::into), email: email.map(Into::into), is_bot: false, active: true }
    }

    #[test]
    fn blocking_finds_what_the_full_scan_finds() {
        let accounts = vec![
            acct("1", Some("jdoe"), None, None),
            acct("2", None, Some("Doe, John"), None),
            acct("3", None, None, Some("JOHN.DOE+x@acme.test")),
            acct("4", Some("robert.smith"), Some("Bob Smith"), None),
            acct("5", None, Some("J. Doe"), None),
            acct("6", Some("jane"), Some("Jane Roe"), Some("jane.roe@acme.test")),
            acct("7", Some("doej7"), Some("Jon Doe"), None),
            acct("8", Some("dependabot[bot]"), None, Some("john.doe@acme.test")),
            acct("9", None, Some("Doe John"), Some("john.doe@initech.test")),
        ];
        let domains = vec!["acme.test".to_owned(), "initech.test".to_owned()];
        let index = AccountIndex::new(&accounts);
        for (name, email) in [("John Doe", "john.doe@acme.test"), ("Robert Smith", "rob@acme.test"), ("Jane Roe", "jane.roe@acme.test"), ("Nobody Here", "x@y.test")] {
            let subject = PersonSubject { name: name.into(), email: email.into(), namesakes: Vec::new() };
            assert_eq!(suggest_accounts_indexed(&subject, &index, &domains, &Holders::new()), suggest_accounts(&subject, &accounts, &domains, &Holders::new()), "{name}");
        }
        let john = PersonSubject { name: "John Doe".into(), email: "john.doe@acme.test".into(), namesakes: Vec::new() };
        assert!(index.candidates_for(&john).iter().all(|c| c.external_id != "6" && c.external_id != "8"), "unrelated and bot accounts are not scored");
    }
}
