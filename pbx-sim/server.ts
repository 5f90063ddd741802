import Fastify, { type FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { Engine } from './engine/engine.js';
import { SimClock } from './engine/clock.js';
import { defaultDialplan, type Dialplan } from './engine/dialplan.js';
import { Phones } from './engine/phones.js';
import { StoredRecordings } from './engine/recording.js';
import { AriError } from './engine/types.js';
import { World } from './engine/world.js';
import { SoundCatalogue } from './media/sounds.js';
import { resourceDoc, resourceListing } from './api-docs/index.js';
import { credentialsOk } from './auth.js';
import { controlRoutes } from './control.js';
import { EventSockets } from './events-socket.js';
import { Faults } from './faults.js';
import { phoneRoutes } from './phone/routes.js';
import { bridgeRoutes } from './rest/bridges.js';
import { channelMediaRoutes } from './rest/channel-media.js';
import { channelRoutes } from './rest/channels.js';
import { mediaRoutes } from './rest/media-routes.js';
import { systemRoutes } from './rest/system.js';

export interface SimOptions {
  host?: string;
  port?: number;
  user?: string;
  password?: string;
  /** The Stasis app that hotline-in sends callers to. */
  app?: string;
  timeScale?: number;
  soundsDirs: string[];
  recordingsDir: string;
  /** PJSIP endpoints that exist at start (all answer after 2 s until told otherwise). */
  phones?: string[];
  dialplan?: Dialplan;
  asteriskId?: string;
}

export interface Sim {
  url: string;
  port: number;
  engine: Engine;
  faults: Faults;
  http: FastifyInstance;
  close(): Promise<void>;
}

// Desk phones 8001.., plus the endpoint the traced SIP caller (baresip) dialled in through.
const DEFAULT_PHONES = [...Array.from({ length: 30 }, (_, i) => String(8001 + i)), 'baresip'];

/** Starts a simulated Asterisk: ARI over HTTP + WebSocket, and the /sim/ control API. */
export async function startSim(opts: SimOptions): Promise<Sim> {
  const user = opts.user ?? 'hotline', password = opts.password ?? 'hotline';
  const clock = new SimClock(opts.timeScale ?? 1);
  const sounds = await SoundCatalogue.load(opts.soundsDirs);
  const stored = new StoredRecordings(opts.recordingsDir);
  await stored.ensureDir();
  const phones = new Phones(opts.phones ?? DEFAULT_PHONES);
  const world = new World(clock, opts.asteriskId ?? '02:fc:00:00:00:01', sounds, stored, opts.dialplan ?? defaultDialplan(opts.app ?? 'hotline'), phones);
  const engine = new Engine(world);
  const faults = new Faults();
  const sockets = new EventSockets(world, user, password);
  const http = Fastify({ logger: false, bodyLimit: 1 << 20, forceCloseConnections: true });

  // Asterisk takes parameters from the query string and any body; parse bodies ourselves, leniently.
  http.removeAllContentTypeParsers();
  http.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));

  let host = opts.host ?? '127.0.0.1';
  http.addHook('onRequest', async (req, reply) => {
    if (!req.url.startsWith('/ari/')) return;
    // The first resources.json fetch of ari-client is unauthenticated and only checks reachability.
    const isDocs = req.url.startsWith('/ari/api-docs/');
    const key = new URL(req.url, 'http://x').searchParams.get('api_key');
    if (!credentialsOk(req.headers.authorization, key, user, password)) {
      if (isDocs && req.url.startsWith('/ari/api-docs/resources.json') && !req.headers.authorization) {
        // reachability probe: served like the authenticated one
      } else {
        return reply.code(401).header('www-authenticate', 'Basic realm="Asterisk REST Interface"')
          .header('content-type', 'application/json').send('{"message":"Authentication required"}');
      }
    }
    if (isDocs) return;
    if (faults.delayMs > 0) await new Promise((r) => setTimeout(r, faults.delayMs));
    if (faults.failNext > 0) {
      faults.failNext--;
      return reply.code(faults.failStatus).header('content-type', 'application/json').send('{"message":"Internal Server Error"}');
    }
  });

  http.addHook('preValidation', async (req, reply) => {
    if (!req.url.startsWith('/sim/') || typeof req.body !== 'string') return;
    if (req.body.trim() === '') { req.body = undefined; return; }
    try { req.body = JSON.parse(req.body); } catch {
      return reply.code(400).send({ error: 'invalid_request', field: '(body)', message: 'body: not valid JSON' });
    }
  });

  http.get('/ari/api-docs/:file', async (req, reply) => {
    const file = (req.params as { file: string }).file;
    const base = `http://${req.headers.host ?? host}/ari`;
    const doc = file === 'resources.json' ? resourceListing(base) : file.endsWith('.json') ? resourceDoc(file.slice(0, -5), base) : undefined;
    if (!doc) return reply.code(404).header('content-type', 'application/json').send('{"message":"Resource not found"}');
    return reply.header('content-type', 'application/json').send(JSON.stringify(doc));
  });

  channelRoutes(http, engine);
  channelMediaRoutes(http, engine);
  bridgeRoutes(http, engine);
  mediaRoutes(http, engine);
  systemRoutes(http, engine);
  controlRoutes(http, engine, sockets, faults);
  phoneRoutes(http);

  http.setNotFoundHandler((req, reply) => {
    if (req.url.startsWith('/sim/')) return reply.code(404).send({ error: 'not_found', field: 'path', message: `no such control route ${req.method} ${req.url}` });
    return reply.code(404).header('content-type', 'application/json').send('{"message":"Resource not found"}');
  });
  http.setErrorHandler((err: Error, req, reply) => {
    if (err instanceof AriError) return reply.code(err.status).header('content-type', 'application/json').send(JSON.stringify(err.body()));
    const status = (err as { statusCode?: number }).statusCode ?? 500;
    if (req.url.startsWith('/sim/')) return reply.code(status).send({ error: 'invalid_request', field: '(body)', message: err.message });
    // Anything unexpected: answer like Asterisk does for a bad request, never crash the simulator.
    return reply.code(status >= 400 && status < 500 ? status : 500).header('content-type', 'application/json')
      .send(JSON.stringify({ message: status < 500 ? err.message : 'Internal Server Error' }));
  });

  http.server.on('upgrade', (req, socket, head) => sockets.handleUpgrade(req, socket, head));
  await http.listen({ host, port: opts.port ?? 8088 });
  const port = (http.server.address() as AddressInfo).port;
  host = `${host}:${port}`;
  return {
    url: `http://${host}`, port, engine, faults, http,
    async close() {
      world.stop();
      sockets.close();
      await http.close();
    },
  };
}
