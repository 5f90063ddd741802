// A call held by the ACD on this controller, from enqueue to the end of its last conversation.
import type { TimerHandle } from '../../flows/timers.js';
import type { QueueRequest, QueueResult } from '../port.js';
import type { AriCallPort } from '../session/ari-port.js';
import type { WaitingCall } from './selection.js';

export type EntryState = 'resolving' | 'waiting' | 'ringing' | 'talking' | 'done';

/** A hand-over asked for from the desk while the caller talks to `from`; carried out when that leg is gone. */
export interface PendingTransfer { from: string; by: string; toLine?: string; toAgent?: string }

/** Structurally also the OfferedCall an offer works on. */
export interface Entry extends WaitingCall {
  token: string;
  callerNumber: string;
  leg?: string;
  onGone(fn: () => void): () => void;
  quiet(): Promise<void>;
  talking(staffNo: string): void;
  port: AriCallPort;
  req: QueueRequest;
  state: EntryState;
  /** The lawyer the caller is talking to (state talking). */
  talkingWith?: string;
  transfer?: PendingTransfer;
  gone: boolean;
  overdue: boolean;
  announced: number;
  announcing: boolean;
  /** This queue's announcement interval (service_queue), once known. */
  announceEveryMs?: number;
  /** MOH and announcements, one after another. */
  media: Promise<void>;
  timers: Set<TimerHandle>;
  goneFns: Set<() => void>;
  stops: Array<() => void>;
  resolve: (r: QueueResult) => void;
}
