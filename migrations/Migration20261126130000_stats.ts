import { Migration } from '@mikro-orm/migrations';

// Statistics rollups (issue 7). Reading a month of 1,000,000 calls row by row cannot answer in 200 ms, so every
// change of a call record adds its contribution to per-hour counters, inside the same transaction as the change:
// the trigger subtracts what the old row contributed and adds what the new row contributes, which makes it exact
// whatever order or how often the applier rewrites a call (an event applied twice leaves the row, and so the
// counters, unchanged). The figures' definitions live in ONE place, call_line_facts / call_agent_facts below;
// call_stats_rebuild() recomputes everything from the same functions (used here to backfill, and by the bench).
// Hours are UTC hour starts; China Standard Time is a whole-hour offset, so a Beijing day is 24 of them.
const LINE_COUNTERS = [
  'offered', 'answered', 'answered_15s', 'abandoned', 'abandoned_15s', 'wait_answered_ms', 'handled', 'handle_ms',
  'transferred_out', 'transferred_in', 'green_offered', 'green_answered', 'green_wait_ms', 'rated', 'rating_1',
  'rating_2', 'rating_3',
];
const AGENT_COUNTERS = ['answered', 'answered_15s', 'wait_answered_ms', 'handled', 'handle_ms', 'rated', 'rating_1', 'rating_2', 'rating_3'];
const big = (c: string) => c.endsWith('_ms');
const cols = (cs: string[]) => cs.map((c) => `"${c}" ${big(c) ? 'bigint' : 'int'} not null default 0`).join(',\n      ');
const addUp = (t: string, cs: string[]) => cs.map((c) => `"${c}" = ${t}."${c}" + excluded."${c}"`).join(', ');
const scaled = (cs: string[]) => cs.map((c) => `s * f."${c}"`).join(', ');
const summed = (cs: string[]) => cs.map((c) => `sum(f."${c}")`).join(', ');
const names = (cs: string[]) => cs.map((c) => `"${c}"`).join(', ');
const HOUR = `date_trunc('hour', r.arrived_at at time zone 'UTC') at time zone 'UTC'`;

