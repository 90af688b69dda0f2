-- Which link an audit entry concerns and where the change came from.
alter table audit_log
    add column link_id uuid,
    add column source text not null default 'api' check (source in ('ui', 'api', 'migration', 'sync', 'system'));
create index audit_log_link on audit_log (link_id);
create index audit_log_at on audit_log (at);
