//! What every request to an upstream system obeys, whoever sends it (link checks, catalog
//! listings, connection tests, sync pages).

pub mod policy;
