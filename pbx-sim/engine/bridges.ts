import { Bridge } from './bridge.js';
import { memberJoined, memberLeaving } from './bridge-moh.js';
import type { Channel } from './channel.js';
import type { Media } from './media.js';
import { AriError } from './types.js';
import type { World } from './world.js';

const BRIDGE_TYPES = new Set(['mixing', 'holding', 'dtmf_events', 'proxy_media', 'video_sfu', 'video_single']);

/** Bridge operations and the side effects Asterisk shows on members (BRIDGEPEER, connected line). */
export class Bridges {
  /**
   * The app emptied a bridge itself (removeChannel, DELETE /bridges): its recorder is left alone and kicked out, so
   * a bridge recording finishes (set by the engine to Recorders.targetGone). Hang-ups do the same in hangup.ts.
   */
  onEmptiedByApp?: (b: Bridge) => void;
  /** A channel joined or left: a bridge recording holds what members said while they were in it. */
  onMembership?: (b: Bridge, ch: Channel, joined: boolean) => void;

  constructor(private readonly w: World, private readonly media: Media) {}

  create(id: string, typeParam: string | undefined, name: string): Bridge {
    const types = (typeParam ?? 'mixing').split(',').map((t) => t.trim()).filter(Boolean);
    for (const t of types) if (!BRIDGE_TYPES.has(t)) throw new AriError(400, `Invalid bridge type '${t}'`); // not traced
    const existing = this.w.bridges.get(id);
    if (existing) return existing; // Asterisk answers create-with-existing-id with the bridge itself
    const type = types.includes('holding') ? 'holding' : 'mixing';
    const b = new Bridge(id, type, name, this.w.clock.now());
    this.w.bridges.set(id, b);
    this.w.emitTo([], { type: 'BridgeCreated', bridge: b.toJson() });
    return b;
  }

  get(id: string): Bridge {
    const b = this.w.bridges.get(id);
    if (!b) throw new AriError(404, 'Bridge not found');
    return b;
  }

  add(b: Bridge, ch: Channel, _role?: string): void {
    if (ch.bridge === b) return;
    if (ch.bridge) this.leave(ch, 'move');
    b.members.unshift(ch);
    ch.bridge = b;
    this.onMembership?.(b, ch, true);
    memberJoined(this.w, b, ch);
    for (const app of ch.followers) { b.followers.add(app); this.w.apps.ensure(app).bridgeIds.add(b.id); }
    this.w.emitChannelBridge(ch, b, 'ChannelEnteredBridge');
    this.refreshPeers(b, ch);
  }

  /** The channel leaves its bridge (removeChannel, hang-up, move, continue). */
  leave(ch: Channel, _why: string): void {
    const b = ch.bridge;
    if (!b) return;
    if (b.type !== 'holding' && ch.vars.get('BRIDGEPEER')) this.w.setVar(ch, 'BRIDGEPEER', '');
    memberLeaving(this.w, b, ch);
    b.lingerSoftmix = b.technology === 'softmix';
    b.members.splice(b.members.indexOf(ch), 1);
    ch.bridge = undefined;
    this.onMembership?.(b, ch, false);
    this.w.emitChannelBridge(ch, b, 'ChannelLeftBridge');
    b.lingerSoftmix = false;
    this.refreshPeers(b);
  }

  remove(b: Bridge, ch: Channel): void {
    if (ch.bridge !== b) throw new AriError(422, 'Channel not in this bridge');
    this.leave(ch, 'remove');
    if (!b.members.length && b.recorders.length) this.onEmptiedByApp?.(b);
  }

  destroy(b: Bridge): void {
    for (const ch of [...b.members]) this.leave(ch, 'destroy');
    if (b.recorders.length) this.onEmptiedByApp?.(b);
    this.media.abortAll(b);
    b.destroyed = true;
    this.w.bridges.delete(b.id);
    this.w.emitTo(b.followers, { type: 'BridgeDestroyed', bridge: b.toJson() });
    for (const app of this.w.apps.all.values()) app.bridgeIds.delete(b.id);
  }

  addRecorder(b: Bridge, name: string, recordingName: string): void {
    b.recorders.push({ name, recordingName });
    this.refreshPeers(b);
  }

  removeRecorder(b: Bridge, recordingName: string): void {
    const i = b.recorders.findIndex((r) => r.recordingName === recordingName);
    if (i < 0) return;
    b.recorders.splice(i, 1);
    if (!b.destroyed && b.members.length) this.refreshPeers(b);
  }

  /**
   * Mixing bridges tell each member who it is talking to: BRIDGEPEER lists the other parties (recorders included),
   * BRIDGEPVTCALLID names a lone SIP peer's Call-ID, and with exactly two parties each one's connected line becomes
   * the other's caller id. Holding bridges do none of this.
   */
  private refreshPeers(b: Bridge, joined?: Channel): void {
    if (b.type === 'holding') return;
    const parties: Array<{ name: string; ch?: Channel }> = [
      ...b.recorders.slice(0, 1).map((r) => ({ name: r.name })),
      ...[...b.members].reverse().map((ch) => ({ name: ch.name, ch })),
      ...b.recorders.slice(1).map((r) => ({ name: r.name })),
    ];
    if (parties.length < 2) return;
    // The newcomer's peers are announced on the others first, as in the traces.
    const order = joined ? [...b.members.filter((m) => m !== joined).reverse(), joined] : [...b.members].reverse();
    for (const ch of order) {
      const others = parties.filter((p) => p.ch !== ch);
      const peer = others.map((p) => p.name).join(',');
      if (ch.vars.get('BRIDGEPEER') !== peer) this.w.setVar(ch, 'BRIDGEPEER', peer);
      const lone = others.length === 1 ? others[0].ch : undefined;
      const pvt = lone && lone.kind === 'pjsip' ? lone.protocolId : '';
      if ((ch.vars.get('BRIDGEPVTCALLID') ?? '') !== pvt) this.w.setVar(ch, 'BRIDGEPVTCALLID', pvt);
    }
    if (parties.length === 2) {
      const connectedOrder = joined ? [joined, ...b.members.filter((m) => m !== joined)] : [...b.members];
      for (const ch of connectedOrder) {
        const other = parties.find((p) => p.ch !== ch);
        const id = other?.ch ? other.ch.caller : { name: '', number: '' };
        if (ch.connected.name !== id.name || ch.connected.number !== id.number) {
          ch.connected = { ...id };
          this.w.emitChannel(ch, 'ChannelConnectedLine');
          passConnectedLineThroughLocal(ch);
        }
      }
    }
  }
}

/** A Local half's new connected line becomes the other half's caller id, reported with that half's next snapshot. */
function passConnectedLineThroughLocal(ch: Channel): void {
  const other = ch.peer;
  if (!other || other.destroyed || (ch.kind !== 'local1' && ch.kind !== 'local2')) return;
  if (other.caller.name === ch.connected.name && other.caller.number === ch.connected.number) return;
  other.caller = { ...ch.connected };
  other.callerIdPending = true;
}
