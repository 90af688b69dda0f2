//! The demo's three sign-ins: an admin (the person who declared the demo's links), the lead of
//! an unlinked project (so there are suggestions to decide) and a member who leads nothing.
//! The passwords are fixed so the end-to-end tests and a person trying the demo can sign in;
//! they only ever guard simulated data.

use super::org::Truth;
use crate::auth::accounts::{create_account, AccountError};
use crate::auth::Role;
use serde::Serialize;
use sqlx::PgPool;

#[derive(Clone, Debug, Serialize)]
pub struct DemoAccount {
    pub role: Role,
    pub email: String,
    pub password: &'static str,
    /// For the lead: the project they lead.
    pub leads: Option<String>,
}

/// Project `i` of `n` persons is led by person `lead_index(i, n)` (the loader's rule).
pub fn lead_index(i: usize, n: usize) -> usize {
    (i * 3) % n.max(1)
}

/// Who gets which role, from the org alone (the same on every start).
pub fn plan(truth: &Truth) -> Vec<DemoAccount> {
    let n = truth.persons.len();
    if n < 3 || truth.projects.len() < 2 {
        return Vec::new();
    }
    let leads: Vec<usize> = (0..truth.projects.len())
        .map(|i| lead_index(i, n))
        .collect();
    // Project 1 is one the loader leaves unlinked (odd index), so it has suggestions.
    let lead = leads[1];
    let Some(member) = (0..n).find(|j| *j != 0 && !leads.contains(j)) else {
        return Vec::new();
    };
    let account = |role, idx: usize, password, leads: Option<String>| DemoAccount {
        role,
        email: truth.persons[idx].email.clone(),
        password,
        leads,
    };
    vec![
        account(Role::Admin, 0, "demo-admin-password", None),
        account(
            Role::Lead,
            lead,
            "demo-lead-password",
            Some(truth.projects[1].key.clone()),
        ),
        account(Role::Member, member, "demo-member-password", None),
    ]
}

pub async fn seed(pool: &PgPool, truth: &Truth) -> Result<Vec<DemoAccount>, AccountError> {
    let accounts = plan(truth);
    for a in &accounts {
        create_account(pool, &a.email, None, a.role, Some(a.password.to_owned())).await?;
    }
    Ok(accounts)
}
