//! Self-links waiting for an admin: the admin's approval or rejection, audited in the same
//! transaction as the change. (A link becomes pending as it is declared: `links::declare`.)

use crate::links::Actor;
use crate::store::audit::{self, NewEntry};
use serde_json::{json, Value};
use sqlx::PgPool;
use uuid::Uuid;

#[derive(Debug, thiserror::Error)]
pub enum PendingError {
    #[error("no pending link with id {0}")]
    NotPending(Uuid),
    #[error(transparent)]
    Store(#[from] sqlx::Error),
}

fn entry(
    actor: Actor,
    action: &'static str,
    person: Uuid,
    link: Uuid,
    before: Value,
    after: Value,
) -> NewEntry<'static> {
    NewEntry {
        actor_id: actor.person_id,
        action,
        entity_type: "person",
        entity_id: person.to_string(),
        link_id: Some(link),
        source: actor.source.as_str(),
        before: Some(before),
        after: Some(after),
    }
}

/// The admin's verdict: approved links become active (`link.approve`), rejected ones are
/// deleted (`link.reject`).
pub async fn decide(
    pool: &PgPool,
    link: Uuid,
    approve: bool,
    actor: Actor,
) -> Result<Uuid, PendingError> {
    let mut tx = pool.begin().await?;
    let person = crate::store::pending::lock(&mut tx, link)
        .await?
        .ok_or(PendingError::NotPending(link))?;
    let before = json!({"pending": true, "active": false});
    if approve {
        crate::store::pending::approve(&mut tx, link).await?;
        audit::record(
            &mut tx,
            entry(
                actor,
                "link.approve",
                person,
                link,
                before,
                json!({"pending": false, "active": true}),
            ),
        )
        .await?;
    } else {
        crate::store::pending::reject(&mut tx, link).await?;
        audit::record(
            &mut tx,
            entry(
                actor,
                "link.reject",
                person,
                link,
                before,
                json!({"pending": false, "deleted": true}),
            ),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(person)
}
