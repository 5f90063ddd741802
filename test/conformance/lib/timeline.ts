// Helpers to walk a trace's timeline: phases, which REST calls and notes sit between events,
// and the REST exchanges in a replayable form.
import type { Normaliser } from './normalise.js';
import type { TimelineEntry, TimelineEvent, TimelineNote, TimelineRest, Trace } from './types.js';

export interface Phase {
  /** e.g. `c4`, `h7b`; '' for what comes before the first labelled note. */
  label: string;
  /** Text of the first note of the phase ('' for the preamble). */
  title: string;
  entries: TimelineEntry[];
  events: TimelineEvent[];
  rest: TimelineRest[];
  notes: TimelineNote[];
}

/** Notes such as `c4: originate to busy callee ...` open a phase; repeats of a label continue it. */
export const PHASE_MARKER = /^([a-z]+\d+[a-z]?):\s/i;

export function splitByPhase(timeline: TimelineEntry[], marker: RegExp = PHASE_MARKER): Phase[] {
  const phases: Phase[] = [];
  let cur: Phase | undefined;
  const open = (label: string, title: string): Phase => {
    const p: Phase = { label, title, entries: [], events: [], rest: [], notes: [] };
    phases.push(p);
    return p;
  };
  for (const e of timeline) {
    const m = e.kind === 'note' ? marker.exec(e.text) : null;
    if (m && m[1] !== cur?.label) cur = open(m[1], e.kind === 'note' ? e.text : '');
    cur ??= open('', '');
    cur.entries.push(e);
    if (e.kind === 'event') cur.events.push(e);
    else if (e.kind === 'rest') cur.rest.push(e);
    else cur.notes.push(e);
  }
  return phases;
}

export interface Step {
  /** REST calls and notes since the previous event. */
  before: Array<TimelineRest | TimelineNote>;
  /** The event they lead up to; undefined for the trailing step. */
  event?: TimelineEvent;
}

/**
 * Groups the timeline into steps "do these calls, then expect this event".
 * `by: 'response'` keeps the timeline's order (REST lines are logged when the response came);
 * `by: 'request'` places each call at the time it was sent, which is what a replay needs:
 * Asterisk often emits the caused event (PlaybackStarted, StasisStart of a snoop) before answering.
 */
export function interleave(timeline: TimelineEntry[], by: 'request' | 'response' = 'request'): Step[] {
  const at = (e: TimelineEntry): number =>
    Date.parse(by === 'request' && e.kind === 'rest' && e.exchange ? e.exchange.t : e.t);
  const ordered = timeline
    .map((e, i) => ({ e, i, t: at(e) }))
    // On equal ms a request goes first: the app sent it before the event could be handled.
    .sort((a, b) => a.t - b.t || (a.e.kind === 'rest' ? 0 : 1) - (b.e.kind === 'rest' ? 0 : 1) || a.i - b.i)
    .map((x) => x.e);
  const steps: Step[] = [];
  let before: Step['before'] = [];
  for (const e of ordered) {
    if (e.kind === 'event') {
      steps.push({ before, event: e });
      before = [];
    } else before.push(e);
  }
  steps.push({ before });
  return steps;
}

/** Steps of a whole trace with REST calls at their request time. */
export function stepsByRequestTime(trace: Trace): Step[] {
  return interleave(trace.timeline, 'request');
}

/** Timeline entries strictly between two app events (by index into `trace.events`; -1 = start). */
export function between(timeline: TimelineEntry[], fromEvent: number, toEvent: number): TimelineEntry[] {
  const out: TimelineEntry[] = [];
  let inside = fromEvent < 0;
  for (const e of timeline) {
    if (e.kind === 'event') {
      if (e.index === toEvent) break;
      if (e.index === fromEvent) {
        inside = true;
        continue;
      }
    }
    if (inside) out.push(e);
  }
  return out;
}

export interface RestCall {
  seq: number;
  /** When the request was sent. */
  t: string;
  method: string;
  path: string;
  query: Record<string, unknown>;
  /** JSON request body (e.g. POST /channels/{id}/variables), if any. */
  body?: unknown;
  status: number;
  /** Response body; binary downloads appear as `{binary, bytes, sha256, head_hex}`. */
  response: unknown;
  headers: Record<string, string>;
  ms: number;
}

/**
 * The REST exchanges in order. With a normaliser, ids in path, query, request and response
 * bodies are replaced (feed it the events first if you want numbering shared with them).
 */
export function restCalls(trace: Trace, normaliser?: Normaliser): RestCall[] {
  return [...trace.rest].sort((a, b) => a.seq - b.seq).map((r) => {
    const call: RestCall = {
      seq: r.seq,
      t: r.t,
      method: r.method,
      path: r.path,
      query: r.query ?? {},
      status: r.status,
      response: r.body,
      headers: r.headers ?? {},
      ms: r.ms,
    };
    if (r.requestBody !== undefined) call.body = r.requestBody;
    if (!normaliser) return call;
    call.path = normaliser.path(call.path);
    call.query = normaliser.query(call.query);
    if (call.body !== undefined) call.body = normaliser.body(call.body);
    call.response = normaliser.body(call.response);
    return call;
  });
}
