-- The licence check queued once per statement and order instead of once per student row.
--
-- Migration 007 verifies, at commit, every order a transaction touched through a student's row. It
-- queued a deferred trigger event for each such row, and each event called roster_verify_order, which
-- counts an order once and then returns early: 99,000 calls and events for a 100,000-row roster (about
-- 0.35 s at commit). Now a statement trigger on students records each order its rows touched once, in
-- roster_orders_to_verify, and a deferred trigger on that table verifies it at commit and removes it.
-- The rule is the same, whoever writes: at commit, every order a transaction touched (directly, or
-- through a student's status or order) holds exactly one licence per active student associated with it.

drop trigger students_licences_on_insert on students;
drop trigger students_licences_on_update on students;
drop trigger students_licences_on_delete on students;
drop function roster_check_student_orders();

-- Rows live only inside the transaction that adds them: the check at commit removes its own.
create table roster_orders_to_verify (
  id bigint generated always as identity primary key,
  order_id uuid not null
);

create function roster_queue_touched_orders() returns trigger language plpgsql as $$
begin
  if tg_op = 'INSERT' then
    insert into roster_orders_to_verify (order_id) select distinct order_id from written where order_id is not null;
  elsif tg_op = 'DELETE' then
    insert into roster_orders_to_verify (order_id) select distinct order_id from gone where order_id is not null;
  else
    insert into roster_orders_to_verify (order_id)
    select distinct touched.order_id
    from gone o
    join written n on n.id = o.id
    cross join lateral (values (o.order_id), (n.order_id)) as touched(order_id)
    where (o.status is distinct from n.status or o.order_id is distinct from n.order_id) and touched.order_id is not null;
  end if;
  return null;
end $$;

create trigger students_queue_orders_on_insert after insert on students
  referencing new table as written for each statement execute function roster_queue_touched_orders();
create trigger students_queue_orders_on_update after update on students
  referencing old table as gone new table as written for each statement execute function roster_queue_touched_orders();
create trigger students_queue_orders_on_delete after delete on students
  referencing old table as gone for each statement execute function roster_queue_touched_orders();

create function roster_verify_queued_order() returns trigger language plpgsql as $$
begin
  perform roster_verify_order(new.order_id);
  delete from roster_orders_to_verify where id = new.id;
  return null;
end $$;

create constraint trigger roster_orders_to_verify_at_commit after insert on roster_orders_to_verify
  deferrable initially deferred for each row execute function roster_verify_queued_order();
