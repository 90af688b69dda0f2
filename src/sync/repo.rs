//! What every Git-host connector returns for one repository link.

use crate::store::synced::{CommitRow, PullRow};

#[derive(Debug, Default)]
pub struct RepoData {
    pub default_branch: Option<String>,
    pub commits: Vec<CommitRow>,
    pub pulls: Vec<PullRow>,
}

/// "Name <email>" (Bitbucket's `author.raw`) → (name, email).
pub fn split_raw_author(raw: &str) -> (Option<String>, Option<String>) {
    match (raw.rfind('<'), raw.rfind('>')) {
        (Some(open), Some(close)) if open < close => {
            let name = raw[..open].trim();
            let email = raw[open + 1..close].trim();
            (
                (!name.is_empty()).then(|| name.to_owned()),
                (!email.is_empty()).then(|| email.to_owned()),
            )
        }
        _ => (
            (!raw.trim().is_empty()).then(|| raw.trim().to_owned()),
            None,
        ),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn splits_raw_authors() {
        assert_eq!(
            super::split_raw_author("Ann Lee <ann@x.test>"),
            (Some("Ann Lee".into()), Some("ann@x.test".into()))
        );
        assert_eq!(super::split_raw_author("bot"), (Some("bot".into()), None));
    }
}
