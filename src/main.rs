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
        Command::Import(args) => {
            use velocity::links::entities::{import::Format, EntityError};
            // Like migrate-legacy: a bad file or rejected rows end the process with one sentence on
            // stderr and exit code 1 (StartupError has no variant for them); the report goes to stdout.
            let stop = |e: EntityError| -> ! {
                eprintln!("error: {e}");
                std::process::exit(1)
            };
            Format::from_path(&args.file, args.kind).unwrap_or_else(|e| stop(e));
            let pool = startup::connect_and_migrate(&args.database).await?;
            let actor = velocity::links::Actor { person_id: None, source: velocity::links::Source::Migration };
            match velocity::links::Links::new(pool).import_file(&args.file, args.kind, actor).await {
                Ok(report) => {
                    println!("{}", serde_json::to_string_pretty(&report).unwrap_or_default());
                    Ok(())
                }
                Err(EntityError::Rejected { report }) => {
                    println!("{}", serde_json::to_string_pretty(&report).unwrap_or_default());
                    stop(EntityError::Rejected { report })
                }
                Err(e) => stop(e),
            }
        }
        Command::MigrateLegacy(args) => {
            use velocity::links::migrate::{read_records, MigrateError};
            // StartupError has no variant for the migration's files or a run stopped mid-way, so
            // these end the process the way `main` ends it: one sentence on stderr, exit code 1.
            let stop = |e: MigrateError| -> ! {
                eprintln!("error: {e}");
                std::process::exit(1)
            };
            // Bad input is refused before the database is touched.
            let records = read_records(&args.from).unwrap_or_else(|e| stop(e));
            let pool = startup::connect_and_migrate(&args.database).await?;
            let links = velocity::links::Links::new(pool);
            let report = links.migrate_legacy(&records, args.dry_run).await.unwrap_or_else(|e| stop(e));
            println!("{}", report.summary());
            report.write(&args.report).unwrap_or_else(|e| stop(e));
            println!("report: {}", args.report.display());
            Ok(())
        }
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
            // The demo org's legacy records, for `velocity migrate-legacy --from target/demo-org.json`.
            let truth = serde_json::to_vec_pretty(&sim.state.read().truth).map_err(|e| StartupError::Demo(e.to_string()))?;
            let truth_file = std::path::Path::new("target/demo-org.json");
            std::fs::create_dir_all("target")
                .and_then(|()| std::fs::write(truth_file, truth))
                .map_err(|e| StartupError::Demo(format!("cannot write {}: {e}", truth_file.display())))?;
            println!("legacy records: {}", truth_file.display());
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
