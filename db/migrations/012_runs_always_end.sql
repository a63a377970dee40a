-- Nothing wedges: every run ends in a final status, and what it leaves behind (staged rows, a dry
-- run's copies) is removed with it or, failing that, by the run reaper.

-- When the run's leftovers were removed; null on a finished run means the reaper still has to.
alter table runs add column cleaned_at timestamptz;
update runs set cleaned_at = finished_at where status in ('completed', 'failed', 'canceled');

-- What the reaper reads every minute: unfinished runs by age, and finished runs not cleaned yet.
create index runs_unfinished on runs (created_at) where status in ('queued', 'running');
create index runs_not_cleaned on runs (finished_at) where cleaned_at is null and status in ('completed', 'failed', 'canceled');
