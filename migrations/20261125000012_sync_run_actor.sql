-- Who started a run through the API or the UI (null for the CLI, the scheduler and the system).
alter table sync_runs add column started_by uuid references persons (id);
