import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import t from 'tap';
import { BUILTIN_SOUNDS, BUILTIN_SOUNDS_DIR, loadSimSounds, traceSoundDurations } from '../pbx-sim/media/builtin-sounds.js';
import { SoundCatalogue } from '../pbx-sim/media/sounds.js';
import { decodePcm16, durationOfSoundFile, encodeWav, headerOnlyWav, parseWav, recordingWav, rms } from '../pbx-sim/media/wav.js';

function tempDir(t: { teardown(fn: () => void): void }): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'sim-media-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function put(file: string, data: Buffer | string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, data);
}

const gsm = (ms: number): Buffer => Buffer.alloc((ms / 20) * 33);
const wavOf = (ms: number, rate = 8000): Buffer => encodeWav(new Int16Array((ms * rate) / 1000), rate);

t.test('encodeWav / parseWav round trip', async (t) => {
  const samples = Int16Array.from({ length: 8000 }, (_, i) => Math.round(Math.sin(i / 5) * 10000));
  const buf = encodeWav(samples);
  const info = parseWav(buf);
  t.same(info, { sampleRate: 8000, channels: 1, bitsPerSample: 16, format: 1, dataOffset: 44, dataBytes: 16000, durationMs: 1000 });
  t.same(Array.from(decodePcm16(buf)), Array.from(samples));
  t.equal(parseWav(encodeWav(new Int16Array(8000), 16000)).durationMs, 500);
});

t.test('parseWav walks chunks and rejects bad headers', async (t) => {
  const plain = wavOf(100);
  // Insert an odd-sized LIST chunk (padded to even) between fmt and data.
  const list = Buffer.concat([Buffer.from('LIST'), Buffer.from([3, 0, 0, 0]), Buffer.from('abc'), Buffer.alloc(1)]);
  const withList = Buffer.concat([plain.subarray(0, 36), list, plain.subarray(36)]);
  withList.writeUInt32LE(withList.length - 8, 4);
  const info = parseWav(withList);
  t.equal(info.dataOffset, 56);
  t.equal(info.durationMs, 100);

  t.throws(() => parseWav(Buffer.from('nope')), /too short/);
  t.throws(() => parseWav(Buffer.concat([Buffer.from('RIFX'), plain.subarray(4)])), /RIFF magic/);
  t.throws(() => parseWav(Buffer.concat([plain.subarray(0, 8), Buffer.from('AVI '), plain.subarray(12)])), /not WAVE/);
  t.throws(() => parseWav(plain.subarray(0, 36)), /no data chunk/);
  t.throws(() => parseWav(Buffer.concat([plain.subarray(0, 12), plain.subarray(36)])), /data chunk before fmt/);
  t.throws(() => parseWav(plain.subarray(0, 30)), /fmt chunk truncated/);
});

t.test('headerOnlyWav is byte-identical to what Asterisk left after a hang-up (e-recordings)', async (t) => {
  const fromTrace = '524946462400000057415645666d74201000000001000100401f0000803e0000020010006461746100000000';
  t.equal(headerOnlyWav().toString('hex'), fromTrace);
  t.equal(parseWav(headerOnlyWav()).durationMs, 0);
});

t.test('recordingWav: length, voice in speech intervals, digital silence elsewhere', async (t) => {
  const buf = recordingWav({ durationMs: 3000, speech: [{ startMs: 500, endMs: 1500 }, { startMs: 2000, endMs: 2600 }] });
  t.equal(buf.length, 8000 * 2 * 3 + 44);
  const s = decodePcm16(buf);
  const at = (ms: number): number => (ms * 8000) / 1000;
  t.ok(rms(s, at(500), at(1500)) > 1500, 'first utterance is loud');
  t.ok(rms(s, at(2000), at(2600)) > 1500, 'second utterance is loud');
  for (const [a, b] of [[0, 500], [1500, 2000], [2600, 3000]]) {
    t.ok(s.subarray(at(a), at(b)).every((x) => x === 0), `${a}-${b} ms is all zero`);
  }
  t.same(buf, recordingWav({ durationMs: 3000, speech: [{ startMs: 500, endMs: 1500 }, { startMs: 2000, endMs: 2600 }] }), 'deterministic');
  t.equal(recordingWav({ durationMs: 2500, speech: [], sampleRate: 16000 }).length, 16000 * 2 * 2.5 + 44);
});

