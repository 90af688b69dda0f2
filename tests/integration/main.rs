//! Integration tests against a real PostgreSQL (DATABASE_URL): each `#[sqlx::test]` gets a
//! fresh database with the migrations applied. One binary so the suite links once.

mod activity;
mod auth;
mod authz_matrix;
mod cli;
mod commit_identities;
mod connections;
mod entities;
mod helpers;
mod hardening;
mod http;
mod links;
mod migrate;
mod onboarding;
mod upstream_paging;
mod schema;
mod self_link;
mod sim_admin;
mod sim_bitbucket;
mod sim_github;
mod sim_gitlab;
mod sim_jira;
mod sim_slack;
mod suggestions;
mod sync;
mod sync_api;
mod sync_faults;
mod sync_pacing;
mod sync_incremental;
mod ui_services;
mod sync_workers;
