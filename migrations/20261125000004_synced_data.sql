-- Data synced from upstream (spec "Data Storage"). Every row carries its external id, the
-- Velocity entity it belongs to and the link it came by. Upserts key on the external id;
-- rows deleted upstream are kept with deleted_at set to when the deletion was seen.

create table issues (
    id                   bigserial primary key,
    connection_id        uuid not null references connections (id),
    jira_issue_id        text not null,
    issue_key            text not null,
    jira_project_id      text not null,
    velocity_project_id  uuid not null references projects (id),
    jira_project_link_id uuid not null references jira_project_links (id),
    summary              text not null,
    status               text not null,
    status_category      text not null,
    issue_type           text,
    assignee_account_id  text,
    created              timestamptz not null,
    updated              timestamptz not null,
    deleted_at           timestamptz,
    unique (connection_id, jira_issue_id)
);
create index issues_project on issues (velocity_project_id);

create table worklogs (
    id                   bigserial primary key,
    connection_id        uuid not null references connections (id),
    jira_worklog_id      text not null,
    jira_issue_id        text not null,
    jira_account_id      text not null,
    velocity_person_id   uuid not null references persons (id),
    jira_account_link_id uuid not null references external_account_links (id),
    started              timestamptz not null,
    time_spent_seconds   integer not null check (time_spent_seconds >= 0),
    updated              timestamptz not null,
    deleted_at           timestamptz,
    unique (connection_id, jira_worklog_id)
);
create index worklogs_person on worklogs (velocity_person_id);

create table commits (
    id                  bigserial primary key,
    repository_link_id  uuid not null references repository_links (id),
    connection_id       uuid not null references connections (id),
    repo_external_id    text not null,
    sha                 text not null,
    velocity_project_id uuid not null references projects (id),
    -- Set only when the author's account is linked to a person.
    velocity_person_id  uuid references persons (id),
    author_account_id   text,
    author_name         text,
    author_email        text,
    message             text not null,
    committed_at        timestamptz not null,
    unique (connection_id, repo_external_id, sha)
);
create index commits_project on commits (velocity_project_id);

create table pull_requests (
    id                  bigserial primary key,
    repository_link_id  uuid not null references repository_links (id),
    connection_id       uuid not null references connections (id),
    repo_external_id    text not null,
    number              bigint not null,
    velocity_project_id uuid not null references projects (id),
    velocity_person_id  uuid references persons (id),
    author_account_id   text,
    title               text not null,
    source_branch       text,
    state               text not null,
    created             timestamptz not null,
    updated             timestamptz not null,
    deleted_at          timestamptz,
    unique (connection_id, repo_external_id, number)
);
create index pull_requests_project on pull_requests (velocity_project_id);
