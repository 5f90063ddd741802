// Replaces volatile values (ids Asterisk invents, channel-name counters, times, SIP Call-IDs)
// with placeholders numbered by first appearance, so a simulator run and a recorded trace line up.
import type { AriEvent } from './types.js';

export interface NormaliseOptions {
  /** Keep `timestamp` and `creationtime` (dropped by default). */
  keepTimestamps?: boolean;
}

export interface Normaliser {
  channelId(id: string): string;
  bridgeId(id: string): string;
  channelName(name: string): string;
  /** A channel-variable value; `variable` picks the rule (BRIDGEPEER names, RTP QoS, Call-IDs). */
  value(variable: string, value: string): string;
  /** `channel:<id>` / `bridge:<id>` URIs; anything else unchanged. */
  uri(uri: string): string;
  event(e: AriEvent): AriEvent;
  /** Any JSON value: REST response bodies, request bodies. */
  body(b: unknown): unknown;
  /** REST path: the segment after /channels/ or /bridges/ is an id. */
  path(p: string): string;
  /** REST query/body parameters that carry ids (channelId, bridgeId, channel=a,b ...). */
  query(q: Record<string, unknown>): Record<string, unknown>;
}

/** `<Tech>/<resource>-<8 hex>` with an optional Local half `;1`/`;2`. */
const NAME_RE = /^([A-Za-z0-9_]+)\/(.*)-([0-9a-f]{8})(;[12])?$/;
const DROP_ALWAYS = new Set(['asterisk_id', 'entity_id']);
const TIME_KEYS = new Set(['timestamp', 'creationtime', 'startup_time', 'last_reload_time']);
// Channel-like sub-objects first, so numbering follows the event's subject, not JSON key order.
const KEY_PRIORITY = ['channel', 'peer', 'caller', 'replace_channel', 'forwarded', 'bridge', 'playback', 'recording'];
const PATH_NOT_ID = new Set(['create', 'externalMedia', 'externalmedia']);
const CHANNEL_PARAMS = new Set(['channelId', 'otherChannelId', 'snoopId', 'channel', 'originator']);

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isChannel(o: Obj): boolean {
  return typeof o.id === 'string' && typeof o.name === 'string' && typeof o.state === 'string';
}

function isBridge(o: Obj): boolean {
  return typeof o.id === 'string' && Array.isArray(o.channels) && ('bridge_type' in o || 'technology' in o);
}

function orderedKeys(o: Obj): string[] {
  const keys = Object.keys(o);
  const first = KEY_PRIORITY.filter((k) => k in o);
  return [...first, ...keys.filter((k) => !KEY_PRIORITY.includes(k)).sort()];
}

