import type { Channel } from './channel.js';
import type { TimerHandle } from './clock.js';
import { AriError, type PlaybackJson } from './types.js';
import { splitTarget, type World } from './world.js';

/** Per-character length of generated speech (digits:, number:, characters:), close to Asterisk's en sounds. */
const SAY_MS_PER_CHAR = 650;

export class Playback {
  state: 'queued' | 'playing' | 'paused' | 'done' | 'failed' = 'queued';
  index = 0;
  timer?: TimerHandle;
  itemStartedAt = 0;
  remainingMs = 0;
  /** DELETE of a queued playback: its PlaybackFinished comes when its turn comes. */
  cancelledWhileQueued = false;
  heardIndex: Array<{ ch: Channel; i: number }> = [];

  constructor(readonly id: string, readonly media: string[], readonly targetUri: string, readonly language: string) {}

  toJson(): PlaybackJson {
    const j: PlaybackJson = { id: this.id, media_uri: this.media[this.index], target_uri: this.targetUri, language: this.language, state: this.state };
    if (this.index + 1 < this.media.length) j.next_media_uri = this.media[this.index + 1];
    // Asterisk lists next_media_uri before target_uri.
    return j.next_media_uri === undefined ? j : {
      id: j.id, media_uri: j.media_uri, next_media_uri: j.next_media_uri, target_uri: j.target_uri, language: j.language, state: j.state,
    };
  }
}

/** Queue owner: a channel or a bridge. Both keep their queue in playQueue. */
interface Target { playQueue: Playback[] }

export class Media {
  constructor(private readonly w: World) {}

  private target(uri: string): Target | undefined {
    const [kind, id] = splitTarget(uri);
    return kind === 'channel' ? this.w.channels.get(id) : this.w.bridges.get(id);
  }

  /** Listeners of a target: the channel itself, or every member of a bridge. */
  private listeners(uri: string): Channel[] {
    const [kind, id] = splitTarget(uri);
    if (kind === 'channel') { const c = this.w.channels.get(id); return c ? [c] : []; }
    const b = this.w.bridges.get(id);
    return b ? [...b.members] : [];
  }

  durationOf(uri: string, lang: string): number | undefined {
    const i = uri.indexOf(':');
    const scheme = uri.slice(0, i), rest = uri.slice(i + 1);
    switch (scheme) {
      case 'sound': return this.w.sounds.get(rest, lang)?.durationMs;
      case 'recording': return this.w.stored.durationMs(rest);
      case 'digits': case 'characters': return rest.length * SAY_MS_PER_CHAR;
      case 'number': return Math.max(1, String(Number(rest)).length) * SAY_MS_PER_CHAR;
      case 'tone': return Number.POSITIVE_INFINITY;
      default: return undefined;
    }
  }

  /** POST .../play: validates, registers and queues; PlaybackStarted may go out before the 201 (as in Asterisk). */
  play(targetUri: string, media: string[], lang: string, id: string): { pb: Playback; created: PlaybackJson } {
    if (this.w.playbacks.has(id)) throw new AriError(409, 'Playback with id already exists'); // not traced
    for (const m of media) if (!/^(sound|recording|tone|digits|number|characters):./.test(m)) throw new AriError(400, `Invalid media URI: ${m}`);
    const pb = new Playback(id, media, targetUri, lang);
    this.w.playbacks.set(id, pb);
    const t = this.target(targetUri);
    if (!t) throw new AriError(404, 'Channel not found');
    t.playQueue.push(pb);
    const created = pb.toJson();
    // Started synchronously so PlaybackStarted can precede the 201, as Asterisk's often does.
    if (t.playQueue[0] === pb) this.startHead(t);
    return { pb, created };
  }

  private startHead(t: Target): void {
    const pb = t.playQueue[0];
    if (!pb || pb.state !== 'queued') return;
    if (pb.cancelledWhileQueued) { this.finish(t, pb, 'done'); return; }
    if (this.blockedByBridgeMoh(pb)) {
      pb.state = 'playing';
      this.emit(pb, 'PlaybackStarted');
      this.finish(t, pb, 'failed');
      return;
    }
    this.startItem(t, pb);
  }

  /** A holding bridge takes one announcer: while bridge MOH plays, a bridge play fails at once. */
  private blockedByBridgeMoh(pb: Playback): boolean {
    const [kind, id] = splitTarget(pb.targetUri);
    return kind === 'bridge' && !!this.w.bridges.get(id)?.moh;
  }

