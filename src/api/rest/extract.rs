//! Request extraction that fails with `ApiError` (the JSON error shape, the field named)
//! instead of axum's plain-text rejections; and the acting person.

use crate::api::ApiError;
use crate::links::{Actor, Source};
use crate::server::state::AppState;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRef, FromRequest, FromRequestParts, Request};
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
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(ApiJson(v)),
            Err(rejection) => Err(json_rejection(rejection)),
        }
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

/// The acting person, named by the `X-Velocity-Actor` header (a person id) until sign-in and API
/// tokens exist; without it the change is recorded as the system's.
pub struct ApiActor(pub Actor);

impl<S> FromRequestParts<S> for ApiActor
where
    AppState: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Some(raw) = parts.headers.get("x-velocity-actor") else {
            return Ok(ApiActor(Actor { person_id: None, source: Source::Api }));
        };
        let raw = raw.to_str().map_err(|_| ApiError::invalid("X-Velocity-Actor", "is not text"))?;
        let id = parse_uuid("X-Velocity-Actor", raw)?;
        let pool = AppState::from_ref(state).pool;
        if !crate::store::persons::person_exists(&pool, id).await? {
            return Err(ApiError::invalid("X-Velocity-Actor", format!("no person with id {id}")));
        }
        Ok(ApiActor(Actor { person_id: Some(id), source: Source::Api }))
    }
}
