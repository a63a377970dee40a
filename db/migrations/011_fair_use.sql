-- Fair use. One Test Import of an import at a time, as runs_one_active_real_run does for real runs.
-- Fails if an import has two test runs queued or running: let them finish, then start the worker again.
create unique index runs_one_active_test_run on runs (import_id) where mode = 'test' and status in ('queued', 'running');

-- A district's runs that hold a place under MAX_CONCURRENT_RUNS_PER_DISTRICT, counted on every start through the API.
create index runs_active_by_district on runs (district_id) where status in ('queued', 'running');
