//! Simulated upstream systems: a messy org generated from a seed (`generate`), served by
//! faithful subsets of the Jira, Bitbucket, GitHub, GitLab and Slack APIs (`server`), with an
//! admin API for mutations, request counters and fault injection.

pub mod admin;
pub mod auth;
pub mod demo_accounts;
pub mod bitbucket;
pub mod faults;
pub mod generate;
pub mod git_common;
pub mod github;
pub mod gitlab;
pub mod jira;
pub mod jira_meta;
pub mod jql;
pub mod mutations;
pub mod names;
pub mod org;
pub mod ratelimit;
pub mod sample_org;
pub mod scopes;
pub mod server;
pub mod slack;
