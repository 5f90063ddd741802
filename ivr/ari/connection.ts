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
  /** Consecutive failures after which the ari-client instance is rebuilt (it re-reads api-docs). Default 10. */
  rebuildAfter?: number;
  backoff?: { initialMs: number; maxMs: number };
  /** Dead-peer detection: ping this often; no pong by the next ping -> the socket is dropped. */
  pingIntervalMs?: number;
  /** Limit on one connection attempt (HTTP checks, api-docs, websocket handshake). Default 5000. */
  attemptTimeoutMs?: number;
}

export type AriEvent = { type: string; [k: string]: unknown };

/**
 * ari-client behind our adapter. ari-client does REST well but its websocket handling kills the process (a 401 is
 * thrown as an uncaught string, an unknown event type or a non-JSON frame throws inside its message handler) and
 * gives up after ten reconnects. So: credentials are checked with our own request before ari-client ever connects,
 * and events come over our own socket, which skips what it cannot read and reconnects forever (rebuilding the
 * ari-client instance after `rebuildAfter` failures in a row, as when Asterisk restarted with other modules).
 *
 * Emits: 'connected' (socket open: adopt calls), 'disconnected', 'event' (AriEvent), 'rejected' (credentials),
 * 'replaced' (another process took the application over: this connection stands down until start() is called).
 */
export class AriConnection extends EventEmitter {
  client?: ari.Client;
  private socket?: WebSocket;
  /** A socket being opened (stop() must not let it complete). */
  private opening?: WebSocket;
  private stopped = true;
  private standingDown = false;
  private knownEvents = new Set<string>();
  private readonly backoff: Backoff;
  private timer?: NodeJS.Timeout;
  private pinger?: NodeJS.Timeout;
  connected = false;
  private counts = { attempts: 0, rebuilds: 0, rejected: 0, skippedFrames: 0 };

  constructor(private readonly o: AriConnectionOptions) {
    super();
    this.backoff = new Backoff(o.backoff?.initialMs ?? 100, o.backoff?.maxMs ?? 10_000);
  }

  /** Connection attempts so far, ari-client (re)builds, 401 answers, frames skipped; consecutive failures now. */
  get stats() { return { ...this.counts, failures: this.backoff.failures }; }
  /** True after ApplicationReplaced: another process owns the application; nothing is retried until start(). */
  get replaced(): boolean { return this.standingDown; }

  start(): void {
    if (!this.stopped && !this.standingDown) return;
    this.stopped = false;
    this.standingDown = false;
    clearTimeout(this.timer);
    void this.attempt();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    clearInterval(this.pinger);
    this.opening?.terminate();
    this.opening = undefined;
    const s = this.socket;
    this.socket = undefined;
    if (s && s.readyState === WebSocket.OPEN) {
      await new Promise<void>((res) => {
        const t = setTimeout(() => { s.terminate(); res(); }, 500);
        s.once('close', () => { clearTimeout(t); res(); });
        s.close();
      });
    } else s?.terminate();
  }

  private schedule(): void {
    if (this.stopped || this.standingDown) return;
    clearTimeout(this.timer);
    const ms = this.backoff.next();
    if (this.backoff.failures >= (this.o.rebuildAfter ?? 10) && this.client) {
      this.o.log.warn({ failures: this.backoff.failures }, 'ARI still unreachable: the ari-client instance will be rebuilt');
      this.client = undefined;
    }
    this.timer = setTimeout(() => void this.attempt(), ms);
  }

  private async attempt(): Promise<void> {
    if (this.stopped || this.standingDown) return;
    this.counts.attempts++;
    try {
      if (!this.client) await this.buildClient();
      if (this.stopped || this.standingDown) return;
      await this.openSocket();
    } catch (err) {
      if (this.stopped || this.standingDown) return;
      const rejected = err instanceof CredentialsRejected;
      // A refused password is an operator's mistake: say so at error level, every time, and keep trying (the
      // password may be fixed in ari.conf without restarting us).
      const fields = { err: (err as Error).message, failures: this.backoff.failures + 1, url: this.o.url, app: this.o.app };
      if (rejected) this.o.log.error(fields, 'ARI refused our credentials: retrying');
      else this.o.log.warn(fields, 'ARI connection attempt failed: retrying');
      this.schedule();
    }
  }

