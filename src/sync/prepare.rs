//! The first two steps of the spec's sync flow, shared by the engine and the workers: load the
//! active links of a scope and validate them upstream by stable id, then read them again (a
//! rename changed them, a link gone upstream is no longer verified) and set up the run's context.
//!
//! Project-side links are validated on every pass: a renamed Jira key or repository changes the
//! rows synced through them, so an incremental pass must see it to end where a full one would.
//! Account links change no synced row when renamed, so an incremental pass validates them only
//! once `validate_accounts_after` has passed since their last validation (a full pass always
//! does): with thousands of accounts that look-up per link was most of an incremental pass.

use super::engine::{Ctx, Options, VALIDATED};
use crate::upstream::client::Upstreams;
use super::report::{LinkChangeNote, RunError};
use super::SyncError;
use crate::domain::actor::{Actor, Source};
use crate::validation::{Outcome, Report, Validator};
use crate::store::cursors;
use crate::store::link_upstream::StoredLink;
use crate::store::sync_links::{self, SyncLink};
use chrono::{DateTime, Utc};
use futures_util::StreamExt;
use sqlx::PgPool;
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

/// Links validated by one sequential look-up pass.
const VALIDATION_CHUNK: usize = 16;
/// Look-up passes side by side (each waits on the network, not on us).
const CHUNKS_IN_FLIGHT: usize = 8;

/// What a run fetches, and what validation could not check.
pub struct Prepared<'a> {
    /// Active, verified, checked links of the scope, as stored after validation.
    pub todo: Vec<SyncLink>,
    pub ctx: Ctx<'a>,
    /// Links whose validation failed upstream: recorded on the run, not fetched.
    pub errors: Vec<RunError>,
    /// What validation changed on links, for the run's report.
    pub link_changes: Vec<LinkChangeNote>,
}

/// `keep` narrows the scope's links (a connection, one work item). Validation goes through
/// `upstreams`, the run's own clients: the same retries, pacing and counts as its data pages.
pub async fn prepare<'a>(
    pool: &'a PgPool,
    opts: &Options,
    upstreams: &Upstreams,
    project: Option<Uuid>,
    person: Option<Uuid>,
    keep: impl Fn(&SyncLink) -> bool,
) -> Result<Prepared<'a>, SyncError> {
    // Links on a disabled connection are never touched upstream: the admin switched it off.
    let disabled: HashSet<Uuid> = crate::store::connections::list_connections(pool).await?.into_iter().filter(|c| !c.enabled).map(|c| c.id).collect();
    let keep = |l: &SyncLink| keep(l) && !disabled.contains(&l.connection_id);
    // Inactive links are never touched upstream, not even to validate them.
    let active: Vec<SyncLink> = sync_links::links(pool, project, person)
        .await?
        .into_iter()
        .filter(|l| l.active && keep(l))
        .collect();
    let ids: Vec<Uuid> = active.iter().map(|l| l.id).collect();
    let stored_cursors = cursors::load(pool, &ids).await?;
    let now = Utc::now();
    let to_check: Vec<&SyncLink> = active
        .iter()
        .filter(|l| {
            l.kind != "account"
                || opts.full
                || due(&stored_cursors, l.id, VALIDATED, now, opts.validate_accounts_after)
        })
        .collect();
    let checked = validate(&Validator { pool, upstreams }, &to_check).await?;
    let unreachable: HashSet<Uuid> = checked.errors.iter().map(|f| f.link_id).collect();
    for l in to_check
        .iter()
        .filter(|l| l.kind == "account" && !unreachable.contains(&l.id))
    {
        cursors::set(pool, l.id, VALIDATED, &now.to_rfc3339()).await?;
    }
    let link_changes = checked
        .changes
        .iter()
        .map(|c| LinkChangeNote { link_id: c.link_id, outcome: serde_json::to_value(c.outcome).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default(), message: c.sentence() })
        .collect();
    let renamed = checked
        .changes
        .iter()
        .filter(|c| c.outcome == Outcome::Renamed)
        .map(|c| c.link_id)
        .collect();
    let todo: Vec<SyncLink> = sync_links::links(pool, project, person)
        .await?
        .into_iter()
        .filter(|l| l.active && l.verified && keep(l) && !unreachable.contains(&l.id))
        .collect();
    let errors = checked
        .errors
        .into_iter()
        .map(|f| RunError {
            link_id: Some(f.link_id),
            url: None,
            message: f.message,
            retried: false,
        })
        .collect();
    let ctx = Ctx::new(pool, opts.full, opts.reconcile_after, stored_cursors, renamed);
    Ok(Prepared { todo, ctx, errors, link_changes })
}

/// Whether a time cursor is missing or at least `after` old.
pub fn due(
    cursors: &HashMap<(Uuid, String), String>,
    link: Uuid,
    stream: &str,
    now: DateTime<Utc>,
    after: chrono::Duration,
) -> bool {
    cursors
        .get(&(link, stream.to_owned()))
        .and_then(|c| DateTime::parse_from_rfc3339(c).ok())
        .is_none_or(|at| now - at.with_timezone(&Utc) >= after)
}

async fn validate(validator: &Validator<'_>, active: &[&SyncLink]) -> Result<Report, SyncError> {
    let actor = Actor {
        person_id: None,
        source: Source::Sync,
    };
    let stored: Vec<StoredLink> = active.iter().map(|l| StoredLink::from(*l)).collect();
    // Read once for the run: every chunk's links are answered from the same listings.
    let listings = validator.listings(&stored).await?;
    let chunks: Vec<_> = stored.chunks(VALIDATION_CHUNK).map(|c| validator.look_up_all_with(c.to_vec(), &listings)).collect();
    let mut all = futures_util::stream::iter(chunks).buffer_unordered(CHUNKS_IN_FLIGHT);
    let mut looked = Vec::with_capacity(active.len());
    while let Some(part) = all.next().await {
        looked.extend(part?);
    }
    // Applied together, so the mass-invalidation guard judges the whole run.
    let report = validator.apply_all(looked, actor).await?;
    if !report.refused.is_empty() {
        return Err(SyncError::Refused(report.refused.join("; ")));
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::due;
    use chrono::{Duration, TimeZone, Utc};
    use std::collections::HashMap;
    use uuid::Uuid;

    #[test]
    fn a_cursor_is_due_when_missing_unreadable_or_old_enough() {
        let link = Uuid::nil();
        let now = Utc.with_ymd_and_hms(2026, 1, 1, 12, 0, 0).unwrap();
        let at = |t: chrono::DateTime<Utc>| HashMap::from([((link, "validated".to_owned()), t.to_rfc3339())]);
        let six = Duration::hours(6);
        assert!(due(&HashMap::new(), link, "validated", now, six));
        assert!(due(&HashMap::from([((link, "validated".to_owned()), "soon".to_owned())]), link, "validated", now, six));
        assert!(!due(&at(now - Duration::hours(5)), link, "validated", now, six));
        assert!(due(&at(now - six), link, "validated", now, six));
        // Another link's cursor does not count.
        assert!(due(&at(now), Uuid::from_u128(1), "validated", now, six));
    }
}
