import { Migration } from '@mikro-orm/migrations';

// Desk users and the ACD's lawyers (lib/entities/staff.ts), and their presence history (who was ready when).
export class Migration20261126050000_staff extends Migration {
  override up(): void {
    this.addSql(`create table if not exists "staff" (
      "id" bigserial primary key,
      "staff_no" text not null unique,
      "name" text not null,
      "role" text not null check ("role" in ('agent','supervisor','admin')),
      "password_hash" text not null,
      "skills" jsonb not null default '[]',
      "dialects" jsonb not null default '[]',
      "lines" jsonb not null default '[]',
      "endpoint" text null,
      "stars" int not null default 3 check ("stars" between 1 and 5),
      "active" boolean not null default true,
      "created_at" timestamptz not null default now()
    );`);
    this.addSql(`create table if not exists "presence_history" (
      "id" bigserial primary key,
      "staff_no" text not null,
      "state" text not null check ("state" in ('offline','ready','not_ready','ringing','on_call','wrap_up')),
      "reason" text null,
      "at" timestamptz not null default now()
    );`);
    this.addSql('create index if not exists "presence_history_staff_at_idx" on "presence_history" ("staff_no", "at" desc);');
  }

  override down(): void {
    this.addSql('drop table if exists "presence_history";');
    this.addSql('drop table if exists "staff";');
  }
}
