//! One function per `velocity` subcommand beyond serving: each returns `StartupError`, whose
//! message `main` prints as one sentence.

use crate::links::entities::EntityError;
use crate::links::{Actor, Links, Source};
use crate::server::cli::{ImportArgs, MigrateLegacyArgs, ServeArgs, SimArgs, SuggestArgs, SyncArgs, WorkerArgs};
use crate::server::startup::{self, StartupError};
use crate::sim::org::OrgSize;

pub async fn import(args: ImportArgs) -> Result<(), StartupError> {
    use crate::links::entities::import::Format;
    let fail = |e: EntityError| StartupError::Import(e.to_string());
    // A bad file is refused before the database is touched.
    Format::from_path(&args.file, args.kind).map_err(fail)?;
    let pool = startup::connect_and_migrate(&args.database).await?;
    let actor = Actor { person_id: None, source: Source::Migration };
    match Links::new(pool).import_file(&args.file, args.kind, actor).await {
        Ok(report) => {
            println!("{}", serde_json::to_string_pretty(&report).unwrap_or_default());
            Ok(())
        }
        Err(EntityError::Rejected { report }) => {
            // The report names every rejected row; the error line says nothing was written.
            println!("{}", serde_json::to_string_pretty(&report).unwrap_or_default());
            Err(fail(EntityError::Rejected { report }))
        }
        Err(e) => Err(fail(e)),
    }
}

pub async fn migrate_legacy(args: MigrateLegacyArgs) -> Result<(), StartupError> {
    use crate::links::migrate::read_records;
    let fail = |e: crate::links::migrate::MigrateError| StartupError::LegacyMigration(e.to_string());
    let records = read_records(&args.from).map_err(fail)?;
    let pool = startup::connect_and_migrate(&args.database).await?;
    let report = Links::new(pool).migrate_legacy(&records, args.dry_run).await.map_err(fail)?;
    println!("{}", report.summary());
    report.write(&args.report).map_err(fail)?;
    println!("report: {}", args.report.display());
    Ok(())
}

pub async fn demo(args: ServeArgs) -> Result<(), StartupError> {
    let demo_err = |e: String| StartupError::Demo(e);
    let pool = startup::connect_and_migrate(&args.database).await?;
    let sim = crate::sim::server::start(OrgSize::S, crate::sim::generate::SAMPLE_SEED, Default::default(), Default::default(), Default::default())
        .await
        .map_err(|e| demo_err(e.to_string()))?;
    let summary = crate::sim::sample_org::load(&pool, &sim).await.map_err(|e| demo_err(e.to_string()))?;
    println!("demo data: {summary}");
    // One sync through the declared links, so the link metadata shows it from the start.
    let opts = crate::sync::Options::new(crate::sync::Scope::All, true, "demo");
    let report = crate::sync::run(&pool, &opts, &|_, _, _| {}).await.map_err(|e| demo_err(e.to_string()))?;
    println!("demo sync: run {} {}, {} links, {} rows written, {} errors", report.run_id, report.status, report.links, report.rows_written, report.errors.len());
    let truth = sim.state.read().truth.clone();
    for a in crate::sim::demo_accounts::seed(&pool, &truth).await.map_err(|e| demo_err(e.to_string()))? {
        let leads = a.leads.map(|k| format!(" (leads {k})")).unwrap_or_default();
        println!("sign in as {}: {} / {}{leads}", a.role.as_str(), a.email, a.password);
    }
    // The demo org's legacy records, for `velocity migrate-legacy --from target/demo-org.json`.
    let truth = serde_json::to_vec_pretty(&sim.state.read().truth).map_err(|e| demo_err(e.to_string()))?;
    let truth_file = std::path::Path::new("target/demo-org.json");
    std::fs::create_dir_all("target")
        .and_then(|()| std::fs::write(truth_file, truth))
        .map_err(|e| demo_err(format!("cannot write {}: {e}", truth_file.display())))?;
    println!("legacy records: {}", truth_file.display());
    println!("simulators: {}", serde_json::to_string(&sim.urls).map_err(|e| demo_err(e.to_string()))?);
    startup::serve(&args, pool).await
}

