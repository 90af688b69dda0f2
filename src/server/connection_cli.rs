//! `velocity connection add|list|test|update|disable|remove`: the connections of the REST API
//! and the Connections page, from a shell. A secret comes from stdin (`--token-stdin`) or an
//! environment variable named with `--token-env`, never from argv, where `ps` shows it.

use crate::connections::{self, Actor};
use crate::domain::connection::{AuthMode, ConnectionChange, ConnectionInput, TestOutcome};
use crate::server::cli::DatabaseArgs;
use crate::server::startup::{self, StartupError};
use clap::{Args, Subcommand};
use uuid::Uuid;

#[derive(Subcommand, Debug, Clone)]
pub enum ConnectionCommand {
    /// Test a new connection and save it if the upstream accepts it.
    Add(AddArgs),
    /// Every connection with its state (never its secret).
    List(ListArgs),
    /// Test a saved connection with its stored credentials.
    Test(IdArgs),
    /// Change a connection; a new token (or e-mail) rotates its credentials.
    Update(UpdateArgs),
    /// Stop contacting a connection (its links stay; nothing of it syncs).
    Disable(IdArgs),
    /// Remove a connection that has no links.
    Remove(IdArgs),
}

#[derive(Args, Debug, Clone)]
pub struct SecretArgs {
    /// Read the token from the first line of stdin.
    #[arg(long, conflicts_with = "token_env")]
    pub token_stdin: bool,
    /// Read the token from this environment variable.
    #[arg(long, value_name = "VARIABLE")]
    pub token_env: Option<String>,
    /// Allow a plain-http base URL that is not loopback (a lab without TLS).
    #[arg(long, env = "VELOCITY_ALLOW_HTTP_UPSTREAMS")]
    pub allow_http_upstreams: bool,
}

#[derive(Args, Debug, Clone)]
pub struct AddArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
    #[arg(long, value_parser = ["jira", "bitbucket", "github", "gitlab", "slack"])]
    pub kind: String,
    #[arg(long)]
    pub name: String,
    #[arg(long)]
    pub base_url: String,
    /// Bitbucket workspace, GitHub org, GitLab group, Slack team; none for Jira.
    #[arg(long, default_value = "")]
    pub scope: String,
    #[arg(long, value_parser = ["basic", "bearer"])]
    pub auth: Option<String>,
    /// The account e-mail a basic token goes with.
    #[arg(long)]
    pub email: Option<String>,
    #[command(flatten)]
    pub secret: SecretArgs,
    /// Seconds between scheduled syncs (0: none).
    #[arg(long)]
    pub sync_interval_secs: Option<i32>,
    /// At most this many requests a second to the connection (0: no cap beyond its own limits).
    #[arg(long)]
    pub max_requests_per_second: Option<i32>,
    /// Save even if the test fails (e.g. the upstream is down right now).
    #[arg(long)]
    pub save_untested: bool,
}

#[derive(Args, Debug, Clone)]
pub struct ListArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// One JSON document instead of readable lines.
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug, Clone)]
pub struct IdArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
    pub id: Uuid,
}

#[derive(Args, Debug, Clone)]
pub struct UpdateArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
    pub id: Uuid,
    #[arg(long)]
    pub name: Option<String>,
    #[arg(long)]
    pub base_url: Option<String>,
    #[arg(long)]
    pub scope: Option<String>,
    #[arg(long, value_parser = ["basic", "bearer"])]
    pub auth: Option<String>,
    #[arg(long)]
    pub email: Option<String>,
    #[command(flatten)]
    pub secret: SecretArgs,
    #[arg(long)]
    pub sync_interval_secs: Option<i32>,
    #[arg(long)]
    pub max_requests_per_second: Option<i32>,
    /// Contact the connection again.
    #[arg(long)]
    pub enable: bool,
}

const CLI: Actor<'static> = Actor { person_id: None, source: "system" };

fn fail(e: impl std::fmt::Display) -> StartupError {
    StartupError::Admin(e.to_string())
}

fn token(secret: &SecretArgs) -> Result<Option<String>, StartupError> {
    if secret.token_stdin {
        let mut line = String::new();
        std::io::stdin().read_line(&mut line).map_err(|e| fail(format!("cannot read the token from stdin: {e}")))?;
        return Ok(Some(line.trim_end_matches(['\r', '\n']).to_owned()));
    }
    match &secret.token_env {
        Some(var) => std::env::var(var).map(Some).map_err(|_| fail(format!("the environment variable {var} is not set"))),
        None => Ok(None),
    }
}

