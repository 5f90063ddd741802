import t from 'tap';
import { set } from '../flows/nodes/set.js';
import { FakePort, runNode } from './fixtures/flows/harness.js';

t.test('done: tags the call and keeps line, topic and priority as variables', async (t) => {
  const port = new FakePort();
  const { result, vars } = await runNode(set, {
    line: 'consultation', topic: 'marriage-family', priority: 5, vars: { asked: true }, tags: { greenChannel: true },
  }, port, { vars: { old: 1 } });
  t.same(result, { outcome: 'done' });
  t.same(port.tags, { line: 'consultation', topic: 'marriage-family', priority: 5, greenChannel: true });
  t.same(vars, { old: 1, line: 'consultation', topic: 'marriage-family', priority: 5, asked: true });
});

t.test('set acts only on the record: it works after a hang-up too (the record is still written)', async (t) => {
  const port = new FakePort();
  port.hungUp = true;
  t.same((await runNode(set, { line: 'operator' }, port)).result, { outcome: 'done' });
  t.equal(port.tags.line, 'operator');
});

t.test('schema', async (t) => {
  t.notOk(set.schema.safeParse({}).success, 'sets nothing');
  t.notOk(set.schema.safeParse({ line: 'lawyer' }).success, 'unknown line');
  t.notOk(set.schema.safeParse({ topic: 'Marriage' }).success);
  t.notOk(set.schema.safeParse({ priority: 10 }).success);
  t.notOk(set.schema.safeParse({ vars: { '1x': 1 } }).success);
  t.notOk(set.schema.safeParse({ vars: { x: [1] } }).success);
});
