//! Email addresses for rule 5: the exact, plus-addressed and alias-domain matches, and the
//! addresses that never identify a person (no-reply senders, shared mailboxes).

use super::normalize::split_words;

/// An exact address (case-insensitive) is the one certain piece of evidence there is.
pub(crate) const EMAIL_EXACT: f64 = 1.0;
/// Same mailbox with a +tag on one side: delivered to the same person.
pub(crate) const EMAIL_PLUS: f64 = 0.95;
/// Same mailbox on another of the organisation's domains: almost always the same person, but
/// alias domains can come from a merger where mailbox names were reassigned.
pub(crate) const EMAIL_ALIAS: f64 = 0.9;

/// Mailbox words of shared or role addresses: they belong to a function, not a person.
const SHARED_MAILBOXES: &[&str] = &["helpdesk", "build", "builds", "ci", "admin", "administrator", "support", "team", "info", "root", "postmaster", "servicedesk", "devops"];

/// A parsed address, lower case; `mailbox` is the local part without its +tag.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Address {
    pub full: String,
    pub mailbox: String,
    pub domain: String,
}

pub(crate) fn parse_address(s: &str) -> Option<Address> {
    let full = s.trim().to_lowercase();
    let (local, domain) = full.rsplit_once('@')?;
    let mailbox = local.split('+').next().unwrap_or(local).to_owned();
    if mailbox.is_empty() || domain.is_empty() {
        return None;
    }
    Some(Address { domain: domain.to_owned(), mailbox, full })
}

/// Automated senders: GitHub's `users.noreply`, `noreply@`, `no-reply@`, `donotreply@`.
pub(crate) fn is_no_reply(a: &Address) -> bool {
    let squashed: String = a.full.chars().filter(|c| c.is_alphanumeric() || *c == '@' || *c == '.').collect();
    squashed.contains("noreply") || squashed.contains("donotreply")
}

/// A role address: any word of the mailbox is a shared-mailbox word ("helpdesk@", "ci-builds@",
/// "mobile-team@").
pub(crate) fn is_shared_mailbox(a: &Address) -> bool {
    split_words(&a.mailbox, false).iter().any(|w| SHARED_MAILBOXES.contains(&w.as_str()))
}

/// Whether a bare name (username, display name) is a shared-mailbox word on its own, such as a
/// Slack user called "helpdesk" or a Jira user called "Build".
pub(crate) fn is_shared_name(s: &str) -> bool {
    // Trailing digits ("admin2", "ci-01") number role accounts; they do not make them personal.
    let w: Vec<String> = split_words(s, false).iter().map(|w| w.trim_end_matches(|c: char| c.is_ascii_digit()).to_owned()).filter(|w| !w.is_empty()).collect();
    !w.is_empty() && w.iter().all(|w| SHARED_MAILBOXES.contains(&w.as_str()) || w == "account")
}

/// How `candidate` matches `subject`: score, description. `org_domains` must be lower case.
pub(crate) fn email_match(subject: &Address, candidate: &Address, org_domains: &[String]) -> Option<(f64, &'static str)> {
    if subject.full == candidate.full {
        return Some((EMAIL_EXACT, "email matches exactly"));
    }
    if subject.mailbox != candidate.mailbox {
        return None;
    }
    if subject.domain == candidate.domain {
        return Some((EMAIL_PLUS, "same mailbox apart from the +tag"));
    }
    let is_org = |d: &str| org_domains.iter().any(|o| o == d);
    if is_org(&subject.domain) && is_org(&candidate.domain) {
        return Some((EMAIL_ALIAS, "same mailbox on an alias domain of the organisation"));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a(s: &str) -> Address {
        parse_address(s).unwrap()
    }

    fn orgs() -> Vec<String> {
        vec!["acme.test".into(), "initech.test".into()]
    }

    #[test]
    fn parses_and_strips_tags() {
        assert_eq!(a(" John.Doe+Tools@ACME.test "), Address { full: "john.doe+tools@acme.test".into(), mailbox: "john.doe".into(), domain: "acme.test".into() });
        assert_eq!(parse_address("no-at-sign"), None);
        assert_eq!(parse_address("@acme.test"), None);
        assert_eq!(parse_address("+x@acme.test"), None);
    }

    #[test]
    fn exact_plus_and_alias_matches() {
        let john = a("john.doe@acme.test");
        assert_eq!(email_match(&john, &a("JOHN.DOE@ACME.TEST"), &orgs()).map(|m| m.0), Some(EMAIL_EXACT));
        assert_eq!(email_match(&john, &a("john.doe+tools@acme.test"), &orgs()).map(|m| m.0), Some(EMAIL_PLUS));
        assert_eq!(email_match(&john, &a("john.doe@initech.test"), &orgs()).map(|m| m.0), Some(EMAIL_ALIAS));
        assert_eq!(email_match(&john, &a("john.doe@gmail.test"), &orgs()), None);
        assert_eq!(email_match(&john, &a("jane.doe@acme.test"), &orgs()), None);
    }

    #[test]
    fn automated_and_shared_addresses() {
        for s in ["noreply@github.test", "no-reply@acme.test", "12345+jdoe@users.noreply.github.test", "do_not_reply@acme.test"] {
            assert!(is_no_reply(&a(s)), "{s}");
        }
        for s in ["helpdesk@acme.test", "ci@acme.test", "build@acme.test", "mobile-team@acme.test", "admin+alerts@acme.test"] {
            assert!(is_shared_mailbox(&a(s)), "{s}");
        }
        assert!(!is_no_reply(&a("john.doe@acme.test")) && !is_shared_mailbox(&a("john.doe@acme.test")));
        assert!(!is_shared_mailbox(&a("tina.teams@acme.test")));
        assert!(is_shared_name("Build Account") && is_shared_name("helpdesk") && is_shared_name("admin2"));
        assert!(!is_shared_name("John Admin-Smith") && !is_shared_name(""));
    }
}
