//! One module per page.

pub mod directory;
