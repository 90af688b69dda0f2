-- What a sync run records beyond 0006: who started it, how many links it covered, the upstream
-- requests and retries it made, the rows it actually wrote and each error (URL + snippet).
alter table sync_runs
    add column trigger      text not null default 'cli',
    add column links        integer not null default 0 check (links >= 0),
    add column requests     integer not null default 0 check (requests >= 0),
    add column retries      integer not null default 0 check (retries >= 0),
    add column rows_written integer not null default 0 check (rows_written >= 0),
    add column errors       jsonb not null default '[]';