fn print_outcome(o: &TestOutcome) {
    println!("{} {}", if o.ok { "ok:" } else { "refused:" }, o.message);
    for s in &o.sees {
        println!("  sees {} {}{}", s.count, s.what, if s.more { "+" } else { "" });
    }
    for w in &o.warnings {
        println!("  warning: {w}");
    }
    if let Some(left) = o.rate_limit_remaining {
        println!("  rate limit left: {left}");
    }
}

pub async fn run(cmd: ConnectionCommand) -> Result<(), StartupError> {
    match cmd {
        ConnectionCommand::Add(a) => {
            crate::upstream::policy::set_allow_http(a.secret.allow_http_upstreams);
            let token = token(&a.secret)?.ok_or_else(|| fail("give the token with --token-stdin or --token-env VARIABLE"))?;
            let input = ConnectionInput {
                kind: a.kind,
                name: a.name,
                base_url: a.base_url,
                scope: a.scope,
                auth: a.auth.as_deref().and_then(AuthMode::parse),
                email: a.email,
                token,
                sync_interval_secs: a.sync_interval_secs,
                enabled: None,
                max_requests_per_second: a.max_requests_per_second,
            };
            let outcome = connections::test_unsaved(&input).await.map_err(fail)?;
            print_outcome(&outcome);
            if !outcome.ok && !a.save_untested {
                return Err(fail("not saved: fix what the upstream refused, or pass --save-untested"));
            }
            let pool = startup::connect_and_migrate(&a.database).await?;
            let saved = connections::create(&pool, &input, CLI).await.map_err(fail)?;
            println!("saved connection {} ({})", saved.id, saved.name);
            Ok(())
        }
        ConnectionCommand::List(a) => {
            let pool = startup::connect_and_migrate(&a.database).await?;
            let all = connections::list(&pool).await.map_err(fail)?;
            if a.json {
                println!("{}", serde_json::to_string_pretty(&all).map_err(fail)?);
                return Ok(());
            }
            for c in all {
                let scope = if c.scope.is_empty() { String::new() } else { format!(" {}", c.scope) };
                let state = if c.enabled { "enabled" } else { "disabled" };
                let test = c.last_test.map(|t| format!(", last test {}", if t.ok { "ok" } else { "refused" })).unwrap_or_default();
                println!("{} {} {:?} {}{scope} ({state}, credentials {}, {} active links{test})", c.id, c.kind, c.name, c.base_url, c.credentials, c.active_links);
            }
            Ok(())
        }
        ConnectionCommand::Test(a) => {
            let pool = startup::connect_and_migrate(&a.database).await?;
            let outcome = connections::test_saved(&pool, a.id).await.map_err(fail)?;
            print_outcome(&outcome);
            if outcome.ok { Ok(()) } else { Err(fail("the connection test failed")) }
        }
        ConnectionCommand::Update(a) => {
            crate::upstream::policy::set_allow_http(a.secret.allow_http_upstreams);
            let change = ConnectionChange {
                name: a.name,
                base_url: a.base_url,
                scope: a.scope,
                auth: a.auth.as_deref().and_then(AuthMode::parse),
                email: a.email,
                token: token(&a.secret)?,
                sync_interval_secs: a.sync_interval_secs,
                enabled: a.enable.then_some(true),
                max_requests_per_second: a.max_requests_per_second,
            };
            let pool = startup::connect_and_migrate(&a.database).await?;
            let saved = connections::update(&pool, a.id, &change, CLI).await.map_err(fail)?;
            println!("updated connection {} ({})", saved.id, saved.name);
            Ok(())
        }
        ConnectionCommand::Disable(a) => {
            let pool = startup::connect_and_migrate(&a.database).await?;
            let change = ConnectionChange { enabled: Some(false), ..ConnectionChange::default() };
            let saved = connections::update(&pool, a.id, &change, CLI).await.map_err(fail)?;
            println!("disabled connection {} ({}); its {} active links stay and sync nothing until it is enabled", saved.id, saved.name, saved.active_links);
            Ok(())
        }
        ConnectionCommand::Remove(a) => {
            let pool = startup::connect_and_migrate(&a.database).await?;
            connections::remove(&pool, a.id, CLI).await.map_err(fail)?;
            println!("removed connection {}", a.id);
            Ok(())
        }
    }
}
