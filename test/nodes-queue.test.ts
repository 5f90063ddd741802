import t from 'tap';
import { queue } from '../flows/nodes/queue.js';
import { FakePort, hangsUp, runNode } from './fixtures/flows/harness.js';

t.test('answered: line, topic, priority from the variables set earlier; the agent is kept', async (t) => {
  const port = new FakePort();
  const { result, vars } = await runNode(queue, { maxWaitMs: 60000, announce: ['please-hold'] }, port, {
    vars: { line: 'consultation', topic: 'labour', priority: 5 },
  });
  t.same(result, { outcome: 'answered' });
  t.same(port.calls('enqueue'), [{
    line: 'consultation', topic: 'labour', priority: 5, requestedAgent: undefined, maxWaitMs: 60000, announce: ['please-hold'],
  }]);
  t.equal(vars.agent, '8001');
  t.same(port.tags, {}, 'the line was already tagged by a set node');
});

t.test('a call with no line goes to the operator line and is recorded so', async (t) => {
  const port = new FakePort();
  const { vars } = await runNode(queue, {}, port);
  const req = port.calls('enqueue')[0] as { line: string; priority: number; maxWaitMs: number; announce: unknown };
  t.equal(req.line, 'operator');
  t.equal(req.priority, 0);
  t.equal(req.maxWaitMs, 120000);
  t.equal(req.announce, undefined);
  t.equal(vars.line, 'operator');
  t.same(port.tags, { line: 'operator' });
});

t.test('params win over variables; a named lawyer comes from agentVar', async (t) => {
  const port = new FakePort();
  await runNode(queue, { line: 'application', topic: 'legal-aid', priority: 3, agentVar: 'staffNumber' }, port, {
    vars: { line: 'consultation', staffNumber: '1024' },
  });
  const req = port.calls('enqueue')[0] as Record<string, unknown>;
  t.match(req, { line: 'application', topic: 'legal-aid', priority: 3, requestedAgent: '1024' });
});

t.test('overflow and error', async (t) => {
  let port = new FakePort();
  port.queues = [{ reason: 'overflow' }];
  t.same((await runNode(queue, {}, port)).result, { outcome: 'overflow' });
  port = new FakePort();
  port.queues = [{ reason: 'error', message: 'acd down' }];
  t.same((await runNode(queue, {}, port)).result, { outcome: 'error' });
});

t.test('hang-up while waiting propagates', async (t) => {
  const port = new FakePort();
  port.queues = ['hangup'];
  await hangsUp(t, runNode(queue, {}, port));
});

t.test('schema', async (t) => {
  t.notOk(queue.schema.safeParse({ line: 'lawyers' }).success);
  t.notOk(queue.schema.safeParse({ maxWaitMs: 10 }).success);
  t.notOk(queue.schema.safeParse({ announce: ['a b'] }).success);
});
