import type { Channel } from './channel.js';

/**
 * PJSIP endpoints: lawyers' desk phones and callback targets. Each has a behaviour the tests set through
 * PUT /sim/endpoints/PJSIP/<resource>. `offline` is an AOR without a contact (Asterisk refuses the originate);
 * `unreachable` is a static contact nobody answers on (the INVITE times out).
 */
export type PhoneBehaviour = 'answer' | 'busy' | 'no-answer' | 'reject' | 'offline' | 'unreachable';

export interface Phone {
  resource: string;
  behaviour: PhoneBehaviour;
  answerAfterMs: number;
  /** When answered, the person on this phone talks; recordings carry their voice. */
  talks: boolean;
  channelIds: Set<string>;
}

export const PHONE_BEHAVIOURS: PhoneBehaviour[] = ['answer', 'busy', 'no-answer', 'reject', 'offline', 'unreachable'];

export class Phones {
  readonly all = new Map<string, Phone>();

  constructor(defaults: string[] = []) {
    for (const r of defaults) this.set(r, { behaviour: 'answer', answerAfterMs: 2000 });
  }

  set(resource: string, p: { behaviour: PhoneBehaviour; answerAfterMs?: number; talks?: boolean }): Phone {
    const prev = this.all.get(resource);
    const phone: Phone = {
      resource,
      behaviour: p.behaviour,
      answerAfterMs: p.answerAfterMs ?? prev?.answerAfterMs ?? 2000,
      talks: p.talks ?? prev?.talks ?? true,
      channelIds: prev?.channelIds ?? new Set(),
    };
    this.all.set(resource, phone);
    return phone;
  }

  get(resource: string): Phone | undefined { return this.all.get(resource); }

  /** ARI endpoint state: a static contact reads online whether or not a phone listens there. */
  endpointJson(p: Phone) {
    return {
      technology: 'PJSIP', resource: p.resource, state: p.behaviour === 'offline' ? 'offline' : 'online',
      channel_ids: [...p.channelIds],
    };
  }

  deviceState(p: Phone): string {
    if (p.behaviour === 'offline') return 'UNAVAILABLE';
    return p.channelIds.size ? 'INUSE' : 'NOT_INUSE';
  }

  attach(p: Phone, ch: Channel): void { p.channelIds.add(ch.id); }

  release(ch: Channel): void {
    for (const p of this.all.values()) p.channelIds.delete(ch.id);
  }
}
