//! One module per page.

pub mod audit;
pub mod connections;
pub mod directory;
pub mod login;
pub mod health;
pub mod import;
pub mod migration;
pub mod pending;
pub mod people;
pub mod projects;
pub mod review;
pub mod setup;
pub mod sync;
pub mod tokens;
pub mod transfer;
