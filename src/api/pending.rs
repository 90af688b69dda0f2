//! Server functions for the admin's queue of pending links (the Pending page): the same service
//! as `rest::pending`, the same rules. Plain forms call `decide_pending`, so the page works
//! before it hydrates.

use crate::api::ApiError;
use crate::domain::pending::{PendingItem, PendingKind, Verdict};
use leptos::prelude::*;
use uuid::Uuid;

#[cfg(feature = "ssr")]
use crate::api::context::{links, ui_actor, ui_principal};
#[cfg(feature = "ssr")]
use crate::api::error::with_status;

#[server]
pub async fn pending_queue() -> Result<Vec<PendingItem>, ApiError> {
    with_status(async { Ok(links()?.pending_queue(&ui_principal().await?).await?) }.await)
}

/// Approves or rejects; answers with a sentence saying what happened, for the status line.
#[server]
pub async fn decide_pending(kind: PendingKind, link_id: Uuid, verdict: Verdict, reason: String) -> Result<String, ApiError> {
    with_status(
        async {
            let who = ui_principal().await?;
            let links = links()?;
            let item = links.pending_queue(&who).await?.into_iter().find(|i| i.kind == kind && i.link_id == link_id);
            links.decide_pending(&who, ui_actor().await?, kind, link_id, verdict, Some(&reason)).await?;
            let (what, whose) = item.map_or_else(|| ("the link".to_owned(), "the person".to_owned()), |i| (i.describe(), i.person_name));
            Ok(match verdict {
                Verdict::Approve => format!("Approved {what} for {whose}: it is linked now."),
                Verdict::Reject => format!("Rejected {what} for {whose}: the link is removed."),
            })
        }
        .await,
    )
}
