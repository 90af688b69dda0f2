//! The API layer: server functions called by the UI, REST handlers for integrators and the
//! DTOs they share. Thin: each call validates input, calls one service or store function and
//! maps its error to `ApiError`. No SQL and no domain rule lives here.

#[cfg(feature = "ssr")]
pub mod context;
pub mod directory;
pub mod error;
#[cfg(feature = "ssr")]
pub mod rest;
pub mod suggestions;
pub mod sync;

pub use error::ApiError;
