-- Connections managed in the product (issue 12): how each authenticates, whether it may be
-- contacted, when it and its secret last changed, and its last test.
alter table connections
    -- Jira and Bitbucket API tokens go with the account's e-mail (HTTP basic); the others, and
    -- Bitbucket access tokens, are bearer tokens.
    add column auth_mode text not null default 'bearer' check (auth_mode in ('basic', 'bearer')),
    -- A disabled connection is never contacted: no sync, no look-up, no test.
    add column enabled boolean not null default true,
    add column updated_at timestamptz not null default now(),
    add column credentials_updated_at timestamptz,
    add column last_test jsonb,
    add column last_tested_at timestamptz;

update connections set auth_mode = 'basic' where kind = 'jira';
update connections set credentials_updated_at = created_at where credentials is not null;
alter table connections add constraint connections_jira_basic check (kind <> 'jira' or auth_mode = 'basic');
