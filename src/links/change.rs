//! Changing and deleting links: activation, primary hand-over (demoting the old primary
//! atomically; deleting or deactivating the primary promotes the oldest remaining active
//! link), soft deletion. Each change and its audit entries commit together.

use super::declare::Owner;
use super::{Actor, LinkError, Links};
use crate::store::audit::{self, NewEntry};
use crate::store::link_ops::{self, LinkRow};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::PgConnection;
use uuid::Uuid;

#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize)]
#[derive(utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LinkChange {
    pub is_primary: Option<bool>,
    pub active: Option<bool>,
}

#[derive(Debug, Clone, Serialize)]
#[derive(utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Changed {
    pub link_id: Uuid,
    pub is_primary: bool,
    pub active: bool,
    /// The link that became primary because this one stopped being it, or this one when its
    /// reactivation found its platform without a primary.
    pub promoted: Option<Uuid>,
}

/// An audit entry for a change of one link of one entity.
fn entry<'a>(actor: Actor, entity_type: &'a str, entity_id: &str, action: &'a str, link: Uuid, before: serde_json::Value, after: serde_json::Value) -> NewEntry<'a> {
    NewEntry {
        actor_id: actor.person_id,
        action,
        entity_type,
        entity_id: entity_id.to_owned(),
        link_id: Some(link),
        source: actor.source.as_str(),
        before: Some(before),
        after: Some(after),
    }
}

impl Links {
    /// The owner's id and its audit identity.
    async fn owner_id(&self, owner: &Owner) -> Result<(Uuid, &'static str, String), LinkError> {
        match owner {
            Owner::Project(key) => {
                let id = crate::store::projects::project_id_by_key(&self.pool, key).await?;
                id.map(|id| (id, "project", key.clone())).ok_or_else(|| LinkError::ProjectNotFound(key.clone()))
            }
            Owner::Person(id) => {
                let found = crate::store::persons::person_exists(&self.pool, *id).await?.then_some(*id);
                found.map(|id| (id, "person", id.to_string())).ok_or(LinkError::PersonNotFound(*id))
            }
        }
    }

    async fn owned_link(tx: &mut PgConnection, owner_id: Uuid, kind: &'static str, link_id: Uuid) -> Result<LinkRow, LinkError> {
        let row = link_ops::find_link(tx, link_id).await?.filter(|r| r.owner_id == owner_id);
        let belongs = row.as_ref().is_some_and(|r| (r.table == link_ops::LinkTable::Accounts) == (kind == "person"));
        row.filter(|_| belongs).ok_or(LinkError::LinkNotFound(link_id))
    }

    /// The entity's row first, then the link's: the order every link write takes
    /// (`declare` too), so two writers on one entity wait for each other instead of deadlocking.
    async fn lock_owned_link(tx: &mut PgConnection, owner_id: Uuid, kind: &'static str, link_id: Uuid) -> Result<LinkRow, LinkError> {
        let owner_table = if kind == "person" { link_ops::LinkTable::Accounts } else { link_ops::LinkTable::JiraProjects };
        link_ops::lock_owner(tx, owner_table, owner_id).await?;
        Self::owned_link(tx, owner_id, kind, link_id).await
    }

    pub async fn change(&self, owner: &Owner, link_id: Uuid, change: LinkChange, actor: Actor) -> Result<Changed, LinkError> {
        if change.is_primary.is_none() && change.active.is_none() {
            return Err(LinkError::Invalid { field: "body", message: "nothing to change: send isPrimary and/or active".into() });
        }
        let (owner_id, entity_type, entity_id) = self.owner_id(owner).await?;
        super::retry::transient(|| self.change_once(owner_id, entity_type, &entity_id, link_id, change, actor)).await
    }

    async fn change_once(&self, owner_id: Uuid, entity_type: &'static str, entity_id: &str, link_id: Uuid, change: LinkChange, actor: Actor) -> Result<Changed, LinkError> {
        let mut tx = self.pool.begin().await?;
        let row = Self::lock_owned_link(&mut tx, owner_id, entity_type, link_id).await?;
        let active = change.active.unwrap_or(row.active);
        let is_primary = change.is_primary.unwrap_or(row.is_primary) && active;
        if change.is_primary == Some(true) && !active {
            return Err(LinkError::Invalid { field: "isPrimary", message: "an inactive link cannot be primary; activate it too".into() });
        }
        let audit_entry = |action, link, before, after| entry(actor, entity_type, entity_id, action, link, before, after);
        if is_primary && !row.is_primary {
            if let Some(old) = link_ops::demote_primary(&mut tx, row.table, owner_id, &row.platform).await? {
                audit::record(&mut tx, audit_entry("link.demote", old, json!({"isPrimary": true}), json!({"isPrimary": false}))).await?;
            }
        }
        link_ops::set_flags(&mut tx, row.table, link_id, is_primary, active).await?;
        let after = link_ops::snapshot(&mut tx, row.table, link_id).await?;
        audit::record(&mut tx, audit_entry("link.update", link_id, row.snapshot.clone(), after)).await?;
        // Deactivating the primary hands it on, and reactivating a link on a platform left
        // without one takes it back; explicitly un-marking it leaves none.
        let hands_on = row.is_primary && !active;
        let takes_back = active && !row.active && !is_primary;
        let promoted = if hands_on || takes_back { self.promote(&mut tx, &row, owner_id, &audit_entry).await? } else { None };
        tx.commit().await?;
        Ok(Changed { link_id, is_primary: is_primary || promoted == Some(link_id), active, promoted })
    }

    pub async fn delete(&self, owner: &Owner, link_id: Uuid, actor: Actor) -> Result<Changed, LinkError> {
        let (owner_id, entity_type, entity_id) = self.owner_id(owner).await?;
        super::retry::transient(|| self.delete_once(owner_id, entity_type, &entity_id, link_id, actor)).await
    }

    async fn delete_once(&self, owner_id: Uuid, entity_type: &'static str, entity_id: &str, link_id: Uuid, actor: Actor) -> Result<Changed, LinkError> {
        let mut tx = self.pool.begin().await?;
        let row = Self::lock_owned_link(&mut tx, owner_id, entity_type, link_id).await?;
        link_ops::soft_delete(&mut tx, row.table, link_id).await?;
        let after = link_ops::snapshot(&mut tx, row.table, link_id).await?;
        let audit_entry = |action, link, before, after| entry(actor, entity_type, entity_id, action, link, before, after);
        audit::record(&mut tx, audit_entry("link.delete", link_id, row.snapshot.clone(), after)).await?;
        let promoted = if row.is_primary { self.promote(&mut tx, &row, owner_id, &audit_entry).await? } else { None };
        tx.commit().await?;
        Ok(Changed { link_id, is_primary: false, active: row.active, promoted })
    }

    async fn promote<'a, F>(&self, tx: &mut PgConnection, row: &LinkRow, owner_id: Uuid, audit_entry: &F) -> Result<Option<Uuid>, LinkError>
    where
        F: Fn(&'static str, Uuid, serde_json::Value, serde_json::Value) -> NewEntry<'a>,
    {
        let promoted = link_ops::promote_oldest(tx, row.table, owner_id, &row.platform).await?;
        if let Some(id) = promoted {
            audit::record(tx, audit_entry("link.promote", id, json!({"isPrimary": false}), json!({"isPrimary": true}))).await?;
        }
        Ok(promoted)
    }
}
