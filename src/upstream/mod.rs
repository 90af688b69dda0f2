//! Everything that talks to an upstream system, shared by link look-ups, catalogs (suggestions,
//! search, onboarding), connection tests and sync: one client per connection with its
//! credentials and retries (`client`), how fast it may go (`pacing`), what the headers say about
//! waiting (`limits`),
//! one paging walker (`paging`), the rules every request obeys (`policy`), look-ups by stable id
//! (`lookup`) and full listings (`catalog`). `links` and `sync` meet here instead of calling
//! each other's HTTP code.

pub mod catalog;
pub mod client;
pub mod error;
pub mod limits;
pub mod lookup;
pub mod pacing;
pub mod paging;
pub mod policy;

pub use client::{Limits, Page, Stats, Upstream, Upstreams};
pub use error::HttpError;
