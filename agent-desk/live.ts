// Live pushes to desk browsers. One Redis subscriber per desk process listens to the ACD's DeskEvents
// (`<prefix>:desk`) and presence changes (`<prefix>:presence`); each message goes to the sockets of the lawyer it
// concerns and to every supervisor, never to another lawyer. An offered call carries the caller's earlier work
// orders, so the screen pop shows them before the lawyer says 你好.
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { WebSocket } from 'ws';
import { deskChannel, type AgentPresence, type DeskEvent } from '../ivr/acd/types.js';
import { CallRecord } from '../lib/entities/call-record.js';
import type { Role } from '../lib/entities/staff.js';
import { parseDeskEvent, type Handling } from './handling.js';
import { parsePresence, presenceChannel } from './presence.js';
import type { WorkOrderView } from './schemas.js';
import { callerHistory } from './work-orders.js';

/** What a desk socket receives (JSON text frames). */
export type LiveMessage =
  | { type: 'hello'; staffNo: string; role: Role }
  | { type: 'desk'; event: DeskEvent; history?: WorkOrderView[] }
  | { type: 'presence'; presence: AgentPresence };

interface Client { socket: WebSocket; staffNo: string; role: Role; token: string }

// A browser that stopped reading (asleep laptop) must not make the process buffer without end.
const MAX_BUFFERED = 1 << 20;

export class LiveHub {
  private readonly clients = new Set<Client>();
  private sub: Redis | undefined;
  // Messages are handled one at a time, in the order Redis delivered them: `answered` must not overtake `offered`.
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly o: { redis: Redis; prefix: string; orm: MikroORM; handling: Handling; log: Logger }) {}

  async start(): Promise<void> {
    const sub = this.o.redis.duplicate();
    this.sub = sub;
    sub.on('error', (err: Error) => this.o.log.warn({ err: err.message }, 'desk live updates: redis unavailable'));
    sub.on('message', (channel: string, message: string) => {
      this.chain = this.chain.then(() => this.handle(channel, message)).catch((err: unknown) =>
        this.o.log.error({ err }, 'desk live update failed'));
    });
    await sub.subscribe(deskChannel(this.o.prefix), presenceChannel(this.o.prefix));
  }

  /** Resolves once every message received so far has been handled (tests, shutdown). */
  idle(): Promise<void> { return this.chain; }

  add(socket: WebSocket, user: { staffNo: string; role: Role; token: string }): () => void {
    const { staffNo, role, token } = user;
    const c: Client = { socket, staffNo, role, token };
    this.clients.add(c);
    this.send(c, { type: 'hello', staffNo, role });
    return () => this.clients.delete(c);
  }

  /** Closes the sockets of one login session (logout) in this process. */
  closeSession(token: string): void {
    for (const c of this.clients) if (c.token === token) closeSocket(c.socket, 4001, 'logged out');
  }

  /** Closes every socket of a person in this process (account disabled, role changed). */
  closeFor(staffNo: string): void {
    for (const c of this.clients) if (c.staffNo === staffNo) closeSocket(c.socket, 4001, 'session ended');
  }

  async stop(): Promise<void> {
    for (const c of this.clients) closeSocket(c.socket, 1001, 'server shutting down');
    this.clients.clear();
    await this.chain;
    this.sub?.disconnect();
  }

  private async handle(channel: string, message: string): Promise<void> {
    if (channel === presenceChannel(this.o.prefix)) {
      const presence = parsePresence(message);
      if (presence) this.fanOut(presence.staffNo, { type: 'presence', presence });
      return;
    }
    const event = parseDeskEvent(message);
    if (!event) {
      this.o.log.warn({ channel }, 'ignored a message that is not a DeskEvent');
      return;
    }
    await this.o.handling.apply(event, (callId) => this.callerOf(callId));
    const msg: LiveMessage = { type: 'desk', event };
    if (event.type === 'offered' && this.wants(event.staffNo)) {
      msg.history = await callerHistory(this.o.orm.em.fork(), event.callerNumber).catch((err: unknown) => {
        // The pop without history is still worth showing; the lawyer can search.
        this.o.log.warn({ err }, 'screen pop: could not read the caller history');
        return [];
      });
    }
    this.fanOut(event.staffNo, msg);
  }

  private async callerOf(callId: string): Promise<string | undefined> {
    const r = await this.o.orm.em.fork().findOne(CallRecord, { callId }, { fields: ['callerNumber'] });
    return r?.callerNumber ?? undefined;
  }

  private wants(staffNo: string): boolean {
    for (const c of this.clients) if (c.role === 'supervisor' || c.staffNo === staffNo) return true;
    return false;
  }

  private fanOut(staffNo: string, msg: LiveMessage): void {
    const text = JSON.stringify(msg);
    for (const c of this.clients) if (c.role === 'supervisor' || c.staffNo === staffNo) this.send(c, text);
  }

  private send(c: Client, msg: LiveMessage | string): void {
    if (c.socket.readyState !== c.socket.OPEN) return;
    if (c.socket.bufferedAmount > MAX_BUFFERED) {
      closeSocket(c.socket, 1013, 'too slow');
      return;
    }
    c.socket.send(typeof msg === 'string' ? msg : JSON.stringify(msg));
  }
}

/**
 * A close that cannot hang: ws waits up to 30 s for the browser's closing handshake, and a browser that went away
 * never sends it, which would hold a logged-out session's socket (and a shutdown) open that long.
 */
export function closeSocket(socket: WebSocket, code: number, reason: string, graceMs = 2000): void {
  socket.close(code, reason);
  const timer = setTimeout(() => socket.terminate(), graceMs);
  timer.unref();
  socket.once('close', () => clearTimeout(timer));
}
