-- Incremental sync cursors, one per link and stream ("issues", "commits", "pulls", "worklogs",
-- "worklogs_deleted", "reconciled"). A cursor is written only after every page behind it was
-- stored, so a failed page is fetched again next time.
create table sync_cursors (
    link_id    uuid not null,
    stream     text not null check (length(stream) > 0),
    value      text not null,
    updated_at timestamptz not null default now(),
    primary key (link_id, stream)
);
