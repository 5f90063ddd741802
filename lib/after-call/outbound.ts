// An outbound announcement call through ARI: ring a number, play prompts when answered, hang up, and say how it went
// (answered / no_answer / busy / failed). The channel enters our Stasis app with appArgs `<purpose>,<ref>`; the
// IVR controller only runs flows for `inbound` channels and leaves these alone. Events come from the controller's
// connection (ivr/acd/ari-ops.ts AriBinding), so no second websocket is opened.
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { AriEvent } from '../../ivr/ari/connection.js';
import type { AriBinding } from '../../ivr/acd/ari-ops.js';

export type OutboundOutcome = 'answered' | 'no_answer' | 'busy' | 'failed';

export interface OutboundOptions {
  app: string;
  /** Dial string for a number: `PJSIP/{number}@trunk` in production; `PJSIP/{number}` on pbx-sim. */
  endpoint: string;
  callerId: string;
  ringTimeoutMs: number;
  lang: string;
  log: Logger;
}

export interface OutboundResult { outcome: OutboundOutcome; channelId: string; played: boolean; detail?: string }

export class OutboundCaller {
  constructor(private readonly b: AriBinding, private readonly o: OutboundOptions) {}

  dialString(number: string): string {
    if (!/^\+?[0-9]{3,20}$/.test(number)) throw new Error(`not a phone number: ${JSON.stringify(number)}`);
    return this.o.endpoint.replace('{number}', number);
  }

  place(number: string, prompts: string[], purpose: string, ref: string): Promise<OutboundResult> {
    const client = this.b.client();
    const channelId = `${purpose}-${ref}-${randomBytes(3).toString('hex')}`;
    if (!client) return Promise.resolve({ outcome: 'failed', channelId, played: false, detail: 'not connected to ARI' });
    const playbackId = `${channelId}-pb`;
    return new Promise<OutboundResult>((resolve) => {
      let done = false;
      let answered = false;
      const finish = (r: Omit<OutboundResult, 'channelId'>) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        this.b.events.off('event', onEvent);
        resolve({ ...r, channelId });
      };
      const hangup = () => client.channels.hangup({ channelId, reason: 'normal' }).catch(() => undefined);
      const timer = setTimeout(() => { void hangup(); finish({ outcome: 'no_answer', played: false, detail: 'ring timeout' }); }, this.o.ringTimeoutMs);
      const onEvent = (ev: AriEvent) => {
        const ch = (ev.type === 'Dial' ? ev.peer : ev.channel) as { id?: string } | undefined;
        const pb = ev.playback as { id?: string; state?: string } | undefined;
        if (pb?.id === playbackId && ev.type === 'PlaybackFinished') {
          void hangup();
          finish({ outcome: 'answered', played: pb.state !== 'failed', ...(pb.state === 'failed' ? { detail: 'playback failed' } : {}) });
          return;
        }
        if (ch?.id !== channelId) return;
        if (ev.type === 'StasisStart' && !answered) {
          answered = true;
          clearTimeout(timer);
          client.channels.play({ channelId, playbackId, media: prompts.map((p) => `sound:${p}`).join(','), lang: this.o.lang } as never)
            .catch((err: Error) => { void hangup(); finish({ outcome: 'answered', played: false, detail: `play: ${err.message}` }); });
          return;
        }
        if (ev.type === 'Dial') {
          const s = String(ev.dialstatus ?? '');
          if (s === 'BUSY') finish({ outcome: 'busy', played: false });
          else if (s === 'NOANSWER') finish({ outcome: 'no_answer', played: false });
          else if (s === 'CHANUNAVAIL' || s === 'CONGESTION') finish({ outcome: 'failed', played: false, detail: s });
          return;
        }
        if (ev.type === 'ChannelDestroyed' || ev.type === 'StasisEnd') {
          // Hung up by the callee while the prompts played: answered, heard in part.
          if (answered) { finish({ outcome: 'answered', played: false, detail: 'hung up during the message' }); return; }
          const cause = Number(ev.cause);
          finish(cause === 17 || cause === 21 ? { outcome: 'busy', played: false } : cause === 19 || cause === 18 || cause === 16 ? { outcome: 'no_answer', played: false } : { outcome: 'failed', played: false, detail: `cause ${cause}` });
        }
      };
      this.b.events.on('event', onEvent);
      let endpoint: string;
      try {
        endpoint = this.dialString(number);
      } catch (err) {
        finish({ outcome: 'failed', played: false, detail: (err as Error).message });
        return;
      }
      client.channels.originate({
        endpoint, app: this.o.app, appArgs: `${purpose},${ref}`, callerId: this.o.callerId, timeout: Math.ceil(this.o.ringTimeoutMs / 1000) + 5, channelId,
      } as Parameters<typeof client.channels.originate>[0]).catch((err: Error) => {
        this.o.log.warn({ err: err.message, purpose, ref }, 'outbound call could not be placed');
        finish({ outcome: 'failed', played: false, detail: err.message });
      });
    });
  }
}
