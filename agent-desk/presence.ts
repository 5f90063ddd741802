// What the desk needs from presence, kept small so the desk does not depend on how the ACD stores it. The store is
// the ACD's (ivr/acd/presence.ts): one JSON AgentPresence per lawyer at `<prefix>:presence:<staffNo>`, every change
// published on `<prefix>:presence`, each transition one Lua script, so a lawyer's click can never overwrite a
// `ringing` or `on_call` the ACD wrote a moment earlier, and an expired wrap-up or a dead controller's lease is
// settled before anyone reads it.
import type { Presence, PresenceView } from '../ivr/acd/presence.js';
import type { AgentPresence, PresenceState } from '../ivr/acd/types.js';

export { presenceChannel, presenceKey } from '../ivr/acd/presence.js';

/** The states a person may choose on the desk; ringing, on call and wrap-up are the ACD's to set. */
export const DESK_STATES = ['ready', 'not_ready', 'offline'] as const;
export type DeskState = (typeof DESK_STATES)[number];
export const PRESENCE_STATES: readonly PresenceState[] = ['offline', 'ready', 'not_ready', 'ringing', 'on_call', 'wrap_up'];

export interface DeskPresence {
  /** Presence of each staff number asked for; a lawyer never seen is offline. */
  many(staffNos: readonly string[]): Promise<AgentPresence[]>;
  /**
   * Sets a desk state unless the ACD holds the lawyer in a call (ringing / on_call): then nothing changes and
   * `changed` is false, with the presence that blocked it.
   */
  set(staffNo: string, state: DeskState, reason?: string): Promise<{ changed: boolean; presence: AgentPresence }>;
}

export function parsePresence(raw: string | null | undefined, staffNo?: string): AgentPresence | undefined {
  if (!raw) return undefined;
  try {
    const v = JSON.parse(raw) as Partial<AgentPresence>;
    if (typeof v.staffNo !== 'string' || !PRESENCE_STATES.includes(v.state as PresenceState)) return undefined;
    if (staffNo !== undefined && v.staffNo !== staffNo) return undefined;
    const out: AgentPresence = { staffNo: v.staffNo, state: v.state as PresenceState, since: Number(v.since) || 0, ...(v.reason ? { reason: v.reason } : {}) };
    if (out.state === 'wrap_up' && Number.isFinite(Number(v.wrapUpLeftMs))) out.wrapUpLeftMs = Number(v.wrapUpLeftMs);
    return out;
  } catch {
    return undefined;
  }
}

/** The AgentPresence part of the ACD's view: its claim tokens and leases are none of the browser's business. */
function shown(p: PresenceView, now: number): AgentPresence {
  const out: AgentPresence = { staffNo: p.staffNo, state: p.state, since: p.since, ...(p.reason ? { reason: p.reason } : {}) };
  if (p.state === 'wrap_up' && p.deadline !== undefined) out.wrapUpLeftMs = Math.max(0, p.deadline - now);
  return out;
}

/** The desk's view of the ACD's presence store. */
export class AcdPresence implements DeskPresence {
  constructor(private readonly presence: Presence) {}

  async many(staffNos: readonly string[]): Promise<AgentPresence[]> {
    const all = await this.presence.snapshot(staffNos);
    const now = this.presence.now();
    return staffNos.map((s) => shown(all.get(s) ?? { staffNo: s, state: 'offline', since: 0 }, now));
  }

  async set(staffNo: string, state: DeskState, reason?: string): Promise<{ changed: boolean; presence: AgentPresence }> {
    const r = await this.presence.setState(staffNo, state, reason);
    return { changed: r.changed, presence: shown(r.presence, this.presence.now()) };
  }
}
