//! The legacy migration (spec "Migration Strategy", Phase 2) behind `velocity migrate-legacy`:
//! turns the single-link fields of pre-link records (a project's `jiraKey` and `bitbucketRepos`,
//! a person's `jiraAccountId`, `bitbucketUsername` and `slackUserId`) into links through the
//! same declare service a person uses, so each reference is looked up upstream, checked for
//! conflicts, made primary when first of its platform and audited (source `migration`).
//! Every reference ends in one reported outcome; none is dropped. A second run changes nothing:
//! links the owner already holds are reported `already_present`.

use super::checks::Warning;
use super::declare::{Candidate, Options, Owner};
use super::{Actor, LinkError, Links, Source};
use crate::domain::{AccountPlatform, RepoPlatform};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::HashMap;
use std::path::Path;
use uuid::Uuid;

#[derive(Debug, thiserror::Error)]
pub enum MigrateError {
    #[error("cannot read the legacy records from {path}: {reason}")]
    Input { path: String, reason: String },
    #[error("cannot write the report to {path}: {reason}")]
    Report { path: String, reason: String },
    #[error("the migration stopped on a database error ({0}); the links written so far stay, and running it again continues")]
    Store(#[from] sqlx::Error),
}

/// The input file: what `velocity sim --truth` writes. Other keys are ignored.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LegacyRecords {
    pub legacy_projects: Option<Vec<LegacyProject>>,
    pub legacy_persons: Option<Vec<LegacyPerson>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LegacyProject {
    pub key: String,
    pub jira_key: Option<String>,
    pub bitbucket_workspace: Option<String>,
    #[serde(default)]
    pub bitbucket_repos: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LegacyPerson {
    pub email: String,
    pub jira_account_id: Option<String>,
    pub bitbucket_username: Option<String>,
    pub slack_user_id: Option<String>,
}

pub fn parse_records(bytes: &[u8]) -> Result<LegacyRecords, String> {
    let records: LegacyRecords = serde_json::from_slice(bytes).map_err(|e| format!("it is not valid legacy-record JSON ({e})"))?;
    // Without either array this is some other file; migrating "nothing" would hide that.
    if records.legacy_projects.is_none() && records.legacy_persons.is_none() {
        return Err("it has neither a legacyProjects nor a legacyPersons array".into());
    }
    Ok(records)
}

pub fn read_records(path: &Path) -> Result<LegacyRecords, MigrateError> {
    let input = |reason: String| MigrateError::Input { path: path.display().to_string(), reason };
    parse_records(&std::fs::read(path).map_err(|e| input(e.to_string()))?).map_err(input)
}

/// What Velocity has: project ids by key, person ids by lower-cased e-mail, Bitbucket
/// connections as (id, workspace).
#[derive(Debug, Default)]
pub struct Known {
    pub projects: HashMap<String, Uuid>,
    pub persons: HashMap<String, Uuid>,
    pub bitbucket: Vec<(Uuid, String)>,
}

/// One legacy field value (`entity` is the project key or the person's e-mail) and its owner,
/// or why Velocity has none.
#[derive(Debug, Clone)]
pub struct Reference {
    pub entity_type: &'static str,
    pub entity: String,
    pub field: &'static str,
    pub value: String,
    pub owner: Result<(Owner, Uuid), String>,
    pub want: Want,
}

#[derive(Debug, Clone)]
pub enum Want {
    Link(Candidate),
    /// The value is a Bitbucket nickname, resolved to its account first.
    BitbucketNickname,
    Unresolved(String),
}

fn present(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// The references in the records, in file order; blank fields are skipped, and a record whose
/// entity is missing is reported even when it has none. No IO.
pub fn plan(records: &LegacyRecords, known: &Known) -> Vec<Reference> {
    let mut out = Vec::new();
    let mut push = |entity_type, entity: &str, owner: Result<(Owner, Uuid), String>, wants: Vec<(&'static str, &str, Want)>| {
        let missing = (wants.is_empty() && owner.is_err()).then(|| ("record", entity, Want::Unresolved(String::new())));
        for (field, value, want) in wants.into_iter().chain(missing) {
            out.push(Reference { entity_type, entity: entity.to_owned(), field, value: value.to_owned(), owner: owner.clone(), want });
        }
    };
    for p in records.legacy_projects.iter().flatten() {
        let key = p.key.trim();
        let owner = known.projects.get(key).map(|id| (Owner::Project(key.to_owned()), *id)).ok_or_else(|| format!("no project with key '{key}' in Velocity"));
        let jira = present(&p.jira_key).map(|k| ("jiraKey", k, Want::Link(Candidate::Jira { connection_id: None, project: k.to_owned() })));
        // No workspace named: the only Bitbucket connection (the declare service says if not one).
        let connection = match present(&p.bitbucket_workspace) {
            None => Ok(None),
            Some(ws) => known.bitbucket.iter().find(|(_, scope)| scope.eq_ignore_ascii_case(ws)).map(|(id, _)| Some(*id)).ok_or(format!("no Bitbucket connection for workspace '{ws}'")),
        };
        let repos = p.bitbucket_repos.iter().map(|s| s.trim()).filter(|s| !s.is_empty()).map(|raw| {
            // "workspace/slug" names its workspace itself.
            let (connection, slug) = match raw.split_once('/') {
                Some((ws, slug)) => (known.bitbucket.iter().find(|(_, scope)| scope.eq_ignore_ascii_case(ws.trim())).map(|(id, _)| Some(*id)).ok_or(format!("no Bitbucket connection for workspace '{}'", ws.trim())), slug.trim()),
                None => (connection.clone(), raw),
            };
            let want = match connection {
                Ok(connection_id) => Want::Link(Candidate::Repository { connection_id, platform: RepoPlatform::Bitbucket, repository: slug.to_owned() }),
                Err(reason) => Want::Unresolved(reason),
            };
            ("bitbucketRepos", raw, want)
        });
        push("project", &p.key, owner, jira.into_iter().chain(repos).collect());
    }
    for p in records.legacy_persons.iter().flatten() {
        let owner = known.persons.get(&p.email.trim().to_lowercase()).map(|id| (Owner::Person(*id), *id)).ok_or_else(|| format!("no person with e-mail '{}' in Velocity", p.email));
        let account = |platform, id: &str| Want::Link(Candidate::Account { connection_id: None, platform, external_id: id.to_owned() });
        let wants = [
            present(&p.jira_account_id).map(|id| ("jiraAccountId", id, account(AccountPlatform::Jira, id))),
            present(&p.bitbucket_username).map(|nickname| ("bitbucketUsername", nickname, Want::BitbucketNickname)),
            present(&p.slack_user_id).map(|id| ("slackUserId", id, account(AccountPlatform::Slack, id))),
        ];
        push("person", &p.email, owner, wants.into_iter().flatten().collect());
    }
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Created,
    AlreadyPresent,
    Conflict,
    Unresolved,
}

/// What happened to one reference (in a dry run, `created` means "would be created").
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Entry {
    pub entity_type: &'static str,
    pub entity: String,
    pub field: &'static str,
    pub value: String,
    pub outcome: Outcome,
    pub external_id: Option<String>,
    pub link_id: Option<Uuid>,
    pub is_primary: Option<bool>,
    /// Who holds the external entity instead (conflict), why it is not linked (unresolved).
    pub holder: Option<String>,
    pub reason: Option<String>,
    pub note: Option<String>,
    /// Acknowledged on the migration's behalf and recorded in the audit entry.
    pub warnings: Vec<Warning>,
}

impl Entry {
    fn new(r: &Reference) -> Self {
        Entry { entity_type: r.entity_type, entity: r.entity.clone(), field: r.field, value: r.value.clone(), outcome: Outcome::Unresolved, external_id: None, link_id: None, is_primary: None, holder: None, reason: None, note: None, warnings: vec![] }
    }

    fn ends(self, outcome: Outcome, link_id: Option<Uuid>, is_primary: Option<bool>) -> Self {
        Entry { outcome, link_id, is_primary, ..self }
    }
    fn unresolved(self, reason: String) -> Self {
        Entry { reason: Some(reason), ..self.ends(Outcome::Unresolved, None, None) }
    }
    fn conflict(self, holder: String) -> Self {
        Entry { holder: Some(holder), ..self.ends(Outcome::Conflict, None, None) }
    }
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    pub dry_run: bool,
    pub created: usize,
    pub already_present: usize,
    pub conflicts: usize,
    pub unresolved: usize,
    pub references: Vec<Entry>,
}

impl Report {
    pub fn new(dry_run: bool, references: Vec<Entry>) -> Self {
        let count = |o| references.iter().filter(|e| e.outcome == o).count();
        let (created, already_present, conflicts, unresolved) = (count(Outcome::Created), count(Outcome::AlreadyPresent), count(Outcome::Conflict), count(Outcome::Unresolved));
        Report { dry_run, created, already_present, conflicts, unresolved, references }
    }

    /// The line printed to stdout.
    pub fn summary(&self) -> String {
        let verb = if self.dry_run { "would create" } else { "created" };
        format!("{verb} {}, already present {}, conflicts {}, unresolved {}", self.created, self.already_present, self.conflicts, self.unresolved)
    }

    /// Writes the report as pretty JSON, creating the parent folder.
    pub fn write(&self, path: &Path) -> Result<(), MigrateError> {
        let fail = |reason: String| MigrateError::Report { path: path.display().to_string(), reason };
        let json = serde_json::to_vec_pretty(self).map_err(|e| fail(e.to_string()))?;
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| fail(e.to_string()))?;
        }
        std::fs::write(path, json).map_err(|e| fail(e.to_string()))
    }
}

/// What the checks learnt that the reader should know: a renamed Jira key, a dead account.
fn note(candidate: &Candidate, preview: &Value) -> Option<String> {
    match candidate {
        Candidate::Jira { project, .. } => preview["key"].as_str().filter(|k| !k.eq_ignore_ascii_case(project)).map(|k| format!("key '{project}' is now '{k}'")),
        Candidate::Account { .. } => (preview["active"] == Value::Bool(false)).then(|| "the account is deactivated upstream".to_owned()),
        Candidate::Repository { .. } => None,
    }
}

/// A database failure stops the run; any other refusal is this reference's outcome.
fn unresolved_or_stop(entry: Entry, e: LinkError) -> Result<Entry, MigrateError> {
    match e {
        LinkError::Store(e) => Err(MigrateError::Store(e)),
        other => Ok(entry.unresolved(other.to_string())),
    }
}

impl Links {
    /// Migrates every reference in order; `dry_run` runs the same checks and writes nothing.
    pub async fn migrate_legacy(&self, records: &LegacyRecords, dry_run: bool) -> Result<Report, MigrateError> {
        let known = Known {
            projects: crate::store::projects::list_projects(&self.pool).await?.into_iter().map(|p| (p.key, p.id)).collect(),
            persons: crate::store::persons::list_persons(&self.pool).await?.into_iter().map(|p| (p.email.to_lowercase(), p.id)).collect(),
            bitbucket: crate::store::connections::list_connections(&self.pool).await?.into_iter().filter(|c| c.kind == "bitbucket").map(|c| (c.id, c.scope)).collect(),
        };
        let mut entries = Vec::new();
        for r in plan(records, &known) {
            entries.push(self.migrate_one(r, dry_run).await?);
        }
        Ok(Report::new(dry_run, entries))
    }

