-- Where a retried download of a file can go on from instead of starting over: written in the same
-- transaction as each COPY of its staged rows, so it always describes exactly the rows staged.
-- It holds the hash of the bytes before `bytes` as hash-wasm saves it, the start of the record not
-- finished there (`tail`, at most one row), and the reading state a record needs (line, seq, header,
-- blank lines held back). Dropped with the staged rows and the run file.
create table staging_resume_points (
  run_file_id uuid primary key references run_files(id) on delete cascade,
  bytes bigint not null,
  hash_state bytea not null,
  tail bytea not null,
  line integer not null,
  seq integer not null,
  header text[],
  blanks_from integer not null,
  blanks_count integer not null,
  longest_row_chars integer not null
);
