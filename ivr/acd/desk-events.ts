// The screen pop and its follow-ups, published on `<prefix>:desk` for whichever desk process serves the lawyer.
// Fire and forget: a Redis hiccup loses a pop, never a call.
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { deskChannel, type DeskEvent } from './types.js';

export class DeskEvents {
  constructor(private readonly redis: Redis, private readonly keyPrefix: string, private readonly log: Logger) {}

  publish(ev: DeskEvent): void {
    this.redis.publish(deskChannel(this.keyPrefix), JSON.stringify(ev)).catch((err: Error) => {
      this.log.warn({ err: err.message, type: ev.type, staffNo: ev.staffNo }, 'desk event not published');
    });
  }
}
