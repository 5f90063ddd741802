// What the desk asks of the controller that holds a call: published on the Redis channel `<KEY_PREFIX>:acd:commands`
// (JSON). Every controller hears every command and acts only on calls it holds, so the desk never needs to know
// which Asterisk node a call lives on. Pub/sub keeps nothing: a command that no controller hears (none running) is
// reported to the desk at once (PUBLISH counts the listeners), and its outcome comes back as a DeskEvent.
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { SERVICE_LINES, type ServiceLine } from '../records/events.js';

export type AcdCommand =
  /**
   * Hand the caller on (blind transfer): the lawyer's leg is hung up, the caller hears a short notice and music and
   * waits again — at the head of the other line's queue (their arrival time is kept), or for the named lawyer first.
   */
  | { type: 'transfer'; callId: string; by: string; toLine?: ServiceLine; toAgent?: string }
  /** Mute / unmute the call's recording (ivr/recording/capture.ts) while the caller reads out an ID or bank number. */
  | { type: 'recording'; action: 'pause' | 'resume'; callId: string; staffNo: string };

export const commandChannel = (keyPrefix: string) => `${keyPrefix}:acd:commands`;

const text = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= 200;

/** A command from the wire, or undefined (a broken or foreign publisher must not break a controller). */
export function parseCommand(raw: string): AcdCommand | undefined {
  try {
    const v = JSON.parse(raw) as Record<string, unknown>;
    if (v?.type === 'recording') {
      if ((v.action !== 'pause' && v.action !== 'resume') || !text(v.callId) || !text(v.staffNo)) return undefined;
      return { type: 'recording', action: v.action, callId: v.callId, staffNo: v.staffNo };
    }
    if (v?.type !== 'transfer' || !text(v.callId) || !text(v.by)) return undefined;
    const toLine = v.toLine === undefined ? undefined : (SERVICE_LINES as readonly unknown[]).includes(v.toLine) ? v.toLine as ServiceLine : null;
    const toAgent = v.toAgent === undefined ? undefined : text(v.toAgent) ? v.toAgent : null;
    if (toLine === null || toAgent === null || (toLine === undefined) === (toAgent === undefined)) return undefined;
    return { type: 'transfer', callId: v.callId, by: v.by, ...(toLine ? { toLine } : {}), ...(toAgent ? { toAgent } : {}) };
  } catch {
    return undefined;
  }
}

/** Publishes a command; resolves to how many controllers heard it (0: none is running). */
export async function sendCommand(redis: Redis, keyPrefix: string, cmd: AcdCommand): Promise<number> {
  return redis.publish(commandChannel(keyPrefix), JSON.stringify(cmd));
}

/** Listens on its own connection (a subscribed connection can do nothing else); returns the unsubscribe. */
export async function listenForCommands(redis: Redis, keyPrefix: string, log: Logger, fn: (cmd: AcdCommand) => void): Promise<() => Promise<void>> {
  // Queued until connected (the controller's own connection fails fast instead), and resubscribed after a reconnect.
  const sub = redis.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null, autoResubscribe: true });
  sub.on('error', (err: Error) => log.warn({ err: err.message }, 'desk commands: redis unavailable'));
  sub.on('message', (_channel: string, message: string) => {
    const cmd = parseCommand(message);
    if (cmd) fn(cmd);
    else log.warn('ignored a message that is not a desk command');
  });
  await sub.subscribe(commandChannel(keyPrefix));
  return async () => { await sub.quit().catch(() => sub.disconnect()); };
}
