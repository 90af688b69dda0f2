//! Link suggestions: the spec's five auto-inference rules, ranked with evidence and never
//! applied automatically (every link still needs a person's confirmation).
//!
//! 1. Project → Jira project by name and key ([`suggest_jira_projects`]).
//! 2. Project → repository by naming pattern, 3. by issue keys in commits, 4. by issue keys in
//!    pull requests ([`suggest_repositories`]).
//! 5. Person → account by email, then name and username ([`suggest_accounts`]; on large
//!    organisations [`suggest_accounts_indexed`] scores only accounts sharing a blocking key).
//!
//! Pure: plain data in, plain data out, no IO, no clock, no randomness. Output order depends only
//! on the input values (score, then connection id and external id), never on input order or hash
//! order. Scores combine per-rule evidence with a noisy-OR (`1 - Π(1 - sᵢ)`), capped at
//! [`CAP`] unless an exact email matched, and anything below [`MIN_SCORE`] is dropped.
//! Candidates another Velocity entity already links come back last with `conflict` set; those
//! the subject already links are omitted. [`should_resurface`] is the pure half of dismissal
//! memory.

mod accounts;
mod block;
mod commit_emails;
mod emails;
mod keys;
mod names;
mod normalize;
mod pretick;
mod projects;
mod rank;
mod repos;
mod types;

pub use accounts::{namesakes, suggest_accounts};
pub use block::{suggest_accounts_indexed, AccountIndex};
pub use commit_emails::{mailbox as commit_email_mailbox, refusal as commit_email_refusal, suggest_commit_emails};
pub use keys::{extract_issue_keys, extract_known_issue_keys};
pub use pretick::{preticks, Tickable, STRONG};
pub use projects::suggest_jira_projects;
pub use rank::{combine, rank_order, should_resurface, CAP, MIN_SCORE, RESURFACE_RISE};
pub use repos::suggest_repositories;
pub use types::{AccountCandidate, Holders, Holding, JiraProjectCandidate, PersonSubject, ProjectSubject, PullRequestText, RepoCandidate, Rule, Suggestion};