  private startItem(t: Target, pb: Playback, offsetMs = 0): void {
    pb.state = 'playing';
    const uri = pb.media[pb.index];
    const total = this.durationOf(uri, pb.language);
    this.emit(pb, 'PlaybackStarted');
    if (total === undefined) { this.finish(t, pb, 'failed'); return; }
    pb.itemStartedAt = this.w.clock.now() - offsetMs;
    pb.remainingMs = total - offsetMs;
    for (const ch of this.listeners(pb.targetUri)) {
      ch.heard.push({ media: uri, startedAt: this.w.stamp() });
      // Sound reaching a Local half is media for the other half: it ends that half's Answer() wait.
      ch.peer?.answerWait?.();
    }
    if (Number.isFinite(pb.remainingMs)) pb.timer = this.w.clock.after(pb.remainingMs, () => this.itemDone(t, pb));
  }

  private itemDone(t: Target, pb: Playback): void {
    pb.timer = undefined;
    this.markHeardFinished(pb);
    if (pb.index + 1 < pb.media.length) {
      this.emitRaw(pb, 'PlaybackContinuing', { ...pb.toJson(), state: 'continuing' });
      pb.index++;
      this.startItem(t, pb);
      return;
    }
    this.finish(t, pb, 'done');
  }

  private markHeardFinished(pb: Playback): void {
    const uri = pb.media[pb.index];
    for (const ch of this.listeners(pb.targetUri)) {
      const h = [...ch.heard].reverse().find((x) => x.media === uri && !x.finishedAt);
      if (h) h.finishedAt = this.w.stamp();
    }
  }

  /** Ends a playback with its PlaybackFinished and starts the next queued one. */
  finish(t: Target, pb: Playback, state: 'done' | 'failed'): void {
    pb.timer?.cancel();
    pb.timer = undefined;
    if (pb.state === 'playing' || pb.state === 'paused') this.markHeardFinished(pb);
    pb.state = state;
    this.emit(pb, 'PlaybackFinished');
    this.w.playbacks.delete(pb.id);
    const i = t.playQueue.indexOf(pb);
    if (i >= 0) t.playQueue.splice(i, 1);
    if (i === 0 && t.playQueue.length) this.startHead(t);
  }

  /** DELETE /playbacks/{id}. */
  stop(pb: Playback): void {
    const t = this.target(pb.targetUri);
    if (pb.state === 'queued') { pb.cancelledWhileQueued = true; pb.state = 'done'; return; }
    if (t) this.finish(t, pb, 'done');
  }

  control(pb: Playback, op: string | undefined): void {
    if (!op) throw new AriError(400, 'Missing operation');
    const t = this.target(pb.targetUri);
    switch (op) {
      case 'pause':
        if (pb.state === 'queued') throw new AriError(409, 'Can only pause while media is playing');
        if (pb.state === 'playing') {
          pb.timer?.cancel(); pb.timer = undefined;
          pb.remainingMs -= this.w.clock.now() - pb.itemStartedAt;
          pb.state = 'paused';
        }
        return;
      case 'unpause':
        if (pb.state === 'paused' && t) {
          const total = this.durationOf(pb.media[pb.index], pb.language) ?? 0;
          const done = total - pb.remainingMs;
          this.markHeardFinished(pb);
          this.startItem(t, pb, done);
        }
        return;
      case 'restart':
        if (pb.state === 'playing' && t) {
          pb.timer?.cancel();
          pb.itemStartedAt = this.w.clock.now();
          pb.remainingMs = this.durationOf(pb.media[pb.index], pb.language) ?? 0;
          if (Number.isFinite(pb.remainingMs)) pb.timer = this.w.clock.after(pb.remainingMs, () => this.itemDone(t, pb));
        }
        return;
      case 'forward': case 'reverse':
        if (pb.state === 'playing' && t) {
          pb.timer?.cancel();
          const elapsed = this.w.clock.now() - pb.itemStartedAt;
          const total = this.durationOf(pb.media[pb.index], pb.language) ?? 0;
          const pos = Math.min(total, Math.max(0, elapsed + (op === 'forward' ? 3000 : -3000)));
          pb.itemStartedAt = this.w.clock.now() - pos;
          pb.remainingMs = total - pos;
          if (Number.isFinite(pb.remainingMs)) pb.timer = this.w.clock.after(pb.remainingMs, () => this.itemDone(t, pb));
        }
        return;
      default:
        throw new AriError(400, `Invalid operation ${op}`);
    }
  }

  /** The target hung up or was destroyed: playing ones fail, queued ones vanish with it. */
  abortAll(t: Target): void {
    for (const pb of [...t.playQueue]) {
      if (pb.state === 'playing' || pb.state === 'paused') this.finish(t, pb, 'failed');
      else { this.w.playbacks.delete(pb.id); t.playQueue.splice(t.playQueue.indexOf(pb), 1); }
    }
  }

  private emit(pb: Playback, type: string): void { this.emitRaw(pb, type, pb.toJson()); }

  private emitRaw(pb: Playback, type: string, playback: PlaybackJson): void {
    this.w.emitTo(this.w.followersOfTarget(pb.targetUri), { type, playback });
  }
}
