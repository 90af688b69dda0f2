//! GitHub REST shapes, only the fields the sync reads.

use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct Repo {
    pub default_branch: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct Commit {
    pub sha: String,
    pub commit: CommitDetail,
    pub author: Option<Account>,
}

#[derive(Debug, Deserialize)]
pub struct CommitDetail {
    pub author: Option<Signature>,
    pub message: String,
}

#[derive(Debug, Deserialize)]
pub struct Signature {
    pub name: Option<String>,
    pub email: Option<String>,
    pub date: String,
}

#[derive(Debug, Deserialize)]
pub struct Account {
    pub id: i64,
}

#[derive(Debug, Deserialize)]
pub struct Pull {
    pub number: i64,
    pub title: String,
    pub state: String,
    pub merged_at: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub user: Option<Account>,
    pub head: Option<Head>,
}

#[derive(Debug, Deserialize)]
pub struct Head {
    #[serde(rename = "ref")]
    pub branch: Option<String>,
}
