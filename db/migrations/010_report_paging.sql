-- Reports are read a page (or a CSV batch) at a time, each file's problems in line order:
-- the run's problems without a file first, then each file's, each from where the last page ended.
-- (Report records already have this order in their primary key: run_file_id, line, ord.)
create index problems_report_order on problems (run_id, run_file_id, (coalesce(line, 0)), id);
