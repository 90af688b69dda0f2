-- Append-only history of every link and entity change: who, what, when, before and after.
create table audit_log (
    id          bigserial primary key,
    at          timestamptz not null default now(),
    actor_id    uuid references persons (id), -- null for the system (sync, migration)
    action      text not null,
    entity_type text not null,
    entity_id   text not null,
    before      jsonb,
    after       jsonb
);
create index audit_log_entity on audit_log (entity_type, entity_id);

create function audit_log_is_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'audit_log is append-only';
end;
$$;
create trigger audit_log_append_only
    before update or delete on audit_log
    for each row execute function audit_log_is_append_only();
