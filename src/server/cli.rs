//! The `velocity` command line. Every flag that has an environment variable says so in --help.

use clap::{Args, Parser, Subcommand};
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(name = "velocity", version, about = "Velocity: projects and people, synced only through declared links.")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Serve the web app and the REST API (runs pending migrations first).
    Serve(ServeArgs),
    /// Apply pending database migrations and exit.
    Migrate(DatabaseArgs),
    /// Serve the app with a sample organisation loaded (for trying Velocity without accounts).
    Demo(ServeArgs),
}

#[derive(Args, Debug, Clone)]
pub struct DatabaseArgs {
    /// PostgreSQL URL, e.g. postgres://user:password@127.0.0.1:5432/velocity
    #[arg(long, env = "DATABASE_URL", hide_env_values = true)]
    pub database_url: String,
}

#[derive(Args, Debug, Clone)]
pub struct ServeArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// Address to listen on.
    #[arg(long, env = "VELOCITY_ADDR", default_value = "127.0.0.1:3000")]
    pub addr: SocketAddr,
    /// Folder with the built site (wasm, JS, CSS, public assets) made by `cargo leptos build`.
    #[arg(long, env = "VELOCITY_SITE_ROOT", default_value = "target/site")]
    pub site_root: PathBuf,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn bad_addr_is_a_clear_error() {
        let err = Cli::try_parse_from(["velocity", "serve", "--database-url", "postgres://x/y", "--addr", "nope"]).unwrap_err();
        assert!(err.to_string().contains("invalid value 'nope' for '--addr"), "{err}");
    }
}
