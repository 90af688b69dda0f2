//! One layer in front of every route: find who is signed in (an `Authorization: Bearer` API
//! token, else the session cookie), refuse cross-site unsafe requests that ride on a cookie
//! (CSRF), and refuse anonymous requests except to the public paths. Handlers then read the
//! principal from the request (`ApiActor`, `Authed`, `api::context::ui_principal`).

use super::rules::Principal;
use super::session;
use crate::api::ApiError;
use crate::server::state::AppState;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};

/// How the principal proved who they are. Token requests carry no ambient credential, so
/// they are exempt from the CSRF check.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Via {
    Session,
    Token,
}

#[derive(Clone, Copy, Debug)]
pub struct Authenticated {
    pub principal: Principal,
    pub via: Via,
}

/// Server-function paths anyone may call (signing in, asking whether one is, and claiming an
/// instance nobody has an account on yet).
pub const PUBLIC_SERVER_FNS: &[&str] = &["/api/login", "/api/current_user", "/api/setup_status", "/api/claim_setup"];

/// Reachable without signing in: the health check, the login page, the API document, the
/// public server functions and static files (the built site's `pkg/` and files in `public/`).
pub fn is_public(path: &str) -> bool {
    if matches!(path, "/health" | "/login" | "/setup" | "/api/openapi.json")
        || PUBLIC_SERVER_FNS.contains(&path)
    {
        return true;
    }
    if path.starts_with("/api/") || path == "/api" {
        return false;
    }
    path.starts_with("/pkg/")
        || path
            .rsplit('/')
            .next()
            .is_some_and(|last| last.contains('.'))
}

/// True when an unsafe request was sent by another site: the browser says so in
/// `Sec-Fetch-Site`, or (older browsers) its `Origin` is not this host. A request with neither
/// header does not come from a browser form or script, so it carries no forged cookie intent.
pub fn cross_site(method: &Method, headers: &HeaderMap) -> bool {
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return false;
    }
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return !matches!(site, "same-origin" | "none");
    }
    let Some(origin) = headers.get(header::ORIGIN) else {
        return false;
    };
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    let origin_host = origin
        .to_str()
        .ok()
        .and_then(|o| o.split_once("://"))
        .map(|(_, rest)| rest.trim_end_matches('/'));
    match (origin_host, host) {
        (Some(o), Some(h)) => !o.eq_ignore_ascii_case(h),
        _ => true,
    }
}

fn bearer(headers: &HeaderMap) -> Option<Result<&str, ()>> {
    let raw = headers.get(header::AUTHORIZATION)?;
    Some(
        raw.to_str()
            .ok()
            .and_then(|v| v.strip_prefix("Bearer ").map(str::trim))
            .filter(|t| !t.is_empty())
            .ok_or(()),
    )
}

async fn resolve(s: &AppState, headers: &HeaderMap) -> Result<Option<Authenticated>, ApiError> {
    if let Some(token) = bearer(headers) {
        let token = token.map_err(|()| {
            ApiError::unauthorized("the Authorization header must be `Bearer <token>`")
        })?;
        return match session::by_token(&s.pool, token).await? {
            Some(principal) => Ok(Some(Authenticated {
                principal,
                via: Via::Token,
            })),
            None => Err(ApiError::unauthorized(
                "the API token is unknown or revoked",
            )),
        };
    }
    let Some(id) = session::cookie_value(headers) else {
        return Ok(None);
    };
    // An expired or unknown session is the same as none: the person signs in again.
    Ok(session::by_session(&s.pool, &id)
        .await?
        .map(|principal| Authenticated {
            principal,
            via: Via::Session,
        }))
}

pub async fn layer(State(s): State<AppState>, mut req: Request, next: Next) -> Response {
    let auth = match resolve(&s, req.headers()).await {
        Ok(a) => a,
        // Public paths answer without a principal (the health check must report a database
        // that is down, not fail on the token look-up).
        Err(_) if is_public(req.uri().path()) => None,
        Err(e) => return e.into_response(),
    };
    let token = auth.is_some_and(|a| a.via == Via::Token);
    if !token && cross_site(req.method(), req.headers()) {
        return ApiError::forbidden(
            "cross-site request refused: send it from Velocity's own pages or with an API token",
        )
        .into_response();
    }
    let path = req.uri().path();
    if auth.is_none() && !is_public(path) {
        // Pages send people to the login page; machine endpoints (the API, the metrics scrape)
        // answer 401 so their clients see why.
        if req.method() == Method::GET && !path.starts_with("/api/") && path != "/metrics" {
            // An instance nobody has claimed yet has nobody to sign in as.
            let to = if crate::store::setup::needed(&s.pool).await.unwrap_or(false) { "/setup" } else { "/login" };
            return Redirect::to(to).into_response();
        }
        return ApiError::unauthorized("sign in first, or send `Authorization: Bearer <token>`")
            .into_response();
    }
    if let Some(a) = auth {
        req.extensions_mut().insert(a);
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, v.parse().expect("header value"));
        }
        h
    }

    #[test]
    fn public_paths() {
        for p in [
            "/health",
            "/login",
            "/api/openapi.json",
            "/pkg/velocity.js",
            "/favicon.ico",
            "/api/login",
        ] {
            assert!(is_public(p), "{p}");
        }
        for p in [
            "/",
            "/api/projects",
            "/api/audit",
            "/projects/MOBILE",
            "/api/x.json",
        ] {
            assert!(!is_public(p), "{p}");
        }
    }

    #[test]
    fn csrf_refuses_cross_site_unsafe_requests_only() {
        let post = Method::POST;
        assert!(cross_site(
            &post,
            &headers(&[("sec-fetch-site", "cross-site")])
        ));
        assert!(cross_site(
            &post,
            &headers(&[("sec-fetch-site", "same-site")])
        ));
        assert!(!cross_site(
            &post,
            &headers(&[("sec-fetch-site", "same-origin")])
        ));
        assert!(cross_site(
            &post,
            &headers(&[
                ("origin", "https://evil.example"),
                ("host", "velocity.local")
            ])
        ));
        assert!(!cross_site(
            &post,
            &headers(&[
                ("origin", "http://velocity.local:3000"),
                ("host", "velocity.local:3000")
            ])
        ));
        assert!(cross_site(
            &post,
            &headers(&[("origin", "null"), ("host", "velocity.local")])
        ));
        assert!(!cross_site(&post, &headers(&[])));
        assert!(!cross_site(
            &Method::GET,
            &headers(&[("sec-fetch-site", "cross-site")])
        ));
    }
}
