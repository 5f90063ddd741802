import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ari from 'ari-client';
import { startSim, type Sim, type SimOptions } from '../../pbx-sim/server.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** A simulator on a free port with its own recordings folder. */
export async function testSim(opts: Partial<SimOptions> = {}): Promise<Sim> {
  return startSim({
    host: '127.0.0.1', port: 0, timeScale: 1,
    soundsDirs: [path.join(ROOT, 'sounds')],
    recordingsDir: mkdtempSync(path.join(os.tmpdir(), 'sim-rec-')),
    ...opts,
  });
}

/** ari-client connected to the simulator, exactly as to a real Asterisk. */
export async function connectAri(sim: Sim, app = 'hotline', user = 'hotline', password = 'hotline') {
  const client = await ari.connect(sim.url, user, password);
  await client.start(app);
  return client;
}

/** JSON request to the simulator's control API or ARI. */
export async function call(sim: Sim, method: string, url: string, body?: unknown, auth = true) {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (auth && url.startsWith('/ari')) headers.authorization = 'Basic ' + Buffer.from('hotline:hotline').toString('base64');
  const res = await fetch(sim.url + url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let json: unknown;
  try { json = text ? JSON.parse(text) : undefined; } catch { json = text; }
  return { status: res.status, body: json as any, headers: res.headers };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until pred() holds, polling; fails with the label after timeoutMs. */
export async function until(pred: () => boolean | Promise<boolean>, label: string | (() => string), timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await pred()) return;
    await sleep(5);
  }
  throw new Error(`timed out waiting for ${typeof label === 'function' ? label() : label}`);
}