t.test('durationOfSoundFile by format', async (t) => {
  const dir = tempDir(t);
  const cases: Array<[string, Buffer, number | undefined]> = [
    ['a.gsm', gsm(1000), 1000],
    ['hello-world.gsm', Buffer.alloc(2343), 1420], // Debian's: 71 frames
    ['partial.gsm', Buffer.alloc(33 * 3 + 10), 60],
    ['a.ulaw', Buffer.alloc(8000), 1000],
    ['a.alaw', Buffer.alloc(4000), 500],
    ['a.pcm', Buffer.alloc(12000), 1500],
    ['a.sln16', Buffer.alloc(32000), 1000],
    ['a.g722', Buffer.alloc(16000), 2000],
    ['a.wav', wavOf(750), 750],
    ['bad.wav', Buffer.from('garbage garbage garbage garbage garbage garbage'), undefined],
    ['a.mp3', Buffer.alloc(100), undefined],
  ];
  for (const [name, data, ms] of cases) {
    put(path.join(dir, name), data);
    t.equal(await durationOfSoundFile(path.join(dir, name)), ms, name);
  }
  t.equal(await durationOfSoundFile(path.join(dir, 'missing.gsm')), undefined);
});

t.test('SoundCatalogue scans languages, nested folders and legacy files', async (t) => {
  const a = tempDir(t);
  const b = tempDir(t);
  put(path.join(a, 'en/hello-world.gsm'), gsm(1420));
  put(path.join(a, 'en/digits/1.gsm'), gsm(400));
  put(path.join(a, 'en/digits/deep/x.ulaw'), Buffer.alloc(800));
  put(path.join(a, 'fr/hello-world.wav'), wavOf(1600));
  put(path.join(a, 'es/only-es.gsm'), gsm(200));
  put(path.join(a, 'legacy.ulaw'), Buffer.alloc(4000));
  put(path.join(a, 'prompts/welcome.gsm'), gsm(2000));
  put(path.join(a, 'en/broken.wav'), Buffer.from('not a wav at all, really not'));
  put(path.join(a, 'en/README.txt'), 'ignored');
  put(path.join(a, 'en/.hidden.gsm'), gsm(20));
  symlinkSync(path.join(a, 'en'), path.join(a, 'en_US'));
  put(path.join(b, 'en/hello-world.gsm'), gsm(9000));
  put(path.join(b, 'en/hello-world.wav'), wavOf(9000));
  put(path.join(b, 'en/only-b.wav'), wavOf(300));

  const cat = await SoundCatalogue.load([a, path.join(a, 'does-not-exist'), b]);
  t.same(cat.get('hello-world', 'en'), { id: 'hello-world', lang: 'en', format: 'gsm', durationMs: 1420, path: path.join(a, 'en/hello-world.gsm') },
    'the earlier dir wins over a later one, even over a preferred format');
  t.equal(cat.get('digits/1')?.durationMs, 400);
  t.equal(cat.get('digits/deep/x')?.format, 'ulaw');
  t.equal(cat.get('digits/1', 'en_US')?.lang, 'en_US', 'symlinked language folder is followed');
  t.equal(cat.get('legacy')?.lang, 'en', 'a file with no language folder counts as en');
  t.equal(cat.get('legacy')?.durationMs, 500);
  t.equal(cat.get('prompts/welcome')?.lang, 'en', 'non-language top folder is a sound folder');
  t.equal(cat.get('only-b')?.durationMs, 300);
  t.ok(cat.has('hello-world'));
  t.notOk(cat.has('broken'), 'unreadable WAV left out');
  t.ok(cat.skipped.some((f) => f.endsWith('broken.wav')));
  t.notOk(cat.has('README'));
  t.notOk(cat.has('.hidden'));
  t.equal(cat.size, 7);

  t.test('language fallback: asked, base, en, then any', async (t) => {
    t.equal(cat.get('hello-world', 'fr')?.lang, 'fr');
    t.equal(cat.get('hello-world', 'fr')?.format, 'wav');
    t.equal(cat.get('hello-world', 'fr_CA')?.lang, 'fr');
    t.equal(cat.get('hello-world', 'de')?.lang, 'en');
    t.equal(cat.get('only-es', 'de')?.lang, 'es');
    t.equal(cat.get('nope'), undefined);
  });

  t.test('list() has the ARI Sound shape', async (t) => {
    const hello = cat.list().find((s) => s.id === 'hello-world');
    // No `text` key: Asterisk leaves it out when a sound has no description (e-recordings).
    t.same(hello, {
      id: 'hello-world',
      formats: [
        { language: 'en', format: 'gsm' }, { language: 'en', format: 'wav' },
        { language: 'en_US', format: 'gsm' }, { language: 'fr', format: 'wav' },
      ],
    });
    t.same(cat.list({ lang: 'fr' }).map((s) => s.id), ['hello-world']);
    t.same(cat.list({ lang: 'es', format: 'gsm' }), [{ id: 'only-es', formats: [{ language: 'es', format: 'gsm' }] }]);
    t.same(cat.list({ format: 'ulaw' }).map((s) => s.id), ['digits/deep/x', 'legacy']);
  });
});