pub async fn sim(args: SimArgs) -> Result<(), StartupError> {
    args.faults.validate().map_err(StartupError::Sim)?;
    let running = crate::sim::server::start(args.org, args.seed, args.credentials, args.ports, args.faults)
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

/// `velocity suggest`: ranked suggestions with evidence for one project, one person or all.
pub async fn suggest(args: SuggestArgs) -> Result<(), StartupError> {
    if !(0.0..=1.0).contains(&args.min_score) {
        return Err(StartupError::Suggest(format!("--min-score must be between 0 and 1, not {}", args.min_score)));
    }
    let pool = startup::connect_and_migrate(&args.database).await?;
    let out = suggest_report(&Links::new(pool), &args).await.map_err(|e| StartupError::Suggest(e.to_string()))?;
    println!("{out}");
    Ok(())
}

/// The suggestions `args` ask for, as readable lines or one JSON document.
async fn suggest_report(links: &Links, args: &SuggestArgs) -> Result<String, crate::links::LinkError> {
    use crate::links::suggestions::Suggestions;
    let mut found: Vec<(String, Suggestions)> = Vec::new();
    if let Some(key) = &args.project {
        found.push((format!("project {key}"), links.suggest_for_project(key).await?));
    }
    if let Some(id) = args.person {
        found.push((format!("person {id}"), links.suggest_for_person(id).await?));
    }
    if args.all {
        for p in crate::store::projects::list_projects(&links.pool).await? {
            found.push((format!("project {} ({})", p.key, p.name), links.suggest_for_project(&p.key).await?));
        }
        for p in crate::store::persons::list_persons(&links.pool).await? {
            found.push((format!("person {} <{}> {}", p.name, p.email, p.id), links.suggest_for_person(p.id).await?));
        }
    }
    for (_, s) in &mut found {
        s.suggestions.retain(|x| x.suggestion.score >= args.min_score);
    }
    if args.json {
        let all: Vec<serde_json::Value> = found.iter().map(|(who, s)| serde_json::json!({"subject": who, "suggestions": s.suggestions, "errors": s.errors})).collect();
        return Ok(serde_json::to_string_pretty(&all).unwrap_or_default());
    }
    let mut out = Vec::new();
    for (who, s) in &found {
        out.push(format!("{who}: {} suggestion(s)", s.suggestions.len()));
        for x in &s.suggestions {
            let x_ = &x.suggestion;
            let rules: Vec<&str> = x_.rules.iter().map(|r| r.as_str()).collect();
            let mut flags = String::new();
            if x_.look_alike {
                flags.push_str(" [look-alike]");
            }
            if let Some(holder) = &x_.conflict {
                flags.push_str(&format!(" [conflict: linked to {holder}]"));
            }
            out.push(format!("  {:.3}  {}{flags}  ({})  id {}", x_.score, x_.label, rules.join(", "), x.id));
            out.extend(x_.evidence.iter().map(|e| format!("         - {e}")));
        }
        out.extend(s.errors.iter().map(|e| format!("  ! could not list {e}")));
    }
    Ok(out.join("\n"))
}

/// `velocity sync`: one run; a progress bar on stderr when it is a terminal; the report as JSON.
pub async fn sync(args: SyncArgs) -> Result<(), StartupError> {
    use std::io::IsTerminal;
    let pool = startup::connect_and_migrate(&args.database).await?;
    let opts = crate::sync::Options::new(args.scope(), args.full, "cli");
    if args.queue {
        let run_id = crate::sync::worker::enqueue(&pool, &opts, None).await.map_err(|e| StartupError::Sync(e.to_string()))?;
        println!("{}", serde_json::json!({ "runId": run_id, "queued": true }));
        return Ok(());
    }
    let bar = std::io::stderr().is_terminal().then(|| {
        let bar = indicatif::ProgressBar::new(0);
        if let Ok(style) = indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} links  {msg}") {
            bar.set_style(style);
        }
        bar
    });
    let progress = |done: usize, total: usize, what: &str| {
        if let Some(bar) = &bar {
            bar.set_length(total as u64);
            bar.set_position(done as u64);
            bar.set_message(what.to_owned());
        }
    };
    let report = crate::sync::run(&pool, &opts, &progress).await.map_err(|e| StartupError::Sync(e.to_string()))?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    println!("{}", serde_json::to_string_pretty(&report).unwrap_or_default());
    if report.status != "succeeded" {
        return Err(StartupError::Sync(format!("run {} finished with {} error(s)", report.run_id, report.errors.len())));
    }
    Ok(())
}

