// One routing pass: the waiting calls of this controller (and, for fairness, the other controllers' waiting calls,
// see shared-queue.ts) matched with the lawyers ready now. Each of our calls is offered to its best free lawyer
// whose claim succeeds; a lawyer the selection gives to another controller's call is left alone.
import type { Logger } from 'pino';
import type { Presence } from './presence.js';
import { assign, servesLine, type ReadyAgent, type WaitingCall } from './selection.js';
import type { SharedQueue } from './shared-queue.js';
import type { Agent, AgentDirectory } from './types.js';

/** What a pass needs of a call: the selection's view, the claim token, and whether it still waits. */
export interface Routable extends WaitingCall { token: string; state: string; gone: boolean }

export interface PassDeps<E extends Routable> {
  directory: AgentDirectory;
  presence: Presence;
  shared?: SharedQueue;
  log: Logger;
  now(): number;
  offer(e: E, agent: Agent): void;
}

/** Lawyers not offline per service line (the estimated wait divides by them). */
export type Staffed = Map<string, number>;

export async function routingPass<E extends Routable>(d: PassDeps<E>, entries: Iterable<E>): Promise<Staffed | undefined> {
  const all = [...entries];
  const waiting = all.filter((e) => e.state === 'waiting' && !e.gone);
  const now = d.now();
  let foreign: WaitingCall[] = [];
  if (d.shared?.busy(waiting.length)) {
    foreign = await d.shared.sync(new Map(waiting.map((e) => [e.token, e])), now).catch((err: Error) => {
      d.log.warn({ err: err.message }, 'shared queue unavailable: routing this controller\'s calls on their own');
      return [];
    });
  }
  if (!waiting.length) return undefined;
  const agents = await d.directory.agents();
  const presence = await d.presence.snapshot(agents.map((a) => a.staffNo));
  const ready: ReadyAgent[] = agents.flatMap((agent) => {
    const p = presence.get(agent.staffNo);
    return p?.state === 'ready' ? [{ agent, idle: p.idle ?? p.since }] : [];
  });
  const theirs = new Set(foreign);
  const taken = new Set<string>();
  for (const { call, candidates } of assign([...waiting, ...foreign], ready, now)) {
    if (theirs.has(call)) {
      // Reserved for the other controller's call, which comes first: it claims the lawyer itself.
      const reserved = candidates.find((a) => !taken.has(a.staffNo));
      if (reserved) taken.add(reserved.staffNo);
      continue;
    }
    const e = call as E;
    for (const agent of candidates) {
      if (taken.has(agent.staffNo)) continue;
      if (e.state !== 'waiting' || e.gone) break;
      taken.add(agent.staffNo);
      // Another controller may have rung this lawyer since the snapshot: then try the next one.
      if (!(await d.presence.claim(agent.staffNo, e.token))) continue;
      if ((e.state as string) !== 'waiting' || e.gone) { await d.presence.release(agent.staffNo, e.token); break; }
      d.offer(e, agent);
      break;
    }
  }
  const lines = new Set(all.map((e) => e.line));
  return new Map([...lines].map((line) => [line, agents.filter((a) => servesLine(a, line) && (presence.get(a.staffNo)?.state ?? 'offline') !== 'offline').length]));
}
