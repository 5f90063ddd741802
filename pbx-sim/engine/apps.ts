import type { WebSocket } from 'ws';
import type { AriEvent } from './types.js';

/**
 * Stasis applications and their websockets. Asterisk keeps an application registered after its websocket goes
 * away (GET /applications still lists it) but Stasis() fails for it until a socket is back, and events meant for it
 * in between are lost, never replayed.
 */
export interface App {
  name: string;
  socket?: WebSocket;
  subscribeAll: boolean;
  channelIds: Set<string>;
  bridgeIds: Set<string>;
  endpointIds: Set<string>;
  deviceNames: Set<string>;
  eventFilter?: { allowed?: Array<{ type: string }>; disallowed?: Array<{ type: string }> };
}

export type FrameHook = (app: string, frame: string) => string | null;

export class Apps {
  readonly all = new Map<string, App>();
  /** Test hook (fault injection): may replace or drop a frame. */
  frameHook?: FrameHook;

  constructor(private readonly asteriskId: string, private readonly stamp: () => string) {}

  get(name: string): App | undefined { return this.all.get(name); }

  ensure(name: string): App {
    let app = this.all.get(name);
    if (!app) {
      app = { name, subscribeAll: false, channelIds: new Set(), bridgeIds: new Set(), endpointIds: new Set(), deviceNames: new Set() };
      this.all.set(name, app);
    }
    return app;
  }

  isActive(name: string): boolean { return !!this.all.get(name)?.socket; }

  /** Sends one event to the named apps that have a socket; the rest lose it, as with Asterisk. */
  send(apps: Iterable<string>, event: AriEvent): void {
    const timestamp = this.stamp();
    for (const name of new Set(apps)) {
      const app = this.all.get(name);
      if (!app?.socket || app.socket.readyState !== 1) continue;
      if (!passesFilter(app, event.type)) continue;
      const { type, ...rest } = event;
      // Asterisk's key order: type, timestamp, the payload, asterisk_id, application.
      let frame: string | null = JSON.stringify({ type, timestamp, ...rest, asterisk_id: this.asteriskId, application: name });
      if (this.frameHook) frame = this.frameHook(name, frame);
      if (frame !== null) app.socket.send(frame);
    }
  }

  subscribedAll(): string[] {
    return [...this.all.values()].filter((a) => a.subscribeAll && a.socket).map((a) => a.name);
  }

  toJson(app: App) {
    return {
      name: app.name,
      channel_ids: [...app.channelIds],
      bridge_ids: [...app.bridgeIds],
      endpoint_ids: [...app.endpointIds],
      device_names: [...app.deviceNames],
      events_allowed: app.eventFilter?.allowed ?? [],
      events_disallowed: app.eventFilter?.disallowed ?? [],
    };
  }
}

function passesFilter(app: App, type: string): boolean {
  const f = app.eventFilter;
  if (!f) return true;
  if (f.allowed?.length && !f.allowed.some((t) => t.type === type)) return false;
  if (f.disallowed?.some((t) => t.type === type)) return false;
  return true;
}
