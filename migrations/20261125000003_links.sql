-- Declared, confirmed links between Velocity entities and external entities (spec
-- "Relationship Model"). Each keeps the stable upstream id beside the mutable key/slug/name.
-- Links are soft-deleted (deleted_at) so history and the data synced through them survive.
-- Database-enforced rules:
--   * an external entity is linked by at most one Velocity entity (among links not deleted);
--   * at most one primary link per entity and platform (among links not deleted).

create table jira_project_links (
    id              uuid primary key default gen_random_uuid(),
    project_id      uuid not null references projects (id),
    connection_id   uuid not null,
    platform        text not null default 'jira' check (platform = 'jira'),
    jira_project_id text not null check (length(jira_project_id) > 0), -- stable
    key             text not null check (length(key) > 0),             -- mutable
    name            text not null,
    url             text not null,
    linked_at       timestamptz not null default now(),
    linked_by       uuid references persons (id),
    is_primary      boolean not null default false,
    active          boolean not null default true,
    verified        boolean not null default true,
    open_issues     integer check (open_issues >= 0),
    total_issues    integer check (total_issues >= 0),
    last_synced     timestamptz,
    deleted_at      timestamptz,
    foreign key (connection_id, platform) references connections (id, kind)
);
create unique index jira_project_links_external_key
    on jira_project_links (connection_id, jira_project_id) where deleted_at is null;
create unique index jira_project_links_primary_key
    on jira_project_links (project_id) where is_primary and deleted_at is null;
create index jira_project_links_project on jira_project_links (project_id);

create table repository_links (
    id             uuid primary key default gen_random_uuid(),
    project_id     uuid not null references projects (id),
    connection_id  uuid not null,
    platform       text not null check (platform in ('github', 'gitlab', 'bitbucket')),
    external_id    text not null check (length(external_id) > 0), -- repo uuid / numeric id: stable
    workspace      text,                                          -- Bitbucket workspace, GitHub owner, GitLab namespace
    slug           text not null check (length(slug) > 0),        -- mutable
    name           text not null,
    url            text not null,
    linked_at      timestamptz not null default now(),
    linked_by      uuid references persons (id),
    is_primary     boolean not null default false,
    active         boolean not null default true,
    verified       boolean not null default true,
    last_commit    timestamptz,
    default_branch text,
    last_synced    timestamptz,
    deleted_at     timestamptz,
    foreign key (connection_id, platform) references connections (id, kind)
);
create unique index repository_links_external_key
    on repository_links (connection_id, external_id) where deleted_at is null;
create unique index repository_links_primary_key
    on repository_links (project_id, platform) where is_primary and deleted_at is null;
create index repository_links_project on repository_links (project_id);

create table external_account_links (
    id            uuid primary key default gen_random_uuid(),
    person_id     uuid not null references persons (id),
    connection_id uuid not null,
    platform      text not null check (platform in ('jira', 'bitbucket', 'slack', 'github', 'gitlab')),
    external_id   text not null check (length(external_id) > 0), -- account id / uuid / user id: stable
    username      text,                                          -- nickname / login: mutable
    display_name  text,
    email         text,
    linked_at     timestamptz not null default now(),
    linked_by     uuid references persons (id),
    is_primary    boolean not null default false,
    active        boolean not null default true,
    verified      boolean not null default true,
    last_seen     timestamptz,
    last_synced   timestamptz,
    deleted_at    timestamptz,
    foreign key (connection_id, platform) references connections (id, kind)
);
create unique index external_account_links_external_key
    on external_account_links (connection_id, external_id) where deleted_at is null;
create unique index external_account_links_primary_key
    on external_account_links (person_id, platform) where is_primary and deleted_at is null;
create index external_account_links_person on external_account_links (person_id);
