-- Sessions of the admin web page (/ui). The browser holds a random id; the table holds only its
-- SHA-256, so a copy of the table opens no session. The API key the admin signed in with is sealed
-- under SECRETS_KEY (AAD names the session), because every page calls the API with it. A session of
-- the platform admin key names no key row and no district.
create table web_sessions (
  id_hash bytea primary key,
  api_key_id uuid references api_keys(id) on delete cascade,
  district_id uuid references districts(id) on delete cascade,
  sealed_key bytea not null,
  created_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  -- absolute end, whatever the activity; the idle end is last_seen_at + WEB_SESSION_IDLE_MINUTES
  expires_at timestamptz not null,
  check ((api_key_id is null) = (district_id is null))
);
create index web_sessions_api_key on web_sessions (api_key_id);
create index web_sessions_last_seen on web_sessions (last_seen_at);

-- A revoked key ends its sessions at once, whoever revokes it.
create function end_sessions_of_revoked_key() returns trigger language plpgsql as $$
begin
  if new.revoked_at is not null and old.revoked_at is null then
    delete from web_sessions where api_key_id = new.id;
  end if;
  return new;
end $$;
create trigger api_keys_revoked_end_sessions after update of revoked_at on api_keys
  for each row execute function end_sessions_of_revoked_key();
