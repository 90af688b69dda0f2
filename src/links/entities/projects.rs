//! Project services: list, read, create, update and deactivate. Every write and its one audit
//! entry (`project.create|update|deactivate`, before and after) commit together.

use super::{unique_violation, validate_description, validate_key, validate_name, EntityError};
use crate::domain::Project;
use crate::links::{Actor, Links};
use crate::store::audit::{self, NewEntry};
use crate::store::persons::person_active;
use crate::store::projects::{self as store, ProjectRecord};
use serde_json::{json, Value};
use sqlx::PgConnection;
use uuid::Uuid;

/// A project to create, as the caller sent it.
#[derive(Debug, Clone, Default)]
pub struct NewProject {
    pub key: String,
    pub name: String,
    pub description: Option<String>,
    pub lead_person_id: Option<Uuid>,
}

/// A partial update: `None` leaves the field alone; `lead_person_id: Some(None)` clears the lead.
#[derive(Debug, Clone, Default)]
pub struct ProjectPatch {
    pub name: Option<String>,
    pub description: Option<String>,
    pub lead_person_id: Option<Option<Uuid>>,
    pub active: Option<bool>,
}

impl ProjectPatch {
    pub fn is_empty(&self) -> bool {
        self.name.is_none() && self.description.is_none() && self.lead_person_id.is_none() && self.active.is_none()
    }
}

impl NewProject {
    /// The checks that need no database: key, name and description rules.
    pub fn validated(&self) -> Result<NewProject, EntityError> {
        validate_key(&self.key).map_err(|m| EntityError::invalid("key", m))?;
        Ok(NewProject {
            key: self.key.clone(),
            name: validate_name(&self.name).map_err(|m| EntityError::invalid("name", m))?,
            description: Some(validate_description(self.description.as_deref().unwrap_or("")).map_err(|m| EntityError::invalid("description", m))?),
            lead_person_id: self.lead_person_id,
        })
    }
}

pub(crate) fn project_snapshot(p: &ProjectRecord) -> Value {
    json!({"id": p.id, "key": p.key, "name": p.name, "description": p.description, "leadPersonId": p.lead_person_id, "active": p.active})
}

/// A lead must be a person who exists and is active.
pub(crate) async fn check_lead(tx: &mut PgConnection, field: &'static str, id: Uuid) -> Result<(), EntityError> {
    match person_active(tx, id).await? {
        None => Err(EntityError::invalid(field, format!("no person with id {id}"))),
        Some(false) => Err(EntityError::invalid(field, format!("person {id} is deactivated; choose an active person as lead"))),
        Some(true) => Ok(()),
    }
}

/// Inserts an already validated project and its `project.create` entry in the caller's transaction.
pub(crate) async fn insert_project(tx: &mut PgConnection, p: &NewProject, actor: Actor) -> Result<ProjectRecord, EntityError> {
    let description = p.description.as_deref().unwrap_or("");
    let created = store::create_project(tx, &p.key, &p.name, description, p.lead_person_id).await.map_err(|e| unique_violation(e, &p.key))?;
    let entry = NewEntry {
        actor_id: actor.person_id,
        action: "project.create",
        entity_type: "project",
        entity_id: created.key.clone(),
        link_id: None,
        source: actor.source.as_str(),
        before: None,
        after: Some(project_snapshot(&created)),
    };
    audit::record(tx, entry).await?;
    Ok(created)
}

fn matches(p: &Project, q: &str) -> bool {
    let q = q.to_lowercase();
    p.key.to_lowercase().contains(&q) || p.name.to_lowercase().contains(&q)
}

impl Links {
    /// Every project (active or not) whose key or name contains `q`, ignoring case; ordered by key.
    pub async fn list_projects(&self, q: Option<&str>) -> Result<Vec<Project>, EntityError> {
        let all = store::list_projects(&self.pool).await?;
        Ok(match q.map(str::trim).filter(|q| !q.is_empty()) {
            Some(q) => all.into_iter().filter(|p| matches(p, q)).collect(),
            None => all,
        })
    }

