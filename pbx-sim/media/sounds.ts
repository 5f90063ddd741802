// Catalogue of playable sounds, laid out the way Asterisk's sounds directory is.
import { open, readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { durationFromSize, isWavExt, parseWavChunks, RAW_BYTES_PER_SECOND } from './wav.js';

export interface SoundFile {
  id: string;
  lang: string;
  /** Asterisk's format name (e.g. `gsm`, `wav`, `slin`), as ARI reports it. */
  format: string;
  durationMs: number;
  path: string;
}

/** ARI `Sound` model. */
export interface AriSound {
  id: string;
  /** Asterisk leaves it out when the sound has no description (e-recordings). */
  text?: string;
  formats: Array<{ language: string; format: string }>;
}

/** File extension -> Asterisk format name (ARI says `slin` for .sln, as in GET /sounds). */
const EXT_FORMAT: Record<string, string> = {
  gsm: 'gsm', wav: 'wav', wav16: 'wav16', WAV: 'wav49',
  ulaw: 'ulaw', ul: 'ulaw', mu: 'ulaw', pcm: 'ulaw', alaw: 'alaw', al: 'alaw',
  sln: 'slin', raw: 'slin', sln16: 'slin16', g722: 'g722', g729: 'g729',
};

/** Which format `get()` hands out when several exist for one id and language. */
const FORMAT_PREFERENCE = ['wav', 'slin', 'gsm', 'ulaw', 'alaw', 'wav16', 'slin16', 'g722', 'wav49', 'g729'];

// Top-level folders named like a language (en, en_US, fr, pt_BR, en_US_f_Allison); others are sound folders.
const LANG_DIR = /^[a-z]{2,3}(?:[_-][A-Za-z0-9]+)*$/;
const MAX_DEPTH = 8;
const IO_CONCURRENCY = 64;

interface Candidate {
  id: string;
  lang: string;
  ext: string;
  file: string;
  dirIndex: number;
}

async function mapBounded<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

async function isDir(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false;
  }
}

/** Collects sound files under `dir` (recursively, following symlinks like Debian's `en` alternative). */
async function walk(dir: string, rel: string, lang: string, dirIndex: number, depth: number,
  seen: Set<string>, out: Candidate[]): Promise<void> {
  if (depth > MAX_DEPTH) return;
  let real: string;
  try {
    real = await realpath(dir);
  } catch {
    return;
  }
  const key = `${lang}\0${real}`; // the same folder may serve two languages (en -> en_US_f_Allison)
  if (seen.has(key)) return;
  seen.add(key);
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  const subdirs: Array<Promise<void>> = [];
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const full = path.join(dir, e.name);
    const directory = e.isDirectory() || (e.isSymbolicLink() && (await isDir(full)));
    if (directory) {
      let childLang = lang;
      let childRel = rel ? `${rel}/${e.name}` : e.name;
      if (depth === 0 && LANG_DIR.test(e.name)) {
        childLang = e.name;
        childRel = '';
      }
      subdirs.push(walk(full, childRel, childLang, dirIndex, depth + 1, seen, out));
      continue;
    }
    const dot = e.name.lastIndexOf('.');
    if (dot <= 0) continue;
    const ext = e.name.slice(dot + 1);
    if (!EXT_FORMAT[ext]) continue;
    const base = e.name.slice(0, dot);
    out.push({ id: rel ? `${rel}/${base}` : base, lang, ext, file: full, dirIndex });
  }
  await Promise.all(subdirs);
}

async function measure(c: Candidate): Promise<number | undefined> {
  if (!isWavExt(c.ext)) {
    if (c.ext !== 'gsm' && !RAW_BYTES_PER_SECOND[c.ext]) return undefined;
    try {
      return durationFromSize(c.ext, (await stat(c.file)).size);
    } catch {
      return undefined;
    }
  }
  try {
    const fh = await open(c.file, 'r');
    try {
      const size = (await fh.stat()).size;
      const buf = Buffer.alloc(Math.min(size, 1024));
      await fh.read(buf, 0, buf.length, 0);
      return parseWavChunks(buf, size).durationMs;
    } finally {
      await fh.close();
    }
  } catch {
    return undefined; // unreadable or not a WAV after all: leave it out
  }
}

export class SoundCatalogue {
  /** id -> lang -> files, best first (earlier dir, then preferred format). */
  private readonly byId = new Map<string, Map<string, SoundFile[]>>();
  private readonly dirOf = new Map<SoundFile, number>();
  /** Files that looked like sounds but could not be measured. */
  readonly skipped: string[] = [];

  private constructor() {}

  /**
   * Scans `dirs` in order; for the same id, language and format an earlier dir wins, so put
   * real Asterisk sounds before stand-ins. Missing directories are skipped silently.
   */
  static async load(dirs: string[]): Promise<SoundCatalogue> {
    const cat = new SoundCatalogue();
    const found: Candidate[] = [];
    await Promise.all(dirs.map(async (d, i) => {
      if (await isDir(d)) await walk(path.resolve(d), '', 'en', i, 0, new Set(), found);
    }));
    found.sort((a, b) => a.dirIndex - b.dirIndex || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
    const durations = await mapBounded(found, IO_CONCURRENCY, measure);
    found.forEach((c, i) => {
      const ms = durations[i];
      if (ms === undefined) cat.skipped.push(c.file);
      else cat.add({ id: c.id, lang: c.lang, format: EXT_FORMAT[c.ext], durationMs: ms, path: c.file }, c.dirIndex);
    });
    const dirOf = (f: SoundFile): number => cat.dirOf.get(f) ?? 0;
    for (const langs of cat.byId.values()) {
      for (const files of langs.values()) {
        files.sort((a, b) => dirOf(a) - dirOf(b) || rank(a.format) - rank(b.format));
      }
    }
    return cat;
  }

  private add(f: SoundFile, dirIndex: number): void {
    let langs = this.byId.get(f.id);
    if (!langs) this.byId.set(f.id, (langs = new Map()));
    let files = langs.get(f.lang);
    if (!files) langs.set(f.lang, (files = []));
    if (files.some((x) => x.format === f.format)) return; // an earlier dir already has it
    files.push(f);
    this.dirOf.set(f, dirIndex);
  }

  /** Prefers `lang`, then its base language (en_GB -> en), then `en`, then any language. */
  get(id: string, lang = 'en'): SoundFile | undefined {
    const langs = this.byId.get(id);
    if (!langs) return undefined;
    const base = lang.split(/[_-]/)[0];
    for (const l of [lang, base, 'en']) {
      const files = langs.get(l);
      if (files?.length) return files[0];
    }
    const any = [...langs.keys()].sort()[0];
    return any === undefined ? undefined : langs.get(any)?.[0];
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  get size(): number {
    return this.byId.size;
  }

  /** ARI GET /sounds: only the formats matching the filter are listed, sounds with none are left out. */
  list(filter: { lang?: string; format?: string } = {}): AriSound[] {
    const out: AriSound[] = [];
    for (const id of [...this.byId.keys()].sort()) {
      const formats: AriSound['formats'] = [];
      for (const [language, files] of [...this.byId.get(id)!.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
        if (filter.lang && filter.lang !== language) continue;
        for (const f of files) {
          if (filter.format && filter.format !== f.format) continue;
          formats.push({ language, format: f.format });
        }
      }
      if (formats.length) out.push({ id, formats });
    }
    return out;
  }
}

function rank(format: string): number {
  const i = FORMAT_PREFERENCE.indexOf(format);
  return i < 0 ? FORMAT_PREFERENCE.length : i;
}
