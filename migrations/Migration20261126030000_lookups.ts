import { Migration } from '@mikro-orm/migrations';

// Data the IVR's lookup functions read (ivr/lookups.ts): the green-channel list of vulnerable callers, and the
// status of applications by case number (written by the application workflows; see issue 8).
export class Migration20261126030000_lookups extends Migration {
  override up(): void {
    this.addSql(`create table if not exists "vulnerable_caller" (
      "number" text primary key,
      "reason" text not null,
      "added_by" text not null,
      "added_at" timestamptz not null default now()
    );`);
    this.addSql(`create table if not exists "case_status" (
      "case_number" text primary key,
      "kind" text not null,
      "status" text not null check ("status" in ('received','under_review','approved','refused','lawyer_assigned','closed')),
      "updated_at" timestamptz not null default now()
    );`);
  }

  override down(): void {
    this.addSql('drop table if exists "case_status";');
    this.addSql('drop table if exists "vulnerable_caller";');
  }
}
