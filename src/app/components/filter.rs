//! Client-side filtering of listed rows.

/// True when every whitespace-separated word of `query` occurs in `haystack`, ignoring case.
pub fn matches_filter(query: &str, haystack: &str) -> bool {
    let haystack = haystack.to_lowercase();
    query.split_whitespace().all(|word| haystack.contains(&word.to_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::matches_filter;

    #[test]
    fn empty_query_matches_everything() {
        assert!(matches_filter("", "Mobile App"));
        assert!(matches_filter("   ", "Mobile App"));
    }

    #[test]
    fn words_match_in_any_order_and_case() {
        assert!(matches_filter("app MOB", "MOBILE Mobile App"));
        assert!(!matches_filter("mobile billing", "MOBILE Mobile App"));
    }

    #[test]
    fn non_ascii_is_folded() {
        assert!(matches_filter("zoË", "Zoë Ng"));
    }
}
