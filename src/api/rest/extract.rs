//! Request extraction that fails with `ApiError` (the JSON error shape, the field named)
//! instead of axum's plain-text rejections; and the signed-in principal.

use crate::api::ApiError;
use crate::links::{Actor, Source};
use crate::auth::middleware::Authenticated;
use crate::auth::Principal;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;
use uuid::Uuid;

/// A JSON body; malformed JSON, unknown fields and wrong types are 400 with serde's message,
/// which names the field.
pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        // Every body is an object: serde would also read a struct from an array of its fields.
        match axum::Json::<serde_json::Value>::from_request(req, state).await {
            Ok(axum::Json(v @ serde_json::Value::Object(_))) => serde_json::from_value(v).map(ApiJson).map_err(|e| serde_error(&e.to_string())),
            Ok(axum::Json(_)) => Err(ApiError::invalid("body", "must be a JSON object")),
            Err(rejection) => Err(json_rejection(rejection)),
        }
    }
}

/// A query string; one it cannot read is a 400 in the JSON error shape, naming the field when
/// serde does.
pub struct ApiQuery<T>(pub T);

impl<S, T> FromRequestParts<S> for ApiQuery<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(q)) => Ok(ApiQuery(q)),
            Err(e) => {
                let text = e.body_text();
                let field = text.split('`').nth(1).map(str::to_owned);
                Err(ApiError::Invalid { message: format!("invalid query: {text}"), field })
            }
        }
    }
}

/// A JSON body that may be left out: no body (or an empty one) is `None`; anything else must be
/// what `ApiJson` accepts.
pub struct OptionalJson<T>(pub Option<T>);

impl<S, T> FromRequest<S> for OptionalJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let (parts, body) = req.into_parts();
        let bytes = axum::body::to_bytes(body, 64 * 1024).await.map_err(|_| ApiError::invalid("body", "larger than 64 KiB"))?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(OptionalJson(None));
        }
        let req = Request::from_parts(parts, axum::body::Body::from(bytes));
        ApiJson::<T>::from_request(req, state).await.map(|ApiJson(v)| OptionalJson(Some(v)))
    }
}

fn json_rejection(r: JsonRejection) -> ApiError {
    let text = r.body_text();
    serde_error(text.split_once(": ").map_or(text.as_str(), |(_, rest)| rest))
}

/// A body serde could not read, with the field it names (serde quotes it in backticks).
pub fn serde_error(detail: &str) -> ApiError {
    let field = detail.split('`').nth(1).map(str::to_owned);
    ApiError::Invalid { message: format!("invalid request body: {detail}"), field }
}

pub fn parse_uuid(field: &str, raw: &str) -> Result<Uuid, ApiError> {
    Uuid::parse_str(raw).map_err(|_| ApiError::invalid(field, format!("'{raw}' is not a UUID")))
}

/// The signed-in principal of a REST request (set by `auth::middleware`); 401 without one.
/// Handlers that decide per target take this and call a `crate::auth::rules` function.
pub struct Authed(pub Principal);

impl<S: Send + Sync> FromRequestParts<S> for Authed {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Authenticated>()
            .map(|a| Authed(a.principal))
            .ok_or_else(|| ApiError::unauthorized("sign in first, or send `Authorization: Bearer <token>`"))
    }
}

/// The acting person for the audit log and `linkedBy`: the signed-in principal; 401 without one.
pub struct ApiActor(pub Actor);

impl<S: Send + Sync> FromRequestParts<S> for ApiActor {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Authed(p) = Authed::from_request_parts(parts, state).await?;
        Ok(ApiActor(Actor { person_id: Some(p.person_id), source: Source::Api }))
    }
}
