-- Import kinds are plug-ins: a run records its kind, and a report record keeps the columns every
-- kind has (file, line, student, status) with the kind's own fields in `data`.
alter table runs add column kind text;
update runs r set kind = coalesce((select i.kind from imports i where i.id = r.import_id), 'eligibility');
alter table runs alter column kind set not null;

alter table report_records add column data jsonb;
update report_records set data = jsonb_build_object(
  'name', name,
  'schoolYear', school_year,
  'startDate', to_char(start_date, 'YYYY-MM-DD'),
  'endDate', to_char(end_date, 'YYYY-MM-DD'),
  'eligibility', eligibility,
  'certifiedType', certified_type,
  'applicationName', application_name,
  'referenceNumber', reference_number
);
alter table report_records
  alter column data set not null,
  drop column name,
  drop column school_year,
  drop column start_date,
  drop column end_date,
  drop column eligibility,
  drop column certified_type,
  drop column application_name,
  drop column reference_number;

-- A run is fixed when it is created: the kind's settings (eligibility: the mapping) and the
-- connection settings (never secrets) as they were then. Runs before this migration get the
-- import's current ones, so a run in flight during the upgrade can finish.
alter table runs add column settings jsonb, add column connection jsonb;
update runs r set connection = i.connection, settings = m.definition
from imports i left join mappings m on m.id = i.mapping_id
where i.id = r.import_id;