  private async buildClient(): Promise<void> {
    const auth = 'Basic ' + Buffer.from(`${this.o.user}:${this.o.password}`).toString('base64');
    const timeout = this.o.attemptTimeoutMs ?? 5000;
    const res = await fetch(new URL('/ari/asterisk/info?only=system', this.o.url), { headers: { authorization: auth }, signal: AbortSignal.timeout(timeout) });
    await res.body?.cancel().catch(() => undefined);
    if (res.status === 401) throw this.rejected();
    if (!res.ok) throw new Error(`ARI answered ${res.status} to GET /ari/asterisk/info`);
    // ari-client rejects its promise for most failures, but a hung api-docs request would hang it: bound it.
    let timer: NodeJS.Timeout | undefined;
    const client = await Promise.race([
      ari.connect(this.o.url, this.o.user, this.o.password),
      new Promise<never>((_, rej) => { timer = setTimeout(() => rej(new Error('ari-client connect timed out')), timeout); }),
    ]).finally(() => clearTimeout(timer));
    const models = (client as unknown as { _swagger?: { apis?: { events?: { models?: Record<string, unknown> } } } })._swagger?.apis?.events?.models ?? {};
    this.knownEvents = new Set(Object.keys(models));
    this.client = client;
    this.counts.rebuilds++;
  }

  private rejected(): CredentialsRejected {
    this.counts.rejected++;
    this.emit('rejected');
    return new CredentialsRejected(`ARI rejected user "${this.o.user}" (401): check ARI_USER / ARI_PASSWORD against ari.conf`);
  }

  private openSocket(): Promise<void> {
    return new Promise((resolve, reject) => {
      const u = new URL(this.o.url);
      const proto = u.protocol === 'https:' ? 'wss:' : 'ws:';
      const url = `${proto}//${u.host}/ari/events?app=${encodeURIComponent(this.o.app)}&api_key=${encodeURIComponent(`${this.o.user}:${this.o.password}`)}`;
      const ws = new WebSocket(url, { handshakeTimeout: this.o.attemptTimeoutMs ?? 5000 });
      this.opening = ws;
      let opened = false;
      ws.on('open', () => {
        if (this.opening === ws) this.opening = undefined;
        if (this.stopped || this.standingDown) { ws.terminate(); reject(new Error('stopped')); return; }
        opened = true;
        this.socket = ws;
        this.connected = true;
        this.backoff.reset();
        this.startPings(ws);
        this.o.log.info({ app: this.o.app }, 'ARI events connected');
        this.emit('connected');
        resolve();
      });
      ws.on('message', (data) => this.onFrame(String(data), ws));
      ws.on('unexpected-response', (req, res) => {
        req.destroy();
        if (this.opening === ws) this.opening = undefined;
        reject(res.statusCode === 401 ? this.rejected() : new Error(`ARI events socket refused: HTTP ${res.statusCode}`));
      });
      ws.on('error', (err) => {
        if (this.opening === ws) this.opening = undefined;
        if (!opened) reject(err);
      });
      ws.on('close', () => {
        if (this.opening === ws) this.opening = undefined;
        if (!opened) { reject(new Error('ARI events socket closed during the handshake')); return; }
        if (this.socket !== ws) return; // an old socket (stopped, replaced): nothing to do
        clearInterval(this.pinger);
        this.socket = undefined;
        this.connected = false;
        this.emit('disconnected');
        if (!this.stopped && !this.standingDown) {
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
      if (ws.readyState !== WebSocket.OPEN) return;
      if (!alive) { this.o.log.warn('ARI events socket silent: dropping it'); ws.terminate(); return; }
      alive = false;
      try { ws.ping(); } catch { ws.terminate(); }
    }, this.o.pingIntervalMs ?? 10_000);
  }

  private onFrame(text: string, from: WebSocket): void {
    // Frames of a socket we already left behind (a late one from a replaced or closed socket) are not ours to act on.
    if (from !== this.socket) return;
    let ev: AriEvent;
    try {
      ev = JSON.parse(text);
    } catch {
      this.counts.skippedFrames++;
      this.o.log.warn({ frame: text.slice(0, 200) }, 'ARI sent a frame that is not JSON: skipped');
      return;
    }
    if (!ev || typeof ev !== 'object' || typeof ev.type !== 'string') {
      this.counts.skippedFrames++;
      this.o.log.warn({ frame: text.slice(0, 200) }, 'ARI frame without a type: skipped');
      return;
    }
    if (this.knownEvents.size && !this.knownEvents.has(ev.type)) {
      this.counts.skippedFrames++;
      this.o.log.warn({ type: ev.type }, 'ARI event type not in its api-docs: skipped');
      return;
    }
    if (ev.type === 'ApplicationReplaced') {
      // Another process opened a socket for our application and Asterisk now sends everything there. Taking it back
      // would make the two fight (each reconnect replaces the other); this one stands down instead, loudly, and
      // hands its calls over (the 'replaced' listener detaches them so that the new owner adopts them).
      this.o.log.error({ app: this.o.app }, 'another process took over the ARI application: standing down (restart this one to take it back)');
      this.standingDown = true;
      clearTimeout(this.timer);
      clearInterval(this.pinger);
      this.socket = undefined;
      this.connected = false;
      from.terminate();
      this.emit('disconnected');
      this.emit('replaced');
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

export class CredentialsRejected extends Error {}
