// The narrow port a flow node uses to act on its call. The session runner implements it over ARI; node unit tests
// use a fake. Nodes never import ari-client.

/** What is known about the call when a node runs. */
export interface CallInfo {
  callId: string;
  callerNumber: string;
  calledNumber: string;
  /** ISO time the call arrived. */
  arrivedAt: string;
  /** Set by the lookup of vulnerable callers (green channel) or by a node. */
  attributes: Record<string, string | number | boolean>;
}

/** A prompt reference: an id from the prompt catalogue, or spoken digits / a number. */
export type PromptRef = string | { digits: string } | { number: number };

export type PlayResult =
  | { reason: 'done' }
  /** A key pressed while an interruptible prompt played; the digit is handed to the next input node. */
  | { reason: 'interrupted'; digit: string }
  | { reason: 'error'; message: string };

export interface CollectOptions {
  /** Prompts played before/while collecting; a key stops them. */
  prompts: PromptRef[];
  minDigits: number;
  maxDigits: number;
  /** Ends input early; not part of the value. */
  terminator?: string;
  firstDigitTimeoutMs: number;
  interDigitTimeoutMs: number;
}

export type CollectResult =
  | { reason: 'digits'; digits: string }
  | { reason: 'timeout'; digits: string }
  | { reason: 'error'; message: string };

export interface QueueRequest {
  /** consultation | application | appointment | supervision | complaint | operator */
  line: string;
  topic?: string;
  priority: number;
  /** 点名: a lawyer's staff number the caller asked for. */
  requestedAgent?: string;
  /** A dialect the caller asked for (a flow's dialect menu); otherwise the ACD uses the caller's profile. */
  dialect?: string;
  /** A key that, pressed while waiting, ends the wait with `callback` (the caller keeps their place). */
  callbackKey?: string;
  maxWaitMs: number;
  /** Prompts for the apology / announcements the queue plays. */
  announce?: PromptRef[];
}

export type QueueResult =
  /** Talked to a person; the conversation is over and the flow goes on (e.g. to the survey). */
  | { reason: 'answered'; agent: string }
  /** `place`: the caller's place in the queue (its order key), kept by a queued callback. */
  | { reason: 'overflow'; place?: number }
  /** The caller pressed the callback key while waiting. */
  | { reason: 'callback'; place: number }
  | { reason: 'error'; message: string };

export interface RecordOptions { name: string; maxDurationMs: number; maxSilenceMs: number; beep: boolean; terminateOn: string }
export type RecordResult = { reason: 'recorded'; recording: string; durationMs: number } | { reason: 'error'; message: string };

/** A call was hung up while the node waited: every port call rejects with this, and the runner ends the session. */
export class HangupError extends Error {
  constructor() { super('caller hung up'); }
}

export interface CallPort {
  readonly call: CallInfo;
  /** Milliseconds on the session clock (injected: fake in unit tests). */
  now(): number;
  play(prompts: PromptRef[], opts: { interruptible: boolean }): Promise<PlayResult>;
  collect(opts: CollectOptions): Promise<CollectResult>;
  record(opts: RecordOptions): Promise<RecordResult>;
  enqueue(req: QueueRequest): Promise<QueueResult>;
  transfer(target: string): Promise<{ reason: 'transferred' } | { reason: 'failed'; message: string }>;
  hangup(): Promise<void>;
  /** Writes onto the call record (service line, topic, priority, survey rating, ...). */
  tag(key: string, value: string | number | boolean): void;
  /** Named pluggable function (application status by case number, caller history, ...). */
  lookup(name: string, args: Record<string, unknown>): Promise<{ reason: 'found'; value: Record<string, unknown> } | { reason: 'notFound' } | { reason: 'error'; message: string }>;
  /** Digits typed ahead (during prompts), consumed by the next input: up to `max` of them, the rest stay queued. */
  takeTypeAhead(max?: number): string;
}
