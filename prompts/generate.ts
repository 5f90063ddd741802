// Turns the catalogue into Asterisk-ready prompts: sounds/zh/<id>.wav, 8 kHz 16-bit mono PCM, the layout Asterisk
// (/var/lib/asterisk/sounds/zh, channel language zh) and pbx-sim (language folders under SIM_SOUNDS_DIRS) both read.
//
// Each prompt is synthesised with espeak-ng's cmn-latn-pinyin voice and converted with sox, unless a studio
// recording prompts/studio/<id>.<ext> exists, which is converted instead. A manifest keeps a hash of what made each
// file (speech text + voice + settings, or the studio file's bytes), so only changed prompts are rebuilt and the
// committed WAVs do not churn. The hash leaves out the espeak-ng version on purpose: a CI image with a newer espeak
// must not rewrite every committed file.
import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parseWav } from '../pbx-sim/media/wav.js';
import { PROMPT_IDS, promptText, type PromptVars } from './catalogue.js';
import { speechText } from './pronounce.js';

const run = promisify(execFile);

export const ESPEAK_VOICE = 'cmn-latn-pinyin';
/**
 * espeak's words-a-minute setting (its default is 175). 165 gives about 3 syllables a second: slower than a
 * person talks, easier on elderly callers, and the main menu still fits in about 15 s.
 */
export const ESPEAK_SPEED = 165;
export const SAMPLE_RATE = 8000;
/** Bump when the sox chain below changes, so every synthesised prompt is rebuilt. */
const PIPELINE = 2;
const MANIFEST = 'manifest.json';

// Trim espeak's leading/trailing silence, band-limit and resample, bring speech to -3 dBFS, then pad: a sentence
// gets a pause after it so two prompts played back to back do not run together; a fragment that a read-out
// continues ("您前面还有" 三 "位来电在等候", 二 十 三) gets almost none, so the pieces of a number join up.
const speechEffects = (fragment: boolean): string[] => ['silence', '1', '0.02', '-50d', 'reverse', 'silence', '1', '0.02', '-50d', 'reverse',
  'rate', '-h', String(SAMPLE_RATE), 'norm', '-3', 'pad', ...(fragment ? ['0.02', '0.05'] : ['0.05', '0.25'])];
/** A prompt that does not end a sentence is a piece of a read-out. */
export const isFragment = (text: string): boolean => !/[。！？!?.]$/.test(text.trim());
const OUTPUT_FORMAT = ['-r', String(SAMPLE_RATE), '-c', '1', '-b', '16', '-e', 'signed-integer'];

export interface ManifestEntry {
  hash: string;
  /** `espeak` or the studio file name (`studio/greeting.wav`). */
  source: string;
  text: string;
  bytes: number;
  durationMs: number;
}

export interface Manifest {
  format: 1;
  voice: string;
  speed: number;
  sampleRate: number;
  prompts: Record<string, ManifestEntry>;
}

export interface GenerateOptions {
  /** Where the WAVs and manifest.json go (sounds/zh). */
  outDir: string;
  /** Studio recordings, `<id>.<ext>` (prompts/studio). */
  studioDir?: string;
  /** Only these ids (default: the whole catalogue; then files of ids no longer in it are removed). */
  ids?: readonly string[];
  vars?: PromptVars;
  /** Rebuild even when the hash matches. */
  force?: boolean;
  /** Work out what would change, change nothing. */
  dryRun?: boolean;
  concurrency?: number;
  log?: (line: string) => void;
}

export interface GenerateResult {
  /** Ids (re)built, by source. */
  synthesised: string[];
  studio: string[];
  unchanged: string[];
  /** Files removed because their id left the catalogue. */
  removed: string[];
  /** Studio files whose name matches no prompt id (a typo leaves the synthetic prompt in place). */
  unknownStudio: string[];
  totalBytes: number;
}

/** Missing tools, with the Debian packages that provide them. */
export class MissingToolError extends Error {
  override name = 'MissingToolError';
}

function version(cmd: string, args: string[]): string | undefined {
  try {
    return execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] }).toString().split('\n')[0].trim();
  } catch {
    return undefined;
  }
}

export function espeakVersion(): string | undefined {
  return version('espeak-ng', ['--version']);
}

export function soxVersion(): string | undefined {
  return version('sox', ['--version']);
}

