//! Jira issue keys in free text (commit messages, pull request titles, branches, descriptions),
//! and the citation counts rules 3 and 4 build on.

use std::collections::BTreeSet;

/// `\w` in the regex sense: a key must not start or end inside a longer word, so "XPLAT-1" is
/// never read as "PLAT-1" and "PLAT-12abc" is not a key at all.
fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Every issue key (`[A-Z][A-Z0-9_]+-[0-9]+` on word boundaries) in order of first appearance,
/// each once. Case-sensitive on purpose: Jira keys are upper case, and lower-case look-alikes
/// ("utf-8") are prose. Unknown projects ("UTF-8") are still returned; see
/// [`extract_known_issue_keys`].
pub fn extract_issue_keys(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let n = chars.len();
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < n {
        let starts = chars[i].is_ascii_uppercase() && (i == 0 || !is_word(chars[i - 1]));
        if !starts {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < n && (chars[j].is_ascii_uppercase() || chars[j].is_ascii_digit() || chars[j] == '_') {
            j += 1;
        }
        if j - i >= 2 && j < n && chars[j] == '-' {
            let mut k = j + 1;
            while k < n && chars[k].is_ascii_digit() {
                k += 1;
            }
            if k > j + 1 && (k == n || !is_word(chars[k])) {
                let key: String = chars[i..k].iter().collect();
                if !out.contains(&key) {
                    out.push(key);
                }
                i = k;
                continue;
            }
        }
        i += 1;
    }
    out
}

/// The project part of an issue key: "PLAT-12" → "PLAT".
pub fn project_of(issue_key: &str) -> &str {
    issue_key.rsplit_once('-').map_or(issue_key, |(project, _)| project)
}

/// Issue keys whose project is a known Jira project key, so "UTF-8", "SHA-256", "ISO-8601" and
/// "COVID-19" never count as evidence. `known_project_keys` must be upper case.
pub fn extract_known_issue_keys(text: &str, known_project_keys: &BTreeSet<String>) -> Vec<String> {
    extract_issue_keys(text).into_iter().filter(|k| known_project_keys.contains(project_of(k))).collect()
}

/// How many texts cite at least one key of the chosen projects, with example keys.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Citations {
    pub citing: usize,
    pub total: usize,
    /// Distinct cited keys in order of first appearance, at most [`MAX_EXAMPLES`].
    pub examples: Vec<String>,
    /// The chosen projects actually cited.
    pub projects: BTreeSet<String>,
}

pub(crate) const MAX_EXAMPLES: usize = 3;

/// Counts texts (not key occurrences: one commit citing a key five times is one commit) citing
/// a key of `projects`.
pub(crate) fn count_citations<'a>(texts: impl IntoIterator<Item = &'a str>, projects: &BTreeSet<String>) -> Citations {
    let mut c = Citations::default();
    if projects.is_empty() {
        // Nothing to look for: only the count matters.
        c.total = texts.into_iter().count();
        return c;
    }
    for text in texts {
        c.total += 1;
        // A citation contains its project key: texts without any are skipped unparsed.
        if !mentions_any(&[text], projects) {
            continue;
        }
        let keys = extract_known_issue_keys(text, projects);
        if keys.is_empty() {
            continue;
        }
        c.citing += 1;
        for key in keys {
            c.projects.insert(project_of(&key).to_owned());
            if c.examples.len() < MAX_EXAMPLES && !c.examples.contains(&key) {
                c.examples.push(key);
            }
        }
    }
    c
}

/// Whether any of `parts` contains any project key as a substring: a cheap necessary condition
/// for citing one of them.
pub(crate) fn mentions_any(parts: &[&str], projects: &BTreeSet<String>) -> bool {
    projects.iter().any(|k| parts.iter().any(|t| t.contains(k.as_str())))
}

/// Score for "`citing` of `total` texts cite the project". Needs several citations before it
/// means much (one stray commit is noise), and a larger share raises it; at most 0.9 because a
/// repository shared by several projects cites them all.
pub(crate) fn citation_score(citing: usize, total: usize) -> f64 {
    if citing == 0 || total == 0 {
        return 0.0;
    }
    let share = citing as f64 / total as f64;
    let volume = 1.0 - (-(citing as f64) / 3.0).exp();
    0.9 * volume * (0.4 + 0.6 * share.min(1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(keys: &[&str]) -> BTreeSet<String> {
        keys.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn only_known_projects_count() {
        let text = "PLAT-12: fix login (UTF-8, SHA-256) see ISO-8601 and COVID-19";
        assert_eq!(extract_issue_keys(text), vec!["PLAT-12", "UTF-8", "SHA-256", "ISO-8601", "COVID-19"]);
        assert_eq!(extract_known_issue_keys(text, &set(&["PLAT", "MOBILE"])), vec!["PLAT-12"]);
    }

    #[test]
    fn branch_names_and_word_boundaries() {
        assert_eq!(extract_issue_keys("feature/PLAT-123-login"), vec!["PLAT-123"]);
        assert_eq!(extract_issue_keys("XPLAT-1 and fooPLAT-2"), vec!["XPLAT-1"]);
        assert!(extract_known_issue_keys("XPLAT-1", &set(&["PLAT"])).is_empty());
        assert!(extract_issue_keys("PLAT-12abc plat-3 P-4 PLAT- PLAT_9").is_empty());
        assert_eq!(extract_issue_keys("MOBILE_LEGACY-7, [PLAT-1] PLAT-1 (PLAT-2)"), vec!["MOBILE_LEGACY-7", "PLAT-1", "PLAT-2"]);
        assert_eq!(extract_issue_keys("ABC-DEF-12"), vec!["DEF-12"]);
    }

    #[test]
    fn counts_texts_not_occurrences() {
        let texts = ["PLAT-1 PLAT-1 PLAT-2", "MOBILE-3", "nothing", "PLAT-4 MOBILE-5", "PLAT-6"];
        let c = count_citations(texts, &set(&["PLAT"]));
        assert_eq!((c.citing, c.total), (3, 5));
        assert_eq!(c.examples, vec!["PLAT-1", "PLAT-2", "PLAT-4"]);
        assert_eq!(c.projects, set(&["PLAT"]));
    }

    #[test]
    fn citation_score_grows_with_volume_and_share() {
        assert_eq!(citation_score(0, 10), 0.0);
        assert!(citation_score(1, 100) < 0.35);
        assert!(citation_score(41, 100) > citation_score(5, 100));
        assert!(citation_score(90, 100) > citation_score(41, 100));
        assert!(citation_score(1000, 1000) <= 0.9);
    }
}
