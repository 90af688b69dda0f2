//! A legacy `bitbucketUsername` (the nickname Bitbucket Cloud no longer looks up) found in every
//! Bitbucket workspace Velocity is connected to, for `PUT /api/persons/{id}`, import and
//! `migrate-legacy` alike: the one member who carries it, or a sentence saying why not.

use super::{LinkError, Links};
use crate::store::connections::{list_connections, Connection};
use crate::upstream::lookup::{bitbucket_account_by_nickname, AccountInfo};

/// The workspaces' answers for one nickname: members found (connection, account) and the
/// workspaces that could not be read.
#[derive(Debug, Default)]
pub struct Found {
    pub members: Vec<(Connection, AccountInfo)>,
    pub unreadable: Vec<String>,
}

/// One account, or why a nickname does not name exactly one: the same person in two workspaces
/// (one Atlassian account, one uuid) is one account, linked through the first workspace by name.
pub fn one_member(nickname: &str, found: Found) -> Result<(Connection, AccountInfo), LinkError> {
    let mut members = found.members;
    members.sort_by(|a, b| a.0.name.cmp(&b.0.name).then(a.0.id.cmp(&b.0.id)));
    let mut distinct: Vec<&(Connection, AccountInfo)> = Vec::new();
    for m in &members {
        if !distinct.iter().any(|d| d.1.external_id == m.1.external_id) {
            distinct.push(m);
        }
    }
    match distinct.len() {
        1 => Ok(members.into_iter().next().expect("one member")),
        0 if !found.unreadable.is_empty() => Err(LinkError::Invalid {
            field: "bitbucketUsername",
            message: format!("'{nickname}' is in no readable Bitbucket workspace; could not read {}", found.unreadable.join("; ")),
        }),
        0 => Err(LinkError::NotUpstream { what: format!("a member with the nickname '{nickname}'"), connection: "any connected Bitbucket workspace".into() }),
        _ => {
            let places: Vec<String> = distinct.iter().map(|(c, a)| format!("{} ({})", c.scope, a.external_id)).collect();
            Err(LinkError::Invalid {
                field: "bitbucketUsername",
                message: format!("'{nickname}' is the nickname of different members in workspaces {}; link the right one from the person's page", places.join(" and ")),
            })
        }
    }
}

impl Links {
    /// Asks every enabled Bitbucket connection for the member with this nickname.
    pub async fn bitbucket_member(&self, nickname: &str) -> Result<(Connection, AccountInfo), LinkError> {
        let connections: Vec<Connection> = list_connections(&self.pool).await?.into_iter().filter(|c| c.kind == "bitbucket" && c.enabled).collect();
        if connections.is_empty() {
            // The usual sentence: none configured, or the one there is disabled.
            return Err(self.connection("bitbucket", None).await.err().unwrap_or(LinkError::Invalid { field: "bitbucketUsername", message: "no Bitbucket connection is enabled".into() }));
        }
        let mut found = Found::default();
        for conn in connections {
            match bitbucket_account_by_nickname(&self.upstream(&conn), nickname).await {
                Ok(Some(account)) => found.members.push((conn, account)),
                Ok(None) => {}
                Err(e) => found.unreadable.push(format!("{} ({e})", conn.scope)),
            }
        }
        one_member(nickname, found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    fn conn(n: u128, scope: &str) -> Connection {
        Connection { id: Uuid::from_u128(n), kind: "bitbucket".into(), name: format!("Bitbucket {scope}"), base_url: "https://api.bitbucket.org".into(), scope: scope.into(), auth_mode: "bearer".into(), enabled: true, credentials: None, max_requests_per_second: None }
    }

    fn member(uuid: &str) -> AccountInfo {
        AccountInfo { external_id: uuid.into(), username: Some("ann".into()), display_name: None, email: None, active: true }
    }

    #[test]
    fn one_member_across_workspaces_links_and_two_different_ones_are_ambiguous() {
        let same = Found { members: vec![(conn(2, "zeta"), member("{u1}")), (conn(1, "acme"), member("{u1}"))], unreadable: vec![] };
        let (c, a) = one_member("ann", same).unwrap();
        assert_eq!((c.scope.as_str(), a.external_id.as_str()), ("acme", "{u1}"));
        let two = Found { members: vec![(conn(1, "acme"), member("{u1}")), (conn(2, "zeta"), member("{u2}"))], unreadable: vec![] };
        let e = one_member("ann", two).unwrap_err().to_string();
        assert!(e.contains("acme ({u1}) and zeta ({u2})"), "{e}");
        let none = one_member("ann", Found::default()).unwrap_err().to_string();
        assert!(none.contains("nickname 'ann'"), "{none}");
        let unreadable = one_member("ann", Found { members: vec![], unreadable: vec!["acme (401)".into()] }).unwrap_err().to_string();
        assert!(unreadable.contains("could not read acme (401)"), "{unreadable}");
    }
}
