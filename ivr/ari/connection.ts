import { EventEmitter } from 'node:events';
import ari from 'ari-client';
import type { Logger } from 'pino';
import WebSocket from 'ws';
import { Backoff } from './backoff.js';

export interface AriConnectionOptions {
  url: string;
  user: string;
  password: string;
  app: string;
  log: Logger;
  /** Consecutive socket failures after which the ari-client instance is rebuilt (it re-reads api-docs). */
  rebuildAfter?: number;
  backoff?: { initialMs: number; maxMs: number };
  /** Dead-peer detection: ping this often; no pong by the next ping -> the socket is dropped. */
  pingIntervalMs?: number;
}

export type AriEvent = { type: string; [k: string]: unknown };

/**
 * ari-client behind our adapter. ari-client does REST well but its websocket handling kills the process (a 401 is
 * thrown as an uncaught string, an unknown event type or a non-JSON frame throws inside its message handler) and
 * gives up after ten reconnects. So: credentials are checked with our own request before ari-client ever connects,
 * and events come over our own socket, which skips what it cannot read and reconnects forever.
 *
 * Emits: 'connected' (socket open: adopt calls), 'disconnected', 'event' (AriEvent), 'rejected' (credentials).
 */
export class AriConnection extends EventEmitter {
  client?: ari.Client;
  private socket?: WebSocket;
  private stopped = false;
  private knownEvents = new Set<string>();
  private readonly backoff: Backoff;
  private timer?: NodeJS.Timeout;
  private pinger?: NodeJS.Timeout;
  connected = false;

  constructor(private readonly o: AriConnectionOptions) {
    super();
    this.backoff = new Backoff(o.backoff?.initialMs ?? 100, o.backoff?.maxMs ?? 10_000);
  }

  start(): void {
    this.stopped = false;
    void this.attempt();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    clearInterval(this.pinger);
    const s = this.socket;
    this.socket = undefined;
    if (s && s.readyState === WebSocket.OPEN) await new Promise<void>((res) => { s.once('close', () => res()); s.close(); setTimeout(res, 500); });
    else s?.terminate();
  }

  private schedule(): void {
    if (this.stopped) return;
    const ms = this.backoff.next();
    if (this.backoff.failures >= (this.o.rebuildAfter ?? 10) && this.client) {
      this.o.log.warn({ failures: this.backoff.failures }, 'ARI still unreachable: rebuilding the ari-client instance');
      this.client = undefined;
    }
    this.timer = setTimeout(() => void this.attempt(), ms);
  }

  private async attempt(): Promise<void> {
    if (this.stopped) return;
    try {
      if (!this.client) await this.buildClient();
      if (this.stopped) return;
      await this.openSocket();
    } catch (err) {
      this.o.log.warn({ err: (err as Error).message, retryInMs: undefined }, 'ARI connection attempt failed');
      this.schedule();
    }
  }

  private async buildClient(): Promise<void> {
    const auth = 'Basic ' + Buffer.from(`${this.o.user}:${this.o.password}`).toString('base64');
    const res = await fetch(new URL('/ari/asterisk/info?only=system', this.o.url), { headers: { authorization: auth }, signal: AbortSignal.timeout(5000) });
    if (res.status === 401) {
      this.emit('rejected');
      throw new Error(`ARI rejected user "${this.o.user}" (401): check ARI_USER / ARI_PASSWORD and ari.conf`);
    }
    if (!res.ok) throw new Error(`ARI answered ${res.status} to GET /ari/asterisk/info`);
    const client = await ari.connect(this.o.url, this.o.user, this.o.password);
    const models = (client as unknown as { _swagger?: { apis?: { events?: { models?: Record<string, unknown> } } } })._swagger?.apis?.events?.models ?? {};
    this.knownEvents = new Set(Object.keys(models));
    this.client = client;
  }

  private openSocket(): Promise<void> {
    return new Promise((resolve, reject) => {
      const u = new URL(this.o.url);
      const proto = u.protocol === 'https:' ? 'wss:' : 'ws:';
      const url = `${proto}//${u.host}/ari/events?app=${encodeURIComponent(this.o.app)}&api_key=${encodeURIComponent(`${this.o.user}:${this.o.password}`)}`;
      const ws = new WebSocket(url);
      let opened = false;
      ws.on('open', () => {
        opened = true;
        this.socket = ws;
        this.connected = true;
        this.backoff.reset();
        this.startPings(ws);
        this.o.log.info({ app: this.o.app }, 'ARI events connected');
        this.emit('connected');
        resolve();
      });
      ws.on('message', (data) => this.onFrame(String(data)));
      ws.on('unexpected-response', (_req, res) => {
        if (res.statusCode === 401) this.emit('rejected');
        reject(new Error(`ARI events socket refused: HTTP ${res.statusCode}`));
      });
      ws.on('error', (err) => { if (!opened) reject(err); });
      ws.on('close', () => {
        if (!opened) return;
        clearInterval(this.pinger);
        if (this.socket === ws) this.socket = undefined;
        this.connected = false;
        this.emit('disconnected');
        if (!this.stopped) {
          this.o.log.warn('ARI events socket closed: reconnecting');
          this.schedule();
        }
      });
    });
  }

  private startPings(ws: WebSocket): void {
    clearInterval(this.pinger);
    let alive = true;
    ws.on('pong', () => { alive = true; });
    this.pinger = setInterval(() => {
      if (!alive) { this.o.log.warn('ARI events socket silent: dropping it'); ws.terminate(); return; }
      alive = false;
      ws.ping();
    }, this.o.pingIntervalMs ?? 10_000);
  }

  private onFrame(text: string): void {
    let ev: AriEvent;
    try {
      ev = JSON.parse(text);
    } catch {
      this.o.log.warn({ frame: text.slice(0, 200) }, 'ARI sent a frame that is not JSON: skipped');
      return;
    }
    if (!ev || typeof ev.type !== 'string') { this.o.log.warn({ frame: text.slice(0, 200) }, 'ARI frame without a type: skipped'); return; }
    if (this.knownEvents.size && !this.knownEvents.has(ev.type)) {
      this.o.log.warn({ type: ev.type }, 'ARI event type not in its api-docs: skipped');
      return;
    }
    if (ev.type === 'ApplicationReplaced') {
      // Another controller opened a socket for the same app. Taking it straight back would make the two fight;
      // say so loudly and retry slowly.
      this.o.log.error({ app: this.o.app }, 'another process took over the ARI application: backing off');
      for (let i = 0; i < 8; i++) this.backoff.next();
      this.socket?.close();
      return;
    }
    try {
      this.emit('event', ev);
    } catch (err) {
      // A bug in one handler must not take the whole controller (and every call) down.
      this.o.log.error({ err, type: ev.type }, 'handling an ARI event failed');
    }
  }
}
