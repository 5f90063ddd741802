// Shared steps for the ivr-paths-*.test.ts files: a caller walking the 12348 flow through pbx-sim, and what the call
// left behind (what was heard, the call record, the call_ledger row).
import type { Test } from 'tap';
import { sleep } from './sim.js';
import type { TestHotline } from './hotline.js';

/** What every caller hears first, before the main menu. */
export const GREETING = ['greeting', 'recording-notice', 'green-channel-offer'] as const;
export const MOH = 'moh:default';

/** The stable reporting interface: exactly these columns (README, issue 3). */
export const LEDGER_COLUMNS = [
  'call_id', 'caller_number', 'service_line', 'legal_topic', 'flow_revision', 'arrived_at', 'answered_at', 'ended_at',
  'end_reason', 'priority',
] as const;

export interface PathStep { node: string; type: string; outcome: string | null; digits?: string }

export interface Finished {
  record: Record<string, any>;
  ledger: Record<string, any> | undefined;
  heard: string[];
  /** `node` or `node:outcome`, with `[digits]` when the caller keyed something there. */
  path: string[];
}

/** The assertions the helpers use (a tap Test). */
export type Asserts = Pick<Test, 'same' | 'ok'>;

export const step = (s: PathStep): string => `${s.node}:${s.outcome}${s.digits !== undefined ? `[${s.digits}]` : ''}`;

/** Waits for the call record (the call has ended and its events are applied), then reads the ledger and the heard list. */
export async function finished(h: TestHotline, id: string): Promise<Finished> {
  await h.waitEnded(id);
  const record = await h.record(id);
  const ledger = await h.ledger(id);
  const heard = await h.heard(id);
  return { record, ledger, heard, path: (record.path as PathStep[]).map(step) };
}

/** The ledger row is the record's columns, no more and no less. */
export function checkLedger(t: Asserts, f: Finished): void {
  t.ok(f.ledger, 'the call is in call_ledger');
  if (!f.ledger) return;
  t.same(Object.keys(f.ledger).sort(), [...LEDGER_COLUMNS].sort(), 'call_ledger columns');
  const want = Object.fromEntries(LEDGER_COLUMNS.map((c) => [c, f.record[c]]));
  t.same(f.ledger, want, 'call_ledger row matches the call record');
}

/** Waits until the caller hears `media` (the n-th time), then presses `keys`. */
export async function pressAt(h: TestHotline, id: string, media: string, keys: string, nth = 1): Promise<void> {
  await h.waitHeard(id, media, nth);
  await h.press(id, keys);
}

/** Waits until the caller is in the holding queue (music on hold) and hangs up there. */
export async function hangUpInQueue(h: TestHotline, id: string): Promise<void> {
  await h.waitHeard(id, MOH);
  await h.hangup(id);
}

/** The name the voicemail node gives a message (flows/nodes/voicemail.ts). */
export const voicemailName = (id: string, node: string) => `voicemail-${id}-${node}`.replace(/[^\w.-]/g, '_');

/** Waits until the simulator is recording `name` (after the prompt and the beep). */
export async function waitRecording(h: TestHotline, name: string, timeoutMs = 15000): Promise<void> {
  const end = Date.now() + timeoutMs;
  const auth = 'Basic ' + Buffer.from('hotline:hotline').toString('base64');
  while (Date.now() < end) {
    const r = await fetch(`${h.sim.url}/ari/recordings/live/${encodeURIComponent(name)}`, { headers: { authorization: auth } });
    const body = (await r.json().catch(() => undefined)) as { state?: string } | undefined;
    if (r.ok && body?.state === 'recording') return;
    await sleep(5);
  }
  throw new Error(`timed out waiting for the recording ${name}`);
}

/** A stored recording as the simulator (Asterisk) lists it, or undefined. */
export async function storedRecording(h: TestHotline, name: string): Promise<Record<string, any> | undefined> {
  const auth = 'Basic ' + Buffer.from('hotline:hotline').toString('base64');
  const r = await fetch(`${h.sim.url}/ari/recordings/stored/${encodeURIComponent(name)}`, { headers: { authorization: auth } });
  return r.ok ? ((await r.json()) as Record<string, any>) : undefined;
}

/** The caller talks for `ms` of call time, and the test waits until they are done. */
export async function speak(h: TestHotline, id: string, ms: number): Promise<void> {
  await h.say(id, ms);
  await sleep(ms / h.scale + 30);
}

/** A stored recording's audio: its length and how much of it is not silence (8 kHz 16-bit mono WAV). */
export async function recordingAudio(h: TestHotline, name: string): Promise<{ durationMs: number; voicedMs: number } | undefined> {
  const auth = 'Basic ' + Buffer.from('hotline:hotline').toString('base64');
  const r = await fetch(`${h.sim.url}/ari/recordings/stored/${encodeURIComponent(name)}/file`, { headers: { authorization: auth } });
  if (!r.ok) return undefined;
  const wav = Buffer.from(await r.arrayBuffer());
  const data = wav.subarray(44);
  let voiced = 0;
  for (let i = 0; i + 1 < data.length; i += 2) if (data.readInt16LE(i) !== 0) voiced++;
  return { durationMs: (data.length / 2 / 8000) * 1000, voicedMs: (voiced / 8000) * 1000 };
}
