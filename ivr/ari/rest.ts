import type ari from 'ari-client';

/** A failed ARI request, with Asterisk's message (ari-client gives the body text, not the status). */
export class AriRequestError extends Error {
  constructor(readonly operation: string, message: string, readonly notFound: boolean) { super(`${operation}: ${message}`); }
}

export interface RecordParams { name: string; format: string; maxDurationSeconds: number; maxSilenceSeconds: number; ifExists: 'fail' | 'overwrite' | 'append'; beep: boolean; terminateOn: string }

/**
 * The ARI operations the controller uses, over ari-client's REST. One place maps errors, so callers see
 * AriRequestError with `notFound` set when the channel or playback is already gone (a hang-up race, not a fault).
 */
export class AriRest {
  constructor(private readonly client: () => ari.Client | undefined) {}

  private async run<T>(operation: string, fn: (c: ari.Client) => Promise<T>): Promise<T> {
    const c = this.client();
    if (!c) throw new AriRequestError(operation, 'not connected to ARI', false);
    try {
      return await fn(c);
    } catch (err) {
      const text = err instanceof Error ? err.message : String(err);
      let message = text;
      try { message = JSON.parse(text).message ?? JSON.parse(text).error ?? text; } catch { /* plain text */ }
      throw new AriRequestError(operation, message, /not found/i.test(message));
    }
  }

  answer(channelId: string) { return this.run('answer', (c) => c.channels.answer({ channelId })); }
  ring(channelId: string) { return this.run('ring', (c) => c.channels.ring({ channelId })); }
  hangup(channelId: string, reason?: string) { return this.run('hangup', (c) => c.channels.hangup({ channelId, ...(reason ? { reason } : {}) })); }
  getChannel(channelId: string) { return this.run('getChannel', (c) => c.channels.get({ channelId })); }
  listChannels() { return this.run('listChannels', (c) => c.channels.list()); }
  getApplication(applicationName: string) { return this.run('getApplication', (c) => c.applications.get({ applicationName })); }
  play(channelId: string, playbackId: string, media: string[], lang: string) {
    return this.run('play', (c) => c.channels.play({ channelId, playbackId, media: media.join(','), lang } as never));
  }
  stopPlayback(playbackId: string) { return this.run('stopPlayback', (c) => c.playbacks.stop({ playbackId })); }
  getPlayback(playbackId: string) { return this.run('getPlayback', (c) => c.playbacks.get({ playbackId })); }
  startMoh(channelId: string, mohClass = 'default') { return this.run('startMoh', (c) => c.channels.startMoh({ channelId, mohClass })); }
  stopMoh(channelId: string) { return this.run('stopMoh', (c) => c.channels.stopMoh({ channelId })); }
  record(channelId: string, p: RecordParams) { return this.run('record', (c) => c.channels.record({ channelId, ...p })); }
  stopRecording(recordingName: string) { return this.run('stopRecording', (c) => c.recordings.stop({ recordingName })); }
  getLiveRecording(recordingName: string) { return this.run('getLiveRecording', (c) => c.recordings.getLive({ recordingName })); }
  continueInDialplan(channelId: string, context: string, extension: string, priority = 1) {
    return this.run('continueInDialplan', (c) => c.channels.continueInDialplan({ channelId, context, extension, priority }));
  }
  setVar(channelId: string, variable: string, value: string) { return this.run('setVar', (c) => c.channels.setChannelVar({ channelId, variable, value })); }
}