    async fn migrate_one(&self, r: Reference, dry_run: bool) -> Result<Entry, MigrateError> {
        let entry = Entry::new(&r);
        let (owner, owner_id) = match r.owner {
            Ok(owner) => owner,
            Err(missing) => return Ok(entry.unresolved(missing)),
        };
        let candidate = match r.want {
            Want::Link(candidate) => candidate,
            Want::Unresolved(reason) => return Ok(entry.unresolved(reason)),
            Want::BitbucketNickname => {
                match self.bitbucket_member(&r.value).await {
                    Ok((conn, a)) => Candidate::Account { connection_id: Some(conn.id), platform: AccountPlatform::Bitbucket, external_id: a.external_id },
                    Err(e) => return unresolved_or_stop(entry, e),
                }
            }
        };
        // Checked first in both modes, so a dry run predicts the real run.
        let v = match self.verify(&owner, &candidate).await { Ok(v) => v, Err(e) => return unresolved_or_stop(entry, e) };
        let entry = Entry { external_id: Some(v.external_id.clone()), note: note(&candidate, &v.preview), warnings: v.warnings.clone(), ..entry };
        // `verify` leaves the owner's own link out of its conflicts, so look for it here.
        if let Some((link_id, is_primary)) = self.own_link(&owner, v.connection_id, &v.external_id).await? {
            return Ok(entry.ends(Outcome::AlreadyPresent, Some(link_id), Some(is_primary)));
        }
        if let Some(c) = v.conflict {
            return Ok(entry.conflict(c.holder));
        }
        if dry_run {
            return Ok(entry.ends(Outcome::Created, None, None));
        }
        let opts = Options { acknowledge_warnings: true, ..Options::default() };
        match self.declare(&owner, &candidate, opts, Actor { person_id: None, source: Source::Migration }).await {
            Ok(d) => Ok(Entry { warnings: d.warnings, ..entry }.ends(Outcome::Created, Some(d.link_id), Some(d.is_primary))),
            // Linked by someone else (or a parallel run) between the check and the write.
            Err(LinkError::Conflict { holder_id, link_id, .. }) if holder_id == owner_id => Ok(entry.ends(Outcome::AlreadyPresent, Some(link_id), None)),
            Err(LinkError::Conflict { holder, .. }) => Ok(entry.conflict(holder)),
            Err(e) => unresolved_or_stop(entry, e),
        }
    }

