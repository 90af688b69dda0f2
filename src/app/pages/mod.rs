//! One module per page.

pub mod directory;
pub mod login;
