//! "Check links now" on a project's or person's page: every link of that entity is looked up
//! upstream by its stable id, renames are taken and links gone upstream are marked unverified —
//! what `POST /api/links/validate` does, answered in sentences.

use crate::api::ApiError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What a check found, as a person reads it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CheckOutcome {
    pub checked: usize,
    pub unchanged: usize,
    /// One sentence per link that changed (renamed, gone, found again).
    pub changes: Vec<String>,
    /// Links that could not be asked about, with why.
    pub errors: Vec<String>,
    /// Connections the mass-invalidation guard held back.
    pub refused: Vec<String>,
}

impl CheckOutcome {
    /// The headline: how many links, and whether anything needs reading below it.
    pub fn summary(&self) -> String {
        let links = if self.checked == 1 { "1 link".to_owned() } else { format!("{} links", self.checked) };
        match (self.checked, self.changes.len(), self.errors.len() + self.refused.len()) {
            (0, _, _) => "There are no links to check.".into(),
            (_, 0, 0) => format!("Checked {links}: each is where it was upstream; nothing changed."),
            (_, changed, 0) => format!("Checked {links}: {changed} changed upstream, {} unchanged.", self.unchanged),
            (_, changed, failed) => format!("Checked {links}: {changed} changed, {} unchanged, {failed} could not be checked.", self.unchanged),
        }
    }
}

#[server]
pub async fn check_links(owner: String) -> Result<CheckOutcome, ApiError> {
    use crate::api::context::{links, ui_actor, ui_principal};
    use crate::api::error::with_status;
    use crate::api::owner::OwnerRef;
    use crate::validation::Scope;
    with_status(
        async {
            let actor = ui_actor().await?;
            let owner = OwnerRef::parse_api(&owner)?;
            let l = links()?;
            // Checking writes (renames, unverified marks): whoever manages the links decides.
            crate::api::authz::manage_owner(&l.pool, &ui_principal().await?, &owner).await?;
            let scope = match &owner {
                OwnerRef::Project(key) => {
                    let id = crate::store::projects::project_id_by_key(&l.pool, key).await?.ok_or_else(|| ApiError::NotFound(format!("no project with key '{key}'")))?;
                    Scope { project: Some(id), person: None }
                }
                OwnerRef::Person(id) => Scope { project: None, person: Some(*id) },
            };
            let report = l.validator().validate(scope, actor).await?;
            Ok(CheckOutcome {
                checked: report.checked,
                unchanged: report.unchanged,
                changes: report.changes.iter().map(|c| c.sentence()).collect(),
                errors: report.errors.iter().map(|e| e.message.clone()).collect(),
                refused: report.refused,
            })
        }
        .await,
    )
}

#[cfg(test)]
mod tests {
    use super::CheckOutcome;

    fn outcome(checked: usize, changes: usize, errors: usize) -> CheckOutcome {
        CheckOutcome { checked, unchanged: checked - changes - errors, changes: vec!["x".into(); changes], errors: vec!["e".into(); errors], refused: vec![] }
    }

    #[test]
    fn the_headline_says_whether_anything_needs_reading() {
        assert_eq!(outcome(0, 0, 0).summary(), "There are no links to check.");
        assert_eq!(outcome(1, 0, 0).summary(), "Checked 1 link: each is where it was upstream; nothing changed.");
        assert_eq!(outcome(4, 2, 0).summary(), "Checked 4 links: 2 changed upstream, 2 unchanged.");
        assert_eq!(outcome(4, 1, 1).summary(), "Checked 4 links: 1 changed, 2 unchanged, 1 could not be checked.");
    }
}
