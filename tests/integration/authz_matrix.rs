//! The authorization matrix: anonymous, member, lead of this project, lead of another project
//! and admin × every REST endpoint (from the served OpenAPI document) and every registered
//! server function, against ONE table. A route without a row fails, and so does a row whose
//! route is gone. A new endpoint or server function adds its row to `ROWS`.
//!
//! "Allowed" means the permission checks let the request through (any status but 401/403: the
//! request may still be refused for its content, e.g. 404 or 422); "Denied" is exactly 403.

use crate::helpers::{client_with_token, demo_app, server_fn_name, server_fn_path};
use serde_json::{json, Value};
use sqlx::PgPool;
use std::collections::BTreeSet;
use uuid::Uuid;
use velocity::auth::accounts::{create_account, create_token};
use velocity::auth::Role;

/// Who may call a route.
#[derive(Clone, Copy, Debug)]
enum Rule {
    /// Everyone, signed in or not.
    Public,
    /// Any signed-in person (reads, and calls about one's own session or tokens).
    SignedIn,
    /// Admin, or the lead of the project the request names (`{project}` = the lead's project).
    ProjectManager,
    /// Admin, or the person the request names (`{member}`).
    PersonSelf,
    /// Admin only.
    Admin,
    /// The token's owner (`{member}`'s token) or an admin; others get 404, not 403, so token
    /// ids cannot be probed.
    TokenOwner,
}

/// One route: how to call it and who may.
struct Row {
    method: &'static str,
    /// The OpenAPI path (with `{param}`s) or the server function's path.
    path: &'static str,
    /// JSON for REST; `a=b&c=d` (form) for server functions. Placeholders are filled in.
    body: &'static str,
    rule: Rule,
}

const fn row(method: &'static str, path: &'static str, body: &'static str, rule: Rule) -> Row {
    Row {
        method,
        path,
        body,
        rule,
    }
}

