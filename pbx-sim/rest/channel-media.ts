import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Engine } from '../engine/engine.js';
import { snoop } from '../engine/snoop.js';
import { AriError } from '../engine/types.js';
import type { Channel } from '../engine/channel.js';
import { created, noContent, ok, route, type Params } from './http.js';

/** media=a,b plays a list; repeated media= keeps only the last (traced). */
export function mediaList(p: Params): string[] {
  const m = p.str('media');
  if (!m) throw new AriError(400, 'media: Missing required field'); // not traced
  return m.split(',').map((s) => s.trim()).filter(Boolean);
}

export function recordParams(p: Params) {
  return {
    name: p.str('name'), format: p.str('format'), maxDurationSeconds: p.int('maxDurationSeconds'),
    maxSilenceSeconds: p.int('maxSilenceSeconds'), ifExists: p.str('ifExists'), beep: p.bool('beep'), terminateOn: p.str('terminateOn'),
  };
}

/** Dialplan functions the simulator can read. */
function readVariable(ch: Channel, name: string): string | undefined {
  switch (name) {
    case 'CALLERID(num)': return ch.caller.number;
    case 'CALLERID(name)': return ch.caller.name;
    case 'CALLERID(all)': return `"${ch.caller.name}" <${ch.caller.number}>`;
    case 'CHANNEL(state)': return ch.state;
    case 'CHANNEL(name)': return ch.name;
    case 'CHANNEL(uniqueid)': return ch.id;
    case 'CHANNEL(language)': return ch.language;
    case 'EXTEN': return ch.dialplan.exten;
    case 'CONTEXT': return ch.dialplan.context;
    case 'UNIQUEID': return ch.id;
    case 'CHANNEL(pjsip,call-id)': if (ch.rtp) return ch.protocolId; break;
    case 'CHANNEL(rtp,dest)': if (ch.rtp) return ch.rtp.dest; break;
    case 'CHANNEL(audionativeformat)': return ch.rtp?.nativeFormat ?? '(slin)'; // not traced for non-SIP channels
  }
  if (/^[A-Z_]+\(.*\)$/.test(name)) throw new AriError(500, 'Unable to read provided function');
  return ch.vars.get(name);
}

function writeVariable(e: Engine, ch: Channel, name: string, value: string | undefined, reportEvents = false): void {
  if (value === undefined) { ch.vars.delete(name); return; } // no value: unset, no event (traced)
  // report_events: from now on the channel's snapshots carry the variable, its own ChannelVarset included (traced).
  if (reportEvents && !/\(.*\)$/.test(name)) ch.reportedVars.add(name);
  if (name === 'CALLERID(name)' || name === 'CALLERID(num)') {
    if (name === 'CALLERID(name)') ch.caller.name = value; else ch.caller.number = value;
    e.w.emitChannel(ch, 'ChannelCallerId', { caller_presentation: 0, caller_presentation_txt: 'Presentation Allowed, Not Screened' });
    return;
  }
  if (/\(.*\)$/.test(name)) return; // unknown function: 204 and nothing happens (traced)
  e.w.setVar(ch, name, value);
}

export function channelMediaRoutes(app: FastifyInstance, e: Engine): void {
  const play = (p: Params, id: string) => {
    const ch = e.stasisChannel(p.path.channelId);
    return created(e.media.play(`channel:${ch.id}`, mediaList(p), p.str('lang') ?? ch.language, id).created);
  };
  route(app, 'POST', '/channels/:channelId/play', (p) => play(p, p.str('playbackId') ?? randomUUID()));
  route(app, 'POST', '/channels/:channelId/play/:playbackId', (p) => play(p, p.path.playbackId));
  route(app, 'POST', '/channels/:channelId/record', (p) => {
    const ch = e.stasisChannel(p.path.channelId);
    return created(e.recorders.start(`channel:${ch.id}`, recordParams(p)));
  });
  route(app, 'GET', '/channels/:channelId/variable', (p) => {
    const ch = e.channel(p.path.channelId, 'Provided channel was not found');
    const name = p.str('variable');
    if (!name) throw new AriError(400, 'Variable name is required');
    const value = readVariable(ch, name);
    if (value === undefined) throw new AriError(404, 'Provided variable was not found');
    return ok({ value });
  });
  route(app, 'POST', '/channels/:channelId/variable', (p) => {
    const ch = e.channel(p.path.channelId);
    const name = p.str('variable');
    if (!name) throw new AriError(400, 'Variable name is required');
    writeVariable(e, ch, name, p.str('value'), p.bool('report_events'));
    return noContent();
  });
  route(app, 'GET', '/channels/:channelId/variables', (p) => {
    const ch = e.channel(p.path.channelId, 'Provided channel was not found');
    const names = (p.str('variables') ?? '').split(',').filter(Boolean);
    if (!names.length) throw new AriError(400, 'At least one variable name is required');
    const variables: Record<string, string> = {};
    for (const n of names) {
      const v = readVariable(ch, n);
      if (v === undefined) throw new AriError(404, 'Provided variable was not found');
      variables[n] = v;
    }
    return ok({ variables });
  });
  route(app, 'POST', '/channels/:channelId/variables', (p) => {
    const ch = e.channel(p.path.channelId);
    const vars = p.vars();
    if (!vars || !Object.keys(vars).length) throw new AriError(400, 'At least one variable name is required'); // not traced
    for (const [k, v] of Object.entries(vars)) writeVariable(e, ch, k, v, p.bool('report_events'));
    return noContent();
  });
  const doSnoop = (p: Params, snoopId?: string) => {
    const target = e.channel(p.path.channelId, 'Provided channel was not found');
    return ok(snoop(e, target, { spy: p.str('spy'), whisper: p.str('whisper'), app: p.str('app'), appArgs: p.str('appArgs'), snoopId: snoopId ?? p.str('snoopId') }).toJson());
  };
  route(app, 'POST', '/channels/:channelId/snoop', (p) => doSnoop(p));
  route(app, 'POST', '/channels/:channelId/snoop/:snoopId', (p) => doSnoop(p, p.path.snoopId));
}
