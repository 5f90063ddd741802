import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Engine } from '../engine/engine.js';
import { bridgeMohStarted, bridgeMohStopping } from '../engine/bridge-moh.js';
import { AriError } from '../engine/types.js';
import { mediaList, recordParams } from './channel-media.js';
import { created, noContent, ok, route, type Params } from './http.js';

export function bridgeRoutes(app: FastifyInstance, e: Engine): void {
  const w = e.w;
  route(app, 'GET', '/bridges', () => ok([...w.bridges.values()].map((b) => b.toJson())));
  const create = (p: Params, id?: string) => ok(e.bridges.create(id ?? p.str('bridgeId') ?? randomUUID(), p.str('type'), p.str('name') ?? '').toJson());
  route(app, 'POST', '/bridges', (p) => create(p));
  route(app, 'POST', '/bridges/:bridgeId', (p) => create(p, p.path.bridgeId));
  route(app, 'GET', '/bridges/:bridgeId', (p) => ok(e.bridges.get(p.path.bridgeId).toJson()));
  route(app, 'DELETE', '/bridges/:bridgeId', (p) => { e.bridges.destroy(e.bridges.get(p.path.bridgeId)); return noContent(); });
  const channelsOf = (p: Params) => {
    const ids = p.all('channel').flatMap((c) => c.split(',')).filter(Boolean);
    if (!ids.length) throw new AriError(400, 'Missing parameter channel'); // not traced
    return ids.map((id) => {
      const ch = w.channels.get(id);
      if (!ch) throw new AriError(400, 'Channel not found');
      if (!ch.stasisApp) throw new AriError(422, 'Channel not in Stasis application');
      return ch;
    });
  };
  route(app, 'POST', '/bridges/:bridgeId/addChannel', (p) => {
    const b = e.bridges.get(p.path.bridgeId);
    for (const ch of channelsOf(p)) e.bridges.add(b, ch, p.str('role'));
    return noContent();
  });
  route(app, 'POST', '/bridges/:bridgeId/removeChannel', (p) => {
    const b = e.bridges.get(p.path.bridgeId);
    for (const ch of channelsOf(p)) e.bridges.remove(b, ch);
    return noContent();
  });
  route(app, 'POST', '/bridges/:bridgeId/videoSource/:channelId', (p) => { e.bridges.get(p.path.bridgeId); e.channel(p.path.channelId); return noContent(); });
  route(app, 'DELETE', '/bridges/:bridgeId/videoSource', (p) => { e.bridges.get(p.path.bridgeId); return noContent(); });
  route(app, 'POST', '/bridges/:bridgeId/moh', (p) => {
    const b = e.bridges.get(p.path.bridgeId);
    if (b.moh) bridgeMohStopping(w, b); // not traced: a second POST switches the class
    b.moh = true; b.mohClass = p.str('mohClass') ?? 'default';
    bridgeMohStarted(w, b);
    return noContent();
  });
  route(app, 'DELETE', '/bridges/:bridgeId/moh', (p) => {
    const b = e.bridges.get(p.path.bridgeId);
    if (!b.moh) throw new AriError(409, 'Bridge isn\'t playing music on hold'); // not traced
    bridgeMohStopping(w, b);
    b.moh = false;
    return noContent();
  });
  const play = (p: Params, id: string) => {
    const b = e.bridges.get(p.path.bridgeId);
    return created(e.media.play(`bridge:${b.id}`, mediaList(p), p.str('lang') ?? 'en', id).created);
  };
  route(app, 'POST', '/bridges/:bridgeId/play', (p) => play(p, p.str('playbackId') ?? randomUUID()));
  route(app, 'POST', '/bridges/:bridgeId/play/:playbackId', (p) => play(p, p.path.playbackId));
  route(app, 'POST', '/bridges/:bridgeId/record', (p) => {
    const b = e.bridges.get(p.path.bridgeId);
    return created(e.recorders.start(`bridge:${b.id}`, recordParams(p)));
  });
}