t.test('SoundCatalogue.load: no dirs, missing dirs', async (t) => {
  const cat = await SoundCatalogue.load([path.join(tmpdir(), 'no-such-sounds-dir-xyz')]);
  t.equal(cat.size, 0);
  t.same(cat.list(), []);
  t.equal((await SoundCatalogue.load([])).size, 0);
});

t.test('SoundCatalogue loads 2,000 files in under a second', async (t) => {
  const dir = tempDir(t);
  for (let i = 0; i < 1000; i++) {
    put(path.join(dir, 'en', `set${i % 10}`, `p${i}.gsm`), gsm(20 * (1 + (i % 50))));
    put(path.join(dir, 'fr', `p${i}.wav`), wavOf(10 * (i % 7)));
  }
  const t0 = performance.now();
  const cat = await SoundCatalogue.load([dir]);
  const ms = performance.now() - t0;
  t.equal(cat.size, 2000);
  t.equal(cat.get('set3/p3')?.durationMs, 80);
  t.equal(cat.get('p13', 'fr')?.durationMs, 60);
  t.ok(ms < 1000, `took ${ms.toFixed(0)} ms`);
});

t.test('built-in stand-in sounds match the real prompts', async (t) => {
  const cat = await loadSimSounds([BUILTIN_SOUNDS_DIR]);
  const traced = traceSoundDurations();
  let total = 0;
  for (const s of BUILTIN_SOUNDS) {
    const f = cat.get(s.id);
    t.ok(f, `${s.id} exists (run scripts/make-sim-sounds.ts)`);
    if (!f) continue;
    total += statSync(f.path).size;
    t.equal(f.durationMs, s.durationMs, `${s.id} length`);
    const info = parseWav(readFileSync(f.path));
    t.same([info.sampleRate, info.channels, info.bitsPerSample, info.format], [8000, 1, 16, 1], `${s.id} is 8 kHz 16-bit mono PCM`);
    const seen = traced[s.id];
    if (seen) t.ok(Math.abs(seen.medianMs - s.durationMs) <= 30, `${s.id}: ${s.durationMs} ms vs Asterisk ${seen.medianMs} ms`);
  }
  t.ok(total < 2 * 1024 * 1024, `stand-ins total ${total} bytes`);
  t.ok(traced['hello-world'], 'trace-sound-durations.json lists hello-world');
});
