-- A file with more rows than a run's row budget: how far the import got, so the next run that takes
-- the same unchanged file (name, size, mtime, then SHA-256) goes on from there.
create table file_continuations (
  import_id uuid not null references imports(id) on delete cascade,
  name text not null,
  size bigint not null,
  modified_at timestamptz not null,
  sha256 text not null,
  rows_done integer not null,
  run_id uuid references runs(id) on delete set null,
  updated_at timestamptz not null default now(),
  primary key (import_id, name)
);

-- Of a run's file: rows earlier runs applied (before this run's window) and rows left for later runs.
alter table run_files add column rows_before integer not null default 0;
alter table run_files add column rows_after integer not null default 0;

-- A canceled run's workflow asks its chunk applier to stop after the chunk in flight; the applier learns of a
-- cancel through Temporal only with a (throttled) heartbeat, and checks this before each chunk.
create table run_stop_requests (
  run_id uuid primary key references runs(id) on delete cascade,
  requested_at timestamptz not null default now()
);
