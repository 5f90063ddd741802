import { Migration } from '@mikro-orm/migrations';

// The rest of the ledger the ACD and the desk share: who called (a caller's name and dialect, learnt on the desk and
// used to route their next call to a lawyer who speaks it), the service queues' settings, and the hand-overs of a
// call between lawyers (call_record.transfers).
export class Migration20261126070000_callers_queues extends Migration {
  override up(): void {
    this.addSql(`alter table "call_record" add column if not exists "transfers" jsonb not null default '[]'::jsonb;`);
    this.addSql(`create table if not exists "caller" (
      "number" text primary key,
      "name" text null,
      "dialect" text null,
      "note" text null,
      "updated_by" text not null,
      "created_at" timestamptz not null default now(),
      "updated_at" timestamptz not null default now()
    );`);
    // One row per ACD queue: a service line or the operator's. The ACD reads them (cached) for the announcement
    // interval and the skill wait; the wallboard and statistics for the names and the answer-time target.
    this.addSql(`create table if not exists "service_queue" (
      "line" text primary key check ("line" in ('consultation', 'application', 'appointment', 'supervision', 'complaint', 'operator')),
      "name" text not null,
      "answer_target_sec" int not null default 15 check ("answer_target_sec" > 0),
      "announce_every_sec" int not null default 30 check ("announce_every_sec" >= 10),
      "skill_wait_sec" int not null default 20 check ("skill_wait_sec" >= 0),
      "active" boolean not null default true,
      "updated_at" timestamptz not null default now()
    );`);
    this.addSql(`insert into "service_queue" ("line", "name") values
      ('consultation', '法律咨询'), ('application', '业务申请'), ('appointment', '办事预约'),
      ('supervision', '政务监督'), ('complaint', '投诉建议'), ('operator', '人工服务')
      on conflict ("line") do nothing;`);
  }

  override down(): void {
    this.addSql('drop table if exists "service_queue";');
    this.addSql('drop table if exists "caller";');
    this.addSql('alter table "call_record" drop column if exists "transfers";');
  }
}
