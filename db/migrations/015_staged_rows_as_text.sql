-- A staged row's fields as one text value (joined by U+001F, see domain/staged-fields.ts) instead of
-- jsonb: written with COPY and read back per chunk at about half the cost. Rows staged before the
-- upgrade are converted, so a run in flight can finish.
alter table staged_rows add column record text;
update staged_rows set record = array_to_string(array(select jsonb_array_elements_text(fields)), E'\x1f') where fields is not null;
alter table staged_rows drop column fields;
