// What each scenario's harness notes mean as actions on the target. The traces were recorded with real desk phones
// (baresip) and a real SIP caller; on the simulator those are its endpoints and its /sim/calls caller.
import type { ReplayContext, ScenarioPlan, Target } from './replay.js';

const simOnly = (what: string) => (t: Target) => (t.kind === 'sim' ? undefined : `needs ${what}, which only the simulator's control API drives here`);

/** Desk phones as in the recordings: 8001 and 8002 ring until someone presses a key, 8003 has no contact. */
async function deskPhones(ctx: ReplayContext): Promise<void> {
  await ctx.control('PUT', '/sim/endpoints/PJSIP/8001', { behaviour: 'no-answer' });
  await ctx.control('PUT', '/sim/endpoints/PJSIP/8002', { behaviour: 'no-answer' });
  await ctx.control('PUT', '/sim/endpoints/PJSIP/8003', { behaviour: 'offline' });
}

/** baresip console keys: a answers, b rejects a ringing call (486) or hangs up an answered one. */
const phoneKeys: [RegExp, (ctx: ReplayContext, m: RegExpExecArray) => Promise<void>] = [
  /^phone (\d+): console input "([abq])"/,
  async (ctx, m) => {
    const [, phone, key] = m;
    if (key === 'a') await ctx.control('POST', `/sim/endpoints/PJSIP/${phone}/action`, { action: 'answer' });
    if (key === 'b') {
      const r = await ctx.control('POST', `/sim/endpoints/PJSIP/${phone}/action`, { action: 'busy' });
      if (!r.body.channels.length) await ctx.control('POST', `/sim/endpoints/PJSIP/${phone}/action`, { action: 'hangup' });
    }
  },
];

const dialled = new WeakMap<ReplayContext, number>();

/**
 * baresip dials in as From: <sip:caller@127.0.0.1:5070> through the `baresip` endpoint. Its UA chose the Call-ID
 * (the channel's protocol_id in the trace) and its RTP address (what CHANNEL(rtp,dest) read); the simulated caller
 * uses the same ones.
 */
async function dialIn(ctx: ReplayContext): Promise<void> {
  const n = dialled.get(ctx) ?? 0;
  dialled.set(ctx, n + 1);
  const traced = ctx.trace.events.filter((e) => e.type === 'StasisStart' && e.channel?.name.startsWith('PJSIP/baresip-'))[n]?.channel;
  const rtpRead = traced && ctx.trace.rest.find((x) => x.path === `/channels/${traced.id}/variable` && x.query.variable === 'CHANNEL(rtp,dest)' && x.status === 200);
  const r = await ctx.control('POST', '/sim/calls', {
    from: 'caller', to: '12348', via: 'baresip', callId: traced?.protocol_id || undefined, rtp: (rtpRead?.body as { value?: string } | undefined)?.value,
  });
  ctx.sipCall = r.body.id;
}

/** The SIP caller (baresip) of f and l7: dials in, presses keys, hangs up. */
const sipCaller: Array<[RegExp, (ctx: ReplayContext, m: RegExpExecArray) => Promise<void>]> = [
  [/^spawned baresip$/, dialIn],
  [/^phone caller: console input "\/dial sip:12348/, dialIn],
  [/^baresip key '([0-9*#])'/, async (ctx, m) => {
    await ctx.control('POST', `/sim/calls/${ctx.sipCall}/dtmf`, { digits: m[1], durationMs: 220, gapMs: 0 });
  }],
  [/^baresip key 'b'/, async (ctx) => { await ctx.control('POST', `/sim/calls/${ctx.sipCall}/hangup`); }],
];

/** One ARI request outside the traced exchanges (scenario setup). */
async function ari(ctx: ReplayContext, method: string, path: string, query: Record<string, string | number> = {}): Promise<void> {
  const t = ctx.target;
  const qs = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]));
  const res = await fetch(`${t.url}/ari${path}?${qs}`, { method, headers: { authorization: 'Basic ' + Buffer.from(`${t.user}:${t.password}`).toString('base64') } });
  if (res.status >= 300) throw new Error(`setup ${method} ${path}: ${res.status} ${await res.text()}`);
}

async function waitForEvent(ctx: ReplayContext, type: string, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!ctx.events.some((e) => e.type === type)) {
    if (Date.now() > until) throw new Error(`setup: no ${type} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

/**
 * d2 was recorded right after d1, on d1's call: its first note says "channel d-c1-2 is in Stasis with MOH, bridge
 * br-d exists (empty)". This redoes d1's opening requests (same ids) and, as that harness did, stops at the first
 * DTMF; the events up to there belong to d1, not to d2's expected stream.
 */
async function d1CallInStasis(ctx: ReplayContext): Promise<void> {
  await ari(ctx, 'POST', '/channels', {
    endpoint: 'Local/12348@hotline-in', context: 'callers', extension: 'dtmfLate', priority: 1,
    callerId: '"Caller D" <13700137000>', timeout: 30, channelId: 'd-c1-1', otherChannelId: 'd-c1-2',
  });
  await waitForEvent(ctx, 'StasisStart');
  await ari(ctx, 'POST', '/channels/d-c1-2/answer');
  await ari(ctx, 'POST', '/channels/d-c1-2/moh');
  await ari(ctx, 'POST', '/bridges', { type: 'mixing', bridgeId: 'br-d', name: 'reconnect-test' });
  await waitForEvent(ctx, 'ChannelDtmfReceived', 10_000 + 10_000 / ctx.target.scale);
  ctx.events.length = 0;
}

/**
 * e-recordings was traced on the spool that a-inbound, a2, a3 and b-queue-bridge had left: the same four files, with
 * the lengths the trace downloaded (WAV bytes - 44 header bytes, at 16 bytes a millisecond).
 */
async function earlierRecordings(ctx: ReplayContext): Promise<void> {
  const left: Array<[string, number]> = [['rec-test', 36524], ['rec-test-hangup', 44], ['rec-test-hash', 47216], ['b-caller-hears', 192684]];
  for (const [name, bytes] of left) await ctx.control('POST', '/sim/recordings/stored', { name, durationMs: (bytes - 44) / 16 });
}

export const PLANS: Record<string, ScenarioPlan> = {
  'e-recordings': { setup: earlierRecordings, unsupported: simOnly('the recordings earlier scenarios left') },
  'f-sip-baresip': { notes: sipCaller, unsupported: simOnly('a SIP caller') },
  'l7-sip-caller-hangup-reasons': { notes: sipCaller, unsupported: simOnly('a SIP caller') },
  'd2-ws-clean-close-and-reconnect': { setup: d1CallInStasis },
  'g0-endpoints-info': { setup: deskPhones, unsupported: simOnly('desk phones') },
  'g-agent-phone': { setup: deskPhones, notes: [phoneKeys], unsupported: simOnly('desk phones') },
  'g6-unreachable-phone': {
    setup: async (ctx) => { await ctx.control('PUT', '/sim/endpoints/PJSIP/8001', { behaviour: 'unreachable' }); },
    unsupported: simOnly('an unreachable desk phone'),
  },
  'j-snoop': { setup: deskPhones, notes: [phoneKeys], unsupported: simOnly('desk phones') },
  'l-hangup-reasons': { setup: deskPhones, notes: [phoneKeys], unsupported: simOnly('desk phones') },
};
