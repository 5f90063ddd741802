import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { World } from './engine/world.js';
import { credentialsOk } from './auth.js';

/**
 * GET /ari/events upgrades to the event stream. One socket per app: a newer one replaces the older, which gets
 * ApplicationReplaced and then nothing. Events for an app without a socket are lost (Asterisk does not queue them).
 */
export class EventSockets {
  readonly wss = new WebSocketServer({ noServer: true });
  readonly sockets = new Set<WebSocket>();

  constructor(private readonly w: World, private readonly user: string, private readonly password: string) {}

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://x');
    const reject = (code: number, text: string, body: string) => {
      socket.write(`HTTP/1.1 ${code} ${text}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
      socket.destroy();
    };
    if (url.pathname !== '/ari/events') return reject(404, 'Not Found', '{"message":"Resource not found"}');
    if (!credentialsOk(req.headers.authorization, url.searchParams.get('api_key'), this.user, this.password)) {
      return reject(401, 'Unauthorized', '{"message":"Authentication required"}');
    }
    const apps = (url.searchParams.getAll('app').join(',')).split(',').map((s) => s.trim()).filter(Boolean);
    if (!apps.length) return reject(400, 'Bad Request', '{"message":"Missing param \'app\'"}');
    const subscribeAll = url.searchParams.get('subscribeAll') === 'true';
    this.wss.handleUpgrade(req, socket, head, (ws) => this.attach(ws, apps, subscribeAll));
  }

  private attach(ws: WebSocket, names: string[], subscribeAll: boolean): void {
    this.sockets.add(ws);
    for (const name of names) {
      const app = this.w.apps.ensure(name);
      const old = app.socket;
      if (old && old !== ws) this.w.apps.send([name], { type: 'ApplicationReplaced' });
      app.socket = ws;
      app.subscribeAll = subscribeAll;
    }
    ws.on('close', () => {
      this.sockets.delete(ws);
      for (const name of names) {
        const app = this.w.apps.get(name);
        if (app?.socket === ws) app.socket = undefined;
      }
    });
    ws.on('error', () => undefined);
  }

  /** Fault injection: every socket of the app (or all) dropped without a close frame, or closed cleanly. */
  kill(mode: 'drop' | 'close', app?: string): number {
    let n = 0;
    for (const ws of [...this.sockets]) {
      const owns = !app || this.w.apps.get(app)?.socket === ws;
      if (!owns) continue;
      if (mode === 'drop') ws.terminate(); else ws.close(1000, 'closed by simulator');
      n++;
    }
    return n;
  }

  rawFrame(frame: string, app?: string): number {
    let n = 0;
    for (const a of this.w.apps.all.values()) {
      if ((app && a.name !== app) || !a.socket) continue;
      a.socket.send(frame);
      n++;
    }
    return n;
  }

  close(): void {
    for (const ws of this.sockets) ws.terminate();
    this.wss.close();
  }
}
