//! Velocity's own entities — projects and persons — written by people: create, read, update and
//! deactivate (never a hard delete: Velocity is the source of truth), bulk import and export,
//! and the translation of deprecated legacy single-link fields into link operations.
//!
//! The validation rules are the small pure functions below; the services (methods on `Links`)
//! live in the submodules and write every change with its audit entry in one transaction.

pub mod csv_cell;
pub mod export;
pub mod import;
mod import_rows;
pub mod legacy;
pub mod persons;
pub mod projects;

use super::LinkError;
use import::ImportReport;
use serde::{Deserialize, Serialize};
use std::str::FromStr;

pub const NAME_MAX: usize = 200;
pub const DESCRIPTION_MAX: usize = 2000;
pub const EMAIL_MAX: usize = 320;

/// Everything an entity operation can refuse, each with a message a person can act on.
#[derive(Debug, thiserror::Error)]
pub enum EntityError {
    #[error("{field}: {message}")]
    Invalid { field: &'static str, message: String },
    #[error("{0}")]
    NotFound(String),
    /// A unique rule (project key, person e-mail) refused the write.
    #[error("{field}: {message}")]
    Duplicate { field: &'static str, message: String },
    /// An import with invalid rows: nothing was written.
    #[error("{} row(s) are invalid; nothing was imported", report.rejected.len())]
    Rejected { report: ImportReport },
    #[error(transparent)]
    Link(#[from] LinkError),
    /// Writing an export failed (not the caller's fault).
    #[error("cannot write the export: {0}")]
    Export(String),
    #[error("database: {0}")]
    Store(#[from] sqlx::Error),
}

impl EntityError {
    pub fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        EntityError::Invalid { field, message: message.into() }
    }
}

/// Maps the unique violations of `projects.key` and `persons.email` to `Duplicate`, naming the
/// value; every other database error stays a store error.
pub(crate) fn unique_violation(e: sqlx::Error, value: &str) -> EntityError {
    let constraint = match &e {
        sqlx::Error::Database(d) if d.is_unique_violation() => d.constraint().map(str::to_owned),
        _ => None,
    };
    match constraint.as_deref() {
        Some("projects_key_key") => EntityError::Duplicate { field: "key", message: format!("a project with key '{value}' already exists") },
        Some("persons_email_key") => EntityError::Duplicate {
            field: "email",
            message: format!("another person already has the e-mail '{value}' (compared ignoring case)"),
        },
        _ => EntityError::Store(e),
    }
}

/// Which entities an import or export is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Projects,
    Persons,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Projects => "projects",
            Kind::Persons => "persons",
        }
    }
}

impl FromStr for Kind {
    type Err = EntityError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "projects" => Ok(Kind::Projects),
            "persons" => Ok(Kind::Persons),
            other => Err(EntityError::invalid("kind", format!("'{other}' is not a kind; use projects or persons"))),
        }
    }
}

/// A project key: a capital letter, then 1–19 capitals, digits or underscores.
pub fn validate_key(key: &str) -> Result<(), String> {
    let mut chars = key.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_ascii_uppercase());
    let rest_ok = chars.all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
    let len = key.chars().count();
    if first_ok && rest_ok && (2..=20).contains(&len) {
        return Ok(());
    }
    let hint = if key != key.to_ascii_uppercase() && validate_key(&key.to_ascii_uppercase()).is_ok() {
        format!("; did you mean '{}'?", key.to_ascii_uppercase())
    } else {
        String::new()
    };
    Err(format!("'{key}' is not a project key: 2–20 characters, a capital letter first, then capitals, digits or _ (like SEARCH or WEB_2){hint}"))
}

/// A name: trimmed, not empty, at most `NAME_MAX` characters.
pub fn validate_name(name: &str) -> Result<String, String> {
    let trimmed = name.trim();
    if trimmed.is_empty() {
        return Err("must not be empty".into());
    }
    let len = trimmed.chars().count();
    if len > NAME_MAX {
        return Err(format!("is {len} characters long; at most {NAME_MAX}"));
    }
    if trimmed.chars().any(char::is_control) {
        return Err("must not contain control characters (line breaks, tabs, NUL)".into());
    }
    Ok(trimmed.to_owned())
}

