import { mkdir, readdir, readFile, rm, stat, copyFile } from 'node:fs/promises';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Channel } from './channel.js';
import type { TimerHandle } from './clock.js';
import { AriError, type LiveRecordingJson } from './types.js';
import { recordingWav, parseWav } from '../media/wav.js';

export const RECORDING_FORMATS = new Set(['wav', 'gsm', 'ulaw', 'alaw', 'sln', 'sln16', 'g722', 'wav16', 'wav49', 'g729']);

type Span = { start: number; end: number };

export class LiveRecording {
  state: 'queued' | 'recording' | 'paused' | 'done' | 'failed' | 'canceled' = 'queued';
  /** Sim-time spans actually written (pauses cut time out of the file, as Asterisk does). */
  readonly active: Span[] = [];
  /** Sim-time spans muted: written as silence. */
  readonly muted: Span[] = [];
  timer?: TimerHandle;
  silenceTimer?: TimerHandle;
  cause?: string;
  /** Bridge recordings: who was in the bridge when (members who left still count for the time they were in). */
  readonly parts: Array<{ ch: Channel; start: number; end: number }> = [];

  constructor(
    readonly name: string,
    readonly format: string,
    readonly targetUri: string,
    readonly opts: { maxDurationSeconds: number; maxSilenceSeconds: number; terminateOn: string; beep: boolean },
  ) {}

  durationMs(now: number): number {
    return this.active.reduce((sum, s) => sum + (Number.isFinite(s.end) ? s.end : now) - s.start, 0);
  }

  toJson(now?: number): LiveRecordingJson {
    const j: LiveRecordingJson = { name: this.name, format: this.format, state: this.state, target_uri: this.targetUri };
    if (now !== undefined) j.duration = Math.floor(this.durationMs(now) / 1000);
    if (this.cause) j.cause = this.cause;
    return j;
  }

  /** Maps talk spans (sim time) onto the file's timeline, skipping paused time and silencing muted time. */
  speechInFile(speech: Span[], now: number): Array<{ startMs: number; endMs: number }> {
    const out: Array<{ startMs: number; endMs: number }> = [];
    let offset = 0;
    for (const a of this.active) {
      const aEnd = Number.isFinite(a.end) ? a.end : now;
      for (const s of speech) {
        const sEnd = Number.isFinite(s.end) ? s.end : now;
        for (const piece of subtract({ start: Math.max(a.start, s.start), end: Math.min(aEnd, sEnd) }, this.muted, now)) {
          out.push({ startMs: offset + piece.start - a.start, endMs: offset + piece.end - a.start });
        }
      }
      offset += aEnd - a.start;
    }
    return out;
  }
}

function subtract(span: Span, cuts: Span[], now: number): Span[] {
  if (span.end <= span.start) return [];
  let pieces = [span];
  for (const c of cuts) {
    const cEnd = Number.isFinite(c.end) ? c.end : now;
    pieces = pieces.flatMap((p) => {
      if (cEnd <= p.start || c.start >= p.end) return [p];
      const r: Span[] = [];
      if (c.start > p.start) r.push({ start: p.start, end: c.start });
      if (cEnd < p.end) r.push({ start: cEnd, end: p.end });
      return r;
    });
  }
  return pieces;
}

/** Stored recordings: files under one directory, names may hold sub-folders ("archive/x"). */
export class StoredRecordings {
  constructor(readonly dir: string) {}

  private fileOf(name: string): { file: string; format: string } | undefined {
    if (name.includes('..')) return undefined;
    const base = path.join(this.dir, name);
    const d = path.dirname(base);
    if (!existsSync(d)) return undefined;
    for (const format of RECORDING_FORMATS) {
      const file = `${base}.${format}`;
      if (existsSync(file)) return { file, format };
    }
    return undefined;
  }

  exists(name: string): boolean { return !!this.fileOf(name); }

  async list(): Promise<Array<{ name: string; format: string }>> {
    const out: Array<{ name: string; format: string }> = [];
    const walk = async (rel: string): Promise<void> => {
      const entries = await readdir(path.join(this.dir, rel), { withFileTypes: true }).catch(() => []);
      for (const e of entries) {
        const r = rel ? `${rel}/${e.name}` : e.name;
        if (e.isDirectory()) await walk(r);
        else {
          const dot = r.lastIndexOf('.');
          const format = r.slice(dot + 1);
          if (RECORDING_FORMATS.has(format)) out.push({ name: r.slice(0, dot), format });
        }
      }
    };
    await walk('');
    // Asterisk lists the spool in name order (directory order varies by filesystem).
    return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  get(name: string): { name: string; format: string } {
    const f = this.fileOf(name);
    if (!f) throw new AriError(404, 'Recording not found');
    return { name, format: f.format };
  }

  async file(name: string): Promise<{ bytes: Buffer; format: string }> {
    const f = this.fileOf(name);
    if (!f) throw new AriError(404, 'Recording not found');
    return { bytes: await readFile(f.file), format: f.format };
  }

  async remove(name: string): Promise<void> {
    const f = this.fileOf(name);
    if (!f) throw new AriError(404, 'Recording not found');
    await rm(f.file);
  }

  async copy(name: string, dest: string): Promise<{ name: string; format: string }> {
    const f = this.fileOf(name);
    if (!f) throw new AriError(404, 'Recording not found');
    if (dest.includes('..')) throw new AriError(400, 'Invalid destination recording name'); // not traced
    if (this.fileOf(dest)) throw new AriError(409, 'A recording with the same name already exists on the system');
    const target = path.join(this.dir, `${dest}.${f.format}`);
    await mkdir(path.dirname(target), { recursive: true });
    await copyFile(f.file, target);
    return { name: dest, format: f.format };
  }

  /** Written before RecordingFinished goes out, so a client that fetches the file on that event finds it. */
  writeSync(name: string, format: string, durationMs: number, speech: Array<{ startMs: number; endMs: number }>): void {
    const target = path.join(this.dir, `${name}.${format}`);
    mkdirSync(path.dirname(target), { recursive: true });
    const wav = recordingWav({ durationMs, speech });
    // Only WAV carries a header; other formats get the raw 8 kHz samples, which keeps their length true.
    writeFileSync(target, format === 'wav' ? wav : wav.subarray(44));
  }

  /** Length of a stored recording, for playing `recording:` media. */
  durationMs(name: string): number | undefined {
    const f = this.fileOf(name);
    if (!f) return undefined;
    if (f.format === 'wav') {
      try { return parseWav(readFileSync(f.file)).durationMs; } catch { return undefined; }
    }
    return (statSync(f.file).size / 16000) * 1000;
  }

  async ensureDir(): Promise<void> { await mkdir(this.dir, { recursive: true }); await stat(this.dir); }
}
