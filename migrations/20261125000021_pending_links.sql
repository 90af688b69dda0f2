-- Self-linking (issue 8): an account a person links whose upstream e-mail is not theirs waits
-- for an admin. It is stored inactive and pending, so nothing syncs through it; the check keeps
-- any code path from activating it before the approval clears the flag.
alter table external_account_links add column pending boolean not null default false;
alter table external_account_links add constraint external_account_links_pending_inactive check (not (pending and active));
create index external_account_links_pending on external_account_links (linked_at) where pending and deleted_at is null;
