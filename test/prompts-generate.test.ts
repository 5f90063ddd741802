// npm run prompts: real espeak-ng + sox into a temp dir — valid 8 kHz 16-bit mono WAVs, studio overrides, and
// nothing rebuilt that did not change.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import t, { type Test } from 'tap';
import { parseWav } from '../pbx-sim/media/wav.js';
import { espeakVersion, generatePrompts, MissingToolError, readManifest, requireTools, soxVersion } from '../prompts/generate.js';

const haveTools = Boolean(espeakVersion() && soxVersion());

function tempDirs(t: Test): { out: string; studio: string } {
  const root = mkdtempSync(path.join(tmpdir(), 'prompts-test-'));
  t.teardown(() => rmSync(root, { recursive: true, force: true }));
  const studio = path.join(root, 'studio');
  mkdirSync(studio);
  return { out: path.join(root, 'zh'), studio };
}

/** RMS of a WAV according to sox: speech, not silence. */
function rms(file: string): number {
  const out = spawnSync('sox', [file, '-n', 'stat']).stderr.toString(); // sox prints stat on stderr
  return Number(/RMS\s+amplitude:\s+([\d.]+)/.exec(out)?.[1] ?? 0);
}

function checkWav(t: Test, file: string, minMs: number): void {
  const info = parseWav(readFileSync(file));
  t.equal(info.sampleRate, 8000, `${path.basename(file)}: 8000 Hz`);
  t.equal(info.channels, 1, 'mono');
  t.equal(info.bitsPerSample, 16, '16-bit');
  t.equal(info.format, 1, 'PCM');
  t.ok(info.durationMs > minMs, `lasts ${info.durationMs} ms > ${minMs} ms`);
}

