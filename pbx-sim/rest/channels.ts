import type { FastifyInstance } from 'fastify';
import type { Engine } from '../engine/engine.js';
import type { OriginateParams } from '../engine/calls.js';
import { AriError } from '../engine/types.js';
import { created, noContent, ok, route, type Params } from './http.js';

function originateParams(p: Params, channelId?: string): OriginateParams {
  return {
    endpoint: p.str('endpoint'), extension: p.str('extension'), context: p.str('context'), priority: p.int('priority'),
    label: p.str('label'), app: p.str('app'), appArgs: p.str('appArgs'), callerId: p.str('callerId'),
    timeout: p.int('timeout'), channelId: channelId ?? p.str('channelId'), otherChannelId: p.str('otherChannelId'),
    variables: p.vars(),
  };
}

export function channelRoutes(app: FastifyInstance, e: Engine): void {
  const w = e.w;
  route(app, 'GET', '/channels', () => ok([...w.channels.values()].map((c) => c.toJson())));
  route(app, 'POST', '/channels', (p) => ok(e.calls.originate(originateParams(p)).toJson()));
  route(app, 'POST', '/channels/create', (p) => ok(e.calls.originate(originateParams(p), { create: true }).toJson()));
  route(app, 'GET', '/channels/:channelId', (p) => ok(e.channel(p.path.channelId).toJson()));
  route(app, 'POST', '/channels/:channelId', (p) => ok(e.calls.originate(originateParams(p, p.path.channelId)).toJson()));
  route(app, 'DELETE', '/channels/:channelId', (p) => {
    const ch = e.channel(p.path.channelId);
    e.calls.appHangup(ch, p.str('reason'), p.str('reason_code'));
    return noContent();
  });
  route(app, 'POST', '/channels/:channelId/continue', (p) => {
    const ch = e.channel(p.path.channelId);
    e.calls.continueInDialplan(ch, { context: p.str('context'), extension: p.str('extension'), priority: p.int('priority'), label: p.str('label') });
    return noContent();
  });
  route(app, 'POST', '/channels/:channelId/move', (p) => {
    const ch = e.stasisChannel(p.path.channelId);
    const to = p.str('app');
    if (!to) throw new AriError(400, 'Application name is required'); // not traced
    w.leaveStasisForContinue(ch);
    if (!w.enterStasis(ch, to, (p.str('appArgs') ?? '').split(',').filter(Boolean))) e.calls.hangupQuietly(ch, 16);
    return noContent();
  });
  route(app, 'POST', '/channels/:channelId/answer', (p) => { e.calls.answer(e.stasisChannel(p.path.channelId)); return noContent(); });
  route(app, 'POST', '/channels/:channelId/ring', (p) => {
    const ch = e.stasisChannel(p.path.channelId);
    if (ch.state !== 'Up') w.setState(ch, 'Ringing');
    ch.heard.push({ media: 'ring', startedAt: w.stamp() });
    return noContent();
  });
  route(app, 'DELETE', '/channels/:channelId/ring', (p) => {
    const ch = e.stasisChannel(p.path.channelId);
    const h = [...ch.heard].reverse().find((x) => x.media === 'ring' && !x.finishedAt);
    if (h) h.finishedAt = w.stamp();
    return noContent();
  });
  route(app, 'POST', '/channels/:channelId/progress', (p) => { e.stasisChannel(p.path.channelId); return noContent(); });
  route(app, 'POST', '/channels/:channelId/dtmf', (p) => {
    e.stasisChannel(p.path.channelId);
    if (!p.str('dtmf')) throw new AriError(400, 'DTMF is required'); // not traced
    return noContent(); // DTMF sent towards the caller: nothing comes back to the app
  });
  for (const [path, on] of [['mute', true], ['hold', true]] as const) {
    route(app, 'POST', `/channels/:channelId/${path}`, (p) => {
      const ch = e.stasisChannel(p.path.channelId);
      if (path === 'mute') { const d = p.str('direction') ?? 'both'; if (d !== 'out') ch.muted.add('in'); if (d !== 'in') ch.muted.add('out'); }
      else { ch.held = on; w.emitChannel(ch, 'ChannelHold'); }
      return noContent();
    });
    route(app, 'DELETE', `/channels/:channelId/${path}`, (p) => {
      const ch = e.stasisChannel(p.path.channelId);
      if (path === 'mute') { const d = p.str('direction') ?? 'both'; if (d !== 'out') ch.muted.delete('in'); if (d !== 'in') ch.muted.delete('out'); }
      else { ch.held = false; w.emitChannel(ch, 'ChannelUnhold'); }
      return noContent();
    });
  }
  // MOH and silence produce no events (traced): they only change what the caller hears.
  route(app, 'POST', '/channels/:channelId/moh', (p) => { e.startMoh(e.stasisChannel(p.path.channelId), p.str('mohClass') ?? 'default'); return noContent(); });
  route(app, 'DELETE', '/channels/:channelId/moh', (p) => { e.stopMoh(e.stasisChannel(p.path.channelId)); return noContent(); });
  route(app, 'POST', '/channels/:channelId/silence', (p) => { e.stasisChannel(p.path.channelId).silence = true; return noContent(); });
  route(app, 'DELETE', '/channels/:channelId/silence', (p) => { e.stasisChannel(p.path.channelId).silence = false; return noContent(); });
  route(app, 'POST', '/channels/:channelId/dial', (p) => {
    const ch = e.stasisChannel(p.path.channelId);
    e.calls.dial(ch, p.int('timeout'));
    return noContent();
  });
  route(app, 'GET', '/channels/:channelId/rtp_statistics', (p) => {
    const ch = e.channel(p.path.channelId);
    if (ch.kind !== 'pjsip' && ch.kind !== 'trunk') throw new AriError(404, 'Channel not found'); // Local has no RTP
    return ok({ txcount: 0, rxcount: 0, txjitter: 0, rxjitter: 0, remote_maxjitter: 0, remote_minjitter: 0, remote_normdevjitter: 0,
      remote_stdevjitter: 0, local_maxjitter: 0, local_minjitter: 0, local_normdevjitter: 0, local_stdevjitter: 0, txploss: 0,
      rxploss: 0, remote_maxrxploss: 0, remote_minrxploss: 0, remote_normdevrxploss: 0, remote_stdevrxploss: 0, local_maxrxploss: 0,
      local_minrxploss: 0, local_normdevrxploss: 0, local_stdevrxploss: 0, rtt: 0, maxrtt: 0, minrtt: 0, normdevrtt: 0, stdevrtt: 0,
      local_ssrc: 1, remote_ssrc: 2, txoctetcount: 0, rxoctetcount: 0, channel_uniqueid: ch.id });
  });
  route(app, 'POST', '/channels/externalMedia', () => { throw new AriError(501, 'External media is not simulated'); });
  void created;
}
