import { Migration } from '@mikro-orm/migrations';

// The audit table where component start-up and shutdown are logged (see lib/entities/system-event.ts).
export class Migration20251126000000_system_event extends Migration {
  override up(): void {
    this.addSql(`create table if not exists "system_event" (
      "id" bigserial primary key,
      "at" timestamptz not null default now(),
      "source" text not null,
      "kind" text not null,
      "details" jsonb null
    );`);
    // Operators read it newest first, often for one component.
    this.addSql('create index if not exists "system_event_at_idx" on "system_event" ("at" desc);');
    this.addSql('create index if not exists "system_event_source_at_idx" on "system_event" ("source", "at" desc);');
  }

  override down(): void {
    this.addSql('drop table if exists "system_event";');
  }
}