/// THE table. Placeholders: {project} (the lead's project key), {member} (the member's person
/// id), {link} (a random link id), {suggestion} (an open suggestion of {project}), {token} (a
/// token id of the member).
#[rustfmt::skip]
const ROWS: &[Row] = &[
    row("GET", "/health", "", Rule::Public),
    // Entities and import/export: read by anyone signed in, written by admins.
    row("GET", "/api/projects", "", Rule::SignedIn),
    row("POST", "/api/projects", r#"{"key":"MATRIX_P","name":"Matrix"}"#, Rule::Admin),
    row("GET", "/api/projects/{project_key}", "", Rule::SignedIn),
    row("PUT", "/api/projects/{project_key}", r#"{"description":"changed by the matrix"}"#, Rule::Admin),
    row("GET", "/api/persons", "", Rule::SignedIn),
    row("POST", "/api/persons", r#"{"name":"Matrix Person","email":"matrix@velocity.test"}"#, Rule::Admin),
    row("GET", "/api/persons/{person_id}", "", Rule::SignedIn),
    row("PUT", "/api/persons/{person_id}", r#"{"name":"Renamed By Matrix"}"#, Rule::Admin),
    row("POST", "/api/import", r#"{"persons":[],"projects":[]}"#, Rule::Admin),
    row("GET", "/api/export", "", Rule::SignedIn),
    row("GET", "/api/audit", "", Rule::SignedIn),
    // Project links: the project's lead or an admin.
    row("GET", "/api/projects/{project_key}/links", "", Rule::SignedIn),
    row("GET", "/api/projects/{project_key}/issues", "", Rule::SignedIn),
    row("GET", "/api/projects/{project_key}/worklogs", "", Rule::SignedIn),
    row("GET", "/api/projects/{project_key}/commits", "", Rule::SignedIn),
    row("GET", "/api/projects/{project_key}/pull-requests", "", Rule::SignedIn),
    row("GET", "/api/projects/{project_key}/summary", "", Rule::SignedIn),
    row("GET", "/api/persons/{person_id}/issues", "", Rule::SignedIn),
    row("GET", "/api/persons/{person_id}/worklogs", "", Rule::SignedIn),
    row("GET", "/api/persons/{person_id}/commits", "", Rule::SignedIn),
    row("GET", "/api/persons/{person_id}/pull-requests", "", Rule::SignedIn),
    row("GET", "/api/persons/{person_id}/summary", "", Rule::SignedIn),
    row("POST", "/api/projects/{project_key}/links/jira", r#"{"project":"NO_SUCH_KEY"}"#, Rule::ProjectManager),
    row("POST", "/api/projects/{project_key}/links/repository", r#"{"platform":"github","repository":"no-such-repo"}"#, Rule::ProjectManager),
    row("PUT", "/api/projects/{project_key}/links/{link_id}", r#"{"active":true}"#, Rule::ProjectManager),
    row("DELETE", "/api/projects/{project_key}/links/{link_id}", "", Rule::ProjectManager),
    row("POST", "/api/projects/{project_key}/links/suggestions", "", Rule::SignedIn),
    // Person links: the person themself or an admin; pending self-links: admins decide.
    row("GET", "/api/persons/{person_id}/links", "", Rule::SignedIn),
    row("POST", "/api/persons/{person_id}/links", r#"{"platform":"slack","externalId":"UNOSUCH"}"#, Rule::PersonSelf),
    row("PUT", "/api/persons/{person_id}/links/{link_id}", r#"{"active":true}"#, Rule::PersonSelf),
    row("DELETE", "/api/persons/{person_id}/links/{link_id}", "", Rule::PersonSelf),
    row("POST", "/api/persons/{person_id}/links/suggestions", "", Rule::SignedIn),
    row("GET", "/api/links/pending", "", Rule::Admin),
    row("POST", "/api/links/pending/{link_id}/approve", "", Rule::Admin),
    row("POST", "/api/links/pending/{link_id}/reject", "", Rule::Admin),
    row("GET", "/api/persons/{person_id}/commit-identities", "", Rule::SignedIn),
    row("POST", "/api/persons/{person_id}/commit-identities", r#"{"email":"someone.else@acme.test"}"#, Rule::PersonSelf),
    row("DELETE", "/api/persons/{person_id}/commit-identities/{identity_id}", "", Rule::PersonSelf),
    row("POST", "/api/persons/{person_id}/commit-identities/{identity_id}/approve", "", Rule::Admin),
    row("POST", "/api/links/verify", r#"{"projectKey":"{project}","candidate":{"kind":"jira","project":"NO_SUCH_KEY"}}"#, Rule::SignedIn),
    row("POST", "/api/links/validate", r#"{"projectKey":"{project}"}"#, Rule::ProjectManager),
    row("POST", "/api/suggestions/{suggestion_id}/dismiss", "", Rule::ProjectManager),
    row("POST", "/api/suggestions/{suggestion_id}/accept", "", Rule::ProjectManager),
    // API tokens.
    // Connections: admins only, REST and the Connections page alike (nothing listens on port 9).
    row("GET", "/api/connections", "", Rule::Admin),
    row("POST", "/api/connections", r#"{"kind":"github","name":"Matrix","baseUrl":"http://127.0.0.1:9","scope":"acme","token":"t"}"#, Rule::Admin),
    row("POST", "/api/connections/test", r#"{"kind":"github","name":"Matrix","baseUrl":"http://127.0.0.1:9","scope":"acme","token":"t"}"#, Rule::Admin),
    row("GET", "/api/connections/{connection_id}", "", Rule::Admin),
    row("PUT", "/api/connections/{connection_id}", r#"{"name":"Renamed"}"#, Rule::Admin),
    row("DELETE", "/api/connections/{connection_id}", "", Rule::Admin),
    row("POST", "/api/connections/{connection_id}/test", "", Rule::Admin),
    row("POST", "/api/list_connections", "{}", Rule::Admin),
    row("POST", "/api/create_connection", r#"{"input":{"kind":"github","name":"Matrix","baseUrl":"http://127.0.0.1:9","scope":"acme","token":"t"},"force":false}"#, Rule::Admin),
    row("POST", "/api/try_connection", r#"{"input":{"kind":"github","name":"Matrix","baseUrl":"http://127.0.0.1:9","scope":"acme","token":"t"}}"#, Rule::Admin),
    row("POST", "/api/update_connection", r#"{"id":"{connection_id}","change":{"name":"Renamed"}}"#, Rule::Admin),
    row("POST", "/api/test_connection", r#"{"id":"{connection_id}"}"#, Rule::Admin),
    row("POST", "/api/remove_connection", r#"{"id":"{connection_id}"}"#, Rule::Admin),
    row("GET", "/api/tokens", "", Rule::SignedIn),
    row("POST", "/api/tokens", r#"{"name":"matrix"}"#, Rule::SignedIn),
    row("DELETE", "/api/tokens/{token_id}", "", Rule::TokenOwner),
    row("POST", "/api/my_tokens", "", Rule::SignedIn),
    row("POST", "/api/create_api_token", "name=matrix", Rule::SignedIn),
    row("POST", "/api/revoke_api_token", "id={token_id}", Rule::TokenOwner),
    // Server functions (form-encoded arguments), by name.
    row("POST", "/api/login", "email={member_email}&password=demo-member-password", Rule::Public),
    row("POST", "/api/current_user", "", Rule::Public),
    row("POST", "/api/setup_status", "", Rule::Public),
    row("POST", "/api/load_activity", r#"{"owner":"project:{project}","kind":"issues","params":{}}"#, Rule::SignedIn),
    row("POST", "/api/load_activity_summary", r#"{"owner":"project:{project}","from":null,"to":null}"#, Rule::SignedIn),
    row("POST", "/api/claim_setup", "code=AAAA-BBBB-CCCC-DDDD&name=Matrix&email=matrix%40acme.test&password=long-enough-password", Rule::Public),
    row("POST", "/api/preview_directory", r#"{"connection_id":"{connection_id}","kind":"people"}"#, Rule::Admin),
    row("POST", "/api/import_directory", r#"{"connection_id":"{connection_id}","kind":"people","external_ids":[]}"#, Rule::Admin),
    row("POST", "/api/review_suggestions", r#"{"kind":"projects"}"#, Rule::Admin),
    row("POST", "/api/accept_suggestions", r#"{"suggestion_ids":[],"acknowledge_warnings":false}"#, Rule::Admin),
    row("POST", "/api/logout", "", Rule::SignedIn),
    row("POST", "/api/load_directory", "", Rule::SignedIn),
    row(
        "POST",
        "/api/project_suggestions",
        "project_key={project}",
        Rule::SignedIn,
    ),
    row(
        "POST",
        "/api/person_suggestions",
        "person_id={member}",
        Rule::SignedIn,
    ),
    row(
        "POST",
        "/api/dismiss_suggestion",
        "suggestion_id={suggestion}",
        Rule::ProjectManager,
    ),
    row(
        "POST",
        "/api/accept_suggestion",
        "suggestion_id={suggestion}&acknowledge_warnings=false",
        Rule::ProjectManager,
    ),
    // The link-management pages: reads for anyone signed in, link changes for the owner's
    // manager, the legacy migration for admins.
    row("POST", "/api/list_projects", "query=", Rule::SignedIn),
    row("POST", "/api/load_project", "key={project}", Rule::SignedIn),
    row("POST", "/api/list_people", "query=", Rule::SignedIn),
    row("POST", "/api/person_page", "id={member}", Rule::SignedIn),
    row("POST", "/api/my_accounts", "", Rule::SignedIn),
    row("POST", "/api/commit_emails", "person={member}", Rule::SignedIn),
    row("POST", "/api/link_commit_email", "person={member}&email=another.one@acme.test", Rule::PersonSelf),
    row("POST", "/api/unlink_commit_email", "person={member}&identity={link_id}", Rule::PersonSelf),
    row("POST", "/api/approve_commit_email", "person={member}&identity={link_id}", Rule::Admin),
    row("POST", "/api/pending_queue", "", Rule::Admin),
    row("POST", "/api/decide_pending", "kind=account&link_id={link_id}&verdict=approve&reason=", Rule::Admin),
    row("POST", "/api/link_health", "", Rule::SignedIn),
    row(
        "POST",
        "/api/audit_log",
        "query[entity_type]=&query[entity_id]=&query[actor]=&query[action]=&query[since]=&query[until]=&query[before]=",
        Rule::SignedIn,
    ),
    row("POST", "/api/search_upstream", "kind=jira&query=mob", Rule::SignedIn),
    row(
        "POST",
        "/api/check_link",
        "owner=project:{project}&platform=jira&connection_id={link_id}&external_id=1",
        Rule::SignedIn,
    ),
    row(
        "POST",
        "/api/confirm_link",
        "owner=project:{project}&platform=jira&connection_id={link_id}&external_id=1&acknowledge_warnings=false",
        Rule::ProjectManager,
    ),
    row(
        "POST",
        "/api/change_link",
        "owner=project:{project}&link_id={link_id}&active=true",
        Rule::ProjectManager,
    ),
    row(
        "POST",
        "/api/unlink",
        "owner=project:{project}&link_id={link_id}",
        Rule::ProjectManager,
    ),
    row("POST", "/api/check_links", "owner=project:{project}", Rule::ProjectManager),
    row("POST", "/api/import_document", "content=%7B%7D&format=json", Rule::Admin),
    row("POST", "/api/create_project_record", "key=MATRIX_Q&name=Matrix&description=&lead=", Rule::Admin),
    row("POST", "/api/edit_project_record", "key={project}&name=Edited%20By%20Matrix&description=&lead={lead_id}", Rule::Admin),
    row("POST", "/api/set_project_active", "key={project}&active=true", Rule::Admin),
    row("POST", "/api/create_person_record", "name=Matrix%20Two&email=matrix.two%40velocity.test", Rule::Admin),
    row("POST", "/api/edit_person_record", "id={member}&name=Renamed%20By%20Matrix&email={member_email}", Rule::Admin),
    row("POST", "/api/set_person_active", "id={member}&active=true", Rule::Admin),
    row("POST", "/api/run_migration", "records=%7B%7D&apply=false", Rule::Admin),
    // Sync: a project's manager runs its syncs, admins run everything; anyone signed in reads runs.
    row("POST", "/api/sync/runs", r#"{"project":"{project}"}"#, Rule::ProjectManager),
    row("GET", "/api/sync/runs", "", Rule::SignedIn),
    row("GET", "/api/sync/runs/{id}", "", Rule::SignedIn),
    row("GET", "/api/sync/runs/{id}/events", "", Rule::SignedIn),
    row("GET", "/metrics", "", Rule::SignedIn),
    row("POST", "/api/start_sync", "project={project}&full=false", Rule::ProjectManager),
    row("POST", "/api/list_sync_runs", "", Rule::SignedIn),
    row("POST", "/api/sync_run_detail", "id=1", Rule::SignedIn),
    row("POST", "/api/may_start_sync", "project={project}", Rule::SignedIn),
];

/// Served outside the OpenAPI document (see `api::rest::sync::plain`); listed here so the
/// completeness check covers them too.
const PLAIN_ROUTES: &[(&str, &str)] = &[("GET", "/api/sync/runs/{id}/events"), ("GET", "/metrics")];

#[derive(Clone, Copy, Debug, PartialEq)]
enum Who {
    Anonymous,
    Member,
    LeadOfThis,
    LeadOfOther,
    Admin,
}

/// Expected: Some(exact status) or None for "allowed" (anything but 401/403).
fn expected(rule: Rule, who: Who) -> Option<u16> {
    use Who::*;
    match (rule, who) {
        (Rule::Public, _) => None,
        (_, Anonymous) => Some(401),
        (Rule::SignedIn, _) | (_, Admin) => None,
        (Rule::ProjectManager, LeadOfThis) => None,
        (Rule::PersonSelf, Member) => None,
        (Rule::TokenOwner, Member) => None,
        (Rule::TokenOwner, _) => Some(404),
        _ => Some(403),
    }
}

/// Registered server functions by name (their path without the hash suffix leptos may add).
fn server_fn_rows() -> BTreeSet<(String, String)> {
    leptos::server_fn::axum::server_fn_paths()
        .map(|(p, m)| (m.to_string(), server_fn_name(p).to_owned()))
        .collect()
}

fn documented(doc: &Value) -> BTreeSet<(String, String)> {
    let mut out = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in item.as_object().expect("path item").keys() {
            if ["get", "post", "put", "delete", "patch", "head"].contains(&method.as_str()) {
                out.insert((method.to_uppercase(), path.clone()));
            }
        }
    }
    out
}

#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn every_route_has_one_row_and_answers_as_the_row_says(pool: PgPool) {
    let (app, sim) = demo_app(&pool).await;
    let plan = velocity::sim::demo_accounts::plan(&sim.state.read().truth);
    let (admin, lead, member) = (&plan[0], &plan[1], &plan[2]);
    let project = lead.leads.clone().expect("the demo lead leads a project");
    let id_of = |email: String| {
        let pool = pool.clone();
        async move {
            sqlx::query_scalar::<_, Uuid>("select id from persons where lower(email) = lower($1)")
                .bind(email)
                .fetch_one(&pool)
                .await
                .expect("person")
        }
    };
    let (admin_id, lead_id, member_id) = (
        id_of(admin.email.clone()).await,
        id_of(lead.email.clone()).await,
        id_of(member.email.clone()).await,
    );
    let other_lead: Uuid = sqlx::query_scalar("select lead_person_id from projects where lead_person_id is not null and lead_person_id <> all($1) limit 1")
        .bind(vec![admin_id, lead_id, member_id])
        .fetch_one(&pool)
        .await
        .expect("a lead of another project");
    let other_email: String = sqlx::query_scalar("select email from persons where id = $1")
        .bind(other_lead)
        .fetch_one(&pool)
        .await
        .unwrap();
    create_account(
        &pool,
        &other_email,
        None,
        Role::Lead,
        Some("another-lead-password".into()),
    )
    .await
    .unwrap();
    let token = |id: Uuid| {
        let pool = pool.clone();
        async move { create_token(&pool, id, "matrix").await.expect("token").1 }
    };
    let clients = [
        (Who::Anonymous, app.anonymous.clone()),
        (Who::Member, client_with_token(&token(member_id).await)),
        (
            Who::LeadOfOther,
            client_with_token(&token(other_lead).await),
        ),
        (Who::LeadOfThis, client_with_token(&token(lead_id).await)),
        (Who::Admin, client_with_token(&token(admin_id).await)),
    ];
    // The member's token the token rows revoke (not the one the member's client uses).
    let victim = create_token(&pool, member_id, "victim").await.unwrap().0.id;
    let r = app
        .http
        .post(format!(
            "{}/api/projects/{project}/links/suggestions",
            app.base
        ))
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    let suggestions: Value = r.json().await.unwrap();
    let suggestion = suggestions["suggestions"][0]["id"]
        .as_str()
        .expect("the lead's project has suggestions")
        .to_owned();

    // Completeness: the table and the served routes name the same set.
    let doc: Value = app.get("/api/openapi.json").await.json().await.unwrap();
    let mut served = documented(&doc);
    served.extend(server_fn_rows());
    // Routes the OpenAPI document cannot describe (an event stream, the metrics scrape).
    served.extend(PLAIN_ROUTES.iter().map(|(m, p)| (m.to_string(), p.to_string())));
    let table: BTreeSet<(String, String)> = ROWS
        .iter()
        .map(|r| (r.method.to_owned(), r.path.to_owned()))
        .collect();
    assert_eq!(table.len(), ROWS.len(), "a route has two rows");
    let missing: Vec<_> = served.difference(&table).collect();
    let stale: Vec<_> = table.difference(&served).collect();
    assert!(
        missing.is_empty(),
        "routes without a row in authz_matrix::ROWS: {missing:?}"
    );
    assert!(
        stale.is_empty(),
        "rows for routes that are not served: {stale:?}"
    );

    let fill = |s: &str| {
        s.replace("{project_key}", &project)
            .replace("{project}", &project)
            .replace("{person_id}", &member_id.to_string())
            .replace("{member}", &member_id.to_string())
            .replace("{member_email}", &member.email)
            .replace("{lead_id}", &lead_id.to_string())
            .replace("{link_id}", &Uuid::new_v4().to_string())
            .replace("{identity_id}", &Uuid::new_v4().to_string())
            .replace("{connection_id}", &Uuid::new_v4().to_string())
            .replace("{suggestion_id}", &suggestion)
            .replace("{suggestion}", &suggestion)
            .replace("{token_id}", &victim.to_string())
            .replace("{id}", "1")
    };
    let mut failures = Vec::new();
    for row in ROWS {
        let server_fn = server_fn_rows().iter().any(|(_, p)| p == row.path);
        let path = if server_fn {
            server_fn_path(row.path)
        } else {
            fill(row.path)
        };
        let url = format!("{}{path}", app.base);
        for (who, client) in &clients {
            let method = reqwest::Method::from_bytes(row.method.as_bytes()).unwrap();
            let mut rb = client.request(method, &url);
            if server_fn {
                // A server function takes a form, or JSON where it is declared with a JSON input.
                let form = if row.body.starts_with('{') { "application/json" } else { "application/x-www-form-urlencoded" };
                rb = rb
                    .header("content-type", form)
                    .header("accept", "application/json")
                    .body(fill(row.body));
            } else if !row.body.is_empty() {
                rb = rb
                    .header("content-type", "application/json")
                    .body(fill(row.body));
            }
            let status = rb.send().await.expect("request").status().as_u16();
            let ok = match expected(row.rule, *who) {
                Some(want) => status == want,
                None => status != 401 && status != 403 && status < 500,
            };
            if !ok {
                failures.push(format!(
                    "{} {} as {who:?}: got {status}, want {:?}",
                    row.method,
                    row.path,
                    expected(row.rule, *who).map_or("allowed".to_owned(), |s| s.to_string())
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
