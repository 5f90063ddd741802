import { readFileSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import {
  compareEvents, createNormaliser, interleave, listScenarios, loadTrace, normalise, normaliseBody,
  normaliseChannelName, project, restCalls, splitByPhase, tracesDir, type AriEvent,
} from './conformance/trace.js';

const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;
const lines = (file: string): number => readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).length;

t.test('every scenario listed in README.md loads', async (t) => {
  const scenarios = listScenarios();
  t.ok(scenarios.length >= 20, `${scenarios.length} scenarios`);
  t.ok(scenarios.includes('a-inbound') && scenarios.includes('l7-sip-caller-hangup-reasons'));
  const counts: Record<string, number> = {};
  for (const s of scenarios) {
    const tr = loadTrace(s);
    const base = path.join(tracesDir(), s);
    counts[s] = tr.events.length;
    t.equal(tr.events.length, lines(`${base}.jsonl`), `${s}: app frames`);
    t.equal(tr.observer.length, lines(`${base}.observer.jsonl`), `${s}: observer frames`);
    t.equal(tr.rest.length, lines(`${base}.rest.jsonl`), `${s}: REST exchanges`);
    t.equal(tr.timeline.length, lines(`${base}.timeline.jsonl`), `${s}: timeline entries`);
    t.equal(tr.eventConn.length, tr.events.length);
    for (const e of tr.timeline) if (e.kind === 'rest') t.ok(e.exchange, `${s}: rest seq ${e.seq} joined`);
  }
  t.equal(counts['a-inbound'], 10);
  t.equal(counts['e-recordings'], 0);
  t.equal(counts['l-hangup-reasons'], 119);
  t.same(loadTrace('d3-second-ws-same-app').eventConn.filter((c) => c === 'raw-ws').length, 2);
  t.throws(() => loadTrace('no-such-scenario'), /trace file not found/);
});

t.test('ARI_TRACES_DIR overrides the traces location', async (t) => {
  const before = process.env.ARI_TRACES_DIR;
  process.env.ARI_TRACES_DIR = '/nonexistent/traces';
  t.teardown(() => {
    if (before === undefined) delete process.env.ARI_TRACES_DIR;
    else process.env.ARI_TRACES_DIR = before;
  });
  t.equal(tracesDir(), '/nonexistent/traces');
  t.throws(() => loadTrace('a-inbound'), /\/nonexistent\/traces\/a-inbound\.jsonl/);
});

t.test('normalise', async (t) => {
  const a = loadTrace('a-inbound').events;
  const pristine = clone(a);
  const n1 = normalise(a);
  t.same(normalise(a), n1, 'normalising twice gives equal output');
  t.same(a, pristine, 'input left untouched');
  const first = n1[0];
  t.equal(first.channel?.id, 'C1');
  t.equal(first.channel?.name, 'Local/12348@hotline-in-N1;2');
  t.notOk('timestamp' in first || 'asterisk_id' in first || 'creationtime' in (first.channel ?? {}));
  t.equal(first.channel?.protocol_id, '');
  t.equal((n1[2].playback as { target_uri: string }).target_uri, 'channel:C1');
  t.equal((n1[2].playback as { id: string }).id, 'pb-a-hello', 'app-given playback ids kept');
  t.ok(normalise(a, { keepTimestamps: true })[0].timestamp);

  t.test('same call with other volatile values normalises identically', async (t) => {
    const other = JSON.parse(JSON.stringify(a)
      .replaceAll('1795654442.3', '1800000000.77')
      .replaceAll('hotline-in-00000000', 'hotline-in-0000002a')
      .replaceAll('2026-11-26T00:54', '2027-01-01T10:11')) as AriEvent[];
    t.same(normalise(other), n1);
    t.ok(compareEvents(a, other).ok);
  });

  t.test('channel names keep technology and a stable counter', async (t) => {
    t.equal(normaliseChannelName('PJSIP/8001-0000000a'), 'PJSIP/8001-N1');
    t.equal(normaliseChannelName('Recorder/ARI-00000037;2'), 'Recorder/ARI-N1;2');
    t.equal(normaliseChannelName('not a channel'), 'not a channel');
    const n = createNormaliser();
    t.equal(n.channelName('Local/agent8@sim-00000004;2'), 'Local/agent8@sim-N1;2');
    t.equal(n.channelName('PJSIP/8001-00000015'), 'PJSIP/8001-N2');
    t.equal(n.channelName('Local/agent8@sim-00000004;1'), 'Local/agent8@sim-N1;1', 'both Local halves share N');
    t.equal(n.channelName('Snoop/b-caller-2-00000000'), 'Snoop/C1-N3', 'snoop names carry the snooped id');
    t.equal(n.channelId('b-caller-2'), 'C1');
  });

  t.test('SIP Call-IDs, RTP QoS and bridge peers', async (t) => {
    const g = normalise(loadTrace('g-agent-phone').events);
    const vars = g.filter((e) => e.type === 'ChannelVarset').map((e) => `${String(e.variable)}=${String(e.value)}`);
    t.ok(vars.includes('BRIDGEPVTCALLID=<callid>'));
    t.ok(vars.includes('RTPAUDIOQOS=<rtpqos>'));
    t.ok(vars.some((v) => /^BRIDGEPEER=Recorder\/ARI-N\d+;2,PJSIP\/8001-N\d+$/.test(v)), 'BRIDGEPEER lists normalised names');
    const pj = g.find((e) => e.channel?.name.startsWith('PJSIP/'));
    t.equal(pj?.channel?.protocol_id, '<present>');
    const entered = g.find((e) => e.type === 'ChannelEnteredBridge');
    t.equal(entered?.bridge?.id, 'B1');
  });
});

