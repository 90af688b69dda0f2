//! Person services: list, read, create, update and deactivate. Every write and its one audit
//! entry (`person.create|update|deactivate`, before and after) commit together. E-mails are
//! unique ignoring case (the database's `persons_email_key` index).

use super::{unique_violation, validate_email, validate_name, EntityError};
use crate::domain::Person;
use crate::links::{Actor, Links};
use crate::store::audit::{self, NewEntry};
use crate::store::persons::{self as store, PersonRecord};
use serde_json::{json, Value};
use sqlx::PgConnection;
use uuid::Uuid;

/// A person to create, as the caller sent them.
#[derive(Debug, Clone, Default)]
pub struct NewPerson {
    pub name: String,
    pub email: String,
    /// Defaults to active.
    pub active: Option<bool>,
}

/// A partial update: `None` leaves the field alone.
#[derive(Debug, Clone, Default)]
pub struct PersonPatch {
    pub name: Option<String>,
    pub email: Option<String>,
    pub active: Option<bool>,
}

impl PersonPatch {
    pub fn is_empty(&self) -> bool {
        self.name.is_none() && self.email.is_none() && self.active.is_none()
    }
}

impl NewPerson {
    /// The checks that need no database: name and e-mail rules.
    pub fn validated(&self) -> Result<NewPerson, EntityError> {
        Ok(NewPerson {
            name: validate_name(&self.name).map_err(|m| EntityError::invalid("name", m))?,
            email: validate_email(&self.email).map_err(|m| EntityError::invalid("email", m))?,
            active: Some(self.active.unwrap_or(true)),
        })
    }
}

pub(crate) fn person_snapshot(p: &PersonRecord) -> Value {
    json!({"id": p.id, "name": p.name, "email": p.email, "active": p.active})
}

/// Inserts an already validated person and their `person.create` entry in the caller's transaction.
pub(crate) async fn insert_person(tx: &mut PgConnection, p: &NewPerson, actor: Actor) -> Result<PersonRecord, EntityError> {
    let created = store::create_person(tx, &p.name, &p.email, p.active.unwrap_or(true)).await.map_err(|e| unique_violation(e, &p.email))?;
    let entry = NewEntry {
        actor_id: actor.person_id,
        action: "person.create",
        entity_type: "person",
        entity_id: created.id.to_string(),
        link_id: None,
        source: actor.source.as_str(),
        before: None,
        after: Some(person_snapshot(&created)),
    };
    audit::record(tx, entry).await?;
    Ok(created)
}

fn matches(p: &Person, q: &str) -> bool {
    let q = q.to_lowercase();
    p.name.to_lowercase().contains(&q) || p.email.to_lowercase().contains(&q)
}

fn not_found(id: Uuid) -> EntityError {
    EntityError::NotFound(format!("no person with id {id}"))
}

impl Links {
    /// Every person (active or not) whose name or e-mail contains `q`, ignoring case.
    pub async fn list_persons(&self, q: Option<&str>) -> Result<Vec<Person>, EntityError> {
        let all = store::list_persons(&self.pool).await?;
        Ok(match q.map(str::trim).filter(|q| !q.is_empty()) {
            Some(q) => all.into_iter().filter(|p| matches(p, q)).collect(),
            None => all,
        })
    }

    pub async fn get_person(&self, id: Uuid) -> Result<Person, EntityError> {
        store::person_by_id(&self.pool, id).await?.ok_or_else(|| not_found(id))
    }

    pub async fn create_person(&self, new: &NewPerson, actor: Actor) -> Result<PersonRecord, EntityError> {
        let p = new.validated()?;
        let mut tx = self.pool.begin().await?;
        let created = insert_person(&mut tx, &p, actor).await?;
        tx.commit().await?;
        Ok(created)
    }

    /// Applies a partial update; turning `active` off is recorded as `person.deactivate`.
    pub async fn update_person(&self, id: Uuid, patch: &PersonPatch, actor: Actor) -> Result<PersonRecord, EntityError> {
        if patch.is_empty() {
            return Err(EntityError::invalid("body", "nothing to change: send name, email and/or active"));
        }
        let name = patch.name.as_deref().map(validate_name).transpose().map_err(|m| EntityError::invalid("name", m))?;
        let email = patch.email.as_deref().map(validate_email).transpose().map_err(|m| EntityError::invalid("email", m))?;
        let mut tx = self.pool.begin().await?;
        let before = store::lock_person(&mut tx, id).await?.ok_or_else(|| not_found(id))?;
        let next = PersonRecord {
            id,
            name: name.unwrap_or_else(|| before.name.clone()),
            email: email.unwrap_or_else(|| before.email.clone()),
            active: patch.active.unwrap_or(before.active),
        };
        let after = store::update_person(&mut tx, &next).await.map_err(|e| unique_violation(e, &next.email))?;
        let action = if before.active && !after.active { "person.deactivate" } else { "person.update" };
        let entry = NewEntry {
            actor_id: actor.person_id,
            action,
            entity_type: "person",
            entity_id: id.to_string(),
            link_id: None,
            source: actor.source.as_str(),
            before: Some(person_snapshot(&before)),
            after: Some(person_snapshot(&after)),
        };
        audit::record(&mut tx, entry).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Sets `active = false`; the person stays readable and keeps their links and history.
    pub async fn deactivate_person(&self, id: Uuid, actor: Actor) -> Result<PersonRecord, EntityError> {
        self.update_person(id, &PersonPatch { active: Some(false), ..Default::default() }, actor).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_person_rules_name_the_field() {
        let ok = NewPerson { name: " Jane Doe ".into(), email: " jane@example.com".into(), active: None };
        let v = ok.validated().unwrap();
        assert_eq!((v.name.as_str(), v.email.as_str(), v.active), ("Jane Doe", "jane@example.com", Some(true)));
        let field = |p: NewPerson| match p.validated() {
            Err(EntityError::Invalid { field, .. }) => field,
            other => panic!("expected invalid, got {other:?}"),
        };
        assert_eq!(field(NewPerson { name: String::new(), ..ok.clone() }), "name");
        assert_eq!(field(NewPerson { email: "jane".into(), ..ok }), "email");
    }
}
