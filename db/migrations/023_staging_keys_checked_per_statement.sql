-- A staged row's and a roster file student's run file checked once per statement instead of by a
-- foreign key, as migration 018 did for report records, with the same guarantees. The three tables
-- now share one check and one cascade, which replace 018's report-record-only ones.
--
-- Staging writes a file's rows with COPY and a roster chunk records the students it names in one
-- statement, and each key ran a lookup and a row lock per row: 200,000 of them for the bench's
-- 100,000-row roster (0.34 s of PostgreSQL time), 1,000,000 for the 1M-row eligibility file. What each
-- key did is still done, by the database, whoever writes:
--   - the run file must exist and cannot be deleted while the writing transaction runs (it is locked
--     FOR KEY SHARE), else SQLSTATE 23503 with the old constraint's name;
--   - deleting a run file (so a run) deletes its report records, staged rows and roster file students.

alter table staged_rows drop constraint staged_rows_run_file_id_fkey;
alter table roster_file_students drop constraint roster_file_students_run_file_id_fkey;

-- tg_argv[0]: the name of the foreign key this check replaces, for the error.
create function rows_refuse_missing_run_file() returns trigger language plpgsql as $$
declare
  files_named integer;
  files_locked integer;
begin
  select count(distinct run_file_id) into files_named from written;
  select count(*) into files_locked
  from (select f.id from run_files f where f.id = any(array(select distinct run_file_id from written)) order by f.id for key share) locked;
  if files_locked < files_named then
    raise exception 'A row names a run file that does not exist.'
      using errcode = 'foreign_key_violation', constraint = tg_argv[0], table = tg_table_name;
  end if;
  return null;
end $$;

drop trigger report_records_refuse_missing_run_file_on_insert on report_records;
drop trigger report_records_refuse_missing_run_file_on_update on report_records;
drop function report_records_refuse_missing_run_file();
create trigger report_records_refuse_missing_run_file_on_insert after insert on report_records
  referencing new table as written for each statement execute function rows_refuse_missing_run_file('report_records_run_file_id_fkey');
create trigger report_records_refuse_missing_run_file_on_update after update on report_records
  referencing new table as written for each statement execute function rows_refuse_missing_run_file('report_records_run_file_id_fkey');
create trigger staged_rows_refuse_missing_run_file_on_insert after insert on staged_rows
  referencing new table as written for each statement execute function rows_refuse_missing_run_file('staged_rows_run_file_id_fkey');
create trigger staged_rows_refuse_missing_run_file_on_update after update on staged_rows
  referencing new table as written for each statement execute function rows_refuse_missing_run_file('staged_rows_run_file_id_fkey');
create trigger roster_file_students_refuse_missing_run_file_on_insert after insert on roster_file_students
  referencing new table as written for each statement execute function rows_refuse_missing_run_file('roster_file_students_run_file_id_fkey');
create trigger roster_file_students_refuse_missing_run_file_on_update after update on roster_file_students
  referencing new table as written for each statement execute function rows_refuse_missing_run_file('roster_file_students_run_file_id_fkey');

drop trigger run_files_delete_their_report_records on run_files;
drop function run_files_delete_their_report_records();

create function run_files_delete_their_rows() returns trigger language plpgsql as $$
begin
  delete from report_records where run_file_id in (select id from gone);
  delete from staged_rows where run_file_id in (select id from gone);
  delete from roster_file_students where run_file_id in (select id from gone);
  return null;
end $$;

create trigger run_files_delete_their_rows after delete on run_files
  referencing old table as gone for each statement execute function run_files_delete_their_rows();
