//! `velocity`: parses the command line and runs one command. Errors print as one sentence.

use clap::Parser;
use std::process::ExitCode;
use velocity::server::cli::{Cli, Command};
use velocity::server::commands;
use velocity::server::startup::{self, StartupError};

fn main() -> ExitCode {
    velocity::server::memory::return_large_blocks();
    match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime.block_on(start()),
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn start() -> ExitCode {
    let cli = Cli::parse();
    velocity::server::telemetry::init();
    match run(cli.command).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(command: Command) -> Result<(), StartupError> {
    match command {
        Command::Migrate(db) => {
            startup::connect_and_migrate(&db).await?;
            println!("migrations applied");
            Ok(())
        }
        Command::Serve(args) => {
            let pool = startup::connect_and_migrate(&args.database).await?;
            startup::serve(&args, pool).await
        }
        Command::Demo(args) => commands::demo(args).await,
        Command::Sim(args) => commands::sim(args).await,
        Command::Import(args) => commands::import(args).await,
        Command::MigrateLegacy(args) => commands::migrate_legacy(args).await,
        Command::Suggest(args) => commands::suggest(args).await,
        Command::Sync(args) => commands::sync(args).await,
        Command::Admin(cmd) => commands::admin(cmd).await,
        Command::Worker(args) => commands::worker(args).await,
        Command::Connection(cmd) => velocity::server::connection_cli::run(cmd).await,
        Command::Bench(bench) => {
            let line = velocity::bench::run(bench).await.map_err(StartupError::Bench)?;
            println!("{line}");
            Ok(())
        }
    }
}