/** Throws a MissingToolError naming the Debian packages when sox, espeak-ng or its Mandarin voice is missing. */
export function requireTools(needEspeak: boolean): void {
  const missing: string[] = [];
  if (!soxVersion()) missing.push('sox (Debian package sox)');
  if (needEspeak) {
    if (!espeakVersion()) missing.push('espeak-ng (Debian packages espeak-ng, espeak-ng-data)');
    else {
      let voices = '';
      try {
        voices = execFileSync('espeak-ng', ['--voices=cmn'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString();
      } catch {
        // reported as missing below
      }
      if (!voices.toLowerCase().includes(ESPEAK_VOICE)) missing.push(`espeak-ng voice ${ESPEAK_VOICE} (Debian package espeak-ng-data)`);
    }
  }
  if (missing.length) {
    throw new MissingToolError(`missing ${missing.join(', ')}: install with apt-get install -y espeak-ng espeak-ng-data sox`);
  }
}

/** espeak-ng's phoneme transcription (tones as digits): how to check a reading without listening. */
export function phonemes(speech: string): string {
  return execFileSync('espeak-ng', ['-v', ESPEAK_VOICE, '-q', '-x', speech]).toString().replace(/\s*\n\s*/g, ' ').trim();
}

const sha = (...parts: Array<string | Buffer>): string => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p).update('\0');
  return h.digest('hex').slice(0, 32);
};

/** Studio files by id; two files for one id is an error (which one would win is not obvious). */
function studioFiles(dir: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!dir || !existsSync(dir)) return out;
  for (const name of readdirSync(dir).sort()) {
    const dot = name.lastIndexOf('.');
    if (name.startsWith('.') || dot <= 0 || /\.(md|txt|json)$/i.test(name)) continue;
    const id = name.slice(0, dot);
    if (out.has(id)) throw new Error(`two studio recordings for ${id}: ${path.basename(out.get(id)!)} and ${name}; keep one`);
    out.set(id, path.join(dir, name));
  }
  return out;
}

export function readManifest(outDir: string): Manifest | undefined {
  try {
    const m = JSON.parse(readFileSync(path.join(outDir, MANIFEST), 'utf8')) as Manifest;
    return m && m.format === 1 && typeof m.prompts === 'object' ? m : undefined;
  } catch {
    return undefined;
  }
}

interface Job {
  id: string;
  text: string;
  speech: string;
  studio?: string;
  hash: string;
}

/** The hash a prompt's WAV must carry to be current (exported for the "committed sounds are current" test). */
export function promptHash(id: string, vars: PromptVars = {}, studioFile?: string): string {
  if (studioFile) return sha(`studio:${PIPELINE}`, readFileSync(studioFile));
  return sha(`espeak:${PIPELINE}`, ESPEAK_VOICE, String(ESPEAK_SPEED), String(SAMPLE_RATE), speechText(promptText(id, vars)));
}

async function synthesise(job: Job, tmp: string, out: string): Promise<void> {
  if (job.studio) {
    await run('sox', [job.studio, ...OUTPUT_FORMAT, out, 'rate', '-h', String(SAMPLE_RATE)]);
    return;
  }
  const raw = path.join(tmp, `${job.id}.raw.wav`);
  // A leading space keeps a text from ever being taken for an option.
  await run('espeak-ng', ['-v', ESPEAK_VOICE, '-s', String(ESPEAK_SPEED), '-w', raw, ` ${job.speech}`]);
  // -D: no dither, so pauses stay digital silence (and identical input gives identical bytes).
  await run('sox', ['-D', raw, ...OUTPUT_FORMAT, out, ...speechEffects(isFragment(job.text))]);
}

function checkWav(file: string, id: string): { bytes: number; durationMs: number } {
  const buf = readFileSync(file);
  const info = parseWav(buf);
  if (info.sampleRate !== SAMPLE_RATE || info.channels !== 1 || info.bitsPerSample !== 16 || info.format !== 1) {
    throw new Error(`${id}: produced ${info.sampleRate} Hz, ${info.channels} ch, ${info.bitsPerSample}-bit (format ${info.format}), not 8 kHz 16-bit mono PCM`);
  }
  if (info.durationMs < 100) throw new Error(`${id}: produced only ${info.durationMs} ms of audio`);
  return { bytes: buf.length, durationMs: Math.round(info.durationMs) };
}

