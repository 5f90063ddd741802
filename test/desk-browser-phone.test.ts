// The simulator's phone page (/sim/phone) is served with its script and style, in Chinese, and uses only the /sim/
// API (no ARI credentials in the page). The browser test (desk-browser.test.ts) drives it in Chromium.
import t from 'tap';
import { testSim } from './helpers/sim.js';

t.test('GET /sim/phone and its files', async (t) => {
  const sim = await testSim();
  t.teardown(() => sim.close());
  const page = await fetch(`${sim.url}/sim/phone`);
  t.equal(page.status, 200);
  t.match(page.headers.get('content-type'), /^text\/html/);
  const html = await page.text();
  for (const label of ['拨打12348', '挂断', '听到的内容', 'data-key="0"', 'data-key="#"', '/sim/phone/phone.js']) t.match(html, label);
  const js = await fetch(`${sim.url}/sim/phone/phone.js`);
  t.equal(js.status, 200);
  t.match(js.headers.get('content-type'), /javascript/);
  const code = await js.text();
  for (const route of ["'/sim/calls'", '/dtmf', '/hangup']) t.match(code, route);
  t.notMatch(code, /\/ari\//, 'the page never talks ARI');
  t.equal((await fetch(`${sim.url}/sim/phone/phone.css`)).status, 200);
  const texts = await (await fetch(`${sim.url}/sim/phone/prompts.json`)).json() as Record<string, string>;
  t.match(texts.greeting, /^您好，欢迎致电12348公共法律服务热线，某某县公共法律服务中心为您服务。$/, 'prompt words, variables filled');
  t.notMatch(JSON.stringify(texts), /\{\w+\}/, 'no placeholder left');
  t.equal((await fetch(`${sim.url}/sim/phone/nope.js`)).status, 404);
});
