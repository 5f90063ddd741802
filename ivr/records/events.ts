// The call events the IVR controller emits. The call path never writes the database: it emits these (through
// CallEventSink, emitter.ts) and the applier (applier.ts) folds them into one call_record row per call.
// Every event carries the call id (the ARI channel id of the inbound leg), a per-call `seq` that increases by one
// per event, and `at` (ISO 8601, when it happened on the controller). `seq` is what makes applying idempotent:
// the applier stores the last seq it applied per call and ignores anything at or below it. A session numbers its
// events from sessionSeqBase() (wall-clock based), so a controller that takes over a call after a restart
// continues above whatever the lost session used without having to know it.
import { z } from 'zod';

export const SERVICE_LINES = ['consultation', 'application', 'appointment', 'supervision', 'complaint', 'operator'] as const;
export type ServiceLine = (typeof SERVICE_LINES)[number];

/**
 * Why a call ended (a closed set, enforced by a check constraint):
 * - caller_hangup: the caller hung up before the flow finished (at a menu, in a prompt, while queued counts as
 *   abandoned_in_queue instead).
 * - completed: the flow ran to its end (conversation, survey, goodbye).
 * - abandoned_in_queue: the caller hung up while waiting for a person.
 * - voicemail: the call ended after leaving a message (in or out of hours).
 * - after_hours: the after-hours announcement played and the call ended without a message.
 * - transferred: handed off outside the hotline (transfer node).
 * - error: the controller gave up on the call (ARI failure, flow error) and hung it up.
 * - not_reached: a callback call the centre placed that the caller did not answer.
 * - controller_lost: no controller saw the end of the call (it died and the call was gone when one came back);
 *   set by the applier's sweep of calls left open for hours, or by an adopting controller.
 */
export const END_REASONS = [
  'caller_hangup',
  'completed',
  'abandoned_in_queue',
  'voicemail',
  'after_hours',
  'transferred',
  'error',
  'controller_lost',
  'not_reached',
] as const;
export type EndReason = (typeof END_REASONS)[number];

export type TagValue = string | number | boolean;
export type SurveyRating = 1 | 2 | 3;

interface EventBase {
  callId: string;
  /** Consecutive per session, from sessionSeqBase(); a later session (adoption) starts higher. */
  seq: number;
  /** ISO 8601 time the event happened. */
  at: string;
}

export type CallEventBody =
  /** First event of a session (the applier accepts it across a seq gap: nothing of the session precedes it). */
  | { type: 'arrived'; callerNumber: string; calledNumber: string; flowName: string; flowRevision: number }
  /**
   * First event of a session that took over a call it did not start (controller restart, another instance) and
   * resumes it without a new `arrived`. Accepted across the gap left by events that died with the old process.
   */
  | { type: 'adopted' }
  | { type: 'node_entered'; node: string; nodeType: string }
  /** `outcome` is the branch taken (done, digits, timeout, invalid, noMatch, error, answered, ...). */
  | { type: 'node_left'; node: string; nodeType: string; outcome: string; digits?: string }
  /** Keys serviceLine, legalTopic, priority, requestedAgent, surveyRating fill their columns; all land in tags. */
  | { type: 'tagged'; key: string; value: TagValue }
  | { type: 'queued'; serviceLine: ServiceLine; legalTopic?: string; priority?: number; requestedAgent?: string }
  | { type: 'answered'; agent: string }
  /** The lawyer (or a supervisor for them) handed the caller on: to another line's queue or to a named lawyer. */
  | { type: 'transferred'; from: string; by: string; toLine?: ServiceLine; toAgent?: string }
  | { type: 'survey_rated'; rating: SurveyRating }
  | { type: 'voicemail_recorded'; recording: string }
  | { type: 'ended'; reason: EndReason };

export type CallEvent = EventBase & CallEventBody;
export type CallEventType = CallEvent['type'];

/** Where a session's seqs start: above any earlier session's of the same call, as long as clocks agree to a second. */
export function sessionSeqBase(nowMs = Date.now()): number {
  // Microsecond-sized steps leave 1,000 seqs per elapsed millisecond between two sessions of one call; ~1.8e15
  // today, well inside Number.MAX_SAFE_INTEGER (9e15) and PostgreSQL bigint.
  return Math.floor(nowMs) * 1000;
}

// Schema for what the applier reads back from Redis: anything else (a bug, a foreign writer) is set aside, never
// allowed to wedge the applier.
const text = z.string().min(1).max(200);
const base = {
  callId: text,
  seq: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  at: z.iso.datetime({ offset: true }),
};
const eventSchema = z.discriminatedUnion('type', [
  z.object({ ...base, type: z.literal('arrived'), callerNumber: z.string().max(64), calledNumber: z.string().max(64),
    flowName: text, flowRevision: z.number().int().nonnegative() }),
  z.object({ ...base, type: z.literal('adopted') }),
  z.object({ ...base, type: z.literal('node_entered'), node: text, nodeType: text }),
  z.object({ ...base, type: z.literal('node_left'), node: text, nodeType: text, outcome: text,
    digits: z.string().max(64).optional() }),
  z.object({ ...base, type: z.literal('tagged'), key: text, value: z.union([z.string().max(500), z.number(), z.boolean()]) }),
  z.object({ ...base, type: z.literal('queued'), serviceLine: z.enum(SERVICE_LINES), legalTopic: text.optional(),
    priority: z.number().int().min(0).max(1000).optional(), requestedAgent: text.optional() }),
  z.object({ ...base, type: z.literal('answered'), agent: text }),
  z.object({ ...base, type: z.literal('transferred'), from: text, by: text, toLine: z.enum(SERVICE_LINES).optional(),
    toAgent: text.optional() }),
  z.object({ ...base, type: z.literal('survey_rated'), rating: z.union([z.literal(1), z.literal(2), z.literal(3)]) }),
  z.object({ ...base, type: z.literal('voicemail_recorded'), recording: text }),
  z.object({ ...base, type: z.literal('ended'), reason: z.enum(END_REASONS) }),
]);

/** Parses one event as stored in the stream; returns the reason instead of throwing. */
export function parseCallEvent(json: string): { ok: true; event: CallEvent } | { ok: false; error: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (e) {
    return { ok: false, error: `not JSON: ${(e as Error).message}` };
  }
  const r = eventSchema.safeParse(raw);
  if (!r.success) return { ok: false, error: r.error.issues.map((i) => `${i.path.join('.') || '(event)'}: ${i.message}`).join('; ') };
  return { ok: true, event: r.data as CallEvent };
}
