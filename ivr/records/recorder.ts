// Call-shaped façade over the sink for the controller: it keeps one CallRecorder (seq numbering) per live call, so
// the controller reports facts by call id and never handles seqs. It matches the `CallRecorder` interface that
// ivr/controller.ts declares (structurally; nothing here imports the controller) and adds the facts only the ACD,
// the survey and voicemail know (queued, answered, surveyRated, voicemailRecorded). Nothing here throws or waits.
import { CallRecorder, type CallEventEmitter } from './emitter.js';
import type { EndReason, ServiceLine, SurveyRating, TagValue } from './events.js';

export interface NodeFact {
  node: string;
  type: string;
  /** Absent when the caller enters the node; the branch taken when they leave it. */
  outcome?: string;
  /** The menu key chosen (kept in the path only through `entries`). */
  option?: string;
  /** What the caller keyed on each attempt ('' = a timeout): the path's `digits`, attempts joined by commas. */
  entries?: string[];
}

export class CallEvents {
  private readonly calls = new Map<string, CallRecorder>();

  constructor(
    private readonly sink: CallEventEmitter,
    private readonly opts: { clock?: () => number } = {},
  ) {}

  /** A new call (or one adopted and restarted from the top of a flow). Opens a new session for it. */
  arrived(call: { callId: string; callerNumber: string; calledNumber: string }, flow: { name: string; revision: number }): void {
    const r = new CallRecorder(this.sink, call.callId, { clock: this.opts.clock });
    this.calls.set(call.callId, r);
    r.emit({ type: 'arrived', callerNumber: call.callerNumber, calledNumber: call.calledNumber, flowName: flow.name,
      flowRevision: flow.revision });
  }

  node(callId: string, e: NodeFact): void {
    const r = this.session(callId);
    if (e.outcome === undefined) {
      r.emit({ type: 'node_entered', node: e.node, nodeType: e.type });
      return;
    }
    const digits = e.entries?.length ? e.entries.join(',') : undefined;
    r.emit({ type: 'node_left', node: e.node, nodeType: e.type, outcome: e.outcome, ...(digits ? { digits } : {}) });
  }

  tagged(callId: string, key: string, value: TagValue): void {
    this.session(callId).emit({ type: 'tagged', key, value });
  }

  queued(callId: string, q: { serviceLine: ServiceLine; legalTopic?: string; priority?: number; requestedAgent?: string }): void {
    this.session(callId).emit({ type: 'queued', ...q });
  }

  /** A person answered (the agent's staff number or endpoint). */
  answered(callId: string, agent: string): void {
    this.session(callId).emit({ type: 'answered', agent });
  }

  transferred(callId: string, t: { from: string; by: string; toLine?: ServiceLine; toAgent?: string }): void {
    this.session(callId).emit({ type: 'transferred', ...t });
  }

  surveyRated(callId: string, rating: SurveyRating): void {
    this.session(callId).emit({ type: 'survey_rated', rating });
  }

  voicemailRecorded(callId: string, recording: string): void {
    this.session(callId).emit({ type: 'voicemail_recorded', recording });
  }

  /** The last fact of a call: its session is forgotten here. */
  ended(callId: string, reason: EndReason): void {
    this.session(callId).emit({ type: 'ended', reason });
    this.calls.delete(callId);
  }

  /** Calls with an open session (for tests and shutdown checks). */
  get open(): number {
    return this.calls.size;
  }

  // A fact about a call this process never saw arrive: it was adopted (controller restart) and resumed mid-flow.
  private session(callId: string): CallRecorder {
    let r = this.calls.get(callId);
    if (!r) {
      r = new CallRecorder(this.sink, callId, { adopted: true, clock: this.opts.clock });
      this.calls.set(callId, r);
    }
    return r;
  }
}
