import { Migration } from '@mikro-orm/migrations';

// QA scoring (质检, issue 6 item 5). Scorecards are versioned: a change makes a new row and retires the old one, so a
// score always points at the criteria it was given against. Assignments are the daily random sample handed to
// supervisors (at most one per call: re-running a day adds nothing) and the calls a supervisor picked themselves.
// Scores are per call and scorecard version, with the lawyer scored beside it; the statistics read
// qa_score (call_id, staff_no, total, scored_at, sampled), so those names are an interface.
const DEFAULT_CRITERIA = [
  { id: 'opening', label: '规范开头语（您好，12348公共法律服务热线）', weight: 10, kind: 'phrase_used', phrases: ['您好，12348公共法律服务热线', '请问有什么可以帮您'] },
  { id: 'understanding', label: '准确理解诉求', weight: 15, kind: 'score' },
  { id: 'legal_basis', label: '法律依据准确', weight: 20, kind: 'score' },
  { id: 'clarity', label: '答复清晰完整', weight: 15, kind: 'score' },
  { id: 'next_steps', label: '告知后续途径（法律援助、调解、仲裁、诉讼）', weight: 10, kind: 'score' },
  { id: 'closing', label: '规范结束语', weight: 5, kind: 'phrase_used', phrases: ['请问还有其他问题吗', '感谢您的来电，再见'] },
  { id: 'attitude', label: '服务态度（耐心、文明、热情）', weight: 15, kind: 'score' },
  { id: 'banned', label: '未使用服务禁语', weight: 10, kind: 'phrase_avoided',
    phrases: ['不归我们管', '我不知道', '你自己去查', '这事没法办', '你听不懂吗', '我已经说过了', '下班了，明天再打'] },
];

export class Migration20261126140000_qa extends Migration {
  override up(): void {
    this.addSql(`create table if not exists "qa_scorecard" (
      "id" bigserial primary key,
      "name" text not null,
      "criteria" jsonb not null check (jsonb_typeof("criteria") = 'array'),
      "active" boolean not null default false,
      "created_by" text null,
      "created_at" timestamptz not null default now()
    );`);
    // One scorecard in use at a time.
    this.addSql('create unique index if not exists "qa_scorecard_active_unique" on "qa_scorecard" ("active") where "active";');
    this.addSql(`create table if not exists "qa_assignment" (
      "id" bigserial primary key,
      "call_id" text not null references "call_record" ("call_id"),
      "assigned_to" text null,
      "sample_date" date not null,
      "reason" text not null check ("reason" in ('sample', 'picked')),
      "status" text not null default 'pending' check ("status" in ('pending', 'scored')),
      "created_at" timestamptz not null default now(),
      "scored_at" timestamptz null,
      constraint "qa_assignment_call_reason_unique" unique ("call_id", "reason")
    );`);
    this.addSql('create index if not exists "qa_assignment_todo_idx" on "qa_assignment" ("assigned_to", "status", "sample_date");');
    this.addSql('create index if not exists "qa_assignment_sample_date_idx" on "qa_assignment" ("sample_date") where "reason" = \'sample\';');
    this.addSql(`create table if not exists "qa_score" (
      "id" bigserial primary key,
      "call_id" text not null references "call_record" ("call_id"),
      "staff_no" text not null,
      "scorer" text not null,
      "scorecard_id" bigint not null references "qa_scorecard" ("id"),
      "answers" jsonb not null check (jsonb_typeof("answers") = 'object'),
      "total" numeric(5, 2) not null check ("total" between 0 and 100),
      "comment" text null,
      "scored_at" timestamptz not null default now(),
      "sampled" boolean not null default false,
      constraint "qa_score_call_scorecard_unique" unique ("call_id", "scorecard_id")
    );`);
    this.addSql('create index if not exists "qa_score_staff_idx" on "qa_score" ("staff_no", "scored_at");');
    this.addSql('create index if not exists "qa_score_scored_at_idx" on "qa_score" ("scored_at");');
    // The sample reads a day's answered calls.
    this.addSql('create index if not exists "call_record_answered_at_idx" on "call_record" ("answered_at") where "answered_at" is not null;');
    this.addSql(`insert into "qa_scorecard" ("name", "criteria", "active", "created_by")
      select '12348热线通话质检评分表（2026版）', '${JSON.stringify(DEFAULT_CRITERIA)}'::jsonb, true, 'system'
      where not exists (select 1 from "qa_scorecard");`);
  }

  override down(): void {
    this.addSql('drop table if exists "qa_score";');
    this.addSql('drop table if exists "qa_assignment";');
    this.addSql('drop table if exists "qa_scorecard";');
    this.addSql('drop index if exists "call_record_answered_at_idx";');
  }
}
