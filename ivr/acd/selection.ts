// Who is offered which call: pure functions over the waiting calls and the lawyers' presence, so the rules are
// readable in one place and testable without Redis or ARI.
import type { Agent } from './types.js';

export interface WaitingCall {
  callId: string;
  line: string;
  topic?: string;
  /** 0 normal; above 0 green channel (绿色通道). */
  priority: number;
  /** Arrival order on this controller. */
  seq: number;
  /** Offered only to this lawyer until `until` (点名, 首问负责, or the target of a transfer); then to the queue. */
  preferred?: { staffNo: string; until: number; kind: 'named' | 'first-inquiry' | 'transfer' };
  /** Until then only lawyers with the topic as a skill are offered the call (0: no such restriction). */
  skillUntil: number;
  /** A dialect the caller speaks (粤语, 客家话, ...): until `dialectUntil` only lawyers who speak it. */
  dialect?: string;
  dialectUntil?: number;
}

export interface ReadyAgent { agent: Agent; idle: number }

/** Queue order: priority first (green channel), then arrival. */
export const queueOrder = (a: WaitingCall, b: WaitingCall): number => b.priority - a.priority || a.seq - b.seq;

/** Lawyer order among those who may take a call: longest idle, then more stars, then staff number (stable). */
export const agentOrder = (a: ReadyAgent, b: ReadyAgent): number =>
  a.idle - b.idle || b.agent.stars - a.agent.stars || a.agent.staffNo.localeCompare(b.agent.staffNo);

export const servesLine = (agent: Agent, line: string): boolean => agent.lines.length === 0 || agent.lines.includes(line);

/** May `agent` be offered `call` at time `now`? */
export function eligible(call: WaitingCall, agent: Agent, now: number): boolean {
  // A lawyer the caller asked for (or who owns their matter) is offered the call whatever line they sit on.
  if (call.preferred && now < call.preferred.until) return agent.staffNo === call.preferred.staffNo;
  if (!servesLine(agent, call.line)) return false;
  if (call.dialect && now < (call.dialectUntil ?? 0) && !agent.dialects.includes(call.dialect)) return false;
  if (call.topic && now < call.skillUntil) return agent.skills.includes(call.topic);
  return true;
}

/** Until when a call waits for a lawyer who speaks the caller's dialect: only if somebody on the line does. */
export function dialectDeadline(agents: Agent[], line: string, dialect: string | undefined, now: number, waitMs: number): number {
  if (!dialect) return 0;
  return agents.some((a) => servesLine(a, line) && a.dialects.includes(dialect)) ? now + waitMs : 0;
}

/** Until when a call waits for a lawyer with the topic's skill: only worth waiting if somebody on the line has it. */
export function skillDeadline(agents: Agent[], line: string, topic: string | undefined, now: number, waitMs: number): number {
  if (!topic) return 0;
  return agents.some((a) => servesLine(a, line) && a.skills.includes(topic)) ? now + waitMs : 0;
}

/**
 * One routing pass: every waiting call in queue order is matched with the best lawyer still free in this pass.
 * A call that nobody may take yet does not hold up the calls behind it (they may need other lawyers).
 */
export function assign(calls: WaitingCall[], ready: ReadyAgent[], now: number): Array<{ call: WaitingCall; candidates: Agent[] }> {
  const free = [...ready].sort(agentOrder);
  const out: Array<{ call: WaitingCall; candidates: Agent[] }> = [];
  for (const call of [...calls].sort(queueOrder)) {
    const candidates = free.filter((r) => eligible(call, r.agent, now)).map((r) => r.agent);
    if (candidates.length) out.push({ call, candidates });
  }
  return out;
}
