//! Dismissal memory and the person's verdict on a suggestion. Computed suggestions are stored
//! (one row per target and external entity); a dismissed one stays hidden until
//! `suggest::should_resurface` says its evidence changed materially, and then reopens with an
//! audit entry. Accepting goes through `Links::declare`, so a suggestion never creates a link
//! by itself: the row becomes accepted only once the link is written.

use crate::links::declare::{Candidate, Declared, Options, Owner};
use crate::links::{Actor, LinkError, Links};
use crate::domain::{AccountPlatform, RepoPlatform};
use crate::store::audit::{self, NewEntry};
use crate::store::suggestions::{self as rows, StoredRow, Upsert};
use crate::suggest::{should_resurface, Rule, Suggestion};
use serde::Serialize;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use uuid::Uuid;

/// Where a suggestion stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum SuggestionStatus {
    Open,
    Accepted,
    Dismissed,
}

impl SuggestionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            SuggestionStatus::Open => "open",
            SuggestionStatus::Accepted => "accepted",
            SuggestionStatus::Dismissed => "dismissed",
        }
    }

    fn parse(s: &str) -> Self {
        match s {
            "accepted" => SuggestionStatus::Accepted,
            "dismissed" => SuggestionStatus::Dismissed,
            _ => SuggestionStatus::Open,
        }
    }
}

/// A suggestion as returned: its stored id and status, then the suggestion itself.
#[derive(Clone, Debug, PartialEq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct StoredSuggestion {
    pub id: Uuid,
    pub status: SuggestionStatus,
    /// The connection's platform (jira, bitbucket, github, gitlab, slack): what kind of link
    /// accepting it makes.
    pub platform: String,
    #[serde(flatten)]
    pub suggestion: Suggestion,
}

/// Everything a verdict on a suggestion can refuse.
#[derive(Debug, thiserror::Error)]
pub enum SuggestionError {
    #[error("no suggestion with id {0}")]
    NotFound(Uuid),
    #[error("suggestion {0} was already accepted")]
    AlreadyAccepted(Uuid),
    #[error(transparent)]
    Link(#[from] LinkError),
}

impl From<sqlx::Error> for SuggestionError {
    fn from(e: sqlx::Error) -> Self {
        SuggestionError::Link(LinkError::Store(e))
    }
}

/// The entity suggestions are made for, as stored and as audited.
pub(crate) struct Target {
    pub kind: &'static str,
    pub id: Uuid,
    /// Project key or person id: what the audit log names the entity by.
    pub audit_id: String,
}

fn rule_names(rules: &[Rule]) -> Vec<String> {
    rules.iter().map(|r| r.as_str().to_owned()).collect()
}

fn parse_rules(names: &[String]) -> Vec<Rule> {
    names.iter().filter_map(|n| serde_json::from_value(Value::String(n.clone())).ok()).collect()
}

impl Links {
    /// Stores freshly computed suggestions and answers those to show: new and open ones, and
    /// dismissed ones whose evidence changed materially (reopened, audited `suggestion.reopen`).
    /// `platforms` maps each connection id to its kind.
    pub(crate) async fn remember(&self, target: &Target, computed: Vec<Suggestion>, platforms: &BTreeMap<Uuid, String>) -> Result<Vec<StoredSuggestion>, LinkError> {
        let mut tx = self.pool.begin().await?;
        let existing: BTreeMap<(Uuid, String), (String, f64, Vec<String>)> = rows::lock_for_target(&mut tx, target.kind, target.id)
            .await?
            .into_iter()
            .map(|(_, conn, ext, status, score, rules)| ((conn, ext), (status, score, rules)))
            .collect();
        let mut out = Vec::with_capacity(computed.len());
        for s in computed {
            let names = rule_names(&s.rules);
            let previous = existing.get(&(s.connection_id, s.external_id.clone()));
            let reopen = match previous {
                Some((status, score, rules)) if status == "dismissed" => {
                    if !should_resurface(*score, &parse_rules(rules), s.score, &s.rules) {
                        continue;
                    }
                    Some((*score, rules.clone()))
                }
                _ => None,
            };
            let platform = platforms.get(&s.connection_id).map(String::as_str).unwrap_or_default();
            let upsert = Upsert {
                target_type: target.kind,
                target_id: target.id,
                connection_id: s.connection_id,
                external_id: &s.external_id,
                platform,
                label: &s.label,
                look_alike: s.look_alike,
                score: s.score,
                rules: &names,
                evidence: json!(s.evidence),
            };
            let id = rows::upsert(&mut tx, &upsert, "open").await?;
            if let Some((before_score, before_rules)) = reopen {
                let entry = NewEntry {
                    actor_id: None,
                    action: "suggestion.reopen",
                    entity_type: target.kind,
                    entity_id: target.audit_id.clone(),
                    link_id: None,
                    source: "system",
                    before: Some(json!({"suggestionId": id, "status": "dismissed", "score": before_score, "rules": before_rules})),
                    after: Some(json!({"suggestionId": id, "status": "open", "label": s.label, "score": s.score, "rules": names, "evidence": s.evidence})),
                };
                audit::record(&mut tx, entry).await?;
            }
            out.push(StoredSuggestion { id, status: SuggestionStatus::Open, platform: platform.to_owned(), suggestion: s });
        }
        tx.commit().await?;
        Ok(out)
    }

