import { Migration } from '@mikro-orm/migrations';

// Published flow revisions (lib/entities/flow-revision.ts): append-only, one row per publish.
export class Migration20261126020000_flow_revision extends Migration {
  override up(): void {
    this.addSql(`create table if not exists "flow_revision" (
      "id" bigserial primary key,
      "name" text not null,
      "revision" int not null,
      "document" text not null,
      "sha256" text not null,
      "published_at" timestamptz not null default now(),
      "published_by" text not null,
      "note" text null,
      constraint "flow_revision_name_revision_unique" unique ("name", "revision")
    );`);
  }

  override down(): void {
    this.addSql('drop table if exists "flow_revision";');
  }
}
