-- An admin's cap on how fast Velocity calls a connection, in requests a second (null: the
-- upstream's own limits only), and how many of a run's requests upstream refused for its rate
-- limit (issue 13: pacing before refusal, honest request counts).
alter table connections add column max_requests_per_second integer
    check (max_requests_per_second between 1 and 1000);
alter table sync_runs add column refused integer not null default 0;
