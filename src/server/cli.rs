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
    /// Import persons and projects from a .json or .csv file: every row is checked, then all are
    /// written or none; prints the report (counts, or each rejected row with its field).
    Import(ImportArgs),
    /// Serve the app with a sample organisation loaded (for trying Velocity without accounts).
    Demo(ServeArgs),
    /// Run the simulated Jira, Bitbucket, GitHub, GitLab and Slack (plus their admin API) on
    /// loopback, and print one JSON line with their URLs and credentials once they listen.
    Sim(SimArgs),
    /// Turn legacy single-link records (a project's jiraKey and bitbucketRepos, a person's
    /// jiraAccountId, bitbucketUsername and slackUserId) into links; safe to run again.
    MigrateLegacy(MigrateLegacyArgs),
    /// Measure something an issue names a figure for; prints one JSON line.
    #[command(subcommand)]
    Bench(crate::bench::Bench),
    /// Print ranked link suggestions with their evidence (stored like the API's; dismissed ones
    /// are left out). Never links anything.
    Suggest(SuggestArgs),
    /// Sync data from upstream through the declared, active links of one project, one person
    /// or everything; prints the run's report as JSON.
    Sync(SyncArgs),
    /// Accounts and API tokens (sign-in).
    #[command(subcommand)]
    Admin(AdminCommand),
    /// The upstream systems Velocity reads: add (tested first), list, test, update (rotate the
    /// secret), disable, remove.
    #[command(subcommand)]
    Connection(crate::server::connection_cli::ConnectionCommand),
    /// Work queued sync runs with any number of other workers on the same database (claims with
    /// a lease; a dead worker's items are taken over once its lease expires).
    Worker(WorkerArgs),
}

#[derive(Args, Debug, Clone)]
pub struct WorkerArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// Name in claims; defaults to <host>-<pid>-<random>.
    #[arg(long)]
    pub id: Option<String>,
    /// Seconds a claim lasts without renewal (renewed every third of it while working).
    #[arg(long, default_value_t = 30)]
    pub lease_secs: u64,
    /// Milliseconds between looks for new work.
    #[arg(long, default_value_t = 1000)]
    pub poll_ms: u64,
    /// Upstream requests in flight per connection.
    #[arg(long, default_value_t = 4)]
    pub concurrency: usize,
    /// Seconds before an upstream request is given up (and retried).
    #[arg(long, default_value_t = 20)]
    pub timeout_secs: u64,
}

#[derive(Args, Debug, Clone)]
#[command(group(clap::ArgGroup::new("subject").required(true).args(["project", "person", "all"])))]
pub struct SyncArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// Sync the project with this key.
    #[arg(long)]
    pub project: Option<String>,
    /// Sync the person with this id (UUID).
    #[arg(long)]
    pub person: Option<uuid::Uuid>,
    /// Sync every link.
    #[arg(long)]
    pub all: bool,
    /// A full pass instead of an incremental one.
    #[arg(long)]
    pub full: bool,
    /// Queue the run for `velocity worker` processes instead of running it here; prints its id.
    #[arg(long)]
    pub queue: bool,
}

impl SyncArgs {
    pub fn scope(&self) -> crate::sync::Scope {
        match (&self.project, self.person) {
            (Some(key), _) => crate::sync::Scope::Project(key.clone()),
            (None, Some(id)) => crate::sync::Scope::Person(id),
            (None, None) => crate::sync::Scope::All,
        }
    }
}

#[derive(Subcommand, Debug)]
pub enum AdminCommand {
    /// Give a person an account with a role (creating the person with --name when nobody has the
    /// e-mail). The password is read from stdin with --password-stdin, otherwise generated and
    /// printed once.
    Create(AdminCreateArgs),
    /// Create an API token for a person's account and print it once (for scripts and CI).
    Token(AdminTokenArgs),
}

#[derive(Args, Debug, Clone)]
pub struct AdminCreateArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
    #[arg(long)]
    pub email: String,
    /// The person's name, when they do not exist yet.
    #[arg(long)]
    pub name: Option<String>,
    #[arg(long, value_parser = ["admin", "lead", "member"])]
    pub role: String,
    /// Read the password from the first line of stdin instead of generating one.
    #[arg(long)]
    pub password_stdin: bool,
}

