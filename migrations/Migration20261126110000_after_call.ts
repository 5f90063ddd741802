import { Migration } from '@mikro-orm/migrations';

// After the call (issue 8): holiday years loaded by an admin, appointments (services, slots with capacity, bookings),
// legal-aid applications with their status history, complaint and supervision tickets with theirs.
//
// Capacity is PostgreSQL's job: a slot row counts its bookings and a check constraint keeps the count within the
// capacity, so two desks (or the IVR) booking the last place at once cannot both succeed.
export class Migration20261126110000_after_call extends Migration {
  override up(): void {
    this.addSql(`create table if not exists "holiday_calendar" (
      "year" integer primary key check ("year" between 1991 and 2200),
      "data" jsonb not null,
      "source" text not null,
      "loaded_by" text not null,
      "loaded_at" timestamptz not null default now()
    );`);

    this.addSql(`create table if not exists "appointment_service" (
      "code" text primary key,
      "name" text not null,
      "place" text not null,
      "place_prompt" text null,
      "rooms" jsonb not null default '[]'::jsonb,
      "slot_minutes" integer not null check ("slot_minutes" between 5 and 240),
      "capacity" integer not null check ("capacity" between 1 and 100),
      "hours" text null,
      "active" boolean not null default true
    );`);
    // The centre's services (DOMAIN.md: notarisation, legal aid, mediation, judicial appraisal, administrative
    // reconsideration, in-person lawyer consultation); an admin edits rooms, slot length and capacity in the table.
    this.addSql(`insert into "appointment_service" ("code", "name", "place", "place_prompt", "rooms", "slot_minutes", "capacity") values
      ('notarisation', '公证', '中心一楼公证窗口', 'place-notarisation', '["公证1号窗口","公证2号窗口"]', 30, 2),
      ('legal-aid', '法律援助', '中心一楼法律援助窗口', 'place-legal-aid', '["法援窗口"]', 30, 2),
      ('mediation', '人民调解', '中心二楼调解室', 'place-mediation', '["调解室"]', 60, 1),
      ('judicial-appraisal', '司法鉴定', '中心二楼司法鉴定受理窗口', 'place-judicial-appraisal', '["鉴定受理窗口"]', 30, 1),
      ('admin-reconsideration', '行政复议', '中心三楼行政复议接待室', 'place-admin-reconsideration', '["复议接待室"]', 60, 1),
      ('lawyer-consultation', '律师当面咨询', '中心一楼律师接待室', 'place-lawyer-consultation', '["律师接待室1","律师接待室2"]', 30, 1)
      on conflict do nothing;`);

    this.addSql(`create table if not exists "appointment_slot" (
      "id" bigserial primary key,
      "service" text not null references "appointment_service" ("code") on update cascade,
      "room" text not null,
      "starts_at" timestamptz not null,
      "ends_at" timestamptz not null,
      "capacity" integer not null check ("capacity" > 0),
      "booked" integer not null default 0,
      constraint "appointment_slot_booked_check" check ("booked" >= 0 and "booked" <= "capacity"),
      constraint "appointment_slot_unique" unique ("service", "room", "starts_at")
    );`);
    this.addSql('create index if not exists "appointment_slot_free_idx" on "appointment_slot" ("service", "starts_at") where "booked" < "capacity";');

    this.addSql(`create table if not exists "appointment" (
      "id" bigserial primary key,
      "slot_id" bigint not null references "appointment_slot" ("id"),
      "service" text not null references "appointment_service" ("code") on update cascade,
      "room" text not null,
      "starts_at" timestamptz not null,
      "caller_number" text not null,
      "caller_name" text null,
      "note" text not null default '',
      "status" text not null default 'booked' check ("status" in ('booked', 'cancelled', 'kept', 'no_show')),
      "channel" text not null check ("channel" in ('desk', 'ivr')),
      "call_id" text null,
      "work_order_id" bigint null references "work_order" ("id") on delete set null,
      "booked_by" text not null,
      "moves" integer not null default 0,
      "reminder_status" text null check ("reminder_status" in ('planned', 'answered', 'no_answer', 'busy', 'failed')),
      "reminder_at" timestamptz null,
      "created_at" timestamptz not null default now(),
      "updated_at" timestamptz not null default now()
    );`);
    this.addSql('create index if not exists "appointment_starts_idx" on "appointment" ("starts_at");');
    this.addSql('create index if not exists "appointment_call_idx" on "appointment" ("call_id");');
    this.addSql('create index if not exists "appointment_caller_idx" on "appointment" ("caller_number", "starts_at" desc);');

    // Case numbers are digits only: the caller keys them in the IVR (YYYY + a six-digit sequence).
    this.addSql('create sequence if not exists "legal_aid_case_seq";');
    this.addSql(`create table if not exists "legal_aid_application" (
      "id" bigserial primary key,
      "case_number" text not null unique check ("case_number" ~ '^[0-9]{4,20}$'),
      "call_id" text null,
      "work_order_id" bigint null references "work_order" ("id") on delete set null,
      "applicant_name" text not null check (length(btrim("applicant_name")) > 0),
      "applicant_id_number" text null,
      "applicant_phone" text null,
      "matter_type" text not null,
      "matter" text not null default '',
      "opposing_party" text null,
      "exempt_group" text null,
      "hardship_declaration" boolean not null default false,
      "documents_missing" jsonb not null default '[]'::jsonb,
      "status" text not null default 'received' check ("status" in ('received', 'under_review', 'approved', 'refused', 'lawyer_assigned')),
      "status_since" timestamptz not null default now(),
      "received_on" date not null,
      "step_due" date null,
      "decision_due" date not null,
      "decided_on" date null,
      "lawyer" text null,
      "refusal_reason" text null,
      "overdue_alerted_on" date null,
      "created_by" text not null,
      "created_at" timestamptz not null default now(),
      "updated_at" timestamptz not null default now(),
      constraint "legal_aid_lawyer_check" check ("status" <> 'lawyer_assigned' or "lawyer" is not null),
      constraint "legal_aid_refusal_check" check ("status" <> 'refused' or "refusal_reason" is not null)
    );`);
    this.addSql('create index if not exists "legal_aid_call_idx" on "legal_aid_application" ("call_id");');
    this.addSql(`create index if not exists "legal_aid_open_idx" on "legal_aid_application" ("step_due") where "status" in ('received', 'under_review', 'approved');`);
    this.addSql(`create table if not exists "legal_aid_event" (
      "id" bigserial primary key,
      "application_id" bigint not null references "legal_aid_application" ("id") on delete cascade,
      "kind" text not null check ("kind" in ('status', 'overdue')),
      "from_status" text null,
      "to_status" text null,
      "step_due" date null,
      "by" text not null,
      "note" text not null default '',
      "at" timestamptz not null default now()
    );`);
    this.addSql('create index if not exists "legal_aid_event_app_idx" on "legal_aid_event" ("application_id", "at");');

    this.addSql(`create table if not exists "ticket" (
      "id" bigserial primary key,
      "kind" text not null check ("kind" in ('complaint', 'supervision')),
      "category" text not null,
      "concerns_staff_no" text null references "staff" ("staff_no") on update cascade,
      "concerns_department" text null,
      "summary" text not null check (length(btrim("summary")) > 0),
      "caller_number" text null,
      "caller_name" text null,
      "call_id" text null,
      "work_order_id" bigint null references "work_order" ("id") on delete set null,
      "department" text not null,
      "handler" text null references "staff" ("staff_no") on update cascade,
      "deadline_days" integer not null check ("deadline_days" between 1 and 60),
      "due_date" date not null,
      "status" text not null default 'open' check ("status" in ('open', 'in_progress', 'replied', 'closed')),
      "escalated_at" timestamptz null,
      "escalated_to" text null references "staff" ("staff_no") on update cascade,
      "reply" text null,
      "replied_at" timestamptz null,
      "rating" text null check ("rating" in ('satisfied', 'basically_satisfied', 'dissatisfied')),
      "closed_at" timestamptz null,
      "closed_on_time" boolean null,
      "created_by" text not null,
      "created_at" timestamptz not null default now(),
      "updated_at" timestamptz not null default now(),
      -- A complaint about a named lawyer is never handled by that lawyer (the service also sends it to a supervisor).
      constraint "ticket_not_own_lawyer_check" check ("concerns_staff_no" is null or "handler" is null or "handler" <> "concerns_staff_no"),
      constraint "ticket_closed_rating_check" check ("status" <> 'closed' or ("rating" is not null and "closed_at" is not null))
    );`);
    this.addSql('create index if not exists "ticket_call_idx" on "ticket" ("call_id");');
    this.addSql(`create index if not exists "ticket_open_idx" on "ticket" ("due_date") where "status" <> 'closed';`);
    this.addSql(`create table if not exists "ticket_event" (
      "id" bigserial primary key,
      "ticket_id" bigint not null references "ticket" ("id") on delete cascade,
      "kind" text not null check ("kind" in ('created', 'assigned', 'forwarded', 'callback_requested', 'callback_result', 'replied', 'escalated', 'closed')),
      "by" text not null,
      "note" text not null default '',
      "details" jsonb null,
      "at" timestamptz not null default now()
    );`);
    this.addSql('create index if not exists "ticket_event_ticket_idx" on "ticket_event" ("ticket_id", "at");');
  }

  override down(): void {
    for (const t of ['ticket_event', 'ticket', 'legal_aid_event', 'legal_aid_application', 'appointment', 'appointment_slot', 'appointment_service', 'holiday_calendar']) {
      this.addSql(`drop table if exists "${t}";`);
    }
    this.addSql('drop sequence if exists "legal_aid_case_seq";');
  }
}
