//! Accounts and permissions (issue 8): who is signed in and what they may do.
//!
//! `rules` holds the decisions as pure functions (shared with the browser build for showing or
//! hiding controls). The server side resolves the principal of every request once, in
//! `middleware` (a session cookie or `Authorization: Bearer`), refuses anonymous requests and
//! cross-site form posts there, and leaves the per-target decision to the handler or server
//! function, which calls a `rules` function explicitly.

pub mod rules;

#[cfg(feature = "ssr")]
pub mod accounts;
#[cfg(feature = "ssr")]
pub mod client;
#[cfg(feature = "ssr")]
pub mod cipher;
#[cfg(feature = "ssr")]
pub mod middleware;
#[cfg(feature = "ssr")]
pub mod password;
#[cfg(feature = "ssr")]
#[cfg(feature = "ssr")]
pub mod secrets;
#[cfg(feature = "ssr")]
pub mod session;
#[cfg(feature = "ssr")]
pub mod setup;
#[cfg(feature = "ssr")]
pub mod throttle;

pub use rules::{Principal, Role};

/// What the auth layer keeps for the process (shared by clones of `AppState`).
#[cfg(feature = "ssr")]
#[derive(Clone)]
pub struct AuthState {
    pub throttle: std::sync::Arc<throttle::Throttle>,
    pub rate_limits: std::sync::Arc<throttle::RateLimits>,
    /// One argon2 hash (19 MiB, tens of ms of a core) per core at a time: a burst of sign-ins
    /// waits its turn instead of growing memory with every request in parallel.
    pub hashing: std::sync::Arc<tokio::sync::Semaphore>,
}

#[cfg(feature = "ssr")]
impl Default for AuthState {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
        AuthState {
            throttle: Default::default(),
            rate_limits: Default::default(),
            hashing: std::sync::Arc::new(tokio::sync::Semaphore::new(cores)),
        }
    }
}
