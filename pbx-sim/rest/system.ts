import os from 'node:os';
import type { FastifyInstance } from 'fastify';
import type { Engine } from '../engine/engine.js';
import { astTime } from '../engine/clock.js';
import { AriError } from '../engine/types.js';
import { noContent, ok, route } from './http.js';

const DEVICE_STATES = new Set(['UNKNOWN', 'NOT_INUSE', 'INUSE', 'BUSY', 'INVALID', 'UNAVAILABLE', 'RINGING', 'RINGINUSE', 'ONHOLD']);

export function systemRoutes(app: FastifyInstance, e: Engine, version = '22.10.1'): void {
  const w = e.w;
  route(app, 'GET', '/asterisk/info', (p) => {
    const info = {
      build: { os: 'Linux', kernel: os.release(), machine: os.arch() === 'x64' ? 'x86_64' : os.arch(), options: 'BUILD_NATIVE, OPTIONAL_API', date: '2026-11-01 00:00:00 UTC', user: 'pbx-sim' },
      system: { version, entity_id: w.asteriskId },
      config: { name: w.systemName, default_language: 'en', setid: { user: 'asterisk', group: 'asterisk' } },
      status: { startup_time: astTime(w.startedAt), last_reload_time: astTime(w.startedAt) },
    };
    const only = (p.str('only') ?? '').split(',').filter(Boolean);
    if (!only.length) return ok(info);
    return ok(Object.fromEntries(only.filter((k) => k in info).map((k) => [k, info[k as keyof typeof info]])));
  });
  route(app, 'GET', '/asterisk/ping', () => ok({ asterisk_id: w.asteriskId, ping: 'pong', timestamp: w.stamp() }));
  route(app, 'GET', '/asterisk/variable', (p) => {
    const v = p.str('variable');
    if (!v) throw new AriError(400, 'Variable name is required');
    return ok({ value: w.globals.get(v) ?? '' });
  });
  route(app, 'POST', '/asterisk/variable', (p) => {
    const v = p.str('variable');
    if (!v) throw new AriError(400, 'Variable name is required');
    w.globals.set(v, p.str('value') ?? '');
    return noContent();
  });

  const endpoints = () => [...w.phones.all.values()].map((ph) => w.phones.endpointJson(ph));
  route(app, 'GET', '/endpoints', () => ok(endpoints()));
  route(app, 'GET', '/endpoints/:tech', (p) => {
    if (p.path.tech !== 'PJSIP') throw new AriError(404, `No Endpoints found - invalid tech ${p.path.tech}`);
    return ok(endpoints());
  });
  route(app, 'GET', '/endpoints/:tech/:resource', (p) => {
    const ph = p.path.tech === 'PJSIP' ? w.phones.get(p.path.resource) : undefined;
    if (!ph) throw new AriError(404, 'Endpoint not found');
    return ok(w.phones.endpointJson(ph));
  });

  const deviceState = (name: string): string => {
    if (name.startsWith('Stasis:')) return w.deviceStates.get(name.slice(7)) ?? 'UNKNOWN';
    if (name.startsWith('PJSIP/')) { const ph = w.phones.get(name.slice(6)); return ph ? w.phones.deviceState(ph) : 'INVALID'; }
    return 'UNKNOWN';
  };
  route(app, 'GET', '/deviceStates', () => ok([...w.deviceStates].map(([n, state]) => ({ name: `Stasis:${n}`, state }))));
  route(app, 'GET', '/deviceStates/:deviceName', (p) => ok({ name: p.path.deviceName, state: deviceState(p.path.deviceName) }));
  route(app, 'PUT', '/deviceStates/:deviceName', (p) => {
    const name = p.path.deviceName;
    if (!name.startsWith('Stasis:')) throw new AriError(409, 'Uncontrolled device specified');
    const state = p.str('deviceState');
    if (!state || !DEVICE_STATES.has(state)) throw new AriError(500, 'Unknown device');
    w.deviceStates.set(name.slice(7), state);
    w.emitTo([], { type: 'DeviceStateChanged', device_state: { name, state } });
    return noContent();
  });
  route(app, 'DELETE', '/deviceStates/:deviceName', (p) => {
    const name = p.path.deviceName;
    if (!name.startsWith('Stasis:')) throw new AriError(409, 'Uncontrolled device specified');
    w.deviceStates.delete(name.slice(7));
    return noContent();
  });

  route(app, 'GET', '/applications', () => ok([...w.apps.all.values()].map((a) => w.apps.toJson(a))));
  const appOf = (name: string) => {
    const a = w.apps.get(name);
    if (!a) throw new AriError(404, 'Application not found');
    return a;
  };
  route(app, 'GET', '/applications/:applicationName', (p) => ok(w.apps.toJson(appOf(p.path.applicationName))));
  const sources = (s: string[]) => s.flatMap((x) => x.split(',')).filter(Boolean);
  route(app, 'POST', '/applications/:applicationName/subscription', (p) => {
    const a = appOf(p.path.applicationName);
    const list = sources(p.all('eventSource'));
    if (!list.length) throw new AriError(400, 'Missing parameter eventSource');
    for (const src of list) {
      const [kind, id] = [src.slice(0, src.indexOf(':')), src.slice(src.indexOf(':') + 1)];
      if (kind === 'channel') { const ch = w.channels.get(id); if (!ch) throw new AriError(422, 'Event source does not exist'); ch.followers.add(a.name); a.channelIds.add(id); }
      else if (kind === 'bridge') { const b = w.bridges.get(id); if (!b) throw new AriError(422, 'Event source does not exist'); b.followers.add(a.name); a.bridgeIds.add(id); }
      else if (kind === 'endpoint') a.endpointIds.add(id);
      else if (kind === 'deviceState') a.deviceNames.add(id);
      else throw new AriError(400, 'Invalid event source URI scheme');
    }
    return ok(w.apps.toJson(a));
  });
  route(app, 'DELETE', '/applications/:applicationName/subscription', (p) => {
    const a = appOf(p.path.applicationName);
    for (const src of sources(p.all('eventSource'))) {
      const id = src.slice(src.indexOf(':') + 1);
      w.channels.get(id)?.followers.delete(a.name);
      w.bridges.get(id)?.followers.delete(a.name);
      a.channelIds.delete(id); a.bridgeIds.delete(id); a.endpointIds.delete(id); a.deviceNames.delete(id);
    }
    return ok(w.apps.toJson(a));
  });
  route(app, 'PUT', '/applications/:applicationName/eventFilter', (p) => {
    const a = appOf(p.path.applicationName);
    const body = (p.body ?? {}) as { allowed?: Array<{ type: string }>; disallowed?: Array<{ type: string }> };
    a.eventFilter = { allowed: body.allowed, disallowed: body.disallowed };
    return ok(w.apps.toJson(a));
  });
  route(app, 'POST', '/events/user/:eventName', (p) => {
    const application = p.str('application');
    if (!application) throw new AriError(400, 'Missing parameter application');
    appOf(application);
    w.apps.send([application], { type: 'ChannelUserevent', eventname: p.path.eventName, userevent: (p.body as { variables?: object })?.variables ?? {} });
    return noContent();
  });
  route(app, 'GET', '/mailboxes', () => ok([]));
  route(app, 'GET', '/mailboxes/:mailboxName', () => { throw new AriError(404, 'Mailbox not found'); });
}