/// A description: may be empty, at most `DESCRIPTION_MAX` characters (kept as written).
pub fn validate_description(description: &str) -> Result<String, String> {
    let len = description.chars().count();
    if len > DESCRIPTION_MAX {
        return Err(format!("is {len} characters long; at most {DESCRIPTION_MAX}"));
    }
    if description.contains('\0') {
        return Err("must not contain NUL characters".into());
    }
    Ok(description.to_owned())
}

/// A valid-looking e-mail address (`local@domain.tld`, no spaces), at most `EMAIL_MAX`
/// characters; returned trimmed, with its case kept (uniqueness ignores case).
pub fn validate_email(email: &str) -> Result<String, String> {
    let e = email.trim();
    let len = e.chars().count();
    if e.is_empty() {
        return Err("must not be empty".into());
    }
    if len > EMAIL_MAX {
        return Err(format!("is {len} characters long; at most {EMAIL_MAX}"));
    }
    let bad = |c: char| c.is_whitespace() || c.is_control() || "<>()[],;:\"\\".contains(c);
    let looks_ok = match e.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && local.len() <= 64
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with(['.', '-'])
                && !domain.ends_with(['.', '-'])
                && !domain.contains("..")
                && !e.chars().any(bad)
        }
        None => false,
    };
    if looks_ok {
        Ok(e.to_owned())
    } else {
        Err(format!("'{e}' does not look like an e-mail address (like jane.doe@example.com)"))
    }
}

/// A CSV truth value: true/false, yes/no, 1/0 (any case); empty means `default`.
pub fn parse_flag(raw: &str, default: bool) -> Result<bool, String> {
    match raw.trim().to_ascii_lowercase().as_str() {
        "" => Ok(default),
        "true" | "yes" | "1" => Ok(true),
        "false" | "no" | "0" => Ok(false),
        other => Err(format!("'{other}' is not true or false")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys() {
        for ok in ["SEARCH", "AB", "WEB_2", "A1234567890123456789"] {
            assert!(validate_key(ok).is_ok(), "{ok}");
        }
        for bad in ["", "A", "1AB", "_AB", "AB-C", "ÄB", "A12345678901234567890", "SE ARCH"] {
            assert!(validate_key(bad).is_err(), "{bad}");
        }
        assert!(validate_key("search").unwrap_err().contains("did you mean 'SEARCH'?"));
        assert!(!validate_key("a-b").unwrap_err().contains("did you mean"));
    }

    #[test]
    fn names_and_descriptions() {
        assert_eq!(validate_name("  Search  ").unwrap(), "Search");
        assert_eq!(validate_name(" \t ").unwrap_err(), "must not be empty");
        assert!(validate_name(&"é".repeat(200)).is_ok(), "characters, not bytes");
        assert!(validate_name(&"x".repeat(201)).unwrap_err().contains("201 characters"));
        assert_eq!(validate_description("").unwrap(), "");
        assert!(validate_description(&"x".repeat(2000)).is_ok());
        assert!(validate_description(&"x".repeat(2001)).is_err());
        assert!(validate_name("Jane\u{0}").is_err());
        assert!(validate_name("Two\nlines").is_err());
        assert!(validate_description("Two\nlines").is_ok());
        assert!(validate_description("nul\u{0}").is_err());
    }

    #[test]
    fn emails() {
        assert_eq!(validate_email(" Jane.Doe@Example.com ").unwrap(), "Jane.Doe@Example.com");
        for bad in ["", "jane", "jane@", "@example.com", "jane@example", "ja ne@example.com", "a@b@example.com", "jane@.example.com", "jane@example..com", "<jane@example.com>"] {
            assert!(validate_email(bad).is_err(), "{bad}");
        }
        let long_local = format!("{}@example.com", "x".repeat(65));
        assert!(validate_email(&long_local).is_err());
        let long = format!("jane@{}.com", "x".repeat(320));
        assert!(validate_email(&long).unwrap_err().contains("at most 320"));
    }

    #[test]
    fn flags_and_kinds() {
        assert_eq!(parse_flag("", true), Ok(true));
        assert_eq!(parse_flag(" FALSE ", true), Ok(false));
        assert_eq!(parse_flag("yes", false), Ok(true));
        assert!(parse_flag("maybe", true).unwrap_err().contains("'maybe'"));
        assert_eq!("persons".parse::<Kind>().unwrap(), Kind::Persons);
        assert!("people".parse::<Kind>().is_err());
    }
}
