import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { Channel } from './engine/channel.js';
import type { Engine } from './engine/engine.js';
import { PHONE_BEHAVIOURS } from './engine/phones.js';
import type { EventSockets } from './events-socket.js';
import type { Faults } from './faults.js';

const CallBody = z.object({ from: z.string().regex(/^[0-9A-Za-z+*#._-]{1,32}$/), via: z.string().regex(/^[A-Za-z0-9_.-]{1,40}$/).default('trunk'), to: z.string().regex(/^[0-9+*#]{1,32}$/).default('12348'), name: z.string().max(80).optional(), callId: z.string().regex(/^[A-Za-z0-9.@_-]{1,80}$/).optional(), rtp: z.string().regex(/^[0-9.]{7,15}:\d{1,5}$/).optional() });
const DtmfBody = z.object({ digits: z.string().regex(/^[0-9A-D*#]{1,64}$/), durationMs: z.number().int().min(20).max(5000).default(100), gapMs: z.number().int().min(0).max(60000).default(150) });
const SayBody = z.object({ durationMs: z.number().int().min(1).max(3_600_000) });
const PhoneBody = z.object({ behaviour: z.enum(PHONE_BEHAVIOURS as [string, ...string[]]), answerAfterMs: z.number().int().min(0).max(600_000).optional(), talks: z.boolean().optional() });
const PhoneAction = z.object({ action: z.enum(['answer', 'reject', 'busy', 'hangup']) });
const SocketFault = z.object({ mode: z.enum(['drop', 'close']), app: z.string().optional() });
const FrameFault = z.object({ frame: z.string(), app: z.string().optional() });
const StoredBody = z.object({ name: z.string().regex(/^[A-Za-z0-9_.-]{1,64}(\/[A-Za-z0-9_.-]{1,64})?$/), format: z.enum(['wav']).default('wav'), durationMs: z.number().min(0).max(3_600_000) });
const RestFault = z.object({ failNext: z.number().int().min(0).max(10_000).optional(), status: z.number().int().min(400).max(599).default(500), delayMs: z.number().int().min(0).max(60_000).optional() });

/** A simulated caller, kept after hang-up so a test can still ask what it heard. */
interface SimCall { ch: Channel }

/** 4xx naming the field, in one shape for every /sim/ route. */
function parse<T>(schema: z.ZodType<T>, body: unknown, reply: FastifyReply): T | undefined {
  const r = schema.safeParse(body ?? {});
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const field = issue.path.join('.') || '(body)';
  void reply.code(400).send({ error: 'invalid_request', field, message: `${field}: ${issue.message}` });
  return undefined;
}

export function controlRoutes(app: FastifyInstance, e: Engine, sockets: EventSockets, faults: Faults): void {
  const calls = new Map<string, SimCall>();
  const MAX_KEPT = 20_000;
  const w = e.w;
  const notFound = (reply: FastifyReply, id: string) => reply.code(404).send({ error: 'not_found', field: 'id', message: `no simulated call ${id}` });

  app.post('/sim/calls', async (req, reply) => {
    const b = parse(CallBody, req.body, reply); if (!b) return reply;
    const ch = e.sip.inbound(b.from, b.to, b.name, b.via, { callId: b.callId, rtp: b.rtp });
    calls.set(ch.id, { ch });
    if (calls.size > MAX_KEPT) calls.delete(calls.keys().next().value!);
    return reply.code(201).send({ id: ch.id });
  });
  app.get('/sim/calls', async () => [...calls.values()].map((c) => describe(c.ch)));
  app.get<{ Params: { id: string } }>('/sim/calls/:id', async (req, reply) => {
    const c = calls.get(req.params.id);
    return c ? describe(c.ch) : notFound(reply, req.params.id);
  });
  app.post<{ Params: { id: string } }>('/sim/calls/:id/dtmf', async (req, reply) => {
    const c = calls.get(req.params.id); if (!c) return notFound(reply, req.params.id);
    const b = parse(DtmfBody, req.body, reply); if (!b) return reply;
    if (c.ch.destroyed) return reply.code(409).send({ error: 'hung_up', field: 'id', message: 'the call has ended' });
    let at = 0;
    for (const d of b.digits) {
      at += b.durationMs;
      w.after(c.ch, at, () => e.calls.deliverDtmf(c.ch, d, b.durationMs));
      at += b.gapMs;
    }
    return reply.code(202).send({ id: c.ch.id, digits: b.digits, completesInMs: w.clock.realMs(at) });
  });
  app.post<{ Params: { id: string } }>('/sim/calls/:id/say', async (req, reply) => {
    const c = calls.get(req.params.id); if (!c) return notFound(reply, req.params.id);
    const b = parse(SayBody, req.body, reply); if (!b) return reply;
    e.talk(c.ch, b.durationMs);
    return reply.code(204).send();
  });
  app.post<{ Params: { id: string } }>('/sim/calls/:id/hangup', async (req, reply) => {
    const c = calls.get(req.params.id); if (!c) return notFound(reply, req.params.id);
    if (!c.ch.destroyed) e.sip.callerHangup(c.ch);
    return reply.code(204).send();
  });

  app.get('/sim/endpoints', async () => [...w.phones.all.values()].map((p) => ({ ...w.phones.endpointJson(p), behaviour: p.behaviour, answerAfterMs: p.answerAfterMs, talks: p.talks })));
  app.put<{ Params: { resource: string } }>('/sim/endpoints/PJSIP/:resource', async (req, reply) => {
    const b = parse(PhoneBody, req.body, reply); if (!b) return reply;
    if (!/^[A-Za-z0-9_.-]{1,40}$/.test(req.params.resource)) return reply.code(400).send({ error: 'invalid_request', field: 'resource', message: 'resource: letters, digits, _ . - only' });
    const p = w.phones.set(req.params.resource, b as { behaviour: typeof PHONE_BEHAVIOURS[number]; answerAfterMs?: number; talks?: boolean });
    return { ...w.phones.endpointJson(p), behaviour: p.behaviour, answerAfterMs: p.answerAfterMs, talks: p.talks };
  });

  app.post<{ Params: { resource: string } }>('/sim/endpoints/PJSIP/:resource/action', async (req, reply) => {
    const b = parse(PhoneAction, req.body, reply); if (!b) return reply;
    if (!w.phones.get(req.params.resource)) return reply.code(404).send({ error: 'not_found', field: 'resource', message: `no endpoint PJSIP/${req.params.resource}` });
    return { channels: e.sip.phoneAction(req.params.resource, b.action) };
  });

  // Stored recordings left by earlier calls (a scenario may start where another left the spool).
  app.post('/sim/recordings/stored', async (req, reply) => {
    const b = parse(StoredBody, req.body, reply); if (!b) return reply;
    w.stored.writeSync(b.name, b.format, b.durationMs, b.durationMs ? [{ startMs: 0, endMs: b.durationMs }] : []);
    return reply.code(201).send({ name: b.name, format: b.format });
  });

  app.post('/sim/faults/websocket', async (req, reply) => {
    const b = parse(SocketFault, req.body, reply); if (!b) return reply;
    return { affected: sockets.kill(b.mode, b.app) };
  });
  app.post('/sim/faults/frame', async (req, reply) => {
    const b = parse(FrameFault, req.body, reply); if (!b) return reply;
    return { affected: sockets.rawFrame(b.frame, b.app) };
  });
  app.post('/sim/faults/rest', async (req, reply) => {
    const b = parse(RestFault, req.body, reply); if (!b) return reply;
    if (b.failNext !== undefined) { faults.failNext = b.failNext; faults.failStatus = b.status; }
    if (b.delayMs !== undefined) faults.delayMs = b.delayMs;
    return { failNext: faults.failNext, status: faults.failStatus, delayMs: faults.delayMs };
  });
  app.delete('/sim/faults', async () => { faults.failNext = 0; faults.delayMs = 0; return { cleared: true }; });

  app.get('/sim/stats', async () => ({
    channels: w.channels.size, bridges: w.bridges.size, playbacks: w.playbacks.size, liveRecordings: w.liveRecordings.size,
    apps: [...w.apps.all.values()].map((a) => ({ name: a.name, connected: !!a.socket, channels: a.channelIds.size })),
    timeScale: w.clock.scale,
    process: { cpu: process.cpuUsage(), rssBytes: process.memoryUsage().rss, uptimeS: process.uptime() },
  }));

  function describe(ch: Channel) {
    const bridgedWith = ch.bridge ? ch.bridge.members.filter((m) => m !== ch).map((m) => m.id) : [];
    return {
      id: ch.id, name: ch.name, state: ch.destroyed ? 'Down' : ch.state, caller: ch.caller.number,
      inStasis: !!ch.stasisApp, heard: ch.heard.map((h) => ({ ...h })), bridgedWith,
      hungUp: ch.destroyed, cause: ch.destroyed ? ch.cause : null,
    };
  }
}
