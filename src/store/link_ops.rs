//! Operations every link kind shares — primary hand-over, flags, soft delete, snapshots for the
//! audit log — written once over the three link tables. These statements differ only by table
//! and owner column, which `query!` cannot take as parameters; the table names come from the
//! `LinkTable` enum, never from input, and the integration tests exercise each statement.

use serde_json::Value;
use sqlx::PgConnection;
use uuid::Uuid;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkTable {
    JiraProjects,
    Repositories,
    Accounts,
}

impl LinkTable {
    fn table(self) -> &'static str {
        match self {
            LinkTable::JiraProjects => "jira_project_links",
            LinkTable::Repositories => "repository_links",
            LinkTable::Accounts => "external_account_links",
        }
    }

    fn owner(self) -> &'static str {
        match self {
            LinkTable::Accounts => "person_id",
            _ => "project_id",
        }
    }

    pub fn external_column(self) -> &'static str {
        match self {
            LinkTable::JiraProjects => "jira_project_id",
            _ => "external_id",
        }
    }
}

/// A link row as found by id: where it lives and its state.
#[derive(Debug, Clone)]
pub struct LinkRow {
    pub table: LinkTable,
    pub id: Uuid,
    pub owner_id: Uuid,
    pub platform: String,
    pub is_primary: bool,
    pub active: bool,
    pub snapshot: Value,
}

/// The link with this id (not deleted) in any of the tables, locked for the transaction.
pub async fn find_link(tx: &mut PgConnection, id: Uuid) -> Result<Option<LinkRow>, sqlx::Error> {
    for table in [LinkTable::JiraProjects, LinkTable::Repositories, LinkTable::Accounts] {
        let sql = format!(
            "select {owner}, platform, is_primary, active, to_jsonb(t) from {table} t where id = $1 and deleted_at is null for update",
            owner = table.owner(),
            table = table.table()
        );
        let row: Option<(Uuid, String, bool, bool, Value)> = sqlx::query_as(&sql).bind(id).fetch_optional(&mut *tx).await?;
        if let Some((owner_id, platform, is_primary, active, snapshot)) = row {
            return Ok(Some(LinkRow { table, id, owner_id, platform, is_primary, active, snapshot }));
        }
    }
    Ok(None)
}

pub async fn snapshot(tx: &mut PgConnection, table: LinkTable, id: Uuid) -> Result<Value, sqlx::Error> {
    let sql = format!("select to_jsonb(t) from {} t where id = $1", table.table());
    sqlx::query_scalar(&sql).bind(id).fetch_one(tx).await
}

/// How many live links the owner has on this platform (the first one becomes primary).
pub async fn live_count(tx: &mut PgConnection, table: LinkTable, owner: Uuid, platform: &str) -> Result<i64, sqlx::Error> {
    let sql = format!(
        "select count(*) from {} where {} = $1 and platform = $2 and deleted_at is null",
        table.table(),
        table.owner()
    );
    sqlx::query_scalar(&sql).bind(owner).bind(platform).fetch_one(tx).await
}

/// Clears the owner's primary link on this platform; returns the demoted link's id.
pub async fn demote_primary(tx: &mut PgConnection, table: LinkTable, owner: Uuid, platform: &str) -> Result<Option<Uuid>, sqlx::Error> {
    let sql = format!(
        "update {} set is_primary = false where {} = $1 and platform = $2 and is_primary and deleted_at is null returning id",
        table.table(),
        table.owner()
    );
    sqlx::query_scalar(&sql).bind(owner).bind(platform).fetch_optional(tx).await
}

pub async fn set_flags(tx: &mut PgConnection, table: LinkTable, id: Uuid, is_primary: bool, active: bool) -> Result<(), sqlx::Error> {
    let sql = format!("update {} set is_primary = $2, active = $3 where id = $1", table.table());
    sqlx::query(&sql).bind(id).bind(is_primary).bind(active).execute(tx).await.map(|_| ())
}

pub async fn soft_delete(tx: &mut PgConnection, table: LinkTable, id: Uuid) -> Result<(), sqlx::Error> {
    let sql = format!("update {} set deleted_at = now(), is_primary = false where id = $1", table.table());
    sqlx::query(&sql).bind(id).execute(tx).await.map(|_| ())
}

/// Makes the oldest remaining active link primary when the owner has no primary on the
/// platform; returns the promoted link's id.
pub async fn promote_oldest(tx: &mut PgConnection, table: LinkTable, owner: Uuid, platform: &str) -> Result<Option<Uuid>, sqlx::Error> {
    let sql = format!(
        "update {t} set is_primary = true where id = (
            select id from {t} where {o} = $1 and platform = $2 and active and deleted_at is null
            and not exists (select 1 from {t} where {o} = $1 and platform = $2 and is_primary and deleted_at is null)
            order by linked_at, id limit 1)
         returning id",
        t = table.table(),
        o = table.owner()
    );
    sqlx::query_scalar(&sql).bind(owner).bind(platform).fetch_optional(tx).await
}

/// Who links this external entity now: (owner id, owner label, link id).
pub async fn holder(tx: &mut PgConnection, table: LinkTable, connection_id: Uuid, external_id: &str) -> Result<Option<(Uuid, String, Uuid)>, sqlx::Error> {
    let label = match table {
        LinkTable::Accounts => "(select name || ' <' || email || '>' from persons where id = l.person_id)",
        _ => "(select key from projects where id = l.project_id)",
    };
    let sql = format!(
        "select {o}, {label}, id from {t} l where connection_id = $1 and {x} = $2 and deleted_at is null",
        o = table.owner(),
        t = table.table(),
        x = table.external_column()
    );
    sqlx::query_as(&sql).bind(connection_id).bind(external_id).fetch_optional(tx).await
}

/// Serialises link writes per entity, so two concurrent first links cannot both become primary.
pub async fn lock_owner(tx: &mut PgConnection, table: LinkTable, owner: Uuid) -> Result<(), sqlx::Error> {
    let sql = match table {
        LinkTable::Accounts => "select id from persons where id = $1 for update",
        _ => "select id from projects where id = $1 for update",
    };
    sqlx::query(sql).bind(owner).execute(tx).await.map(|_| ())
}
