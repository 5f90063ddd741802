// The ARI api-docs the simulator serves under /ari/api-docs/, written as data.
// basePath must be the absolute URL the client reached us on (e.g. http://127.0.0.1:8088/ari):
// swagger-client builds every REST URL as basePath + path, like real Asterisk's Host-based rewrite.
import type { HttpMethod, Operation, Param, Resource } from './build.js';
import { applications } from './applications.js';
import { asterisk } from './asterisk.js';
import { bridges } from './bridges.js';
import { channels } from './channels.js';
import { deviceStates } from './deviceStates.js';
import { endpoints } from './endpoints.js';
import { events } from './events.js';
import { mailboxes } from './mailboxes.js';
import { playbacks } from './playbacks.js';
import { recordings } from './recordings.js';
import { sounds } from './sounds.js';

export type { HttpMethod, Operation, Param, Resource } from './build.js';

export const API_VERSION = '10.0.0';
export const ASTERISK_VERSION = '22.10.1';

/** In the order real Asterisk lists them in resources.json. */
const RESOURCES: readonly Resource[] = [
  asterisk,
  endpoints,
  channels,
  bridges,
  recordings,
  sounds,
  playbacks,
  deviceStates,
  mailboxes,
  events,
  applications,
];
const BY_NAME = new Map(RESOURCES.map((r) => [r.name, r]));

/** Names of the resource files, without ".json". */
export function resourceNames(): string[] {
  return RESOURCES.map((r) => r.name);
}

/** GET /ari/api-docs/resources.json */
export function resourceListing(basePath: string): object {
  return {
    apiVersion: API_VERSION,
    swaggerVersion: '1.1',
    basePath,
    apis: RESOURCES.map((r) => ({ path: `/api-docs/${r.name}.{format}`, description: r.listingDescription })),
  };
}

/** GET /ari/api-docs/{name}.json; undefined for an unknown name. A fresh copy each call. */
export function resourceDoc(name: string, basePath: string): object | undefined {
  const r = BY_NAME.get(name);
  if (!r) return undefined;
  const doc: Record<string, unknown> = {
    apiVersion: API_VERSION,
    swaggerVersion: r.swaggerVersion,
    basePath,
    resourcePath: `/api-docs/${r.name}.{format}`,
  };
  if (r.since) doc.since = r.since;
  if (r.requiresModules) doc.requiresModules = r.requiresModules;
  doc.apis = r.apis;
  doc.models = r.models;
  return structuredClone(doc);
}

/**
 * Every concrete message type the websocket may carry (leaves of the Message/Event subType tree,
 * e.g. StasisStart, MissingParams; not the Message/Event bases). The simulator must only emit these.
 */
export function eventTypes(): string[] {
  const all = events.models;
  const out: string[] = [];
  const walk = (name: string): void => {
    const m = all[name];
    if (!m) throw new Error(`events.json lists subtype ${name} without a model`);
    if (m.subTypes?.length) m.subTypes.forEach(walk);
    else out.push(name);
  };
  walk('Message');
  return out;
}

export interface OperationInfo {
  /** Resource file name, e.g. "channels". */
  resource: string;
  /** Path template relative to /ari, e.g. "/channels/{channelId}/play". */
  path: string;
  httpMethod: HttpMethod;
  nickname: string;
  responseClass: string;
  parameters: Param[];
  errorResponses: Operation['errorResponses'];
  /** Set for the /events websocket. */
  upgrade?: 'websocket';
}

let opsCache: OperationInfo[] | undefined;

function allOps(): OperationInfo[] {
  opsCache ??= RESOURCES.flatMap((r) =>
    r.apis.flatMap((a) =>
      a.operations.map((o) => {
        const info: OperationInfo = {
          resource: r.name,
          path: a.path,
          httpMethod: o.httpMethod,
          nickname: o.nickname,
          responseClass: o.responseClass,
          parameters: o.parameters,
          errorResponses: o.errorResponses,
        };
        if (o.upgrade) info.upgrade = o.upgrade;
        return info;
      }),
    ),
  );
  return opsCache;
}

/** All documented operations, flattened, for the simulator's router (a fresh copy). */
export function operations(): OperationInfo[] {
  return structuredClone(allOps());
}

export interface RouteMatch {
  /** The operation for this method, if the path exists with it. */
  operation?: OperationInfo;
  /** Decoded path parameters, e.g. {channelId: "abc"}. */
  pathParams: Record<string, string>;
  /** Methods documented for the matched path (for 405 answers). */
  allowedMethods: HttpMethod[];
}

/**
 * Match a request path (relative to /ari, without query string, still percent-encoded) against the
 * documented templates. Literal segments win over {params}, as in Asterisk: POST /channels/create is
 * `create`, not `originateWithId`. Returns undefined when no documented path matches.
 */
export function routeOperation(httpMethod: string, urlPath: string): RouteMatch | undefined {
  const segs = urlPath.replace(/\/+$/, '').split('/').slice(1);
  let best: { path: string; params: Record<string, string>; literals: number } | undefined;
  const paths = new Set(allOps().map((o) => o.path));
  for (const path of paths) {
    const tpl = path.split('/').slice(1);
    if (tpl.length !== segs.length) continue;
    const params: Record<string, string> = {};
    let literals = 0;
    let ok = true;
    for (let i = 0; i < tpl.length && ok; i++) {
      const t = tpl[i];
      const s = segs[i];
      if (t.startsWith('{') && t.endsWith('}')) {
        if (s === '') ok = false;
        else params[t.slice(1, -1)] = safeDecode(s);
      } else if (t === s) literals++;
      else ok = false;
    }
    if (ok && (!best || literals > best.literals)) best = { path, params, literals };
  }
  if (!best) return undefined;
  const found = best;
  const ops = allOps().filter((o) => o.path === found.path);
  const match: RouteMatch = { pathParams: found.params, allowedMethods: ops.map((o) => o.httpMethod) };
  const op = ops.find((o) => o.httpMethod === httpMethod.toUpperCase());
  if (op) match.operation = structuredClone(op);
  return match;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
