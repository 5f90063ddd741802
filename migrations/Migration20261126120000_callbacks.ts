import { Migration } from '@mikro-orm/migrations';

// Callbacks (issue 5): one row per trigger — a queued callback the caller asked for (keeping their place), a call
// abandoned in the queue, a voicemail, a dissatisfied rating (回访), a lawyer's promise on a work order — unique per
// (kind, trigger), so a trigger seen twice makes one callback. Every attempt to reach the caller is a row of its own.
// PostgreSQL is the record: BullMQ only times and runs the attempts (lib/callbacks/jobs.ts), and an attempt is
// claimed here (status, attempt number and lease in one UPDATE) before anybody is dialled, so a job run twice —
// a restarted worker, a job added again — never dials twice.
export class Migration20261126120000_callbacks extends Migration {
  override up(): void {
    this.addSql(`create table if not exists "callback" (
      "id" bigserial primary key,
      "kind" text not null check ("kind" in ('queued', 'missed', 'voicemail', 'dissatisfied', 'promised')),
      "trigger_key" text not null,
      "origin_call_id" text null references "call_record" ("call_id"),
      "work_order_id" bigint null references "work_order" ("id"),
      "number" text not null check ("number" ~ '^\\+?[0-9]{3,20}$'),
      "line" text not null default 'operator',
      "topic" text null,
      "priority" int not null default 0,
      "place" bigint not null,
      "mode" text not null check ("mode" in ('auto', 'task')),
      "team" text not null check ("team" in ('lawyers', 'supervisors')),
      "owner_staff_no" text null,
      "due_at" timestamptz not null,
      "deadline_at" timestamptz not null,
      "status" text not null default 'pending' check ("status" in ('pending', 'dialling', 'completed', 'failed', 'cancelled')),
      "attempts" int not null default 0,
      "max_attempts" int not null default 3 check ("max_attempts" between 1 and 10),
      "next_attempt_at" timestamptz not null,
      "lease_until" timestamptz null,
      "lease_by" text null,
      "recording" text null,
      "note" text null,
      "last_outcome" text null,
      "failure_reason" text null,
      "result_call_id" text null,
      "completed_by" text null,
      "created_at" timestamptz not null default now(),
      "updated_at" timestamptz not null default now(),
      "completed_at" timestamptz null,
      constraint "callback_trigger_unique" unique ("kind", "trigger_key")
    );`);
    this.addSql(`create index if not exists "callback_open_idx" on "callback" ("next_attempt_at") where "status" in ('pending', 'dialling');`);
    this.addSql(`create index if not exists "callback_owner_idx" on "callback" ("owner_staff_no", "status");`);
    // The sweep asks, for each recently ended call that may need one, whether it has its callback already.
    this.addSql(`create index if not exists "callback_origin_idx" on "callback" ("origin_call_id");`);
    this.addSql(`create table if not exists "callback_attempt" (
      "id" bigserial primary key,
      "callback_id" bigint not null references "callback" ("id"),
      "attempt" int not null,
      "staff_no" text null,
      "call_id" text null,
      "started_at" timestamptz not null default now(),
      "ended_at" timestamptz null,
      "outcome" text null check ("outcome" in ('answered', 'no_answer', 'busy', 'failed', 'invalid_number', 'lawyer_unavailable')),
      "detail" text null,
      constraint "callback_attempt_unique" unique ("callback_id", "attempt")
    );`);
    // The sweep that turns ended calls into callbacks reads recent ends.
    this.addSql('create index if not exists "call_record_ended_at_idx" on "call_record" ("ended_at");');
    // A lawyer's promise on a work order ("call back on Thursday at 10").
    this.addSql('alter table "work_order" add column if not exists "callback_at" timestamptz null;');
    // Callback calls the centre places end "not_reached" when the caller did not answer.
    this.addSql('alter table "call_record" drop constraint if exists "call_record_end_reason_check";');
    this.addSql(`alter table "call_record" add constraint "call_record_end_reason_check" check ("end_reason" in ('caller_hangup',
      'completed', 'abandoned_in_queue', 'voicemail', 'after_hours', 'transferred', 'error', 'controller_lost', 'not_reached'));`);
  }

  override down(): void {
    this.addSql('drop table if exists "callback_attempt";');
    this.addSql('drop table if exists "callback";');
    this.addSql('alter table "work_order" drop column if exists "callback_at";');
  }
}
