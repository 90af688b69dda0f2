//! Server functions of the Connections page (admins only): the same service as
//! `/api/connections`, with the secret travelling only inward.

use crate::api::ApiError;
use crate::domain::connection::{ConnectionChange, ConnectionInput, ConnectionView, TestOutcome};
use leptos::prelude::*;
use uuid::Uuid;

#[cfg(feature = "ssr")]
mod ssr {
    use crate::api::ApiError;
    use crate::connections::Actor;

    pub async fn admin() -> Result<Actor<'static>, ApiError> {
        let who = crate::api::context::ui_principal().await?;
        crate::auth::rules::admin_only(&who)?;
        Ok(Actor { person_id: Some(who.person_id), source: "ui" })
    }

    pub fn pool() -> Result<sqlx::PgPool, ApiError> {
        crate::api::context::links().map(|l| l.pool)
    }
}

#[server(input = leptos::server_fn::codec::Json)]
pub async fn list_connections() -> Result<Vec<ConnectionView>, ApiError> {
    crate::api::error::with_status(
        async {
            ssr::admin().await?;
            Ok(crate::connections::list(&ssr::pool()?).await?)
        }
        .await,
    )
}

/// Tests what the dialog holds, then saves it only if the upstream accepted it (or `force`).
/// The outcome comes back either way; `saved` is the connection when it was saved.
#[server(input = leptos::server_fn::codec::Json)]
pub async fn create_connection(input: ConnectionInput, force: bool) -> Result<(TestOutcome, Option<ConnectionView>), ApiError> {
    crate::api::error::with_status(
        async {
            let actor = ssr::admin().await?;
            let outcome = crate::connections::test_unsaved(&input).await?;
            if !outcome.ok && !force {
                return Ok((outcome, None));
            }
            let saved = crate::connections::create(&ssr::pool()?, &input, actor).await?;
            Ok((outcome, Some(saved)))
        }
        .await,
    )
}

/// Tests what the dialog holds without saving.
#[server(input = leptos::server_fn::codec::Json)]
pub async fn try_connection(input: ConnectionInput) -> Result<TestOutcome, ApiError> {
    crate::api::error::with_status(
        async {
            ssr::admin().await?;
            Ok(crate::connections::test_unsaved(&input).await?)
        }
        .await,
    )
}

/// Saves a change (a new token rotates the secret), then tests the connection as saved.
#[server(input = leptos::server_fn::codec::Json)]
pub async fn update_connection(id: Uuid, change: ConnectionChange) -> Result<(ConnectionView, Option<TestOutcome>), ApiError> {
    crate::api::error::with_status(
        async {
            let actor = ssr::admin().await?;
            let pool = ssr::pool()?;
            let saved = crate::connections::update(&pool, id, &change, actor).await?;
            let outcome = if saved.enabled { Some(crate::connections::test_saved(&pool, id).await?) } else { None };
            Ok((saved, outcome))
        }
        .await,
    )
}

#[server(input = leptos::server_fn::codec::Json)]
pub async fn test_connection(id: Uuid) -> Result<TestOutcome, ApiError> {
    crate::api::error::with_status(
        async {
            ssr::admin().await?;
            Ok(crate::connections::test_saved(&ssr::pool()?, id).await?)
        }
        .await,
    )
}

#[server(input = leptos::server_fn::codec::Json)]
pub async fn remove_connection(id: Uuid) -> Result<(), ApiError> {
    crate::api::error::with_status(
        async {
            let actor = ssr::admin().await?;
            Ok(crate::connections::remove(&ssr::pool()?, id, actor).await?)
        }
        .await,
    )
}
