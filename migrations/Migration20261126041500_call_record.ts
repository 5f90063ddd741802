import { Migration } from '@mikro-orm/migrations';

// One row per call (lib/entities/call-record.ts), filled by the call-record applier from the controller's call
// events, and the call_ledger view: the stable reporting interface (documented in README). Reports and exports
// read the view; the table may grow columns without them noticing.
export class Migration20261126041500_call_record extends Migration {
  override up(): void {
    this.addSql(`create table if not exists "call_record" (
      "id" bigserial primary key,
      "call_id" text not null,
      "caller_number" text null,
      "called_number" text null,
      "arrived_at" timestamptz not null,
      "queued_at" timestamptz null,
      "answered_at" timestamptz null,
      "ended_at" timestamptz null,
      "flow_revision" int null,
      "flow_name" text null,
      "path" jsonb not null default '[]'::jsonb,
      "service_line" text null,
      "legal_topic" text null,
      "priority" int not null default 0,
      "requested_agent" text null,
      "agent" text null,
      "survey_rating" smallint null,
      "voicemail_recording" text null,
      "end_reason" text null,
      "tags" jsonb not null default '{}'::jsonb,
      "last_seq" bigint not null default 0,
      "events_applied" int not null default 0,
      "last_event_at" timestamptz null,
      "created_at" timestamptz not null default now(),
      "updated_at" timestamptz not null default now(),
      constraint "call_record_call_id_unique" unique ("call_id"),
      constraint "call_record_service_line_check" check ("service_line" in
        ('consultation', 'application', 'appointment', 'supervision', 'complaint', 'operator')),
      constraint "call_record_end_reason_check" check ("end_reason" in ('caller_hangup', 'completed',
        'abandoned_in_queue', 'voicemail', 'after_hours', 'transferred', 'error', 'controller_lost')),
      constraint "call_record_survey_rating_check" check ("survey_rating" between 1 and 3),
      constraint "call_record_priority_check" check ("priority" >= 0),
      constraint "call_record_path_array_check" check (jsonb_typeof("path") = 'array')
    );`);
    // Reports are by period, by line within a period, and a caller's history (newest first).
    this.addSql('create index if not exists "call_record_arrived_at_idx" on "call_record" ("arrived_at");');
    this.addSql('create index if not exists "call_record_service_line_arrived_at_idx" on "call_record" ("service_line", "arrived_at");');
    this.addSql('create index if not exists "call_record_caller_number_arrived_at_idx" on "call_record" ("caller_number", "arrived_at" desc);');
    // The applier's sweep looks for calls never closed; they are few, so a partial index keeps it cheap.
    this.addSql('create index if not exists "call_record_open_idx" on "call_record" ("last_event_at") where "ended_at" is null;');
    this.addSql(`create or replace view "call_ledger" as
      select "call_id", "caller_number", "service_line", "legal_topic", "flow_revision",
             "arrived_at", "answered_at", "ended_at", "end_reason", "priority"
        from "call_record";`);
  }

  override down(): void {
    this.addSql('drop view if exists "call_ledger";');
    this.addSql('drop table if exists "call_record";');
  }
}
