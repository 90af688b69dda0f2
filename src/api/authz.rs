//! The facts a permission decision needs (a project's lead, a suggestion's target), looked up
//! for REST handlers and server functions alike; the decision itself is a call to a pure
//! function in `crate::auth::rules`. Unknown targets are 404 so the caller learns what is wrong.

use crate::api::ApiError;
use crate::auth::rules::{self, Principal, SuggestionTarget};
use sqlx::PgPool;
use uuid::Uuid;

/// May `p` change the links of project `key` (admin, or the lead who leads it)?
pub async fn manage_project(pool: &PgPool, p: &Principal, key: &str) -> Result<(), ApiError> {
    let lead = crate::store::accounts::project_lead(pool, key)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no project with key '{key}'")))?;
    Ok(rules::manage_project(p, lead)?)
}

pub async fn manage_project_id(pool: &PgPool, p: &Principal, id: Uuid) -> Result<(), ApiError> {
    let lead = crate::store::accounts::project_lead_by_id(pool, id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no project with id {id}")))?;
    Ok(rules::manage_project(p, lead)?)
}

/// May `p` accept or dismiss this suggestion?
pub async fn decide_suggestion(pool: &PgPool, p: &Principal, id: Uuid) -> Result<(), ApiError> {
    let (kind, target, lead) = crate::store::accounts::suggestion_target(pool, id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no suggestion with id {id}")))?;
    let target = if kind == "project" {
        SuggestionTarget::Project { lead }
    } else {
        SuggestionTarget::Person { person_id: target }
    };
    Ok(rules::decide_suggestion(p, target)?)
}

/// May `p` change the links of this project or person (the UI names either with one value)?
pub async fn manage_owner(pool: &PgPool, p: &Principal, owner: &crate::api::owner::OwnerRef) -> Result<(), ApiError> {
    use crate::api::owner::OwnerRef;
    match owner {
        OwnerRef::Project(key) => manage_project(pool, p, key).await,
        OwnerRef::Person(id) => Ok(rules::manage_person_links(p, *id)?),
    }
}

/// Declares an external-account link for `person` as `who` (the self-linking rule): admins link
/// directly; the person themself links directly when the account's upstream e-mail is theirs,
/// otherwise the link is written inactive, never primary and pending for an admin
/// (`link.pending`), in one transaction. Returns the declared link and whether it is pending. REST and server
/// functions both call this, so the rule cannot be skipped by one of them.
pub async fn declare_account(
    links: &crate::links::Links,
    who: &Principal,
    actor: crate::links::Actor,
    person: Uuid,
    candidate: &crate::links::declare::Candidate,
    mut opts: crate::links::declare::Options,
) -> Result<(crate::links::declare::Declared, bool), ApiError> {
    use crate::links::declare::Owner;
    rules::manage_person_links(who, person)?;
    let owner = Owner::Person(person);
    let pending = self_link_pending(links, who, person, candidate).await?;
    opts.pending = pending;
    let declared = links.declare(&owner, candidate, opts, actor).await?;
    Ok((declared, pending))
}

/// May `who` change (e.g. activate) this account link of `person`? The person or an admin, and
/// only an admin while the link waits for approval (deleting it stays the person's right).
pub async fn change_account_link(pool: &PgPool, who: &Principal, person: Uuid, link: Uuid) -> Result<(), ApiError> {
    rules::manage_person_links(who, person)?;
    if who.role != crate::auth::Role::Admin && crate::store::pending::is_pending(pool, link).await? {
        return Err(ApiError::forbidden("this link waits for an admin's approval"));
    }
    Ok(())
}

/// May `who` start a sync of this scope? A project's manager for its project, the person (or an
/// admin) for a person, admins for a whole connection or everything.
pub async fn start_sync(pool: &PgPool, who: &Principal, scope: &crate::sync::Scope) -> Result<(), ApiError> {
    use crate::sync::Scope;
    match scope {
        Scope::Project(key) => manage_project(pool, who, key).await,
        Scope::Person(id) => Ok(rules::manage_person_links(who, *id)?),
        Scope::All | Scope::Connection(_) => Ok(rules::admin_only(who)?),
    }
}

/// The sentence the link dialog shows before Confirm when `who` linking this account of
/// `person` would wait for an admin; `None` when it would link directly.
pub async fn self_link_notice(pool: &PgPool, who: &Principal, person: Uuid, upstream_email: Option<&str>) -> Result<Option<String>, ApiError> {
    if who.role == crate::auth::Role::Admin {
        return Ok(None);
    }
    let p = crate::store::persons::person_by_id(pool, person).await?.ok_or_else(|| ApiError::NotFound(format!("no person with id {person}")))?;
    if rules::link_account(who, person, &p.email, upstream_email)? != rules::AccountLink::Pending {
        return Ok(None);
    }
    Ok(Some(match upstream_email {
        Some(e) => format!("This account's e-mail upstream ({e}) is not yours ({}): the link will wait for an admin's approval, and nothing syncs through it until then.", p.email),
        None => "This account shows no e-mail upstream, so nothing shows it is yours: the link will wait for an admin's approval, and nothing syncs through it until then.".to_owned(),
    }))
}

/// Whether `who` linking this account of `person` waits for an admin: never for admins; for the
/// person themself unless the account's upstream e-mail is theirs.
async fn self_link_pending(
    links: &crate::links::Links,
    who: &Principal,
    person: Uuid,
    candidate: &crate::links::declare::Candidate,
) -> Result<bool, ApiError> {
    if who.role == crate::auth::Role::Admin {
        return Ok(false);
    }
    let p = crate::store::persons::person_by_id(&links.pool, person).await?.ok_or_else(|| ApiError::NotFound(format!("no person with id {person}")))?;
    let upstream = links.verify(&crate::links::declare::Owner::Person(person), candidate).await?;
    Ok(rules::link_account(who, person, &p.email, upstream.preview["email"].as_str())? == rules::AccountLink::Pending)
}

/// Accepts a suggestion as `who`: the suggestion's manager decides, and a person accepting an
/// account suggestion for themself is held to the self-linking rule like a declared link.
pub async fn accept_suggestion(
    links: &crate::links::Links,
    who: &Principal,
    actor: crate::links::Actor,
    id: Uuid,
    mut opts: crate::links::declare::Options,
) -> Result<(crate::links::declare::Owner, crate::links::declare::Declared), ApiError> {
    use crate::links::declare::Owner;
    decide_suggestion(&links.pool, who, id).await?;
    let pending = match links.suggestion_request(id).await? {
        (Owner::Person(person), candidate) => self_link_pending(links, who, person, &candidate).await?,
        (Owner::Project(_), _) => false,
    };
    opts.pending = pending;
    let (owner, declared) = links.accept_suggestion(id, opts, actor).await?;
    Ok((owner, declared))
}