export class Migration20261126130000_stats extends Migration {
  override up(): void {
    this.addSql(`create table if not exists "call_stats_hourly" (
      "hour" timestamptz not null,
      "service_line" text not null,
      "legal_topic" text not null,
      ${cols(LINE_COUNTERS)},
      primary key ("hour", "service_line", "legal_topic")
    );`);
    this.addSql(`create table if not exists "agent_stats_hourly" (
      "hour" timestamptz not null,
      "staff_no" text not null,
      ${cols(AGENT_COUNTERS)},
      "wrap_ups" int not null default 0,
      "wrap_up_ms" bigint not null default 0,
      primary key ("hour", "staff_no")
    );`);

    // What one call contributes, per line and topic, to the hour it arrived in. A call counts as offered once it
    // reached the queue for a person (or was answered) AND its outcome is known (answered or ended): a caller still
    // waiting is on the wallboard, not yet in offered, so the connection rate does not dip while calls wait.
    // Calls the centre placed (tags.direction = 'callback') are not inbound traffic and count nowhere here.
    this.addSql(`create or replace function "call_line_facts"(r "call_record") returns table (
        "hour" timestamptz, "service_line" text, "legal_topic" text,
        ${LINE_COUNTERS.map((c) => `"${c}" ${big(c) ? 'bigint' : 'int'}`).join(', ')})
      language sql immutable as $$
      with f as (
        select ${HOUR} as h, coalesce(r.service_line, '') as line, coalesce(r.legal_topic, '') as topic,
               coalesce(r.tags->>'direction', '') <> 'callback' as inbound,
               coalesce(r.queued_at, r.arrived_at) as start_at,
               r.answered_at is not null as ans,
               coalesce((r.queued_at is not null or r.answered_at is not null or r.end_reason = 'abandoned_in_queue')
                 and (r.answered_at is not null or r.ended_at is not null), false) as decided
      ), g as (
        select f.*, f.inbound and f.decided as off,
               (extract(epoch from r.answered_at - f.start_at) * 1000)::bigint as wait_ms,
               (extract(epoch from r.ended_at - f.start_at) * 1000)::bigint as gone_ms
          from f
      )
      select g.h, g.line, g.topic,
             g.off::int,
             coalesce((g.off and g.ans), false)::int,
             coalesce((g.off and g.ans and g.wait_ms <= 15000), false)::int,
             coalesce((g.off and not g.ans and r.end_reason = 'abandoned_in_queue'), false)::int,
             coalesce((g.off and not g.ans and r.end_reason = 'abandoned_in_queue' and g.gone_ms <= 15000), false)::int,
             case when g.off and g.ans then greatest(g.wait_ms, 0) else 0 end,
             coalesce((g.off and g.ans and r.ended_at is not null), false)::int,
             case when g.off and g.ans and r.ended_at is not null
                  then greatest((extract(epoch from r.ended_at - r.answered_at) * 1000)::bigint, 0) else 0 end,
             coalesce((g.off and jsonb_array_length(r.transfers) > 0), false)::int,
             0,
             coalesce((g.off and r.priority > 0), false)::int,
             coalesce((g.off and r.priority > 0 and g.ans), false)::int,
             case when g.off and r.priority > 0 and g.ans then greatest(g.wait_ms, 0) else 0 end,
             coalesce((g.inbound and r.survey_rating is not null), false)::int,
             coalesce((g.inbound and r.survey_rating = 1), false)::int,
             coalesce((g.inbound and r.survey_rating = 2), false)::int,
             coalesce((g.inbound and r.survey_rating = 3), false)::int
        from g where g.off or (g.inbound and r.survey_rating is not null)
      union all
      -- A call handed to another line counts once as offered (on the line it arrived on) and as transferred in on
      -- each other line it was handed to.
      select g.h, t.to_line, g.topic, ${LINE_COUNTERS.map((c) => (c === 'transferred_in' ? '1' : '0')).join(', ')}
        from g, lateral (select distinct x->>'toLine' as to_line from jsonb_array_elements(r.transfers) x where x ? 'toLine') t
       where g.off and t.to_line <> g.line
    $$;`);
    // Per lawyer: the first lawyer who answered (首问负责) owns the call's wait, handle time and rating.
    this.addSql(`create or replace function "call_agent_facts"(r "call_record") returns table (
        "hour" timestamptz, "staff_no" text, ${AGENT_COUNTERS.map((c) => `"${c}" ${big(c) ? 'bigint' : 'int'}`).join(', ')})
      language sql immutable as $$
      select l."hour", r.agent, l."answered", l."answered_15s", l."wait_answered_ms", l."handled", l."handle_ms",
             l."rated", l."rating_1", l."rating_2", l."rating_3"
        from "call_line_facts"(r) l
       where r.agent is not null and l."transferred_in" = 0 and (l."answered" > 0 or l."rated" > 0)
    $$;`);

    this.addSql(`create or replace function "call_stats_apply"(r "call_record", s int) returns void language plpgsql as $$
      begin
        insert into "call_stats_hourly" as t ("hour", "service_line", "legal_topic", ${names(LINE_COUNTERS)})
          select f."hour", f."service_line", f."legal_topic", ${scaled(LINE_COUNTERS)} from "call_line_facts"(r) f
          on conflict ("hour", "service_line", "legal_topic") do update set ${addUp('t', LINE_COUNTERS)};
        insert into "agent_stats_hourly" as t ("hour", "staff_no", ${names(AGENT_COUNTERS)})
          select f."hour", f."staff_no", ${scaled(AGENT_COUNTERS)} from "call_agent_facts"(r) f
          on conflict ("hour", "staff_no") do update set ${addUp('t', AGENT_COUNTERS)};
      end $$;`);
    this.addSql(`create or replace function "call_stats_trigger"() returns trigger language plpgsql as $$
      begin
        if tg_op in ('UPDATE', 'DELETE') then perform "call_stats_apply"(old, -1); end if;
        if tg_op in ('INSERT', 'UPDATE') then perform "call_stats_apply"(new, 1); end if;
        return null;
      end $$;`);
    this.addSql('drop trigger if exists "call_stats_ins_del" on "call_record";');
    this.addSql(`create trigger "call_stats_ins_del" after insert or delete on "call_record"
      for each row execute function "call_stats_trigger"();`);
    // The applier rewrites a call on every event (path steps, tags); only changes that can move a figure cost a
    // rollup update.
    const watched = ['arrived_at', 'queued_at', 'answered_at', 'ended_at', 'end_reason', 'service_line', 'legal_topic',
      'priority', 'agent', 'survey_rating', 'transfers'];
    this.addSql('drop trigger if exists "call_stats_upd" on "call_record";');
    this.addSql(`create trigger "call_stats_upd" after update on "call_record" for each row
      when (${watched.map((c) => `old."${c}" is distinct from new."${c}"`).join(' or ')}
            or (old.tags->>'direction') is distinct from (new.tags->>'direction'))
      execute function "call_stats_trigger"();`);

    // Wrap-up time (整理时长): from entering wrap_up to the lawyer's next state, credited to the hour wrap-up began.
    // Presence history is appended in order per lawyer (one writer per change, flushed in order); a row inserted
    // out of order would credit the wrong span, which is why rebuild recomputes from the whole history.
    this.addSql(`create or replace function "presence_stats_trigger"() returns trigger language plpgsql as $$
      declare prev "presence_history";
      begin
        select * into prev from "presence_history" p
         where p.staff_no = new.staff_no and p.id <> new.id and (p.at, p.id) < (new.at, new.id)
         order by p.at desc, p.id desc limit 1;
        if found and prev.state = 'wrap_up' and new.state <> 'wrap_up' then
          insert into "agent_stats_hourly" as t ("hour", "staff_no", "wrap_ups", "wrap_up_ms")
          values (date_trunc('hour', prev.at at time zone 'UTC') at time zone 'UTC', new.staff_no, 1,
                  (extract(epoch from new.at - prev.at) * 1000)::bigint)
          on conflict ("hour", "staff_no") do update set "wrap_ups" = t."wrap_ups" + 1, "wrap_up_ms" = t."wrap_up_ms" + excluded."wrap_up_ms";
        end if;
        return null;
      end $$;`);
    this.addSql('drop trigger if exists "presence_stats_ins" on "presence_history";');
    this.addSql(`create trigger "presence_stats_ins" after insert on "presence_history"
      for each row execute function "presence_stats_trigger"();`);

    this.addSql(`create or replace function "call_stats_rebuild"() returns void language plpgsql as $$
      begin
        lock table "call_record" in share mode;
        truncate "call_stats_hourly", "agent_stats_hourly";
        insert into "call_stats_hourly" ("hour", "service_line", "legal_topic", ${names(LINE_COUNTERS)})
          select f."hour", f."service_line", f."legal_topic", ${summed(LINE_COUNTERS)}
            from "call_record" c, lateral "call_line_facts"(c) f group by 1, 2, 3;
        insert into "agent_stats_hourly" ("hour", "staff_no", ${names(AGENT_COUNTERS)})
          select f."hour", f."staff_no", ${summed(AGENT_COUNTERS)}
            from "call_record" c, lateral "call_agent_facts"(c) f group by 1, 2;
        insert into "agent_stats_hourly" as t ("hour", "staff_no", "wrap_ups", "wrap_up_ms")
          select date_trunc('hour', w.at at time zone 'UTC') at time zone 'UTC', w.staff_no, count(*),
                 sum((extract(epoch from w.next_at - w.at) * 1000)::bigint)
            from (select staff_no, state, at, lead(state) over s as next_state, lead(at) over s as next_at
                    from "presence_history" window s as (partition by staff_no order by at, id)) w
           where w.state = 'wrap_up' and w.next_state is not null and w.next_state <> 'wrap_up'
           group by 1, 2
          on conflict ("hour", "staff_no") do update set "wrap_ups" = excluded."wrap_ups", "wrap_up_ms" = excluded."wrap_up_ms";
      end $$;`);
    this.addSql('select "call_stats_rebuild"();');

    // Callbacks are read by creation time (work orders already have created_at and risk indexes).
    this.addSql('create index if not exists "callback_created_at_idx" on "callback" ("created_at");');
  }

  override down(): void {
    this.addSql('drop trigger if exists "presence_stats_ins" on "presence_history";');
    this.addSql('drop trigger if exists "call_stats_upd" on "call_record";');
    this.addSql('drop trigger if exists "call_stats_ins_del" on "call_record";');
    this.addSql('drop function if exists "call_stats_rebuild"(), "presence_stats_trigger"(), "call_stats_trigger"(), "call_stats_apply"("call_record", int), "call_agent_facts"("call_record"), "call_line_facts"("call_record");');
    this.addSql('drop table if exists "agent_stats_hourly";');
    this.addSql('drop table if exists "call_stats_hourly";');
    this.addSql('drop index if exists "callback_created_at_idx";');
  }
}
