//! Person names and usernames (rule 5's weaker evidence): diacritics folded, "Doe, John" read as
//! "John Doe", initials ("J. Doe"), common nicknames (Bob = Robert), and the usual username
//! shapes (`john.doe`, `jdoe`, `johnd`, `doej`, `john-doe`, trailing digits ignored).

use super::normalize::{fold, split_words};

/// Nickname or variant spelling → the form both sides are compared in.
const NICKNAMES: &[(&str, &str)] = &[
    ("bob", "robert"), ("bobby", "robert"), ("rob", "robert"), ("robbie", "robert"),
    ("bill", "william"), ("billy", "william"), ("will", "william"), ("willy", "william"),
    ("liz", "elizabeth"), ("lizzie", "elizabeth"), ("beth", "elizabeth"), ("betty", "elizabeth"), ("eliza", "elizabeth"),
    ("mike", "michael"), ("mikey", "michael"), ("mick", "michael"),
    ("kate", "katherine"), ("katie", "katherine"), ("kathy", "katherine"), ("kat", "katherine"), ("catherine", "katherine"), ("kathryn", "katherine"),
    ("jen", "jennifer"), ("jenn", "jennifer"), ("jenny", "jennifer"),
    ("dan", "daniel"), ("danny", "daniel"),
    ("tom", "thomas"), ("tommy", "thomas"),
    ("alex", "alexander"),
    ("sam", "samuel"), ("sammy", "samuel"),
    ("becky", "rebecca"), ("becca", "rebecca"),
    ("johnny", "john"),
    ("peggy", "margaret"), ("maggie", "margaret"), ("meg", "margaret"),
];

/// A full-name match is good evidence but namesakes exist, so it stays well below an email.
const NAME_WEIGHT: f64 = 0.7;
/// How much each kind of first-name agreement keeps of [`NAME_WEIGHT`].
const FIRST_NICKNAME: f64 = 0.85;
const FIRST_INITIAL: f64 = 0.7;
const FIRST_FUZZY: f64 = 0.65;
const LAST_INITIAL: f64 = 0.6;
const LAST_FUZZY: f64 = 0.8;
/// "Doe John" without a comma might be either order; a little less sure than "Doe, John".
const SWAPPED: f64 = 0.9;
/// Jaro-Winkler at or above which two name words are one name misspelt ("Jon" ~ "John").
const FUZZY_FIRST: f64 = 0.9;
const FUZZY_LAST: f64 = 0.93;

/// Username spells the whole name (`john.doe`, `doe_john`).
const USER_FULL: f64 = 0.6;
/// Username equals the person's mailbox name.
const USER_MAILBOX: f64 = 0.5;
/// Username abbreviates the name (`jdoe`, `johnd`, `doej`): common, so weaker.
const USER_SHORT: f64 = 0.45;

pub(crate) fn canonical(word: &str) -> &str {
    NICKNAMES.iter().find(|(nick, _)| *nick == word).map_or(word, |(_, full)| full)
}

/// A person's name as first and last word, folded; middle names are ignored. `given` joins
/// every word before the last and `rest` every word after the first, so a given name written
/// with a space ("Soo Jin Cho") meets one written with a hyphen or none ("Soojin Cho"), in
/// either order of family and given name.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct PersonName {
    pub first: String,
    pub last: String,
    pub given: String,
    pub rest: String,
}

/// Parses "John Doe", "Doe, John", "J. Doe", "Zoë Álvarez", "Cho, Soo-jin" (a hyphen inside a
/// name joins: "soojin"). None for a single word: "John" alone matches every John.
pub(crate) fn parse_name(s: &str) -> Option<PersonName> {
    let ordered = match s.split_once(',') {
        Some((last, first)) => format!("{first} {last}"),
        None => s.to_owned(),
    };
    let joined: String = ordered.chars().filter(|c| !matches!(c, '-' | '\u{2010}' | '\u{2011}')).collect();
    let w = split_words(&joined, false);
    match (w.first(), w.last()) {
        (Some(first), Some(last)) if w.len() >= 2 => Some(PersonName { first: first.clone(), last: last.clone(), given: w[..w.len() - 1].concat(), rest: w[1..].concat() }),
        _ => None,
    }
}

fn is_initial(w: &str) -> bool {
    w.chars().count() == 1
}

fn initial_of(initial: &str, word: &str) -> bool {
    is_initial(initial) && word.starts_with(initial)
}

