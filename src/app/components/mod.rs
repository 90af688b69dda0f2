//! The small shared component set used by every page.

pub mod activity;
pub mod chart;
pub mod check_links;
pub mod commit_emails;
pub mod connection_dialog;
pub mod diff;
pub mod error_view;
pub mod file_text;
pub mod filter;
pub mod link_dialog;
pub mod link_table;
pub mod nav;
pub mod not_found;
pub mod records;
pub mod sync;
pub mod ui;