pub async fn admin(cmd: crate::server::cli::AdminCommand) -> Result<(), StartupError> {
    use crate::auth::accounts::{create_account, create_token};
    use crate::server::cli::AdminCommand;
    let fail = |e: String| StartupError::Admin(e);
    match cmd {
        AdminCommand::Create(args) => {
            let role = crate::auth::Role::parse(&args.role).ok_or_else(|| fail(format!("unknown role {}", args.role)))?;
            let password = if args.password_stdin {
                let mut line = String::new();
                std::io::stdin().read_line(&mut line).map_err(|e| fail(format!("cannot read the password from stdin: {e}")))?;
                Some(line.trim_end_matches(['\r', '\n']).to_owned())
            } else {
                None
            };
            let pool = startup::connect_and_migrate(&args.database).await?;
            let created = create_account(&pool, &args.email, args.name.as_deref(), role, password).await.map_err(|e| fail(e.to_string()))?;
            println!("account {} ({}) for person {}", args.email, role.as_str(), created.person_id);
            if let Some(pw) = created.generated_password {
                println!("password (shown once): {pw}");
            }
            Ok(())
        }
        AdminCommand::Token(args) => {
            let pool = startup::connect_and_migrate(&args.database).await?;
            let person = crate::store::accounts::login_by_email(&pool, &args.email)
                .await
                .map_err(|e| fail(e.to_string()))?
                .ok_or_else(|| fail(format!("{} has no account; create one with `velocity admin create`", args.email)))?;
            let (_, token) = create_token(&pool, person.person_id, &args.name).await.map_err(|e| fail(e.to_string()))?;
            println!("{token}");
            Ok(())
        }
    }
}

/// `velocity worker`: claims and works queued sync items until stopped.
pub async fn worker(args: WorkerArgs) -> Result<(), StartupError> {
    use crate::upstream::Limits;
    use crate::sync::worker::{run_forever, WorkerConfig};
    use std::time::Duration;
    let pool = startup::connect_and_migrate(&args.database).await?;
    let cfg = WorkerConfig {
        id: args.id.unwrap_or_else(default_worker_id),
        lease: Duration::from_secs(args.lease_secs.max(1)),
        limits: Limits { concurrency: args.concurrency.max(1), timeout: Duration::from_secs(args.timeout_secs.max(1)), ..Limits::default() },
    };
    tracing::info!(worker = %cfg.id, "worker started");
    tokio::select! {
        r = run_forever(&pool, &cfg, Duration::from_millis(args.poll_ms.max(10))) => r.map_err(|e| StartupError::Sync(e.to_string())),
        () = startup::shutdown_signal() => Ok(()),
    }
}

/// Host, pid and a random part: pids repeat across containers, and so can host names.
fn default_worker_id() -> String {
    let host = std::fs::read_to_string("/etc/hostname")
        .ok()
        .map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .unwrap_or_else(|| "worker".into());
    let random = uuid::Uuid::new_v4().simple().to_string();
    format!("{host}-{}-{}", std::process::id(), &random[..8])
}
