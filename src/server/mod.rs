//! Process wiring (server only): command line, configuration, state, router, start-up.

pub mod cli;
pub mod commands;
pub mod connection_cli;
pub mod memory;
pub mod router;
pub mod startup;
pub mod state;
pub mod telemetry;
