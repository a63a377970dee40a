-- Keys expire and are revoked, never deleted: the audit log's key ids keep naming a key.
alter table api_keys
  add column expires_at timestamptz,
  add column revoked_at timestamptz,
  add column last_used_at timestamptz;

-- Who did what through the API: state changes and reads of student data or reports.
-- No foreign keys: the log outlives what it names. No bodies, query strings or secrets.
create table audit_log (
  id bigserial primary key,
  at timestamptz not null default now(),
  -- null: the platform admin key
  key_id uuid,
  -- null: no district was named or checked (e.g. the platform admin without X-District-Id)
  district_id uuid,
  method text not null,
  -- the route pattern, e.g. /api/imports/:id; null when no route matched
  route text,
  object_id text,
  -- null until the request has its outcome (or when the outcome could not be recorded)
  status smallint
);
create index audit_log_district on audit_log (district_id, id desc);
