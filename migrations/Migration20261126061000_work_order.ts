import { Migration } from '@mikro-orm/migrations';

// The ledger work order (台账工单, lib/entities/work-order.ts): one per handled call (Jiangsu DB32/T 3837-2020), owned
// by the lawyer who first took the matter (首问负责). The caller's number is copied from the call record when the
// work order is written, so searching a caller's history and the ACD's first-inquiry lookup need no join.
export class Migration20261126061000_work_order extends Migration {
  override up(): void {
    this.addSql(`create table if not exists "work_order" (
      "id" bigserial primary key,
      "call_id" text not null,
      "staff_no" text not null,
      "caller_number" text null,
      "service_line" text not null,
      "legal_topic" text null,
      "caller_name" text null,
      "caller_declined_name" boolean not null default false,
      "matter" text not null,
      "answer" text not null default '',
      "referral" text null,
      "disposition" text not null,
      "risk_flag" boolean not null default false,
      "risk_reason" text null,
      "updated_by" text not null,
      "created_at" timestamptz not null default now(),
      "updated_at" timestamptz not null default now(),
      constraint "work_order_call_id_unique" unique ("call_id"),
      constraint "work_order_call_id_fk" foreign key ("call_id") references "call_record" ("call_id") on delete restrict,
      constraint "work_order_staff_no_fk" foreign key ("staff_no") references "staff" ("staff_no") on update cascade,
      constraint "work_order_service_line_check" check ("service_line" in
        ('consultation', 'application', 'appointment', 'supervision', 'complaint', 'operator')),
      constraint "work_order_disposition_check" check ("disposition" in ('resolved', 'follow_up', 'transferred', 'referred')),
      constraint "work_order_matter_check" check (length(btrim("matter")) > 0),
      constraint "work_order_risk_reason_check" check (not "risk_flag" or length(btrim(coalesce("risk_reason", ''))) > 0),
      constraint "work_order_declined_name_check" check (not ("caller_declined_name" and "caller_name" is not null))
    );`);
    // A caller's history (screen pop, first inquiry), a lawyer's own list, and period searches, newest first.
    this.addSql('create index if not exists "work_order_caller_created_idx" on "work_order" ("caller_number", "created_at" desc);');
    this.addSql('create index if not exists "work_order_staff_created_idx" on "work_order" ("staff_no", "created_at" desc);');
    this.addSql('create index if not exists "work_order_created_idx" on "work_order" ("created_at");');
    // Few work orders carry a risk flag or stay open; supervisors list exactly those.
    this.addSql('create index if not exists "work_order_risk_idx" on "work_order" ("created_at") where "risk_flag";');
    this.addSql(`create index if not exists "work_order_open_idx" on "work_order" ("caller_number", "created_at" desc) where "disposition" = 'follow_up';`);
  }

  override down(): void {
    this.addSql('drop table if exists "work_order";');
  }
}
