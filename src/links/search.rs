//! Live search of what the connections hold, for "Search for other projects…" in the link
//! dialog: lists each matching connection's catalog upstream (nothing cached) and keeps the
//! entries whose key, name or slug contain every word of the query.

use super::{LinkError, Links};
use crate::upstream::catalog;
use crate::domain::catalog::{matches_query, CatalogKind, UpstreamHit};
use crate::domain::{AccountPlatform, RepoPlatform};
use crate::store::connections::list_connections;

/// At most this many hits: a search narrows, it does not page through a catalog.
pub const MAX_HITS: usize = 25;

impl Links {
    pub async fn search_upstream(&self, kind: CatalogKind, query: &str) -> Result<Vec<UpstreamHit>, LinkError> {
        let query = query.trim();
        if query.chars().count() > 200 {
            return Err(LinkError::Invalid { field: "query", message: "is longer than 200 characters".into() });
        }
        let mut hits = Vec::new();
        for conn in list_connections(&self.pool).await?.into_iter().filter(|c| c.enabled && kind.holds(&c.kind)) {
            let hit = |external_id: String, label: String| UpstreamHit { connection_id: conn.id, platform: conn.kind.clone(), external_id, label };
            match kind {
                CatalogKind::Jira => {
                    for p in catalog::jira_projects(&self.upstream(&conn)).await? {
                        if matches_query(query, &[&p.key, &p.name]) {
                            hits.push(hit(p.jira_project_id, format!("{} - {}", p.key, p.name)));
                        }
                    }
                }
                CatalogKind::Repository => {
                    let Ok(platform) = conn.kind.parse::<RepoPlatform>() else { continue };
                    for r in catalog::repositories(&self.upstream(&conn), platform).await? {
                        if matches_query(query, &[&r.slug, &r.name, &r.workspace]) {
                            hits.push(hit(r.external_id, format!("{} {}/{}", platform.display_name(), r.workspace, r.slug)));
                        }
                    }
                }
                CatalogKind::Account => {
                    let Ok(platform) = conn.kind.parse::<AccountPlatform>() else { continue };
                    for a in catalog::accounts(&self.upstream(&conn), platform).await? {
                        let fields = [a.username.as_deref(), a.display_name.as_deref(), a.email.as_deref()];
                        if matches_query(query, &fields.iter().flatten().copied().collect::<Vec<_>>()) {
                            let who = a.display_name.clone().or(a.username.clone()).unwrap_or_else(|| a.external_id.clone());
                            let label = match &a.email {
                                Some(e) => format!("{} {who} <{e}>", platform.display_name()),
                                None => format!("{} {who}", platform.display_name()),
                            };
                            hits.push(hit(a.external_id, label));
                        }
                    }
                }
            }
            if hits.len() >= MAX_HITS {
                break;
            }
        }
        hits.truncate(MAX_HITS);
        Ok(hits)
    }
}
