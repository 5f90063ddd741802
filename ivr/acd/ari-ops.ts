// The ARI the ACD needs beyond the call port (originate the lawyer's phone, mixing bridges, music on hold), and the
// events of the channels it watches, routed by channel id. It reads the controller's event stream and ari-client;
// it never owns the connection.
import type ari from 'ari-client';
import type { AriEvent } from '../ari/connection.js';

/** Where the ACD gets ARI from: in production the controller (`ariBinding(controller)`). */
export interface AriBinding {
  /** The ari-client REST client while connected. */
  client(): ari.Client | undefined;
  /** Emits 'event' (AriEvent) for the app, and 'connected' after every (re)connect. */
  events: {
    on(name: 'event', fn: (ev: AriEvent) => void): unknown;
    on(name: 'connected', fn: () => void): unknown;
    off(name: 'event', fn: (ev: AriEvent) => void): unknown;
    off(name: 'connected', fn: () => void): unknown;
  };
}

/** The controller as a binding (its connection carries the events, its ari-client the REST). */
export const ariBinding = (controller: { conn: { client?: ari.Client } & AriBinding['events'] }): AriBinding => ({
  client: () => controller.conn.client,
  events: controller.conn,
});

export class AcdAriError extends Error {
  constructor(readonly operation: string, message: string) { super(`${operation}: ${message}`); }
  /** Asterisk could not create the channel (an AOR without contact: the phone is not registered). */
  get allocationFailed(): boolean { return /allocation failed/i.test(this.message); }
  get notFound(): boolean { return /not found|not in a bridge|not in stasis/i.test(this.message); }
  get notConnected(): boolean { return /not connected/i.test(this.message); }
}

type Handler = (ev: AriEvent) => void;

export class AcdAri {
  private readonly handlers = new Map<string, Set<Handler>>();
  private readonly onEvent = (ev: AriEvent) => this.route(ev);

  constructor(private readonly b: AriBinding) {
    b.events.on('event', this.onEvent);
  }

  detach(): void {
    this.b.events.off('event', this.onEvent);
    this.handlers.clear();
  }

  /** Events about one channel (as `channel`, or as the dialled `peer` of a Dial event) until the returned stop. */
  watch(channelId: string, fn: Handler): () => void {
    let set = this.handlers.get(channelId);
    if (!set) this.handlers.set(channelId, (set = new Set()));
    set.add(fn);
    return () => {
      const s = this.handlers.get(channelId);
      s?.delete(fn);
      if (s && !s.size) this.handlers.delete(channelId);
    };
  }

  /** Channels watched now (a finished call must leave none). */
  get watched(): number { return this.handlers.size; }

  /** Acts on an event as if ARI had sent it (one lost while the websocket was down). */
  inject(ev: AriEvent): void { this.route(ev); }

  private route(ev: AriEvent): void {
    const id = ev.type === 'Dial' ? (ev.peer as { id?: string } | undefined)?.id : (ev.channel as { id?: string } | undefined)?.id;
    if (!id) return;
    for (const fn of [...(this.handlers.get(id) ?? [])]) fn(ev);
  }

  private async run<T>(operation: string, fn: (c: ari.Client) => Promise<T>): Promise<T> {
    const c = this.b.client();
    if (!c) throw new AcdAriError(operation, 'not connected to ARI');
    try {
      return await fn(c);
    } catch (err) {
      const text = err instanceof Error ? err.message : String(err);
      let message = text;
      try { const j = JSON.parse(text) as { message?: string; error?: string }; message = j.message ?? j.error ?? text; } catch { /* plain text */ }
      throw new AcdAriError(operation, message);
    }
  }

  /** The lawyer's phone, into our app with args `agent,<callId>` when answered; the id is ours, chosen first. */
  originate(p: { endpoint: string; app: string; callId: string; channelId: string; callerId: string; timeoutSec: number }) {
    return this.run('originate', (c) => c.channels.originate({
      endpoint: p.endpoint, app: p.app, appArgs: `agent,${p.callId}`, callerId: p.callerId, timeout: p.timeoutSec, channelId: p.channelId,
    } as Parameters<ari.Client['channels']['originate']>[0]));
  }

  /** Any channel into our app (a callback's caller leg), with the app args and the id we chose. */
  originateTo(p: { endpoint: string; app: string; appArgs: string; channelId: string; callerId: string; timeoutSec: number }) {
    return this.run('originate', (c) => c.channels.originate(p as Parameters<ari.Client['channels']['originate']>[0]));
  }

  /** Sound to everyone in a bridge (the callback's greeting, heard by the caller and the lawyer alike). */
  playOnBridge(bridgeId: string, media: string, lang = 'zh') {
    return this.run('playOnBridge', (c) => c.bridges.play({ bridgeId, media, lang } as Parameters<ari.Client['bridges']['play']>[0]));
  }

  hangup(channelId: string) { return this.run('hangup', (c) => c.channels.hangup({ channelId, reason: 'normal' })); }
  getChannel(channelId: string) { return this.run('getChannel', (c) => c.channels.get({ channelId })); }
  startMoh(channelId: string, mohClass: string) { return this.run('startMoh', (c) => c.channels.startMoh({ channelId, mohClass })); }
  stopMoh(channelId: string) { return this.run('stopMoh', (c) => c.channels.stopMoh({ channelId })); }
  stopPlayback(playbackId: string) { return this.run('stopPlayback', (c) => c.playbacks.stop({ playbackId })); }
  createBridge(bridgeId: string) { return this.run('createBridge', (c) => c.bridges.create({ type: 'mixing', bridgeId } as { type: string })); }
  addToBridge(bridgeId: string, channels: string[]) { return this.run('addToBridge', (c) => c.bridges.addChannel({ bridgeId, channel: channels })); }
  destroyBridge(bridgeId: string) { return this.run('destroyBridge', (c) => c.bridges.destroy({ bridgeId })); }
  /** A WAV recording of everything said in the bridge (ivr/recording/capture.ts). */
  recordBridge(bridgeId: string, name: string) {
    return this.run('recordBridge', (c) => c.bridges.record({ bridgeId, name, format: 'wav', ifExists: 'fail', beep: false, maxDurationSeconds: 0, maxSilenceSeconds: 0 }));
  }
  /** Muted time is written as silence, so the file's timeline stays true (`pause` would cut it out). */
  muteRecording(recordingName: string) { return this.run('muteRecording', (c) => c.recordings.mute({ recordingName })); }
  unmuteRecording(recordingName: string) { return this.run('unmuteRecording', (c) => c.recordings.unmute({ recordingName })); }
}
