//! The small shared component set used by every page.

pub mod error_view;
pub mod filter;
pub mod nav;
pub mod not_found;
