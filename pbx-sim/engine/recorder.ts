import type { Bridges } from './bridges.js';
import type { Channel } from './channel.js';
import { LiveRecording, RECORDING_FORMATS } from './recording.js';
import { AriError, type LiveRecordingJson } from './types.js';
import { splitTarget, type World } from './world.js';

export interface RecordParams {
  name?: string; format?: string; maxDurationSeconds?: number; maxSilenceSeconds?: number;
  ifExists?: string; beep?: boolean; terminateOn?: string;
}

/** Live recordings on channels and bridges. */
export class Recorders {
  private recorderSeq = 0;

  constructor(private readonly w: World, private readonly bridges: Bridges) {}

  start(targetUri: string, p: RecordParams): LiveRecordingJson {
    if (!p.name) throw new AriError(400, 'Recording name is required'); // not traced
    if (!p.format) throw new AriError(400, 'Recording format is required'); // not traced
    if (!RECORDING_FORMATS.has(p.format)) throw new AriError(422, 'specified format is unknown on this system');
    const ifExists = p.ifExists ?? 'fail';
    if (!['fail', 'overwrite', 'append'].includes(ifExists)) throw new AriError(400, 'ifExists invalid'); // not traced
    if (this.w.liveRecordings.has(p.name) || (ifExists === 'fail' && this.w.stored.exists(p.name))) {
      if (this.w.liveRecordings.has(p.name)) this.briefRecorder(targetUri);
      throw new AriError(409, `Recording '${p.name}' already exists and can not be overwritten`);
    }
    const rec = new LiveRecording(p.name, p.format, targetUri, {
      maxDurationSeconds: p.maxDurationSeconds ?? 0, maxSilenceSeconds: p.maxSilenceSeconds ?? 0,
      terminateOn: p.terminateOn ?? 'none', beep: !!p.beep,
    });
    this.w.liveRecordings.set(rec.name, rec);
    const created = rec.toJson();
    const [kind, id] = splitTarget(targetUri);
    const ch = kind === 'channel' ? this.w.channels.get(id) : undefined;
    if (ch?.bridge) {
      // Asterisk accepts the request, then fails it: a channel cannot be recorded while bridged.
      this.w.clock.after(0, () => this.fail(rec, 'Cannot record channel while in bridge'));
      return created;
    }
    const now = this.w.clock.now();
    if (kind === 'bridge') {
      const b = this.bridges.get(id);
      this.bridges.addRecorder(b, `Recorder/ARI-${this.w.nextLocalSuffix()};2`, rec.name);
      for (const m of b.members) rec.parts.push({ ch: m, start: now, end: Infinity });
    }
    rec.state = 'recording';
    rec.active.push({ start: now, end: Infinity });
    this.emit(rec, 'RecordingStarted');
    if (rec.opts.maxDurationSeconds > 0) rec.timer = this.w.clock.after(rec.opts.maxDurationSeconds * 1000, () => this.finish(rec, 'done'));
    this.armSilence(rec);
    return created;
  }

  /**
   * A bridge recording whose name is taken still dials its Recorder into the bridge before the name check fails it:
   * the members' BRIDGEPEER lists it, then drops it again, before the 409.
   */
  private briefRecorder(targetUri: string): void {
    const [kind, id] = splitTarget(targetUri);
    const b = kind === 'bridge' ? this.w.bridges.get(id) : undefined;
    if (!b) return;
    const marker = `\0duplicate-${this.recorderSeq++}`;
    this.bridges.addRecorder(b, `Recorder/ARI-${this.w.nextLocalSuffix()};2`, marker);
    this.bridges.removeRecorder(b, marker);
  }

  get(name: string): LiveRecording {
    const rec = this.w.liveRecordings.get(name);
    if (!rec) throw new AriError(404, 'Recording not found');
    return rec;
  }

  stop(rec: LiveRecording): void { this.finish(rec, 'done'); }
  cancel(rec: LiveRecording): void { this.finish(rec, 'canceled'); }

  pause(rec: LiveRecording): void {
    if (rec.state !== 'recording' && rec.state !== 'paused') throw new AriError(409, 'Recording not in session');
    if (rec.state === 'paused') return;
    rec.active[rec.active.length - 1].end = this.w.clock.now();
    rec.state = 'paused';
  }

  unpause(rec: LiveRecording): void {
    if (rec.state !== 'recording' && rec.state !== 'paused') throw new AriError(409, 'Recording not in session');
    if (rec.state === 'recording') return;
    rec.active.push({ start: this.w.clock.now(), end: Infinity });
    rec.state = 'recording';
  }

  mute(rec: LiveRecording, on: boolean): void {
    if (rec.state !== 'recording' && rec.state !== 'paused') throw new AriError(409, 'Recording not in session');
    const last = rec.muted[rec.muted.length - 1];
    if (on && !(last && !Number.isFinite(last.end))) rec.muted.push({ start: this.w.clock.now(), end: Infinity });
    if (!on && last && !Number.isFinite(last.end)) last.end = this.w.clock.now();
  }

  /** A DTMF on a recorded channel: terminateOn ends the recording after the digit was reported. */
  dtmf(ch: Channel, digit: string): void {
    for (const rec of this.w.liveRecordings.values()) {
      if (rec.targetUri !== `channel:${ch.id}` || rec.state !== 'recording') continue;
      const t = rec.opts.terminateOn;
      if (t === 'any' || (t !== 'none' && t.includes(digit))) this.finish(rec, 'done');
    }
  }

