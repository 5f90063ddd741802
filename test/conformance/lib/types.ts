// Shapes of the recorded ARI traces (see shared/ari-traces/README.md).

export interface AriCallerId {
  name: string;
  number: string;
}

export interface AriChannel {
  id: string;
  name: string;
  state: string;
  protocol_id?: string;
  caller?: AriCallerId;
  connected?: AriCallerId;
  accountcode?: string;
  dialplan?: { context: string; exten: string; priority: number; app_name?: string; app_data?: string };
  creationtime?: string;
  language?: string;
  channelvars?: Record<string, string>;
}

export interface AriBridge {
  id: string;
  technology?: string;
  bridge_type?: string;
  bridge_class?: string;
  creator?: string;
  name?: string;
  channels: string[];
  creationtime?: string;
  video_mode?: string;
}

/** One websocket frame. Fields beyond the common ones depend on `type`. */
export interface AriEvent {
  type: string;
  timestamp?: string;
  asterisk_id?: string;
  application?: string;
  channel?: AriChannel;
  bridge?: AriBridge;
  [key: string]: unknown;
}

/** One line of `<scenario>.rest.jsonl`. `t` is when the request was sent. */
export interface RestExchange {
  seq: number;
  t: string;
  ms: number;
  method: string;
  path: string;
  query: Record<string, unknown>;
  requestBody?: unknown;
  status: number;
  statusText: string;
  headers: Record<string, string>;
  body: unknown;
}

interface TimelineBase {
  /** When the harness saw it (REST lines: when the response arrived). */
  t: string;
}

export interface TimelineEvent extends TimelineBase {
  kind: 'event';
  /** `ari-client` or `raw-ws` (d3: the second socket). */
  conn: string;
  type: string;
  summary: string;
  /** Added by loadTrace: index into `Trace.events` and the frame itself. */
  index: number;
  frame: AriEvent;
}

export interface TimelineRest extends TimelineBase {
  kind: 'rest';
  seq: number;
  method: string;
  path: string;
  query: Record<string, unknown>;
  status: number;
  /** Added by loadTrace: the full exchange from `.rest.jsonl` (same seq). */
  exchange?: RestExchange;
}

export interface TimelineNote extends TimelineBase {
  kind: 'note';
  text: string;
  extra?: unknown;
}

export type TimelineEntry = TimelineEvent | TimelineRest | TimelineNote;

export interface Trace {
  scenario: string;
  dir: string;
  /** Frames of Stasis app `hotline`, in arrival order (d3: both sockets; see `eventConn`). */
  events: AriEvent[];
  /** Per frame of `events`: which websocket received it. */
  eventConn: string[];
  /** Frames of the passive `hotline-observer` app (subscribeAll). */
  observer: AriEvent[];
  rest: RestExchange[];
  timeline: TimelineEntry[];
}
