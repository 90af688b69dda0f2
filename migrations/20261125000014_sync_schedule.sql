-- Scheduled syncs: a connection with an interval gets an incremental run queued whenever its
-- last scheduled run is older than that; `sync_schedule` records when, so that any number of
-- workers schedule each connection once per interval.
alter table connections add column sync_interval_secs integer check (sync_interval_secs > 0);

create table sync_schedule (
    connection_id uuid primary key references connections (id),
    last_enqueued timestamptz not null
);