    pub async fn get_project(&self, key: &str) -> Result<Project, EntityError> {
        validate_key(key).map_err(|m| EntityError::invalid("projectKey", m))?;
        store::project_by_key(&self.pool, key).await?.ok_or_else(|| EntityError::NotFound(format!("no project with key '{key}'")))
    }

    pub async fn create_project(&self, new: &NewProject, actor: Actor) -> Result<ProjectRecord, EntityError> {
        let p = new.validated()?;
        let mut tx = self.pool.begin().await?;
        if let Some(lead) = p.lead_person_id {
            check_lead(&mut tx, "leadPersonId", lead).await?;
        }
        let created = insert_project(&mut tx, &p, actor).await?;
        tx.commit().await?;
        Ok(created)
    }

    /// Applies a partial update; turning `active` off is recorded as `project.deactivate`.
    pub async fn update_project(&self, key: &str, patch: &ProjectPatch, actor: Actor) -> Result<ProjectRecord, EntityError> {
        validate_key(key).map_err(|m| EntityError::invalid("projectKey", m))?;
        if patch.is_empty() {
            return Err(EntityError::invalid("body", "nothing to change: send name, description, leadPersonId and/or active"));
        }
        let name = patch.name.as_deref().map(validate_name).transpose().map_err(|m| EntityError::invalid("name", m))?;
        let description = patch.description.as_deref().map(validate_description).transpose().map_err(|m| EntityError::invalid("description", m))?;
        let mut tx = self.pool.begin().await?;
        let before = store::lock_project_by_key(&mut tx, key).await?.ok_or_else(|| EntityError::NotFound(format!("no project with key '{key}'")))?;
        let mut next = before.clone();
        if let Some(name) = name {
            next.name = name;
        }
        if let Some(description) = description {
            next.description = description;
        }
        if let Some(lead) = patch.lead_person_id {
            if let Some(id) = lead.filter(|id| Some(*id) != before.lead_person_id) {
                check_lead(&mut tx, "leadPersonId", id).await?;
            }
            next.lead_person_id = lead;
        }
        next.active = patch.active.unwrap_or(before.active);
        let after = store::update_project(&mut tx, &next).await?;
        let action = if before.active && !after.active { "project.deactivate" } else { "project.update" };
        let entry = NewEntry {
            actor_id: actor.person_id,
            action,
            entity_type: "project",
            entity_id: after.key.clone(),
            link_id: None,
            source: actor.source.as_str(),
            before: Some(project_snapshot(&before)),
            after: Some(project_snapshot(&after)),
        };
        audit::record(&mut tx, entry).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Sets `active = false`; the project stays readable and keeps its links and history.
    pub async fn deactivate_project(&self, key: &str, actor: Actor) -> Result<ProjectRecord, EntityError> {
        self.update_project(key, &ProjectPatch { active: Some(false), ..Default::default() }, actor).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_project_rules_name_the_field() {
        let ok = NewProject { key: "WEB".into(), name: "  Web  ".into(), ..Default::default() };
        let v = ok.validated().unwrap();
        assert_eq!((v.name.as_str(), v.description.as_deref()), ("Web", Some("")));
        let field = |p: NewProject| match p.validated() {
            Err(EntityError::Invalid { field, .. }) => field,
            other => panic!("expected invalid, got {other:?}"),
        };
        assert_eq!(field(NewProject { key: "web".into(), ..ok.clone() }), "key");
        assert_eq!(field(NewProject { name: "x".repeat(201), ..ok.clone() }), "name");
        assert_eq!(field(NewProject { description: Some("x".repeat(2001)), ..ok }), "description");
    }

    #[test]
    fn empty_patch_is_detected() {
        assert!(ProjectPatch::default().is_empty());
        assert!(!ProjectPatch { lead_person_id: Some(None), ..Default::default() }.is_empty());
    }
}
