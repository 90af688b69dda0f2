//! The external platforms a link can point at, with their wire names.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Where a repository lives.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum RepoPlatform {
    Github,
    Gitlab,
    Bitbucket,
}

/// Where an external account lives.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum AccountPlatform {
    Jira,
    Bitbucket,
    Slack,
    Github,
    Gitlab,
}

/// A platform name that Velocity does not know, kept to say so in the error.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown platform '{0}'")]
pub struct UnknownPlatform(pub String);

/// A wire name as people spell it; an unknown one as it is.
pub fn display_name(wire: &str) -> &str {
    match wire {
        "jira" => "Jira",
        "github" => "GitHub",
        "gitlab" => "GitLab",
        "bitbucket" => "Bitbucket",
        "slack" => "Slack",
        other => other,
    }
}

macro_rules! wire_names {
    ($ty:ident { $($variant:ident => $name:literal),+ $(,)? }) => {
        impl $ty {
            pub const ALL: &'static [$ty] = &[$($ty::$variant),+];
            pub fn as_str(self) -> &'static str {
                match self { $($ty::$variant => $name),+ }
            }

            /// The platform as people spell it ("GitHub", not "github").
            pub fn display_name(self) -> &'static str {
                display_name(self.as_str())
            }
        }
        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl FromStr for $ty {
            type Err = UnknownPlatform;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s { $($name => Ok($ty::$variant),)+ other => Err(UnknownPlatform(other.to_owned())) }
            }
        }
    };
}

wire_names!(RepoPlatform { Github => "github", Gitlab => "gitlab", Bitbucket => "bitbucket" });
wire_names!(AccountPlatform {
    Jira => "jira",
    Bitbucket => "bitbucket",
    Slack => "slack",
    Github => "github",
    Gitlab => "gitlab",
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_are_spelled_as_the_platforms_spell_themselves() {
        assert_eq!(RepoPlatform::Github.display_name(), "GitHub");
        assert_eq!(AccountPlatform::Gitlab.display_name(), "GitLab");
        assert_eq!(display_name("other"), "other");
    }

    #[test]
    fn wire_names_round_trip() {
        for p in RepoPlatform::ALL {
            assert_eq!(p.as_str().parse::<RepoPlatform>(), Ok(*p));
            assert_eq!(serde_json::to_string(p).unwrap(), format!("\"{}\"", p.as_str()));
        }
        for p in AccountPlatform::ALL {
            assert_eq!(p.as_str().parse::<AccountPlatform>(), Ok(*p));
        }
    }

    #[test]
    fn unknown_platform_names_itself() {
        let err = "svn".parse::<RepoPlatform>().unwrap_err();
        assert_eq!(err.to_string(), "unknown platform 'svn'");
    }
}
