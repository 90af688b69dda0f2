-- When an issue was resolved (Jira's `resolutiondate`) and a pull request merged (GitHub's and
-- GitLab's `merged_at`; Bitbucket has no merge time, so its merged pull requests carry their last
-- update). The summaries count and time by these instead of by the last update.
alter table issues add column resolved_at timestamptz;
alter table pull_requests add column merged_at timestamptz;

-- Rows synced before this migration lack the new times. Dropping the issue and pull-request
-- cursors makes the next run read those streams in full, so an upgraded database ends where a
-- full resync would instead of keeping nulls until each row changes upstream.
delete from sync_cursors where stream in ('issues', 'pulls');