/// How well two first names agree, with a word for the evidence.
fn first_factor(a: &str, b: &str) -> Option<(f64, &'static str)> {
    if a == b {
        Some((1.0, "exactly"))
    } else if canonical(a) == canonical(b) {
        Some((FIRST_NICKNAME, "by nickname"))
    } else if initial_of(a, b) || initial_of(b, a) {
        Some((FIRST_INITIAL, "by initial"))
    } else if a.len() >= 3 && b.len() >= 3 && strsim::jaro_winkler(a, b) >= FUZZY_FIRST {
        Some((FIRST_FUZZY, "closely"))
    } else {
        None
    }
}

fn last_factor(a: &str, b: &str) -> Option<(f64, &'static str)> {
    if a == b {
        Some((1.0, "exactly"))
    } else if initial_of(a, b) || initial_of(b, a) {
        Some((LAST_INITIAL, "by initial"))
    } else if a.len() >= 3 && b.len() >= 3 && strsim::jaro_winkler(a, b) >= FUZZY_LAST {
        Some((LAST_FUZZY, "closely"))
    } else {
        None
    }
}

/// The best agreement of any of `a`'s given-name forms with any of `b`'s.
fn best_first(a: &[&str], b: &[&str]) -> Option<(f64, &'static str)> {
    a.iter().flat_map(|x| b.iter().filter_map(move |y| first_factor(x, y))).max_by(|x, y| x.0.total_cmp(&y.0))
}

fn ordered_match(a_first: &[&str], a_last: &str, b_first: &[&str], b_last: &str) -> Option<(f64, &'static str)> {
    let (a_initial, b_initial) = (is_initial(a_first[0]), is_initial(b_first[0]));
    let (f, how_first) = best_first(a_first, b_first)?;
    let (l, how_last) = last_factor(a_last, b_last)?;
    // Two initials ("J. D.") identify nobody.
    if a_initial && is_initial(a_last) || b_initial && is_initial(b_last) {
        return None;
    }
    let how = if how_first == "exactly" { how_last } else { how_first };
    Some((NAME_WEIGHT * f * l, how))
}

/// Score in [0, 1] and how the names agree ("exactly", "by nickname", "by initial", "closely").
pub(crate) fn name_match(a: &PersonName, b: &PersonName) -> Option<(f64, &'static str)> {
    let a_given = [a.first.as_str(), a.given.as_str()];
    let straight = ordered_match(&a_given, &a.last, &[b.first.as_str(), b.given.as_str()], &b.last);
    // `b` read family name first: "Cho Soo-jin", "Cho Soo Jin".
    let swapped = ordered_match(&a_given, &a.last, &[b.last.as_str(), b.rest.as_str()], &b.first).map(|(s, how)| (s * SWAPPED, how));
    match (straight, swapped) {
        (Some(x), Some(y)) => Some(if y.0 > x.0 { y } else { x }),
        (x, y) => x.or(y),
    }
}

/// A username folded, without separators, email domain, plus tag or trailing digits:
/// "John.Doe42" → "johndoe".
pub(crate) fn flat_username(s: &str) -> String {
    // Plus tags and domains say nothing about who it is.
    let local = s.split(['@', '+']).next().unwrap_or(s);
    let flat: String = fold(local).chars().filter(|c| c.is_alphanumeric()).collect();
    flat.trim_end_matches(|c: char| c.is_ascii_digit()).to_owned()
}

