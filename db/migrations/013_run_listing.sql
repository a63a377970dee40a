-- Bounded runs: the files a run takes are stored here, not carried in Temporal history, so no payload
-- grows with the number of files; claimFile reads its file by (run, ordinal).
create table run_listing (
  run_id uuid not null references runs(id) on delete cascade,
  ordinal integer not null,
  name text not null,
  size bigint not null,
  modified_at timestamptz not null,
  primary key (run_id, ordinal)
);
