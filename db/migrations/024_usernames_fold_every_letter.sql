-- Usernames are unique in a district regardless of case, for every letter: "JOSÉ" and "josé" are one
-- username. lower() folds by the database's collation, and the embedded cluster (like many) is created
-- with the C locale, where it folds only A–Z: "JOSÉ" stayed distinct from "josé". The key is now folded
-- by ICU's root collation, whatever the database's locale, in the constraint and in every lookup (they
-- must agree: the roster decides DUPLICATE_USERNAME by the keys the database computes).
--
-- A district that already holds two usernames differing only in the case of a non-ASCII letter makes
-- this migration fail; docs/operations.md says how to find them.

create function roster_username_key(username text) returns text language sql immutable parallel safe
  return lower(username collate "und-x-icu");

alter table students drop constraint students_username_unique;
alter table students add constraint students_username_unique
  exclude using btree (district_id with =, roster_username_key(username) with =)
  where (username is not null) deferrable initially deferred;

drop index dry_run_roster_students_username;
create index dry_run_roster_students_username on dry_run_roster_students (run_id, roster_username_key(username)) where username is not null;