/// Evidence that `username` belongs to the person: it spells the name, abbreviates it, or equals
/// the person's mailbox name. Returns the score and what it matched.
pub(crate) fn username_match(name: Option<&PersonName>, mailbox: Option<&str>, username: &str) -> Option<(f64, &'static str)> {
    let user = flat_username(username);
    if user.len() < 3 {
        return None;
    }
    let mut best: Option<(f64, &'static str)> = None;
    let mut consider = |score: f64, how: &'static str| {
        if best.is_none_or(|(b, _)| score > b) {
            best = Some((score, how));
        }
    };
    if let Some(n) = name.filter(|n| !is_initial(&n.last)) {
        let mut firsts = vec![n.first.clone(), canonical(&n.first).to_owned()];
        firsts.dedup();
        for first in firsts.iter().filter(|f| !f.is_empty()) {
            let (f, l) = (first.as_str(), n.last.as_str());
            let (fi, li) = (&f[..f.chars().next().map_or(0, char::len_utf8)], &l[..l.chars().next().map_or(0, char::len_utf8)]);
            if !is_initial(f) && (user == format!("{f}{l}") || user == format!("{l}{f}")) {
                consider(USER_FULL, "spells");
            }
            if [format!("{fi}{l}"), format!("{f}{li}"), format!("{l}{fi}")].contains(&user) {
                consider(USER_SHORT, "abbreviates");
            }
        }
    }
    if let Some(m) = mailbox.map(flat_username).filter(|m| m.len() >= 3) {
        if m == user {
            consider(USER_MAILBOX, "is the mailbox name of");
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> PersonName {
        parse_name(s).unwrap()
    }

    #[test]
    fn parses_order_initials_and_diacritics() {
        assert_eq!(n("Doe, John"), n("John Doe"));
        assert_eq!(n("J. Doe"), PersonName { first: "j".into(), last: "doe".into(), given: "j".into(), rest: "doe".into() });
        assert_eq!(n("Zoë Álvarez"), n("Zoe Alvarez"));
        let middle = n("John Michael Doe");
        assert_eq!((middle.first.as_str(), middle.last.as_str()), ("john", "doe"));
        assert_eq!(parse_name("John"), None);
        assert_eq!(parse_name("  "), None);
    }

    #[test]
    fn name_agreement_levels() {
        let john = n("John Doe");
        assert_eq!(name_match(&john, &n("Doe, John")), Some((NAME_WEIGHT, "exactly")));
        assert_eq!(name_match(&n("Zoë Álvarez"), &n("Zoe Alvarez")), Some((NAME_WEIGHT, "exactly")));
        assert_eq!(name_match(&n("Robert Smith"), &n("Bob Smith")).map(|m| m.1), Some("by nickname"));
        assert_eq!(name_match(&john, &n("J. Doe")).map(|m| m.1), Some("by initial"));
        assert_eq!(name_match(&john, &n("Jon Doe")).map(|m| m.1), Some("closely"));
        assert!(name_match(&john, &n("Doe John")).is_some_and(|(s, _)| s < NAME_WEIGHT));
        assert_eq!(name_match(&john, &n("Jane Doe")), None);
        assert_eq!(name_match(&john, &n("J. D.")), None);
        assert_eq!(name_match(&john, &n("John Smith")), None);
    }

    #[test]
    fn letters_decomposition_leaves_alone_are_transliterated() {
        for (a, b) in [("Phương Trần", "Phuong Tran"), ("Łukasz Nowak", "Lukasz Nowak"), ("Søren Åberg", "Soren Aberg"), ("Æsa Strauß", "Aesa Strauss"), ("Işık Yılmaz", "Isik Yilmaz"), ("Đặng Thư", "Dang Thu")] {
            assert_eq!(name_match(&n(a), &n(b)), Some((NAME_WEIGHT, "exactly")), "{a} ~ {b}");
        }
    }

    #[test]
    fn hyphenated_spaced_and_reordered_given_names_agree() {
        let soojin = n("Soojin Cho");
        for other in ["Cho, Soo-jin", "Soo-jin Cho", "Soo Jin Cho", "Cho Soo-jin", "Cho Soo Jin", "Cho Soojin"] {
            assert!(name_match(&soojin, &n(other)).is_some_and(|(s, _)| s >= NAME_WEIGHT * SWAPPED), "{other}");
        }
        assert!(name_match(&n("Jang Hyun-woo"), &n("Hyunwoo Jang")).is_some());
        assert_eq!(name_match(&soojin, &n("Minjun Cho")), None);
    }

    #[test]
    fn every_listed_nickname_maps() {
        for (nick, full) in [("bill", "william"), ("liz", "elizabeth"), ("mike", "michael"), ("kate", "katherine"), ("jen", "jennifer"), ("dan", "daniel"), ("tom", "thomas"), ("alex", "alexander"), ("sam", "samuel"), ("becky", "rebecca"), ("johnny", "john"), ("peggy", "margaret")] {
            assert_eq!(canonical(nick), full);
            assert_eq!(canonical(full), full);
        }
    }

    #[test]
    fn username_shapes() {
        let john = n("John Doe");
        for u in ["john.doe", "john-doe", "JohnDoe7", "doe_john"] {
            assert_eq!(username_match(Some(&john), None, u).map(|m| m.1), Some("spells"), "{u}");
        }
        for u in ["jdoe", "johnd", "doej", "jdoe42"] {
            assert_eq!(username_match(Some(&john), None, u).map(|m| m.1), Some("abbreviates"), "{u}");
        }
        assert_eq!(username_match(Some(&n("Bob Smith")), None, "robert.smith").map(|m| m.1), Some("spells"));
        assert_eq!(username_match(Some(&john), Some("jd.work+x"), "jdwork").map(|m| m.1), Some("is the mailbox name of"));
        assert_eq!(username_match(Some(&john), None, "jsmith"), None);
        assert_eq!(username_match(Some(&john), None, "jo"), None);
        assert_eq!(username_match(None, None, "john.doe"), None);
    }
}
