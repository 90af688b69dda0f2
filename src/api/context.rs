//! What every server function needs from the request context: the link services and the acting
//! person. One place, so sign-in and permissions apply to every server function alike.

use crate::api::ApiError;
use crate::links::{Actor, Links, Source};
use leptos::prelude::*;

pub fn links() -> Result<Links, ApiError> {
    use_context::<crate::server::state::AppState>()
        .map(|s| s.links)
        .ok_or_else(|| {
            tracing::error!("AppState missing from the server function context");
            ApiError::Internal
        })
}

/// The person acting through the UI. Until sign-in exists every UI change is recorded with the
/// UI as its source and no person.
pub async fn ui_actor() -> Result<Actor, ApiError> {
    Ok(Actor {
        person_id: None,
        source: Source::Ui,
    })
}
