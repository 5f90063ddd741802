// The prompt catalogue: every id the flow needs, sane texts, menus in step with their keys, read-outs built from
// existing pieces, and committed sounds/zh in step with the catalogue.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import {
  DEFAULT_CENTRE, GREEN_CHANNEL_KEY, isPromptId, MENUS, PROMPT_IDS, PROMPTS, promptText, REQUIRED_PROMPTS,
} from '../prompts/catalogue.js';
import { promptHash, readManifest } from '../prompts/generate.js';
import { speechText } from '../prompts/pronounce.js';
import { datePrompts, digitPrompts, numberPrompts, timePrompts } from '../prompts/say.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const text = (ids: string[]) => ids.map((id) => promptText(id)).join('');

t.test('every prompt the flow, controller and dialplan need exists, with a non-empty text', async (t) => {
  for (const id of REQUIRED_PROMPTS) t.ok(isPromptId(id), `catalogue has ${id}`);
  for (const id of PROMPT_IDS) {
    t.match(id, /^[a-z0-9]+(?:-[a-z0-9]+)*$/, `${id} is kebab-case ASCII`);
    const s = promptText(id);
    t.ok(s.trim().length > 0, `${id} has text`);
    t.match(s, /\p{Script=Han}/u, `${id} is Chinese`);
    t.notMatch(s, /[{}]/, `${id} has no unfilled placeholder`);
  }
  for (const [id, raw] of Object.entries(PROMPTS)) {
    for (const [, name] of raw.matchAll(/\{(\w+)\}/g)) t.ok(['centre', 'hours'].includes(name), `${id}: known placeholder {${name}}`);
  }
});

t.test('the dialplan fallback plays prompts that exist', async (t) => {
  const conf = readFileSync(path.join(ROOT, 'deploy/asterisk/extensions.conf'), 'utf8');
  const played = [...conf.matchAll(/^[^;\n]*Playback\(([^),]+)/gm)].map((m) => m[1].trim());
  t.ok(played.length >= 2, `extensions.conf plays ${played.join(', ')}`);
  for (const id of played) t.ok(isPromptId(id), `catalogue has ${id}`);
  t.ok(played.includes('hotline-unavailable') && played.includes('hotline-callback-later'));
});

t.test('greeting: centre name, hotline number, recording notice, green channel key', async (t) => {
  t.match(promptText('greeting'), DEFAULT_CENTRE);
  t.match(promptText('greeting', { centre: '某某市公共法律服务中心' }), '某某市公共法律服务中心');
  t.notMatch(promptText('greeting', { centre: '某某市公共法律服务中心' }), DEFAULT_CENTRE);
  t.match(promptText('greeting'), '12348');
  t.match(promptText('recording-notice'), '本次通话将被录音');
  t.equal(GREEN_CHANNEL_KEY, '8');
  t.match(promptText('green-channel-offer'), /老年人.*残疾人.*未成年人.*请按8/);
  t.match(promptText('survey-menu'), '满意请按1，基本满意请按2，不满意请按3');
  t.match(promptText('lawyer-id-prompt'), '请输入律师工号，以井号键结束');
  t.match(promptText('after-hours'), /星期一至星期五，上午8点半到中午12点，下午2点到5点半；法定节假日休息/);
  t.match(promptText('after-hours', { hours: '每天24小时' }), '每天24小时');
  t.match(promptText('leave-message'), /提示音.*下一个工作日给您回电/);
  t.throws(() => promptText('no-such-prompt'), /unknown prompt id/);
});

