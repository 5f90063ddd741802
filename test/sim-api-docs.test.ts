// The simulator's api-docs must be enough for the unmodified ari-client 2.2.0: it builds its whole
// API from them, and crashes on a websocket frame whose type has no model in events.json.
import t from 'tap';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import ari from 'ari-client';
import {
  API_VERSION,
  eventTypes,
  operations,
  resourceDoc,
  resourceListing,
  resourceNames,
  routeOperation,
} from '../pbx-sim/api-docs/index.js';

const TRACES = '/work/shared/ari-traces';
const USER = 'hotline';
const AUTH = 'Basic ' + Buffer.from(`${USER}:${USER}`).toString('base64');

type Dyn = Record<string, unknown>;
type Listener = (event: Dyn, resources: unknown) => void;
interface AriLike {
  start(apps: string): Promise<void>;
  stop(): void;
  once(type: string, cb: Listener): void;
  Channel(id?: string): Dyn & { once(type: string, cb: Listener): void };
  _swagger: { apis: Record<string, { operations: Record<string, { parameters: Dyn[] }> }> };
}
interface ResourcesModule {
  knownTypes: string[];
}

const isFn = (o: unknown, name: string): boolean =>
  typeof o === 'object' && o !== null && typeof (o as Dyn)[name] === 'function';

/** Every websocket frame recorded from real Asterisk, keyed by type (first seen wins). */
function traceFrames(): Map<string, Dyn> {
  const frames = new Map<string, Dyn>();
  for (const f of fs.readdirSync(TRACES)) {
    if (!f.endsWith('.jsonl') || f.endsWith('.rest.jsonl') || f.endsWith('.timeline.jsonl')) continue;
    for (const line of fs.readFileSync(path.join(TRACES, f), 'utf8').split('\n')) {
      if (!line.trim()) continue;
      const o = JSON.parse(line) as Dyn;
      if (typeof o.type === 'string' && !frames.has(o.type)) frames.set(o.type, o);
    }
  }
  return frames;
}

t.test('resources.json lists exactly the resources real Asterisk lists, and each has a doc', async (t) => {
  const real = JSON.parse(fs.readFileSync(path.join(TRACES, 'api-docs-resources.json'), 'utf8')) as Dyn;
  const ours = resourceListing('http://127.0.0.1:8088/ari') as Dyn;
  t.equal(ours.apiVersion, API_VERSION);
  t.equal(ours.apiVersion, real.apiVersion);
  t.equal(ours.swaggerVersion, real.swaggerVersion);
  t.equal(ours.basePath, real.basePath);
  t.same(ours.apis, real.apis);
  const listed = fs
    .readFileSync(path.join(TRACES, 'api-docs-list.txt'), 'utf8')
    .split('\n')
    .map((l) => /^\s+(\w+)\.json/.exec(l)?.[1])
    .filter((n): n is string => !!n && n !== 'resources');
  t.same(resourceNames(), listed);
  for (const name of listed) {
    const doc = resourceDoc(name, 'http://h/ari') as Dyn | undefined;
    t.ok(doc, `doc for ${name}`);
    t.equal(doc?.resourcePath, `/api-docs/${name}.{format}`);
    t.equal(doc?.basePath, 'http://h/ari');
  }
  t.equal(resourceDoc('nope', 'http://h/ari'), undefined);
});

t.test('every event type in the recorded traces is documented', async (t) => {
  const documented = new Set(eventTypes());
  const seen = new Set<string>();
  for (const f of fs.readdirSync(TRACES).filter((f) => f.endsWith('.jsonl'))) {
    for (const line of fs.readFileSync(path.join(TRACES, f), 'utf8').split('\n')) {
      if (!line.trim()) continue;
      const type = (JSON.parse(line) as Dyn).type;
      if (typeof type === 'string') seen.add(type);
    }
  }
  t.ok(seen.size > 10, 'traces have events');
  for (const type of seen) t.ok(documented.has(type), `${type} is in eventTypes()`);
  t.notOk(documented.has('Event'), 'bases are not concrete');
  t.notOk(documented.has('Message'), 'bases are not concrete');
});

t.test('router matching', async (t) => {
  t.equal(routeOperation('POST', '/channels/create')?.operation?.nickname, 'create');
  t.equal(routeOperation('POST', '/channels/externalMedia')?.operation?.nickname, 'externalMedia');
  t.equal(routeOperation('POST', '/channels/c1')?.operation?.nickname, 'originateWithId');
  const m = routeOperation('GET', '/recordings/stored/archive%2Fx/file');
  t.equal(m?.operation?.nickname, 'getStoredFile');
  t.same(m?.pathParams, { recordingName: 'archive/x' });
  const wrong = routeOperation('PATCH', '/channels/c1');
  t.equal(wrong?.operation, undefined);
  t.same(wrong?.allowedMethods, ['GET', 'POST', 'DELETE']);
  t.equal(routeOperation('GET', '/nope'), undefined);
  const keys = operations().map((o) => `${o.resource}.${o.nickname}`);
  t.equal(new Set(keys).size, keys.length, 'nicknames are unique per resource');
});

