//! Server functions of the Import page (admins only): preview a connection's directory and
//! create the chosen persons or projects. No link is made here.

use crate::api::ApiError;
use crate::domain::directory_import::{DirectoryImportReport, DirectoryPreview, ImportKind};
use leptos::prelude::*;
use uuid::Uuid;

#[cfg(feature = "ssr")]
async fn admin() -> Result<crate::links::Actor, ApiError> {
    let who = crate::api::context::ui_principal().await?;
    crate::auth::rules::admin_only(&who)?;
    crate::api::context::ui_actor().await
}

#[server(input = leptos::server_fn::codec::Json)]
pub async fn preview_directory(connection_id: Uuid, kind: ImportKind) -> Result<DirectoryPreview, ApiError> {
    crate::api::error::with_status(
        async {
            admin().await?;
            Ok(crate::onboarding::preview(&crate::api::context::links()?, connection_id, kind).await?)
        }
        .await,
    )
}

#[server(input = leptos::server_fn::codec::Json)]
pub async fn import_directory(connection_id: Uuid, kind: ImportKind, external_ids: Vec<String>) -> Result<DirectoryImportReport, ApiError> {
    crate::api::error::with_status(
        async {
            let actor = admin().await?;
            Ok(crate::onboarding::import(&crate::api::context::links()?, connection_id, kind, &external_ids, actor).await?)
        }
        .await,
    )
}
