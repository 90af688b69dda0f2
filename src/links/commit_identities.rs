//! Commit identities (platform `git`): a person's git author e-mails, suggested by rule 5 from
//! the unattributed commits already synced, linked by the person, an admin or (for another
//! address than the person's own) pending an admin's approval — audited in the same
//! transaction. Commits re-attribute on the next sync (`store::commit_identities::reattribute`).

use super::{Actor, LinkError, Links};
use crate::auth::rules::{self, AccountLink, Principal};
use crate::domain::RepoPlatform;
use crate::domain::commit_identity::{normalise_email, CommitEmailSuggestion, CommitIdentities, CommitIdentity, IdentityStatus};
use crate::store::audit::{self, NewEntry};
use crate::store::commit_identities::{self as store, IdentityRow, NewIdentity};
use crate::suggest::{commit_email_mailbox, commit_email_refusal, suggest_commit_emails};
use serde_json::json;
use uuid::Uuid;

pub const PLATFORM: &str = "git";

fn view(r: IdentityRow) -> CommitIdentity {
    CommitIdentity {
        id: r.id,
        person_id: r.person_id,
        platform: PLATFORM.into(),
        external_id: r.email,
        connection_id: r.connection_id,
        status: if r.pending { IdentityStatus::Pending } else { IdentityStatus::Linked },
        linked_at: r.linked_at,
        linked_by: r.linked_by,
        commits: r.commits,
    }
}

fn snapshot(r: &IdentityRow) -> serde_json::Value {
    json!({"platform": PLATFORM, "externalId": r.email, "connectionId": r.connection_id, "pending": r.pending})
}

fn entry(actor: Actor, action: &'static str, person: Uuid, link: Uuid, before: Option<serde_json::Value>, after: Option<serde_json::Value>) -> NewEntry<'static> {
    NewEntry { actor_id: actor.person_id, action, entity_type: "person", entity_id: person.to_string(), link_id: Some(link), source: actor.source.as_str(), before, after }
}

impl Links {
    /// A person's linked commit e-mails and the addresses rule 5 suggests for them.
    pub async fn commit_identities(&self, person_id: Uuid) -> Result<CommitIdentities, LinkError> {
        let person = crate::store::persons::person_by_id(&self.pool, person_id).await?.ok_or(LinkError::PersonNotFound(person_id))?;
        let identities: Vec<CommitIdentity> = store::of_person(&self.pool, person_id).await?.into_iter().map(view).collect();
        let suggestions = self.commit_email_suggestions(&person.email).await?;
        Ok(CommitIdentities { identities, suggestions })
    }

    async fn commit_email_suggestions(&self, person_email: &str) -> Result<Vec<CommitEmailSuggestion>, LinkError> {
        let Some(mailbox) = commit_email_mailbox(person_email) else {
            return Ok(Vec::new());
        };
        let candidates = store::unattributed_with_mailbox(&self.pool, &mailbox).await?;
        let held = store::held(&self.pool).await?;
        let domains = crate::store::persons::email_domains(&self.pool).await?;
        Ok(suggest_commit_emails(person_email, &candidates, &domains, &held))
    }

    /// Links `raw_email` to the person. The person links their own address directly and
    /// another one pending an admin (as for accounts); an admin links any directly.
    pub async fn link_commit_identity(&self, who: &Principal, actor: Actor, person_id: Uuid, raw_email: &str, connection_id: Option<Uuid>) -> Result<CommitIdentity, LinkError> {
        let person = crate::store::persons::person_by_id(&self.pool, person_id).await?.ok_or(LinkError::PersonNotFound(person_id))?;
        if let Some(why) = commit_email_refusal(raw_email) {
            return Err(LinkError::Invalid { field: "email", message: why });
        }
        let email = normalise_email(raw_email);
        let pending = rules::link_account(who, person_id, &person.email, Some(&email))? == AccountLink::Pending;
        if let Some(id) = connection_id {
            let known = crate::store::connections::list_connections(&self.pool).await?.into_iter().any(|c| c.id == id && c.kind.parse::<RepoPlatform>().is_ok());
            if !known {
                return Err(LinkError::Invalid { field: "connectionId", message: format!("no GitHub, GitLab or Bitbucket connection with id {id}") });
            }
        }
        let mut tx = self.pool.begin().await?;
        if let Some((link_id, holder_id, holder)) = store::holder(&mut tx, &email).await? {
            return Err(LinkError::Conflict { what: format!("the commit e-mail {email}"), holder, holder_id, link_id });
        }
        let new = NewIdentity { person_id, email: &email, connection_id, pending, linked_by: actor.person_id };
        let (id, linked_at) = store::insert(&mut tx, new).await?;
        let row = IdentityRow { id, person_id, email, connection_id, pending, linked_at, linked_by: actor.person_id, commits: 0 };
        audit::record(&mut tx, entry(actor, "link.create", person_id, id, None, Some(snapshot(&row)))).await?;
        if pending {
            audit::record(&mut tx, entry(actor, "link.pending", person_id, id, Some(json!({"pending": false})), Some(json!({"pending": true})))).await?;
        }
        tx.commit().await?;
        Ok(view(row))
    }

    /// Removes the link; its commits lose their attribution on the next sync.
    pub async fn unlink_commit_identity(&self, who: &Principal, actor: Actor, person_id: Uuid, id: Uuid) -> Result<(), LinkError> {
        rules::manage_person_links(who, person_id)?;
        let mut tx = self.pool.begin().await?;
        let row = store::lock(&mut tx, id).await?.filter(|r| r.person_id == person_id).ok_or(LinkError::LinkNotFound(id))?;
        store::soft_delete(&mut tx, id).await?;
        audit::record(&mut tx, entry(actor, "link.delete", person_id, id, Some(snapshot(&row)), None)).await?;
        tx.commit().await?;
        Ok(())
    }

    /// An admin approves a pending commit e-mail: it attributes from the next sync on.
    pub async fn approve_commit_identity(&self, who: &Principal, actor: Actor, person_id: Uuid, id: Uuid) -> Result<CommitIdentity, LinkError> {
        rules::admin_only(who)?;
        let mut tx = self.pool.begin().await?;
        let row = store::lock(&mut tx, id).await?.filter(|r| r.person_id == person_id && r.pending).ok_or(LinkError::LinkNotFound(id))?;
        store::approve(&mut tx, id).await?;
        audit::record(&mut tx, entry(actor, "link.approve", person_id, id, Some(json!({"pending": true})), Some(json!({"pending": false})))).await?;
        tx.commit().await?;
        Ok(view(IdentityRow { pending: false, ..row }))
    }
}
