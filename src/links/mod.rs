//! The link services: declare, confirm, change and delete links between Velocity entities and
//! external entities, with the confirmation checks of the spec (exists upstream, no conflict,
//! duplicate warnings, preview) and an audit entry in the same transaction as every change.
//! Shared by the REST handlers and the Leptos server functions.

pub mod change;
pub mod checks;
pub mod commit_identities;
pub mod declare;
pub mod entities;
pub mod error;
pub mod migrate;
pub mod nickname;
pub mod overview;
pub mod pending;
mod retry;
pub mod search;
pub mod suggestions;

pub use error::LinkError;

use crate::store::connections::{list_connections, Connection};
use crate::upstream::{Limits, Upstream, Upstreams};
use sqlx::PgPool;
use uuid::Uuid;

pub use crate::domain::actor::{Actor, Source};

/// What the services need: the pool and the connections' clients for upstream look-ups.
#[derive(Clone)]
pub struct Links {
    pub pool: PgPool,
    pub upstreams: Upstreams,
}

/// Look-ups a person waits for give up sooner than a sync's pages.
const LOOKUP_LIMITS: Limits = Limits { concurrency: 4, timeout: std::time::Duration::from_secs(20), attempts: 5 };

impl Links {
    pub fn new(pool: PgPool) -> Self {
        Links { pool, upstreams: Upstreams::new(Default::default(), LOOKUP_LIMITS) }
    }

    /// The connection's client, shared with every other look-up of these services.
    /// Link validation through these services' own clients.
    pub fn validator(&self) -> crate::validation::Validator<'_> {
        crate::validation::Validator { pool: &self.pool, upstreams: &self.upstreams }
    }

    pub fn upstream(&self, conn: &Connection) -> Upstream {
        self.upstreams.get(conn)
    }

    /// The named connection (which must be of `kind`), or the only one of that kind.
    pub async fn connection(&self, kind: &str, id: Option<Uuid>) -> Result<Connection, LinkError> {
        let (of_kind, disabled): (Vec<Connection>, Vec<Connection>) = list_connections(&self.pool).await?.into_iter().filter(|c| c.kind == kind).partition(|c| c.enabled);
        if let Some(off) = disabled.iter().find(|c| Some(c.id) == id) {
            return Err(LinkError::Invalid { field: "connectionId", message: format!("the {kind} connection '{}' is disabled; an admin can enable it on the Connections page", off.name) });
        }
        match id {
            Some(id) => of_kind.into_iter().find(|c| c.id == id).ok_or_else(|| LinkError::Invalid {
                field: "connectionId",
                message: format!("no {kind} connection with id {id}"),
            }),
            None => match of_kind.len() {
                1 => Ok(of_kind.into_iter().next().expect("one element")),
                0 => Err(LinkError::Invalid {
                    field: "connectionId",
                    message: match disabled.first() {
                        Some(off) => format!("the {kind} connection '{}' is disabled; an admin can enable it on the Connections page", off.name),
                        None => format!("no {kind} connection is configured; an admin can add one on the Connections page"),
                    },
                }),
                n => Err(LinkError::Invalid { field: "connectionId", message: format!("{n} {kind} connections exist; say which one") }),
            },
        }
    }
}
