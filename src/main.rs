//! `velocity`: parses the command line and runs one command. Errors print as one sentence.

use clap::Parser;
use std::process::ExitCode;
use velocity::server::cli::{Cli, Command};
use velocity::server::startup::{self, StartupError};
use velocity::sim::org::OrgSize;

#[tokio::main]
async fn main() -> ExitCode {
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
        Command::Sim(args) => run_sim(args).await,
        Command::Bench(bench) => {
            let line = velocity::bench::run(bench).await.map_err(StartupError::Bench)?;
            println!("{line}");
            Ok(())
        }
        Command::Demo(args) => {
            let pool = startup::connect_and_migrate(&args.database).await?;
            let sim = velocity::sim::server::start(OrgSize::S, 1, Default::default(), Default::default(), Default::default())
                .await
                .map_err(|e| StartupError::Demo(e.to_string()))?;
            let summary = velocity::sim::sample_org::load(&pool, &sim).await.map_err(|e| StartupError::Demo(e.to_string()))?;
            println!("demo data: {summary}");
            println!("simulators: {}", serde_json::to_string(&sim.urls).map_err(|e| StartupError::Demo(e.to_string()))?);
            startup::serve(&args, pool).await
        }
    }
}

async fn run_sim(args: velocity::server::cli::SimArgs) -> Result<(), StartupError> {
    args.faults.validate().map_err(StartupError::Sim)?;
    let running = velocity::sim::server::start(args.org, args.seed, args.credentials, args.ports, args.faults)
        .await
        .map_err(|e| StartupError::Sim(e.to_string()))?;
    if let Some(path) = &args.truth {
        let truth = serde_json::to_vec_pretty(&running.state.read().truth).map_err(|e| StartupError::Sim(e.to_string()))?;
        std::fs::write(path, truth).map_err(|e| StartupError::Sim(format!("cannot write {}: {e}", path.display())))?;
    }
    let line = serde_json::to_string(&running.urls).map_err(|e| StartupError::Sim(e.to_string()))?;
    println!("{line}");
    startup::shutdown_signal().await;
    Ok(())
}
