//! Percent-encoding for URLs Velocity builds (upstream paths, page links), on both targets.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// Everything but RFC 3986's unreserved characters (`A-Z a-z 0-9 - . _ ~`) is encoded.
const RESERVED: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// One path segment or query value, encoded so that nothing in it is read as a delimiter.
pub fn encode_component(s: &str) -> String {
    utf8_percent_encode(s, RESERVED).to_string()
}

/// A Jira issue's or project's page on its site: `/browse/KEY`.
pub fn jira_browse_url(site: &str, key: &str) -> String {
    format!("{}/browse/{key}", site.trim_end_matches('/'))
}

#[cfg(test)]
mod tests {
    use super::{encode_component, jira_browse_url};

    #[test]
    fn jira_pages_are_under_browse() {
        assert_eq!(jira_browse_url("https://acme.atlassian.net", "PLAT"), "https://acme.atlassian.net/browse/PLAT");
        assert_eq!(jira_browse_url("https://acme.atlassian.net/", "PLAT-7"), "https://acme.atlassian.net/browse/PLAT-7");
    }

    #[test]
    fn only_unreserved_characters_stay_as_they_are() {
        assert_eq!(encode_component("a-b.c_d~e"), "a-b.c_d~e");
        assert_eq!(encode_component("a/b c?d&e=f#g"), "a%2Fb%20c%3Fd%26e%3Df%23g");
        assert_eq!(encode_component("{uuid}"), "%7Buuid%7D");
        assert_eq!(encode_component("Łódź"), "%C5%81%C3%B3d%C5%BA");
    }
}