    /// The owner's live link to this external entity: (link id, primary).
    async fn own_link(&self, owner: &Owner, connection_id: Uuid, external_id: &str) -> Result<Option<(Uuid, bool)>, sqlx::Error> {
        let same = |c: Uuid, x: &str| c == connection_id && x == external_id;
        Ok(match owner {
            Owner::Project(key) => crate::store::projects::project_by_key(&self.pool, key).await?.and_then(|p| {
                let jira = p.jira_projects.iter().find(|l| same(l.connection_id, &l.jira_project_id)).map(|l| (l.id, l.is_primary));
                jira.or_else(|| p.repositories.iter().find(|l| same(l.connection_id, &l.external_id)).map(|l| (l.id, l.is_primary)))
            }),
            Owner::Person(id) => crate::store::persons::person_by_id(&self.pool, *id)
                .await?
                .and_then(|p| p.external_accounts.iter().find(|l| same(l.connection_id, &l.external_id)).map(|l| (l.id, l.is_primary))),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_become_one_reference_per_field_and_missing_entities_stay() {
        let (platform, ann, bitbucket) = (Uuid::from_u128(1), Uuid::from_u128(2), Uuid::from_u128(3));
        let known = Known { projects: [("PLATFORM".into(), platform)].into(), persons: [("ann@acme.test".into(), ann)].into(), bitbucket: vec![(bitbucket, "acme".into())] };
        let records = serde_json::json!({"persons": [], "legacyProjects": [
                {"key": "PLATFORM", "name": "Platform", "jiraKey": "PF", "bitbucketWorkspace": "ACME", "bitbucketRepos": ["platform-api", " "]},
                {"key": "PLATFORM", "bitbucketWorkspace": "other", "bitbucketRepos": ["x"]},
                {"key": "GONE", "jiraKey": "GN"}, {"key": "EMPTY", "jiraKey": null, "bitbucketRepos": []}],
            "legacyPersons": [{"name": "Ann", "email": "Ann@Acme.test", "jiraAccountId": "5b1", "bitbucketUsername": "ann", "slackUserId": ""}]});
        let refs = plan(&parse_records(records.to_string().as_bytes()).unwrap(), &known);
        let fields: Vec<(&str, &str)> = refs.iter().map(|r| (r.field, r.value.as_str())).collect();
        assert_eq!(fields, [("jiraKey", "PF"), ("bitbucketRepos", "platform-api"), ("bitbucketRepos", "x"), ("jiraKey", "GN"), ("record", "EMPTY"), ("jiraAccountId", "5b1"), ("bitbucketUsername", "ann")]);
        assert!(matches!(&refs[0], Reference { owner: Ok((Owner::Project(k), id)), want: Want::Link(Candidate::Jira { project, .. }), .. } if k == "PLATFORM" && *id == platform && project == "PF"));
        assert!(matches!(&refs[1].want, Want::Link(Candidate::Repository { connection_id: Some(c), .. }) if *c == bitbucket));
        assert!(matches!(&refs[2].want, Want::Unresolved(m) if m == "no Bitbucket connection for workspace 'other'"));
        assert_eq!(refs[3].owner.as_ref().unwrap_err(), "no project with key 'GONE' in Velocity");
        assert_eq!(refs[4].owner.as_ref().unwrap_err(), "no project with key 'EMPTY' in Velocity");
        assert!(matches!(&refs[5], Reference { owner: Ok((Owner::Person(id), _)), want: Want::Link(Candidate::Account { platform: AccountPlatform::Jira, .. }), .. } if *id == ann));
        assert!(matches!(&refs[6], Reference { owner: Ok((_, id)), want: Want::BitbucketNickname, .. } if *id == ann));
    }

    #[test]
    fn input_must_be_legacy_records() {
        assert!(parse_records(br#"{"legacyPersons": []}"#).is_ok());
        assert_eq!(parse_records(b"{}").unwrap_err(), "it has neither a legacyProjects nor a legacyPersons array");
        assert!(parse_records(b"{not json").unwrap_err().starts_with("it is not valid legacy-record JSON"));
        assert!(parse_records(br#"{"legacyProjects": [{"jiraKey": "X"}]}"#).unwrap_err().contains("missing field `key`"));
    }

    #[test]
    fn summary_counts_outcomes_and_says_would_in_a_dry_run() {
        let r = Reference { entity_type: "project", entity: "P".into(), field: "jiraKey", value: "K".into(), owner: Err(String::new()), want: Want::Unresolved(String::new()) };
        let entries = vec![Entry::new(&r).ends(Outcome::Created, None, None), Entry::new(&r).conflict("MOBILE".into()), Entry::new(&r).unresolved("gone".into())];
        assert_eq!(Report::new(true, entries.clone()).summary(), "would create 1, already present 0, conflicts 1, unresolved 1");
        assert_eq!(Report::new(false, entries).summary(), "created 1, already present 0, conflicts 1, unresolved 1");
    }
}
