-- Submit to Batch: a real run queued for a start time, with a priority and a retention choice.

-- A queued batch can be canceled before it starts (API.md lists the status for every run).
alter table runs drop constraint runs_status_check;
alter table runs add constraint runs_status_check check (status in ('queued', 'running', 'completed', 'failed', 'canceled'));

-- One real run of an import at a time. A batch run waiting for its start time is queued without
-- holding the import: manual and scheduled runs go ahead meanwhile, and the batch takes the import
-- when it starts (queued → running), or waits while another real run holds it.
drop index runs_one_active_real_run;
create unique index runs_one_active_real_run on runs (import_id)
  where mode = 'run' and (status = 'running' or (status = 'queued' and trigger <> 'batch'));

-- What only a batch submission has; its status, import and finish time are its run's. Deleting the
-- run (DELETE /api/batch-queue/:id, or retention) deletes the submission and the run's report with it.
create table batch_submissions (
  id uuid primary key,
  district_id uuid not null references districts(id) on delete cascade,
  run_id uuid not null unique references runs(id) on delete cascade,
  start_at timestamptz not null,
  high_priority boolean not null,
  keep_until_deleted boolean not null,
  created_at timestamptz not null default now()
);
create index batch_submissions_district on batch_submissions (district_id, start_at);
