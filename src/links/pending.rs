//! The admin's queue of links waiting for approval (self-links to an account or a commit e-mail
//! that nothing shows is the person's), and the verdict on each: approved links become active
//! (`link.approve`), rejected ones are deleted (`link.reject`), audited in the same transaction
//! with the admin's reason. (A link becomes pending as it is declared: `links::declare`,
//! `links::commit_identities`.)

use super::{Actor, LinkError, Links};
use crate::auth::rules::{self, Principal};
use crate::domain::pending::{reason as checked_reason, why_pending, PendingItem, PendingKind, Verdict};
use crate::store::audit::{self, NewEntry};
use crate::store::{commit_identities, pending as store};
use serde_json::{json, Value};
use uuid::Uuid;

fn entry(actor: Actor, action: &'static str, person: Uuid, link: Uuid, before: Value, after: Value) -> NewEntry<'static> {
    NewEntry { actor_id: actor.person_id, action, entity_type: "person", entity_id: person.to_string(), link_id: Some(link), source: actor.source.as_str(), before: Some(before), after: Some(after) }
}

/// The audit's `after`, with the reason when one was given.
fn outcome(mut after: Value, reason: &Option<String>) -> Value {
    if let (Some(r), Some(map)) = (reason, after.as_object_mut()) {
        map.insert("reason".into(), json!(r));
    }
    after
}

impl Links {
    /// Every link waiting for an admin, oldest first, with the evidence. Admins only.
    pub async fn pending_queue(&self, who: &Principal) -> Result<Vec<PendingItem>, LinkError> {
        rules::admin_only(who)?;
        let rows = store::queue(&self.pool).await?;
        Ok(rows
            .into_iter()
            .map(|r| {
                let kind = if r.kind == "account" { PendingKind::Account } else { PendingKind::CommitEmail };
                PendingItem {
                    why: why_pending(kind, &r.person_name, &r.person_email, r.upstream_email.as_deref()),
                    kind,
                    link_id: r.link_id,
                    person_id: r.person_id,
                    person_name: r.person_name,
                    person_email: r.person_email,
                    platform: r.platform,
                    external_id: r.external_id,
                    username: r.username,
                    upstream_email: r.upstream_email,
                    linked_by: r.linked_by,
                    linked_by_name: r.linked_by_name,
                    linked_at: r.linked_at,
                }
            })
            .collect())
    }

    /// How many links wait; 0 for anyone but an admin, who is the only one who can act on them.
    pub async fn pending_count(&self, who: &Principal) -> Result<i64, LinkError> {
        if rules::admin_only(who).is_err() {
            return Ok(0);
        }
        Ok(store::count(&self.pool).await?)
    }

    /// The admin's verdict on a pending link, with an optional reason kept in the audit entry.
    /// Returns the person the link belongs to.
    pub async fn decide_pending(&self, who: &Principal, actor: Actor, kind: PendingKind, link: Uuid, verdict: Verdict, raw_reason: Option<&str>) -> Result<Uuid, LinkError> {
        rules::admin_only(who)?;
        let reason = checked_reason(raw_reason).map_err(|message| LinkError::Invalid { field: "reason", message })?;
        let mut tx = self.pool.begin().await?;
        let person = match kind {
            PendingKind::Account => store::lock(&mut tx, link).await?,
            PendingKind::CommitEmail => commit_identities::lock(&mut tx, link).await?.filter(|r| r.pending).map(|r| r.person_id),
        }
        .ok_or(LinkError::NotPending(link))?;
        let before = json!({"pending": true, "active": false});
        let (action, after) = match (kind, verdict) {
            (PendingKind::Account, Verdict::Approve) => {
                store::approve(&mut tx, link).await?;
                ("link.approve", json!({"pending": false, "active": true}))
            }
            (PendingKind::Account, Verdict::Reject) => {
                store::reject(&mut tx, link).await?;
                ("link.reject", json!({"pending": false, "deleted": true}))
            }
            (PendingKind::CommitEmail, Verdict::Approve) => {
                commit_identities::approve(&mut tx, link).await?;
                ("link.approve", json!({"pending": false, "active": true}))
            }
            (PendingKind::CommitEmail, Verdict::Reject) => {
                commit_identities::soft_delete(&mut tx, link).await?;
                ("link.reject", json!({"pending": false, "deleted": true}))
            }
        };
        audit::record(&mut tx, entry(actor, action, person, link, before, outcome(after, &reason))).await?;
        tx.commit().await?;
        Ok(person)
    }
}
