-- How far the download of a file has come, for an admin watching a large file being staged.
alter table run_files add column bytes_read bigint not null default 0;
