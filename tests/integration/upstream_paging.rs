//! Issue 12, one upstream layer: the shared paging walker never follows a `next` link to another
//! origin with the connection's credentials (the other origin gets no request at all), and a
//! list longer than its page cap is an error, never a silently short list.

use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use velocity::domain::AccountPlatform;
use velocity::store::connections::{Connection, Credentials};
use velocity::upstream::{catalog, paging, HttpError, Limits, Page, Stats, Upstream};

async fn serve(router: Router, host: &str) -> String {
    let listener = tokio::net::TcpListener::bind(format!("{host}:0")).await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    format!("http://{addr}")
}

fn upstream(base: &str) -> Upstream {
    let conn = Connection {
        id: uuid::Uuid::new_v4(),
        kind: "bitbucket".into(),
        name: "Paging test".into(),
        base_url: base.into(),
        scope: "acme".into(),
        auth_mode: "bearer".into(),
        enabled: true,
        credentials: Some(Credentials { email: None, token: "paging-test-secret".to_owned().into() }),
        max_requests_per_second: None,
    };
    Upstream::new(conn, Arc::new(Stats::default()), Limits { attempts: 1, ..Limits::default() })
}

#[tokio::test]
async fn a_next_link_to_another_origin_is_refused_and_never_called() {
    let elsewhere_calls = Arc::new(AtomicUsize::new(0));
    let seen = elsewhere_calls.clone();
    // Another loopback address is another origin, as a foreign host would be.
    let elsewhere = serve(Router::new().fallback(move || { seen.fetch_add(1, Ordering::SeqCst); async { Json(json!({"values": []})) } }), "127.0.0.2").await;
    let next = format!("{elsewhere}/2.0/workspaces/acme/members?page=2");
    let home = serve(Router::new().route("/2.0/workspaces/acme/members", get(move || { let next = next.clone(); async move { Json(json!({"values": [{"user": {"uuid": "{1}", "nickname": "ana"}}], "next": next})) } })), "127.0.0.1").await;

    let refused = catalog::accounts(&upstream(&home), AccountPlatform::Bitbucket).await;
    match refused {
        Err(HttpError::Insecure { url, reason }) => {
            assert!(url.starts_with(&elsewhere), "{url}");
            assert!(reason.contains("another origin"), "{reason}");
        }
        other => panic!("expected the cross-origin next link to be refused, got {other:?}"),
    }
    assert_eq!(elsewhere_calls.load(Ordering::SeqCst), 0, "no request, so no credential, went to the other origin");
}

#[tokio::test]
async fn a_list_longer_than_its_cap_is_an_error() {
    let base = serve(Router::new().route("/items", get(|| async { Json(json!({"next": true})) })), "127.0.0.1").await;
    let up = upstream(&base);
    let first = format!("{base}/items");
    let again = first.clone();
    let walked = paging::walk(&up, first, &[], 3, |_: Page<Value>, _| (vec![1], Some(again.clone()))).await;
    match walked {
        Err(HttpError::TooManyPages { pages: 3, .. }) => {}
        other => panic!("expected TooManyPages, got {other:?}"),
    }
}