t.test('compareEvents', async (t) => {
  const a = loadTrace('a-inbound').events;
  const self = compareEvents(a, clone(a));
  t.ok(self.ok);
  t.equal(self.diff, '');
  t.equal(self.index, -1);

  t.test('a missing event fails at its index', async (t) => {
    const r = compareEvents(a, a.filter((_, i) => i !== 6));
    t.notOk(r.ok);
    t.equal(r.index, 6);
    t.match(r.diff, /differ at index 6 \(expected 10 events, actual 9\)/);
    t.match(r.diff, /RecordingStarted/);
    const extra = compareEvents(a, [...a, a[9]]);
    t.equal(extra.index, 10);
    t.match(extra.diff, /expected\[10\]: \(missing: sequence ended\)/);
  });

  t.test('two swapped events fail at the first', async (t) => {
    const swapped = clone(a);
    [swapped[4], swapped[5]] = [swapped[5], swapped[4]];
    const r = compareEvents(a, swapped);
    t.notOk(r.ok);
    t.equal(r.index, 4);
    t.match(r.diff, /digit: "1" != "2"/);
    t.match(r.diff, />\s+4\s+ChannelDtmfReceived/);
  });

  t.test('a changed cause or state fails naming the field', async (t) => {
    const cause = clone(a);
    cause[8].cause = 32;
    const r = compareEvents(a, cause);
    t.equal(r.index, 8);
    t.match(r.diff, /cause: 16 != 32/);
    const state = clone(a);
    state[1].channel!.state = 'Ringing';
    const s = compareEvents(a, state);
    t.equal(s.index, 1);
    t.match(s.diff, /channel\.state: "Up" != "Ringing"/);
    const absent = clone(a);
    delete absent[8].cause;
    t.match(compareEvents(a, absent).diff, /cause: 16 != \(absent\)/);
  });

  t.test('options: ignoreTypes, tolerance, field overrides, sets', async (t) => {
    const noDtmf = a.filter((e) => e.type !== 'ChannelDtmfReceived');
    t.notOk(compareEvents(a, noDtmf).ok);
    t.ok(compareEvents(a, noDtmf, { ignoreTypes: ['ChannelDtmfReceived'] }).ok);

    const sip = clone(a);
    sip[4].duration_ms = 240;
    t.notOk(compareEvents(a, sip).ok);
    t.ok(compareEvents(a, sip, { tolerance: { duration_ms: 160 } }).ok);
    t.notOk(compareEvents(a, sip, { tolerance: { duration_ms: 100 } }).ok);
    t.ok(compareEvents(a, sip, { fields: { ChannelDtmfReceived: ['digit'] } }).ok);

    const swapped = clone(a);
    [swapped[4], swapped[5]] = [swapped[5], swapped[4]];
    t.ok(compareEvents(a, swapped, { eitherOrder: [['ChannelDtmfReceived', 'ChannelDtmfReceived']] }).ok, 'a racy pair in either order');
    t.notOk(compareEvents(a, swapped, { eitherOrder: [['ChannelDtmfReceived', 'PlaybackStarted']] }).ok, 'other pairs keep their order');

    const b = loadTrace('b-queue-bridge').events;
    const reordered = clone(b);
    for (const e of reordered) e.bridge?.channels.reverse();
    t.ok(compareEvents(b, reordered).ok, 'bridge.channels compared as a set');
  });

  t.test('project picks the fields that matter', async (t) => {
    const [hangup] = normalise([a[8]]);
    t.same(project(hangup), {
      type: 'ChannelHangupRequest', 'channel.id': 'C1', 'channel.name': 'Local/12348@hotline-in-N1;2',
      'channel.state': 'Up', 'channel.caller.number': '13800138000', 'channel.dialplan.app_name': 'Stasis', cause: 16,
    });
    t.same(project(hangup, { ChannelHangupRequest: ['cause'] }), { type: 'ChannelHangupRequest', cause: 16 });
  });
});

