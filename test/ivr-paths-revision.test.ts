// Publishing the 12348 flow while calls are in progress: a call finishes on the revision it started with, the next
// call takes the new one, and every call record (and ledger row) names its revision. Its own hotline: the test
// changes the published flow.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import t from 'tap';
import { FlowRejected } from '../ivr/flow-store.js';
import { startHotline, type TestHotline } from './helpers/hotline.js';
import { checkLedger, finished, GREETING, hangUpInQueue, MOH, pressAt } from './helpers/paths.js';
import { ROOT } from './helpers/sim.js';

let h: TestHotline;
t.before(async () => { h = await startHotline(); });
t.teardown(() => h.close());

t.test('a new revision affects only new calls', async (t) => {
  const text = await readFile(path.join(ROOT, 'flows', '12348.yaml'), 'utf8');
  const rev1 = h.flows.current().revision;

  // Call A is in the main menu when the new revision is published.
  const a = await h.dial('13900000601');
  await h.waitHeard(a, 'main-menu');

  // Revision 2: an announcement before the consultation menu.
  const changed = text.replace('prompts: [consultation-menu]', 'prompts: [legal-aid-intro, consultation-menu]');
  t.not(changed, text, 'the variant differs');
  const rev2 = await h.flows.publish(changed, 'test', 'announcement before the consultation menu');
  t.equal(rev2, rev1 + 1, 'a new revision');
  t.equal(h.flows.current().revision, rev2, 'new calls take it');

  await h.press(a, '1');
  await pressAt(h, a, 'consultation-menu', '2');
  await hangUpInQueue(h, a);

  const b = await h.dial('13900000602');
  await pressAt(h, b, 'main-menu', '1');
  await pressAt(h, b, 'consultation-menu', '2');
  await hangUpInQueue(h, b);

  const fa = await finished(h, a);
  const fb = await finished(h, b);
  t.same(fa.heard, [...GREETING, 'main-menu', 'consultation-menu', MOH], 'the call in progress kept its revision');
  t.same(fb.heard, [...GREETING, 'main-menu', 'legal-aid-intro', 'consultation-menu', MOH], 'the next call runs the new one');
  t.match(fa.record, { flow_name: '12348', flow_revision: rev1, service_line: 'consultation', legal_topic: 'labour-wages' });
  t.match(fb.record, { flow_name: '12348', flow_revision: rev2, service_line: 'consultation', legal_topic: 'labour-wages' });
  t.equal(fa.ledger?.flow_revision, rev1, 'ledger: revision of the call in progress');
  t.equal(fb.ledger?.flow_revision, rev2, 'ledger: revision of the next call');
  checkLedger(t, fa);
  checkLedger(t, fb);

  const revs = await h.sql(`select revision, published_by, note from flow_revision where name = '12348' order by revision`);
  t.match(revs.at(-1), { revision: rev2, published_by: 'test', note: 'announcement before the consultation menu' });

  // Publishing the same text again is not a new revision.
  t.equal(await h.flows.publish(changed, 'test'), rev2, 'same text, same revision');
});

t.test('a flow that does not validate is refused and calls go on on the published one', async (t) => {
  const before = h.flows.current().revision;
  const text = await readFile(path.join(ROOT, 'flows', '12348.yaml'), 'utf8');
  const broken = text.replace("'1': line-consultation", "'1': no-such-node");
  const err = await h.flows.publish(broken, 'test').then(() => undefined, (e: unknown) => e);
  t.ok(err instanceof FlowRejected, 'refused');
  t.match((err as FlowRejected).problems, [/options\.1: target 'no-such-node' does not exist/], 'with the reason');
  t.equal(h.flows.current().revision, before, 'still the published revision');

  const id = await h.dial('13900000603');
  await pressAt(h, id, 'main-menu', '3');
  await hangUpInQueue(h, id);
  const f = await finished(h, id);
  t.same(f.heard, [...GREETING, 'main-menu', 'appointment-menu', MOH]);
  t.match(f.record, { flow_revision: before, service_line: 'appointment' });
  checkLedger(t, f);
});