  /** Talk on the target resets the max-silence clock. */
  talk(ch: Channel): void {
    for (const rec of this.w.liveRecordings.values()) if (this.talkersOf(rec).includes(ch)) this.armSilence(rec);
  }

  /** Bridge membership changes, for what a bridge recording heard (bridges.ts onMembership). */
  membership(bridgeId: string, ch: Channel, joined: boolean): void {
    const now = this.w.clock.now();
    for (const rec of this.w.liveRecordings.values()) {
      if (rec.targetUri !== `bridge:${bridgeId}`) continue;
      if (joined) rec.parts.push({ ch, start: now, end: Infinity });
      else for (const p of rec.parts) if (p.ch === ch && !Number.isFinite(p.end)) p.end = now;
    }
  }

  /** What the recording heard: a channel's own speech, or a bridge's members' while they were in it. */
  private heard(rec: LiveRecording): Array<{ start: number; end: number }> {
    if (!rec.targetUri.startsWith('bridge:')) return this.talkersOf(rec).flatMap((c) => c.speech);
    return rec.parts.flatMap((p) => p.ch.speech
      .map((s) => ({ start: Math.max(s.start, p.start), end: Math.min(s.end, p.end) }))
      .filter((s) => s.end > s.start));
  }

  /** The target channel hung up, or the bridge lost its last member. */
  targetGone(targetUri: string): void {
    for (const rec of [...this.w.liveRecordings.values()]) if (rec.targetUri === targetUri) this.finish(rec, 'done');
  }

  private armSilence(rec: LiveRecording): void {
    rec.silenceTimer?.cancel();
    const s = rec.opts.maxSilenceSeconds;
    if (s > 0) rec.silenceTimer = this.w.clock.after(s * 1000, () => this.finish(rec, 'done'));
  }

  private talkersOf(rec: LiveRecording): Channel[] {
    const [kind, id] = splitTarget(rec.targetUri);
    if (kind === 'channel') {
      const ch = this.w.channels.get(id);
      if (!ch) return [];
      return ch.snoopOf ? [ch.snoopOf, ...(ch.snoopOf.bridge?.members ?? [])] : [ch];
    }
    return [...(this.w.bridges.get(id)?.members ?? [])];
  }

  /**
   * A Local channel carries no frames while its far half is silent (in Wait(), say), so Asterisk's file holds only
   * the audio that arrived; SIP, snoop and bridge recordings get frames all the time and follow the clock.
   */
  private arrivedAudioOnly(rec: LiveRecording): boolean {
    const [kind, id] = splitTarget(rec.targetUri);
    const ch = kind === 'channel' ? this.w.channels.get(id) : undefined;
    return ch?.kind === 'local1' || ch?.kind === 'local2';
  }

  private fail(rec: LiveRecording, cause: string): void {
    rec.state = 'failed';
    rec.cause = cause;
    this.w.liveRecordings.delete(rec.name);
    this.emit(rec, 'RecordingFailed');
  }

  private finish(rec: LiveRecording, state: 'done' | 'canceled'): void {
    if (!this.w.liveRecordings.has(rec.name)) return;
    rec.timer?.cancel();
    rec.silenceTimer?.cancel();
    const now = this.w.clock.now();
    const last = rec.active[rec.active.length - 1];
    if (last && !Number.isFinite(last.end)) last.end = now;
    const open = rec.muted[rec.muted.length - 1];
    if (open && !Number.isFinite(open.end)) open.end = now;
    const speech = this.heard(rec);
    let durationMs = rec.durationMs(now);
    let inFile = rec.speechInFile(speech, now);
    if (this.arrivedAudioOnly(rec)) ({ durationMs, inFile } = packed(inFile));
    rec.state = state;
    this.w.liveRecordings.delete(rec.name);
    const [kind, id] = splitTarget(rec.targetUri);
    if (kind === 'bridge') {
      const b = this.w.bridges.get(id);
      if (b) this.bridges.removeRecorder(b, rec.name);
    }
    if (state === 'done') this.w.stored.writeSync(rec.name, rec.format, durationMs, inFile);
    this.w.emitTo(this.w.followersOfTarget(rec.targetUri), { type: 'RecordingFinished', recording: { ...rec.toJson(), duration: Math.floor(durationMs / 1000) } });
  }

  private emit(rec: LiveRecording, type: string): void {
    this.w.emitTo(this.w.followersOfTarget(rec.targetUri), { type, recording: rec.toJson() });
  }
}

/** Audio pieces laid end to end, overlaps merged: the file of a channel that only sends frames while talking. */
function packed(pieces: Array<{ startMs: number; endMs: number }>): { durationMs: number; inFile: Array<{ startMs: number; endMs: number }> } {
  let durationMs = 0, reach = -Infinity;
  for (const p of [...pieces].sort((a, b) => a.startMs - b.startMs)) {
    const from = Math.max(p.startMs, reach);
    if (p.endMs > from) durationMs += p.endMs - from;
    reach = Math.max(reach, p.endMs);
  }
  return { durationMs, inFile: durationMs > 0 ? [{ startMs: 0, endMs: durationMs }] : [] };
}
