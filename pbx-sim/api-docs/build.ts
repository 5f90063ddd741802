// Types and one-line builders for the Swagger 1.1 documents ARI serves under /ari/api-docs/.
// swagger-client 2.0.26 (inside ari-client) reads: operation.httpMethod/nickname/responseClass,
// parameter.paramType/name/required/dataType (it lower-cases dataType, so it must be set) and
// model property `type` (ari-client promotes event properties whose type is a known resource).

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';
export type ParamType = 'path' | 'query' | 'body';

export type AllowableValues =
  | { valueType: 'LIST'; values: string[] }
  | { valueType: 'RANGE'; min?: number; max?: number };

export interface Param {
  name: string;
  description: string;
  paramType: ParamType;
  required: boolean;
  allowMultiple: boolean;
  dataType: string;
  defaultValue?: string | number | boolean;
  allowableValues?: AllowableValues;
}

export interface ErrorResponse {
  code: number;
  reason: string;
}

export interface Operation {
  httpMethod: HttpMethod;
  since?: string[];
  upgrade?: 'websocket';
  websocketProtocol?: string;
  summary: string;
  notes?: string;
  nickname: string;
  responseClass: string;
  parameters: Param[];
  errorResponses: ErrorResponse[];
}

export interface Api {
  path: string;
  description: string;
  operations: Operation[];
}

export interface ModelProperty {
  type: string;
  description?: string;
  required: boolean;
  allowableValues?: AllowableValues;
}

export interface Model {
  id: string;
  description: string;
  discriminator?: string;
  properties: Record<string, ModelProperty>;
  subTypes?: string[];
}

/** One api-docs resource file (e.g. channels.json), minus the per-request basePath. */
export interface Resource {
  name: string;
  /** Description used in resources.json. */
  listingDescription: string;
  swaggerVersion: string;
  since?: string[];
  requiresModules?: string[];
  apis: Api[];
  models: Record<string, Model>;
}

export interface ParamOpts {
  required?: boolean;
  multi?: boolean;
  type?: string;
  def?: string | number | boolean;
  values?: string[];
  min?: number;
  max?: number;
}

function allowable(o: { values?: string[]; min?: number; max?: number }): AllowableValues | undefined {
  if (o.values) return { valueType: 'LIST', values: o.values };
  if (o.min !== undefined || o.max !== undefined) {
    const r: AllowableValues = { valueType: 'RANGE' };
    if (o.min !== undefined) r.min = o.min;
    if (o.max !== undefined) r.max = o.max;
    return r;
  }
  return undefined;
}

/** Required string path parameter. */
export function pathParam(name: string, description: string): Param {
  return { name, description, paramType: 'path', required: true, allowMultiple: false, dataType: 'string' };
}

/** Query parameter; string and optional unless told otherwise. */
export function query(name: string, description: string, o: ParamOpts = {}): Param {
  const p: Param = {
    name,
    description,
    paramType: 'query',
    required: o.required ?? false,
    allowMultiple: o.multi ?? false,
    dataType: o.type ?? 'string',
  };
  if (o.def !== undefined) p.defaultValue = o.def;
  const av = allowable(o);
  if (av) p.allowableValues = av;
  return p;
}

/** Body parameter. ari-client wraps a body param named `variables` (or `fields`) as {variables: ...}. */
export function body(name: string, description: string, dataType = 'containers', required = false): Param {
  return { name, description, paramType: 'body', required, allowMultiple: false, dataType };
}

export interface OpExtra {
  since?: string[];
  notes?: string;
  upgrade?: 'websocket';
  websocketProtocol?: string;
}

export function op(
  httpMethod: HttpMethod,
  nickname: string,
  responseClass: string,
  summary: string,
  parameters: Param[],
  errors: Array<[number, string]> = [],
  extra: OpExtra = {},
): Operation {
  // Built key by key so the JSON keeps Asterisk's order (httpMethod, since, upgrade, summary, notes, nickname...).
  const o = { httpMethod } as Operation;
  if (extra.since) o.since = extra.since;
  if (extra.upgrade) o.upgrade = extra.upgrade;
  if (extra.websocketProtocol) o.websocketProtocol = extra.websocketProtocol;
  o.summary = summary;
  if (extra.notes) o.notes = extra.notes;
  o.nickname = nickname;
  o.responseClass = responseClass;
  o.parameters = parameters;
  o.errorResponses = errors.map(([code, reason]) => ({ code, reason }));
  return o;
}

export function api(path: string, description: string, ...operations: Operation[]): Api {
  return { path, description, operations };
}

/** Property builders: `req` for required, `opt` for optional. */
export function req(type: string, description?: string, values?: string[]): ModelProperty {
  return prop(type, true, description, values);
}
export function opt(type: string, description?: string, values?: string[]): ModelProperty {
  return prop(type, false, description, values);
}
function prop(type: string, required: boolean, description?: string, values?: string[]): ModelProperty {
  const p: ModelProperty = { required, type };
  if (description) p.description = description;
  if (values) p.allowableValues = { valueType: 'LIST', values };
  return p;
}

export function model(
  id: string,
  description: string,
  properties: Record<string, ModelProperty>,
  extra: { subTypes?: string[]; discriminator?: string } = {},
): Model {
  const m = { id, description } as Model;
  if (extra.discriminator) m.discriminator = extra.discriminator;
  m.properties = properties;
  if (extra.subTypes) m.subTypes = extra.subTypes;
  return m;
}

/** Index a list of models by id. */
export function models(...list: Model[]): Record<string, Model> {
  const out: Record<string, Model> = {};
  for (const m of list) out[m.id] = m;
  return out;
}