t.test('ari-client 2.2.0 against the docs', async (t) => {
  const requests: string[] = [];
  const sockets: WebSocket[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const doc = /^\/ari\/api-docs\/(\w+)\.json$/.exec(url.pathname);
    if (doc) {
      // ari-client probes the listing once without credentials first; swagger then sends Basic auth.
      if (req.headers.authorization !== AUTH) {
        res.writeHead(401, { 'content-type': 'application/json' });
        res.end('{"message":"Authentication required"}');
        return;
      }
      const base = `http://${req.headers.host}/ari`;
      const body = doc[1] === 'resources' ? resourceListing(base) : resourceDoc(doc[1], base);
      res.writeHead(body ? 200 : 404, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body ?? { message: 'Not found' }));
      return;
    }
    // Not a doc: record it so we can check the URL ari-client built, then refuse.
    requests.push(`${req.method} ${req.url}`);
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end('{"message":"only api-docs are served here"}');
  });
  const wss = new WebSocketServer({ server, path: '/ari/events' });
  const connected = new Promise<WebSocket>((resolve) =>
    wss.on('connection', (ws, req) => {
      sockets.push(ws);
      t.match(req.url ?? '', /app=hotline/, 'websocket asks for the app');
      resolve(ws);
    }),
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;

  const held: { client?: AriLike } = {};
  t.teardown(async () => {
    held.client?.stop();
    for (const s of sockets) s.terminate();
    await new Promise<void>((r) => wss.close(() => r()));
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });

  let timer: NodeJS.Timeout | undefined;
  const client = (await Promise.race([
    ari.connect(`http://127.0.0.1:${port}`, USER, USER),
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error('ari.connect timed out')), 10_000);
    }),
  ]).finally(() => clearTimeout(timer))) as unknown as AriLike;
  held.client = client;
  const c = client as unknown as Dyn;

  t.test('operations from the brief exist on the client', async (t) => {
    const wanted: Array<[string, string]> = [
      ['asterisk', 'getInfo'],
      ['asterisk', 'ping'],
      ['asterisk', 'getGlobalVar'],
      ['endpoints', 'list'],
      ['endpoints', 'get'],
      ['channels', 'originate'],
      ['channels', 'create'],
      ['channels', 'dial'],
      ['channels', 'play'],
      ['channels', 'playWithId'],
      ['channels', 'record'],
      ['channels', 'snoopChannel'],
      ['channels', 'hangup'],
      ['channels', 'continueInDialplan'],
      ['channels', 'getChannelVar'],
      ['channels', 'setChannelVar'],
      ['channels', 'getChannelVars'],
      ['channels', 'setChannelVars'],
      ['channels', 'externalMedia'],
      ['bridges', 'create'],
      ['bridges', 'addChannel'],
      ['bridges', 'removeChannel'],
      ['bridges', 'record'],
      ['bridges', 'startMoh'],
      ['recordings', 'getStoredFile'],
      ['recordings', 'copyStored'],
      ['recordings', 'stop'],
      ['playbacks', 'control'],
      ['playbacks', 'stop'],
      ['deviceStates', 'update'],
      ['mailboxes', 'update'],
      ['sounds', 'list'],
      ['applications', 'get'],
      ['applications', 'filter'],
      ['events', 'eventWebsocket'],
      ['events', 'userEvent'],
    ];
    for (const [r, n] of wanted) t.ok(isFn(c[r], n), `client.${r}.${n}`);
    // And every documented operation, so a typo in a nickname or a lost resource shows up.
    for (const o of operations()) t.ok(isFn(c[o.resource], o.nickname), `client.${o.resource}.${o.nickname}`);
  });

  t.test('resource classes of ari-client map onto documented operations', async (t) => {
    const require = createRequire(import.meta.url);
    const resources = require('ari-client/lib/resources.js') as ResourcesModule;
    const apis = client._swagger.apis;
    for (const type of resources.knownTypes) {
      const make = c[type] as ((values?: Dyn) => Dyn) | undefined;
      t.type(make, 'function', `client.${type}() exists`);
      if (typeof make !== 'function') continue;
      // Asterisk has no id, so ari-client can only build it from values.
      const inst = type === 'Asterisk' ? make({}) : make();
      const resName = inst._resource as string;
      t.ok(apis[resName], `${type} uses documented resource ${resName}`);
      const ops = apis[resName]?.operations ?? {};
      for (const nickname of Object.keys(ops)) t.ok(isFn(inst, nickname), `${type}#${nickname}`);
      // Methods that ari-client itself names must be real operations.
      for (const m of Object.keys((inst._createMethods as Dyn | undefined) ?? {}))
        t.ok(ops[m] && isFn(inst, m), `${type}#${m} (create method) is documented`);
      // Its id parameter(s) must be a required path parameter somewhere, or ids never get injected.
      const params = ([] as string[]).concat((inst._param as string | string[]) || []);
      for (const p of params) {
        const used = Object.values(ops).some((o) =>
          o.parameters.some((x) => x.name === p && x.paramType === 'path' && x.required === true),
        );
        t.ok(used, `${type} id parameter ${p} is a required path parameter of ${resName}`);
      }
    }
  });

  t.test('REST calls go to basePath + documented path', async (t) => {
    const calls: Array<[string, string, Dyn, string]> = [
      ['channels', 'play', { channelId: 'c1', media: 'sound:hello-world', playbackId: 'p1' }, 'POST /ari/channels/c1/play?media=sound%3Ahello-world&playbackId=p1'],
      ['recordings', 'getStoredFile', { recordingName: 'archive/x' }, 'GET /ari/recordings/stored/archive%2Fx/file'],
      ['bridges', 'addChannel', { bridgeId: 'b1', channel: 'c1', role: 'participant' }, 'POST /ari/bridges/b1/addChannel?channel=c1&role=participant'],
      ['deviceStates', 'update', { deviceName: 'Stasis:x', deviceState: 'INUSE' }, 'PUT /ari/deviceStates/Stasis%3Ax?deviceState=INUSE'],
    ];
    for (const [res, nick, args, expected] of calls) {
      const fn = (c[res] as Record<string, (a: Dyn) => Promise<unknown>>)[nick];
      await t.rejects(fn(args), `${res}.${nick} gets our 404`);
      const seen = requests.at(-1) ?? '';
      t.equal(seen, expected, `${res}.${nick} URL`);
      const [method, url] = seen.split(' ');
      const route = routeOperation(method, new URL(url, 'http://x').pathname.replace(/^\/ari/, ''));
      t.equal(route?.operation?.nickname, nick, `router finds ${nick} again`);
    }
  });

  t.test('websocket frames reach client.on(type) with resources promoted', async (t) => {
    const started = client.start('hotline');
    const ws = await connected;
    await started;
    const frames = traceFrames();
    const once = (type: string) =>
      new Promise<{ event: Dyn; res: unknown }>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${type} event`)), 5000);
        client.once(type, (event, res) => {
          clearTimeout(timer);
          resolve({ event, res });
        });
      });
    const push = (frame: Dyn) => ws.send(JSON.stringify(frame));

    // [type, property holding the resource, a method the promoted instance must have]
    const samples: Array<[string, string | null, string | null]> = [
      ['StasisStart', 'channel', 'answer'],
      ['PlaybackFinished', 'playback', 'control'],
      ['Dial', 'peer', 'hangup'],
      ['RecordingFinished', 'recording', 'stop'],
      ['ApplicationReplaced', null, null],
      ['ChannelHangupRequest', 'channel', 'snoopChannel'],
      ['BridgeDestroyed', 'bridge', 'addChannel'],
    ];
    for (const [type, prop, method] of samples) {
      const frame = frames.get(type);
      t.ok(frame, `trace has a ${type} frame`);
      if (!frame) continue;
      const got = once(type);
      push(frame);
      const { event, res } = await got;
      t.equal(event.type, type);
      if (!prop || !method) {
        t.equal(res, undefined, `${type} promotes nothing`);
        continue;
      }
      // With several resource properties ari-client hands a map of them instead of one instance.
      const inst = (isFn(res, method) ? res : (res as Dyn | undefined)?.[prop]) as Dyn | undefined;
      t.ok(isFn(inst, method), `${type}: ${prop} became an instance with ${method}()`);
      const raw = frame[prop] as Dyn;
      const idKey = 'id' in raw ? 'id' : 'name';
      t.equal(inst?.[idKey], raw[idKey], `${type}: instance keeps the ${idKey}`);
    }

    // Instance-scoped listeners (channel.once) depend on the same promotion.
    const hangup = { ...frames.get('ChannelHangupRequest')! };
    hangup.channel = { ...(hangup.channel as Dyn), id: 'scoped-1' };
    const scoped = new Promise<Dyn>((resolve) => client.Channel('scoped-1').once('ChannelHangupRequest', resolve));
    push(hangup);
    t.equal(((await scoped).channel as Dyn).id, 'scoped-1', 'channel.once() got its own event');

    // Every documented type must get through processMessage without throwing.
    for (const type of eventTypes()) {
      const got = once(type);
      push({ type, application: 'hotline', timestamp: '2026-11-26T00:00:00.000+0000', asterisk_id: '02:fc:00:00:00:01' });
      t.equal((await got).event.type, type, `${type} delivered`);
    }
  });
});
