//! Link validation (spec "Link Validation"): check each stored link upstream by its stable id.
//! Gone upstream → `verified = false` (its data is kept); renamed (key, slug, username) → the
//! link takes the new name; back again → verified. Every change is audited; upstream failures
//! are reported per link and change nothing, since a failed call proves nothing.
//!
//! Its own module, on `upstream` and `store` only: the link services (`POST /api/links/validate`)
//! and the sync engine (before every run) both validate, and neither calls the other for it.

use crate::domain::actor::Actor;
use crate::upstream::lookup as upstream;
use crate::upstream::{HttpError, Upstreams};
use crate::domain::{AccountPlatform, RepoPlatform};
use crate::store::audit::{self, NewEntry};
use crate::store::connections::{list_connections, Connection};
use crate::store::link_upstream::{self as stored, StoredLink};
use serde::Serialize;
use serde_json::{json, Value};
use std::collections::HashMap;
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[derive(utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Renamed,
    Invalidated,
    Reverified,
}

#[derive(Debug, Clone, Serialize)]
#[derive(utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Change {
    pub link_id: Uuid,
    pub kind: &'static str,
    pub owner: String,
    pub outcome: Outcome,
    #[schema(value_type = Object)]
    pub before: Value,
    #[schema(value_type = Object)]
    pub after: Value,
}

impl Change {
    /// The change in a sentence for a run's report: whose link, what upstream said, what
    /// Velocity did.
    pub fn sentence(&self) -> String {
        let handle = |v: &Value| v["handle"].as_str().or_else(|| v["name"].as_str()).unwrap_or("?").to_owned();
        let what = format!("{}'s {} link {}", self.owner, self.kind, handle(&self.before));
        match self.outcome {
            Outcome::Renamed => format!("{what} was renamed upstream to {}; the link follows", handle(&self.after)),
            Outcome::Invalidated => format!("{what} is gone upstream (not found by its id); marked unverified, its synced data kept"),
            Outcome::Reverified => format!("{what} is found upstream again; verified"),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
#[derive(utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LinkFailure {
    pub link_id: Uuid,
    pub message: String,
}

#[derive(Debug, Clone, Default, Serialize)]
#[derive(utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    pub checked: usize,
    pub unchanged: usize,
    pub changes: Vec<Change>,
    pub errors: Vec<LinkFailure>,
    /// Connections refused by the mass-invalidation guard, in a sentence each.
    pub refused: Vec<String>,
}

/// Which links to check.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    pub project: Option<Uuid>,
    pub person: Option<Uuid>,
}

/// What upstream says now: (exists, handle, name, url).
type Seen = Option<(Option<String>, Option<String>, String)>;

/// One link's look-up: what upstream said, or why it could not be asked.
pub struct LookedUp {
    pub link: StoredLink,
    pub connection: String,
    pub seen: Result<Seen, String>,
}

/// Links of one kind and platform on one connection from which a listing answers for them
/// (`Validator::listings`).
const LISTING_FROM: usize = 10;

/// What a listing says of one entry: its handle (key, username), name and URL.
struct Listed {
    handle: Option<String>,
    name: Option<String>,
    url: String,
}

