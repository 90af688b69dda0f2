-- Synced-data lists and summaries (issue 14) read one project's or one person's rows newest
-- first, paged by (time, id): each gets an index in that order, so a page — first or deep — is
-- an index range, not a sort of every row the project or person has. They replace the
-- single-column indexes they start with.
drop index issues_project;
create index issues_project_created on issues (velocity_project_id, created desc, id desc);
-- A person's issues are those assigned to their linked Jira accounts.
create index issues_assignee_created on issues (connection_id, assignee_account_id, created desc, id desc);

drop index worklogs_person;
create index worklogs_person_started on worklogs (velocity_person_id, started desc, id desc);
-- A project's worklogs are those on its issues: read newest first, joined to the issue.
create index worklogs_started on worklogs (started desc, id desc);
create index worklogs_issue on worklogs (connection_id, jira_issue_id);

drop index commits_project;
create index commits_project_committed on commits (velocity_project_id, committed_at desc, id desc);
create index commits_person_committed on commits (velocity_person_id, committed_at desc, id desc) where velocity_person_id is not null;

drop index pull_requests_project;
create index pull_requests_project_created on pull_requests (velocity_project_id, created desc, id desc);
create index pull_requests_person_created on pull_requests (velocity_person_id, created desc, id desc) where velocity_person_id is not null;
