// Each queue's own settings from the service_queue table: the complaints queue announces every 10 s (0.5 s at the
// test's 20x), the supervision queue every 120 s (6 s real).
import t from 'tap';
import { line, startAcdHotline, type AcdHotline } from './helpers/acd.js';
import { sleep } from './helpers/sim.js';

let a: AcdHotline;
t.before(async () => { a = await startAcdHotline({ lawyers: [] }); });
t.teardown(() => a.close());

t.test('the service_queue row of a line sets its announcement interval', async (t) => {
  t.same((await a.h.sql('select line, name, answer_target_sec from service_queue order by line')).map((r: any) => r.name).sort(),
    ['业务申请', '人工服务', '办事预约', '投诉建议', '政务监督', '法律咨询'].sort(), 'one queue per line plus the operator\'s, named');
  await a.h.sql(`update service_queue set announce_every_sec = 10 where line = 'complaint'`);
  await a.h.sql(`update service_queue set announce_every_sec = 120 where line = 'supervision'`);
  const complaint = await line(a.h, '13900000951', '5');
  const supervision = await line(a.h, '13900000952', '4');
  await a.h.waitHeard(complaint, 'moh:default');
  await a.h.waitHeard(supervision, 'moh:default');
  await sleep(1500);
  const heard = async (id: string) => (await a.h.heard(id)).filter((m) => m === 'queue-apology').length;
  t.ok((await heard(complaint)) >= 1, 'complaints: announced within 1.5 s (every 0.5 s real)');
  t.equal(await heard(supervision), 0, 'supervision: not yet');
  for (const id of [complaint, supervision]) await a.h.hangup(id);
});
