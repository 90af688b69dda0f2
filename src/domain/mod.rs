//! Velocity's domain types, shared by server and browser: the spec's `Project`, `Person` and
//! link interfaces, serialised with the spec's camelCase names. Legacy single-link fields are
//! never stored: they are derived from the link arrays on the way out. No IO here.

pub mod actor;
pub mod activity;
pub mod audit;
pub mod catalog;
pub mod commit_identity;
pub mod connection;
pub mod directory_import;
pub mod health;
pub mod pending;
pub mod person;
pub mod platform;
pub mod url;
pub mod preview;
pub mod project;
pub mod setup;
pub mod synced;

pub use person::{ExternalAccountLink, Person};
/// The JSON shapes of `Project` and `Person` (with the derived legacy fields), for the API document.
#[cfg(feature = "ssr")]
pub use person::PersonWire as PersonSchema;
#[cfg(feature = "ssr")]
pub use project::ProjectWire as ProjectSchema;
pub use platform::{AccountPlatform, RepoPlatform};
pub use project::{LinkedJiraProject, LinkedRepository, Project};

/// Orders links the way every legacy field reads them: the primary first, then by link time,
/// then by id so equal times still give one order.
fn legacy_order<'a, L>(
    links: impl Iterator<Item = &'a L>,
    key: impl Fn(&L) -> (bool, chrono::DateTime<chrono::Utc>, uuid::Uuid),
) -> Vec<&'a L>
where
    L: 'a,
{
    let mut out: Vec<&L> = links.collect();
    out.sort_by_key(|l| {
        let (primary, at, id) = key(l);
        (!primary, at, id)
    });
    out
}