export function createNormaliser(opts: NormaliseOptions = {}): Normaliser {
  const channels = new Map<string, string>();
  const bridges = new Map<string, string>();
  const counters = new Map<string, string>();
  const drop = (k: string): boolean => DROP_ALWAYS.has(k) || (!opts.keepTimestamps && TIME_KEYS.has(k));

  const channelId = (id: string): string => {
    if (!id) return id;
    let c = channels.get(id);
    if (!c) channels.set(id, (c = `C${channels.size + 1}`));
    return c;
  };
  const bridgeId = (id: string): string => {
    if (!id) return id;
    let b = bridges.get(id);
    if (!b) bridges.set(id, (b = `B${bridges.size + 1}`));
    return b;
  };
  const channelName = (name: string): string => {
    const m = NAME_RE.exec(name);
    if (!m) return name;
    const [, tech, resource, hex, half = ''] = m;
    const key = `${tech}/${hex}`;
    let n = counters.get(key);
    if (!n) counters.set(key, (n = `N${counters.size + 1}`));
    // Snoop channels are named after the snooped channel's id.
    const res = tech === 'Snoop' ? channelId(resource) : resource;
    return `${tech}/${res}-${n}${half}`;
  };
  const value = (variable: string, v: string): string => {
    if (typeof v !== 'string' || v === '') return v;
    if (/^RTPAUDIOQOS/.test(variable)) return '<rtpqos>';
    if (variable === 'BRIDGEPVTCALLID' || /call-?id/i.test(variable)) return '<callid>';
    const parts = v.split(',');
    if (parts.every((p) => NAME_RE.test(p))) return parts.map(channelName).join(',');
    return v;
  };
  const uri = (u: string): string => {
    if (typeof u !== 'string') return u;
    if (u.startsWith('channel:')) return `channel:${channelId(u.slice(8))}`;
    if (u.startsWith('bridge:')) return `bridge:${bridgeId(u.slice(7))}`;
    return u;
  };

  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (!isObj(v)) return v;
    const done = new Map<string, unknown>();
    const channel = isChannel(v);
    const bridge = !channel && isBridge(v);
    const keys = channel || bridge ? ['id', ...orderedKeys(v).filter((k) => k !== 'id')] : orderedKeys(v);
    for (const k of keys) {
      if (drop(k)) continue;
      const x = v[k];
      if (channel && k === 'id') done.set(k, channelId(x as string));
      else if (channel && k === 'name') done.set(k, channelName(x as string));
      else if (bridge && k === 'id') done.set(k, bridgeId(x as string));
      else if (bridge && k === 'channels') done.set(k, (x as string[]).map(channelId));
      else if (k === 'protocol_id') done.set(k, x ? '<present>' : '');
      else if (k === 'target_uri') done.set(k, uri(x as string));
      else if (k === 'channel_ids' && Array.isArray(x)) done.set(k, x.map((i) => channelId(String(i))));
      else if (k === 'bridge_ids' && Array.isArray(x)) done.set(k, x.map((i) => bridgeId(String(i))));
      else if (k === 'value' && typeof x === 'string') done.set(k, value(typeof v.variable === 'string' ? v.variable : '', x));
      else if (k === 'channelvars' && isObj(x)) {
        done.set(k, Object.fromEntries(Object.entries(x).map(([n, s]) => [n, value(n, s as string)])));
      } else done.set(k, walk(x));
    }
    // Emit in the original key order so output reads like the input.
    const out: Obj = {};
    for (const k of Object.keys(v)) if (done.has(k)) out[k] = done.get(k);
    return out;
  };

  const path = (p: string): string => {
    const segs = p.split('/');
    for (let i = 1; i < segs.length; i++) {
      const prev = segs[i - 1];
      let seg = segs[i];
      try {
        seg = decodeURIComponent(seg);
      } catch {
        // keep a malformed segment as it is
      }
      if (i === 2 && prev === 'channels' && !PATH_NOT_ID.has(seg)) segs[i] = channelId(seg);
      else if (i === 2 && prev === 'bridges') segs[i] = bridgeId(seg);
    }
    return segs.join('/');
  };

  const query = (q: Record<string, unknown>): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(q ?? {})) {
      if (CHANNEL_PARAMS.has(k) && typeof x === 'string') out[k] = x.split(',').map(channelId).join(',');
      else if (k === 'bridgeId' && typeof x === 'string') out[k] = bridgeId(x);
      else out[k] = walk(x);
    }
    return out;
  };

  return {
    channelId,
    bridgeId,
    channelName,
    value,
    uri,
    event: (e) => walk(e) as AriEvent,
    body: walk,
    path,
    query,
  };
}

/** Normalises a whole event sequence with one fresh numbering. Pure: inputs are not modified. */
export function normalise(events: AriEvent[], opts: NormaliseOptions = {}): AriEvent[] {
  const n = createNormaliser(opts);
  return events.map((e) => n.event(e));
}

/** Normalises a REST body; pass the normaliser used for the events to share the numbering. */
export function normaliseBody(body: unknown, normaliser: Normaliser = createNormaliser()): unknown {
  return normaliser.body(body);
}

/** One channel name on its own, with a fresh numbering (N1). */
export function normaliseChannelName(name: string): string {
  return createNormaliser().channelName(name);
}
