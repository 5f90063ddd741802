// WAV parsing/encoding and sound-file durations for the simulated Asterisk.
import { open, stat } from 'node:fs/promises';
import path from 'node:path';

export interface WavInfo {
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  /** WAVE format tag: 1 PCM, 3 float, 6 A-law, 7 mu-law, 0x31 GSM 6.10 (Asterisk's wav49). */
  format: number;
  dataOffset: number;
  dataBytes: number;
  durationMs: number;
}

export const WAV_HEADER_BYTES = 44;

/** Parses a RIFF/WAVE buffer; throws a descriptive Error when the header is unusable. */
export function parseWav(buf: Buffer): WavInfo {
  return parseWavChunks(buf, buf.length);
}

/**
 * Walks the RIFF chunks of `buf`, which may be only the start of a file of `totalBytes`:
 * durations then come from the real file size when the header's data size is unset.
 */
export function parseWavChunks(buf: Buffer, totalBytes: number): WavInfo {
  if (buf.length < 12) throw new Error(`WAV: too short for a RIFF header (${buf.length} bytes)`);
  if (buf.toString('latin1', 0, 4) !== 'RIFF') {
    throw new Error(`WAV: missing RIFF magic (found ${JSON.stringify(buf.toString('latin1', 0, 4))})`);
  }
  if (buf.toString('latin1', 8, 12) !== 'WAVE') throw new Error('WAV: RIFF form type is not WAVE');

  let fmt: { format: number; channels: number; sampleRate: number; byteRate: number; blockAlign: number; bits: number } | undefined;
  let off = 12;
  while (off + 8 <= buf.length) {
    const id = buf.toString('latin1', off, off + 4);
    const size = buf.readUInt32LE(off + 4);
    const body = off + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + 16 > buf.length) throw new Error(`WAV: fmt chunk truncated (size ${size})`);
      let format = buf.readUInt16LE(body);
      // WAVE_FORMAT_EXTENSIBLE keeps the real tag in the first two bytes of the sub-format GUID.
      if (format === 0xfffe && size >= 40 && body + 26 <= buf.length) format = buf.readUInt16LE(body + 24);
      fmt = {
        format,
        channels: buf.readUInt16LE(body + 2),
        sampleRate: buf.readUInt32LE(body + 4),
        byteRate: buf.readUInt32LE(body + 8),
        blockAlign: buf.readUInt16LE(body + 12),
        bits: buf.readUInt16LE(body + 14),
      };
    } else if (id === 'data') {
      if (!fmt) throw new Error('WAV: data chunk before fmt chunk');
      if (fmt.channels === 0 || fmt.sampleRate === 0) throw new Error('WAV: fmt chunk has zero channels or sample rate');
      const available = Math.max(0, totalBytes - body);
      // Asterisk fixes the sizes on close; a file still being written may say 0 or 0xFFFFFFFF.
      const declaredUnset = size === 0 || size === 0xffffffff;
      const dataBytes = declaredUnset && available > 0 ? available : Math.min(size, available);
      const byteRate = fmt.byteRate || fmt.sampleRate * (fmt.blockAlign || (fmt.channels * fmt.bits) / 8);
      if (!byteRate) throw new Error('WAV: cannot work out the byte rate');
      return {
        sampleRate: fmt.sampleRate,
        channels: fmt.channels,
        bitsPerSample: fmt.bits,
        format: fmt.format,
        dataOffset: body,
        dataBytes,
        durationMs: (dataBytes / byteRate) * 1000,
      };
    }
    off = body + size + (size & 1); // chunks are word aligned
  }
  throw new Error(fmt ? 'WAV: no data chunk found' : 'WAV: no fmt chunk found');
}

/** A 44-byte header for PCM 16-bit mono, as Asterisk writes it. */
function pcmHeader(dataBytes: number, sampleRate: number): Buffer {
  const h = Buffer.alloc(WAV_HEADER_BYTES);
  h.write('RIFF', 0, 'latin1');
  h.writeUInt32LE(36 + dataBytes, 4);
  h.write('WAVE', 8, 'latin1');
  h.write('fmt ', 12, 'latin1');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20); // PCM
  h.writeUInt16LE(1, 22); // mono
  h.writeUInt32LE(sampleRate, 24);
  h.writeUInt32LE(sampleRate * 2, 28);
  h.writeUInt16LE(2, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36, 'latin1');
  h.writeUInt32LE(dataBytes, 40);
  return h;
}

export function encodeWav(samples: Int16Array, sampleRate = 8000): Buffer {
  const out = Buffer.alloc(WAV_HEADER_BYTES + samples.length * 2);
  pcmHeader(samples.length * 2, sampleRate).copy(out, 0);
  for (let i = 0; i < samples.length; i++) out.writeInt16LE(samples[i], WAV_HEADER_BYTES + i * 2);
  return out;
}

