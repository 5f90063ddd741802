// Caller numbers are masked in everything the desk logs: request URLs with a caller filter, fields named like a
// caller number at any depth the desk uses, and the lines written while handling calls, work orders and events.
import t from 'tap';
import { maskNumber, maskUrl } from '../agent-desk/log.js';
import { startDesk, type TestDesk } from './helpers/desk.js';

const NUMBER = '13800138000';
const MASKED = '138****8000';

t.test('maskNumber and maskUrl', async (t) => {
  t.equal(maskNumber(NUMBER), MASKED);
  t.equal(maskNumber('057188889999'), '057*****9999');
  t.equal(maskNumber('8001'), '**01', 'short numbers keep two digits');
  t.equal(maskUrl(`/api/calls?caller=${NUMBER}&line=consultation`), `/api/calls?caller=${MASKED}&line=consultation`);
  t.equal(maskUrl('/api/work-orders/12?x=1'), '/api/work-orders/12?x=1', 'other parameters and paths untouched');
});

t.test('no full caller number reaches the log while the desk works', async (t) => {
  const d: TestDesk = await startDesk();
  t.teardown(() => d.close());
  await d.staff({ staffNo: 'lawyer1', role: 'agent' });
  await d.staff({ staffNo: 'supervisor', role: 'supervisor' });
  const l1 = await d.cookie('lawyer1');
  const sup = await d.cookie('supervisor');
  await d.insertCall({ callId: 'c1', callerNumber: NUMBER, agent: null, line: 'consultation' });
  await d.publish({ type: 'offered', staffNo: 'lawyer1', callId: 'c1', callerNumber: NUMBER, line: 'consultation', priority: 0, green: false, ivrPath: [], at: new Date().toISOString() });
  t.equal((await d.req('POST', '/api/work-orders', l1, { callId: 'c1', serviceLine: 'consultation', matter: '咨询', answer: '已答复', disposition: 'resolved' })).status, 201);
  t.equal((await d.req('GET', `/api/calls?caller=${NUMBER}`, sup)).status, 200);
  t.equal((await d.req('GET', `/api/work-orders?caller=${NUMBER}`, l1)).status, 200);
  t.equal((await d.req('GET', `/api/work-orders?caller=${NUMBER}&typo=1`, l1)).status, 400);
  t.equal((await d.req('GET', `/api/nowhere?caller=${NUMBER}`, l1)).status, 404);
  d.app.log.info({ callerNumber: NUMBER, event: { callerNumber: NUMBER }, call: { row: { caller_number: NUMBER } } }, 'a line with numbers');

  const text = d.logs.join('');
  t.ok(d.logs.length > 10, 'the desk did log');
  t.notOk(text.includes(NUMBER), 'the full number appears nowhere');
  t.match(text, `"url":"/api/calls?caller=${MASKED}"`, 'request URLs are masked');
  t.match(text, `"callerNumber":"${MASKED}","event":{"callerNumber":"${MASKED}"},"call":{"row":{"caller_number":"${MASKED}"}}`);
});