#[derive(Args, Debug, Clone)]
pub struct AdminTokenArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// E-mail of the person (who must have an account) whose rights the token carries.
    #[arg(long)]
    pub email: String,
    /// A name to recognise the token by.
    #[arg(long, default_value = "cli")]
    pub name: String,
}

#[derive(Args, Debug, Clone)]
#[command(group(clap::ArgGroup::new("subject").required(true).args(["project", "person", "all"])))]
pub struct SuggestArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// Suggestions for the project with this key.
    #[arg(long)]
    pub project: Option<String>,
    /// Suggestions for the person with this id (UUID).
    #[arg(long)]
    pub person: Option<uuid::Uuid>,
    /// Suggestions for every project and person.
    #[arg(long)]
    pub all: bool,
    /// Hide suggestions scoring below this (0 to 1).
    #[arg(long, default_value_t = crate::suggest::MIN_SCORE)]
    pub min_score: f64,
    /// One JSON document instead of readable lines.
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug, Clone)]
pub struct SimArgs {
    /// Size of the generated org: S (demo), M or L.
    #[arg(long, value_enum, default_value = "s", ignore_case = true)]
    pub org: crate::sim::org::OrgSize,
    /// Seed of the generated org: the same seed gives the same org.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Write the ground truth (who owns which account, which project owns which repo) here.
    #[arg(long)]
    pub truth: Option<PathBuf>,
    #[command(flatten)]
    pub credentials: crate::sim::server::Credentials,
    #[command(flatten)]
    pub ports: crate::sim::server::SimPorts,
    #[command(flatten)]
    pub faults: crate::sim::faults::FaultRates,
}

#[derive(Args, Debug, Clone)]
pub struct MigrateLegacyArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// Look every reference up and report what would happen, without writing anything.
    #[arg(long)]
    pub dry_run: bool,
    /// JSON file with `legacyProjects` and `legacyPersons` arrays (as `velocity sim --truth` writes).
    #[arg(long)]
    pub from: PathBuf,
    /// Where to write the full JSON report (its folder is created).
    #[arg(long, default_value = "target/migrate-legacy-report.json")]
    pub report: PathBuf,
}

#[derive(Args, Debug, Clone)]
pub struct DatabaseArgs {
    /// PostgreSQL URL, e.g. postgres://user:password@127.0.0.1:5432/velocity
    #[arg(long, env = "DATABASE_URL", hide_env_values = true)]
    pub database_url: String,
}

#[derive(Args, Debug, Clone)]
pub struct ImportArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// The file: .json ({"persons": [...], "projects": [...]}) or .csv (one kind, with a header).
    #[arg(long)]
    pub file: PathBuf,
    /// What a .csv file holds (columns key,name,description,leadEmail or name,email,active).
    #[arg(long, value_enum)]
    pub kind: Option<crate::links::entities::Kind>,
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
    /// Let connections use plain-http base URLs that are not loopback (a lab without TLS);
    /// otherwise credentials go only over https.
    #[arg(long, env = "VELOCITY_ALLOW_HTTP_UPSTREAMS")]
    pub allow_http_upstreams: bool,
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
    fn sim_defaults_and_sizes() {
        let cli = Cli::try_parse_from(["velocity", "sim", "--org", "M", "--seed", "7"]).unwrap();
        let Command::Sim(args) = cli.command else { panic!("sim command") };
        assert_eq!(args.org, crate::sim::org::OrgSize::M);
        assert_eq!(args.seed, 7);
        assert!(Cli::try_parse_from(["velocity", "sim", "--org", "XL"]).is_err());
    }

    #[test]
    fn bad_addr_is_a_clear_error() {
        let err = Cli::try_parse_from(["velocity", "serve", "--database-url", "postgres://x/y", "--addr", "nope"]).unwrap_err();
        assert!(err.to_string().contains("invalid value 'nope' for '--addr"), "{err}");
    }
}