export async function generatePrompts(opts: GenerateOptions): Promise<GenerateResult> {
  const log = opts.log ?? (() => {});
  const ids = opts.ids ? [...opts.ids] : PROMPT_IDS;
  for (const id of ids) promptText(id, opts.vars); // unknown ids and unfilled placeholders fail before any work
  const studio = studioFiles(opts.studioDir);
  const old = readManifest(opts.outDir);
  const manifest: Manifest = { format: 1, voice: ESPEAK_VOICE, speed: ESPEAK_SPEED, sampleRate: SAMPLE_RATE, prompts: { ...old?.prompts } };
  const result: GenerateResult = {
    synthesised: [], studio: [], unchanged: [], removed: [], totalBytes: 0,
    unknownStudio: [...studio.keys()].filter((id) => !PROMPT_IDS.includes(id as never)),
  };
  for (const id of result.unknownStudio) log(`warning: studio recording ${path.basename(studio.get(id)!)} matches no prompt id`);

  const jobs: Job[] = [];
  for (const id of ids) {
    const text = promptText(id, opts.vars);
    const hash = promptHash(id, opts.vars, studio.get(id));
    const prev = old?.prompts[id];
    const file = path.join(opts.outDir, `${id}.wav`);
    const intact = prev?.hash === hash && existsSync(file) && statSync(file).size === prev.bytes;
    if (intact && !opts.force) result.unchanged.push(id);
    else jobs.push({ id, text, speech: speechText(text), studio: studio.get(id), hash });
  }
  const stale = opts.ids ? [] : Object.keys(manifest.prompts).filter((id) => !PROMPT_IDS.includes(id as never));
  if (opts.dryRun) {
    for (const j of jobs) (j.studio ? result.studio : result.synthesised).push(j.id);
    result.removed = stale;
    return result;
  }
  if (jobs.some((j) => !j.studio)) requireTools(true);
  else if (jobs.length) requireTools(false);

  mkdirSync(opts.outDir, { recursive: true });
  const tmp = mkdtempSync(path.join(tmpdir(), 'prompts-'));
  try {
    let next = 0;
    let failed = false;
    const worker = async (): Promise<void> => {
      while (next < jobs.length && !failed) {
        const job = jobs[next++];
        // A hidden temporary name in the output folder, renamed into place: Asterisk and pbx-sim (which skip dot
        // files) never see a half-written prompt.
        const part = path.join(opts.outDir, `.${job.id}.part.wav`);
        try {
          await synthesise(job, tmp, part);
          const { bytes, durationMs } = checkWav(part, job.id);
          renameSync(part, path.join(opts.outDir, `${job.id}.wav`));
          const source = job.studio ? `studio/${path.basename(job.studio)}` : 'espeak';
          manifest.prompts[job.id] = { hash: job.hash, source, text: job.text, bytes, durationMs };
          (job.studio ? result.studio : result.synthesised).push(job.id);
          log(`${job.id}.wav  ${source}  ${(durationMs / 1000).toFixed(1)} s  ${(bytes / 1024).toFixed(0)} KiB`);
        } catch (err) {
          failed = true;
          rmSync(part, { force: true });
          const e = err as Error & { stderr?: string };
          throw new Error(`prompt ${job.id}: ${e.stderr?.trim() || e.message}`, { cause: err });
        }
      }
    };
    const n = Math.max(1, Math.min(opts.concurrency ?? cpus().length, jobs.length));
    // allSettled: let the other workers finish their current prompt before the manifest is written.
    const settled = await Promise.allSettled(Array.from({ length: n }, worker));
    const failure = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failure) throw failure.reason;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
    // Written even after a failure, so a rerun keeps what was already built.
    for (const id of stale) {
      try {
        unlinkSync(path.join(opts.outDir, `${id}.wav`));
      } catch {
        // already gone
      }
      delete manifest.prompts[id];
      result.removed.push(id);
      log(`removed ${id}.wav (no longer in the catalogue)`);
    }
    if (jobs.length || stale.length || !old) writeManifest(opts.outDir, manifest);
  }
  for (const id of ids) result.totalBytes += manifest.prompts[id]?.bytes ?? 0;
  return result;
}

function writeManifest(outDir: string, m: Manifest): void {
  // Sorted keys: the committed manifest diffs only where a prompt changed.
  const prompts = Object.fromEntries(Object.keys(m.prompts).sort().map((id) => [id, m.prompts[id]]));
  const file = path.join(outDir, MANIFEST);
  writeFileSync(`${file}.part`, `${JSON.stringify({ ...m, prompts }, null, 2)}\n`);
  renameSync(`${file}.part`, file);
}
