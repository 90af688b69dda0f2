-- Sign-in (issue 8). A person may have one account: a role and, for local sign-in, an argon2
-- password hash (PHC string). Sessions and API tokens are stored by the SHA-256 of their secret,
-- so a copy of the database does not hand out live sessions or tokens.
create table accounts (
    person_id     uuid primary key references persons (id),
    role          text not null check (role in ('admin', 'lead', 'member')),
    password_hash text,
    created_at    timestamptz not null default now(),
    updated_at    timestamptz not null default now()
);

create table sessions (
    id_hash    bytea primary key,
    person_id  uuid not null references persons (id),
    created_at timestamptz not null default now(),
    expires_at timestamptz not null
);
create index sessions_person on sessions (person_id);

create table api_tokens (
    id           uuid primary key default gen_random_uuid(),
    person_id    uuid not null references persons (id),
    name         text not null check (length(trim(name)) between 1 and 200),
    token_hash   bytea not null unique,
    created_at   timestamptz not null default now(),
    last_used_at timestamptz,
    revoked_at   timestamptz
);
create index api_tokens_person on api_tokens (person_id);
