//! Who a synced commit or pull request is attributed to: only through links a person confirmed
//! — the author's linked git-host account first, else (commits only) a linked commit e-mail.

use crate::domain::commit_identity::normalise_email;
use crate::store::commit_identities;
use crate::store::sync_links;
use crate::store::synced::{Attribution, CommitRow};
use sqlx::PgPool;
use std::collections::HashMap;
use uuid::Uuid;

/// One connection's attribution links, read once per run.
#[derive(Debug, Default)]
pub struct Authors {
    /// Account external id → person.
    accounts: HashMap<String, Uuid>,
    /// Normalised e-mail → (identity link, person), for identities that cover this connection.
    emails: HashMap<String, (Uuid, Uuid)>,
}

impl Authors {
    /// Each connection's attribution links; the commit identities are read once for all.
    pub async fn load(pool: &PgPool, connection_ids: impl IntoIterator<Item = Uuid>) -> Result<HashMap<Uuid, Self>, sqlx::Error> {
        let identities = commit_identities::attributing(pool).await?;
        let mut all = HashMap::new();
        for id in connection_ids {
            let accounts = sync_links::active_accounts(pool, id).await?.into_iter().map(|(ext, person, _)| (ext, person)).collect();
            all.insert(id, Self::new(accounts, &identities, id));
        }
        Ok(all)
    }

    fn new(accounts: HashMap<String, Uuid>, identities: &[(Uuid, Uuid, String, Option<Uuid>)], connection_id: Uuid) -> Self {
        let emails = identities
            .iter()
            .filter(|(_, _, _, scope)| scope.is_none_or(|c| c == connection_id))
            .map(|(id, person, email, _)| (email.clone(), (*id, *person)))
            .collect();
        Authors { accounts, emails }
    }

    pub fn account(&self, account: &Option<String>) -> Option<Uuid> {
        account.as_ref().and_then(|a| self.accounts.get(a)).copied()
    }

    pub fn commit(&self, c: &CommitRow) -> Attribution {
        if let Some(person) = self.account(&c.author_account_id) {
            return Attribution { person: Some(person), identity: None };
        }
        match c.author_email.as_deref().and_then(|e| self.emails.get(&normalise_email(e))) {
            Some((identity, person)) => Attribution { person: Some(*person), identity: Some(*identity) },
            None => Attribution::default(),
        }
    }
}

/// A run's last step for commits: stored commits brought in line with today's links (see
/// `store::commit_identities::reattribute`); counted as commits written.
pub async fn reattribute(pool: &PgPool, report: &mut super::RunReport) {
    match commit_identities::reattribute(pool).await {
        Ok(changed) => report.add("commits", 0, changed, 0),
        Err(e) => report.error(None, &e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    fn commit(account: Option<&str>, email: Option<&str>) -> CommitRow {
        CommitRow { sha: "a".into(), author_account_id: account.map(Into::into), author_name: None, author_email: email.map(Into::into), message: String::new(), committed_at: Utc::now() }
    }

    #[test]
    fn the_account_link_comes_before_the_email_and_scopes_are_kept() {
        let (ana, bo, conn, other) = (Uuid::from_u128(1), Uuid::from_u128(2), Uuid::from_u128(10), Uuid::from_u128(11));
        let (global, scoped_elsewhere) = (Uuid::from_u128(100), Uuid::from_u128(101));
        let authors = Authors::new(
            HashMap::from([("u-ana".to_owned(), ana)]),
            &[(global, bo, "bo@acme.test".into(), None), (scoped_elsewhere, ana, "ana@home.test".into(), Some(other))],
            conn,
        );
        assert_eq!(authors.commit(&commit(Some("u-ana"), Some("bo@acme.test"))), Attribution { person: Some(ana), identity: None });
        assert_eq!(authors.commit(&commit(None, Some(" Bo@ACME.test"))), Attribution { person: Some(bo), identity: Some(global) });
        assert_eq!(authors.commit(&commit(None, Some("ana@home.test"))), Attribution::default(), "scoped to another connection");
        assert_eq!(authors.commit(&commit(Some("u-unknown"), None)), Attribution::default());
    }
}
