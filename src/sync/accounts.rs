//! The person side of a run: worklogs per Jira connection (attached to persons through their
//! active Jira account links, as the spec's person example), Slack profiles, then every account
//! link's metadata (`lastSeen`, `lastSynced`).

use super::engine::Ctx;
use crate::upstream::client::Upstream;
use super::report::RunReport;
use super::{jira, slack, SyncError};
use crate::store::cursors;
use crate::store::sync_links::{self, SyncLink};
use crate::store::synced;
use chrono::{DateTime, Utc};
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

/// The worklog feeds hide the last minute and are ordered by update time: start a minute
/// before the last `until` so nothing written near it is missed.
const FEED_OVERLAP_MS: i64 = 60_000;

pub async fn sync_accounts(
    ctx: &Ctx<'_>,
    upstreams: &HashMap<Uuid, Upstream>,
    accounts: &[&SyncLink],
    report: &mut RunReport,
) {
    let mut failed: HashSet<Uuid> = HashSet::new();
    let mut slack_seen: HashMap<Uuid, HashMap<String, Option<DateTime<Utc>>>> = HashMap::new();
    let mut connections: Vec<Uuid> = accounts.iter().map(|l| l.connection_id).collect();
    connections.sort();
    connections.dedup();
    for conn_id in connections {
        let Some(up) = upstreams.get(&conn_id) else {
            continue;
        };
        let of_conn: Vec<&SyncLink> = accounts
            .iter()
            .copied()
            .filter(|l| l.connection_id == conn_id)
            .collect();
        let result = match up.conn.kind.as_str() {
            "jira" => sync_worklogs(ctx, up, &of_conn, report).await,
            "slack" => slack::users(up).await.map(|users| {
                slack_seen.insert(conn_id, users);
            }),
            _ => Ok(()),
        };
        if let Err(e) = result {
            report.error(None, &e);
            failed.extend(of_conn.iter().map(|l| l.id));
        }
    }
    for link in accounts.iter().filter(|l| !failed.contains(&l.id)) {
        let seen = slack_seen
            .get(&link.connection_id)
            .and_then(|users| users.get(&link.external_id).copied().flatten());
        if let Err(e) = sync_links::account_link_synced(ctx.pool, link.id, seen, Utc::now()).await {
            report.error(Some(link.id), &e.into());
        }
    }
}

/// Where a feed starts for these links: the oldest of their cursors (a new link starts at 0).
fn feed_since(ctx: &Ctx<'_>, links: &[&SyncLink], stream: &str) -> i64 {
    let oldest = links
        .iter()
        .map(|l| {
            ctx.cursor(l.id, stream)
                .and_then(|c| c.parse::<i64>().ok())
                .unwrap_or(0)
        })
        .min()
        .unwrap_or(0);
    if oldest == 0 {
        0
    } else {
        (oldest - FEED_OVERLAP_MS).max(0)
    }
}

async fn set_feed_cursor(
    ctx: &Ctx<'_>,
    links: &[&SyncLink],
    stream: &str,
    until: i64,
) -> Result<(), SyncError> {
    for l in links {
        let old = ctx
            .cursor(l.id, stream)
            .and_then(|c| c.parse::<i64>().ok())
            .unwrap_or(0);
        if until > old {
            cursors::set(ctx.pool, l.id, stream, &until.to_string()).await?;
        }
    }
    Ok(())
}

async fn sync_worklogs(
    ctx: &Ctx<'_>,
    up: &Upstream,
    links: &[&SyncLink],
    report: &mut RunReport,
) -> Result<(), SyncError> {
    let by_account: HashMap<&str, (Uuid, Uuid)> = links
        .iter()
        .map(|l| (l.external_id.as_str(), (l.owner_id, l.id)))
        .collect();
    let (changed, until) =
        jira::worklog_feed(up, "updated", feed_since(ctx, links, "worklogs")).await?;
    // Consecutive feed pages overlap on their boundary item (`since` is inclusive).
    let mut ids: Vec<i64> = changed.iter().map(|c| c.worklog_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let rows = jira::worklogs(up, &ids).await?;
    let mine: Vec<_> = rows
        .into_iter()
        .filter_map(|w| {
            let (person, link) = *by_account.get(w.jira_account_id.as_str())?;
            Some((w, person, link))
        })
        .collect();
    let written = synced::upsert_worklogs(ctx.pool, up.conn.id, &mine).await?;
    let (gone, gone_until) =
        jira::worklog_feed(up, "deleted", feed_since(ctx, links, "worklogs_deleted")).await?;
    let mut gone: Vec<String> = gone.iter().map(|c| c.worklog_id.to_string()).collect();
    gone.sort_unstable();
    gone.dedup();
    let deleted = synced::soft_delete_worklogs(ctx.pool, up.conn.id, &gone).await?;
    report.add("worklogs", mine.len(), written, deleted);
    set_feed_cursor(ctx, links, "worklogs", until).await?;
    set_feed_cursor(ctx, links, "worklogs_deleted", gone_until).await?;
    Ok(())
}
