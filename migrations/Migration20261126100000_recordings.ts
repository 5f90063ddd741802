import { Migration } from '@mikro-orm/migrations';

// Recordings (recordings-store/): one row per recording Asterisk made (a call's bridge, a voicemail), from the moment
// it starts until it is purged; the pauses a lawyer made; legal holds; and the access audit log, which PostgreSQL
// itself keeps append-only (a trigger refuses UPDATE, DELETE and TRUNCATE, whoever asks).
export class Migration20261126100000_recordings extends Migration {
  override up(): void {
    this.addSql(`create table if not exists "recording" (
      "id" bigserial primary key,
      "name" text not null,
      "call_id" text not null,
      "kind" text not null,
      "staff_no" text null,
      "work_order_id" bigint null,
      "status" text not null,
      "failure" text null,
      "started_at" timestamptz null,
      "finished_at" timestamptz null,
      "reported_duration_s" int null,
      "duration_ms" int null,
      "size_bytes" bigint null,
      "sha256" text null,
      "key_id" text null,
      "storage_backend" text null,
      "storage_path" text null,
      "stored_at" timestamptz null,
      "asterisk_deleted_at" timestamptz null,
      "purged_at" timestamptz null,
      "attempts" int not null default 0,
      "last_error" text null,
      "created_at" timestamptz not null default now(),
      "updated_at" timestamptz not null default now(),
      constraint "recording_name_unique" unique ("name"),
      constraint "recording_kind_check" check ("kind" in ('call', 'voicemail')),
      constraint "recording_status_check" check ("status" in ('recording', 'finished', 'stored', 'failed', 'purged')),
      constraint "recording_stored_check" check ("status" <> 'stored' or ("sha256" is not null and "storage_path" is not null and "key_id" is not null)),
      constraint "recording_failed_check" check ("status" <> 'failed' or "failure" is not null)
    );`);
    this.addSql('create index if not exists "recording_call_idx" on "recording" ("call_id");');
    this.addSql('create index if not exists "recording_staff_finished_idx" on "recording" ("staff_no", "finished_at" desc);');
    this.addSql('create index if not exists "recording_finished_idx" on "recording" ("finished_at");');
    // The purge and the ingest sweep look only at rows still holding a file somewhere.
    this.addSql(`create index if not exists "recording_open_idx" on "recording" ("status", "finished_at") where "status" in ('recording', 'finished', 'stored');`);

    this.addSql(`create table if not exists "recording_pause" (
      "id" bigserial primary key,
      "recording_name" text not null,
      "call_id" text not null,
      "staff_no" text not null,
      "action" text not null,
      "offset_ms" int not null,
      "at" timestamptz not null,
      constraint "recording_pause_action_check" check ("action" in ('pause', 'resume')),
      constraint "recording_pause_unique" unique ("recording_name", "action", "offset_ms")
    );`);
    this.addSql('create index if not exists "recording_pause_recording_idx" on "recording_pause" ("recording_name", "offset_ms");');

    this.addSql(`create table if not exists "legal_hold" (
      "id" bigserial primary key,
      "call_id" text null,
      "caller_number" text null,
      "reason" text not null,
      "created_by" text not null,
      "created_at" timestamptz not null default now(),
      "released_by" text null,
      "released_at" timestamptz null,
      constraint "legal_hold_target_check" check (("call_id" is null) <> ("caller_number" is null)),
      constraint "legal_hold_reason_check" check (length(btrim("reason")) > 0)
    );`);
    this.addSql('create index if not exists "legal_hold_active_call_idx" on "legal_hold" ("call_id") where "released_at" is null;');
    this.addSql('create index if not exists "legal_hold_active_caller_idx" on "legal_hold" ("caller_number") where "released_at" is null;');

    this.addSql(`create table if not exists "recording_audit" (
      "id" bigserial primary key,
      "at" timestamptz not null default now(),
      "actor" text not null,
      "actor_role" text null,
      "action" text not null,
      "recording_id" bigint null,
      "call_id" text null,
      "remote_addr" text null,
      "user_agent" text null,
      "details" jsonb null,
      constraint "recording_audit_action_check" check ("action" in ('play', 'download', 'purge', 'hold', 'release'))
    );`);
    this.addSql('create index if not exists "recording_audit_at_idx" on "recording_audit" ("at" desc);');
    this.addSql('create index if not exists "recording_audit_recording_idx" on "recording_audit" ("recording_id", "at" desc);');
    this.addSql(`create or replace function "recording_audit_append_only"() returns trigger language plpgsql as $$
      begin
        raise exception 'recording_audit is append-only (% refused)', tg_op using errcode = 'insufficient_privilege';
      end $$;`);
    this.addSql(`create or replace trigger "recording_audit_no_update" before update or delete on "recording_audit"
      for each row execute function "recording_audit_append_only"();`);
    this.addSql(`create or replace trigger "recording_audit_no_truncate" before truncate on "recording_audit"
      for each statement execute function "recording_audit_append_only"();`);
  }

  override down(): void {
    this.addSql('drop table if exists "recording_audit";');
    this.addSql('drop function if exists "recording_audit_append_only"();');
    this.addSql('drop table if exists "legal_hold";');
    this.addSql('drop table if exists "recording_pause";');
    this.addSql('drop table if exists "recording";');
  }
}
