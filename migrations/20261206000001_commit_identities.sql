-- Commit identities (issue 14): a git author e-mail linked to a person, so commits authored
-- under an address no git-host account exposes can still be attributed — through a link a
-- human confirmed, like every other attribution. The external id is the normalised address.
create table commit_identity_links (
    id            uuid primary key default gen_random_uuid(),
    person_id     uuid not null references persons (id),
    email         text not null check (email = lower(btrim(email)) and email like '_%@_%'),
    -- Commits from this git-host connection only; null: from every connection.
    connection_id uuid references connections (id),
    -- A self-link to an address that is not the person's own waits for an admin and
    -- attributes nothing until approved.
    pending       boolean not null default false,
    linked_at     timestamptz not null default now(),
    linked_by     uuid references persons (id),
    deleted_at    timestamptz
);
-- One person per address: the same e-mail never attributes to two people.
create unique index commit_identity_links_email on commit_identity_links (email) where deleted_at is null;
create index commit_identity_links_person on commit_identity_links (person_id);

-- The link a commit's attribution came by when it came by an e-mail (null when it came by the
-- author's linked git-host account, or when the commit is not attributed).
alter table commits add column commit_identity_link_id uuid references commit_identity_links (id);
create index commits_by_identity on commits (commit_identity_link_id) where commit_identity_link_id is not null;
-- Unattributed commits by address (attaching a new identity) and by mailbox (suggesting one).
create index commits_unattributed_email on commits (lower(btrim(author_email))) where velocity_person_id is null and author_email is not null;
create index commits_unattributed_mailbox on commits (split_part(split_part(lower(btrim(author_email)), '@', 1), '+', 1))
    where velocity_person_id is null and author_email is not null;
-- Unattributed commits by author account (attributing them once the account is linked).
create index commits_unattributed_author on commits (connection_id, author_account_id)
    where velocity_person_id is null and author_account_id is not null;
