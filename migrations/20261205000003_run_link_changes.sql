-- What a run's validation changed on links (renames taken, invalidations, links back), one
-- sentence each, so a run's report says it instead of only the audit log (issue 13, item 5).
alter table sync_runs add column link_changes jsonb not null default '[]';
