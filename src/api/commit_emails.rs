//! Server functions for a person's commit e-mails (the "Commit e-mails" section of the person
//! page): the same services as `rest::identities`, the same rules.

use crate::api::ApiError;
use crate::domain::commit_identity::{CommitIdentities, CommitIdentity};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[cfg(feature = "ssr")]
use crate::api::context::{links, ui_actor, ui_principal};
#[cfg(feature = "ssr")]
use crate::api::error::with_status;

/// The section's data, with what the viewer may do (decided on the server).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CommitEmailsData {
    pub emails: CommitIdentities,
    pub can_manage: bool,
    pub can_approve: bool,
}

#[server]
pub async fn commit_emails(person: Uuid) -> Result<CommitEmailsData, ApiError> {
    use crate::auth::rules;
    with_status(
        async {
            let who = ui_principal().await?;
            let emails = links()?.commit_identities(person).await?;
            Ok(CommitEmailsData { emails, can_manage: rules::manage_person_links(&who, person).is_ok(), can_approve: rules::admin_only(&who).is_ok() })
        }
        .await,
    )
}

#[server]
pub async fn link_commit_email(person: Uuid, email: String) -> Result<CommitIdentity, ApiError> {
    with_status(
        async {
            let who = ui_principal().await?;
            Ok(links()?.link_commit_identity(&who, ui_actor().await?, person, &email, None).await?)
        }
        .await,
    )
}

#[server]
pub async fn unlink_commit_email(person: Uuid, identity: Uuid) -> Result<(), ApiError> {
    with_status(
        async {
            let who = ui_principal().await?;
            Ok(links()?.unlink_commit_identity(&who, ui_actor().await?, person, identity).await?)
        }
        .await,
    )
}

#[server]
pub async fn approve_commit_email(person: Uuid, identity: Uuid) -> Result<CommitIdentity, ApiError> {
    with_status(
        async {
            let who = ui_principal().await?;
            Ok(links()?.approve_commit_identity(&who, ui_actor().await?, person, identity).await?)
        }
        .await,
    )
}
