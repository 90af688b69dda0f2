-- The look-ups a sync makes per link after storing its rows (open and total issues, the last
-- commit, what vanished upstream, an account's last activity). Without these each one scanned
-- its whole table once per link: on org L (a million commits, 18,000 account links) a run
-- spent hours there.
create index issues_link on issues (jira_project_link_id);
create index worklogs_account_link on worklogs (jira_account_link_id, started) where deleted_at is null;
create index commits_link on commits (repository_link_id, committed_at);
create index commits_author on commits (connection_id, author_account_id, committed_at);
create index pull_requests_link on pull_requests (repository_link_id);
create index pull_requests_author on pull_requests (connection_id, author_account_id, updated) where deleted_at is null;
