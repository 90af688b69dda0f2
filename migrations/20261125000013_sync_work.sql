-- Work of queued sync runs, claimed by any `velocity worker` / `velocity serve` process on this
-- database: one item per project-side link, one per connection for its account links. A claim
-- is a lease: a worker that dies stops renewing it and another claims the item once it expires.
create table sync_work (
    run_id      bigint not null references sync_runs (id),
    item_id     uuid not null, -- a Jira project or repository link, or a connection (its accounts)
    kind        text not null check (kind in ('jira', 'repository', 'accounts')),
    state       text not null default 'pending' check (state in ('pending', 'done', 'failed')),
    claimed_by  text,
    lease_until timestamptz,
    attempts    integer not null default 0,
    report      jsonb,
    finished_at timestamptz,
    primary key (run_id, item_id)
);
create index sync_work_pending on sync_work (lease_until) where state = 'pending';
