//! Issue 14: commit identities end to end — an author e-mail of unattributed commits suggested
//! for its person, linked, the commits attributed by the next sync (and a second sync writes
//! nothing, a full resync agrees), unlinked, no longer attributed; a member's link to an address
//! that is not their own waits for an admin; addresses that never identify a person are refused.

use crate::helpers::{audit_entries, demo_app};
use serde_json::{json, Value};
use sqlx::PgPool;
use uuid::Uuid;
use velocity::auth::Role;
use velocity::sync::{run, Options, Scope};

async fn sync(pool: &PgPool, full: bool) -> velocity::sync::RunReport {
    run(pool, &Options::new(Scope::All, full, "test"), &|_, _, _| {}).await.expect("the sync runs")
}

/// Every commit's (sha, person, identity link), in one order.
async fn attribution(pool: &PgPool) -> Vec<(String, Option<Uuid>, Option<Uuid>)> {
    sqlx::query_as("select sha, velocity_person_id, commit_identity_link_id from commits order by connection_id, repo_external_id, sha").fetch_all(pool).await.unwrap()
}

async fn attributed_to(pool: &PgPool, email: &str) -> Vec<Option<Uuid>> {
    sqlx::query_scalar("select velocity_person_id from commits where lower(author_email) = $1 order by sha").bind(email).fetch_all(pool).await.unwrap()
}

#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn a_commit_email_is_suggested_linked_attributed_and_unlinked(pool: PgPool) {
    let (app, _sim) = demo_app(&pool).await;
    sync(&pool, true).await;
    // A person whose own address authored commits that no account link attributes.
    let (person, email): (Uuid, String) = sqlx::query_as(
        "select p.id, lower(p.email) from persons p
         where exists (select 1 from commits c where c.velocity_person_id is null and lower(c.author_email) = lower(p.email))
         order by p.email limit 1",
    )
    .fetch_one(&pool)
    .await
    .expect("the demo has commits under a person's address that no account exposes");
    assert!(attributed_to(&pool, &email).await.iter().all(Option::is_none));

    let listed: Value = app.get(&format!("/api/persons/{person}/commit-identities")).await.json().await.unwrap();
    let suggestion = listed["suggestions"].as_array().unwrap().iter().find(|s| s["email"] == email.as_str()).unwrap_or_else(|| panic!("{email} suggested: {listed}"));
    assert_eq!(suggestion["reason"], "email matches exactly");
    let unattributed = suggestion["commits"].as_i64().unwrap();
    assert_eq!(unattributed as usize, attributed_to(&pool, &email).await.len());

    let r = app.http.post(format!("{}/api/persons/{person}/commit-identities", app.base)).json(&json!({"email": email.to_uppercase()})).send().await.unwrap();
    assert_eq!(r.status(), 201);
    let linked: Value = r.json().await.unwrap();
    assert_eq!((linked["platform"].as_str(), linked["externalId"].as_str(), linked["status"].as_str()), (Some("git"), Some(email.as_str()), Some("linked")));
    let identity: Uuid = linked["id"].as_str().unwrap().parse().unwrap();
    let audit = audit_entries(&app, &format!("entityType=person&entityId={person}")).await;
    assert!(audit.iter().any(|e| e["action"] == "link.create" && e["linkId"] == identity.to_string() && e["after"]["externalId"] == email.as_str()), "{audit:?}");
    // Linking is not syncing: nothing is attributed until the next run.
    assert!(attributed_to(&pool, &email).await.iter().all(Option::is_none));

    let report = sync(&pool, false).await;
    assert!(report.rows_written >= unattributed as u64);
    assert_eq!(attributed_to(&pool, &email).await, vec![Some(person); unattributed as usize]);
    let via: i64 = sqlx::query_scalar("select count(*) from commits where commit_identity_link_id = $1").bind(identity).fetch_one(&pool).await.unwrap();
    assert_eq!(via, unattributed);
    let listed: Value = app.get(&format!("/api/persons/{person}/commit-identities")).await.json().await.unwrap();
    assert_eq!(listed["identities"][0]["commits"], unattributed);
    assert!(listed["suggestions"].as_array().unwrap().iter().all(|s| s["email"] != email.as_str()), "a linked address is no longer suggested");

    // Deterministic: a second run writes nothing and a full resync ends where this run did.
    assert_eq!(sync(&pool, false).await.rows_written, 0);
    let incremental = attribution(&pool).await;
    sync(&pool, true).await;
    assert_eq!(attribution(&pool).await, incremental);

    // Someone else's claim on the same address is a conflict.
    let other: Uuid = sqlx::query_scalar("select id from persons where id <> $1 order by email limit 1").bind(person).fetch_one(&pool).await.unwrap();
    let r = app.http.post(format!("{}/api/persons/{other}/commit-identities", app.base)).json(&json!({"email": email})).send().await.unwrap();
    assert_eq!(r.status(), 409);

    let r = app.http.delete(format!("{}/api/persons/{person}/commit-identities/{identity}", app.base)).send().await.unwrap();
    assert_eq!(r.status(), 204);
    sync(&pool, false).await;
    assert!(attributed_to(&pool, &email).await.iter().all(Option::is_none), "unlinked: the commits are no longer the person's");
    let audit = audit_entries(&app, &format!("entityType=person&entityId={person}")).await;
    assert!(audit.iter().any(|e| e["action"] == "link.delete" && e["linkId"] == identity.to_string()));
}

