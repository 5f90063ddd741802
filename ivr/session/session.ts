import type { Logger } from 'pino';
import { END, nextTarget, nodeModule, type Flow } from '../../flows/nodes/index.js';
import type { NodeServices, Vars } from '../../flows/types.js';
import { HangupError } from '../port.js';
import type { AriCallPort } from './ari-port.js';

/** How a call left the flow; stored on the call record. */
export type EndReason = 'caller_hangup' | 'completed' | 'transferred' | 'error' | 'controller_lost';

/** What the session reports as it runs: the controller turns these into call events and saved state. */
export interface SessionHooks {
  nodeEntered(nodeId: string, type: string, vars: Vars): void;
  nodeLeft(nodeId: string, type: string, outcome: string, option: string | undefined, entries: string[] | undefined): void;
  ended(reason: EndReason): void;
  /** The controller let go of the call without it ending (stop, ApplicationReplaced): another one adopts it. */
  detached(): void;
  /** A flow failed on a bug: apologise and hand the caller to a person instead of hanging up. */
  rescue(port: AriCallPort): Promise<void>;
}

/** Steps before the runner decides a flow is looping (validation forbids loops without input; this is the net). */
const MAX_STEPS = 1000;

/**
 * Runs one call through a published flow revision: run a node, follow the transition its outcome names, until END
 * or the caller hangs up. The flow object is the revision the call started with, whatever is published meanwhile.
 */
export class FlowSession {
  readonly vars: Vars = {};
  current?: string;
  private done = false;

  constructor(
    readonly flow: Flow,
    readonly revision: number,
    readonly port: AriCallPort,
    private readonly services: NodeServices,
    private readonly hooks: SessionHooks,
    private readonly log: Logger,
  ) {}

  /** Runs from `start` (a node id; the flow's start by default) to the end of the call. */
  async run(start = this.flow.start, vars: Vars = {}): Promise<EndReason> {
    Object.assign(this.vars, vars);
    let nodeId: string = start;
    let reason: EndReason = 'completed';
    try {
      for (let steps = 0; nodeId !== END; steps++) {
        if (steps >= MAX_STEPS) throw new Error(`flow ran ${MAX_STEPS} steps without ending`);
        // The caller hung up (or the controller let go) while a node that does not wait ran (set, condition,
        // hours...): the path ends at that node, no later node is entered, and no state is saved after the end.
        if (this.port.isEnded) throw new HangupError();
        const node = this.flow.nodes[nodeId];
        if (!node) throw new Error(`flow has no node ${nodeId}`);
        this.current = nodeId;
        this.hooks.nodeEntered(nodeId, node.type, this.vars);
        const result = await nodeModule(node.type).run({ port: this.port, params: node.params, vars: this.vars, nodeId, services: this.services });
        this.hooks.nodeLeft(nodeId, node.type, result.outcome, result.option, result.entries);
        if (node.type === 'transfer' && result.outcome === 'transferred') { reason = 'transferred'; break; }
        nodeId = nextTarget(node, result);
      }
    } catch (err) {
      if (err instanceof HangupError || this.port.isEnded) reason = 'caller_hangup';
      else {
        reason = 'error';
        this.log.error({ err, call: this.port.call.callId, node: nodeId }, 'flow failed');
      }
    }
    if (reason === 'error' && !this.port.isEnded) {
      try { await this.hooks.rescue(this.port); } catch (err) { if (!(err instanceof HangupError)) this.log.error({ err }, 'rescue failed'); }
      if (this.port.isEnded) reason = 'caller_hangup';
    }
    if (reason === 'completed' || reason === 'error') await this.port.hangup();
    this.finish(reason);
    return reason;
  }

  finish(reason: EndReason): void {
    if (this.done) return;
    this.done = true;
    this.port.end();
    if (this.port.isDetached) this.hooks.detached();
    else this.hooks.ended(reason);
  }
}
