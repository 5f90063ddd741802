// Instruments for the controller-robustness tests (test/ivr-hangup*, ivr-resilience*, ivr-connection*): a timer
// wrapper that counts live timers, a recorder that can act the moment a node is entered, log capture, a controller
// built like the harness's but with these instruments, and a guard against unhandled rejections.
import type { Test } from 'tap';
import pino, { type Logger } from 'pino';
import { scaledTimers, type TimerHandle, type Timers } from '../../flows/timers.js';
import type { Calendar } from '../../flows/types.js';
import { Controller, type CallRecorder, type ControllerOptions } from '../../ivr/controller.js';
import { databaseLookups } from '../../ivr/lookups.js';
import { CallEvents } from '../../ivr/records/recorder.js';
import type { CallInfo } from '../../ivr/port.js';
import type { TestHotline } from './hotline.js';
import { until } from './sim.js';

/** Timers that know how many are still set (fired or cleared ones are not). */
export class CountingTimers implements Timers {
  private readonly live = new Set<{ h?: TimerHandle }>();
  constructor(private readonly inner: Timers) {}
  get size(): number { return this.live.size; }
  now(): number { return this.inner.now(); }
  setTimer(ms: number, fn: () => void): TimerHandle {
    const box: { h?: TimerHandle } = {};
    box.h = this.inner.setTimer(ms, () => { this.live.delete(box); fn(); });
    this.live.add(box);
    return box;
  }
  clearTimer(handle: TimerHandle): void {
    const box = handle as { h?: TimerHandle };
    if (!this.live.delete(box)) return;
    this.inner.clearTimer(box.h);
  }
}

/** The harness's recorder, plus a hook called synchronously when a call enters a node. */
export class ProbeRecorder implements CallRecorder {
  onNodeEntered?: (callId: string, node: string) => void;
  constructor(readonly inner: CallEvents) {}
  arrived(call: CallInfo, flow: { name: string; revision: number }) { this.inner.arrived(call, flow); }
  node(callId: string, e: { node: string; type: string; outcome?: string; option?: string; entries?: string[] }) {
    this.inner.node(callId, e);
    if (e.outcome === undefined) this.onNodeEntered?.(callId, e.node);
  }
  tagged(callId: string, key: string, value: string | number | boolean) { this.inner.tagged(callId, key, value); }
  queued(callId: string, q: { serviceLine: string; legalTopic?: string; priority?: number; requestedAgent?: string }) {
    this.inner.queued(callId, q as Parameters<CallEvents['queued']>[1]);
  }
  answered(callId: string, agent: string) { this.inner.answered(callId, agent); }
  ended(callId: string, reason: Parameters<CallRecorder['ended']>[1]) { this.inner.ended(callId, reason); }
}

export interface LogLine { level: number; msg: string; [k: string]: unknown }

/** A pino logger whose lines land in `lines` (parsed). */
export function captureLog(level = 'debug'): { log: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const log = pino({ level }, { write: (s: string) => { lines.push(JSON.parse(s) as LogLine); } });
  return { log, lines };
}

export interface Probe { controller: Controller; timers: CountingTimers; recorder: ProbeRecorder; lines: LogLine[] }

/**
 * A controller on the harness's simulator, flows, sink and Redis, like TestHotline.startController() makes, with
 * counting timers, a probe recorder, captured logs and any option overridden. Stop it before h.close().
 */
export async function probeController(
  h: TestHotline,
  o: Partial<ControllerOptions> & { open?: () => boolean; connect?: boolean } = {},
): Promise<Probe> {
  const timers = new CountingTimers(scaledTimers(h.scale));
  const recorder = new ProbeRecorder(new CallEvents(h.sink));
  const { log, lines } = captureLog();
  const calendar: Calendar = { isOpen: () => (o.open ? o.open() : true) };
  const controller = new Controller({
    ari: { url: h.sim.url, user: 'hotline', password: 'hotline', app: 'hotline' },
    log, flows: h.flows, recorder, calendar, redis: h.redis, keyPrefix: h.prefix, lookups: databaseLookups(h.orm), timers,
    ...o,
  });
  controller.start();
  if (o.connect !== false) await until(() => controller.conn.connected, 'probe controller connected');
  return { controller, timers, recorder, lines };
}

/**
 * Watches the process for unhandled rejections and uncaught exceptions from here on; check(t) asserts there were
 * none (and forgets what it reported).
 */
export function guardProcess(t: Test): { check(t: Test): void } {
  const seen: unknown[] = [];
  const on = (e: unknown) => { seen.push(e); };
  process.on('unhandledRejection', on);
  process.on('uncaughtException', on);
  t.teardown(() => {
    process.off('unhandledRejection', on);
    process.off('uncaughtException', on);
  });
  return {
    check(tt: Test) {
      const list = seen.splice(0).map((e) => (e instanceof Error ? e.stack ?? e.message : String(e)));
      tt.same(list, [], 'no unhandled rejection or uncaught exception');
    },
  };
}

/** Rows of call_record for a call (there must be exactly one). */
export async function records(h: TestHotline, id: string): Promise<Array<Record<string, any>>> {
  return h.sql('select * from call_record where call_id = ?', [id]);
}

/** Node ids of a record's path, in order. */
export const pathNodes = (r: Record<string, any>): string[] => (r.path as Array<{ node: string }>).map((s) => s.node);