#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn a_members_claim_on_another_address_waits_for_an_admin_and_bad_addresses_are_refused(pool: PgPool) {
    let (app, _sim) = demo_app(&pool).await;
    sync(&pool, true).await;
    let (member, email): (Uuid, String) = sqlx::query_as(
        "select p.id, lower(c.author_email) from persons p join commits c on c.velocity_person_id is null and lower(c.author_email) = lower(p.email)
         order by p.email limit 1",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    // Another member claims that person's own address: not theirs, so it waits.
    let claimant: Uuid = sqlx::query_scalar("select id from persons where id <> $1 order by email limit 1").bind(member).fetch_one(&pool).await.unwrap();
    let token = app.token_for(claimant, Role::Member).await;
    let as_claimant = crate::helpers::client_with_token(&token);
    let r = as_claimant.post(format!("{}/api/persons/{claimant}/commit-identities", app.base)).json(&json!({"email": email})).send().await.unwrap();
    assert_eq!(r.status(), 201);
    let pending: Value = r.json().await.unwrap();
    assert_eq!(pending["status"], "pending");
    sync(&pool, false).await;
    assert!(attributed_to(&pool, &email).await.iter().all(Option::is_none), "a pending address attributes nothing");
    let listed: Value = app.get(&format!("/api/persons/{member}/commit-identities")).await.json().await.unwrap();
    assert!(listed["suggestions"].as_array().unwrap().iter().all(|s| s["email"] != email.as_str()), "a claimed address is not suggested to anyone else: {listed}");
    // Only an admin approves; then the next sync attributes.
    let id = pending["id"].as_str().unwrap();
    // It is in the admin's queue, with the evidence, beside pending account links.
    let queue: Value = app.get("/api/links/pending").await.json().await.unwrap();
    let queued = queue.as_array().unwrap().iter().find(|q| q["linkId"] == id).expect("queued");
    assert_eq!((queued["kind"].as_str(), queued["platform"].as_str()), (Some("commitEmail"), Some("git")));
    assert!(queued["why"].as_str().unwrap().starts_with(&format!("The commit e-mail {email} is not")), "{queued}");
    let wrong_kind = app.http.post(format!("{}/api/links/pending/{id}/approve?kind=account", app.base)).send().await.unwrap();
    assert_eq!(wrong_kind.status(), 404, "not a pending account link");
    let bad_kind = app.http.post(format!("{}/api/links/pending/{id}/approve?kind=git", app.base)).send().await.unwrap();
    assert_eq!(bad_kind.json::<Value>().await.unwrap()["error"]["details"]["field"], "kind");
    let r = as_claimant.post(format!("{}/api/persons/{claimant}/commit-identities/{id}/approve", app.base)).send().await.unwrap();
    assert_eq!(r.status(), 403);
    let r = app.http.post(format!("{}/api/persons/{claimant}/commit-identities/{id}/approve", app.base)).send().await.unwrap();
    assert_eq!(r.status(), 200);
    sync(&pool, false).await;
    assert!(attributed_to(&pool, &email).await.iter().all(|p| *p == Some(claimant)));

    for (bad, says) in [("noreply@github.test", "no-reply"), ("49699333+dependabot[bot]@users.noreply.github.test", "no-reply"), ("build@acme.test", "shared mailbox"), ("not-an-address", "not an e-mail address")] {
        let r = app.http.post(format!("{}/api/persons/{member}/commit-identities", app.base)).json(&json!({"email": bad})).send().await.unwrap();
        assert_eq!(r.status(), 400, "{bad}");
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["error"]["details"]["field"], "email", "{body}");
        assert!(body["error"]["message"].as_str().unwrap().contains(says), "{bad}: {body}");
    }
}
