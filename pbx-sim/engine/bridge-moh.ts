import type { Bridge } from './bridge.js';
import type { Channel } from './channel.js';
import type { World } from './world.js';

/**
 * Bridge music on hold as each member hears it, for the /sim/calls `heard` list. The bridge's MOH announcer has no
 * channel and no events of its own (h); what it changes is only what the members hear: every member hears it while
 * it is on, and a play on one member's channel replaces it for that member until the play ends (h3: not mixed).
 * A member with its own channel MOH keeps hearing that one.
 */

const media = (b: Bridge) => `moh:${b.mohClass}`;

function channelPlaying(ch: Channel): boolean {
  const head = ch.playQueue[0];
  return head?.state === 'playing' || head?.state === 'paused';
}

function hears(ch: Channel, b: Bridge): boolean {
  return b.moh && !ch.moh && !channelPlaying(ch) && !ch.hangupRequested && !ch.destroyed;
}

function open(w: World, ch: Channel, b: Bridge): void {
  ch.heard.push({ media: media(b), startedAt: w.stamp() });
}

function close(w: World, ch: Channel, b: Bridge): void {
  const h = [...ch.heard].reverse().find((x) => x.media === media(b) && !x.finishedAt);
  if (h) h.finishedAt = w.stamp();
}

export function bridgeMohStarted(w: World, b: Bridge): void {
  for (const m of b.members) if (hears(m, b)) open(w, m, b);
}

/** Call before clearing b.moh. */
export function bridgeMohStopping(w: World, b: Bridge): void {
  for (const m of b.members) if (hears(m, b)) close(w, m, b);
}

export function memberJoined(w: World, b: Bridge, ch: Channel): void {
  if (hears(ch, b)) open(w, ch, b);
}

/** Call while the channel is still a member. */
export function memberLeaving(w: World, b: Bridge, ch: Channel): void {
  if (b.moh && !ch.moh && !channelPlaying(ch)) close(w, ch, b);
}

/** A play on the channel starts: it replaces the bridge's MOH. Call before the channel counts as playing. */
export function channelPlayStarting(w: World, ch: Channel): void {
  const b = ch.bridge;
  if (b && !channelPlaying(ch) && hears(ch, b)) close(w, ch, b);
}

/** A play on the channel ended and nothing else plays to it: the bridge's MOH comes back. */
export function channelPlayEnded(w: World, ch: Channel): void {
  const b = ch.bridge;
  if (b && hears(ch, b)) open(w, ch, b);
}
