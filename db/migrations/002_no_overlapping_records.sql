-- The database itself guarantees what the apply rules promise: no two records of a student in a
-- school year overlap. Deferred to commit, because one chunk ends, removes and inserts records
-- in separate statements whose intermediate states may overlap.
create extension if not exists btree_gist;

alter table eligibility_records
  add constraint eligibility_records_no_overlap
  exclude using gist (student_id with =, school_year with =, daterange(start_date, end_date, '[]') with &&)
  deferrable initially deferred;

alter table dry_run_records
  add constraint dry_run_records_no_overlap
  exclude using gist (run_id with =, student_id with =, school_year with =, daterange(start_date, end_date, '[]') with &&)
  deferrable initially deferred;
