//! Server function for the link health page.

use crate::api::ApiError;
use crate::domain::health::HealthReport;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::api::context::{links, ui_actor};
#[cfg(feature = "ssr")]
use crate::api::error::with_status;

#[server]
pub async fn link_health() -> Result<HealthReport, ApiError> {
    with_status(
        async {
            ui_actor().await?;
            Ok(links()?.health(chrono::Utc::now()).await?)
        }
        .await,
    )
}
