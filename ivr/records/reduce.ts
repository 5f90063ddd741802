// Folds one call event into the call record's fields. Pure and synchronous: the applier decides which events to
// apply (ordering, duplicates) and persists; this only says what an event means for the record.
import { SERVICE_LINES, type CallEvent, type EndReason, type ServiceLine, type SurveyRating, type TagValue } from './events.js';

/** One step of the caller's way through the flow. `outcome` is null while the caller is in the node. */
export interface PathStep {
  node: string;
  type: string;
  outcome: string | null;
  digits?: string;
  /** ISO time the caller entered the node (or left it, when only node_left was seen). */
  at: string;
}

/** The record fields events write (a CallRecord entity satisfies it). */
/** One hand-over of a caller between lawyers (call_record.transfers). */
export interface TransferStep { at: string; from: string; by: string; toLine?: ServiceLine; toAgent?: string; answeredBy?: string; answeredAt?: string }

export interface CallRecordFields {
  callerNumber?: string | null;
  calledNumber?: string | null;
  arrivedAt: Date;
  queuedAt?: Date | null;
  answeredAt?: Date | null;
  endedAt?: Date | null;
  flowRevision?: number | null;
  flowName?: string | null;
  path: PathStep[];
  serviceLine?: ServiceLine | null;
  legalTopic?: string | null;
  priority: number;
  requestedAgent?: string | null;
  agent?: string | null;
  transfers: TransferStep[];
  surveyRating?: SurveyRating | null;
  voicemailRecording?: string | null;
  endReason?: EndReason | null;
  tags: Record<string, TagValue>;
  lastEventAt?: Date | null;
}

const isServiceLine = (v: unknown): v is ServiceLine => typeof v === 'string' && (SERVICE_LINES as readonly string[]).includes(v);

// Tag keys that fill a column. The flow nodes write line / topic / priority / rating / voicemail; the longer
// names, in either style (service_line, serviceLine), are accepted too.
const COLUMN_OF: Record<string, string> = {
  line: 'serviceLine', serviceline: 'serviceLine',
  topic: 'legalTopic', legaltopic: 'legalTopic',
  priority: 'priority',
  requestedagent: 'requestedAgent',
  rating: 'surveyRating', surveyrating: 'surveyRating',
  voicemail: 'voicemailRecording', voicemailrecording: 'voicemailRecording',
};
const RATING_WORDS: Record<string, number> = { satisfied: 1, basically_satisfied: 2, dissatisfied: 3 };
const columnOf = (key: string) => COLUMN_OF[key.replace(/_/g, '').toLowerCase()];

function applyTag(r: CallRecordFields, key: string, value: TagValue): void {
  r.tags = { ...r.tags, [key]: value };
  switch (columnOf(key)) {
    case 'serviceLine':
      // A value outside the closed set stays in tags only: the column (and the ledger) keep their contract.
      if (isServiceLine(value)) r.serviceLine = value;
      break;
    case 'legalTopic':
      r.legalTopic = String(value);
      break;
    case 'priority': {
      const n = typeof value === 'boolean' ? (value ? 1 : 0) : Number(value);
      if (Number.isInteger(n) && n >= 0) r.priority = n;
      break;
    }
    case 'requestedAgent':
      r.requestedAgent = String(value);
      break;
    case 'surveyRating': {
      // The survey node tags words (满意 satisfied / 基本满意 basically_satisfied / 不满意 dissatisfied).
      const n = RATING_WORDS[String(value)] ?? Number(value);
      if (n === 1 || n === 2 || n === 3) r.surveyRating = n;
      break;
    }
    case 'voicemailRecording':
      if (typeof value === 'string' && value) r.voicemailRecording = value;
      break;
  }
}

/** The open (outcome null) step for `node`, searching from the end: the caller is in at most one node at a time. */
function openStep(path: PathStep[], node: string): number {
  for (let i = path.length - 1; i >= 0; i--) {
    if (path[i].outcome === null) return path[i].node === node ? i : -1;
  }
  return -1;
}

/** Applies `e` to `r` in place. Path and tags are replaced, not mutated, so the ORM sees the JSON change. */
export function applyCallEvent(r: CallRecordFields, e: CallEvent): void {
  const at = new Date(e.at);
  if (!r.lastEventAt || at > r.lastEventAt) r.lastEventAt = at;
  switch (e.type) {
    case 'arrived':
      r.callerNumber = e.callerNumber;
      r.calledNumber = e.calledNumber;
      r.arrivedAt = at;
      r.flowName = e.flowName;
      r.flowRevision = e.flowRevision;
      break;
    case 'adopted':
      break;
    case 'node_entered': {
      // Entering a node while another is still open means its node_left was lost (old controller died): say so.
      const path = r.path.map((s) => (s.outcome === null ? { ...s, outcome: 'interrupted' } : s));
      path.push({ node: e.node, type: e.nodeType, outcome: null, at: e.at });
      r.path = path;
      break;
    }
    case 'node_left': {
      const path = [...r.path];
      const i = openStep(path, e.node);
      const step: PathStep = i >= 0 ? { ...path[i], outcome: e.outcome } : { node: e.node, type: e.nodeType, outcome: e.outcome, at: e.at };
      if (e.digits !== undefined && e.digits !== '') step.digits = e.digits;
      if (i >= 0) path[i] = step;
      else path.push(step);
      r.path = path;
      break;
    }
    case 'tagged':
      applyTag(r, e.key, e.value);
      break;
    case 'queued':
      // The first time in a queue is the wait that counts (an overflow to another queue keeps it).
      r.queuedAt ??= at;
      r.serviceLine = e.serviceLine;
      if (e.legalTopic !== undefined) r.legalTopic = e.legalTopic;
      if (e.priority !== undefined) r.priority = Math.max(r.priority, e.priority);
      if (e.requestedAgent !== undefined) r.requestedAgent = e.requestedAgent;
      break;
    case 'answered':
      // The first person to answer keeps the call (首问负责); whoever took it after a transfer is in `transfers`.
      r.answeredAt ??= at;
      r.agent ??= e.agent;
      if (r.transfers.length && r.agent !== e.agent) {
        const last = r.transfers[r.transfers.length - 1];
        if (!last.answeredBy) r.transfers = [...r.transfers.slice(0, -1), { ...last, answeredBy: e.agent, answeredAt: e.at }];
      }
      break;
    case 'transferred':
      r.transfers = [...r.transfers, {
        at: e.at, from: e.from, by: e.by, ...(e.toLine ? { toLine: e.toLine } : {}), ...(e.toAgent ? { toAgent: e.toAgent } : {}),
      }];
      break;
    case 'survey_rated':
      r.surveyRating = e.rating;
      break;
    case 'voicemail_recorded':
      r.voicemailRecording = e.recording;
      break;
    case 'ended':
      r.endedAt = at;
      r.endReason = e.reason;
      // The node the caller was in when the call ended gets the end reason as its outcome (e.g. caller_hangup).
      if (r.path.some((s) => s.outcome === null)) {
        r.path = r.path.map((s) => (s.outcome === null ? { ...s, outcome: e.reason } : s));
      }
      break;
  }
}
