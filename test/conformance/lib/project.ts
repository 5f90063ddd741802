// Picks "the fields that matter" from a (normalised) event, per event type.
import type { AriEvent } from './types.js';

/** Event type -> dotted paths to keep. `*` is used for types not listed. */
export type FieldMap = Record<string, string[]>;

/** A projected event: `type` plus each listed path that is present in the event. */
export type Projected = { type: string } & Record<string, unknown>;

const CH = ['channel.id', 'channel.name', 'channel.state', 'channel.caller.number', 'channel.dialplan.app_name'];
const BRIDGE = ['bridge.id', 'bridge.bridge_type', 'bridge.technology', 'bridge.channels'];
const PLAYBACK = ['playback.id', 'playback.state', 'playback.media_uri', 'playback.next_media_uri', 'playback.target_uri'];
const RECORDING = ['recording.name', 'recording.state', 'recording.duration', 'recording.cause', 'recording.target_uri'];

export const DEFAULT_FIELDS: FieldMap = {
  StasisStart: [...CH, 'args', 'replace_channel.name'],
  StasisEnd: CH,
  ChannelCreated: CH,
  ChannelStateChange: CH,
  ChannelDtmfReceived: [...CH, 'digit', 'duration_ms'],
  ChannelHangupRequest: [...CH, 'cause', 'soft', 'tech_cause'],
  ChannelDestroyed: [...CH, 'cause', 'cause_txt', 'tech_cause'],
  ChannelVarset: [...CH, 'variable', 'value'],
  ChannelCallerId: [...CH, 'channel.caller.name', 'caller_presentation'],
  ChannelConnectedLine: [...CH, 'channel.connected.number', 'channel.connected.name'],
  ChannelDialplan: [...CH, 'dialplan_app', 'dialplan_app_data'],
  ChannelEnteredBridge: [...CH, ...BRIDGE],
  ChannelLeftBridge: [...CH, ...BRIDGE],
  BridgeCreated: BRIDGE,
  BridgeDestroyed: BRIDGE,
  Dial: ['dialstatus', 'dialstring', 'peer.name', 'peer.state', 'caller.name', 'forwarded.name'],
  PlaybackStarted: PLAYBACK,
  PlaybackContinuing: PLAYBACK,
  PlaybackFinished: PLAYBACK,
  RecordingStarted: RECORDING,
  RecordingFinished: RECORDING,
  RecordingFailed: RECORDING,
  ApplicationReplaced: ['application'],
  DeviceStateChanged: ['device_state.name', 'device_state.state'],
  '*': [...CH, 'cause', 'args'],
};

/** Paths whose values are compared as sets (Asterisk's member order is not meaningful). */
export const SET_FIELDS = new Set(['bridge.channels']);

function get(obj: unknown, dotted: string): unknown {
  let cur: unknown = obj;
  for (const part of dotted.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

/**
 * Projects an event on `fields[type]` (else `fields['*']`). Missing paths are left out, so
 * "present in one, absent in the other" (e.g. a SIP BYE's HangupRequest without cause) shows up.
 */
export function project(event: AriEvent, fields: FieldMap = DEFAULT_FIELDS): Projected {
  const paths = fields[event.type] ?? fields['*'] ?? [];
  const out: Projected = { type: event.type };
  for (const p of paths) {
    let v = get(event, p);
    if (v === undefined) continue;
    if (SET_FIELDS.has(p) && Array.isArray(v)) v = [...v].map(String).sort();
    out[p] = v;
  }
  return out;
}
