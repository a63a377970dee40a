-- The step after a real run: an error file written back and an e-mail sent.
-- The raw fields of a failing row, kept with its problem for a kind that writes its failing rows back
-- (the roster's error file); staged rows are gone by the time the step runs. Real runs only.
alter table problems add column fields jsonb;
-- What the step did: the error file written, how the e-mail went, and what failed (shown on the run).
alter table runs add column after_run jsonb;
