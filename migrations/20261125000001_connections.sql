-- One row per external system instance: a Jira site, a Bitbucket workspace, a GitHub org,
-- a GitLab group, a Slack workspace. Every link names the connection it lives on, so two
-- Jira sites (or two GitHub orgs) coexist without their ids colliding.
create table connections (
    id          uuid primary key default gen_random_uuid(),
    kind        text not null check (kind in ('jira', 'bitbucket', 'github', 'gitlab', 'slack')),
    name        text not null check (length(trim(name)) > 0),
    base_url    text not null check (base_url ~ '^https?://'),
    -- workspace / org / group path on the platform; empty for Jira sites and Slack workspaces.
    scope       text not null default '',
    -- Encrypted at rest by the application (never stored in clear).
    credentials bytea,
    created_at  timestamptz not null default now(),
    unique (kind, base_url, scope),
    -- Target of the composite foreign keys that tie a link's platform to its connection's kind.
    unique (id, kind)
);
