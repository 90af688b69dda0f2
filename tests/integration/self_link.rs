//! Self-linking: a member links their own account directly when its upstream e-mail is theirs;
//! otherwise the link waits, inactive, for an admin's approval or rejection (both audited).

use crate::helpers::{audit_entries, client_with_token, demo_app};
use serde_json::{json, Value};
use sqlx::PgPool;
use uuid::Uuid;
use velocity::auth::Role;

#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn matching_email_links_directly_otherwise_an_admin_decides(pool: PgPool) {
    let (app, sim) = demo_app(&pool).await;
    let truth = sim.state.read().truth.clone();
    // The loader leaves every third person's accounts unlinked; find one with an account whose
    // upstream e-mail is theirs and one whose is not.
    let mut found = None;
    for (i, p) in truth.persons.iter().enumerate().filter(|(i, _)| i % 3 == 2) {
        let id: Uuid = sqlx::query_scalar("select id from persons where lower(email) = lower($1)")
            .bind(&p.email)
            .fetch_one(&pool)
            .await
            .unwrap();
        let (mut same, mut other) = (None, None);
        for a in p.accounts.iter().filter(|a| a.current) {
            let candidate =
                json!({"kind": "account", "platform": a.platform, "externalId": a.external_id});
            let r = app
                .http
                .post(format!("{}/api/links/verify", app.base))
                .json(&json!({"personId": id, "candidate": candidate}))
                .send()
                .await
                .unwrap();
            let v: Value = r.json().await.unwrap();
            if v["conflict"].is_object() || v["exists"] != true {
                continue;
            }
            let email = v["preview"]["email"].as_str().map(str::to_lowercase);
            if email.as_deref() == Some(p.email.to_lowercase().as_str()) {
                same.get_or_insert(candidate);
            } else {
                other.get_or_insert(candidate);
            }
        }
        if let (Some(s), Some(o)) = (same, other) {
            found = Some((i, id, s, o));
            break;
        }
    }
    let (_, person, same, other) =
        found.expect("a demo person with a matching and a non-matching account");
    let member = client_with_token(&app.token_for(person, Role::Member).await);
    let link = |c: &Value| {
        let mut body = c.clone();
        body.as_object_mut().unwrap().remove("kind");
        body["acknowledgeWarnings"] = json!(true);
        member
            .post(format!("{}/api/persons/{person}/links", app.base))
            .json(&body)
            .send()
    };

    let r = link(&same).await.unwrap();
    assert_eq!(r.status(), 201);
    let direct: Value = r.json().await.unwrap();
    assert_eq!(direct["pending"], false);

    let r = link(&other).await.unwrap();
    assert_eq!(r.status(), 201);
    let waiting: Value = r.json().await.unwrap();
    assert_eq!(waiting["pending"], true);
    let link_id = waiting["linkId"].as_str().unwrap().to_owned();
    let stored: (bool, bool, bool) = sqlx::query_as(
        "select pending, active, is_primary from external_account_links where id = $1::uuid",
    )
    .bind(&link_id)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(
        stored,
        (true, false, false),
        "pending links are inactive and never primary"
    );
    // The member cannot switch it on themself, nor approve it.
    let r = member
        .put(format!("{}/api/persons/{person}/links/{link_id}", app.base))
        .json(&json!({"active": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let r = member
        .post(format!("{}/api/links/pending/{link_id}/approve", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);

    let listed: Value = app.get("/api/links/pending").await.json().await.unwrap();
    let queued = listed.as_array().unwrap().iter().find(|l| l["linkId"] == link_id.as_str()).expect("the link is queued");
    assert_eq!(queued["kind"], "account");
    let person_email: String = sqlx::query_scalar("select email from persons where id = $1").bind(person).fetch_one(&pool).await.unwrap();
    assert_eq!(queued["personEmail"], person_email.as_str());
    assert!(queued["why"].as_str().unwrap().contains(&person_email), "the evidence names the person's e-mail: {queued}");
    let r = app
        .http
        .post(format!("{}/api/links/pending/{link_id}/approve", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let active: bool =
        sqlx::query_scalar("select active from external_account_links where id = $1::uuid")
            .bind(&link_id)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert!(active);
    // Approved once: it is no longer pending.
    let r = app
        .http
        .post(format!("{}/api/links/pending/{link_id}/reject", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    let actions: Vec<String> = audit_entries(&app, &format!("entityType=person&entityId={person}"))
        .await
        .iter()
        .map(|e| e["action"].as_str().unwrap().to_owned())
        .collect();
    assert!(
        actions.contains(&"link.pending".to_owned())
            && actions.contains(&"link.approve".to_owned()),
        "{actions:?}"
    );

    // A rejected one is deleted, and audited.
    app.http
        .delete(format!("{}/api/persons/{person}/links/{link_id}", app.base))
        .send()
        .await
        .unwrap();
    let again: Value = link(&other).await.unwrap().json().await.unwrap();
    let again_id = again["linkId"].as_str().unwrap().to_owned();
    let too_long = app.http.post(format!("{}/api/links/pending/{again_id}/reject", app.base)).json(&json!({"reason": "x".repeat(501)})).send().await.unwrap();
    assert_eq!(too_long.status(), 400);
    assert_eq!(too_long.json::<Value>().await.unwrap()["error"]["details"]["field"], "reason");
    let r = app
        .http
        .post(format!("{}/api/links/pending/{again_id}/reject", app.base))
        .json(&json!({"reason": "  not their account  "}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let deleted: bool = sqlx::query_scalar(
        "select deleted_at is not null from external_account_links where id = $1::uuid",
    )
    .bind(&again_id)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(deleted);
    let rejected = audit_entries(&app, "action=link.reject").await;
    assert_eq!(rejected.len(), 1);
    assert_eq!(rejected[0]["after"]["reason"], "not their account", "the reason is audited, trimmed");
    assert_eq!(
        rejected[0]["actorId"],
        json!(velocity::store::accounts::person_id_by_email(
            &pool,
            crate::helpers::TEST_ADMIN_EMAIL
        )
        .await
        .unwrap())
    );
}

/// Accepting a suggested account is a self-link too: a member accepting one whose upstream
/// e-mail is not theirs gets a pending link, not a direct one.
#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn accepting_a_suggestion_follows_the_self_link_rule(pool: PgPool) {
    let (app, sim) = demo_app(&pool).await;
    let truth = sim.state.read().truth.clone();
    let mut found = None;
    'people: for p in truth.persons.iter().skip(2).step_by(3) {
        let id: Uuid = sqlx::query_scalar("select id from persons where lower(email) = lower($1)")
            .bind(&p.email)
            .fetch_one(&pool)
            .await
            .unwrap();
        let r = app.http.post(format!("{}/api/persons/{id}/links/suggestions", app.base)).json(&json!({})).send().await.unwrap();
        let listed: Value = r.json().await.unwrap();
        for s in listed["suggestions"].as_array().cloned().unwrap_or_default() {
            if s["conflict"].is_object() || s["conflict"].is_string() {
                continue;
            }
            let candidate = json!({"kind": "account", "platform": s["platform"], "externalId": s["externalId"]});
            let v: Value = app
                .http
                .post(format!("{}/api/links/verify", app.base))
                .json(&json!({"personId": id, "candidate": candidate}))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            let email = v["preview"]["email"].as_str().map(str::to_lowercase);
            if v["exists"] == true && email.as_deref() != Some(p.email.to_lowercase().as_str()) {
                found = Some((id, s["id"].as_str().unwrap().to_owned()));
                break 'people;
            }
        }
    }
    let (person, suggestion) = found.expect("a demo person with a suggested account under another e-mail");
    let member = client_with_token(&app.token_for(person, Role::Member).await);
    let r = member
        .post(format!("{}/api/suggestions/{suggestion}/accept", app.base))
        .json(&json!({"acknowledgeWarnings": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let accepted: Value = r.json().await.unwrap();
    let stored: (bool, bool) = sqlx::query_as("select pending, active from external_account_links where id = $1::uuid")
        .bind(accepted["linkId"].as_str().unwrap())
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(stored, (true, false), "the accepted account waits for an admin");
}