t.test('menus: each key is announced with its label, 0 reaches a person in every menu', async (t) => {
  for (const [menu, keys] of Object.entries(MENUS)) {
    for (const [key, entry] of Object.entries(keys)) {
      const where = 'announcedIn' in entry ? entry.announcedIn : menu;
      const said = 'announcedIn' in entry ? `请按${key}` : `${entry.label}请按${key}`;
      t.ok(promptText(where).includes(said), `${where} says ${said}`);
    }
  }
  const main = MENUS['main-menu'];
  t.same(Object.keys(main).sort(), ['0', '1', '2', '3', '4', '5', '8', '9']);
  t.same(['1', '2', '3', '4', '5', '0'].map((k) => (main[k as keyof typeof main] as { line?: string }).line),
    ['consultation', 'application', 'appointment', 'supervision', 'complaint', 'operator']);
  for (const menu of ['main-menu', 'consultation-menu', 'application-menu'] as const) {
    t.match(promptText(menu), '人工服务请按0', `${menu}: a person is always reachable`);
  }
  t.same(Object.values(MENUS['consultation-menu']).flatMap((e) => ('topic' in e ? [e.label] : [])),
    ['婚姻家庭', '劳动和欠薪', '合同和债务', '交通事故', '土地和房产', '其他问题']);
  const app = MENUS['application-menu'];
  t.same((['1', '2', '3', '4', '5'] as const).map((k) => app[k].label), ['法律援助', '公证', '人民调解', '司法鉴定', '查询申请进度']);
});

t.test('pronunciation fixes for espeak', async (t) => {
  t.equal(speechText('重听请按9'), 'chong2 ting1请按9');
  t.equal(speechText('人民调解请按3'), '人民tiao2 jie3请按3');
  t.equal(speechText('拨打12348热线'), '拨打幺二三四八热线');
  t.equal(speechText('土地和房产'), 'tu3 di4和房产');
  t.equal(speechText('请按1'), '请按1', 'untouched elsewhere');
});

t.test('read-outs use existing prompts', async (t) => {
  const check = (ids: string[]) => ids.every(isPromptId);
  t.equal(text(digitPrompts('2025-0117')), '二零二五零幺幺七', 'digits: 幺 for 1, separators skipped');
  t.equal(text(numberPrompts(2)), '两');
  t.equal(text(numberPrompts(2, { count: false })), '二');
  t.equal(text(numberPrompts(12)), '十二');
  t.equal(text(numberPrompts(20)), '二十');
  t.equal(text(numberPrompts(105)), '一百零五');
  t.equal(text(numberPrompts(112)), '一百一十二');
  t.equal(text(numberPrompts(2010)), '两千零一十');
  t.equal(text(numberPrompts(0)), '零');
  t.throws(() => numberPrompts(10000), RangeError);
  t.equal(text(datePrompts('2025-10-09')), '十月九号星期四');
  t.equal(text(datePrompts('2026-02-02', { weekday: false })), '二月二号');
  t.equal(text(timePrompts(8 * 60 + 30)), '上午八点半');
  t.equal(text(timePrompts(14 * 60 + 5)), '下午两点零五分');
  t.equal(text(timePrompts(12 * 60)), '中午十二点');
  t.equal(text(timePrompts(17 * 60 + 45)), '下午五点四十五分');
  t.ok(check([...digitPrompts('0123456789'), ...numberPrompts(9999), ...timePrompts(1439), ...timePrompts(0), ...datePrompts('2026-12-27')]));
});

t.test('committed sounds/zh are in step with the catalogue', async (t) => {
  const dir = path.join(ROOT, 'sounds', 'zh');
  const manifest = readManifest(dir);
  if (!manifest) return t.fail('sounds/zh/manifest.json is missing: run npm run prompts and commit sounds/zh');
  const studioDir = path.join(ROOT, 'prompts', 'studio');
  const studio = existsSync(studioDir) ? new Map(
    readdirSync(studioDir).filter((n) => !n.startsWith('.') && !/\.(md|txt|json)$/.test(n))
      .map((n) => [n.slice(0, n.lastIndexOf('.')), path.join(studioDir, n)] as const),
  ) : new Map<string, string>();
  const stale = PROMPT_IDS.filter((id) => {
    const e = manifest.prompts[id];
    const file = path.join(dir, `${id}.wav`);
    return !e || e.hash !== promptHash(id, {}, studio.get(id)) || !existsSync(file) || statSync(file).size !== e.bytes;
  });
  t.same(stale, [], 'out of date (run npm run prompts and commit sounds/zh)');
  t.same(Object.keys(manifest.prompts).filter((id) => !isPromptId(id)), [], 'no prompts left over from removed ids');
});
