import type { Channel } from './channel.js';
import { splitArgs } from './calls.js';
import type { Engine } from './engine.js';
import { AriError } from './types.js';

const DIRECTIONS = new Set(['none', 'both', 'out', 'in']);

/** Supervisor listen / whisper: a Snoop channel attached to another channel, entering Stasis at once. */
export function snoop(e: Engine, target: Channel, p: { spy?: string; whisper?: string; app?: string; appArgs?: string; snoopId?: string }): Channel {
  const spy = p.spy ?? 'none', whisper = p.whisper ?? 'none';
  if (!DIRECTIONS.has(spy)) throw new AriError(400, 'Invalid direction specified for spy');
  if (!DIRECTIONS.has(whisper)) throw new AriError(400, 'Invalid direction specified for whisper');
  if (spy === 'none' && whisper === 'none') throw new AriError(400, 'Direction must be specified for at least spy or whisper');
  if (!p.app) throw new AriError(400, 'Application name is required');
  if (p.snoopId && e.w.channels.has(p.snoopId)) throw new AriError(409, 'Channel with given unique ID already exists'); // not traced
  const w = e.w;
  const ch = w.newChannel('snoop', `Snoop/${target.id}-${w.nextTechSuffix()}`, p.snoopId);
  ch.state = 'Up';
  ch.dialplan = { context: 'default', exten: 's', priority: 1, app_name: '', app_data: '' };
  ch.snoopOf = target;
  target.snoops.add(ch);
  // Each audiohook (spy, whisper) detaching from a bridged target makes the bridge re-announce its peers once.
  const hooks = (spy !== 'none' ? 1 : 0) + (whisper !== 'none' ? 1 : 0);
  ch.onDestroy.push(() => {
    target.snoops.delete(ch);
    if (!target.destroyed && !target.hangupRequested) for (let i = 0; i < hooks; i++) reannouncePeers(e, target);
  });
  // Attaching a snoop re-announces the bridge peers of the snooped channel's bridge.
  reannouncePeers(e, target);
  // The snoop runs Stasis() as a dialplan application: StasisStart shows it in the channel's dialplan.
  w.setDialplan(ch, 'Stasis', p.appArgs ? `${p.app},${p.appArgs}` : p.app);
  w.enterStasis(ch, p.app, splitArgs(p.appArgs));
  return ch;
}

export function reannouncePeers(e: Engine, target: Channel): void {
  const b = target.bridge;
  if (!b || b.type === 'holding') return;
  for (const m of [...b.members].reverse()) {
    const peer = m.vars.get('BRIDGEPEER');
    if (peer !== undefined) e.w.setVar(m, 'BRIDGEPEER', peer);
    const pvt = m.vars.get('BRIDGEPVTCALLID');
    if (pvt !== undefined) e.w.setVar(m, 'BRIDGEPVTCALLID', pvt);
  }
}
