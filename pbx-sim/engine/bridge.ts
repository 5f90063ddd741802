import type { Channel } from './channel.js';
import type { Playback } from './media.js';
import { astTime } from './clock.js';
import type { BridgeJson } from './types.js';

/** A party in a bridge that is not a channel of ours: the recorder of a bridge recording. */
export interface Recorder { name: string; recordingName: string }

export class Bridge {
  readonly members: Channel[] = [];
  readonly recorders: Recorder[] = [];
  /** Apps that hear of this bridge: those with a channel that has been in it. */
  readonly followers = new Set<string>();
  readonly playQueue: Playback[] = [];
  moh = false;
  mohClass = '';
  destroyed = false;
  readonly creationtime: string;

  constructor(readonly id: string, readonly type: string, readonly name: string, now: number) {
    this.creationtime = astTime(now);
  }

  /** Set while a party leaves a softmix bridge: Asterisk switches back to simple_bridge only after reporting it. */
  lingerSoftmix = false;

  get technology(): string {
    if (this.type === 'holding') return 'holding_bridge';
    return this.lingerSoftmix || this.members.length + this.recorders.length > 2 ? 'softmix' : 'simple_bridge';
  }

  toJson(): BridgeJson {
    return {
      id: this.id, technology: this.technology, bridge_type: this.type, bridge_class: 'stasis', creator: 'Stasis',
      name: this.name, channels: this.members.map((c) => c.id), creationtime: this.creationtime, video_mode: 'talker',
    };
  }
}