t.test('timeline helpers', async (t) => {
  const c = loadTrace('c-originate');
  t.same(splitByPhase(c.timeline).map((p) => p.label), ['c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c6d']);
  const c4 = splitByPhase(c.timeline).find((p) => p.label === 'c4')!;
  t.same(c4.rest.map((r) => r.method), ['POST', 'GET']);
  t.ok(c4.events.some((e) => e.type === 'Dial' && e.frame.dialstatus === 'BUSY'));
  t.same(splitByPhase(loadTrace('a3-inbound-record-terminate-on-hash').timeline).map((p) => p.label), [''], 'no labelled notes: one phase');

  // a2: PlaybackStarted arrived before the 201 of the play request that caused it.
  const a2 = loadTrace('a2-inbound-hangup-during-recording');
  const stepOf = (by: 'request' | 'response') =>
    interleave(a2.timeline, by).find((s) => s.event?.type === 'PlaybackStarted')!;
  t.ok(stepOf('request').before.some((e) => e.kind === 'rest' && e.path.endsWith('/play')), 'by request time: play precedes');
  t.notOk(stepOf('response').before.some((e) => e.kind === 'rest' && e.path.endsWith('/play')), 'by response time: it does not');
  const steps = interleave(a2.timeline);
  t.equal(steps.length, a2.events.length + 1);
  t.same(steps.flatMap((s) => s.before).filter((e) => e.kind === 'rest').length, a2.rest.length);
});

t.test('restCalls and normaliseBody', async (t) => {
  const a = loadTrace('a-inbound');
  const calls = restCalls(a);
  t.equal(calls.length, 11);
  t.same(calls[0].method + ' ' + calls[0].path + ' ' + calls[0].status, 'POST /channels 200');
  t.same(calls[3].query, { media: 'sound:hello-world', lang: 'en', playbackId: 'pb-a-hello' });
  t.equal((calls[3].response as { state: string }).state, 'queued');

  const n = createNormaliser();
  a.events.forEach((e) => n.event(e));
  const norm = restCalls(a, n);
  t.equal(norm[1].path, '/channels/C1', 'ids shared with the events');
  t.equal((norm[1].response as { id: string }).id, 'C1');
  t.equal((norm[0].response as { id: string; name: string }).name, 'Local/12348@hotline-in-N1;1');
  t.equal((norm[3].response as { target_uri: string }).target_uri, 'channel:C1');
  t.notOk('creationtime' in (norm[1].response as object));

  const k = restCalls(loadTrace('k-dialplan'));
  const withBody = k.find((c) => c.body !== undefined);
  t.ok(withBody, 'POST /variables keeps its JSON request body');
  t.equal(withBody?.path, '/channels/k-caller-2/variables');

  t.same(normaliseBody({ channel_ids: ['1.1', '1.2'], bridge_ids: ['x'], timestamp: 'now' }), { channel_ids: ['C1', 'C2'], bridge_ids: ['B1'] });
  t.equal(createNormaliser().path('/bridges/br-b/addChannel'), '/bridges/B1/addChannel');
  t.same(createNormaliser().query({ channel: 'j-caller-2,j-agent-1', role: 'x' }), { channel: 'C1,C2', role: 'x' });
});