/// Listings per (connection, link kind, platform): external id → what is listed.
#[derive(Default)]
pub struct Listings(HashMap<(Uuid, &'static str, String), HashMap<String, Listed>>);

impl Listings {
    fn get(&self, link: &StoredLink) -> Option<&Listed> {
        self.0.get(&(link.connection_id, link.kind, link.platform.clone())).and_then(|listed| listed.get(&link.external_id))
    }
}

/// Below this many links a connection's "not found" answers are taken one by one.
const GUARD_MIN_LINKS: usize = 5;

/// Connections where more than half of the links looked up (at least `GUARD_MIN_LINKS`) came
/// back "not found": far likelier a wrong token, scope or base URL than a mass deletion, so
/// none of them is invalidated. Each maps to the sentence that says so.
pub fn mass_invalidation(looked: &[LookedUp]) -> HashMap<Uuid, String> {
    let mut tally: HashMap<Uuid, (usize, usize, &str)> = HashMap::new();
    for l in looked {
        if let Ok(seen) = &l.seen {
            let t = tally.entry(l.link.connection_id).or_insert((0, 0, l.connection.as_str()));
            t.0 += 1;
            t.1 += usize::from(seen.is_none() && l.link.verified);
        }
    }
    tally
        .into_iter()
        .filter(|(_, (answered, gone, _))| *answered >= GUARD_MIN_LINKS && gone * 2 > *answered)
        .map(|(id, (answered, gone, name))| {
            (id, format!("{gone} of {answered} links on '{name}' were not found upstream at once: that is far likelier a wrong token, scope or base URL than a mass deletion, so none was invalidated; test the connection on the Connections page"))
        })
        .collect()
}

/// Validates through a set of connection clients (the link services' own, or a sync run's, so
/// the look-ups share its retries, pacing and request counts).
pub struct Validator<'a> {
    pub pool: &'a sqlx::PgPool,
    pub upstreams: &'a Upstreams,
}

impl Validator<'_> {
    /// The links of a scope, active or not.
    pub async fn validate(&self, scope: Scope, actor: Actor) -> Result<Report, sqlx::Error> {
        let mut links = Vec::new();
        if scope.person.is_none() {
            links.extend(stored::jira_links(self.pool, scope.project).await?);
            links.extend(stored::repository_links(self.pool, scope.project).await?);
        }
        if scope.project.is_none() {
            links.extend(stored::account_links(self.pool, scope.person).await?);
        }
        self.validate_links(links, actor).await
    }

    /// Validates these links: looks each up, then applies what was seen.
    pub async fn validate_links(&self, links: Vec<StoredLink>, actor: Actor) -> Result<Report, sqlx::Error> {
        let looked = self.look_up_all(links).await?;
        self.apply_all(looked, actor).await
    }

    /// Looks every link up without changing anything (callers may run several batches side by
    /// side, then apply them together so the mass-invalidation guard sees the whole run).
    pub async fn look_up_all(&self, links: Vec<StoredLink>) -> Result<Vec<LookedUp>, sqlx::Error> {
        let listings = self.listings(&links).await?;
        self.look_up_all_with(links, &listings).await
    }

    /// As `look_up_all`, with listings read beforehand (once for a whole run that looks its
    /// links up in batches).
    pub async fn look_up_all_with(&self, links: Vec<StoredLink>, listings: &Listings) -> Result<Vec<LookedUp>, sqlx::Error> {
        let connections: HashMap<Uuid, Connection> = list_connections(self.pool).await?.into_iter().map(|c| (c.id, c)).collect();
        let mut out = Vec::with_capacity(links.len());
        for link in links {
            let Some(conn) = connections.get(&link.connection_id) else { continue };
            let seen = if let (true, Some(listed)) = (conn.enabled, listings.get(&link)) {
                Ok(Some((listed.handle.clone().or(link.handle.clone()), listed.name.clone().or(link.name.clone()), listed.url.clone())))
            } else if conn.enabled {
                // Not listed (a guest, a deleted account or project) or no listing: its own look-up decides.
                self.look_up(conn, &link).await.map_err(|e| e.to_string())
            } else {
                Err(format!("the connection '{}' is disabled: its links are not checked or synced until an admin enables it", conn.name))
            };
            out.push(LookedUp { link, connection: conn.name.clone(), seen });
        }
        Ok(out)
    }

    /// Applies look-ups: renames taken, gone links unverified, returns reverified — except on a
    /// connection where most links came back "not found" at once, which is refused whole.
    pub async fn apply_all(&self, looked: Vec<LookedUp>, actor: Actor) -> Result<Report, sqlx::Error> {
        let mut report = Report { checked: looked.len(), ..Report::default() };
        let suspicious = mass_invalidation(&looked);
        for l in looked {
            if let Some(sentence) = suspicious.get(&l.link.connection_id) {
                report.errors.push(LinkFailure { link_id: l.link.id, message: sentence.clone() });
                continue;
            }
            match l.seen {
                Err(message) => report.errors.push(LinkFailure { link_id: l.link.id, message }),
                Ok(seen) => match self.apply(&l.link, seen, actor).await? {
                    Some(change) => report.changes.push(change),
                    None => report.unchanged += 1,
                },
            }
        }
        report.refused = suspicious.into_values().collect::<std::collections::BTreeSet<_>>().into_iter().collect();
        Ok(report)
    }

    /// The listings that answer for `links` where a connection has at least `LISTING_FROM` links
    /// of one kind and platform: a Jira site's projects (`project/search`, 100 a page) and its
    /// members, Bitbucket's, GitLab's and Slack's members (100–1,000 a page). One listing answers
    /// for all of them, where per-id look-ups take a request each — against Slack's 100
    /// `users.info` a minute, 3,000 linked people took half an hour. GitHub's member listing
    /// lacks names (a request per member) and repositories keep their per-id look-up (it also
    /// reads the default branch). A listing that cannot be read leaves its links to their own
    /// look-ups.
    pub async fn listings(&self, links: &[StoredLink]) -> Result<Listings, sqlx::Error> {
        let mut counts: HashMap<(Uuid, &'static str, String), usize> = HashMap::new();
        for l in links.iter().filter(|l| l.kind == "account" || l.kind == "jira") {
            *counts.entry((l.connection_id, l.kind, l.platform.clone())).or_default() += 1;
        }
        if !counts.values().any(|n| *n >= LISTING_FROM) {
            return Ok(Listings::default());
        }
        let connections: HashMap<Uuid, Connection> = list_connections(self.pool).await?.into_iter().map(|c| (c.id, c)).collect();
        let mut out = Listings::default();
        for ((connection_id, kind, platform), count) in counts {
            let Some(conn) = connections.get(&connection_id).filter(|c| c.enabled) else { continue };
            if count < LISTING_FROM {
                continue;
            }
            let up = self.upstreams.get(conn);
            let listed: Result<HashMap<String, Listed>, HttpError> = if kind == "jira" {
                crate::upstream::catalog::jira_projects(&up).await.map(|projects| {
                    projects.into_iter().map(|p| (p.jira_project_id, Listed { url: crate::domain::url::jira_browse_url(&conn.base_url, &p.key), handle: Some(p.key), name: Some(p.name) })).collect()
                })
            } else {
                match platform.parse::<AccountPlatform>() {
                    Ok(AccountPlatform::Github) | Err(_) => continue,
                    Ok(parsed) => crate::upstream::catalog::accounts(&up, parsed)
                        .await
                        .map(|members| members.into_iter().map(|m| (m.external_id, Listed { handle: m.username, name: m.display_name, url: String::new() })).collect()),
                }
            };
            match listed {
                Ok(listed) => {
                    out.0.insert((connection_id, kind, platform), listed);
                }
                Err(e) => tracing::warn!(connection_id = %connection_id, kind, platform = %platform, error = %e, "listing unreadable: its links are looked up one by one"),
            }
        }
        Ok(out)
    }

    async fn look_up(&self, conn: &Connection, link: &StoredLink) -> Result<Seen, HttpError> {
        let parse_err = || HttpError::Status { url: conn.base_url.clone(), status: 0, snippet: format!("unknown platform '{}'", link.platform) };
        Ok(match link.kind {
            "jira" => upstream::jira_project(&self.upstreams.get(conn), &link.external_id).await?.map(|p| (Some(p.key), Some(p.name), p.url)),
            "repository" => {
                let platform: RepoPlatform = link.platform.parse().map_err(|_| parse_err())?;
                upstream::repository(&self.upstreams.get(conn), platform, &link.external_id).await?.map(|r| (Some(r.slug), Some(r.name), r.url))
            }
            _ => {
                let platform: AccountPlatform = link.platform.parse().map_err(|_| parse_err())?;
                upstream::account(&self.upstreams.get(conn), platform, &link.external_id)
                    .await?
                    .map(|a| (a.username.or(link.handle.clone()), a.display_name.or(link.name.clone()), String::new()))
            }
        })
    }

    async fn apply(&self, link: &StoredLink, seen: Seen, actor: Actor) -> Result<Option<Change>, sqlx::Error> {
        let before = json!({"handle": link.handle, "name": link.name, "verified": link.verified});
        let (outcome, after) = match &seen {
            None if link.verified => (Outcome::Invalidated, json!({"handle": link.handle, "name": link.name, "verified": false})),
            None => return Ok(None),
            Some((handle, name, _)) => {
                let after = json!({"handle": handle, "name": name, "verified": true});
                if *handle != link.handle || *name != link.name {
                    (Outcome::Renamed, after)
                } else if !link.verified {
                    (Outcome::Reverified, after)
                } else {
                    return Ok(None);
                }
            }
        };
        let mut tx = self.pool.begin().await?;
        match (&seen, link.kind) {
            (None, kind) => stored::set_verified(&mut tx, kind, link.id, false).await?,
            (Some((handle, name, url)), "jira") => stored::update_jira_link(&mut tx, link.id, handle.as_deref().unwrap_or(""), name.as_deref().unwrap_or(""), url, true).await?,
            (Some((handle, name, url)), "repository") => stored::update_repository_link(&mut tx, link.id, handle.as_deref().unwrap_or(""), name.as_deref().unwrap_or(""), url, true).await?,
            (Some((handle, name, _)), _) => stored::update_account_link(&mut tx, link.id, handle.as_deref(), name.as_deref(), true).await?,
        }
        let entity_type = if link.kind == "account" { "person" } else { "project" };
        let action = match outcome {
            Outcome::Renamed => "link.renamed",
            Outcome::Invalidated => "link.invalidated",
            Outcome::Reverified => "link.reverified",
        };
        audit::record(&mut tx, NewEntry { actor_id: actor.person_id, action, entity_type, entity_id: audit_entity_id(&link), link_id: Some(link.id), source: actor.source.as_str(), before: Some(before.clone()), after: Some(after.clone()) }).await?;
        tx.commit().await?;
        Ok(Some(Change { link_id: link.id, kind: link.kind, owner: link.owner_label.clone(), outcome, before, after }))
    }
}

/// The audit entity a link change belongs to: a project by its key, a person by their id (their
/// name, in `owner_label`, is what sentences show).
fn audit_entity_id(link: &StoredLink) -> String {
    if link.kind == "account" { link.owner_id.to_string() } else { link.owner_label.clone() }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn looked(connection: u128, gone: bool, verified: bool) -> LookedUp {
        let link = StoredLink { id: Uuid::new_v4(), kind: "account", owner_id: Uuid::nil(), owner_label: "x".into(), connection_id: Uuid::from_u128(connection), platform: "slack".into(), external_id: "U1".into(), handle: None, name: None, verified };
        LookedUp { link, connection: format!("conn {connection}"), seen: Ok(if gone { None } else { Some((None, None, String::new())) }) }
    }

    #[test]
    fn most_links_gone_on_one_connection_is_refused_and_a_few_are_not() {
        let mut all: Vec<LookedUp> = (0..4).map(|_| looked(1, true, true)).chain((0..2).map(|_| looked(1, false, true))).collect();
        all.extend((0..9).map(|_| looked(2, false, true)).chain([looked(2, true, true)]));
        let refused = mass_invalidation(&all);
        assert_eq!(refused.len(), 1);
        assert!(refused[&Uuid::from_u128(1)].starts_with("4 of 6 links on 'conn 1'"), "{refused:?}");
        let few: Vec<LookedUp> = (0..4).map(|_| looked(3, true, true)).collect();
        assert!(mass_invalidation(&few).is_empty(), "below the minimum, each is taken on its own");
        let already: Vec<LookedUp> = (0..6).map(|_| looked(4, true, false)).collect();
        assert!(mass_invalidation(&already).is_empty(), "links already unverified change nothing");
    }
}
