-- One row per sync run: scope, status, counts and the error that stopped it.
create table sync_runs (
    id          bigserial primary key,
    scope       text not null,
    full_resync boolean not null default false,
    status      text not null default 'running' check (status in ('running', 'succeeded', 'failed')),
    started_at  timestamptz not null default now(),
    finished_at timestamptz,
    counts      jsonb not null default '{}',
    error       text
);
