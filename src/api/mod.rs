//! The API layer: server functions called by the UI, REST handlers for integrators and the
//! DTOs they share. Thin: each call validates input, calls one service or store function and
//! maps its error to `ApiError`. No SQL and no domain rule lives here.

pub mod activity;
pub mod auth;
#[cfg(feature = "ssr")]
pub mod authz;
#[cfg(feature = "ssr")]
pub mod context;
pub mod audit;
pub mod commit_emails;
pub mod connections;
pub mod directory;
pub mod error;
pub mod health;
#[cfg(feature = "ssr")]
pub mod json_errors;
pub mod link_dialog;
pub mod migration;
pub mod onboarding;
pub mod owner;
pub mod pending;
pub mod people;
pub mod projects;
pub mod records;
#[cfg(feature = "ssr")]
pub mod rest;
pub mod review;
pub mod setup;
pub mod suggestions;
pub mod sync;
pub mod tokens;
pub mod transfer;
pub mod validate;

pub use error::ApiError;

/// Converts a service result into the browser's view of it through their shared JSON shape
/// (the service types live behind `ssr`; the views compile for the browser too).
#[cfg(feature = "ssr")]
pub(crate) fn reshape<T: serde::Serialize, U: serde::de::DeserializeOwned>(value: T) -> Result<U, ApiError> {
    serde_json::to_value(value).and_then(serde_json::from_value).map_err(|e| {
        tracing::error!(error = %e, "a view does not match its service type");
        ApiError::Internal
    })
}