/** What Asterisk leaves when a recording got no audio (e.g. hang-up right after start). */
export function headerOnlyWav(sampleRate = 8000): Buffer {
  return pcmHeader(0, sampleRate);
}

export function decodePcm16(buf: Buffer, info = parseWav(buf)): Int16Array {
  if (info.format !== 1 || info.bitsPerSample !== 16) throw new Error('WAV: not 16-bit PCM');
  const n = Math.floor(info.dataBytes / 2);
  const out = new Int16Array(n);
  for (let i = 0; i < n; i++) out[i] = buf.readInt16LE(info.dataOffset + i * 2);
  return out;
}

export interface Interval {
  startMs: number;
  endMs: number;
}

/** Deterministic PRNG so generated recordings are byte-stable across runs. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A recording of `durationMs`: voice-like sound (a 130 Hz glottal-ish harmonic stack with
 * wandering pitch, a ~4 Hz syllable envelope and a little noise) inside `speech`, exact zeros elsewhere.
 */
export function recordingWav(opts: { durationMs: number; speech: Interval[]; sampleRate?: number }): Buffer {
  const rate = opts.sampleRate ?? 8000;
  const n = Math.round((opts.durationMs * rate) / 1000);
  const samples = new Int16Array(n);
  const rnd = mulberry32(0x12348);
  const fade = Math.round(rate * 0.01); // 10 ms ramps avoid clicks at interval edges
  for (const iv of opts.speech) {
    const a = Math.max(0, Math.round((iv.startMs * rate) / 1000));
    const b = Math.min(n, Math.round((iv.endMs * rate) / 1000));
    let phase = 0;
    for (let i = a; i < b; i++) {
      const t = i / rate;
      const f0 = 130 + 25 * Math.sin(2 * Math.PI * 0.7 * t) + 10 * Math.sin(2 * Math.PI * 3.1 * t);
      phase += (2 * Math.PI * f0) / rate;
      let v = 0;
      for (let h = 1; h <= 6; h++) v += Math.sin(h * phase) / h;
      // Syllables: never fully silent inside speech so RMS stays clearly above zero.
      const env = 0.45 + 0.55 * Math.abs(Math.sin(Math.PI * 4 * t));
      const edge = Math.min(1, (i - a + 1) / fade, (b - i) / fade);
      const s = (v * 0.55 + (rnd() - 0.5) * 0.15) * env * edge * 9000;
      samples[i] = Math.max(-32768, Math.min(32767, Math.round(s)));
    }
  }
  return encodeWav(samples, rate);
}

/** Root-mean-square of a PCM slice, for tests and for "did the caller speak" checks. */
export function rms(samples: Int16Array, from = 0, to = samples.length): number {
  if (to <= from) return 0;
  let sum = 0;
  for (let i = from; i < to; i++) sum += samples[i] * samples[i];
  return Math.sqrt(sum / (to - from));
}

/** Bytes per second of headerless formats Asterisk plays (by file extension). */
export const RAW_BYTES_PER_SECOND: Record<string, number> = {
  ulaw: 8000, ul: 8000, mu: 8000, pcm: 8000, alaw: 8000, al: 8000,
  sln: 16000, raw: 16000, sln16: 32000, g722: 8000, g729: 1000,
};
const GSM_FRAME_BYTES = 33; // one 20 ms frame
const WAV_EXTS = new Set(['wav', 'wav16', 'WAV']);

export function durationFromSize(ext: string, bytes: number): number | undefined {
  if (ext === 'gsm') return Math.floor(bytes / GSM_FRAME_BYTES) * 20;
  const bps = RAW_BYTES_PER_SECOND[ext];
  return bps ? (bytes / bps) * 1000 : undefined;
}

export function isWavExt(ext: string): boolean {
  return WAV_EXTS.has(ext);
}

/** Length of a sound file in ms, or undefined for formats it cannot measure or unreadable files. */
export async function durationOfSoundFile(file: string): Promise<number | undefined> {
  const ext = path.extname(file).slice(1);
  try {
    if (!isWavExt(ext)) {
      if (ext !== 'gsm' && !RAW_BYTES_PER_SECOND[ext]) return undefined;
      return durationFromSize(ext, (await stat(file)).size);
    }
    const fh = await open(file, 'r');
    try {
      const size = (await fh.stat()).size;
      // The header is almost always within 4 KiB; read more only if a big chunk precedes data.
      let len = Math.min(size, 4096);
      for (;;) {
        const buf = Buffer.alloc(len);
        await fh.read(buf, 0, len, 0);
        try {
          return parseWavChunks(buf, size).durationMs;
        } catch (err) {
          if (len >= size || len >= 1 << 20) throw err;
          len = Math.min(size, len * 8);
        }
      }
    } finally {
      await fh.close();
    }
  } catch {
    return undefined;
  }
}
