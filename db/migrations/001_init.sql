-- Tenants, keys and the people eligibility rows are matched against.
create table districts (
  id uuid primary key default gen_random_uuid(),
  name text not null,
  time_zone text not null,
  certified_types text[] not null default '{D,C,I,T,HS,F,H,R,M,O,DN}',
  created_at timestamptz not null default now()
);

create table api_keys (
  id uuid primary key default gen_random_uuid(),
  district_id uuid not null references districts(id) on delete cascade,
  name text not null,
  key_hash text not null unique,
  rights text[] not null,
  created_at timestamptz not null default now()
);

create table students (
  id uuid primary key default gen_random_uuid(),
  district_id uuid not null references districts(id) on delete cascade,
  student_number text not null,
  state_id text,
  person_id text,
  first_name text not null,
  last_name text not null,
  birth_date date,
  updated_at timestamptz not null default now(),
  unique (district_id, student_number)
);
create index students_state_id on students (district_id, state_id) where state_id is not null;
create index students_person_id on students (district_id, person_id) where person_id is not null;

-- Definitions.
create table mappings (
  id uuid primary key default gen_random_uuid(),
  district_id uuid not null references districts(id) on delete cascade,
  name text not null,
  definition jsonb not null,
  created_at timestamptz not null default now()
);

create table imports (
  id uuid primary key default gen_random_uuid(),
  district_id uuid not null references districts(id) on delete cascade,
  name text not null,
  kind text not null,
  active boolean not null,
  mapping_id uuid references mappings(id),
  -- protocol, host, port, username, domain, directory, trust: never secrets
  connection jsonb not null,
  -- AES-256-GCM sealed JSON of password / private key / passphrase
  secrets bytea,
  secret_fields text[] not null default '{}',
  schedule jsonb,
  notify jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (district_id, name)
);

-- Runs and what they did.
create table runs (
  id uuid primary key default gen_random_uuid(),
  district_id uuid not null references districts(id) on delete cascade,
  import_id uuid references imports(id) on delete set null,
  import_name text not null,
  mode text not null check (mode in ('test', 'run')),
  trigger text not null check (trigger in ('manual', 'schedule', 'batch')),
  status text not null check (status in ('queued', 'running', 'completed', 'failed')),
  workflow_id text not null unique,
  rows_read integer not null default 0,
  rows_applied integer not null default 0,
  summary jsonb,
  error jsonb,
  created_at timestamptz not null default now(),
  started_at timestamptz,
  finished_at timestamptz
);
create index runs_import on runs (import_id, created_at desc);
create index runs_district on runs (district_id, created_at desc);
-- one real run of an import at a time
create unique index runs_one_active_real_run on runs (import_id) where mode = 'run' and status in ('queued', 'running');

create table run_files (
  id uuid primary key default gen_random_uuid(),
  run_id uuid not null references runs(id) on delete cascade,
  ordinal integer not null,
  name text not null,
  size bigint not null,
  modified_at timestamptz not null,
  status text not null check (status in ('claimed', 'skipped', 'staged', 'empty', 'duplicate', 'failed', 'done')),
  sha256 text,
  rows integer not null default 0,
  header text[],
  renamed_to text,
  unique (run_id, name)
);

-- Raw rows of a file between download and apply; dropped when the run finishes.
create table staged_rows (
  run_file_id uuid not null references run_files(id) on delete cascade,
  seq integer not null,
  line integer not null,
  fields jsonb,
  problem_code text,
  problem_message text,
  primary key (run_file_id, seq)
);

-- A chunk's ledger row commits with its data changes: a retried chunk finds it and changes nothing.
create table run_chunks (
  run_file_id uuid not null references run_files(id) on delete cascade,
  chunk_index integer not null,
  rows_read integer not null,
  rows_applied integer not null,
  applied_at timestamptz not null default now(),
  primary key (run_file_id, chunk_index)
);

-- Content already imported by an import, for duplicate-file detection.
create table imported_files (
  import_id uuid not null references imports(id) on delete cascade,
  sha256 text not null,
  name text not null,
  run_id uuid not null,
  imported_at timestamptz not null default now(),
  primary key (import_id, sha256)
);

-- Eligibility data.
create table eligibility_records (
  id uuid primary key default gen_random_uuid(),
  district_id uuid not null references districts(id) on delete cascade,
  student_id uuid not null references students(id) on delete cascade,
  school_year integer not null,
  eligibility text not null,
  certified_type text not null,
  start_date date not null,
  end_date date,
  application_name text,
  reference_number text,
  source_run_id uuid,
  updated_at timestamptz not null default now()
);
create index eligibility_records_student on eligibility_records (student_id, school_year);

-- A dry run's private copy of the records it touches, so later rows see earlier ones without changing real data.
create table dry_run_records (
  run_id uuid not null references runs(id) on delete cascade,
  id uuid not null,
  student_id uuid not null,
  school_year integer not null,
  eligibility text not null,
  certified_type text not null,
  start_date date not null,
  end_date date,
  application_name text,
  reference_number text,
  primary key (run_id, id)
);
create index dry_run_records_student on dry_run_records (run_id, student_id, school_year);
create table dry_run_students (
  run_id uuid not null references runs(id) on delete cascade,
  student_id uuid not null,
  primary key (run_id, student_id)
);

-- The report.
create table report_records (
  run_id uuid not null references runs(id) on delete cascade,
  run_file_id uuid not null references run_files(id) on delete cascade,
  line integer not null,
  ord smallint not null,
  student_number text not null,
  name text not null,
  school_year integer not null,
  start_date date not null,
  end_date date,
  eligibility text not null,
  certified_type text not null,
  application_name text,
  reference_number text,
  status text not null,
  primary key (run_file_id, line, ord)
);
create index report_records_run on report_records (run_id);

create table problems (
  id bigserial primary key,
  run_id uuid not null references runs(id) on delete cascade,
  run_file_id uuid references run_files(id) on delete cascade,
  -- null: a file-level problem written at staging; else the chunk that wrote it
  chunk_index integer,
  file text,
  line integer,
  severity text not null check (severity in ('error', 'warning')),
  code text not null,
  message text not null
);
create index problems_run on problems (run_id, id);
