//! Text normalisation shared by the rules: case and diacritic folding, splitting into words,
//! stop words, look-alike markers and the key forms a project name is usually abbreviated to.

/// Words that say what kind of thing a name is rather than which one: "Mobile App" and
/// "Mobile Application" name the same project.
const STOP_WORDS: &[&str] = &["the", "a", "an", "of", "and", "for", "app", "apps", "application", "applications", "project", "projects", "proj", "team", "teams"];

/// Word beginnings that mark a superseded entity (legacy, deprecated, archive, archived).
/// Matched on whole words only, so "Gold" or "Holdings" never read as "old".
const SUPERSEDED_PREFIXES: &[&str] = &["legacy", "deprecat", "archiv"];
const SUPERSEDED_WORDS: &[&str] = &["old"];

/// Combining marks (U+0300–U+036F) carry the accent of decomposed input ("e\u{301}"); dropping
/// them folds decomposed text the same way as composed text.
fn is_combining(c: char) -> bool {
    ('\u{0300}'..='\u{036f}').contains(&c)
}

/// Lower-cases and transliterates to ASCII with `deunicode`, which also covers the letters that
/// Unicode decomposition leaves alone: "Zoë Álvarez" → "zoe alvarez", "Phương Trần" → "phuong
/// tran", "Łukasz" → "lukasz", "Søren" → "soren", "Straße" → "strasse", "Işık" → "isik".
/// Characters it cannot transliterate are dropped.
pub fn fold(s: &str) -> String {
    deunicode::deunicode_with_tofu(s, "").to_lowercase()
}

/// Splits on anything that is not a letter or digit and, when `camel` is set, on a lower→upper
/// case change ("MobileApp" → mobile, app). Names of people are split without `camel` so that
/// "McDonald" stays one word. Words come back folded.
pub fn split_words(s: &str, camel: bool) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut prev_lower = false;
    for c in s.chars().filter(|c| !is_combining(*c)) {
        if !c.is_alphanumeric() {
            if !current.is_empty() {
                push_folded(&mut words, &current);
                current.clear();
            }
            prev_lower = false;
            continue;
        }
        if camel && prev_lower && c.is_uppercase() && !current.is_empty() {
            push_folded(&mut words, &current);
            current.clear();
        }
        current.push(c);
        prev_lower = c.is_lowercase();
    }
    if !current.is_empty() {
        push_folded(&mut words, &current);
    }
    words
}

/// A word folded; a script transliterated syllable by syllable ("北京" → "bei jing") gives
/// several.
fn push_folded(words: &mut Vec<String>, word: &str) {
    words.extend(fold(word).split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_owned));
}

/// Words of a project, repository or key name (camel case split).
pub fn words(s: &str) -> Vec<String> {
    split_words(s, true)
}

pub fn is_stop_word(w: &str) -> bool {
    STOP_WORDS.contains(&w)
}

pub fn is_superseded_word(w: &str) -> bool {
    SUPERSEDED_WORDS.contains(&w) || SUPERSEDED_PREFIXES.iter().any(|p| w.starts_with(p))
}

/// Whether any word marks the entity as legacy, deprecated, old or archived.
pub fn marks_superseded(words: &[String]) -> bool {
    words.iter().any(|w| is_superseded_word(w))
}

/// The words that identify: without stop words and superseded markers, so "Legacy Mobile" and
/// "Mobile App" share their core. Falls back to the non-marker words when only stop words
/// remain ("The Team" is still called something).
pub fn core_words(words: &[String]) -> Vec<String> {
    let core: Vec<String> = words.iter().filter(|w| !is_stop_word(w) && !is_superseded_word(w)).cloned().collect();
    if core.is_empty() {
        words.iter().filter(|w| !is_superseded_word(w)).cloned().collect()
    } else {
        core
    }
}

/// Upper-case initials: ["mobile", "app"] → "MA".
pub fn acronym(words: &[String]) -> String {
    words.iter().filter_map(|w| w.chars().next()).flat_map(|c| c.to_uppercase()).collect()
}

/// Upper-case concatenation: ["mobile", "app"] → "MOBILEAPP".
pub fn concat_upper(words: &[String]) -> String {
    words.concat().to_uppercase()
}

/// A key reduced to ASCII letters and digits, upper case: "mobile-app" → "MOBILEAPP".
pub fn key_alnum(s: &str) -> String {
    fold(s).chars().filter(|c| c.is_ascii_alphanumeric()).collect::<String>().to_ascii_uppercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn folds_case_and_diacritics_composed_or_not() {
        assert_eq!(fold("Zoë Álvarez"), "zoe alvarez");
        assert_eq!(fold("Zoe\u{308} A\u{301}lvarez"), "zoe alvarez");
        assert_eq!(fold("Łukasz Größe Øresund"), "lukasz grosse oresund");
    }

    #[test]
    fn splits_separators_and_camel_case() {
        assert_eq!(words("MOBILE_LEGACY"), w(&["mobile", "legacy"]));
        assert_eq!(words("MobileApp-iOS v2"), w(&["mobile", "app", "i", "os", "v2"]));
        assert_eq!(words("Mobile (deprecated)"), w(&["mobile", "deprecated"]));
        assert_eq!(split_words("Ronald McDonald", false), w(&["ronald", "mcdonald"]));
        assert_eq!(words("A\u{301}lvarez"), w(&["alvarez"]));
    }

    #[test]
    fn core_drops_stop_words_and_markers() {
        assert_eq!(core_words(&words("The Mobile App Team")), w(&["mobile"]));
        assert_eq!(core_words(&words("Legacy Mobile")), w(&["mobile"]));
        assert_eq!(core_words(&words("The Team")), w(&["the", "team"]));
    }

    #[test]
    fn superseded_markers_are_whole_words() {
        assert!(marks_superseded(&words("MOBILE_LEGACY")));
        assert!(marks_superseded(&words("Mobile (deprecated)")));
        assert!(marks_superseded(&words("Old Billing")));
        assert!(marks_superseded(&words("Archived: Search")));
        assert!(!marks_superseded(&words("Gold Holdings")));
    }

    #[test]
    fn key_forms() {
        assert_eq!(acronym(&w(&["mobile", "app"])), "MA");
        assert_eq!(concat_upper(&w(&["mobile", "app"])), "MOBILEAPP");
        assert_eq!(key_alnum("mobile-app"), "MOBILEAPP");
    }
}
