//! Who may do what: pure functions of the acting principal and the facts about the target, so
//! every REST handler and server function asks the same question the same way, and the answers
//! are unit-tested without a server. Reading needs only a signed-in person.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Admin,
    Lead,
    Member,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Lead => "lead",
            Role::Member => "member",
        }
    }

    pub fn parse(raw: &str) -> Option<Role> {
        match raw {
            "admin" => Some(Role::Admin),
            "lead" => Some(Role::Lead),
            "member" => Some(Role::Member),
            _ => None,
        }
    }
}

/// The signed-in person (through a session cookie or an API token; a token carries exactly its
/// creator's rights).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Principal {
    pub person_id: Uuid,
    pub role: Role,
}

/// A refusal; the API maps it to 403 with this reason.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Denied(pub &'static str);

pub type Decision = Result<(), Denied>;

fn allow_if(ok: bool, reason: &'static str) -> Decision {
    if ok {
        Ok(())
    } else {
        Err(Denied(reason))
    }
}

/// Connections, legacy migration, imports, entity writes, approvals, the audit log of others.
pub fn admin_only(p: &Principal) -> Decision {
    allow_if(p.role == Role::Admin, "only an admin may do this")
}

/// Link, unlink, confirm or dismiss for a project, and run its syncs: an admin, or a lead who
/// leads this project (`projects.lead_person_id`).
pub fn manage_project(p: &Principal, project_lead: Option<Uuid>) -> Decision {
    let leads_it = p.role == Role::Lead && project_lead == Some(p.person_id);
    allow_if(
        p.role == Role::Admin || leads_it,
        "only an admin or this project's lead may change its links",
    )
}

/// Change or delete a person's external-account links: an admin, or the person themself.
pub fn manage_person_links(p: &Principal, person_id: Uuid) -> Decision {
    allow_if(
        p.role == Role::Admin || p.person_id == person_id,
        "only an admin or the person themself may change their accounts",
    )
}

/// How a new external-account link for `person_id` is created.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AccountLink {
    /// Written and active at once.
    Direct,
    /// Stored inactive and pending until an admin approves it (nothing syncs through it).
    Pending,
}

/// Self-linking: an admin links anyone's account directly; a person links their own account
/// directly when its upstream e-mail is theirs (ignoring case), otherwise it waits for an admin.
pub fn link_account(
    p: &Principal,
    person_id: Uuid,
    person_email: &str,
    upstream_email: Option<&str>,
) -> Result<AccountLink, Denied> {
    if p.role == Role::Admin {
        return Ok(AccountLink::Direct);
    }
    manage_person_links(p, person_id)?;
    let same = upstream_email.is_some_and(|e| e.trim().eq_ignore_ascii_case(person_email.trim()));
    Ok(if same {
        AccountLink::Direct
    } else {
        AccountLink::Pending
    })
}

/// A suggestion is decided by whoever may manage its target.
pub fn decide_suggestion(p: &Principal, target: SuggestionTarget) -> Decision {
    match target {
        SuggestionTarget::Project { lead } => manage_project(p, lead),
        SuggestionTarget::Person { person_id } => manage_person_links(p, person_id),
    }
}

#[derive(Clone, Copy, Debug)]
pub enum SuggestionTarget {
    Project { lead: Option<Uuid> },
    Person { person_id: Uuid },
}

/// API tokens are revoked by their owner or an admin.
pub fn manage_token(p: &Principal, owner: Uuid) -> Decision {
    allow_if(
        p.role == Role::Admin || p.person_id == owner,
        "only the token's owner or an admin may revoke it",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn who(role: Role) -> Principal {
        Principal {
            person_id: Uuid::new_v4(),
            role,
        }
    }

    #[test]
    fn admin_may_do_everything() {
        let a = who(Role::Admin);
        assert!(admin_only(&a).is_ok());
        assert!(manage_project(&a, None).is_ok());
        assert!(manage_project(&a, Some(Uuid::new_v4())).is_ok());
        assert!(manage_person_links(&a, Uuid::new_v4()).is_ok());
        assert_eq!(
            link_account(&a, Uuid::new_v4(), "x@a.io", None),
            Ok(AccountLink::Direct)
        );
        assert!(manage_token(&a, Uuid::new_v4()).is_ok());
    }

    #[test]
    fn lead_manages_only_the_projects_they_lead() {
        let l = who(Role::Lead);
        assert!(manage_project(&l, Some(l.person_id)).is_ok());
        assert!(manage_project(&l, Some(Uuid::new_v4())).is_err());
        assert!(manage_project(&l, None).is_err());
        assert!(admin_only(&l).is_err());
    }

    #[test]
    fn a_member_named_lead_without_the_lead_role_may_not_manage() {
        let m = who(Role::Member);
        assert!(manage_project(&m, Some(m.person_id)).is_err());
    }

    #[test]
    fn members_only_touch_their_own_accounts() {
        let m = who(Role::Member);
        assert!(manage_person_links(&m, m.person_id).is_ok());
        assert!(manage_person_links(&m, Uuid::new_v4()).is_err());
        assert!(admin_only(&m).is_err());
        assert!(decide_suggestion(
            &m,
            SuggestionTarget::Person {
                person_id: m.person_id
            }
        )
        .is_ok());
        assert!(decide_suggestion(
            &m,
            SuggestionTarget::Project {
                lead: Some(m.person_id)
            }
        )
        .is_err());
    }

    #[test]
    fn self_link_is_direct_only_when_the_upstream_email_matches() {
        let m = who(Role::Member);
        assert_eq!(
            link_account(&m, m.person_id, "Ann@Acme.io", Some(" ann@acme.IO")),
            Ok(AccountLink::Direct)
        );
        assert_eq!(
            link_account(&m, m.person_id, "ann@acme.io", Some("ann.b@gmail.com")),
            Ok(AccountLink::Pending)
        );
        assert_eq!(
            link_account(&m, m.person_id, "ann@acme.io", None),
            Ok(AccountLink::Pending)
        );
        assert!(link_account(&m, Uuid::new_v4(), "ann@acme.io", Some("ann@acme.io")).is_err());
    }

    #[test]
    fn tokens_are_revoked_by_their_owner_or_an_admin() {
        let m = who(Role::Member);
        assert!(manage_token(&m, m.person_id).is_ok());
        assert!(manage_token(&m, Uuid::new_v4()).is_err());
    }

    #[test]
    fn roles_round_trip() {
        for r in [Role::Admin, Role::Lead, Role::Member] {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert_eq!(Role::parse("root"), None);
    }
}