t.test('missing tools give a clear error naming the Debian packages', async (t) => {
  const saved = process.env.PATH;
  process.env.PATH = '/nonexistent';
  try {
    t.throws(() => requireTools(true), { name: 'MissingToolError' });
    t.ok((() => { try { requireTools(false); } catch (e) { return e instanceof MissingToolError; } })(), 'an instance of MissingToolError');
    t.throws(() => requireTools(true), /sox \(Debian package sox\).*espeak-ng \(Debian packages espeak-ng/);
  } finally {
    process.env.PATH = saved;
  }
});

t.test('dry run needs no tools: reports what would be built and what would be removed', async (t) => {
  const { out } = tempDirs(t);
  mkdirSync(out);
  writeFileSync(path.join(out, 'manifest.json'), JSON.stringify({
    format: 1, voice: 'x', speed: 1, sampleRate: 8000,
    prompts: { 'old-prompt': { hash: 'x', source: 'espeak', text: '旧', bytes: 1, durationMs: 1 } },
  }));
  const r = await generatePrompts({ outDir: out, dryRun: true });
  t.ok(r.synthesised.includes('greeting') && r.synthesised.includes('main-menu'));
  t.same(r.removed, ['old-prompt']);
  t.same(readManifest(out)?.prompts['old-prompt']?.text, '旧', 'nothing written');
});

t.test('espeak-ng + sox: valid prompts, studio override, only changes rebuilt', { skip: haveTools ? false : 'espeak-ng or sox not installed (apt-get install -y espeak-ng sox)' }, async (t) => {
  const { out, studio } = tempDirs(t);
  const ids = ['recording-notice', 'survey-menu', 'greeting'];
  const first = await generatePrompts({ outDir: out, studioDir: studio, ids });
  t.same(first.synthesised.sort(), [...ids].sort());
  for (const id of ids) {
    const file = path.join(out, `${id}.wav`);
    checkWav(t, file, 300);
    t.ok(rms(file) > 0.03, `${id} carries speech (RMS ${rms(file)})`);
  }
  t.ok(parseWav(readFileSync(path.join(out, 'survey-menu.wav'))).durationMs > 3000, 'a three-choice menu takes seconds');
  const m1 = readManifest(out)!;
  t.equal(m1.prompts['greeting'].source, 'espeak');
  t.match(m1.prompts['greeting'].text, '某某县公共法律服务中心');
  t.equal(first.totalBytes, ids.reduce((n, id) => n + statSync(path.join(out, `${id}.wav`)).size, 0));

  // Unchanged: nothing rebuilt, files untouched.
  const mtimes = ids.map((id) => statSync(path.join(out, `${id}.wav`)).mtimeMs);
  const again = await generatePrompts({ outDir: out, studioDir: studio, ids });
  t.same(again.synthesised, []);
  t.same(again.unchanged.sort(), [...ids].sort());
  t.same(ids.map((id) => statSync(path.join(out, `${id}.wav`)).mtimeMs), mtimes);

  // A new centre name changes only the greeting.
  const renamed = await generatePrompts({ outDir: out, studioDir: studio, ids, vars: { centre: '某某市公共法律服务中心' } });
  t.same(renamed.synthesised, ['greeting']);
  t.match(readManifest(out)!.prompts['greeting'].text, '某某市公共法律服务中心');

  // A studio recording (44.1 kHz stereo, 1.5 s) replaces survey-menu.
  const rec = path.join(studio, 'survey-menu.wav');
  execFileSync('sox', ['-n', '-r', '44100', '-c', '2', '-b', '16', rec, 'synth', '1.5', 'sine', '440', 'gain', '-6']);
  writeFileSync(path.join(studio, 'survey-mneu.flac'), ''); // a typo: reported, not used
  const withStudio = await generatePrompts({ outDir: out, studioDir: studio, ids, vars: { centre: '某某市公共法律服务中心' } });
  t.same(withStudio.studio, ['survey-menu']);
  t.same(withStudio.synthesised, []);
  t.same(withStudio.unknownStudio, ['survey-mneu']);
  checkWav(t, path.join(out, 'survey-menu.wav'), 1400);
  t.ok(parseWav(readFileSync(path.join(out, 'survey-menu.wav'))).durationMs < 1600, 'the recording, not the synthetic 3 s menu');
  t.equal(readManifest(out)!.prompts['survey-menu'].source, 'studio/survey-menu.wav');
  unlinkSync(path.join(studio, 'survey-mneu.flac'));

  // A new take of the recording is picked up; removing it brings the synthetic voice back.
  execFileSync('sox', ['-n', '-r', '16000', '-c', '1', rec, 'synth', '2', 'sine', '300']);
  t.same((await generatePrompts({ outDir: out, studioDir: studio, ids, vars: { centre: '某某市公共法律服务中心' } })).studio, ['survey-menu']);
  unlinkSync(rec);
  const back = await generatePrompts({ outDir: out, studioDir: studio, ids, vars: { centre: '某某市公共法律服务中心' } });
  t.same(back.synthesised, ['survey-menu']);
  t.equal(readManifest(out)!.prompts['survey-menu'].source, 'espeak');

  // A file damaged or deleted on disk is rebuilt even though the manifest says it is current.
  writeFileSync(path.join(out, 'recording-notice.wav'), 'broken');
  const repaired = await generatePrompts({ outDir: out, studioDir: studio, ids: ['recording-notice'], vars: { centre: '某某市公共法律服务中心' } });
  t.same(repaired.synthesised, ['recording-notice']);
  checkWav(t, path.join(out, 'recording-notice.wav'), 300);

  t.same((await generatePrompts({ outDir: out, ids: ['goodbye'], force: false })).synthesised, ['goodbye']);
  t.same((await generatePrompts({ outDir: out, ids: ['goodbye'], force: true })).synthesised, ['goodbye'], '--force rebuilds');
});

t.test('two studio files for one id is an error', { skip: haveTools ? false : 'sox not installed' }, async (t) => {
  const { out, studio } = tempDirs(t);
  writeFileSync(path.join(studio, 'goodbye.wav'), '');
  writeFileSync(path.join(studio, 'goodbye.flac'), '');
  await t.rejects(generatePrompts({ outDir: out, studioDir: studio, ids: ['goodbye'] }), /two studio recordings for goodbye/);
});

t.test('a recording sox cannot read fails with the prompt named', { skip: haveTools ? false : 'sox not installed' }, async (t) => {
  const { out, studio } = tempDirs(t);
  writeFileSync(path.join(studio, 'goodbye.wav'), 'not audio');
  await t.rejects(generatePrompts({ outDir: out, studioDir: studio, ids: ['goodbye'] }), /prompt goodbye:/);
});
