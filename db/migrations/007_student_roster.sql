-- The student roster kind: schools, licence orders, and the roster fields of students.

create table schools (
  id uuid primary key default gen_random_uuid(),
  district_id uuid not null references districts(id) on delete cascade,
  code text not null,
  name text not null,
  created_at timestamptz not null default now(),
  unique (district_id, code)
);

-- Licences a district bought. The enterprise order (at most one per district) has no school: its free
-- licences are the district's holding bin. A regular order belongs to one school.
create table orders (
  id uuid primary key default gen_random_uuid(),
  district_id uuid not null references districts(id) on delete cascade,
  kind text not null check (kind in ('enterprise', 'regular')),
  school_code text,
  purchased integer not null,
  held integer not null default 0,
  created_at timestamptz not null default now(),
  -- lets students reference an order of their own district only
  unique (district_id, id),
  foreign key (district_id, school_code) references schools (district_id, code),
  constraint orders_school_by_kind check ((kind = 'regular') = (school_code is not null)),
  constraint orders_held_within_purchased check (held between 0 and purchased)
);
create unique index orders_one_enterprise on orders (district_id) where kind = 'enterprise';

-- Roster fields; all null for a student only eligibility knows. birth_date is the roster's date_of_birth.
alter table students
  add column school_code text,
  add column grade text check (grade in ('K', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12')),
  add column username text,
  add column status text check (status in ('active', 'deactivated')),
  add column order_id uuid,
  add constraint students_school foreign key (district_id, school_code) references schools (district_id, code),
  add constraint students_order foreign key (district_id, order_id) references orders (district_id, id),
  -- every roster student is associated with an order (a deactivated one holds no licence of it)
  add constraint students_roster_has_order check ((status is null) = (order_id is null)),
  -- case-insensitive, and deferred: one chunk may pass a username from one student to another
  add constraint students_username_unique exclude using btree (district_id with =, lower(username) with =)
    where (username is not null) deferrable initially deferred;
create index students_active_on_order on students (order_id) where status = 'active';

-- The database refuses a licence violation, whoever writes it: at commit, every order a transaction
-- touched (directly, or through a student's status or order) must hold exactly one licence per active
-- student associated with it. Each order is counted once per commit, not once per changed row: the
-- orders verified so far are remembered in a transaction-local setting, which any later change forgets.
create function roster_verify_order(p_order uuid) returns void language plpgsql as $$
declare
  verified text := coalesce(current_setting('roster.verified_orders', true), '');
  v_held integer;
  v_active integer;
begin
  if p_order is null or position(p_order::text in verified) > 0 then
    return;
  end if;
  select held into v_held from orders where id = p_order;
  if found then
    select count(*) into v_active from students where order_id = p_order and status = 'active';
    if v_active <> v_held then
      raise exception 'Order % would hold % licences for % active students.', p_order, v_held, v_active
        using errcode = 'check_violation', constraint = 'orders_held_is_active_students', table = 'orders';
    end if;
  end if;
  perform set_config('roster.verified_orders', verified || p_order::text || ',', true);
end $$;

create function roster_forget_verified_orders() returns trigger language plpgsql as $$
begin
  perform set_config('roster.verified_orders', '', true);
  return null;
end $$;

create function roster_check_student_orders() returns trigger language plpgsql as $$
begin
  if tg_op in ('UPDATE', 'DELETE') then
    perform roster_verify_order(old.order_id);
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    perform roster_verify_order(new.order_id);
  end if;
  return null;
end $$;

create function roster_check_order() returns trigger language plpgsql as $$
begin
  perform roster_verify_order(new.id);
  return null;
end $$;

create trigger students_forget_verified_orders after insert or update or delete on students
  for each statement execute function roster_forget_verified_orders();
create trigger orders_forget_verified_orders after insert or update or delete on orders
  for each statement execute function roster_forget_verified_orders();

create constraint trigger students_licences_on_insert after insert on students
  deferrable initially deferred for each row when (new.order_id is not null)
  execute function roster_check_student_orders();
create constraint trigger students_licences_on_update after update of status, order_id on students
  deferrable initially deferred for each row
  when (old.status is distinct from new.status or old.order_id is distinct from new.order_id)
  execute function roster_check_student_orders();
create constraint trigger students_licences_on_delete after delete on students
  deferrable initially deferred for each row when (old.order_id is not null)
  execute function roster_check_student_orders();
create constraint trigger orders_licences_balance after insert or update of held on orders
  deferrable initially deferred for each row execute function roster_check_order();

-- A dry run's private copy of the roster state it touches: the district's orders' held counts and the
-- touched students (absent ones too, as rows without a status), so later rows see earlier ones.
create table dry_run_roster_orders (
  run_id uuid not null references runs(id) on delete cascade,
  order_id uuid not null,
  kind text not null,
  purchased integer not null,
  held integer not null,
  primary key (run_id, order_id)
);
create table dry_run_roster_students (
  run_id uuid not null references runs(id) on delete cascade,
  student_number text not null,
  -- the real student's id; null when no such student exists
  student_id uuid,
  first_name text,
  last_name text,
  school_code text,
  grade text,
  birth_date date,
  username text,
  status text,
  order_id uuid,
  primary key (run_id, student_number)
);
create index dry_run_roster_students_username on dry_run_roster_students (run_id, lower(username)) where username is not null;

-- The students a roster file has named so far and the first line naming each: a later row naming the
-- same student is DUPLICATE_ID, across chunks. Written in each chunk's transaction; dropped with the run's staging.
create table roster_file_students (
  run_file_id uuid not null references run_files(id) on delete cascade,
  student_number text not null,
  first_line integer not null,
  primary key (run_file_id, student_number)
);
