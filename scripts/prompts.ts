// npm run prompts — builds sounds/zh/<id>.wav from prompts/catalogue.ts (espeak-ng + sox), or from studio recordings
// in prompts/studio/. Only prompts whose text, voice settings or studio file changed are rebuilt.
//
//   npm run prompts                          build what changed
//   npm run prompts -- --force               rebuild everything
//   npm run prompts -- --only greeting,main-menu
//   npm run prompts -- --check               exit 1 if sounds/zh is out of date (no tools needed, writes nothing)
//   npm run prompts -- --phonemes            print what espeak will say, as phonemes with tones, to spot misreadings
//   npm run prompts -- --centre 某某市公共法律服务中心 --hours "mon-fri 09:00-17:00"
//
// The centre's name and hours are baked into the greeting, callback and after-hours prompts; they default to
// CENTRE_NAME / CENTRE_HOURS from the environment, else the catalogue's defaults (what the committed files say).
import path from 'node:path';
import { parseArgs } from 'node:util';
import { describeHours, parseOpeningHours } from '../lib/calendar/hours.js';
import { PROMPT_IDS, promptText, type PromptVars } from '../prompts/catalogue.js';
import { generatePrompts, MissingToolError, phonemes, requireTools } from '../prompts/generate.js';
import { speechText } from '../prompts/pronounce.js';

const ROOT = path.resolve(import.meta.dirname, '..');

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      out: { type: 'string', default: path.join(ROOT, 'sounds', 'zh') },
      studio: { type: 'string', default: path.join(ROOT, 'prompts', 'studio') },
      only: { type: 'string' },
      force: { type: 'boolean', default: false },
      check: { type: 'boolean', default: false },
      phonemes: { type: 'boolean', default: false },
      centre: { type: 'string' },
      hours: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log('usage: npm run prompts -- [--force] [--check] [--phonemes] [--only id,id] [--centre NAME] [--hours SPEC] [--out DIR] [--studio DIR]');
    return 0;
  }
  const blank = (s: string | undefined) => (s && s.trim() ? s.trim() : undefined);
  const hoursSpec = blank(values.hours) ?? blank(process.env.CENTRE_HOURS);
  const vars: PromptVars = {
    centre: blank(values.centre) ?? blank(process.env.CENTRE_NAME),
    hours: hoursSpec ? describeHours(parseOpeningHours(hoursSpec)) : undefined,
  };
  const ids = values.only ? values.only.split(',').map((s) => s.trim()).filter(Boolean) : undefined;

  if (values.phonemes) {
    requireTools(true);
    for (const id of ids ?? PROMPT_IDS) {
      const text = promptText(id, vars);
      const speech = speechText(text);
      console.log(`${id}\n  text    ${text}${speech !== text ? `\n  speech  ${speech}` : ''}\n  espeak  ${phonemes(speech)}`);
    }
    return 0;
  }

  const rel = (p: string) => path.relative(process.cwd(), p) || '.';
  const result = await generatePrompts({
    outDir: values.out, studioDir: values.studio, ids, vars, force: values.force, dryRun: values.check,
    log: (line) => console.log(`${rel(values.out)}/${line}`),
  });
  const changed = result.synthesised.length + result.studio.length + result.removed.length;
  if (values.check) {
    if (!changed) {
      console.log(`${rel(values.out)}: all ${result.unchanged.length} prompts up to date`);
      return 0;
    }
    const list = [...result.synthesised, ...result.studio].join(', ');
    console.error(`${rel(values.out)} is out of date: ${list}${result.removed.length ? `; to remove: ${result.removed.join(', ')}` : ''}. Run npm run prompts.`);
    return 1;
  }
  console.log(`${result.synthesised.length} synthesised, ${result.studio.length} from studio recordings, ` +
    `${result.unchanged.length} unchanged, ${result.removed.length} removed; ` +
    `${(ids ? 'selected' : 'all')} prompts ${(result.totalBytes / 1024).toFixed(0)} KiB in ${rel(values.out)}`);
  return 0;
}

main().then((code) => {
  process.exitCode = code;
}, (err: unknown) => {
  console.error(err instanceof MissingToolError ? `prompts: ${err.message}` : err);
  process.exitCode = err instanceof MissingToolError ? 2 : 1;
});
