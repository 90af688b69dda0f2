//! Which Velocity entity a link hangs on, as one form value: `project:KEY` or `person:UUID`
//! (a hidden input names it, so the same forms serve project and person pages).

use std::fmt;
use uuid::Uuid;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OwnerRef {
    Project(String),
    Person(Uuid),
}

impl OwnerRef {
    pub fn parse(s: &str) -> Result<Self, String> {
        match s.split_once(':') {
            Some(("project", key)) if !key.trim().is_empty() => Ok(OwnerRef::Project(key.trim().to_owned())),
            Some(("person", id)) => id.trim().parse().map(OwnerRef::Person).map_err(|_| format!("'{id}' is not a person id")),
            _ => Err(format!("'{s}' names no project or person (project:KEY or person:ID)")),
        }
    }

    /// Where the entity's page is.
    pub fn href(&self) -> String {
        match self {
            OwnerRef::Project(key) => format!("/projects/{key}"),
            OwnerRef::Person(id) => format!("/people/{id}"),
        }
    }
}

impl fmt::Display for OwnerRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OwnerRef::Project(key) => write!(f, "project:{key}"),
            OwnerRef::Person(id) => write!(f, "person:{id}"),
        }
    }
}

#[cfg(feature = "ssr")]
impl OwnerRef {
    pub fn parse_api(s: &str) -> Result<Self, crate::api::ApiError> {
        Self::parse(s).map_err(|m| crate::api::ApiError::invalid("owner", m))
    }

    pub fn to_owner(&self) -> crate::links::declare::Owner {
        match self {
            OwnerRef::Project(key) => crate::links::declare::Owner::Project(key.clone()),
            OwnerRef::Person(id) => crate::links::declare::Owner::Person(*id),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_rejects_the_rest() {
        let id = Uuid::nil();
        for o in [OwnerRef::Project("MOBILE".into()), OwnerRef::Person(id)] {
            assert_eq!(OwnerRef::parse(&o.to_string()), Ok(o));
        }
        assert!(OwnerRef::parse("project:").is_err());
        assert!(OwnerRef::parse("person:nope").is_err());
        assert!(OwnerRef::parse("team:x").is_err());
        assert_eq!(OwnerRef::Project("MOBILE".into()).href(), "/projects/MOBILE");
    }
}
