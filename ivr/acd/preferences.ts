// Before a call is offered: whom it goes to first (点名: the lawyer asked for; 首问负责: the owner of the caller's open
// matter) and what it waits for first (a lawyer with the topic's skill, one who speaks the caller's dialect). Lookups
// that fail or are slow are skipped: the call is routed without them rather than held.
import type { Logger } from 'pino';
import type { QueueRequest } from '../port.js';
import { bounded } from './bounded.js';
import { dialectDeadline, skillDeadline, type WaitingCall } from './selection.js';
import type { Agent, CallerDialects, FirstInquiry } from './types.js';

export interface PreferenceOptions {
  firstInquiry?: FirstInquiry;
  dialects?: CallerDialects;
  namedWaitMs: number;
  firstInquiryWaitMs: number;
  skillWaitMs: number;
  dialectWaitMs: number;
  log: Logger;
}

export type Preferences = Pick<WaitingCall, 'skillUntil' | 'preferred' | 'dialect' | 'dialectUntil'>;

export async function preferencesFor(
  o: PreferenceOptions, call: { callId: string; callerNumber: string; line: string; topic?: string; req: QueueRequest }, agents: Agent[], now: number,
): Promise<Preferences> {
  const lookup = <T>(what: string, p: Promise<T> | undefined) => (p ? bounded(p, 1500).catch((err: Error) => {
    o.log.warn({ err: err.message, call: call.callId }, `${what} lookup failed: routing without it`);
    return undefined;
  }) : undefined);
  const [owner, dialect] = await Promise.all([
    call.req.requestedAgent || !call.callerNumber ? undefined : lookup('first-inquiry', o.firstInquiry?.ownerFor(call.callerNumber)),
    call.req.dialect ?? (call.callerNumber ? lookup('dialect', o.dialects?.dialectOf(call.callerNumber)) : undefined),
  ]);
  const out: Preferences = { skillUntil: skillDeadline(agents, call.line, call.topic, now, o.skillWaitMs) };
  let preferred: { staffNo: string; kind: 'named' | 'first-inquiry'; waitMs: number } | undefined;
  if (call.req.requestedAgent) preferred = { staffNo: call.req.requestedAgent, kind: 'named', waitMs: o.namedWaitMs };
  else if (owner) preferred = { staffNo: owner, kind: 'first-inquiry', waitMs: o.firstInquiryWaitMs };
  // A staff number nobody answers to (not a lawyer, left, no phone): straight to the queue.
  if (preferred && agents.some((a) => a.staffNo === preferred.staffNo)) {
    out.preferred = { staffNo: preferred.staffNo, until: now + preferred.waitMs, kind: preferred.kind };
  }
  if (dialect) {
    out.dialect = dialect;
    out.dialectUntil = dialectDeadline(agents, call.line, dialect, now, o.dialectWaitMs);
  }
  return out;
}
