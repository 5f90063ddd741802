// Contracts between the ACD (ivr/acd/), the desk (agent-desk/) and presence. The ACD routes a queued caller to a
// lawyer; presence lives in Redis so that several controllers and desks agree on who is free.

export type PresenceState = 'offline' | 'ready' | 'not_ready' | 'ringing' | 'on_call' | 'wrap_up';

export interface Agent {
  staffNo: string;
  name: string;
  /** What the ACD rings, e.g. PJSIP/8001. */
  endpoint: string;
  /** Legal topic codes and dialects the lawyer covers. */
  skills: string[];
  dialects: string[];
  /** Service lines answered; empty = all. */
  lines: string[];
  stars: number;
}

export interface AgentPresence {
  staffNo: string; state: PresenceState; reason?: string; since: number;
  /**
   * During wrap-up: how long until the lawyer goes ready again by themselves, as of when this was read. A duration,
   * not a time: the countdown in the browser must not depend on the browser's clock.
   */
  wrapUpLeftMs?: number;
}

/** Lawyers who may take calls (the staff table, cached). */
export interface AgentDirectory {
  agents(): Promise<Agent[]>;
  byStaffNo(staffNo: string): Promise<Agent | undefined>;
}

/** The caller's open matter (首问负责): the lawyer who owns an open work order for this caller number, if any. */
export interface FirstInquiry {
  ownerFor(callerNumber: string): Promise<string | undefined>;
}

/** The dialect a caller is known to speak (their profile), if any. */
export interface CallerDialects {
  dialectOf(callerNumber: string): Promise<string | undefined>;
}

/**
 * What the ACD tells the desk, published on the Redis channel `<KEY_PREFIX>:desk` (JSON), so that any desk process
 * can push it to the lawyer's browser: the screen pop when a call is offered, then answered, then ended.
 */
export type DeskEvent =
  | { type: 'offered'; staffNo: string; callId: string; callerNumber: string; line: string; topic?: string; priority: number;
      green: boolean; requestedAgent?: string; ivrPath: Array<{ node: string; digits?: string }>; at: string }
  | { type: 'answered'; staffNo: string; callId: string; at: string }
  | { type: 'missed'; staffNo: string; callId: string; at: string }
  | { type: 'ended'; staffNo: string; callId: string; at: string }
  /** A transfer the lawyer asked for: carried out (ok) or refused with the reason. */
  | { type: 'transfer'; staffNo: string; callId: string; ok: boolean; reason?: TransferOutcome['reason']; toLine?: string; toAgent?: string; at: string };

export interface TransferOutcome { reason: 'not_talking' | 'already_transferring' | 'same_lawyer' | 'unknown_lawyer' }

export const deskChannel = (keyPrefix: string) => `${keyPrefix}:desk`;
