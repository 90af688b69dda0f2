//! Server function for the audit log page: the same filters as `GET /api/audit`, each entry
//! with its actor's name.

use crate::api::ApiError;
use chrono::{DateTime, NaiveDateTime, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

#[cfg(feature = "ssr")]
use crate::api::context::{links, ui_actor};
#[cfg(feature = "ssr")]
use crate::api::error::with_status;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditEntryView {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor_id: Option<Uuid>,
    #[serde(default)]
    pub actor: Option<String>,
    pub action: String,
    pub entity_type: String,
    pub entity_id: String,
    /// The entity as a person reads it: a person's or connection's name (ids mean nothing to
    /// them); a project's key is its name here.
    #[serde(default)]
    pub entity_name: Option<String>,
    pub link_id: Option<Uuid>,
    pub source: String,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

/// The page's filter fields, as the query string carries them (empty means "any").
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AuditQuery {
    pub entity_type: String,
    pub entity_id: String,
    pub actor: String,
    pub action: String,
    pub since: String,
    pub until: String,
    /// Entries older than this entry id (the "Older" link carries the last id shown).
    pub before: String,
}

/// One page of the log, newest first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditPage {
    pub entries: Vec<AuditEntryView>,
    /// The `before` of the next, older page; none on the last page.
    pub older: Option<i64>,
}

/// Entries per page on the audit page.
pub const PAGE: usize = 50;

/// A time from the filter form: RFC 3339, or what a `datetime-local` input sends
/// (`2026-11-25T14:30`, read as UTC).
pub fn parse_time(field: &str, raw: &str) -> Result<Option<DateTime<Utc>>, String> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(raw) {
        return Ok(Some(t.with_timezone(&Utc)));
    }
    ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(raw, f).ok())
        .map(|t| Some(t.and_utc()))
        .ok_or_else(|| format!("{field}: '{raw}' is not a time like 2026-11-25T14:30"))
}

#[cfg(feature = "ssr")]
fn non_empty(s: &str) -> Option<String> {
    Some(s.trim().to_owned()).filter(|s| !s.is_empty())
}

#[server]
pub async fn audit_log(query: AuditQuery) -> Result<AuditPage, ApiError> {
    use crate::store::audit::Filter;
    with_status(
        async {
            ui_actor().await?;
            let actor_id = match non_empty(&query.actor) {
                Some(a) => Some(a.parse::<Uuid>().map_err(|_| ApiError::invalid("actor", format!("'{a}' is not a person id")))?),
                None => None,
            };
            let filter = Filter {
                entity_type: non_empty(&query.entity_type),
                entity_id: non_empty(&query.entity_id),
                actor_id,
                action: non_empty(&query.action),
                since: parse_time("since", &query.since).map_err(|m| ApiError::invalid("since", m))?,
                until: parse_time("until", &query.until).map_err(|m| ApiError::invalid("until", m))?,
                before: match non_empty(&query.before) {
                    Some(b) => Some(b.parse::<i64>().map_err(|_| ApiError::invalid("before", format!("'{b}' is not an audit entry id")))?),
                    None => None,
                },
                // One more than shown tells whether an older page exists.
                limit: PAGE as i64 + 1,
            };
            let l = links()?;
            let persons = crate::store::persons::list_persons(&l.pool).await?;
            let connections = crate::store::connections::list_connections(&l.pool).await?;
            let mut entries: Vec<AuditEntryView> = crate::api::reshape(l.audit(&filter).await?)?;
            let older = (entries.len() > PAGE).then(|| entries[PAGE - 1].id);
            entries.truncate(PAGE);
            let person_name = |id: &str| id.parse::<Uuid>().ok().and_then(|id| persons.iter().find(|p| p.id == id)).map(|p| p.name.clone());
            for v in &mut entries {
                v.actor = v.actor_id.and_then(|id| persons.iter().find(|p| p.id == id)).map(|p| p.name.clone());
                v.entity_name = match v.entity_type.as_str() {
                    "person" => person_name(&v.entity_id),
                    "connection" => connections.iter().find(|c| c.id.to_string() == v.entity_id).map(|c| c.name.clone()),
                    _ => None,
                };
            }
            Ok(AuditPage { entries, older })
        }
        .await,
    )
}

#[cfg(test)]
mod tests {
    use super::parse_time;

    #[test]
    fn form_times_are_utc_and_rfc3339_keeps_its_offset() {
        let t = parse_time("since", "2026-11-25T14:30").unwrap().unwrap();
        assert_eq!(t.to_rfc3339(), "2026-11-25T14:30:00+00:00");
        let t = parse_time("since", "2026-11-25T14:30:00+01:00").unwrap().unwrap();
        assert_eq!(t.to_rfc3339(), "2026-11-25T13:30:00+00:00");
        assert_eq!(parse_time("since", " "), Ok(None));
        assert!(parse_time("until", "yesterday").unwrap_err().starts_with("until:"));
    }
}
