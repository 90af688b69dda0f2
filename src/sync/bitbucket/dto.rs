//! Bitbucket Cloud 2.0 shapes, only the fields the sync reads.

use serde::Deserialize;

/// Every list: `values` and, but on the last page, `next`.
#[derive(Debug, Deserialize)]
pub struct Paged<T> {
    #[serde(default = "Vec::new")]
    pub values: Vec<T>,
    pub next: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct Repository {
    pub mainbranch: Option<Branch>,
}

#[derive(Debug, Deserialize)]
pub struct Branch {
    pub name: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct Commit {
    pub hash: String,
    pub date: String,
    pub message: String,
    pub author: Option<Author>,
}

#[derive(Debug, Deserialize)]
pub struct Author {
    pub raw: Option<String>,
    pub user: Option<Account>,
}

#[derive(Debug, Deserialize)]
pub struct Account {
    pub uuid: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct PullRequest {
    pub id: i64,
    pub title: String,
    pub state: String,
    pub created_on: String,
    pub updated_on: String,
    pub author: Option<Account>,
    pub source: Option<Source>,
}

#[derive(Debug, Deserialize)]
pub struct Source {
    pub branch: Option<Branch>,
}
