-- Velocity's own entities: the source of truth. Nothing upstream ever writes these tables.
create table persons (
    id         uuid primary key default gen_random_uuid(),
    name       text not null check (length(trim(name)) > 0),
    email      text not null check (email ~ '^[^@\s]+@[^@\s]+$'),
    active     boolean not null default true,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);
create unique index persons_email_key on persons (lower(email));

create table projects (
    id             uuid primary key default gen_random_uuid(),
    key            text not null unique check (key ~ '^[A-Z][A-Z0-9_]{1,19}$'),
    name           text not null check (length(trim(name)) > 0),
    description    text not null default '',
    lead_person_id uuid references persons (id),
    active         boolean not null default true,
    created_at     timestamptz not null default now(),
    updated_at     timestamptz not null default now()
);
