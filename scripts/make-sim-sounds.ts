// Generates the simulator's stand-in prompts (sounds/en/*.wav) with espeak-ng and sox, and
// pbx-sim/media/trace-sound-durations.json from the recorded ARI traces.
// Usage: node --import tsx scripts/make-sim-sounds.ts [--durations-only | --sounds-only]
// Needs: apt-get install -y espeak-ng sox
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BUILTIN_SOUNDS, BUILTIN_SOUNDS_DIR, TRACE_SOUND_DURATIONS_FILE, type BuiltinSound, type TraceSoundDuration } from '../pbx-sim/media/builtin-sounds.js';
import { decodePcm16, encodeWav } from '../pbx-sim/media/wav.js';
import { listScenarios, loadTrace, restCalls, tracesDir } from '../test/conformance/trace.js';

const RATE = 8000;

function tool(cmd: string, args: string[]): void {
  try {
    execFileSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: Buffer };
    if (e.code === 'ENOENT') throw new Error(`${cmd} not found: apt-get install -y espeak-ng sox`, { cause: err });
    throw new Error(`${cmd} ${args.join(' ')} failed: ${e.stderr?.toString() ?? e.message}`, { cause: err });
  }
}

/** espeak-ng -> 8 kHz 16-bit mono PCM samples (no dither, so pauses stay digital silence). */
function speak(text: string, work: string, speedFactor = 1): Int16Array {
  const raw = path.join(work, 'say.wav');
  const out = path.join(work, 'say8k.wav');
  tool('espeak-ng', ['-v', 'en-us', '-s', '150', '-w', raw, text]);
  const effects = speedFactor > 1.001 ? ['tempo', '-s', speedFactor.toFixed(3)] : [];
  tool('sox', ['-D', raw, '-b', '16', '-c', '1', out, ...effects, 'norm', '-3', 'rate', String(RATE)]);
  return decodePcm16(readFileSync(out));
}

function tone(hz: number, ms: number): Int16Array {
  const n = Math.round((ms * RATE) / 1000);
  const s = new Int16Array(n);
  const fade = RATE * 0.005;
  for (let i = 0; i < n; i++) {
    const edge = Math.min(1, i / fade, (n - 1 - i) / fade);
    s[i] = Math.round(Math.sin((2 * Math.PI * hz * i) / RATE) * 12000 * edge);
  }
  return s;
}

/** Exactly `durationMs` of audio: speech (sped up if it is too long), then silence. */
function makeSound(s: BuiltinSound, work: string): Int16Array {
  const n = Math.round((s.durationMs * RATE) / 1000);
  if (s.toneHz) return tone(s.toneHz, s.durationMs);
  let speech = speak(s.text, work);
  if (speech.length > n) speech = speak(s.text, work, (speech.length / n) * 1.05);
  const out = new Int16Array(n);
  const gap = Math.round(RATE * 0.5);
  let at = 0;
  do {
    out.set(speech.subarray(0, Math.min(speech.length, n - at)), at);
    at += speech.length + gap;
  } while (s.repeat && at + speech.length <= n);
  return out;
}

function makeSounds(): void {
  const dir = path.join(BUILTIN_SOUNDS_DIR, 'en');
  mkdirSync(dir, { recursive: true });
  const work = mkdtempSync(path.join(tmpdir(), 'sim-sounds-'));
  let total = 0;
  try {
    for (const s of BUILTIN_SOUNDS) {
      const wav = encodeWav(makeSound(s, work), RATE);
      writeFileSync(path.join(dir, `${s.id}.wav`), wav);
      total += wav.length;
      console.log(`sounds/en/${s.id}.wav  ${s.durationMs} ms  ${wav.length} bytes`);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  console.log(`total ${(total / 1024).toFixed(0)} KiB`);
}

/**
 * PlaybackStarted -> PlaybackFinished(done) / PlaybackContinuing per media item, on the app's
 * frames, leaving out playbacks the app stopped, paused or restarted (DELETE or /control).
 */
function traceDurations(): Record<string, TraceSoundDuration> {
  const acc = new Map<string, { ms: number[]; from: string[] }>();
  for (const scenario of listScenarios()) {
    const trace = loadTrace(scenario);
    const touched = new Set<string>();
    for (const c of restCalls(trace)) {
      const m = /^\/playbacks\/([^/]+)/.exec(c.path);
      if (m && c.status < 300 && (c.method === 'DELETE' || c.path.endsWith('/control'))) touched.add(decodeURIComponent(m[1]));
    }
    const started = new Map<string, { uri: string; at: number }>();
    for (const e of trace.events) {
      const pb = e.playback as { id: string; media_uri: string; state: string } | undefined;
      if (!pb || touched.has(pb.id)) continue;
      const at = Date.parse(String(e.timestamp).replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));
      if (e.type === 'PlaybackStarted') {
        started.set(pb.id, { uri: pb.media_uri, at });
        continue;
      }
      const s = started.get(pb.id);
      const ended = (e.type === 'PlaybackFinished' && pb.state === 'done') || e.type === 'PlaybackContinuing';
      if (e.type === 'PlaybackFinished' || e.type === 'PlaybackContinuing') started.delete(pb.id);
      if (!s || !ended || !s.uri.startsWith('sound:')) continue;
      const id = s.uri.slice('sound:'.length);
      const entry = acc.get(id) ?? { ms: [], from: [] };
      entry.ms.push(at - s.at);
      entry.from.push(`${scenario}:${pb.id}`);
      acc.set(id, entry);
    }
  }
  const out: Record<string, TraceSoundDuration> = {};
  for (const id of [...acc.keys()].sort()) {
    const { ms, from } = acc.get(id)!;
    const sorted = [...ms].sort((a, b) => a - b);
    out[id] = { medianMs: sorted[Math.floor(sorted.length / 2)], observedMs: ms, from };
  }
  return out;
}

function writeDurations(): void {
  const sounds = traceDurations();
  const doc = {
    note: 'PlaybackStarted -> PlaybackFinished (done) or PlaybackContinuing timestamps in the hotline app frames '
      + 'of shared/ari-traces (Asterisk 22.10.1); playbacks stopped, paused or restarted by the app are left out. '
      + 'Generated by scripts/make-sim-sounds.ts.',
    tracesDir: path.basename(tracesDir()),
    sounds,
  };
  writeFileSync(TRACE_SOUND_DURATIONS_FILE, `${JSON.stringify(doc, null, 2)}\n`);
  for (const [id, d] of Object.entries(sounds)) console.log(`${id}: median ${d.medianMs} ms over ${d.observedMs.length}`);
}

const args = new Set(process.argv.slice(2));
if (!args.has('--sounds-only')) writeDurations();
if (!args.has('--durations-only')) makeSounds();
