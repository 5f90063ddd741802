import type { AriRest } from '../ari/rest.js';
import type { PromptRef, QueueRequest, QueueResult } from '../port.js';
import type { Acd, AriCallPort } from '../session/ari-port.js';

export interface HoldingQueueOptions {
  /** Apology / position announcement between stretches of music on hold. */
  announceEveryMs: number;
  defaultAnnouncement: PromptRef[];
}

/**
 * The queue contract before lawyers can log in (issue 4 brings the real ACD: agents, skills, ringing phones): the
 * caller hears music on hold with an announcement every few seconds, and after the flow's maximum wait the queue
 * overflows so the flow's overflow branch (voicemail / callback) takes over. Never silence, never endless waiting.
 */
export class HoldingQueue implements Acd {
  constructor(private readonly rest: AriRest, private readonly o: HoldingQueueOptions) {}

  async enqueue(port: AriCallPort, req: QueueRequest): Promise<QueueResult> {
    const started = port.clock();
    const announce = req.announce ?? this.o.defaultAnnouncement;
    try {
      while (port.clock() - started < req.maxWaitMs) {
        await this.rest.startMoh(port.channelId).catch(() => undefined);
        const left = req.maxWaitMs - (port.clock() - started);
        await port.wait(Math.min(this.o.announceEveryMs, left));
        if (port.clock() - started >= req.maxWaitMs) break;
        await this.rest.stopMoh(port.channelId).catch(() => undefined);
        await port.play(announce, { interruptible: false });
      }
      return { reason: 'overflow' };
    } finally {
      if (!port.isEnded) await this.rest.stopMoh(port.channelId).catch(() => undefined);
    }
  }
}
