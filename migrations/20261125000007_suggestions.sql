-- Link suggestions: never applied by themselves. Accepting one goes through link confirmation.
create table suggestions (
    id            uuid primary key default gen_random_uuid(),
    target_type   text not null check (target_type in ('project', 'person')),
    target_id     uuid not null,
    connection_id uuid not null references connections (id),
    external_id   text not null,
    score         double precision not null check (score >= 0 and score <= 1),
    rules         text[] not null,
    evidence      jsonb not null default '[]',
    status        text not null default 'open' check (status in ('open', 'accepted', 'dismissed')),
    created_at    timestamptz not null default now(),
    updated_at    timestamptz not null default now(),
    unique (target_type, target_id, connection_id, external_id)
);
