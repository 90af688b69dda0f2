-- The one-time code that lets the first person claim an instance with no account: `velocity
-- serve` writes a new one at start while no account exists and prints it to its log. Only its
-- SHA-256 is kept (the code is 80 random bits). One row at most; claiming deletes it.
create table setup_code (
    singleton  boolean primary key default true check (singleton),
    code_hash  bytea not null,
    created_at timestamptz not null default now()
);
