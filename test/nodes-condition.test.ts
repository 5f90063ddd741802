import t from 'tap';
import { condition, conditionNode, evaluate, type Condition } from '../flows/nodes/condition.js';
import { FakePort, runNode } from './fixtures/flows/harness.js';

const port = new FakePort();
port.call.attributes.vulnerable = true;
port.call.attributes.district = '城关';
const vars = { line: 'consultation', age: '67', digits: '0', score: 3, empty: '' };
const ev = (c: Condition) => evaluate(condition.parse(c), vars, port.call);

t.test('true and false outcomes', async (t) => {
  t.same((await runNode(conditionNode, { attr: 'vulnerable', eq: true }, port, { vars })).result, { outcome: 'true' });
  t.same((await runNode(conditionNode, { var: 'line', eq: 'complaint' }, port, { vars })).result, { outcome: 'false' });
  t.same(port.log, [], 'a condition does not act on the call');
});

t.test('comparisons, loosely typed as callers type digits', async (t) => {
  t.ok(ev({ var: 'age', ge: 60 }));
  t.notOk(ev({ var: 'age', lt: 60 }));
  t.ok(ev({ var: 'age', le: 67 }));
  t.ok(ev({ var: 'score', gt: 2 }));
  t.ok(ev({ var: 'digits', eq: 0 }), "'0' equals 0");
  t.ok(ev({ var: 'line', ne: 'complaint' }));
  t.ok(ev({ var: 'line', in: ['consultation', 'application'] }));
  t.notOk(ev({ var: 'line', in: ['complaint'] }));
  t.ok(ev({ attr: 'district', eq: '城关' }));
  t.ok(ev({ call: 'callerNumber', matches: '^1[3-9][0-9]{9}$' }));
  t.ok(ev({ call: 'calledNumber', eq: '12348' }));
  t.notOk(ev({ var: 'line', gt: 1 }), 'not a number: numeric tests fail');
});

t.test('missing values', async (t) => {
  t.notOk(ev({ var: 'nope', eq: 'x' }));
  t.ok(ev({ var: 'nope', ne: 'x' }));
  t.ok(ev({ var: 'nope', exists: false }));
  t.ok(ev({ var: 'empty', exists: false }), 'empty counts as missing');
  t.ok(ev({ var: 'line', exists: true }));
  t.notOk(ev({ attr: 'nope', matches: '.*' }));
  t.notOk(ev({ var: 'nope', ge: 0 }));
});

t.test('all, any, not', async (t) => {
  t.ok(ev({ all: [{ attr: 'vulnerable', eq: true }, { var: 'age', ge: 60 }] }));
  t.notOk(ev({ all: [{ attr: 'vulnerable', eq: true }, { var: 'age', ge: 70 }] }));
  t.ok(ev({ any: [{ var: 'age', ge: 70 }, { var: 'line', eq: 'consultation' }] }));
  t.notOk(ev({ any: [{ var: 'age', ge: 70 }, { var: 'line', eq: 'x' }] }));
  t.ok(ev({ not: { var: 'line', eq: 'x' } }));
  t.ok(ev({ any: [{ all: [{ not: { attr: 'vulnerable', eq: false } }] }] }), 'nested');
});

t.test('schema refuses ambiguous tests', async (t) => {
  const bad = (c: unknown) => t.notOk(condition.safeParse(c).success, JSON.stringify(c));
  bad({ var: 'x' });
  bad({ var: 'x', eq: 1, ne: 2 });
  bad({ var: 'x', attr: 'y', eq: 1 });
  bad({ eq: 1 });
  bad({ all: [] });
  bad({ all: [{ var: 'x', eq: 1 }], var: 'x' });
  bad({ var: 'x', matches: '(' });
  bad({ call: 'nonsense', eq: 1 });
  bad({ var: 'x', lt: 'ten' });
  bad({ var: 'x', eq: 1, colour: 'red' });
});
