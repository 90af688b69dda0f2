-- What a stored suggestion shows and how to act on it: the label the dialog displays, whether it
-- is a look-alike, and the platform of its connection (jira, bitbucket, github, gitlab, slack) so
-- accepting it can build the link candidate without guessing.
alter table suggestions
    add column label      text    not null default '',
    add column look_alike boolean not null default false,
    add column platform   text    not null default '';

create index suggestions_target on suggestions (target_type, target_id);
