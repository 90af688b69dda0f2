//! First-run server functions: whether the instance still waits to be claimed, claiming it with
//! the setup code (the page's plain form, so it works before hydration), and for admins how far
//! onboarding has come. `setup_status` and `claim_setup` are public
//! (`auth::middleware::PUBLIC_SERVER_FNS`).

use crate::api::ApiError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub use crate::domain::setup::Progress;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SetupState {
    /// Nobody has an account yet and a setup code waits.
    pub needed: bool,
    /// For a signed-in admin only.
    pub progress: Option<Progress>,
}

#[server(endpoint = "setup_status")]
pub async fn setup_status() -> Result<SetupState, ApiError> {
    crate::api::error::with_status(
        async {
            let pool = crate::api::context::links()?.pool;
            let needed = crate::store::setup::needed(&pool).await?;
            let admin = crate::api::context::signed_in().filter(|p| crate::auth::rules::admin_only(p).is_ok());
            let progress = match admin {
                None => None,
                Some(_) => Some(crate::store::setup::counts(&pool).await?),
            };
            Ok(SetupState { needed, progress })
        }
        .await,
    )
}

/// Claims an unclaimed instance: the first admin, signed in, sent on to the next steps.
#[server(endpoint = "claim_setup")]
pub async fn claim_setup(code: String, name: String, email: String, password: String) -> Result<(), ApiError> {
    crate::api::error::with_status(
        async {
            use crate::api::auth::ssr::{check_rate, start_session, state};
            if code.len() > 64 || password.len() > 1024 || email.len() > 320 {
                return Err(ApiError::invalid("body", "a field is longer than any setup code, e-mail or password"));
            }
            let s = state()?;
            check_rate(&s)?;
            let claim = crate::auth::setup::Claim { code, name, email, password };
            let person_id = crate::auth::setup::claim(&s.pool, claim).await?;
            start_session(&s, person_id).await?;
            tracing::info!(%person_id, "instance claimed with the setup code");
            leptos_axum::redirect("/setup?welcome");
            Ok(())
        }
        .await,
    )
}
