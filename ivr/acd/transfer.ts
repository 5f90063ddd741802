// Desk transfers (blind): the lawyer hands the caller on to another line's queue or to a named lawyer. The ACD hangs
// up the lawyer's leg; when the conversation has ended, the caller hears a short notice and music and waits again
// at the head of the new queue (their first arrival is kept: a transferred caller has waited already), or for the
// named lawyer alone for a while, then for anyone on the line. The first lawyer goes to wrap-up as after any call and
// keeps the work order (首问负责); the next lawyer sees the caller's history and the same work order.
import type { Logger } from 'pino';
import type { AcdCommand } from './commands.js';
import type { DeskEvents } from './desk-events.js';
import type { Entry } from './entry.js';
import type { AgentDirectory, TransferOutcome } from './types.js';

export interface TransferDeps {
  directory: AgentDirectory;
  desk: DeskEvents;
  log: Logger;
  hangupLeg(legId: string): Promise<void>;
}

/** Starts a transfer the desk asked for; the rest happens when the conversation ends (applyTransfer). */
export async function requestTransfer(d: TransferDeps, e: Entry, cmd: Extract<AcdCommand, { type: 'transfer' }>): Promise<void> {
  const from = e.talkingWith;
  const refuse = (why: TransferOutcome['reason']) => {
    d.log.info({ call: e.callId, by: cmd.by, why }, 'transfer refused');
    d.desk.publish({ type: 'transfer', staffNo: from ?? cmd.by, callId: e.callId, ok: false, reason: why, toLine: cmd.toLine, toAgent: cmd.toAgent, at: new Date().toISOString() });
  };
  if (e.state !== 'talking' || !from || !e.leg || e.gone) return refuse('not_talking');
  if (e.transfer) return refuse('already_transferring');
  if (cmd.toAgent) {
    if (cmd.toAgent === from) return refuse('same_lawyer');
    const target = await d.directory.byStaffNo(cmd.toAgent).catch(() => undefined);
    if (!target) return refuse('unknown_lawyer');
  }
  // Checked again: the caller may have hung up during the directory lookup.
  if (e.state !== 'talking' || e.gone || e.transfer) return refuse('not_talking');
  e.transfer = { from, by: cmd.by, toLine: cmd.toLine, toAgent: cmd.toAgent };
  d.log.info({ call: e.callId, from, toLine: cmd.toLine, toAgent: cmd.toAgent }, 'transferring the caller');
  await d.hangupLeg(e.leg);
}

/**
 * After the conversation with `t.from` ended with the caller still there: put the caller back in a queue.
 * `now` and `transferWaitMs` are the ACD's clock and how long a named target lawyer alone is offered the call.
 */
export function applyTransfer(d: TransferDeps, e: Entry, t: NonNullable<Entry['transfer']>, now: number, transferWaitMs: number): void {
  e.transfer = undefined;
  e.talkingWith = undefined;
  if (t.toLine && t.toLine !== e.line) {
    e.line = t.toLine;
    // The topic was chosen for the old line's lawyers; the new line's skills are its own.
    e.topic = undefined;
  }
  e.skillUntil = 0;
  e.preferred = t.toAgent ? { staffNo: t.toAgent, until: now + transferWaitMs, kind: 'transfer' } : undefined;
  e.overdue = false;
  d.desk.publish({ type: 'transfer', staffNo: t.from, callId: e.callId, ok: true, toLine: t.toLine, toAgent: t.toAgent, at: new Date().toISOString() });
}
