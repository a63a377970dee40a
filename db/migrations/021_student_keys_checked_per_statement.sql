-- The students table's three foreign keys checked once per statement instead of once per row, as
-- migration 018 did for eligibility and report records, with the same guarantees.
--
-- A roster chunk writes its new students in one COPY, and each of the three keys ran a lookup and a
-- row lock per student: 0.82 s of PostgreSQL time for the bench's 99,000 students, a quarter of the
-- COPY's. What each key did is still done, by the database, whoever writes:
--   - a student's district, school (when it has one) and order (when it has one) must exist, the
--     school and order in the student's own district, and cannot be deleted or re-keyed while the
--     writing transaction runs (they are locked FOR KEY SHARE, in id order), else SQLSTATE 23503 with
--     the old constraint's name;
--   - deleting a district deletes its students first (was ON DELETE CASCADE; first, so the district's
--     schools and orders, which cascade too, are no longer named when they go);
--   - a school or an order that students name cannot be deleted or re-keyed (was NO ACTION).

alter table students drop constraint students_district_id_fkey;
alter table students drop constraint students_school;
alter table students drop constraint students_order;

create function students_refuse_missing_references() returns trigger language plpgsql as $$
declare
  named integer;
  locked integer;
begin
  select count(distinct district_id) into named from written;
  select count(*) into locked
  from (select d.id from districts d where d.id = any(array(select distinct district_id from written)) order by d.id for key share) l;
  if locked < named then
    raise exception 'A student names a district that does not exist.'
      using errcode = 'foreign_key_violation', constraint = 'students_district_id_fkey', table = 'students';
  end if;

  select count(*) into named from (select distinct district_id, school_code from written where school_code is not null) w;
  if named > 0 then
    select count(*) into locked
    from (
      select s.id from schools s
      join (select distinct district_id, school_code from written where school_code is not null) w on s.district_id = w.district_id and s.code = w.school_code
      order by s.id for key share of s
    ) l;
    if locked < named then
      raise exception 'A student names a school that its district does not have.'
        using errcode = 'foreign_key_violation', constraint = 'students_school', table = 'students';
    end if;
  end if;

  select count(*) into named from (select distinct district_id, order_id from written where order_id is not null) w;
  if named > 0 then
    select count(*) into locked
    from (
      select o.id from orders o
      join (select distinct district_id, order_id from written where order_id is not null) w on o.district_id = w.district_id and o.id = w.order_id
      order by o.id for key share of o
    ) l;
    if locked < named then
      raise exception 'A student names an order that its district does not have.'
        using errcode = 'foreign_key_violation', constraint = 'students_order', table = 'students';
    end if;
  end if;
  return null;
end $$;

create trigger students_refuse_missing_references_on_insert after insert on students
  referencing new table as written for each statement execute function students_refuse_missing_references();
create trigger students_refuse_missing_references_on_update after update on students
  referencing new table as written for each statement execute function students_refuse_missing_references();

-- Row by row: a district is deleted alone, and its students must go before its schools and orders do.
create function districts_delete_their_students() returns trigger language plpgsql as $$
begin
  delete from students where district_id = old.id;
  return old;
end $$;

create trigger districts_delete_their_students before delete on districts
  for each row execute function districts_delete_their_students();

create function schools_refuse_removing_named() returns trigger language plpgsql as $$
begin
  -- the cheap question first: an update that keeps every key removes none
  if not exists (select 1 from gone g where not exists (select 1 from schools k where k.district_id = g.district_id and k.code = g.code)) then
    return null;
  end if;
  if exists (
    select 1 from gone g join students s on s.district_id = g.district_id and s.school_code = g.code
    where not exists (select 1 from schools k where k.district_id = g.district_id and k.code = g.code)
  ) then
    raise exception 'A school that students name cannot be removed.'
      using errcode = 'foreign_key_violation', constraint = 'students_school', table = 'students';
  end if;
  return null;
end $$;

create trigger schools_refuse_removing_named_on_delete after delete on schools
  referencing old table as gone for each statement execute function schools_refuse_removing_named();
create trigger schools_refuse_removing_named_on_update after update on schools
  referencing old table as gone for each statement execute function schools_refuse_removing_named();

create function orders_refuse_removing_named() returns trigger language plpgsql as $$
begin
  -- the cheap question first: a chunk's update of held counts keeps every key
  if not exists (select 1 from gone g where not exists (select 1 from orders k where k.district_id = g.district_id and k.id = g.id)) then
    return null;
  end if;
  if exists (
    select 1 from gone g join students s on s.district_id = g.district_id and s.order_id = g.id
    where not exists (select 1 from orders k where k.district_id = g.district_id and k.id = g.id)
  ) then
    raise exception 'An order that students name cannot be removed.'
      using errcode = 'foreign_key_violation', constraint = 'students_order', table = 'students';
  end if;
  return null;
end $$;

create trigger orders_refuse_removing_named_on_delete after delete on orders
  referencing old table as gone for each statement execute function orders_refuse_removing_named();
create trigger orders_refuse_removing_named_on_update after update on orders
  referencing old table as gone for each statement execute function orders_refuse_removing_named();