    /// Dismisses a suggestion (audited `suggestion.dismiss`); dismissing twice changes nothing
    /// and is not audited again.
    pub async fn dismiss_suggestion(&self, id: Uuid, actor: Actor) -> Result<SuggestionStatus, SuggestionError> {
        let mut tx = self.pool.begin().await?;
        let row = rows::lock_by_id(&mut tx, id).await?.ok_or(SuggestionError::NotFound(id))?;
        match SuggestionStatus::parse(&row.status) {
            SuggestionStatus::Dismissed => return Ok(SuggestionStatus::Dismissed),
            SuggestionStatus::Accepted => return Err(SuggestionError::AlreadyAccepted(id)),
            SuggestionStatus::Open => {}
        }
        rows::set_status(&mut tx, id, "dismissed").await?;
        audit::record(&mut tx, verdict_entry(&row, "suggestion.dismiss", "dismissed", actor)).await?;
        tx.commit().await?;
        Ok(SuggestionStatus::Dismissed)
    }

    /// Accepts a suggestion by declaring its link (verify, conflict, warnings, audit). Only when
    /// the link is written does the suggestion become accepted; any refusal leaves it as it was.
    /// What accepting this suggestion would link, and to whom (for permission decisions).
    pub async fn suggestion_request(&self, id: Uuid) -> Result<(Owner, Candidate), SuggestionError> {
        let mut tx = self.pool.begin().await?;
        let row = rows::lock_by_id(&mut tx, id).await?.ok_or(SuggestionError::NotFound(id))?;
        Ok(link_request(&row)?)
    }

    pub async fn accept_suggestion(&self, id: Uuid, opts: Options, actor: Actor) -> Result<(Owner, Declared), SuggestionError> {
        let row = {
            let mut tx = self.pool.begin().await?;
            rows::lock_by_id(&mut tx, id).await?.ok_or(SuggestionError::NotFound(id))?
        };
        if SuggestionStatus::parse(&row.status) == SuggestionStatus::Accepted {
            return Err(SuggestionError::AlreadyAccepted(id));
        }
        let (owner, candidate) = link_request(&row)?;
        let declared = self.declare(&owner, &candidate, opts, actor).await?;
        let mut tx = self.pool.begin().await?;
        if rows::lock_by_id(&mut tx, id).await?.is_some() {
            rows::set_status(&mut tx, id, "accepted").await?;
            let mut entry = verdict_entry(&row, "suggestion.accept", "accepted", actor);
            entry.link_id = Some(declared.link_id);
            audit::record(&mut tx, entry).await?;
        }
        tx.commit().await?;
        Ok((owner, declared))
    }
}

fn audit_id(row: &StoredRow) -> String {
    row.project_key.clone().unwrap_or_else(|| row.target_id.to_string())
}

fn verdict_entry(row: &StoredRow, action: &'static str, status: &str, actor: Actor) -> NewEntry<'static> {
    let entity_type = if row.target_type == "project" { "project" } else { "person" };
    let what = json!({"suggestionId": row.id, "connectionId": row.connection_id, "externalId": row.external_id, "label": row.label, "score": row.score, "rules": row.rules});
    let mut after = what.clone();
    after["status"] = json!(status);
    let mut before = what;
    before["status"] = json!(row.status);
    NewEntry { actor_id: actor.person_id, action, entity_type, entity_id: audit_id(row), link_id: None, source: actor.source.as_str(), before: Some(before), after: Some(after) }
}

/// The link a suggestion proposes, in the terms `declare` takes.
fn link_request(row: &StoredRow) -> Result<(Owner, Candidate), LinkError> {
    let bad_platform = || LinkError::Invalid { field: "suggestionId", message: format!("suggestion {} names an unknown platform '{}'", row.id, row.platform) };
    if row.target_type == "project" {
        let key = row.project_key.clone().ok_or_else(|| LinkError::Invalid { field: "suggestionId", message: format!("the project of suggestion {} no longer exists", row.id) })?;
        let candidate = if row.platform == "jira" {
            Candidate::Jira { connection_id: Some(row.connection_id), project: row.external_id.clone() }
        } else {
            let platform: RepoPlatform = row.platform.parse().map_err(|_| bad_platform())?;
            Candidate::Repository { connection_id: Some(row.connection_id), platform, repository: row.external_id.clone() }
        };
        Ok((Owner::Project(key), candidate))
    } else {
        let platform: AccountPlatform = row.platform.parse().map_err(|_| bad_platform())?;
        Ok((Owner::Person(row.target_id), Candidate::Account { connection_id: Some(row.connection_id), platform, external_id: row.external_id.clone() }))
    }
}
